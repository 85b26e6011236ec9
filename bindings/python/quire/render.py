"""Rendering documents to text, HTML, PDF and PNG."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import (Any, BinaryIO, Callable, Dict, Iterator, List, Optional,
                    Union)

from . import _cdef
from .document import Document, Source, new_buf, parse, take_buf
from ._native import ffi, lib
from .errors import InvalidArgumentError, from_struct

FORMATS = tuple(_cdef.FORMATS)
_EXT = {".txt": "text", ".html": "html", ".htm": "html", ".pdf": "pdf",
        ".png": "png"}


def _choice(name: str, value: str, table: Dict[str, int]) -> int:
    try:
        return int(table[value])
    except (KeyError, TypeError):
        raise InvalidArgumentError(
            -3, "%s must be one of %s, not %r" %
            (name, ", ".join(str(k) for k in table), value))


def format_for_path(path: Union[str, "os.PathLike[str]"]) -> str:
    """The format an output file name asks for (``.pdf`` -> ``pdf``)."""
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext not in _EXT:
        raise InvalidArgumentError(
            -3, "cannot tell the format from %r: use .txt, .html, .pdf or "
            ".png, or pass format=" % os.fspath(path))
    return _EXT[ext]


class _Call:
    """What one render call shares with the C callbacks it passes."""

    __slots__ = ("renderer", "sink", "pages", "error")

    def __init__(self, renderer: "Renderer") -> None:
        self.renderer = renderer
        self.sink: Optional[Callable[[bytes], Any]] = None
        self.pages: List[bytes] = []
        self.error: Optional[BaseException] = None


@ffi.callback("void(const char *, void *)")  # type: ignore[misc]
def _on_warn(message: Any, payload: Any) -> None:
    call = ffi.from_handle(payload)
    cb = call.renderer.on_warning
    if cb is None or call.error is not None:
        return
    try:
        cb(ffi.string(message).decode("utf-8", "replace"))
    except BaseException as e:  # never unwind through C; raised after
        call.error = e


@ffi.callback("int(void *, const void *, size_t)", error=-7)  # type: ignore[misc]
def _on_write(payload: Any, data: Any, n: int) -> int:
    call = ffi.from_handle(payload)
    try:
        call.sink(ffi.buffer(data, n)[:])
        return 0
    except BaseException as e:
        call.error = e
        return -7  # QUIRE_EIO: the sink failed, the render stops


@ffi.callback("int(int, int, const char *, size_t, void *)", error=-7)  # type: ignore[misc]
def _on_page(page: int, count: int, png: Any, n: int, payload: Any) -> int:
    call = ffi.from_handle(payload)
    try:
        call.pages.append(ffi.buffer(png, n)[:])
        return 0
    except BaseException as e:
        call.error = e
        return -2


class Renderer:
    """A look (template, templates directory, engine, paper, sizes) that
    renders any number of documents, from any number of threads.

    Options (all keyword-only, the same as ``quire render``'s):

    - ``template``: a template name overriding the report's own
      (``sales_playbook``, ``general_report``...; see
      :func:`quire.templates`);
    - ``templates_dir``: a directory of user templates overriding the
      built-in ones file by file (``--templates DIR``);
    - ``engine``: PDF engine, ``"cairo"`` (default) or ``"haru"``;
    - ``paper``: ``"a4"`` (default) or ``"letter"`` (PDF, PNG);
    - ``dpi``: PNG resolution (default 96);
    - ``width``: text columns (default 80);
    - ``color``: text colour depth, ``"none"`` (default), ``"16"``,
      ``"256"`` or ``"truecolor"``; ``ascii``: ASCII borders and bullets;
      ``hyperlinks``: OSC 8 links in coloured text;
    - ``max_output``: cap on output bytes (0 = libquire's 256 MiB);
    - ``body``: for a report that carries both a structured body and
      markdown, which is shown: ``"structured"`` (default),
      ``"markdown"`` or ``"both"`` (``--body``);
    - ``on_warning``: called with each non-fatal rendering problem (a glyph
      no font has), on the rendering thread.

    A Renderer is immutable once built, so one instance can serve every
    thread of a worker. The GIL is released while libquire renders.
    """

    def __init__(self, *, template: Optional[str] = None,
                 templates_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
                 engine: str = "cairo", paper: str = "a4",
                 dpi: Optional[float] = None, width: Optional[int] = None,
                 color: str = "none", ascii: bool = False,
                 hyperlinks: bool = False, max_output: int = 0,
                 body: str = "structured",
                 on_warning: Optional[Callable[[str], Any]] = None) -> None:
        o = ffi.new("quire_render_options *")
        o.version = _cdef.RENDER_OPTIONS_VERSION
        o.flags = ((_cdef.RENDER_ASCII if ascii else 0) |
                   (_cdef.RENDER_HYPERLINKS if hyperlinks else 0))
        o.width = int(width or 0)
        o.color = _choice("color", color, _cdef.COLORS)
        o.paper = _choice("paper", paper, _cdef.PAPERS)
        o.engine = _choice("engine", engine, _cdef.ENGINES)
        o.dpi = float(dpi or 0)
        o.max_output = max_output
        o.body = _choice("body", body, _cdef.BODIES)
        self._keep: List[Any] = []
        if template is not None:
            o.template_name = self._cstr(template)
        if templates_dir is not None:
            o.template_dir = self._cstr(os.fsdecode(templates_dir))
        o.warn = _on_warn
        self._opts = o
        self.template = template
        self.templates_dir = templates_dir
        self.engine = engine
        self.paper = paper
        self.dpi = dpi
        self.width = width
        self.color = color
        self.body = body
        self.on_warning = on_warning

    def _cstr(self, s: str) -> Any:
        if "\0" in s:
            raise InvalidArgumentError(-3, "option contains a NUL byte")
        c = ffi.new("char[]", s.encode("utf-8"))
        self._keep.append(c)
        return c

    def _options(self, handle: Any, page: Optional[int]) -> Any:
        o = ffi.new("quire_render_options *", self._opts[0])
        o.page = int(page or 0)
        o.warn_payload = handle
        return o

    @staticmethod
    @contextmanager
    def _doc(doc: Union[Document, Source]) -> Iterator[Any]:
        """The C document of doc, parsing (and afterwards freeing) raw
        input."""
        if isinstance(doc, Document):
            with doc._h.use() as p:
                yield p
            return
        d = parse(doc)
        try:
            with d._h.use() as p:
                yield p
        finally:
            d.close()

    def _finish(self, rc: int, err: Any, call: _Call) -> None:
        if call.error is not None:
            raise call.error
        if rc != 0:
            raise from_struct(rc, err)

    def render(self, doc: Union[Document, Source], format: str = "html", *,
               page: Optional[int] = None) -> bytes:
        """Renders ``doc`` (a :class:`Document`, or report JSON / a path,
        parsed tolerantly first) and returns the bytes of the ``format``:
        ``text``, ``html``, ``pdf`` or ``png`` (``page`` picks the 1-based
        PNG page). Raises :class:`quire.UnsupportedError` for a format or
        engine this libquire was built without,
        :class:`quire.TemplateError` (a broken user template),
        :class:`quire.InvalidArgumentError` (no such template: the message
        lists them), :class:`quire.TooBigError`."""
        fmt = _choice("format", format, _cdef.FORMATS)
        call = _Call(self)
        handle = ffi.new_handle(call)
        opts = self._options(handle, page)
        buf = new_buf()
        err = ffi.new("quire_error *")
        with self._doc(doc) as p:
            rc = lib().quire_render_buf(buf, p, fmt, opts, err)
        if rc != 0 or call.error is not None:
            lib().quire_buf_dispose(buf)
            self._finish(rc, err, call)
        return take_buf(buf)

    def render_to(self, out: Union[str, "os.PathLike[str]", BinaryIO,
                                   Callable[[bytes], Any]],
                  doc: Union[Document, Source], format: Optional[str] = None,
                  *, page: Optional[int] = None) -> None:
        """Renders straight to ``out`` instead of returning bytes.

        ``out`` is a path (written atomically: a temporary file in the same
        directory, renamed over the path on success, removed on failure;
        ``format`` defaults to the extension), a binary file object (its
        ``write``), or a callable taking each chunk of bytes as libquire
        produces it (stream a large PDF to an HTTP response). An exception
        from the stream stops the render and is raised here.
        """
        call = _Call(self)
        handle = ffi.new_handle(call)
        opts = self._options(handle, page)
        err = ffi.new("quire_error *")
        if isinstance(out, (str, os.PathLike)):
            fmt = _choice("format", format or format_for_path(out),
                          _cdef.FORMATS)
            path = os.fsencode(out)
            if b"\0" in path:
                raise InvalidArgumentError(-3, "path contains a NUL byte")
            atom = ffi.new("quire_atomic **")
            rc = lib().quire_atomic_open(atom, path, err)
            if rc != 0:
                raise from_struct(rc, err)
            sink = lib().quire_atomic_sink(atom[0])
            with self._doc(doc) as p:
                rc = lib().quire_render(p, fmt, opts, sink, err)
            if rc != 0:
                lib().quire_atomic_abort(atom[0])
                self._finish(rc, err, call)
            rc = lib().quire_atomic_commit(atom[0], err)
            self._finish(rc, err, call)
            return
        if format is None:
            raise InvalidArgumentError(-3, "format= is needed for a stream")
        fmt = _choice("format", format, _cdef.FORMATS)
        write = getattr(out, "write", None)
        target = write if write is not None else out
        if not callable(target):
            raise TypeError("out must be a path, a binary file or a callable")
        call.sink = target
        sink = ffi.new("quire_sink *")
        sink.write = _on_write
        sink.payload = handle
        with self._doc(doc) as p:
            rc = lib().quire_render(p, fmt, opts, sink[0], err)
        self._finish(rc, err, call)

    def page_count(self, doc: Union[Document, Source]) -> int:
        """How many pages ``doc`` lays out to (PDF and PNG) with this look."""
        call = _Call(self)
        handle = ffi.new_handle(call)
        opts = self._options(handle, None)
        out = ffi.new("int *")
        err = ffi.new("quire_error *")
        with self._doc(doc) as p:
            rc = lib().quire_render_page_count(out, p, opts, err)
        self._finish(rc, err, call)
        return int(out[0])

    def render_pages(self, doc: Union[Document, Source], first: int = 1,
                     last: Optional[int] = None) -> List[bytes]:
        """PNG images of pages ``first``..``last`` (1-based, inclusive;
        ``last=None`` is the last page) from one layout: much cheaper than
        one ``render(..., "png", page=n)`` per page. A range outside the
        document raises :class:`quire.InvalidArgumentError`."""
        call = _Call(self)
        handle = ffi.new_handle(call)
        opts = self._options(handle, None)
        err = ffi.new("quire_error *")
        with self._doc(doc) as p:
            rc = lib().quire_render_png_pages(p, opts, int(first),
                                              int(last or 0), _on_page,
                                              handle, err)
        self._finish(rc, err, call)
        return call.pages

    def __repr__(self) -> str:
        return "<quire.Renderer template=%r engine=%s paper=%s>" % (
            self.template, self.engine, self.paper)


def render(data: Union[Document, Source], format: str = "html", *,
           page: Optional[int] = None, **options: Any) -> bytes:
    """Parses (tolerantly) and renders in one call: ``quire.render(json,
    "pdf", template="general_report")``. For many reports with one look,
    build a :class:`Renderer` once and reuse it."""
    return Renderer(**options).render(data, format, page=page)

