"""IAF MLA versus ILAC MRA (#19): format 2 states an accreditation's arrangement, format 1's flag
reads as "IAF MLA", a mark that does not fit the standard is a data finding (GT-DATA-002) and is
not counted, and the migration does not carry a category error into format 2."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from greentrade import Engine
from greentrade.io._migrate import migrate
from greentrade.model import Accreditation, StandardDesignator, arrangement_for, structure

ROOT = Path(__file__).resolve().parents[1]


def _data_findings(report):
    return [f for f in report.findings if f.rule.startswith(("GT-DATA", "GT-SCHEMA", "GT-REF"))]


def _dossier(fmt: str, standard: str, mark: object) -> dict:
    acc = {"accreditation_body": "ab", "standard": standard, "valid_from": "2024-01-01",
           "valid_until": "2030-01-01", "number": "CNAS L0001", "scope": "testing"}
    if fmt == "greentrade.dossier/1":
        acc["iaf_mla_signatory"] = mark
    elif mark is not None:
        acc["arrangement"] = mark
    return {"format": fmt, "parties": [
        {"id": "lab", "name": "Lab", "country": "CN", "roles": ["certification-body"], "accreditations": [acc]},
        {"id": "ab", "name": "CNAS", "country": "CN", "roles": ["accreditation-body"]},
    ]}


@pytest.mark.parametrize(("standard", "expected"), [
    ("ISO/IEC 17025:2017", "ILAC MRA"), ("ISO/IEC 17020:2012", "ILAC MRA"),
    ("ISO/IEC 17065:2012", "IAF MLA"), ("ISO/IEC 17021-1:2015", "IAF MLA"),
    ("ISO/IEC 17029:2019", "IAF MLA"), ("ISO 14065:2020", "IAF MLA"), ("ISO 14065", "IAF MLA"),
    ("ISO 14067:2018", None),
])
def test_arrangement_per_standard(standard, expected):
    assert arrangement_for(StandardDesignator.parse(standard)) == expected


@pytest.mark.parametrize(("fmt", "standard", "mark", "key", "recognised"), [
    ("greentrade.dossier/2", "ISO/IEC 17025:2017", "IAF MLA", "arrangement", False),
    ("greentrade.dossier/2", "ISO/IEC 17020:2012", "IAF MLA", "arrangement", False),
    ("greentrade.dossier/2", "ISO 14065:2020", "ILAC MRA", "arrangement", False),
    ("greentrade.dossier/1", "ISO/IEC 17025:2017", True, "iaf_mla_signatory", False),
])
def test_a_mark_that_does_not_fit_the_standard_is_a_data_finding(fmt, standard, mark, key, recognised):
    data = _dossier(fmt, standard, mark)
    report = Engine().validate(data)
    found = [f for f in report.findings if f.rule == "GT-DATA-002"]
    assert [(f.severity.value, f.pointer, f.subject) for f in found] == [
        ("warning", f"/parties/0/accreditations/0/{key}", "lab")]
    assert "not counted" in found[0].message and standard in found[0].message
    assert report.evaluated  # a warning: the rules still run
    acc = structure(data).parties[0].accreditations[0]
    assert acc.recognised is recognised and acc.arrangement_mismatch


@pytest.mark.parametrize(("fmt", "standard", "mark"), [
    ("greentrade.dossier/2", "ISO/IEC 17025:2017", "ILAC MRA"),
    ("greentrade.dossier/2", "ISO/IEC 17065:2012", "IAF MLA"),
    ("greentrade.dossier/1", "ISO 14065:2020", True),
])
def test_a_fitting_mark_is_recognised(fmt, standard, mark):
    data = _dossier(fmt, standard, mark)
    assert not _data_findings(Engine().validate(data))
    acc = structure(data).parties[0].accreditations[0]
    assert acc.recognised and acc.iaf_mla_signatory  # the deprecated alias follows `recognised`


def test_unstated_arrangement_is_not_recognised():
    acc = structure(_dossier("greentrade.dossier/2", "ISO/IEC 17025:2017", None)).parties[0].accreditations[0]
    assert acc.arrangement is None and not acc.recognised and not acc.arrangement_mismatch


def test_format2_reads_the_deprecated_flag_but_not_both():
    """0.2.0's format 2 required iaf_mla_signatory: still read (deprecated), never with arrangement."""
    old = _dossier("greentrade.dossier/1", "ISO/IEC 17065:2012", True)
    old["format"] = "greentrade.dossier/2"
    assert not _data_findings(Engine().validate(old))
    assert structure(old).parties[0].accreditations[0].arrangement == "IAF MLA"
    data = _dossier("greentrade.dossier/2", "ISO/IEC 17025:2017", "ILAC MRA")
    data["parties"][0]["accreditations"][0]["iaf_mla_signatory"] = True
    assert ("GT-SCHEMA-001", "/parties/0/accreditations/0") in {
        (f.rule, f.pointer) for f in Engine().validate(data).findings}
    bad = _dossier("greentrade.dossier/2", "ISO/IEC 17025:2017", "ILAC")
    assert "GT-SCHEMA-001" in {f.rule for f in Engine().validate(bad).findings}
    with pytest.raises(Exception, match="either arrangement or iaf_mla_signatory"):
        structure({**data["parties"][0]["accreditations"][0], "arrangement": "ILAC MRA"}, Accreditation)


