"""Input is read strictly and within bounds: every problem is a finding or a clear exit 2."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import threading
import types
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from greentrade import (
    Citation,
    ConfigError,
    DossierReadError,
    Engine,
    Period,
    Program,
    Rule,
    Severity,
    Status,
    cli,
    hookimpl,
)
from greentrade.io._schemas import validator

CORE = Path(__file__).parents[1] / "data" / "core-dossier.json"
DOSSIER = json.loads(CORE.read_text())
TEXT = json.dumps(DOSSIER, indent=1, ensure_ascii=False)  # ": " and ", " between items, for replacements
CITE = Citation(authority="greentrade test suite", title="Robustness fixture", reference="tests/robustness")


def _cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main([*argv])
    return code, out.getvalue(), err.getvalue()


# -- duplicate keys --------------------------------------------------------------------------------
def test_a_duplicate_key_is_a_finding_at_the_object_that_holds_it():
    text = TEXT.replace('"status": "valid"', '"status": "suspended", "status": "valid"')
    assert text != TEXT
    report = Engine().validate(text)
    [dup] = [f for f in report.findings if f.rule == "GT-SCHEMA-003"]
    assert dup.pointer == "/documents/0"
    assert "'status'" in dup.message
    assert not report.ok and not report.evaluated


def test_a_second_shipments_array_does_not_empty_the_report(tmp_path):
    text = TEXT.rstrip()[:-1] + ', "shipments": []}'
    path = tmp_path / "d.json"
    path.write_text(text)
    code, out, _err = _cli("validate", str(path), "--format", "json")
    assert code == 1
    [dup] = [f for f in json.loads(out)["findings"] if f["rule"] == "GT-SCHEMA-003"]
    assert dup["pointer"] == ""


# -- numbers and text --------------------------------------------------------------------------
@pytest.mark.parametrize(("replacement", "message"), [
    ('"quantity": ' + "9" * 5001, "integer with 5001 digits is too large"),
    ('"quantity": 1e999', "the number 1e999 is too large"),
    ('"quantity": -1E400', "is too large"),
])
def test_huge_numbers_are_a_clear_error_exit_2(tmp_path, replacement, message):
    text = TEXT.replace('"quantity": 200', replacement)
    assert text != TEXT
    with pytest.raises(DossierReadError, match=message):
        Engine().validate(text.encode())
    path = tmp_path / "d.json"
    path.write_text(text)
    code, out, err = _cli("validate", str(path))
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err and len(err) < 300


def test_a_lone_surrogate_is_a_clear_error_in_every_form(tmp_path):
    text = TEXT.replace('"name": "Jiaxing plant"', '"name": "Jiaxing \\ud800 plant"')
    assert text != TEXT
    with pytest.raises(DossierReadError, match="lone surrogate"):
        Engine().validate(text.encode())
    decoded = json.loads(text)
    with pytest.raises(DossierReadError, match="lone surrogate"):
        Engine().validate(decoded)
    with pytest.raises(DossierReadError, match="lone surrogate"):
        Engine().validate(json.dumps(decoded, ensure_ascii=False))  # a str holding the surrogate
    path = tmp_path / "d.json"
    path.write_text(text)
    code, _out, err = _cli("validate", str(path))
    assert code == 2 and "lone surrogate" in err and "/parties/0/sites/0/name" in err
    # A proper pair is a character and stays valid.
    assert Engine().validate(TEXT.replace("Jiaxing plant", "Jiaxing \\ud83c\\udf1e plant").encode()).ok


# -- patterns ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("old", "new"), [
    ('"id": "S1"', '"id": "S1\\n"'),
    ('"country": "CN"', '"country": "CN\\n"'),
    ('"ship_date": "2026-07-10"', '"ship_date": "2026-07-10\\n"'),
])
def test_a_final_newline_does_not_pass_an_anchored_pattern(old, new):
    text = TEXT.replace(old, new, 1)
    assert text != TEXT
    report = Engine().validate(text)
    assert not report.ok
    assert any(f.rule in ("GT-SCHEMA-001", "GT-DATA-001") for f in report.findings)
    # The reference validator agrees with the compiled one on its own.
    assert list(validator("dossier").iter_errors(json.loads(text)))


def test_when_the_validators_disagree_the_input_is_invalid(monkeypatch):
    schema = validator("dossier")
    monkeypatch.setattr(schema, "is_valid", lambda _instance: False)
    report = Engine().validate(DOSSIER)
    assert not report.ok and not report.evaluated
    assert any(f.rule == "GT-SCHEMA-001" and "disagree" in f.message for f in report.findings)


# -- size and file kinds -------------------------------------------------------------------------
def test_input_beyond_the_size_cap_is_exit_2(tmp_path):
    path = tmp_path / "d.json"
    path.write_text(TEXT)
    with pytest.raises(DossierReadError, match="larger than the input limit"):
        Engine(max_input_bytes=100).validate(path)
    with pytest.raises(DossierReadError, match="larger than the input limit"):
        Engine(max_input_bytes=100).validate(TEXT.encode())
    with pytest.raises(DossierReadError, match="larger than the input limit"):
        Engine(max_input_bytes=100).validate(DOSSIER)
    assert Engine(max_input_bytes=len(TEXT.encode())).validate(path).ok
    config = tmp_path / "c.toml"
    config.write_text("[greentrade]\nmax_input_bytes = 100\n")
    code, _out, err = _cli("--config", str(config), "validate", str(path))
    assert code == 2 and "larger than the input limit of 100 bytes" in err
    assert Engine().max_input_bytes == 64 * 1024 * 1024


def _run_cli(*args, stdin=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "greentrade.cli", *args], stdin=stdin, capture_output=True,
                          timeout=timeout, text=True)


def test_stdin_is_read_within_the_cap(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[greentrade]\nmax_input_bytes = 1000\nplugins = []\n")
    result = subprocess.run([sys.executable, "-m", "greentrade.cli", "--config", str(config), "validate", "-"],
                            input=b" " * 5000, capture_output=True, timeout=60)
    assert result.returncode == 2
    assert b"standard input is larger than the input limit" in result.stderr and b"Traceback" not in result.stderr
    # A device on standard input (here /dev/zero, only read) never ends: refused before reading.
    with open("/dev/zero", "rb") as zero:
        result = _run_cli("--config", str(config), "validate", "-", stdin=zero)
    assert result.returncode == 2
    assert "standard input: it is a device" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only: named pipes")
def test_a_fifo_or_a_device_is_refused_not_read(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    result = _run_cli("validate", str(fifo), timeout=30)  # no writer: reading would hang
    assert result.returncode == 2 and "not a regular file" in result.stderr
    with pytest.raises(DossierReadError, match="not a regular file"):
        Engine().validate(Path("/dev/zero"))
    with pytest.raises(DossierReadError, match="not a regular file"):
        Engine().validate(tmp_path)


# -- bounded report ------------------------------------------------------------------------------
def test_findings_per_rule_are_bounded_and_the_rest_counted():
    data = json.loads(TEXT)
    line = data["shipments"][0]["lines"][0]
    data["shipments"][0]["lines"] = [{**line, "id": f"L{i}", "product": f"MISSING-{i}"} for i in range(2500)]
    report = Engine().validate(data)
    dangling = [f for f in report.findings if f.rule == "GT-REF-001"]
    assert len(dangling) == 1000
    [note] = [f for f in report.findings if f.rule == "GT-ENGINE-005"]
    assert note.subject == "GT-REF-001" and note.message.startswith("1500 more finding(s) of rule GT-REF-001")
    assert note.severity is Severity.ERROR  # the left-out findings were errors
    assert not list(validator("report").iter_errors(report.to_dict()))


def test_outcomes_count_findings_left_out_of_the_report():
    program = Program(id="mini", title="Mini", authority="Test", effective=Period(dt.date(2026, 1, 1)),
                      citation=CITE)

    def many(ctx):
        for i in range(1200):  # notes first; the one violation comes last
            yield ctx.note(f"note {i}", ctx.shipment)
        yield ctx.violation("the violation", ctx.shipment)

    rule = Rule(id="MINI-001", title="many", severity=Severity.ERROR, check=many, citation=CITE, program="mini",
                basis="stated")
    ns = types.SimpleNamespace(greentrade_programs=hookimpl(lambda: [program]),
                               greentrade_rules=hookimpl(lambda: [rule]))
    engine = Engine()
    engine.register(ns, name="mini")
    report = engine.validate(DOSSIER)
    assert report.status("mini", "S1") is Status.NOT_ELIGIBLE
    assert len(report.findings_for(rule="MINI-001")) == 1000
    assert any(f.rule == "GT-ENGINE-005" and f.subject == "MINI-001" and f.message.startswith("201 more")
               for f in report.findings)


# -- configuration -------------------------------------------------------------------------------
def test_a_deeply_nested_toml_is_a_clear_error(tmp_path):
    config = tmp_path / "deep.toml"
    config.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ConfigError, match=r"nested too deeply|not valid TOML"):
        Engine(config=config)
    code, _out, err = _cli("--config", str(config), "plugins")
    assert code == 2 and "Traceback" not in err


def test_a_deeply_nested_mapping_is_a_clear_error():
    deep: dict = {}
    node = deep
    for _ in range(100_000):
        node["x"] = {}
        node = node["x"]
    with pytest.raises(ConfigError, match="nested too deeply"):
        Engine(config={"reference": deep})


def test_as_of_in_the_configuration_is_applied(tmp_path):
    report = Engine(config={"greentrade": {"as_of": "2026-08-01"}}).validate(DOSSIER)
    assert report.as_of == dt.date(2026, 8, 1)
    assert Engine(config={"greentrade": {"as_of": "2026-08-01"}}).validate(
        DOSSIER, as_of=dt.date(2026, 9, 1)).as_of == dt.date(2026, 9, 1)
    config = tmp_path / "c.toml"
    config.write_text("[greentrade]\nas_of = 2026-08-01\nplugins = []\n")
    path = tmp_path / "d.json"
    path.write_text(TEXT)
    code, out, _err = _cli("--config", str(config), "validate", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["as_of"] == "2026-08-01"
    with pytest.raises(ConfigError, match="as_of"):
        Engine(config={"greentrade": {"as_of": "2026-02-30"}})


def test_error_messages_do_not_echo_huge_values(tmp_path):
    huge = "x" * 5_000_000
    for config in ({"greentrade": {"unknown_keys": huge}}, {"greentrade": {"plugins": huge}}, {huge: 1}):
        with pytest.raises(ConfigError) as info:
            Engine(config=config)
        assert len(str(info.value)) < 1000
    path = tmp_path / "c.toml"
    path.write_text(f'[greentrade]\nunknown_keys = "{huge}"\n')
    code, _out, err = _cli("--config", str(path), "plugins")
    assert code == 2 and len(err) < 1000
    report = Engine().validate(TEXT.replace('"country": "CN"', f'"country": "{huge}"', 1))
    assert all(len(f.message) < 1000 for f in report.findings)


def test_threads_share_one_engine_with_the_budget_in_force():
    engine = Engine()
    results = []
    threads = [threading.Thread(target=lambda: results.append(engine.validate(DOSSIER).to_json())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1 and len(results) == 4
