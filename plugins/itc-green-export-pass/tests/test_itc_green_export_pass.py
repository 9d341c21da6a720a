"""End-to-end tests of the itc-green-export-pass plugin (explicit registration, exact outcomes)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import greentrade_itc_green_export_pass as plugin
import pytest
from greentrade_itc_green_export_pass import _pilot

from greentrade import (
    CatalogEntry,
    Citation,
    ConfigError,
    Engine,
    Report,
    StandardDesignator,
    hookimpl,
)
from greentrade.cli import main
from greentrade.model._codes import check_uscc, countries, hs_description

HERE = Path(__file__).resolve().parent.parent
EXAMPLES = HERE / "examples"
PROGRAM = "itc-green-export-pass"


def engine(config: dict[str, Any] | str | Path | None = None, *extra: object) -> Engine:
    e = Engine(config=config)
    e.register(plugin, name=PROGRAM)
    for i, p in enumerate(extra):
        e.register(p, name=f"extra-{i}")
    return e


def run(name: str, config: dict[str, Any] | None = None, **kw: Any) -> Report:
    return engine(config).validate(EXAMPLES / name, **kw)


def rule_ids(report: Report, effect: str | None = None) -> list[str]:
    return sorted(
        f.rule for f in report.findings
        if f.program == PROGRAM and (effect is None or str(f.effect) == effect)
    )


# -- examples: exact statuses and rule ids -------------------------------------------------------
EXPECTED = {
    "pv-jiangsu-to-saudi-arabia.json": ("SH-2026-SA-031", "eligible", [], []),
    "battery-storage-fujian-to-vietnam.json": ("SH-2026-VN-112", "eligible", [], []),
    "building-materials-zhejiang-to-brazil.json": ("SH-2026-BR-007", "eligible", [], []),
    # Outside the three named regions: the report does not say the pass applies only there.
    "pv-jiangsu-to-germany-out-of-region.json": ("SH-2026-DE-044", "undetermined", [], ["ITC-GEP-002"]),
    # A superseded edition without a published transition rule: undetermined, not a violation.
    # The ISO 50001:2018 certificate of the site is evidence: the superseded GB/T 33761-2017
    # certificate next to it is a warning naming it, not undetermined (#19).
    "smart-meters-superseded-gbt-to-uae.json": ("SH-2026-AE-019", "eligible", [], []),
    "pv-anhui-to-mexico-unpublished-standards.json": ("SH-2026-MX-026", "undetermined", [], ["ITC-GEP-005"]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_outcome(name: str) -> None:
    shipment, status, errors, undetermined = EXPECTED[name]
    report = run(name)
    assert report.evaluated
    assert str(report.status(PROGRAM, shipment)) == status
    assert [f.rule for f in report.findings if f.severity.value == "error"] == errors
    assert rule_ids(report, "undetermined") == undetermined
    assert not [f for f in report.findings if f.rule.startswith("GT-")]


def test_examples_are_listed() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.json")) == sorted(EXPECTED)


def test_eligible_findings_of_pv_example() -> None:
    report = run("pv-jiangsu-to-saudi-arabia.json")
    got = [(f.rule, str(f.effect), f.pointer) for f in report.findings]
    assert got == [
        ("ITC-GEP-010", "note", "/products/0"),
        ("ITC-GEP-002", "note", "/shipments/0/destination_country"),
    ]
    outcome = next(o for o in report.outcomes if o.program == PROGRAM)
    assert "acceptance criteria" in outcome.summary and "not yet published" in outcome.summary


def test_battery_example_variant_designator_is_a_warning_only() -> None:
    report = run("battery-storage-fujian-to-vietnam.json")
    warnings = [f for f in report.findings if f.severity.value == "warning"]
    assert [(f.rule, f.pointer) for f in warnings] == [("ITC-GEP-004", "/documents/0/standards/0")]
    assert "canonical form: 'GB/T 33761-2024'" in warnings[0].message


def test_before_effective_date_not_applicable() -> None:
    report = run("pv-jiangsu-to-saudi-arabia.json", as_of=dt.date(2026, 6, 15))
    assert str(report.status(PROGRAM, "SH-2026-SA-031")) == "not_applicable"
    assert rule_ids(report) == []
    report = run("pv-jiangsu-to-saudi-arabia.json", as_of=dt.date(2026, 6, 16))
    assert str(report.status(PROGRAM, "SH-2026-SA-031")) == "eligible"


def test_report_is_deterministic() -> None:
    a = run("smart-meters-superseded-gbt-to-uae.json").to_json()
    b = run("smart-meters-superseded-gbt-to-uae.json").to_json()
    assert a == b


# -- example data is realistic -----------------------------------------------------------------
def test_example_codes_are_real() -> None:
    for path in EXAMPLES.glob("*.json"):
        data = json.loads(path.read_text("utf-8"))
        for party in data["parties"]:
            for ident in party.get("identifiers", []):
                if ident["scheme"] == "uscc":
                    assert check_uscc(ident["value"]) is None
        for product in data["products"]:
            assert hs_description(product["hs_code"]) is not None
        for sh in data["shipments"]:
            assert sh["port_of_export"] in {"CNSHA", "CNNGB", "CNXMN"}


# -- catalog and CLI -------------------------------------------------------------------------------
def test_catalog_count() -> None:
    e = engine()
    entries = e.catalog.for_program(PROGRAM)
    assert [str(x.designator) for x in entries] == ["EN 15804:2012+A2:2019", "GB/T 33761-2024", "ISO 50001:2018"]
    program = next(p for p in e.programs if p.id == PROGRAM)
    assert program.catalog_size == 37
    assert program.effective.start == dt.date(2026, 6, 16)
    by = {str(x.designator): x for x in entries}
    assert [str(d) for d in by["GB/T 33761-2024"].superseded] == ["GB/T 33761-2017"]
    assert [str(d) for d in by["ISO 50001:2018"].superseded] == ["ISO 50001:2011"]
    assert "EN 15804:2012+A1:2013" in [str(d) for d in by["EN 15804:2012+A2:2019"].superseded]
    assert by["EN 15804:2012+A2:2019"].categories == ("green-building-material",)
    assert "ISO 50001:2018/Amd 1:2024" in (by["ISO 50001:2018"].note or "")


def test_cli_standards(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["standards"]) == 0
    out = capsys.readouterr().out
    assert "itc-green-export-pass: 3 of 37 known" in out
    block = out[out.index("itc-green-export-pass: 3 of 37 known"):]
    for line in ("EN 15804:2012+A2:2019", "GB/T 33761-2024", "ISO 50001:2018", "supersedes: GB/T 33761-2017",
                 "categories: pv-module, energy-storage-battery,", "green-building-material, smart-grid-equipment"):
        assert line in block
    assert max(map(len, block.splitlines())) <= 100


def test_cli_validate_example(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(EXAMPLES / "smart-meters-superseded-gbt-to-uae.json")])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"SH-2026-AE-019\s+itc-green-export-pass\s+eligible", out)
    assert "ITC-GEP-003 [SH-2026-AE-019] at /documents/0/standards/0 (basis: inferred)" in out
    assert "current since 2024-11-28" in " ".join(out.split())
    assert "document D-GP-2023-0710 is not relied upon" in " ".join(out.split())


# -- host configuration and other plugins ---------------------------------------------------------
def _readme_toml(tmp_path: Path) -> Path:
    text = (HERE / "README.md").read_text("utf-8")
    m = re.search(r"```toml\n(.*?)```", text, re.S)
    assert m, "README has a TOML example"
    path = tmp_path / "greentrade.toml"
    path.write_text(m.group(1), encoding="utf-8")
    return path


def test_readme_toml_example_is_valid(tmp_path: Path) -> None:
    e = engine(_readme_toml(tmp_path))
    report = e.validate(EXAMPLES / "pv-anhui-to-mexico-unpublished-standards.json")
    assert str(report.status(PROGRAM, "SH-2026-MX-026")) == "eligible"


def test_config_schema_rejects_unknown_keys() -> None:
    with pytest.raises(ConfigError):
        engine({"plugins": {PROGRAM: {"extra_standard": []}}}).programs  # noqa: B018
    with pytest.raises(ConfigError):
        engine({"plugins": {PROGRAM: {"extra_standards": [{"designator": "IEC 61215-2:2021"}]}}}).programs  # noqa: B018


class OtherPlugin:
    """Another plugin that contributes a first-batch standard to the pilot's catalog."""

    @hookimpl
    def greentrade_standards(self) -> list[CatalogEntry]:
        return [CatalogEntry(
            designator=StandardDesignator.parse("IEC 61215-2:2021"),
            title="Terrestrial photovoltaic (PV) modules - Design qualification and type approval - Part 2",
            citation=Citation(authority="test", title="hypothetical publication (test fixture)", reference="tests"),
            categories=("pv-module",), program=PROGRAM,
        )]


