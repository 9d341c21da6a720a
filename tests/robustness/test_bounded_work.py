"""Bounded work per input (#21 item 5): the schema explanation stops after the per-rule cap, the
compiled validator finds the failing parts, and a huge key is never echoed.

No timed test: the bound is checked by counting the work (errors built), and a child process runs
the largest input under a memory limit (its time-out only guards against a hang).
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from greentrade import Engine, cli
from greentrade.io._load import EXPLAIN_LIMIT
from greentrade.io._schemas import SchemaValidator

ROOT = Path(__file__).resolve().parents[2]
CORE = json.loads((ROOT / "tests" / "data" / "core-dossier.json").read_text())


def _parties(n: int) -> bytes:
    return json.dumps({**CORE, "parties": [{}] * n}).encode()


def test_the_schema_explanation_builds_a_bounded_number_of_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    built = 0
    real = jsonschema.exceptions.ValidationError.__init__

    def counting(self: Any, *a: Any, **kw: Any) -> None:
        nonlocal built
        built += 1
        real(self, *a, **kw)

    monkeypatch.setattr(jsonschema.exceptions.ValidationError, "__init__", counting)
    report = Engine().validate(_parties(100_000))  # 300,000 errors in all
    assert not report.evaluated and not report.ok
    [left_out] = [f for f in report.findings if f.rule == "GT-ENGINE-005"]
    assert left_out.message.startswith(f"at least {EXPLAIN_LIMIT - 1000} more finding(s) of rule GT-SCHEMA-001")
    assert built <= 2 * EXPLAIN_LIMIT  # the explanation stopped; the rest was never built


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.parametrize("command", [["validate", "--format", "json"], ["migrate"]])
def test_a_million_empty_parties_are_bounded_in_memory(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "parties.json"
    path.write_bytes(_parties(1_000_000))  # 4 MB
    result = subprocess.run([sys.executable, "-m", "greentrade.cli", command[0], str(path), *command[1:]],
                            capture_output=True, text=True, timeout=300, preexec_fn=_limited)
    assert result.returncode == 1, result.stderr[-2000:]
    if command[0] == "validate":
        report = json.loads(result.stdout)
        assert any(f["rule"] == "GT-ENGINE-005" and f["message"].startswith("at least") for f in report["findings"])
    else:
        assert "not a valid format-1 dossier" in result.stderr and result.stderr.count("\n") <= 22


def test_errors_are_those_of_the_reference_validator_below_the_bound() -> None:
    schema = {"$id": "https://example.test/list.schema.json", "type": "object",
              "properties": {"xs": {"type": "array", "items": {"type": "object", "required": ["id"]}}}}
    v = SchemaValidator(schema)
    bad = {"xs": [{"id": 1}, {}, {"id": 2}, {}]}
    located = sorted((tuple(e.absolute_path), e.message) for e in v.iter_errors(bad))
    full = sorted((tuple(e.absolute_path), e.message) for e in v._reference.iter_errors(bad))
    assert located == full == [(("xs", 1), "'id' is a required property"), (("xs", 3), "'id' is a required property")]


def test_unique_items_keeps_json_equality() -> None:
    v = SchemaValidator({"type": "array", "uniqueItems": True})
    assert not v._reference.is_valid([{"a": 1}, {"a": 1.0}])  # 1 and 1.0 are the same JSON number
    assert v._reference.is_valid([True, 1, {"a": [1]}, {"a": [True]}])  # true is not 1
    assert v._reference.is_valid([{"k": i} for i in range(20_000)])  # linear: no pairwise comparison


def test_a_huge_unknown_key_is_not_echoed(tmp_path: Path) -> None:
    key = "k" * 10_000_000
    path = tmp_path / "big-key.json"
    path.write_text(json.dumps({**CORE, key: 1}))
    report = Engine().validate(path)
    [f] = [f for f in report.findings if f.rule == "GT-SCHEMA-002"]
    assert len(f.message) < 1000 and "(10000000 characters)" in f.message and f.pointer == ""
    assert len(report.to_json()) < 100_000
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["validate", str(path)])
    assert code == 1 and len(out.getvalue()) < 100_000


def test_many_unknown_keys_are_counted_not_all_built() -> None:
    data = {**CORE, **{f"x{i}": 1 for i in range(50_000)}}
    report = Engine().validate(data)
    unknown = [f for f in report.findings if f.rule == "GT-SCHEMA-002"]
    assert len(unknown) == 1000
    [left_out] = [f for f in report.findings if f.rule == "GT-ENGINE-005"]
    assert left_out.message.startswith("49000 more finding(s) of rule GT-SCHEMA-002")
