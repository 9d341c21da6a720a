"""Every JSON example in docs/ is valid as printed: dossiers load without data findings, reports,
buyer profiles and rule cases match their schemas, and the plugin tutorial's data files match the
schema the tutorial gives for them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from greentrade import Engine, Severity
from greentrade.io._schemas import validator

DOCS = Path(__file__).resolve().parent.parent / "docs"
_BLOCK = re.compile(r"(?:<!-- file: (?P<file>[^ ]+) -->\n[^\n]*\n\n)?```json\n(?P<body>.*?)```", re.S)


def _blocks() -> list[tuple[str, str | None, str]]:
    out = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text("utf-8")
        for m in _BLOCK.finditer(text):
            line = text.count("\n", 0, m.start("body")) + 1
            out.append((f"{page.name}:{line}", m.group("file"), m.group("body")))
    return out


BLOCKS = _blocks()


def _tutorial_schema(file: str) -> dict[str, Any] | None:
    """The schema block the tutorial gives for a data file (`x.json` -> `x.schema.json`)."""
    wanted = file.removesuffix(".json") + ".schema.json"
    for _where, name, body in BLOCKS:
        if name == wanted:
            schema: dict[str, Any] = json.loads(body)
            return schema
    return None


def test_there_are_examples_to_check() -> None:
    pages = {where.split(":")[0] for where, _f, _b in BLOCKS}
    assert {"dossier.md", "report.md", "buyer-profiles.md", "testing.md", "plugin-tutorial.md"} <= pages


@pytest.mark.parametrize("where, file, body", BLOCKS, ids=[b[0] for b in BLOCKS])
def test_json_example_is_valid_as_printed(where: str, file: str | None, body: str) -> None:
    data = json.loads(body)  # every block is JSON as printed
    assert isinstance(data, dict), where
    if data.get("format") in ("greentrade.dossier/1", "greentrade.dossier/2"):
        engine = Engine()
        engine.load_entry_points()
        report = engine.validate(body.encode())
        problems = [f"{f.rule} {f.pointer}: {f.message}" for f in report.findings
                    if f.rule.startswith("GT-") and f.severity is not Severity.INFO]
        assert report.evaluated and not problems, (where, problems)
    elif "report_format" in data:
        errors = [e.message for e in validator("report").iter_errors(data)]
        assert not errors, (where, errors)
    elif "buyer_type" in data:
        errors = [e.message for e in validator("buyer-profile").iter_errors(data)]
        assert not errors, (where, errors)
    elif ("case" in data and "expect" in data) or "cases" in data:  # a rule case, or a file of several
        for entry in data.get("cases", []):  # each with the file's defaults
            merged = {k: v for k, v in data.items() if k != "cases"} | entry
            assert not list(validator("rule-case").iter_errors(merged)), (where, entry)
        errors = [e.message for e in validator("rule-case").iter_errors(data)]
        assert not errors, (where, errors)
    elif "request_id" in data and "duration_ms" in data:  # the service's access log (docs/server.md)
        assert {"time", "request_id", "method", "path", "status", "duration_ms"} <= set(data), where
        assert "dossier" not in data and "body" not in data, where
    elif "request_id" in data and "input_sha256" in data:  # the service's decision log (docs/server.md)
        assert {"time", "request_id", "path", "input_sha256", "as_of", "greentrade_version", "plugins",
                "evaluated", "findings", "outcomes"} <= set(data), where
        assert "dossier" not in data and "body" not in data, where
        assert all(set(v) <= {"eligible", "not_eligible", "undetermined", "not_applicable"}
                   for v in data["outcomes"].values()), where
    elif str(data.get("type", "")).startswith("https://greentrade.dev/problems/"):  # RFC 9457 problem
        assert isinstance(data.get("title"), str) and isinstance(data.get("status"), int), where
    elif str(data.get("$schema", "")).startswith("https://json-schema.org/"):
        jsonschema.Draft202012Validator.check_schema(data)
    elif file is not None and (schema := _tutorial_schema(file)) is not None:
        from greentrade.io._schemas import SchemaValidator

        errors = [e.message for e in SchemaValidator(schema).iter_errors(data)]
        assert not errors, (where, errors)
    else:
        pytest.fail(f"{where}: no schema known for this JSON example; teach this test which one applies")