def test_catalog_entry_from_another_plugin_is_merged() -> None:
    e = engine(None, OtherPlugin())
    assert len(e.catalog.for_program(PROGRAM)) == 4
    report = e.validate(EXAMPLES / "pv-anhui-to-mexico-unpublished-standards.json")
    assert str(report.status(PROGRAM, "SH-2026-MX-026")) == "eligible"
    note = next(f for f in report.findings if f.rule == "ITC-GEP-010")
    assert "IEC 61215-2 [D-TR-0907: IEC 61215-2:2021]" in note.message
    assert "33 of the 37 first-batch standards are unpublished" in note.message


def test_engines_do_not_share_configuration() -> None:
    strict = engine({"plugins": {PROGRAM: {"accept_non_iaf_mla_accreditation": False}}})
    loose = engine({"plugins": {PROGRAM: {"accept_non_iaf_mla_accreditation": True}}})
    data = json.loads((EXAMPLES / "building-materials-zhejiang-to-brazil.json").read_text("utf-8"))
    data["parties"][2]["accreditations"][0]["iaf_mla_signatory"] = False
    data["shipments"][0]["documents"] = ["D-EPD-0815", "D-FA-2026-0311"]  # the EPD is the only evidence
    assert str(strict.validate(data).status(PROGRAM, "SH-2026-BR-007")) == "not_eligible"
    assert str(loose.validate(data).status(PROGRAM, "SH-2026-BR-007")) == "eligible"
    assert str(engine().validate(data).status(PROGRAM, "SH-2026-BR-007")) == "undetermined"


