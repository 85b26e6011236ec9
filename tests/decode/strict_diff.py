#!/usr/bin/env python3
"""Differential test: `quire validate --strict` against python3-jsonschema.

For each report schema quire judges by (schemas/v2-report, v1-sections-report,
matching-report) it generates payloads with a fixed seed: valid ones built
from the schema itself, the same mutated (keys dropped or added, values of
the wrong type, emptied, out of range, consts and enums changed), and the
samples mutated. Each payload is judged by quire (one batch of the CLI) and
by jsonschema's Draft 2020-12 validator against the schema of its shape,
chosen by quire's rule (lib/decode/shape.c: matching by its template or
schemaVersion 1, else v2 with v1 as the alternative unless only legacy
keys are there); a valid primary or alternative schema makes it valid. Any
disagreement is a failure: --strict is the contract, exactly.

    strict_diff.py QUIRE OUTDIR [N]   (N payloads per schema, default 500)
Prints "N passed, N failed" last.
"""
import copy
import glob
import json
import os
import random
import subprocess
import sys

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMAS = {
    "v2": "schemas/v2-report.schema.json",
    "v1": "schemas/v1-sections-report.schema.json",
    "matching": "schemas/matching-report.schema.json",
}
SAMPLES = {
    "v2": ["samples/v2/*.json", "samples/normalized/*.json",
           "samples/node-era/*.json", "samples/intl/*.json"],
    "v1": ["samples/legacy/*.json", "samples/long/*.json"],
    "matching": ["samples/matching/*.json"],
}
# Values people and hostile reports actually send, for mutations.
ODD_VALUES = [None, 0, 1, -1, 2, 5, 1.5, 1e300, "", " ", "2", "sunset",
              "javascript:alert(1)", "ftp://x", "https://example.com/a",
              "matching", "text", "card", [], [""], ["a", "b"],
              ["a", "b", "c", "d"], {}, {"x": 1}, True, False,
              "2024-01-01T00:00:00Z", "20x6-03-04"]
WORDS = ["alpha", "Beta", "gamma delta", "ünïcode", "日本語", "x", "**bold**",
         "[link](https://example.com)", "line\nbreak", "a" * 40]


class Gen:
    """Builds an instance that the schema most likely accepts."""

    def __init__(self, schema, rnd):
        self.root = schema
        self.rnd = rnd

    def resolve(self, s):
        while isinstance(s, dict) and "$ref" in s:
            ref = s["$ref"]
            assert ref.startswith("#"), ref
            node = self.root
            for part in ref[2:].split("/") if len(ref) > 1 else []:
                node = node[part.replace("~1", "/").replace("~0", "~")]
            s = node
        return s

    def gen(self, s, depth=0):
        s = self.resolve(s)
        r = self.rnd
        if s is True or s == {}:
            return r.choice(["free", 1, {"k": "v"}, [1, 2]])
        if s is False:
            return None
        if "const" in s:
            return copy.deepcopy(s["const"])
        if "enum" in s:
            return copy.deepcopy(r.choice(s["enum"]))
        for key in ("anyOf", "oneOf"):
            if key in s:
                return self.gen(r.choice(s[key]), depth + 1)
        if "allOf" in s:
            out = {}
            for sub in s["allOf"]:
                v = self.gen(sub, depth + 1)
                if isinstance(v, dict):
                    out.update(v)
            return out
        t = s.get("type")
        if isinstance(t, list):
            t = r.choice(t)
        if t is None:
            t = "object" if "properties" in s else "string"
        if t == "object":
            out = {}
            req = s.get("required", [])
            for k, sub in s.get("properties", {}).items():
                if k in req or (depth < 6 and r.random() < 0.6):
                    out[k] = self.gen(sub, depth + 1)
            for k in req:
                if k not in out:
                    out[k] = "x"
            return out
        if t == "array":
            out = [self.gen(p, depth + 1) for p in s.get("prefixItems", [])]
            items = s.get("items")
            lo = s.get("minItems", 0)
            hi = s.get("maxItems", max(lo, 3))
            n = r.randint(lo, max(lo, min(hi, lo + 3))) if depth < 6 else lo
            while len(out) < n and items is not False:
                out.append(self.gen(items if items is not None else {}, depth + 1))
            return out
        if t == "string":
            lo = s.get("minLength", 0)
            w = r.choice(WORDS)
            if "format" in s and r.random() < 0.7:
                w = r.choice(["https://example.com/r/1", "http://a.b/c"])
            while len(w) < lo:
                w += "x"
            if "maxLength" in s:
                w = w[: s["maxLength"]]
            return w
        if t in ("integer", "number"):
            lo = s.get("minimum", s.get("exclusiveMinimum", -5))
            hi = s.get("maximum", s.get("exclusiveMaximum", 100))
            lo, hi = int(lo), int(min(hi, lo + 1000))
            v = r.randint(lo, max(lo, hi))
            if "exclusiveMinimum" in s and v <= s["exclusiveMinimum"]:
                v = int(s["exclusiveMinimum"]) + 1
            if t == "number" and r.random() < 0.3:
                v = v + 0.5 if v + 0.5 <= hi else v
            return v
        if t == "boolean":
            return r.random() < 0.5
        if t == "null":
            return None
        return "x"


