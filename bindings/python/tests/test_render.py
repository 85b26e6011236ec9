"""Rendering: every sample to every format, every option, the CLI's bytes."""

import os
import pathlib
import struct
import subprocess

import pytest

import quire
from conftest import SAMPLES, has, pdf_engine, run_cli, sample, supported

SALES = sample("v2/sales_playbook.json")
MAGIC = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "html": b"<!DOCTYPE html>"}


def png_size(data: bytes):
    assert data[:8] == MAGIC["png"]
    return struct.unpack(">II", data[16:24])


def test_every_sample_to_every_format():
    r = quire.Renderer(engine=pdf_engine())
    for path in SAMPLES:
        doc = quire.parse_file(path)
        title_word = doc.title.split()[0]
        for fmt in ("text", "html", "pdf", "png"):
            if not supported(fmt, pdf_engine()):
                with pytest.raises(quire.UnsupportedError):
                    r.render(doc, fmt)
                continue
            out = r.render(doc, fmt)
            assert out, (path, fmt)
            if fmt in MAGIC:
                assert out.startswith(MAGIC[fmt]), (path, fmt)
            if fmt == "text":
                assert title_word in out.decode(), path


def test_same_bytes_as_the_cli(tmp_path):
    """The binding passes options exactly as `quire render` does."""
    cases = [("text", ["--width", "60"], {"width": 60}),
             ("html", ["--template", "general_report"],
              {"template": "general_report"}),
             ("text", ["--ascii", "--width", "50"], {"ascii": True, "width": 50})]
    if has("haru"):
        cases.append(("pdf", ["--pdf-engine", "haru", "--paper", "letter"],
                      {"engine": "haru", "paper": "letter"}))
    if has("cairo"):
        cases.append(("png", ["--dpi", "48"], {"dpi": 48}))
    for fmt, args, opts in cases:
        out = tmp_path / ("cli." + ("txt" if fmt == "text" else fmt))
        code, _, err = run_cli("render", "-q", "-f", fmt, *args, "-o",
                               str(out), SALES)
        assert code == 0, err
        mine = quire.render(pathlib.Path(SALES), fmt, **opts)
        if fmt == "pdf":  # the creation date differs; the size must not
            assert abs(len(mine) - out.stat().st_size) < 64
        else:
            assert mine == out.read_bytes(), (fmt, args)


def test_text_width_and_color():
    doc = quire.parse_file(SALES)
    narrow = quire.Renderer(width=40).render(doc, "text").decode()
    assert max(len(line) for line in narrow.splitlines()) <= 40 * 4
    assert all(quire.ffi is not None for _ in [0])
    wide = quire.Renderer(width=120).render(doc, "text").decode()
    assert len(narrow.splitlines()) > len(wide.splitlines())
    plain = quire.Renderer().render(doc, "text")
    colour = quire.Renderer(color="256").render(doc, "text")
    assert b"\x1b[" not in plain and b"\x1b[" in colour
    with pytest.raises(quire.InvalidArgumentError):
        quire.Renderer(color="pink")


def test_templates_and_templates_dir(tmp_path):
    doc = quire.parse_file(SALES)
    own = quire.Renderer().render(doc, "html")
    general = quire.Renderer(template="general_report").render(doc, "html")
    assert own != general
    # An unknown template is QUIRE_ENOTFOUND (quire.h), raised when the
    # Renderer is built, and by the simple call.
    with pytest.raises(quire.NotFoundError) as e:
        quire.Renderer(template="no_such_template")
    assert e.value.code == -13
    assert "sales_playbook" in str(e.value)  # the message lists the names
    with pytest.raises(quire.NotFoundError):
        quire.render(doc, "html", template="no_such_template")
    with pytest.raises(quire.InvalidArgumentError):
        quire.Renderer(templates_dir=tmp_path / "missing")
    # A user templates directory overrides built-in files one by one.
    d = tmp_path / "tpl" / "default"
    d.mkdir(parents=True)
    (d / "style.css").write_text("/* quire-binding-test-marker */\n")
    mine = quire.Renderer(templates_dir=tmp_path / "tpl").render(doc, "html")
    assert b"quire-binding-test-marker" in mine
    assert quire.render(doc, "html", templates_dir=tmp_path / "tpl") == mine
    (d / "layout.mustache").write_text("{{#broken}}\n")
    with pytest.raises(quire.TemplateError) as e:
        quire.Renderer(templates_dir=str(tmp_path / "tpl"))
    assert "layout.mustache" in str(e.value)


