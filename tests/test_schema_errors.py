"""Invalid input is explained where the compiled validator says it fails: the errors must be
exactly those of the reference validator run on the whole instance."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from greentrade.io import _schemas

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = json.loads((ROOT / "examples" / "zhejiang-solar-portfolio.json").read_text())
CORE = json.loads((ROOT / "tests" / "data" / "core-dossier.json").read_text())
WEIRD: list[Any] = [None, 1, -3, 1.5, "x", "", True, [], {}, [1], {"a": 1}, "2026-13-40", "CNXXX", "ZZ"]


def _nodes(d: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, d
    if isinstance(d, dict):
        for k, x in d.items():
            yield from _nodes(x, (*path, k))
    elif isinstance(d, list):
        for i, x in enumerate(d):
            yield from _nodes(x, (*path, i))


def _mutate(d: Any, rng: random.Random) -> Any:
    d = copy.deepcopy(d)
    for _ in range(rng.randint(1, 4)):
        path, node = rng.choice(list(_nodes(d)))
        op = rng.random()
        if not path:
            if op < 0.5:
                d["extra_top"] = 1
            else:
                d.pop("format", None)
            continue
        parent = d
        for p in path[:-1]:
            parent = parent[p]
        if op < 0.5:
            parent[path[-1]] = rng.choice(WEIRD)
        elif op < 0.7 and isinstance(node, dict):
            node[f"unknown_{rng.randint(0, 9)}"] = 1
        elif op < 0.85 and isinstance(parent, dict):
            parent.pop(path[-1])
        elif isinstance(node, list):
            node.clear()
        else:
            parent[path[-1]] = rng.choice(WEIRD)
    return d


def _key(e: Any) -> tuple[Any, ...]:
    schema_keys = tuple(sorted(e.schema)) if isinstance(e.schema, dict) else e.schema
    return (tuple(map(str, e.absolute_path)), e.message, e.validator, schema_keys, json.dumps(e.instance))


def _same(v: _schemas.SchemaValidator, instance: Any) -> None:
    full = sorted(map(_key, v._reference.iter_errors(instance)))
    located = sorted(map(_key, v.iter_errors(instance)))
    assert located == full


@pytest.mark.parametrize("seed", range(3))
def test_located_errors_equal_the_reference_errors_on_mutated_dossiers(seed: int):
    v = _schemas.validator("dossier")
    rng = random.Random(seed)
    checked = 0
    for _ in range(60):
        d = _mutate(rng.choice([EXAMPLE, CORE]), rng)
        if not v.is_valid(d):
            _same(v, d)
            checked += 1
    assert checked >= 40


def test_deep_and_root_errors_together():
    v = _schemas.validator("dossier")
    d = copy.deepcopy(EXAMPLE)
    d["surprise"] = True
    del d["format"]
    for sh in d["shipments"]:
        for line in sh["lines"]:
            line["hs_code"] = "94-05-41"
    d["products"][0]["specs"][0]["value"] = "sixty"
    paths = [tuple(e.absolute_path) for e in v.iter_errors(d)]
    assert () in paths  # the root object's own keywords, without descending
    assert ("shipments", 0, "lines", 0, "hs_code") in paths
    _same(v, d)


def test_applicators_stop_the_walk_and_fall_back_to_the_whole_instance():
    schema = {
        "$id": "https://example.test/choice.schema.json",
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}},
        "oneOf": [{"required": ["items"]}, {"required": ["other"]}],
    }
    v = _schemas.SchemaValidator(schema)
    bad = {"items": ["a", 1.5, None]}
    _same(v, bad)
    nested = {**schema}
    del nested["oneOf"]
    v = _schemas.SchemaValidator(nested)
    _same(v, bad)
    assert [tuple(e.absolute_path) for e in v.iter_errors(bad)] == [("items", 1), ("items", 2)]
