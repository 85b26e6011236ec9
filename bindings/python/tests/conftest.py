"""Shared fixtures: the repository, the built library, the fake Conduit
server (tests/server/conduit_server.py, 127.0.0.1 only)."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import threading
from typing import Any, Dict, Iterator, List, Tuple

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(PKG))
BUILD = os.environ.get("BUILD", "build")
if not os.path.isabs(BUILD):
    BUILD = os.path.join(ROOT, BUILD)

# The library under test: the one the build made, unless the caller chose.
os.environ.setdefault("QUIRE_LIBRARY", os.path.join(BUILD, "lib", "libquire.so"))
sys.path.insert(0, PKG)
sys.path.insert(0, os.path.join(ROOT, "tests", "server"))
sys.dont_write_bytecode = True

import quire  # noqa: E402
import conduit_server  # noqa: E402

SAMPLES = sorted(glob.glob(os.path.join(ROOT, "samples", "*", "*.json")))
HTTP_DATA = os.path.join(ROOT, "tests", "http", "data")
QUIRE_CLI = os.path.join(BUILD, "quire")


def sample(name: str) -> str:
    return os.path.join(ROOT, "samples", name)


def has(feature: str) -> bool:
    return feature in quire.features()


def pdf_engine() -> str:
    """The PDF engine this build renders with by default."""
    return "cairo" if has("cairo") else "haru"


def formats() -> List[str]:
    """Every format, whether or not this build has it (missing ones must
    fail with UnsupportedError, which the tests check)."""
    return ["text", "html", "pdf", "png"]


def supported(fmt: str, engine: str = "cairo") -> bool:
    """Whether this build renders fmt with engine. A build without cairo
    (make PDF=haru) paints every PDF with libharu, whichever engine is
    asked for, and has no PNG."""
    if fmt == "png":
        return has("cairo")
    if fmt == "pdf":
        return has(engine) or (engine == "cairo" and has("haru"))
    return True


def big_report(copies: int = 8) -> bytes:
    """The long sample with its sections repeated: a render that takes long
    enough to watch from another thread."""
    with open(sample("long/sixty_sections.json"), "rb") as f:
        d = json.load(f)
    d["json"]["sections"] = d["json"]["sections"] * copies
    return json.dumps(d).encode()


class FakeConduit:
    """One scenario's fake servers; requests() is what they saw."""

    def __init__(self, scenario: Dict[str, Any]) -> None:
        self.recorder = conduit_server.Recorder()
        self.servers, self.bases = conduit_server.start(scenario,
                                                        self.recorder)
        self.base = self.bases["main"]

    def requests(self) -> List[Dict[str, Any]]:
        return [e for e in self.recorder.entries if e["server"] == "main"]

    def lines(self) -> List[str]:
        return ["%s %s" % (e["method"], e["path"].split("?", 1)[0])
                for e in self.requests()]

    def stop(self) -> None:
        # shutdown() waits for serve_forever's 0.5 s poll; do it in the
        # background so each test does not pay that twice.
        threading.Thread(target=conduit_server.stop, args=(self.servers,),
                         daemon=True).start()


@pytest.fixture
def conduit() -> Iterator[Any]:
    """conduit(scenario_dict) starts a fake server for one test."""
    started: List[FakeConduit] = []

    def start(scenario: Dict[str, Any]) -> FakeConduit:
        s = FakeConduit(scenario)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def header(entry: Dict[str, Any], name: str) -> List[str]:
    return [v for k, v in entry["headers"] if k.lower() == name.lower()]


def run_cli(*args: str) -> Tuple[int, bytes, bytes]:
    p = subprocess.run([QUIRE_CLI, *args], capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def have_tool(name: str) -> bool:
    return shutil.which(name) is not None
