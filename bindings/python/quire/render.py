"""Rendering documents to text, HTML, PDF and PNG."""

from __future__ import annotations

import os
from typing import (Any, BinaryIO, Callable, Dict, List, Optional,
                    Union)

from . import _cdef
from .document import Document, Source, new_buf, parse, take_buf
from ._handle import Handle
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

    __slots__ = ("on_warning", "sink", "pages", "error")

    def __init__(self, on_warning: Optional[Callable[[str], Any]]) -> None:
        self.on_warning = on_warning
        self.sink: Optional[Callable[[bytes], Any]] = None
        self.pages: List[bytes] = []
        self.error: Optional[BaseException] = None


@ffi.callback("void(const char *, void *)")  # type: ignore[misc]
def _on_warn(message: Any, payload: Any) -> None:
    call = ffi.from_handle(payload)
    cb = call.on_warning
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


def _cstr(keep: List[Any], s: str) -> Any:
    if "\0" in s:
        raise InvalidArgumentError(-3, "option contains a NUL byte")
    c = ffi.new("char[]", s.encode("utf-8"))
    keep.append(c)
    return c


def _render_options(keep: List[Any], *, template: Optional[str],
                    templates_dir: Optional[Union[str, "os.PathLike[str]"]],
                    engine: str, paper: str, dpi: Optional[float],
                    width: Optional[int], color: str, ascii: bool,
                    hyperlinks: bool, max_output: int, body: str) -> Any:
    """A filled quire_render_options (its strings kept alive in keep)."""
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
    if template is not None:
        o.template_name = _cstr(keep, template)
    if templates_dir is not None:
        o.template_dir = _cstr(keep, os.fsdecode(templates_dir))
    o.warn = _on_warn
    return o


def _c_doc(doc: Union[Document, Source]) -> Any:
    """``with _c_doc(doc) as ptr``: the C document of doc, parsing (and
    afterwards freeing) raw input."""
    if isinstance(doc, Document):
        return doc._h.use()
    return _Parsed(parse(doc))


class _Parsed:
    __slots__ = ("_doc", "_use")

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._use = doc._h.use()

    def __enter__(self) -> Any:
        try:
            return self._use.__enter__()
        except BaseException:
            self._doc.close()
            raise

    def __exit__(self, *exc: Any) -> None:
        try:
            self._use.__exit__(*exc)
        finally:
            self._doc.close()


def _finish(rc: int, err: Any, call: _Call) -> None:
    if call.error is not None:
        raise call.error
    if rc != 0:
        raise from_struct(rc, err)


def _per_call(base: Any, handle: Any, page: Optional[int]) -> Any:
    o = ffi.new("quire_render_options *", base[0])
    o.page = int(page or 0)
    o.warn_payload = handle
    return o


