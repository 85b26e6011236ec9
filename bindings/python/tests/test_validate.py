"""Validation, tolerant and strict, agrees with `quire validate`."""

import json
import pathlib

import pytest

import quire
from conftest import SAMPLES, run_cli, sample


def test_every_sample_agrees_with_the_cli():
    for path in SAMPLES:
        for strict in (False, True):
            v = quire.validate(pathlib.Path(path), strict=strict)
            args = ["validate"] + (["--strict"] if strict else []) + [path]
            code, out, _ = run_cli(*args)
            assert v.valid == (code == 0), (path, strict)
            assert bool(v) == v.valid
            # One CLI line per problem, in the same order, same text.
            assert [str(p) for p in v.problems] == \
                out.decode().splitlines(), (path, strict)


def test_problems_carry_paths():
    v = quire.validate(pathlib.Path(sample("v2/hiring_report.json")),
                       strict=True)
    assert not v.valid
    assert [p.path for p in v.errors] == ["$.output.template", "$.json.template"]
    assert all(p.severity == "error" and p.code == "ESCHEMA" for p in v.errors)
    assert v.warnings == []
    assert quire.validate(pathlib.Path(sample("v2/hiring_report.json"))).valid


def test_tolerant_warnings_strict_errors():
    raw = json.loads(pathlib.Path(sample("v2/sales_playbook.json")).read_text())
    # An empty phrase breaks the contract (minLength 1); a phrase count
    # other than three is only quire's concern, a warning in both modes.
    raw["json"]["sections"][0]["phrases"] = ["", "two", "three"]
    raw["extra_key"] = 1
    text = json.dumps(raw)
    tolerant = quire.validate(text)
    assert tolerant.valid
    assert any(p.path == "$.extra_key" for p in tolerant.warnings)
    strict = quire.validate(text, strict=True, source="r.json")
    assert not strict.valid
    paths = [p.path for p in strict.errors]
    assert "$.json.sections[0].phrases[0]" in paths, paths
    assert all(p.source == "r.json" for p in strict.problems)


def test_syntax_error_is_one_problem_with_a_place(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"id": "x",\n "json": [1, 2,, 3]}')
    v = quire.validate(bad)
    assert not v.valid
    [p] = v.problems
    assert (p.line, p.column, p.code) == (2, 16, "ESYNTAX")
    _, _, err = run_cli("validate", str(bad))
    assert err.decode().splitlines()[0] == "quire: " + str(p)
    v = quire.validate("[]")
    assert not v.valid and v.problems[0].path == "$"


def test_cannot_check_raises():
    with pytest.raises(quire.NotReadyError):
        quire.validate("null")
    with pytest.raises(quire.QuireIOError) as e:
        quire.validate(pathlib.Path("/nonexistent/report.json"))
    assert str(e.value).startswith("/nonexistent/report.json: cannot read: ")


def test_diagnostic_cap():
    raw = json.loads(pathlib.Path(sample("v2/sales_playbook.json")).read_text())
    for i in range(50):
        raw["unknown_%d" % i] = i
    v = quire.validate(json.dumps(raw), max_diagnostics=5)
    assert len(v.problems) <= 5
