"""Parsing and validating Conduit reports."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Union

from . import _cdef
from ._handle import Handle
from ._native import ffi, lib
from .errors import QuireIOError, from_struct

#: What :func:`parse` and :func:`validate` accept: JSON as bytes (or any
#: buffer) or str, or a path to a file as ``os.PathLike``. A plain ``str``
#: is always JSON text; use :func:`parse_file` for a path held in a str.
Source = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]

ESCHEMA = -5


def _text(p: Any) -> Optional[str]:
    if p == ffi.NULL:
        return None
    return str(ffi.string(p).decode("utf-8", "replace"))


def take_buf(buf: Any) -> bytes:
    """Copies a quire_buf's contents out and disposes of it."""
    try:
        return bytes(ffi.buffer(buf.ptr, buf.size)[:])
    finally:
        lib().quire_buf_dispose(buf)


def new_buf(max_size: int = 0) -> Any:
    buf = ffi.new("quire_buf *")
    lib().quire_buf_init(buf, max_size)
    return buf


def _bytes_of(data: Any) -> Any:
    """A C-passable view of data, without copying bytes or buffers."""
    if isinstance(data, bytes):
        return data, len(data)
    if isinstance(data, str):
        raw = data.encode("utf-8")
        return raw, len(raw)
    if isinstance(data, (bytearray, memoryview)):
        view = memoryview(data).cast("B") if isinstance(
            data, memoryview) else data
        return ffi.from_buffer(view), len(view)
    raise TypeError("expected JSON as bytes or str, or an os.PathLike path, "
                    "got %s" % type(data).__name__)


class _ParseOptions:
    """A quire_parse_options and the strings it points to."""

    def __init__(self, strict: bool, source: Optional[str], max_input: int,
                 max_markdown: int, max_blocks: int,
                 max_diagnostics: int) -> None:
        self.c = ffi.new("quire_parse_options *")
        self.c.version = _cdef.PARSE_OPTIONS_VERSION
        self.c.flags = _cdef.PARSE_STRICT if strict else 0
        self._source = None
        if source is not None:
            self._source = ffi.new("char[]", source.encode("utf-8"))
            self.c.source = self._source
        self.c.max_input = max_input
        self.c.max_markdown = max_markdown
        self.c.max_blocks = max_blocks
        self.c.max_diagnostics = max_diagnostics


@dataclass(frozen=True)
class Problem:
    """One problem found in a report.

    ``severity`` is ``"error"`` or ``"warning"``. ``path`` is the JSON path
    (``$.json.sections[2].phrases``) of a shape problem; ``line`` and
    ``column`` (1-based) place a JSON syntax error. ``code`` names the kind:
    ``"ESCHEMA"`` for contract violations and warnings, ``"ESYNTAX"``,
    ``"ETOOBIG"``...
    """

    severity: str
    message: str
    path: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None
    source: Optional[str] = None
    code: str = "ESCHEMA"

    def __str__(self) -> str:
        where = self.source or "<report>"
        if self.line:
            where += ":%d:%d" % (self.line, self.column or 0)
        if self.path:
            where += ": " + self.path
        tag = "warning: " if self.severity == "warning" else ""
        return "%s: %s%s" % (where, tag, self.message)