def paths(v, here=()):
    """Every place in v: (container path, key or index)."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield here, k
            yield from paths(x, here + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield here, i
            yield from paths(x, here + (i,))


def at(v, path):
    for p in path:
        v = v[p]
    return v


def mutate(doc, rnd):
    places = list(paths(doc))
    if not places:
        return doc
    parent_path, key = rnd.choice(places)
    parent = at(doc, parent_path)
    op = rnd.randrange(7)
    if op == 0 and isinstance(parent, dict):
        del parent[key]
    elif op == 1 and isinstance(parent, dict):
        parent[rnd.choice(["extra", "surprise", "type", "kind", "id", "label",
                           "variant", "columns", "phrases"])] = rnd.choice(ODD_VALUES)
    elif op == 2 and isinstance(parent, list):
        if rnd.random() < 0.5:
            del parent[key]
        else:
            parent.append(copy.deepcopy(parent[key]))
    elif op == 3:
        v = parent[key]
        if isinstance(v, str):
            parent[key] = rnd.choice(["", v + "x", v.upper(), "sunset", "javascript:x"])
        elif isinstance(v, bool):
            parent[key] = not v
        elif isinstance(v, (int, float)):
            parent[key] = rnd.choice([0, -1, v + 1, 1.5, 5, 3, 2])
        else:
            parent[key] = copy.deepcopy(rnd.choice(ODD_VALUES))
    else:
        parent[key] = copy.deepcopy(rnd.choice(ODD_VALUES))
    return doc


def shape_schemas(doc):
    """quire's rule (lib/decode/shape.c): the schema of a report's shape,
    and the alternative also accepted."""
    if not isinstance(doc, dict):
        return "v2", "v1"
    output = doc.get("output") if isinstance(doc.get("output"), dict) else None
    payload, from_output = doc.get("json"), False
    if payload is None and output is not None and output.get("json") is not None:
        payload, from_output = output.get("json"), True

    def is_str(o, k, want):
        return isinstance(o, dict) and isinstance(o.get(k), str) and o[k] == want

    ver = payload.get("schemaVersion") if isinstance(payload, dict) else None
    if (is_str(output, "template", "matching")
            or (isinstance(ver, (int, float)) and not isinstance(ver, bool) and ver == 1)
            or is_str(payload, "template", "matching")):
        return "matching", None
    legacy = any(k in doc for k in ("sections", "metrics", "raw", "summary",
                                    "pdfUrl", "reportUrl"))
    if (payload is not None and not from_output) or not legacy:
        return "v2", "v1"
    return "v1", None


def main():
    quire, outdir = sys.argv[1], sys.argv[2]
    per = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    os.chdir(ROOT)
    os.makedirs(outdir, exist_ok=True)
    schemas = {k: json.load(open(p)) for k, p in SCHEMAS.items()}
    validators = {k: jsonschema.Draft202012Validator(s) for k, s in schemas.items()}
    rnd = random.Random(20261203)
    files, verdicts, counts = [], {}, {}
    for name in SCHEMAS:
        seeds = []
        for pat in SAMPLES[name]:
            for f in sorted(glob.glob(pat)):
                seeds.append(json.load(open(f)))
        gen = Gen(schemas[name], rnd)
        made = 0
        while made < per:
            kind = rnd.random()
            if kind < 0.35:
                doc = gen.gen(schemas[name])
            elif kind < 0.7 or not seeds:
                doc = mutate(gen.gen(schemas[name]), rnd)
                for _ in range(rnd.randrange(3)):
                    doc = mutate(doc, rnd)
            else:
                doc = copy.deepcopy(rnd.choice(seeds))
                for _ in range(rnd.randrange(4)):
                    doc = mutate(doc, rnd)
            if doc is None:
                continue
            path = os.path.join(outdir, "%s_%04d.json" % (name, made))
            with open(path, "w") as fp:
                json.dump(doc, fp, ensure_ascii=False)
            primary, alt = shape_schemas(doc)
            ok = validators[primary].is_valid(doc) or (
                alt is not None and validators[alt].is_valid(doc))
            verdicts[path] = ok
            counts[(name, ok)] = counts.get((name, ok), 0) + 1
            files.append(path)
            made += 1
    bad = set()
    for i in range(0, len(files), 200):
        chunk = files[i:i + 200]
        r = subprocess.run([quire, "validate", "--strict", "--quiet"] + chunk,
                           capture_output=True, text=True)
        for line in (r.stdout + "\n" + r.stderr).splitlines():
            if line.startswith("quire: "):
                line = line[len("quire: "):]
            name = line.split(":", 1)[0]
            if name in verdicts:
                bad.add(name)
    passed = failed = 0
    for path in files:
        quire_ok = path not in bad
        if quire_ok == verdicts[path]:
            passed += 1
        else:
            failed += 1
            print("not ok %s: quire says %s, jsonschema says %s" % (
                path, "valid" if quire_ok else "invalid",
                "valid" if verdicts[path] else "invalid"))
    print("# quire --strict: %d of %d invalid" % (len(bad), len(files)))
    for name in SCHEMAS:
        print("# %s: %d valid, %d invalid by jsonschema" % (
            name, counts.get((name, True), 0), counts.get((name, False), 0)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
