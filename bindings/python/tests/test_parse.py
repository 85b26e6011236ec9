"""Parsing: every input form, every error's fields, the document's data."""

import json
import pathlib

import pytest

import quire
from conftest import SAMPLES, run_cli, sample

SALES = sample("v2/sales_playbook.json")


def test_bytes_str_path_and_buffers_agree():
    raw = pathlib.Path(SALES).read_bytes()
    docs = [quire.parse(raw), quire.parse(raw.decode()),
            quire.parse(pathlib.Path(SALES)), quire.parse_file(SALES),
            quire.parse(bytearray(raw)), quire.parse(memoryview(raw))]
    dumps = {d.dump() for d in docs}
    assert len(dumps) == 1
    assert docs[2].source == SALES and docs[3].source == SALES
    assert docs[0].source is None


def test_every_sample_parses_with_its_metadata():
    for path in SAMPLES:
        doc = quire.parse(pathlib.Path(path))
        assert doc.title, path
        assert doc.shape in ("v2", "sections", "markdown", "sdk", "node",
                             "matching", "empty"), path
        code, out, _ = run_cli("inspect", path)
        if code == 0:  # the CLI's dump is the library's
            assert out.decode() .strip() == doc.dump().strip(), path


def test_metadata_of_a_v2_report():
    doc = quire.parse_file(SALES)
    raw = json.loads(pathlib.Path(SALES).read_text())
    assert doc.id == raw["id"]
    assert doc.template == "sales_playbook"
    assert doc.title.startswith("Sales playbook: ")
    assert doc.shape == "v2"
    assert doc.job_id == raw.get("jobId")
    assert doc.markdown and doc.markdown.startswith(raw["markdown"][:20])
    facts = doc.facts
    assert facts and all(f.group in ("metrics", "provenance", "meta", "usage",
                                     "subject", "extra") for f in facts)
    assert doc.warnings == []
    assert "quire.Document v2" in repr(doc)


def test_tolerant_warnings_carry_paths():
    raw = json.loads(pathlib.Path(SALES).read_text())
    raw["surprise"] = {"x": 1}
    doc = quire.parse(json.dumps(raw))
    paths = [w.path for w in doc.warnings]
    assert any(p and p.startswith("$.surprise") for p in paths), paths
    assert all(w.severity == "warning" for w in doc.warnings)
    with pytest.raises(quire.SchemaError) as e:
        quire.parse(json.dumps(raw), strict=True, source="r.json")
    assert e.value.path.startswith("$.surprise")
    assert e.value.code == -5 and e.value.name == "ESCHEMA"
    assert str(e.value).startswith("r.json: $.surprise")


def test_syntax_error_has_line_and_column():
    with pytest.raises(quire.JSONSyntaxError) as e:
        quire.parse(b'{\n  "id": "x",\n  oops\n}', source="in.json")
    err = e.value
    assert (err.line, err.column) == (3, 6)  # jansson: end of the token
    assert err.source == "in.json"
    assert str(err).startswith("in.json:3:6: ")
    assert isinstance(err, ValueError) and isinstance(err, quire.QuireError)
    assert quire.error_class(-4) is quire.JSONSyntaxError


def test_shape_errors_and_not_ready():
    with pytest.raises(quire.SchemaError) as e:
        quire.parse("[]")
    assert e.value.path == "$"
    with pytest.raises(quire.NotReadyError):
        quire.parse("null")
    with pytest.raises(quire.JSONSyntaxError):
        quire.parse(b"\xff\xfe not utf-8")


def test_limits():
    raw = pathlib.Path(SALES).read_bytes()
    with pytest.raises(quire.TooBigError):
        quire.parse(raw, max_input=100)
    with pytest.raises(TypeError):
        quire.parse(12)  # type: ignore[arg-type]


def test_file_errors(tmp_path):
    with pytest.raises(quire.QuireIOError) as e:
        quire.parse_file(tmp_path / "missing.json")
    assert "missing.json" in str(e.value)
    with pytest.raises(quire.QuireIOError):
        quire.parse(tmp_path)  # a directory
    with pytest.raises(ValueError):
        quire.parse_file("a\0b")


def test_closed_document_refuses_use():
    doc = quire.parse_file(SALES)
    with doc:
        assert doc.title
    assert doc.closed
    with pytest.raises(ValueError, match="closed"):
        doc.title
    with pytest.raises(ValueError, match="closed"):
        doc.render("html")
    doc.close()  # idempotent
    assert "closed" in repr(doc)
