"""quire: render Conduit reports in process, over libquire.

    import quire

    doc = quire.parse(report_json)             # bytes, str or pathlib.Path
    pdf = quire.Renderer(template="sales_playbook").render(doc, "pdf")
    for problem in quire.validate(report_json, strict=True).problems:
        print(problem)                         # "<report>: $.json.x: ..."

    print(quire.version(), quire.build_info())  # libquire, cairo, libcurl...

    client = quire.Client(api_key, base_url=...)
    media = client.upload("call.mp3")          # or client.create_job(file=...)
    event = quire.verify_webhook(headers, body, secret)
    doc = client.fetch_report(event.report_id)

libquire is found through :func:`load_library`'s search (an explicit path,
``$QUIRE_LIBRARY``, then the system loader); see ``quire._native``.
Every libquire call releases the GIL, so threads parse, render and fetch in
parallel.
"""

from __future__ import annotations

from typing import FrozenSet, List, NamedTuple, Optional

from . import _cdef
from ._native import (LibraryError, MIN_VERSION, ffi, lib, library_path,
                      load_library)
from .client import (Client, Entity, Job, JobEvent, MediaFile, Page, Subject,
                     Target, WebhookHeaders)
from .document import (Document, Fact, Problem, Validation, parse,
                       parse_file, validate)
from .errors import (AbortedError, APIValidationError, AuthError,
                     CreditsError, FontError, InvalidArgumentError,
                     JobCanceledError, JobFailedError, JSONSyntaxError,
                     NetworkError, NotFoundError, NotReadyError, QuireError, QuireIOError,
                     QuireMemoryError, QuireTimeoutError, RateLimitError,
                     RefusedError, SchemaError, ServerError, SignatureError,
                     TemplateError, TooBigError, UnsupportedError,
                     error_class)
from .render import FORMATS, Renderer, format_for_path, render
from .webhook import (WebhookEvent, parse_event, sign, verify_signature,
                      verify_webhook)

__version__ = "0.1.0"


def version() -> str:
    """The version of the loaded libquire (``"0.1.0"``)."""
    return str(ffi.string(lib().quire_version()).decode("ascii"))


def features() -> FrozenSet[str]:
    """What this libquire was built with: ``cairo`` (PDF and PNG through
    cairo/pango), ``haru`` (the libharu PDF engine), ``fetch`` (the API
    client)."""
    bits = lib().quire_features()
    names = [("cairo", _cdef.FEATURE_CAIRO), ("haru", _cdef.FEATURE_HARU),
             ("fetch", _cdef.FEATURE_FETCH)]
    return frozenset(n for n, b in names if bits & b)


class Component(NamedTuple):
    """One outside library libquire is built with (:func:`build_info`).

    ``built`` is the version of its headers when libquire was built,
    ``running`` the version this process has loaded (``""`` when the
    library does not say; None when it is not loaded, as libcurl is until
    the first API call unless :func:`build_info` is asked to load it)."""

    name: str
    built: str
    running: Optional[str]


def build_info(load: bool = False) -> List[Component]:
    """What the loaded libquire is made of, as ``quire -V`` prints it:
    cairo, pango, libharu, libcurl..., each with its built and running
    version. ``load=True`` loads libcurl first (its ``running`` is then
    None only when it cannot be loaded)."""
    L = lib()
    flags = _cdef.BUILD_LOAD if load else 0
    out: List[Component] = []
    built = ffi.new("const char **")
    running = ffi.new("const char **")
    i = 0
    while True:
        built[0] = ffi.NULL
        running[0] = ffi.NULL
        name = L.quire_build_component(i, flags, built, running)
        if name == ffi.NULL:
            return out
        out.append(Component(
            ffi.string(name).decode("utf-8", "replace"),
            "" if built[0] == ffi.NULL
            else ffi.string(built[0]).decode("utf-8", "replace"),
            None if running[0] == ffi.NULL
            else ffi.string(running[0]).decode("utf-8", "replace")))
        i += 1


def templates() -> List[str]:
    """The built-in template names (``default``, ``sales_playbook``...)."""
    out: List[str] = []
    i = 0
    while True:
        p = lib().quire_template_name(i)
        if p == ffi.NULL:
            return out
        out.append(ffi.string(p).decode("utf-8"))
        i += 1


__all__ = [
    "AbortedError", "APIValidationError", "AuthError", "Client", "Component",
    "CreditsError",
    "Document", "Entity", "MediaFile", "Page", "WebhookHeaders",
    "build_info",
    "FORMATS", "Fact", "FontError", "InvalidArgumentError", "JSONSyntaxError",
    "Job", "JobCanceledError", "JobEvent", "JobFailedError", "LibraryError",
    "MIN_VERSION", "NetworkError", "NotFoundError", "NotReadyError", "Problem",
    "QuireError", "QuireIOError", "QuireMemoryError", "QuireTimeoutError",
    "RateLimitError", "RefusedError", "Renderer", "SchemaError",
    "ServerError", "SignatureError", "Subject", "Target", "TemplateError",
    "TooBigError", "UnsupportedError", "Validation", "WebhookEvent",
    "error_class", "features", "format_for_path", "library_path",
    "load_library", "parse", "parse_event", "parse_file", "render", "sign",
    "templates", "validate", "verify_signature", "verify_webhook", "version",
]
