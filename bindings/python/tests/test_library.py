"""Finding, loading and checking libquire."""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

import quire
from conftest import BUILD, PKG, ROOT

LIB = os.path.join(BUILD, "lib", "libquire.so")


def run_py(code: str, env: dict) -> subprocess.CompletedProcess:
    """Runs code in a fresh interpreter (loading is once per process)."""
    full = dict(os.environ)
    full.pop("QUIRE_LIBRARY", None)
    full.update(env)
    full["PYTHONPATH"] = PKG
    full["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, env=full, timeout=60)


def test_version_features_templates():
    assert quire.version() == "0.1.0"
    assert tuple(int(x) for x in quire.version().split(".")) >= quire.MIN_VERSION
    feats = quire.features()
    assert "haru" in feats and "fetch" in feats
    assert quire.templates()[:1] == ["default"]
    assert "sales_playbook" in quire.templates()
    assert quire.library_path() == os.environ["QUIRE_LIBRARY"]


def cli_components():
    """The Library / Built with / Running table `quire -V` prints."""
    out = subprocess.run([os.path.join(BUILD, "quire"), "-V"], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    start = [i for i, line in enumerate(out) if line.startswith("Library")][0]
    rows = []
    for line in out[start + 1:]:
        cols = line.split()
        if len(cols) != 3:
            break
        rows.append(tuple("" if c == "-" else c for c in cols))
    return rows


def test_build_info_is_what_quire_V_prints():
    info = quire.build_info(load=True)
    assert all(isinstance(c, quire.Component) for c in info)
    names = [c.name for c in info]
    assert "jansson" in names and "libcurl" in names
    assert [(c.name, c.built, c.running) for c in info] == cli_components()
    curl = [c for c in info if c.name == "libcurl"][0]
    assert curl.running  # loaded now: its version


def test_build_info_does_not_load_libcurl_unasked():
    r = run_py("""
        import quire
        print([c.running for c in quire.build_info() if c.name == "libcurl"])
        print([bool(c.running) for c in quire.build_info(load=True)
               if c.name == "libcurl"])
    """, {"QUIRE_LIBRARY": LIB})
    assert r.stdout.split("\n")[:2] == ["[None]", "[True]"], r


def test_layout_matches_header(tmp_path):
    """Every struct cffi lays out matches quire.h, offset by offset."""
    exe = tmp_path / "layout"
    subprocess.run(["cc", "-std=c11", "-Wall", "-Werror",
                    "-I" + os.path.join(ROOT, "lib", "include"),
                    os.path.join(ROOT, "bindings", "layout.c"), "-o", str(exe)],
                   check=True)
    want = json.loads(subprocess.run([str(exe)], check=True,
                                     capture_output=True).stdout)
    ffi = quire.ffi
    from quire import _cdef
    checked = 0
    padded = {"quire_parse_options", "quire_render_options",
              "quire_renderer_options",
              "quire_client_options", "quire_job_request",
              "quire_matching_request", "quire_wait_options",
              "quire_webhook_options", "quire_upload_request",
              "quire_list_request"}
    for key, value in want.items():
        if key.startswith("sizeof "):
            t = key[7:]
            if t in padded:
                # The header's fields end where this binding's zeroed tail
                # starts (a field the header added and the binding lacks
                # fails here: declare it).
                end = ffi.offsetof(t, "_reserved")
                align = ffi.alignof(t)
                assert (end + align - 1) // align * align == value, key
                assert ffi.sizeof(t) >= value + 64 - align, key
            else:
                assert ffi.sizeof(t) == value, key
            checked += 1
        elif "." in key and key.startswith("quire_"):
            t, f = key.split(".")
            assert ffi.offsetof(t, f) == value, key
            checked += 1
    assert checked > 100
    consts = {
        "QUIRE_PARSE_OPTIONS_VERSION": _cdef.PARSE_OPTIONS_VERSION,
        "QUIRE_RENDER_OPTIONS_VERSION": _cdef.RENDER_OPTIONS_VERSION,
        "QUIRE_RENDERER_OPTIONS_VERSION": _cdef.RENDERER_OPTIONS_VERSION,
        "QUIRE_CLIENT_OPTIONS_VERSION": _cdef.CLIENT_OPTIONS_VERSION,
        "QUIRE_JOB_REQUEST_VERSION": _cdef.JOB_REQUEST_VERSION,
        "QUIRE_MATCHING_REQUEST_VERSION": _cdef.MATCHING_REQUEST_VERSION,
        "QUIRE_WAIT_OPTIONS_VERSION": _cdef.WAIT_OPTIONS_VERSION,
        "QUIRE_WAIT_HOOKS_VERSION": _cdef.WAIT_HOOKS_VERSION,
        "QUIRE_WEBHOOK_OPTIONS_VERSION": _cdef.WEBHOOK_OPTIONS_VERSION,
        "QUIRE_UPLOAD_REQUEST_VERSION": _cdef.UPLOAD_REQUEST_VERSION,
        "QUIRE_LIST_REQUEST_VERSION": _cdef.LIST_REQUEST_VERSION,
        "QUIRE_BUILD_LOAD": _cdef.BUILD_LOAD,
        "QUIRE_PARSE_STRICT": _cdef.PARSE_STRICT,
        "QUIRE_RENDER_ASCII": _cdef.RENDER_ASCII,
        "QUIRE_RENDER_HYPERLINKS": _cdef.RENDER_HYPERLINKS,
        "QUIRE_WAIT_POLL": _cdef.WAIT_POLL,
        "QUIRE_FEATURE_CAIRO": _cdef.FEATURE_CAIRO,
        "QUIRE_FEATURE_HARU": _cdef.FEATURE_HARU,
        "QUIRE_FEATURE_FETCH": _cdef.FEATURE_FETCH,
        "QUIRE_SEVERITY_WARNING": _cdef.SEVERITY_WARNING,
        "QUIRE_SEVERITY_ERROR": _cdef.SEVERITY_ERROR,
        "QUIRE_FORMAT_TEXT": _cdef.FORMATS["text"],
        "QUIRE_FORMAT_PNG": _cdef.FORMATS["png"],
        "QUIRE_COLOR_TRUE": _cdef.COLORS["truecolor"],
        "QUIRE_PAPER_LETTER": _cdef.PAPERS["letter"],
        "QUIRE_PDF_HARU": _cdef.ENGINES["haru"],
        "QUIRE_TARGET_SPEAKER_INDEX": _cdef.TARGETS["speaker_index"],
        "QUIRE_SHAPE_EMPTY": max(_cdef.SHAPES),
        "QUIRE_FACT_EXTRA": max(_cdef.FACT_GROUPS),
        "QUIRE_WEBHOOK_MATCHING_FAILED": max(_cdef.WEBHOOK_KINDS),
        "QUIRE_EABORTED": min(quire.errors.CODE_NAMES),
    }
    for name, value in consts.items():
        assert want[name] == value, name
    assert want["sizeof(quire_format) == sizeof(int)"] == 1


def test_explicit_path_and_env():
    r = run_py("""
        import quire
        print(quire.load_library(%r)); print(quire.version())
    """ % LIB, {})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [LIB, "0.1.0"]
    r = run_py("import quire; print(quire.version(), quire.library_path())",
               {"QUIRE_LIBRARY": LIB})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["0.1.0", LIB]


def test_system_loader_path():
    """Without a path or $QUIRE_LIBRARY, the soname through the loader."""
    r = run_py("import quire; print(quire.version(), quire.library_path())",
               {"LD_LIBRARY_PATH": os.path.dirname(LIB)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["0.1.0", "libquire.so.0"]


def test_missing_library_is_a_clear_error(tmp_path):
    r = run_py("""
        import quire
        try:
            quire.parse(b"{}")
        except quire.LibraryError as e:
            print("LibraryError:", e)
    """, {"QUIRE_LIBRARY": str(tmp_path / "nope.so")})
    assert r.returncode == 0, r.stderr
    assert "LibraryError: libquire not found at" in r.stdout
    assert "QUIRE_LIBRARY" in r.stdout
    # Nothing anywhere: the message says how to fix it.
    r = run_py("""
        import quire
        try:
            quire.version()
        except quire.LibraryError as e:
            print("LibraryError:", e)
    """, {"LD_LIBRARY_PATH": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    if "libquire not found" in r.stdout:  # unless `make install` ran here
        assert "QUIRE_LIBRARY" in r.stdout and "load_library" in r.stdout


def _fake_lib(tmp_path, version):
    src = tmp_path / "fake.c"
    src.write_text('const char *quire_version(void) { return "%s"; }\n' %
                   version)
    so = tmp_path / ("libfake-%s.so" % version)
    subprocess.run(["cc", "-shared", "-fPIC", str(src), "-o", str(so)],
                   check=True)
    return str(so)


def test_too_old_and_not_libquire(tmp_path):
    old = _fake_lib(tmp_path, "0.0.9")
    r = run_py("""
        import quire
        try:
            quire.load_library(%r)
        except quire.LibraryError as e:
            print(e)
    """ % old, {})
    assert "is too old: this binding needs 0.1.0 or newer" in r.stdout, r
    # The right version but a function missing: named, at load time.
    partial = _fake_lib(tmp_path, "0.1.0")
    r = run_py("import quire\ntry:\n    quire.load_library(%r)\n"
               "except quire.LibraryError as e:\n    print(e)" % partial, {})
    assert re.search(r"libquire 0\.1\.0 at .* lacks quire_\w+: too old",
                     r.stdout), r
    newer = _fake_lib(tmp_path, "1.0.0")
    r = run_py("import quire\ntry:\n    quire.load_library(%r)\n"
               "except quire.LibraryError as e:\n    print(e)" % newer, {})
    assert "different major version" in r.stdout, r
    r = run_py("import quire\ntry:\n    quire.load_library('/bin/sh')\n"
               "except quire.LibraryError as e:\n    print(e)", {})
    assert "cannot load libquire from /bin/sh" in r.stdout, r


def test_second_explicit_path_refused():
    with pytest.raises(quire.LibraryError, match="already loaded"):
        quire.load_library("/nonexistent/libquire.so")
    assert quire.load_library(os.environ["QUIRE_LIBRARY"])


def test_type_hints_hold(tmp_path):
    """mypy --strict over the package (Debian's mypy, a test dependency)."""
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict",
                        "--ignore-missing-imports", "--cache-dir",
                        str(tmp_path / "cache"), os.path.join(PKG, "quire")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
