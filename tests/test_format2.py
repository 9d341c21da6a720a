"""Dossier format 2 (greentrade.dossier/2): additive to format 1, read next to it, and
`greentrade migrate` from format 1 to 2 without loss (issue #13)."""

import copy
import json
from pathlib import Path

import pytest

from greentrade import Engine
from greentrade.io._migrate import MigrationError, migrate
from greentrade.io._schemas import validator
from greentrade.model._convert import structure, unstructure

ROOT = Path(__file__).resolve().parents[1]
FORMAT1_FILES = sorted(
    [ROOT / "examples" / "zhejiang-solar-portfolio.json", ROOT / "tests" / "data" / "core-dossier.json",
     *(ROOT / "plugins").glob("*/examples/*.json")]
)

FORMAT2 = {
    "format": "greentrade.dossier/2",
    "parties": [
        {"id": "acme", "name": "Acme Solar"},  # no country: a source may lack it
        {"id": "tuv", "name": "TUV Example", "country": "DE", "roles": ["certification-body"]},
    ],
    "products": [
        {"id": "p1", "name": "Street light SL-60", "manufacturer": "acme",
         "identifiers": [{"scheme": "gtin", "value": "4712345060507"}, {"scheme": "cas", "value": "7732-18-5"},
                         {"scheme": "un-cpc", "value": "46531"}, {"scheme": "mpn", "value": "SL-60/A"},
                         {"scheme": "urn", "value": "urn:pact:acme.example:product-id:SL-60"}]},
    ],
    "documents": [
        {"id": "d1", "type": "carbon-footprint-declaration", "holder": "acme", "issue_date": "2025-03-01",
         "valid_from": "2025-03-01", "valid_until": "2028-02-28", "url": "https://acme.example/pcf.pdf",
         "language": "en", "products": [{"product": "p1"}], "standards": ["ISO 14067:2018"],
         "methods": [{"id": "pact", "version": "3.0"}, {"id": "ghg-protocol-product"}],
         "carbon_footprint": {
             "declared_unit": {"amount": 1, "unit": "piece"}, "pcf_excluding_biogenic": 41.5,
             "pcf_including_biogenic": 40.9, "fossil_ghg_emissions": 41.2, "biogenic_co2_uptake": -0.6,
             "land_use_change_ghg_emissions": 0.3, "packaging_emissions_included": True,
             "characterization_factors": ["AR6"], "primary_data_share": 62.5,
             "reference_period": {"start": "2024-01-01", "end": "2024-12-31"},
             "verification": {"third_party": True, "level": "limited", "coverage": "product level",
                              "provider": "tuv", "standard": "ISO 14064-3:2019", "completed": "2025-02-20"}}},
        {"id": "e1", "type": "epd", "standards": ["DIN EN 15804+A2"],
         "epd": {"declared_unit": {"amount": 1, "unit": "square meter"}, "impact_method": "EN 15804+A2 / EF 3.1",
                 "gwp_a1_a3_kg_co2e": 21.8,
                 "gwp": [{"indicator": "total", "module": "A1-A3", "value": 21.8},
                         {"indicator": "fossil", "module": "D", "value": -2.62}]}},
        {"id": "b1", "type": "carbon-footprint-declaration", "methods": [{"id": "eu-battery-art7"}],
         "battery": {"kg_co2e_per_kwh": 62.1, "kg_co2e_per_battery": 4100, "performance_class": "B",
                     "lifecycle_stages": [{"stage": "MainProduction", "kg_co2e": 1900}]},
         "source": {"format": "batterypass", "unmapped": ["/carbonFootprintStudy"]}},
    ],
}


@pytest.fixture(scope="module")
def engine():
    e = Engine()
    e.load_entry_points()
    return e


def rules_of(report):
    return sorted({f.rule for f in report.findings if str(f.severity) == "error"})


def test_format2_dossier_validates_and_round_trips(engine):
    report = engine.validate(FORMAT2, as_of=__import__("datetime").date(2025, 6, 1))
    assert rules_of(report) == [], [f.message for f in report.findings]
    dossier = structure(FORMAT2)
    assert unstructure(dossier) == FORMAT2
    cf = dossier.documents[0].carbon_footprint
    assert str(cf.declared_unit) == "1 piece" and cf.verification.provider == "tuv"
    assert dossier.documents[0].methods[0].version == "3.0"
    assert dossier.documents[0].issuer is None and dossier.parties[0].country is None