class Renderer:
    """A look, built once: libquire's ``quire_renderer``. Building reads
    the templates (every template file compiled, the stylesheets read),
    their themes and the fonts; rendering only reads what was built, so
    one Renderer serves any number of documents from any number of threads
    at once, and a broken template or a wrong directory raises here, not
    on some later render.

    Options (all keyword-only, the same as ``quire render``'s):

    - ``template``: a template name overriding the report's own
      (``sales_playbook``, ``general_report``...; see
      :func:`quire.templates`);
    - ``templates_dir``: a directory of user templates overriding the
      built-in ones file by file (``--templates DIR``); edits to it show
      in Renderers built afterwards;
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

    Raises :class:`quire.InvalidArgumentError` (``templates_dir`` is not a
    directory, a bad option), :class:`quire.NotFoundError` (no such
    template: the message lists them), :class:`quire.TemplateError` (a
    broken template file, with its line and column),
    :class:`quire.UnsupportedError` (an engine this libquire lacks).

    The GIL is released while libquire builds and renders. ``close()`` (or
    a ``with`` block) frees the C renderer once renders in flight end;
    dropping the last reference does too.
    """

    def __init__(self, *, template: Optional[str] = None,
                 templates_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
                 engine: str = "cairo", paper: str = "a4",
                 dpi: Optional[float] = None, width: Optional[int] = None,
                 color: str = "none", ascii: bool = False,
                 hyperlinks: bool = False, max_output: int = 0,
                 body: str = "structured",
                 on_warning: Optional[Callable[[str], Any]] = None) -> None:
        self._keep: List[Any] = []
        # Per-render settings only: the look belongs to the C renderer.
        self._opts = _render_options(
            self._keep, template=None, templates_dir=None, engine=engine,
            paper=paper, dpi=dpi, width=width, color=color, ascii=ascii,
            hyperlinks=hyperlinks, max_output=max_output, body=body)
        ro = ffi.new("quire_renderer_options *")
        ro.version = _cdef.RENDERER_OPTIONS_VERSION
        ro.engine = self._opts.engine
        keep: List[Any] = []
        if template is not None:
            ro.template_name = _cstr(keep, template)
        if templates_dir is not None:
            ro.template_dir = _cstr(keep, os.fsdecode(templates_dir))
        out = ffi.new("quire_renderer **")
        err = ffi.new("quire_error *")
        rc = lib().quire_renderer_new(out, ro, err)
        if rc != 0:
            raise from_struct(rc, err)
        self._h = Handle(out[0], lib().quire_renderer_free, "Renderer")
        self.template = template
        self.templates_dir = templates_dir
        self.engine = engine
        self.paper = paper
        self.dpi = dpi
        self.width = width
        self.color = color
        self.body = body
        self.on_warning = on_warning

    def close(self) -> None:
        """Frees the C renderer once no render is using it. Idempotent;
        rendering with a closed Renderer raises ValueError."""
        self._h.close()

    @property
    def closed(self) -> bool:
        return self._h.closed

    def __enter__(self) -> "Renderer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def render(self, doc: Union[Document, Source], format: str = "html", *,
               page: Optional[int] = None) -> bytes:
        """Renders ``doc`` (a :class:`Document`, or report JSON / a path,
        parsed tolerantly first) and returns the bytes of the ``format``:
        ``text``, ``html``, ``pdf`` or ``png`` (``page`` picks the 1-based
        PNG page). Raises :class:`quire.UnsupportedError` for a format or
        engine this libquire was built without, :class:`quire.TooBigError`.
        """
        fmt = _choice("format", format, _cdef.FORMATS)
        call = _Call(self.on_warning)
        handle = ffi.new_handle(call)
        opts = _per_call(self._opts, handle, page)
        buf = new_buf()
        err = ffi.new("quire_error *")
        with self._h.use() as r, _c_doc(doc) as p:
            rc = lib().quire_renderer_render_buf(buf, r, p, fmt, opts, err)
        if rc != 0 or call.error is not None:
            lib().quire_buf_dispose(buf)
            _finish(rc, err, call)
        return take_buf(buf)

    def render_to(self, out: Union[str, "os.PathLike[str]", BinaryIO,
                                   Callable[[bytes], Any]],
                  doc: Union[Document, Source], format: Optional[str] = None,
                  *, page: Optional[int] = None) -> None:
        """Renders straight to ``out`` instead of returning bytes.

        ``out`` is a path (written atomically: a temporary file in the same
        directory, renamed over the path on success, removed on failure;
        ``format`` defaults to the extension; a FIFO or a device is written
        directly), a binary file object (its ``write``), or a callable
        taking each chunk of bytes as libquire produces it (stream a large
        PDF to an HTTP response). An exception from the stream stops the
        render and is raised here.
        """
        call = _Call(self.on_warning)
        handle = ffi.new_handle(call)
        opts = _per_call(self._opts, handle, page)
        err = ffi.new("quire_error *")
        if isinstance(out, (str, os.PathLike)):
            fmt = _choice("format", format or format_for_path(out),
                          _cdef.FORMATS)
            path = os.fsencode(out)
            if b"\0" in path:
                raise InvalidArgumentError(-3, "path contains a NUL byte")
            with self._h.use() as r, _c_doc(doc) as p:
                atom = ffi.new("quire_atomic **")
                rc = lib().quire_atomic_open(atom, path, err)
                if rc != 0:
                    raise from_struct(rc, err)
                sink = lib().quire_atomic_sink(atom[0])
                rc = lib().quire_renderer_render(r, p, fmt, opts, sink, err)
            if rc != 0:
                lib().quire_atomic_abort(atom[0])
                _finish(rc, err, call)
            rc = lib().quire_atomic_commit(atom[0], err)
            _finish(rc, err, call)
            return
        if format is None:
            raise InvalidArgumentError(-3, "format= is needed for a stream")
        fmt = _choice("format", format, _cdef.FORMATS)
        write = getattr(out, "write", None)
        target = write if write is not None else out
        if not callable(target):
            raise TypeError("out must be a path, a binary file or a callable")
        call.sink = target
        csink = ffi.new("quire_sink *")
        csink.write = _on_write
        csink.payload = handle
        with self._h.use() as r, _c_doc(doc) as p:
            rc = lib().quire_renderer_render(r, p, fmt, opts, csink[0], err)
        _finish(rc, err, call)

    def page_count(self, doc: Union[Document, Source]) -> int:
        """How many pages ``doc`` lays out to (PDF and PNG) with this look."""
        call = _Call(self.on_warning)
        handle = ffi.new_handle(call)
        opts = _per_call(self._opts, handle, None)
        out = ffi.new("int *")
        err = ffi.new("quire_error *")
        with self._h.use() as r, _c_doc(doc) as p:
            rc = lib().quire_renderer_page_count(out, r, p, opts, err)
        _finish(rc, err, call)
        return int(out[0])

    def render_pages(self, doc: Union[Document, Source], first: int = 1,
                     last: Optional[int] = None) -> List[bytes]:
        """PNG images of pages ``first``..``last`` (1-based, inclusive;
        ``last=None`` is the last page) from one layout: much cheaper than
        one ``render(..., "png", page=n)`` per page. A range outside the
        document raises :class:`quire.InvalidArgumentError`."""
        call = _Call(self.on_warning)
        handle = ffi.new_handle(call)
        opts = _per_call(self._opts, handle, None)
        err = ffi.new("quire_error *")
        with self._h.use() as r, _c_doc(doc) as p:
            rc = lib().quire_renderer_png_pages(r, p, opts, int(first),
                                                int(last or 0), _on_page,
                                                handle, err)
        _finish(rc, err, call)
        return call.pages

    def __repr__(self) -> str:
        return "<quire.Renderer template=%r engine=%s paper=%s%s>" % (
            self.template, self.engine, self.paper,
            " closed" if self.closed else "")


