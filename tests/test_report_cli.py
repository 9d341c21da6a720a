"""The report contract and the command line."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from greentrade import Engine
from greentrade.cli import main
from greentrade.io._schemas import SchemaValidator, schema

DATA = Path(__file__).parent / "data" / "core-dossier.json"


def report_validator():
    return SchemaValidator(schema("report"))


def test_report_json_validates_against_the_schema():
    for source in [DATA.read_bytes(), b'{"format": "greentrade.dossier/1", "parties": [{"id": 1}]}']:
        data = json.loads(Engine().validate(source).to_json())
        errors = list(report_validator().iter_errors(data))
        assert not errors, errors
        assert set(data) >= {"outcomes", "findings", "counts", "input_sha256", "as_of", "plugins"}


def test_all_schemas_are_valid_2020_12():
    from greentrade.io._schemas import schema_names

    for name in schema_names():
        jsonschema.Draft202012Validator.check_schema(schema(name))
        assert schema(name)["$id"].startswith("https://greentrade.dev/schemas/v1/")


def test_validate_exit_codes(tmp_path, capsys):
    assert main(["validate", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "Findings: 0 error(s)" in out

    bad = tmp_path / "bad.json"
    bad.write_text(DATA.read_text().replace('"CN"', '"XX"', 1))
    assert main(["validate", str(bad), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["findings"][-1]["rule"] == "GT-DATA-001"

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ')
    assert main(["validate", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"greentrade: {broken}: not valid JSON: line 1, column 12") and err.count("\n") == 1

    assert main(["validate", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_validate_output_file_and_as_of(tmp_path, capsys):
    out = tmp_path / "report.json"
    assert main(["validate", str(DATA), "--format", "json", "--as-of", "2026-07-01", "--output", str(out)]) == 0
    assert json.loads(out.read_text())["as_of"] == "2026-07-01"
    with pytest.raises(SystemExit) as exc:
        main(["validate", str(DATA), "--as-of", "2026-02-30"])
    assert exc.value.code == 4  # a usage error
    assert "not a calendar date" in capsys.readouterr().err


def test_bad_config_is_exit_2(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[nonsense]\n")
    assert main(["--config", str(cfg), "validate", str(DATA)]) == 2
    assert "configuration error" in capsys.readouterr().err


def test_listing_commands(capsys):
    assert main(["rules"]) == 0
    assert "GT-SCHEMA-001" in capsys.readouterr().out
    assert main(["plugins"]) == 0
    assert main(["categories"]) == 0
    assert "solar-street-light" in capsys.readouterr().out
    assert main(["schema", "dossier"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "greentrade dossier"
    assert main(["standards"]) == 0


def test_console_script_runs():
    proc = subprocess.run([sys.executable, "-m", "greentrade.cli", "schema", "report"], capture_output=True, text=True)
    assert proc.returncode == 0 and '"report_format"' in proc.stdout


def test_same_input_gives_the_same_bytes():
    a = Engine().validate(DATA.read_bytes()).to_json()
    b = Engine().validate(DATA).to_json()
    assert a == b