def test_renderer_is_built_once(tmp_path):
    """A Renderer's look is read and compiled when it is built: editing
    the templates afterwards changes new Renderers, never a built one (no
    render reads a template file), and a broken partial that no report
    has used yet still fails the build."""
    doc = quire.parse_file(SALES)
    d = tmp_path / "tpl" / "default"
    d.mkdir(parents=True)
    (d / "extra.css").write_text(".first-look {}\n")
    r = quire.Renderer(templates_dir=tmp_path / "tpl")
    assert b".first-look" in r.render(doc, "html")
    (d / "extra.css").write_text(".second-look {}\n")
    again = r.render(doc, "html")
    assert b".first-look" in again and b".second-look" not in again
    assert b".second-look" in quire.Renderer(
        templates_dir=tmp_path / "tpl").render(doc, "html")
    (d / "partials").mkdir()
    (d / "partials" / "unused.mustache").write_text("x\n{{#open}}\n")
    with pytest.raises(quire.TemplateError) as e:
        quire.Renderer(templates_dir=tmp_path / "tpl")
    assert e.value.line == 3 and "unused.mustache" in str(e.value)
    # The built one keeps rendering with what it read.
    assert r.render(doc, "html") == again


def test_renderer_close_and_context():
    doc = quire.parse_file(SALES)
    with quire.Renderer() as r:
        assert r.render(doc, "text") == quire.render(doc, "text")
        assert not r.closed
    assert r.closed
    with pytest.raises(ValueError):
        r.render(doc, "text")
    r.close()  # idempotent
    assert "closed" in repr(r)


def test_png_pages_dpi_and_page_count():
    doc = quire.parse_file(SALES)
    r = quire.Renderer()
    n = r.page_count(doc)
    if not has("cairo"):  # make PDF=haru: no PNG, and it says so
        assert n >= 2
        with pytest.raises(quire.UnsupportedError):
            r.render(doc, "png")
        with pytest.raises(quire.UnsupportedError):
            r.render_pages(doc)
        return
    assert n >= 2
    pages = r.render_pages(doc)
    assert len(pages) == n
    for i, png in enumerate(pages, 1):
        assert png == r.render(doc, "png", page=i)
    assert r.render_pages(doc, 2, 2) == [pages[1]]
    w96, h96 = png_size(pages[0])
    w48, _ = png_size(quire.Renderer(dpi=48).render(doc, "png"))
    assert abs(w48 * 2 - w96) <= 2
    letter_w, letter_h = png_size(quire.Renderer(paper="letter").render(doc, "png"))
    assert (letter_w, letter_h) != (w96, h96)
    with pytest.raises(quire.InvalidArgumentError) as e:
        r.render_pages(doc, n + 1)
    assert str(n) in str(e.value)


def test_pdf_engines_and_paper(tmp_path):
    doc = quire.parse_file(SALES)
    for engine in ("cairo", "haru"):
        if not supported("pdf", engine):
            with pytest.raises(quire.UnsupportedError):
                quire.Renderer(engine=engine).render(doc, "pdf")
            continue
        for paper, size in (("a4", "595"), ("letter", "612")):
            pdf = quire.Renderer(engine=engine, paper=paper).render(doc, "pdf")
            f = tmp_path / ("%s-%s.pdf" % (engine, paper))
            f.write_bytes(pdf)
            info = subprocess.run(["pdfinfo", str(f)], capture_output=True,
                                  text=True, check=True).stdout
            assert "Page size:       " + size in info, (engine, paper, info)
            text = subprocess.run(["pdftotext", str(f), "-"],
                                  capture_output=True, text=True).stdout
            assert "Marguerite" in text