def render(data: Union[Document, Source], format: str = "html", *,
           page: Optional[int] = None, template: Optional[str] = None,
           templates_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
           engine: str = "cairo", paper: str = "a4",
           dpi: Optional[float] = None, width: Optional[int] = None,
           color: str = "none", ascii: bool = False, hyperlinks: bool = False,
           max_output: int = 0, body: str = "structured",
           on_warning: Optional[Callable[[str], Any]] = None) -> bytes:
    """Parses (tolerantly) and renders in one call, through libquire's
    simple ``quire_render_buf`` (its built-in looks are built once per
    process; a ``templates_dir`` is read on every call):
    ``quire.render(json, "pdf", template="general_report")``. The options
    are :class:`Renderer`'s. For many reports with one look, above all
    with a ``templates_dir``, build a :class:`Renderer` once and reuse
    it."""
    fmt = _choice("format", format, _cdef.FORMATS)
    keep: List[Any] = []
    base = _render_options(keep, template=template,
                           templates_dir=templates_dir, engine=engine,
                           paper=paper, dpi=dpi, width=width, color=color,
                           ascii=ascii, hyperlinks=hyperlinks,
                           max_output=max_output, body=body)
    call = _Call(on_warning)
    handle = ffi.new_handle(call)
    opts = _per_call(base, handle, page)
    buf = new_buf()
    err = ffi.new("quire_error *")
    with _c_doc(data) as p:
        rc = lib().quire_render_buf(buf, p, fmt, opts, err)
    if rc != 0 or call.error is not None:
        lib().quire_buf_dispose(buf)
        _finish(rc, err, call)
    return take_buf(buf)