def test_shipment_without_documents_does_not_crash() -> None:
    data = json.loads((EXAMPLES / "pv-jiangsu-to-saudi-arabia.json").read_text("utf-8"))
    data["documents"] = []
    data["shipments"][0]["documents"] = []
    del data["products"][0]["manufacturing_site"]
    report = engine().validate(data)
    assert str(report.status(PROGRAM, "SH-2026-SA-031")) == "not_eligible"
    assert rule_ids(report, "violation") == ["ITC-GEP-005"]
    assert rule_ids(report, "undetermined") == ["ITC-GEP-008"]
    assert not [f for f in report.findings if f.rule.startswith("GT-ENGINE")]


# -- designator resolution ---------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "status", "edition"), [
    ("ISO 50001:2018", "current", "ISO 50001:2018"),
    ("ISO 50001:2018/Amd 1:2024", "current", "ISO 50001:2018/Amd 1:2024"),
    ("ISO 50001: 2018", "current", "ISO 50001:2018"),
    ("ISO 50001:2011", "superseded", "ISO 50001:2011"),
    ("ISO 50001", "current", "ISO 50001:2018"),  # an undated reference means the current edition
    ("EN ISO 50001:2018", "current", "ISO 50001:2018"),  # the identical European adoption
    ("EN15804+A2", "current", "EN 15804:2012+A2:2019"),
    ("EN 15804+A1", "superseded", "EN 15804:2012+A1:2013"),
    ("EN 15804:2012+A1:2013", "superseded", "EN 15804:2012+A1:2013"),
    ("GB/T33761—2024", "current", "GB/T 33761-2024"),
    ("GB/T 33761-2017", "superseded", "GB/T 33761-2017"),
    ("GB/T 33761-2020", "outdated", None),
    ("GB/T 33761-2031", "newer", None),
])
def test_resolve(text: str, status: str, edition: str | None) -> None:
    catalog = _pilot.PilotCatalog(
        tuple(_pilot._from_entry(e) for e in _pilot.catalog_entries()), ())
    r = _pilot.resolve(StandardDesignator.parse(text, lenient=True), catalog)
    assert r is not None
    assert (r.status, r.canonical_form) == (status, edition)


def test_resolve_outside_catalog() -> None:
    catalog = _pilot.PilotCatalog(
        tuple(_pilot._from_entry(e) for e in _pilot.catalog_entries()), ())
    assert _pilot.resolve(StandardDesignator.parse("IEC 61215-2:2021"), catalog) is None


# -- region data ------------------------------------------------------------------------------------
def test_regions_data() -> None:
    data = plugin.greentrade_reference_data()[_pilot.REGIONS]
    regions = {r["id"]: r["countries"] for r in data["regions"]}
    assert {k: len(v) for k, v in regions.items()} == {"middle-east": 16, "southeast-asia": 11, "latin-america": 52}
    everything = [c for v in regions.values() for c in v]
    assert len(everything) == len(set(everything)), "regions do not overlap"
    assert set(everything) <= countries()
    assert {"SA", "AE", "EG", "TR", "IR"} <= set(regions["middle-east"])
    assert "CY" not in regions["middle-east"]
    assert "TL" in regions["southeast-asia"]
    assert {"BR", "MX", "CU", "PR"} <= set(regions["latin-america"])
    assert all(r.get("basis") for r in data["regions"])


def test_readme_table_shows_each_rule_basis() -> None:
    from greentrade_itc_green_export_pass.rules import build_rules

    text = (HERE / "README.md").read_text("utf-8")
    for r in build_rules():
        assert f"| {r.id} | {r.basis}" in text, r.id
    assert "Analysis shows" not in text


def test_one_citation_per_source() -> None:
    # ITC-GEP-002 quotes the article, so it cites the article; the UN M49 reading of the regions
    # is named in its note, not as the citation the quote sits under (#19).
    from greentrade_itc_green_export_pass.rules import build_rules

    rules = {r.id: r for r in build_rules()}
    gep002 = rules["ITC-GEP-002"].citation
    assert gep002.authority.startswith("News report of an announcement attributed to")
    assert "The report says: \u201cIt also indicates shorter factory audit cycles" in gep002.reference
    assert "M49" in (gep002.note or "")
    # ITC-GEP-004's README source is the citation it carries (the standards' catalogues).
    text = (HERE / "README.md").read_text("utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| ITC-GEP-004 |"))
    assert "catalogue" in row and "catalogue" in rules["ITC-GEP-004"].citation.reference
    assert "Directives" not in row
