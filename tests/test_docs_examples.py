"""Every JSON example in docs/ is valid as printed: dossiers load without data findings, reports,
buyer profiles and rule cases match their schemas, and the plugin tutorial's data files match the
schema the tutorial gives for them."""

from __future__ import annotations

import json
import re
import textwrap
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


# -- Python and shell examples (#23) ---------------------------------------------------------------------
# Every ```python and ```sh block of README.md and docs/*.md runs, in a sandbox folder that holds what
# the examples name (examples/, plugins/, a dossier.json, a greentrade.toml, an exports/ folder).
# Python blocks run in-process (each in a fresh namespace); in shell blocks each `greentrade` command
# runs (exit 0 or 1: a usage error or unreadable input fails), every other line (pip, python3 tasks.py,
# curl, eval) is checked for syntax only, as installing or serving is not a test's business. A block
# that cannot run as printed says why in a marker on the line above it:
# <!-- doc-test: skip REASON -->. The plugin tutorial's file blocks (<!-- file: PATH -->) are run by
# tests/test_plugin_tutorial.py.
ROOT = DOCS.parent
_CODE = re.compile(r"(?:<!-- (?P<mark>[^>]*?) -->\n(?:[^\n]*\n\n)?)?"
                   r"(?P<indent> *)```(?P<lang>python|sh)\n(?P<body>.*?)```", re.S)
_PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def _code_blocks() -> list[tuple[str, str, str, str]]:
    out = []
    for page in _PAGES:
        text = page.read_text("utf-8")
        for m in _CODE.finditer(text):
            line = text.count("\n", 0, m.start("body")) + 1
            body = textwrap.dedent(m.group("body")) if m.group("indent") else m.group("body")  # in a list item
            out.append((f"{page.name}:{line}", m.group("lang"), m.group("mark") or "", body))
    return out


CODE = _code_blocks()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    box = tmp_path_factory.mktemp("doc-examples")
    for name in ("examples", "plugins", "tests", "docs", "schemas"):
        (box / name).symlink_to(ROOT / name)
    example = ROOT / "examples" / "zhejiang-solar-portfolio.json"
    for name in ("dossier.json", "DOSSIER.json", "a.json", "b.json", "c.json"):
        shutil.copy(example, box / name)
    shutil.copy(ROOT / "examples" / "greentrade.toml", box / "greentrade.toml")
    (box / "exports" / "2026-06").mkdir(parents=True)
    for i in range(3):
        shutil.copy(example, box / "exports" / "2026-06" / f"dossier-{i}.json")
    return box


def _commands(body: str) -> list[str]:
    """The command lines of a shell block: `$ ` lines of a transcript, else every line (continuations joined)."""
    lines = body.replace("\\\n", " ").splitlines()
    if any(line.startswith("$ ") for line in lines):
        lines = [line[2:] for line in lines if line.startswith("$ ")]
    return [line.split(" #", 1)[0].strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_there_are_code_examples_everywhere() -> None:
    pages = {where.split(":")[0] for where, *_ in CODE}
    assert {"README.md", "cli.md", "hooks.md", "testing.md", "scale.md"} <= pages
    for where, _lang, mark, _body in CODE:
        if mark.startswith("doc-test: skip"):
            assert len(mark.removeprefix("doc-test: skip").strip()) > 10, f"{where}: say why it cannot run"


@pytest.mark.parametrize("where, lang, mark, body", CODE, ids=[c[0] for c in CODE])
def test_code_example_runs(where: str, lang: str, mark: str, body: str, sandbox: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import subprocess
    import sys

    if mark.startswith("file: "):
        pytest.skip("a file of the plugin tutorial: tests/test_plugin_tutorial.py builds and runs it")
    if mark.startswith("doc-test: skip"):
        pytest.skip(mark.removeprefix("doc-test: skip").strip())
    monkeypatch.chdir(sandbox)
    if lang == "python":
        exec(compile(body, where, "exec"), {"__name__": "__doc_example__"})  # our own docs, as printed
        return
    commands = _commands(body)
    syntax = subprocess.run(["bash", "-n"], input="\n".join(commands), text=True, capture_output=True)
    assert syntax.returncode == 0, (where, syntax.stderr)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("GREENTRADE_CONFIG", None)
    for command in commands:
        if not command.startswith("greentrade ") or "serve" in command.split():
            continue  # installing, serving, fetching: not run by a test
        proc = subprocess.run(["bash", "-c", command], cwd=sandbox, env=env, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode in (0, 1), (where, command, proc.returncode, proc.stderr[-2000:])