@pytest.mark.parametrize(
    ("change", "rule", "pointer"),
    [
        (lambda d: d["products"][0]["identifiers"].append({"scheme": "gtin", "value": "4712345060508"}),
         "GT-DATA-001", "/products/0/identifiers/5/value"),
        (lambda d: d["products"][0]["identifiers"].append({"scheme": "cas", "value": "7732-18-4"}),
         "GT-DATA-001", "/products/0/identifiers/5/value"),
        (lambda d: d["documents"][0]["carbon_footprint"]["declared_unit"].update(unit="kg"),
         "GT-SCHEMA-001", "/documents/0/carbon_footprint/declared_unit/unit"),
        (lambda d: d["documents"][0]["carbon_footprint"]["verification"].update(provider="nobody"),
         "GT-REF-001", "/documents/0/carbon_footprint/verification/provider"),
        (lambda d: d["documents"][0]["methods"].append({"id": "iso-14067"}),
         "GT-SCHEMA-001", "/documents/0/methods/2/id"),
        (lambda d: d["documents"][0].update(standards=["PACT Methodology 3.0"]),
         "GT-DATA-001", "/documents/0/standards/0"),
        (lambda d: d["documents"][0].update(valid_until="2025-01-01"),
         "GT-DATA-001", "/documents/0/valid_until"),
        (lambda d: d["documents"][1]["epd"]["gwp"].append({"indicator": "total", "module": "E", "value": 1}),
         "GT-SCHEMA-001", "/documents/1/epd/gwp/2/module"),
        (lambda d: d["products"][0].update(colour="red"), "GT-SCHEMA-002", "/products/0/colour"),
    ],
)
def test_format2_bad_values_are_located(engine, change, rule, pointer):
    data = copy.deepcopy(FORMAT2)
    change(data)
    report = engine.validate(data)
    assert (rule, pointer) in {(f.rule, f.pointer) for f in report.findings}, [
        (f.rule, f.pointer, f.message) for f in report.findings]


def test_format1_is_read_unchanged(engine):
    """Format 1 keeps its required fields and refuses format-2 keys as unknown."""
    data = copy.deepcopy(FORMAT2)
    data["format"] = "greentrade.dossier/1"
    report = engine.validate(data)
    found = {(f.rule, f.pointer) for f in report.findings}
    assert ("GT-SCHEMA-001", "/parties/0") in found  # country is required in format 1
    assert ("GT-SCHEMA-002", "/products/0/identifiers") in found
    assert ("GT-SCHEMA-002", "/documents/0/methods") in found
    assert not validator("dossier").is_valid({"format": "greentrade.dossier/3"})


def _flag_as_arrangement(data):
    """A format-1 dossier's accreditation flags written as format 2's arrangement, in place (none of
    the bundled format-1 files marks a laboratory)."""
    data = copy.deepcopy(data)
    for party in data.get("parties", []):
        if "accreditations" in party:
            party["accreditations"] = [
                {("arrangement" if k == "iaf_mla_signatory" else k): (("IAF MLA" if v else None)
                 if k == "iaf_mla_signatory" else v) for k, v in acc.items()}
                for acc in party["accreditations"]
            ]
    return data


@pytest.mark.parametrize("path", FORMAT1_FILES, ids=lambda p: p.name)
def test_migrate_is_lossless(path, engine):
    before = json.loads(path.read_text("utf-8"))
    after = migrate(path)
    assert after["format"] == "greentrade.dossier/2"
    expected = _flag_as_arrangement(before) if before["format"] == "greentrade.dossier/1" else before
    assert {k: v for k, v in after.items() if k != "format"} == {k: v for k, v in expected.items() if k != "format"}
    assert list(after) == list(before)  # key order kept
    old, new = structure({k: v for k, v in before.items() if k != "$schema"}), structure(
        {k: v for k, v in after.items() if k != "$schema"})
    assert (old.parties, old.products, old.documents, old.shipments, old.tenders) == (
        new.parties, new.products, new.documents, new.shipments, new.tenders)
    # the engine reads both alike
    r1, r2 = engine.validate(before), engine.validate(after)
    assert [(f.rule, f.pointer, f.message) for f in r1.findings] == [
        (f.rule, f.pointer, f.message) for f in r2.findings]
    assert migrate(after) == after  # format 2 stays as it is


def test_migrate_refuses_an_invalid_dossier():
    with pytest.raises(MigrationError) as err:
        migrate({"format": "greentrade.dossier/1", "parties": [{"id": "x"}]})
    assert any("/parties/0" in p for p in err.value.problems)
    with pytest.raises(MigrationError, match="nothing to migrate"):
        migrate({"format": "something/9"})



def test_party_identifiers_keep_format1_checks(engine):
    """Only product identifiers (new in format 2) get the GTIN/CAS/URN checks; a party identifier of
    another scheme stays unchecked text, as in format 1."""
    for fmt in ("greentrade.dossier/1", "greentrade.dossier/2"):
        data = json.loads((ROOT / "tests" / "data" / "core-dossier.json").read_text("utf-8"))
        data["format"] = fmt
        data["parties"][0].setdefault("identifiers", []).append({"scheme": "gtin", "value": "not-a-gtin"})
        assert [f.rule for f in engine.validate(data).findings if f.rule.startswith("GT-")] == []