@pytest.mark.parametrize(("standard", "flag", "arrangement", "noted"), [
    ("ISO/IEC 17025:2017", True, None, True),  # category error: not carried over, not guessed
    ("ISO/IEC 17020:2012", True, None, True),
    ("ISO/IEC 17025:2017", False, None, False),
    ("ISO/IEC 17065:2012", True, "IAF MLA", False),
    ("ISO/IEC 17021-1:2015", False, None, False),
    ("ISO 14065:2020", True, "IAF MLA", False),
])
def test_migration_maps_the_flag_per_standard(standard, flag, arrangement, noted):
    notes: list[str] = []
    out = migrate(_dossier("greentrade.dossier/1", standard, flag), notes)
    acc = out["parties"][0]["accreditations"][0]
    assert list(acc) == [
        "accreditation_body", "standard", "valid_from", "valid_until", "number", "scope", "arrangement"]
    assert acc["arrangement"] == arrangement
    assert bool(notes) is noted
    if noted:
        assert "/parties/0/accreditations/0" in notes[0] and "ILAC MRA" in notes[0]
    assert not [f for f in Engine().validate(out).findings if f.rule == "GT-DATA-002"]


def test_migrate_command_prints_the_note(tmp_path):
    src = tmp_path / "lab.json"
    src.write_text(json.dumps(_dossier("greentrade.dossier/1", "ISO/IEC 17025:2017", True)))
    proc = subprocess.run([sys.executable, "-m", "greentrade.cli", "migrate", str(src)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["parties"][0]["accreditations"][0]["arrangement"] is None
    assert "note:" in proc.stderr and "ILAC MRA" in proc.stderr


def test_format1_dossiers_write_the_flag_back():
    data = _dossier("greentrade.dossier/1", "ISO 14065:2020", True)
    from greentrade.model import unstructure
    assert unstructure(structure(data)) == data
    data2 = copy.deepcopy(data)
    data2["parties"][0]["accreditations"][0]["iaf_mla_signatory"] = False
    assert unstructure(structure(data2)) == data2


def test_bundled_examples_state_the_right_arrangement():
    """No bundled example marks a laboratory or inspection body with the IAF MLA."""
    files = [ROOT / "examples" / "zhejiang-solar-portfolio.json", *(ROOT / "plugins").glob("*/examples/*.json")]
    engine = Engine()
    engine.load_entry_points()
    for path in files:
        report = engine.validate(path.read_bytes())
        assert not [f for f in report.findings if f.rule == "GT-DATA-002"], path.name