@dataclass(frozen=True)
class Validation:
    """The outcome of :func:`validate`: ``valid`` and every problem."""

    valid: bool
    problems: List[Problem]

    @property
    def errors(self) -> List[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> List[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def __bool__(self) -> bool:
        return self.valid


@dataclass(frozen=True)
class Fact:
    """A named fact of the report: ``group`` is metrics, provenance, meta,
    usage, subject or extra; ``name`` is dotted below the group."""

    group: str
    name: str
    value: str


def _severity(c: int) -> str:
    return "error" if c == _cdef.SEVERITY_ERROR else "warning"


class Document:
    """A parsed report: immutable, renderable from several threads at once.

    Build one with :func:`parse` or :func:`parse_file`. Its C memory is freed
    by :meth:`close` (or ``with``), or when it is garbage collected; closing
    while another thread renders it is safe (the free waits for that call).
    """

    __slots__ = ("_h", "_source", "__weakref__")

    def __init__(self, ptr: Any, source: Optional[str]) -> None:
        self._h = Handle(ptr, lib().quire_doc_free, "document")
        self._source = source

    # -- lifetime --------------------------------------------------------
    def close(self) -> None:
        """Frees the C document (deferred while a render is using it)."""
        self._h.close()

    @property
    def closed(self) -> bool:
        return self._h.closed

    def __enter__(self) -> "Document":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _str(self, getter: Callable[[Any], Any]) -> Optional[str]:
        with self._h.use() as p:
            return _text(getter(p))

    # -- metadata --------------------------------------------------------
    @property
    def source(self) -> Optional[str]:
        """The file name or label given at parse time."""
        return self._source

    @property
    def shape(self) -> str:
        """Which generation of report JSON this came from: ``v2``,
        ``sections``, ``markdown``, ``sdk``, ``node``, ``matching``,
        ``empty``."""
        with self._h.use() as p:
            return _cdef.SHAPES.get(lib().quire_doc_shape(p), "unknown")

    @property
    def title(self) -> str:
        """The title every renderer shows (never empty)."""
        return self._str(lib().quire_doc_title) or ""

    @property
    def id(self) -> Optional[str]:
        return self._str(lib().quire_doc_id)

    @property
    def created_at(self) -> Optional[str]:
        return self._str(lib().quire_doc_created_at)

    @property
    def job_id(self) -> Optional[str]:
        return self._str(lib().quire_doc_job_id)

    @property
    def label(self) -> Optional[str]:
        return self._str(lib().quire_doc_label)

    @property
    def template(self) -> Optional[str]:
        """The report's template name as given (``sales_playbook``...)."""
        return self._str(lib().quire_doc_template)

    @property
    def entity_id(self) -> Optional[str]:
        return self._str(lib().quire_doc_entity_id)

    @property
    def entity_label(self) -> Optional[str]:
        return self._str(lib().quire_doc_entity_label)

    @property
    def media_id(self) -> Optional[str]:
        return self._str(lib().quire_doc_media_id)

    @property
    def media_url(self) -> Optional[str]:
        return self._str(lib().quire_doc_media_url)

    @property
    def summary(self) -> Optional[str]:
        return self._str(lib().quire_doc_summary)

    @property
    def report_url(self) -> Optional[str]:
        return self._str(lib().quire_doc_report_url)

    @property
    def pdf_url(self) -> Optional[str]:
        return self._str(lib().quire_doc_pdf_url)

    @property
    def markdown(self) -> Optional[str]:
        """The report's raw markdown text, if it has any."""
        return self._str(lib().quire_doc_markdown)

    @property
    def warnings(self) -> List[Problem]:
        """Non-fatal problems met while decoding (unknown keys, degraded
        blocks), each with its JSON path."""
        out = []
        with self._h.use() as p:
            for i in range(lib().quire_doc_diag_count(p)):
                d = lib().quire_doc_diag(p, i)
                out.append(Problem(_severity(d.severity),
                                   _text(d.message) or "", _text(d.path),
                                   source=self._source))
        return out

    @property
    def facts(self) -> List[Fact]:
        """Metrics, provenance, meta, usage... flattened in report order."""
        out = []
        with self._h.use() as p:
            for i in range(lib().quire_doc_fact_count(p)):
                f = lib().quire_doc_fact(p, i)
                out.append(Fact(_cdef.FACT_GROUPS.get(f.group, "extra"),
                                _text(f.name) or "", _text(f.value) or ""))
        return out

    def dump(self) -> str:
        """The canonical model tree, one node per line (as ``quire
        inspect``)."""
        buf = new_buf()
        err = ffi.new("quire_error *")
        with self._h.use() as p:
            rc = lib().quire_doc_dump(buf, p)
        if rc != 0:
            lib().quire_buf_dispose(buf)
            raise from_struct(rc, err)
        return take_buf(buf).decode("utf-8", "replace")

    # -- rendering (see quire.render for the options) --------------------
    def render(self, format: str = "html", **options: Any) -> bytes:
        """Renders to ``text``, ``html``, ``pdf`` or ``png`` bytes: the
        simple call :func:`quire.render` (the options are those of
        :class:`quire.Renderer`, plus ``page``)."""
        from .render import render
        return render(self, format, **options)

    def __repr__(self) -> str:
        if self.closed:
            return "<quire.Document closed>"
        return "<quire.Document %s %r>" % (self.shape, self.title)


def parse(data: Source, *, strict: bool = False,
          source: Optional[str] = None, max_input: int = 0,
          max_markdown: int = 0, max_blocks: int = 0,
          max_diagnostics: int = 0) -> Document:
    """Decodes report JSON into a :class:`Document`.

    ``data`` is JSON as bytes (or a bytearray/memoryview, not copied) or
    str, or a path as ``os.PathLike`` (``pathlib.Path``). Tolerant by
    default: unknown keys and kinds become ``Document.warnings``. With
    ``strict=True`` the report must satisfy its contract schema.
    ``source`` names the input in messages. Limits of 0 take libquire's
    defaults (64 MiB of JSON, 1 MiB per markdown field, 100,000 blocks).

    Raises :class:`quire.JSONSyntaxError` (``line``/``column``),
    :class:`quire.SchemaError` (``path``), :class:`quire.NotReadyError`
    for JSON ``null``, :class:`quire.TooBigError`,
    :class:`quire.QuireIOError` for an unreadable file.
    The GIL is released while libquire works.
    """
    if isinstance(data, os.PathLike):
        return parse_file(data, strict=strict, source=source,
                          max_input=max_input, max_markdown=max_markdown,
                          max_blocks=max_blocks,
                          max_diagnostics=max_diagnostics)
    raw, n = _bytes_of(data)
    if strict or source is not None or max_input or max_markdown or \
            max_blocks or max_diagnostics:
        copts = _ParseOptions(strict, source, max_input, max_markdown,
                              max_blocks, max_diagnostics)
        c = copts.c
    else:
        c = ffi.NULL  # every default: libquire's own, without building them
    out = ffi.new("quire_doc **")
    err = ffi.new("quire_error *")
    rc = lib().quire_doc_parse(out, raw, n, c, err)
    if rc != 0:
        raise from_struct(rc, err)
    return Document(out[0], source)


def parse_file(path: Union[str, "os.PathLike[str]"], *, strict: bool = False,
               source: Optional[str] = None, max_input: int = 0,
               max_markdown: int = 0, max_blocks: int = 0,
               max_diagnostics: int = 0) -> Document:
    """:func:`parse` reading the file at ``path`` (libquire reads it, with
    the GIL released). ``source`` defaults to the path."""
    p = os.fsencode(path)
    if b"\0" in p:
        raise ValueError("path contains a NUL byte")
    src = source if source is not None else os.fsdecode(p)
    opts = _ParseOptions(strict, src, max_input, max_markdown, max_blocks,
                         max_diagnostics)
    out = ffi.new("quire_doc **")
    err = ffi.new("quire_error *")
    rc = lib().quire_doc_parse_file(out, p, opts.c, err)
    if rc != 0:
        raise from_struct(rc, err)
    return Document(out[0], src)


class _Collector:
    def __init__(self, source: Optional[str]) -> None:
        self.problems: List[Problem] = []
        self.source = source
        self.error: Optional[BaseException] = None


@ffi.callback("void(const quire_diag *, void *)")  # type: ignore[misc]
def _on_diag(diag: Any, payload: Any) -> None:
    col = ffi.from_handle(payload)
    try:
        col.problems.append(Problem(_severity(diag.severity),
                                    _text(diag.message) or "",
                                    _text(diag.path), source=col.source))
    except BaseException as e:  # never let an exception unwind through C
        col.error = e


def validate(data: Source, *, strict: bool = False,
             source: Optional[str] = None, max_input: int = 0,
             max_diagnostics: int = 0) -> Validation:
    """Checks a report and returns every problem found.

    Tolerant mode lists warnings and is valid unless the JSON cannot be
    decoded. ``strict=True`` checks the contract schema exactly, and any
    warning makes the report invalid (as ``quire validate --strict``).
    A JSON syntax error is one problem with ``line``/``column``; a shape
    error has ``path``. Raises (rather than reporting a problem) only when
    the report cannot be checked at all: :class:`quire.NotReadyError` for
    ``null``, :class:`quire.QuireIOError` for an unreadable file,
    :class:`quire.QuireMemoryError`.
    """
    if isinstance(data, os.PathLike):
        if source is None:
            source = os.fsdecode(os.fspath(data))
        try:
            with open(data, "rb") as f:
                data = f.read()
        except OSError as e:
            raise QuireIOError(-7, "cannot read: %s" % (e.strerror or e),
                               source=source,
                               formatted="%s: cannot read: %s" %
                               (source, e.strerror or e)) from e
    raw, n = _bytes_of(data)
    opts = _ParseOptions(strict, source, max_input, 0, 0, max_diagnostics)
    col = _Collector(source)
    handle = ffi.new_handle(col)
    err = ffi.new("quire_error *")
    rc = lib().quire_validate(raw, n, opts.c, _on_diag, handle, err)
    if col.error is not None:
        raise col.error
    if rc == 0:
        return Validation(True, col.problems)
    failure = from_struct(rc, err)
    reported = any(p.severity == "error" for p in col.problems)
    if rc == ESCHEMA and reported:
        return Validation(False, col.problems)
    if failure.name in ("ENOTREADY", "EIO", "ENOMEM", "EINVAL"):
        raise failure
    col.problems.append(Problem("error", failure.message,
                                failure.path or None, failure.line or None,
                                failure.column or None,
                                failure.source or source, failure.name))
    return Validation(False, col.problems)