def test_body_structured_markdown_or_both():
    doc = quire.parse_file(SALES)
    md = "Renewal and expansion call with Routewise"

    def text(**kw):
        return quire.Renderer(**kw).render(doc, "text").decode()

    assert md not in text()
    assert md not in text(body="structured")
    assert md in text(body="markdown")
    assert "Step 1" not in text(body="markdown")
    both = text(body="both")
    assert md in both and "Step 1" in both
    with pytest.raises(quire.InvalidArgumentError):
        quire.Renderer(body="all")


def test_render_to_file_is_atomic(tmp_path):
    doc = quire.parse_file(SALES)
    r = quire.Renderer()
    out = tmp_path / "report.html"
    r.render_to(out, doc)
    assert out.read_bytes() == r.render(doc, "html")
    r.render_to(str(tmp_path / "r.txt"), doc)
    assert (tmp_path / "r.txt").read_bytes() == r.render(doc, "text")
    # A failing render leaves the existing file untouched and no temporary.
    out.write_text("keep me")
    with pytest.raises(quire.TooBigError):
        quire.Renderer(max_output=100).render_to(out, doc)
    assert out.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt", "report.html"]
    with pytest.raises(quire.InvalidArgumentError):
        r.render_to(tmp_path / "report.docx", doc)
    with pytest.raises(quire.QuireIOError):
        r.render_to(tmp_path / "no" / "dir.html", doc)


def test_render_to_stream_and_callable(tmp_path):
    doc = quire.parse_file(SALES)
    r = quire.Renderer(engine=pdf_engine())
    chunks = []
    r.render_to(chunks.append, doc, "pdf")
    assert b"".join(chunks) == r.render(doc, "pdf")[:0] + b"".join(chunks)
    assert b"".join(chunks).startswith(b"%PDF-")
    with open(tmp_path / "x.html", "wb") as f:
        r.render_to(f, doc, "html")
    assert (tmp_path / "x.html").read_bytes() == r.render(doc, "html")

    def boom(_chunk):
        raise RuntimeError("client went away")
    with pytest.raises(RuntimeError, match="client went away"):
        r.render_to(boom, doc, "html")
    with pytest.raises(quire.InvalidArgumentError):
        r.render_to(chunks.append, doc)  # no format for a stream


def test_render_raw_json_and_module_function():
    raw = pathlib.Path(SALES).read_bytes()
    assert quire.render(raw, "text") == quire.parse(raw).render("text")
    assert quire.render(pathlib.Path(SALES), "html", template="general_report") \
        == quire.Renderer(template="general_report").render(quire.parse(raw))


def test_output_cap_and_bad_format():
    doc = quire.parse_file(SALES)
    with pytest.raises(quire.TooBigError):
        quire.Renderer(max_output=1000).render(doc, "html")
    with pytest.raises(quire.InvalidArgumentError):
        quire.Renderer().render(doc, "docx")
    with pytest.raises(quire.InvalidArgumentError):
        quire.Renderer(engine="gs")
    assert quire.format_for_path("a/b.PDF") == "pdf"


def test_warning_callback():
    """A glyph no font has is a warning, handed to on_warning."""
    doc = quire.parse(open(SALES, encoding="utf-8").read().replace(
        "Marguerite", "Marguerite \U0001F9FF\U000E0001\U0001D400"))
    seen = []
    quire.Renderer(engine=pdf_engine(), on_warning=seen.append).render(doc, "pdf")
    assert all(isinstance(m, str) and m for m in seen)

    def boom(_m):
        raise RuntimeError("listener failed")
    if seen:
        with pytest.raises(RuntimeError, match="listener failed"):
            quire.Renderer(engine=pdf_engine(), on_warning=boom).render(doc, "pdf")


def test_env_is_not_required_for_render():
    assert os.environ.get("QUIRE_LIBRARY")
