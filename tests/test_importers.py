"""Importers (issue #13): every shipped example imports into a valid format-2 dossier with its
figures unchanged and a loss list naming what has no home.

Fixtures in tests/fixtures/interop/ (see SOURCES.md there): Catena-X PCF 8.0.0 and 9.0.0 and
Battery Pass 1.2.0 examples (Eclipse Tractus-X, Battery Pass consortium; CC-BY-4.0), the openEPD
sample (C Change Labs; Apache-2.0), an Ökobaudat ILCD+EPD data set (via ocni-dtu/epdx;
Apache-2.0), and synthetic PACT v2/v3, Catena-X 7-style and Battery Pass files (made up).
"""

import copy
import datetime as dt
import json
from importlib import metadata
from pathlib import Path

import pytest

from greentrade import Engine
from greentrade.importers import (
    ImportOptions,
    import_batterypass,
    import_catenax,
    import_ilcd,
    import_openepd,
    import_pact,
    importers,
    merge,
)
from greentrade.model._convert import structure

FIX = Path(__file__).resolve().parent / "fixtures" / "interop"
CX8, CX9 = FIX / "catenax-pcf" / "Pcf-8.0.0.json", FIX / "catenax-pcf" / "Pcf-9.0.0.json"
PACT2, PACT3 = FIX / "pact" / "pact-v2-synthetic.json", FIX / "pact" / "pact-v3-synthetic.json"
BP_CF = FIX / "batterypass" / "CarbonFootprintForBatteries-payload.json"
BP_GPI = FIX / "batterypass" / "GeneralProductInformation-payload.json"
OPENEPD = [FIX / "openepd" / n for n in ("epd.json", "manufacturer.json", "plant.json", "program_operator.json",
                                         "third_party_verifier.json")]
ILCD = FIX / "ilcd-epd" / "ilcd-epd-0e85f255.json"


@pytest.fixture(scope="module")
def engine():
    e = Engine()
    e.load_entry_points()
    return e


def valid(engine, result):
    """The dossier passes every data check of the engine (schema, codes, references)."""
    assert result.ok, [str(n) for n in result.notes if n.severity == "error"]
    report = engine.validate(result.dossier, as_of=dt.date(2026, 1, 1))
    errors = [(f.rule, f.pointer, f.message) for f in report.findings if str(f.severity) == "error"]
    assert errors == []
    structure(result.dossier)
    return result.dossier


def lossless_list_matches(result):
    """Every unmapped pointer is an info note, and the document's source keeps the same list
    (a whole file without a home, such as an openEPD plant, is one note with the pointer "")."""
    noted = sorted(n.pointer for n in result.unmapped if n.pointer)
    kept = sorted(p for e in (*result.dossier.get("documents", []), *result.dossier.get("products", []))
                  for p in e.get("source", {}).get("unmapped", []))
    assert noted == kept
    assert all(n.severity == "info" for n in result.unmapped)
    return set(noted)


# -- Catena-X -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "version"), [(CX8, "8.0.0"), (CX9, "9.0.0")])
def test_catenax_examples(engine, path, version):
    result = import_catenax(path)
    d = valid(engine, result)
    (doc,) = d["documents"]
    cf = doc["carbon_footprint"]
    # figures as the source states them (the 8.0.0 and 9.0.0 examples carry the same values)
    assert cf["declared_unit"] == {"amount": 1.0, "unit": "liter"}
    assert (cf["pcf_excluding_biogenic"], cf["pcf_including_biogenic"]) == (2.9, 1.9)
    assert (cf["fossil_ghg_emissions"], cf["biogenic_co2_uptake"], cf["land_use_change_ghg_emissions"]) == (
        0.5, -1, 1.4)
    assert cf["characterization_factors"] == ["AR5"] and cf["primary_data_share"] == 56.12
    assert cf["reference_period"] == {"start": "2022-01-01", "end": "2022-12-31"}
    assert (doc["issue_date"], doc["valid_from"], doc["valid_until"]) == ("2022-05-22", "2022-01-01", "2022-12-31")
    assert doc["standards"] == ["ISO 14067"]
    assert doc["methods"] == [{"id": "catenax-pcf-rulebook", "version": "4"}]
    assert cf["verification"]["completed"] == "2022-12-31"
    provider = next(p for p in d["parties"] if p["id"] == cf["verification"]["provider"])
    assert provider["name"] == "TÜV-X"
    assert doc["source"]["version"] == version and doc["source"]["id"] == "3893bb5d-da16-4dc1-9185-11d97476c254"
    (product,) = d["products"]
    assert {"scheme": "gtin", "value": "4712345060507"} in product["identifiers"]
    lost = lossless_list_matches(result)
    prefix = "/pcf/" if version == "8.0.0" else "/productLifeCycleStagesAndEmissions/0/"
    assert any(p.startswith(prefix) and "distributionStage" in p for p in lost)  # no home for distribution
    assert not any("pcfExcludingBiogenicUptake" in p and "packaging" not in p and "distribution" not in p
                   for p in lost)


def test_catenax_7_style_is_read_without_a_shipped_schema(engine):
    result = import_catenax(FIX / "synthetic" / "catenax-pcf-7-style.json")
    d = valid(engine, result)
    cf = d["documents"][0]["carbon_footprint"]
    assert cf["declared_unit"] == {"amount": 1, "unit": "piece"} and cf["pcf_excluding_biogenic"] == 185.3
    assert d["documents"][0]["standards"] == ["ISO 14067"]
    assert any(n.code == "GT-IMPORT-006" for n in result.notes)
    assert lossless_list_matches(result) == set()  # "version" is the footprint's revision (#20)


def test_catenax_input_is_validated_against_its_schema():
    data = json.loads(CX8.read_text("utf-8"))
    data["pcf"]["pcfExcludingBiogenicUptake"] = "a lot"
    result = import_catenax(data)
    assert not result.ok
    assert ("GT-IMPORT-003", "/pcf/pcfExcludingBiogenicUptake") in {(n.code, n.pointer) for n in result.notes}
    assert result.dossier.get("documents", []) == []


def test_catenax_version_is_read_never_guessed_from_the_layout():
    data = json.loads(CX9.read_text("utf-8"))
    del data["scopeOfPcfForm"][0]["specVersion"]
    result = import_catenax(data)  # was read as "9", a version the file does not state (#20)
    assert not result.ok and result.dossier.get("documents", []) == []
    assert any("states no Catena-X data-model version" in n.message for n in result.notes)


# -- PACT ------------------------------------------------------------------------------------------
def test_pact_v2(engine):
    result = import_pact(PACT2)
    d = valid(engine, result)
    doc = d["documents"][0]
    cf = doc["carbon_footprint"]
    assert doc["source"]["version"] == "2.2.0"
    assert cf["declared_unit"] == {"amount": 12.5, "unit": "kilogram"}
    assert (cf["pcf_excluding_biogenic"], cf["pcf_including_biogenic"]) == (3.42, 3.38)
    assert cf["land_use_change_ghg_emissions"] == 0.05 and cf["biogenic_co2_uptake"] == -0.04
    # PACT's ends are exclusive: "2024-01-01T00:00:00Z" ends with 2023-12-31 (#20)
    assert cf["reference_period"] == {"start": "2023-01-01", "end": "2023-12-31"}
    assert (doc["issue_date"], doc["valid_from"], doc["valid_until"]) == ("2024-03-15", "2024-03-15", "2027-03-13")
    assert doc["standards"] == ["ISO 14067"] and doc["methods"] == [{"id": "ghg-protocol-product"}]
    assert cf["verification"] == {"level": "limited", "coverage": "product level",
                                  "provider": "party-example-verification-gmbh", "standard": "ISO 14064-3",
                                  "completed": "2024-03-01"}
    assert {"scheme": "un-cpc", "value": "46531"} in d["products"][0]["identifiers"]
    lost = lossless_list_matches(result)
    assert {"/pcf/otherBiogenicGhgEmissions", "/pcf/dqi", "/pcf/assurance/boundary"} <= lost


def test_pact_v3(engine):
    result = import_pact(PACT3)
    d = valid(engine, result)
    doc = d["documents"][0]
    cf = doc["carbon_footprint"]
    assert doc["source"]["version"] == "3.0.0"
    assert cf["declared_unit"] == {"amount": 100, "unit": "kilowatt hour"}
    assert (cf["pcf_excluding_biogenic"], cf["pcf_including_biogenic"]) == (72.4, 72.1)
    assert cf["product_mass_per_declared_unit_kg"] == 6.5 and cf["primary_data_share"] == 64.0
    assert doc["standards"] == ["ISO 14067"]
    assert doc["methods"] == [{"id": "ghg-protocol-product"}, {"id": "pact", "version": "3.0"}]
    assert cf["verification"]["provider"] == "party-example-assurance-ltd"
    assert {"scheme": "un-cpc", "value": "46410"} in d["products"][0]["identifiers"]
    assert "/pcf/dqi" in lossless_list_matches(result)


def test_pact_api_response_and_missing_fields():
    v2, v3 = json.loads(PACT2.read_text("utf-8")), json.loads(PACT3.read_text("utf-8"))
    result = import_pact({"data": [v2, v3]})
    assert result.ok and len(result.dossier["documents"]) == 2
    broken = copy.deepcopy(v3)
    del broken["pcf"]["declaredUnitAmount"]
    result = import_pact(broken)
    assert not result.ok
    assert any(n.code == "GT-IMPORT-007" and "declaredUnitAmount" in n.message for n in result.notes)
    old = copy.deepcopy(v2)
    old["specVersion"] = "1.0.0"
    assert any("not supported" in n.message for n in import_pact(old).notes)


# -- Battery Pass ----------------------------------------------------------------------------------
def test_batterypass_example_utf16_with_sentinels(engine):
    assert BP_CF.read_bytes()[:2] == b"\xff\xfe"  # published as UTF-16LE
    result = import_batterypass(BP_CF, BP_GPI)
    d = valid(engine, result)
    doc = next(x for x in d["documents"])
    assert doc["methods"] == [{"id": "eu-battery-art7"}]
    assert "kg_co2e_per_kwh" not in doc["battery"] and "kg_co2e_per_battery" not in doc["battery"]
    rejected = {n.pointer for n in result.notes if n.code == "GT-IMPORT-002"}
    assert rejected == {"/batteryCarbonFootprint", "/absoluteCarbonFootprint",
                        "/carbonFootprintPerLifecycleStage/0/carbonFootprint"}
    assert all(n.severity == "warning" for n in result.notes if n.code == "GT-IMPORT-002")
    assert doc["products"] == [{"product": d["products"][0]["id"]}]
    assert "/manufacturingPlace" in lossless_list_matches(result)


def test_batterypass_values_arrive_unchanged(engine):
    path = FIX / "synthetic" / "batterypass-carbonfootprint-values.json"
    for raw in (path.read_bytes(), path.read_text("utf-8").encode("utf-16-le"),
                path.read_text("utf-8").encode("utf-16")):
        result = import_batterypass(raw)
        d = valid(engine, result)
        battery = d["documents"][0]["battery"]
        assert (battery["kg_co2e_per_kwh"], battery["kg_co2e_per_battery"], battery["performance_class"]) == (
            53.0, 4120.5, "B")
        assert [s["kg_co2e_per_kwh"] for s in battery["lifecycle_stages"]] == [31.2, 18.4, 1.1, 2.3]
        assert lossless_list_matches(result) == set()


# -- EPDs ------------------------------------------------------------------------------------------
def test_openepd_sample(engine):
    result = import_openepd(*OPENEPD)
    d = valid(engine, result)
    (doc,) = d["documents"]
    epd = doc["epd"]
    assert epd["declared_unit"] == {"amount": 1, "unit": "cubic meter"}
    assert epd["gwp_a1_a3_kg_co2e"] == 123 and epd["impact_method"] == "TRACI 2.1"
    assert epd["gwp"] == [{"indicator": "total", "module": "A1-A3", "value": 123}]
    assert (doc["issue_date"], doc["valid_until"]) == ("2019-02-11", "2024-02-11")
    assert epd["verification"]["third_party"] is True
    verifier = next(p for p in d["parties"] if p["id"] == epd["verification"]["provider"])
    assert verifier["identifiers"] == [{"scheme": "web-domain", "value": "example_verifier.com"}]
    assert verifier["name"] == "Example Manufacturer"  # as third_party_verifier.json names it
    lost = lossless_list_matches(result)
    assert {"/plants", "/impacts/TRACI 2.1/gwp/A1A2A3/rsd"} <= lost
    assert any("Plant" in n.message for n in result.notes if n.file == "plant.json")


def test_openepd_invalid_input_is_an_error():
    data = json.loads(OPENEPD[0].read_text("utf-8"))
    data["declared_unit"] = {"qty": "one", "unit": "m3"}
    result = import_openepd(data)
    assert not result.ok and any(n.code == "GT-IMPORT-003" for n in result.notes)


def test_ilcd_epd(engine):
    result = import_ilcd(ILCD)
    d = valid(engine, result)
    (doc,) = d["documents"]
    epd = doc["epd"]
    assert epd["declared_unit"] == {"amount": 1.0, "unit": "square meter"}
    assert epd["gwp_a1_a3_kg_co2e"] == 21.8
    gwp = {(g["indicator"], g["module"]): g["value"] for g in epd["gwp"]}
    assert gwp[("total", "D")] == -2.62 and gwp[("biogenic", "A1-A3")] == 0.0215 and ("luluc", "A1-A3") in gwp
    assert doc["issue_date"] == "2021-11-11"
    assert doc["standards"] == ["DIN EN 15804+A2", "ISO 14025"]
    assert epd["registration_number"] == "EPD-RIN-20210165-IBC1-DE"
    assert epd["verification"]["third_party"] is True
    lost = lossless_list_matches(result)
    assert "/processInformation/time/dataSetValidUntil" in lost  # a year, not a date: not approximated
    assert any(p.startswith("/LCIAResults/LCIAResult/4") for p in lost)  # ODP: no home


# -- never invent, options, merge, determinism ---------------------------------------------------
def test_nothing_is_invented_and_options_fill_in(engine):
    result = import_pact(PACT2)
    d = result.dossier
    assert all("hs_code" not in p and "category" not in p for p in d["products"])
    assert all("country" not in p for p in d["parties"]) and all("issuer" not in x for x in d["documents"])
    needs = " ".join(n.message for n in result.notes if n.code == "GT-IMPORT-005")
    assert "HS code" in needs and "category" in needs and "country" in needs and "issuer" in needs
    opts = ImportOptions(hs_code="940541", category="solar-street-light", country="CN", issuer="Example CB")
    d = valid(engine, import_pact(PACT2, options=opts))
    assert d["products"][0]["hs_code"] == "940541" and d["products"][0]["category"] == "solar-street-light"
    holder = next(p for p in d["parties"] if p["id"] == d["documents"][0]["holder"])
    assert holder["country"] == "CN"
    issuer = next(p for p in d["parties"] if p["id"] == d["documents"][0]["issuer"])
    assert issuer["name"] == "Example CB" and "country" not in issuer


def test_merge_into_a_dossier_adds_without_overwriting(engine):
    base = json.loads((Path(__file__).resolve().parents[1] / "examples" / "zhejiang-solar-portfolio.json")
                      .read_text("utf-8"))
    imported = import_pact(PACT2, options=ImportOptions(hs_code="940541", category="solar-street-light")).dossier
    merged, _notes = merge(base, imported)
    assert merged["format"] == "greentrade.dossier/2"
    from greentrade.io._migrate import migrate

    base = migrate(base)  # a format-1 base is migrated first
    for coll in ("parties", "products", "documents", "shipments"):
        ids = [e["id"] for e in merged.get(coll, [])]
        assert len(ids) == len(set(ids))
        assert merged.get(coll, [])[: len(base.get(coll, []))] == base.get(coll, [])  # nothing overwritten
    again, notes = merge(merged, imported)
    assert again == merged  # importing the same footprint twice adds nothing
    clash = copy.deepcopy(imported)
    clash["documents"][0]["carbon_footprint"]["pcf_excluding_biogenic"] = 9.9
    third, notes = merge(merged, clash)  # same source id and version: the same footprint (#20)
    assert len(third["documents"]) == len(merged["documents"])
    assert any("carbon_footprint differ from the dossier's, which are kept" in n.message for n in notes)
    clash["documents"][0]["source"]["id"] = "another-footprint"
    third, notes = merge(merged, clash)
    assert len(third["documents"]) == len(merged["documents"]) + 1
    assert third["documents"][-1]["id"].endswith("-2") and any("is taken" in n.message for n in notes)
    report = engine.validate(third, as_of=dt.date(2026, 7, 1))
    assert [f for f in report.findings if str(f.severity) == "error" and f.rule.startswith("GT-")] == []


def test_same_input_same_bytes():
    a = import_catenax(CX9).to_json()
    b = import_catenax(json.loads(CX9.read_text("utf-8"))).to_json()
    assert a == b


def test_unreadable_files_are_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"id": ')
    result = import_pact(bad, tmp_path / "missing.json")
    msgs = [n.message for n in result.notes if n.severity == "error"]
    assert len(msgs) == 2 and "not valid JSON" in msgs[0] and "cannot read" in msgs[1]


def test_entry_point_importers(monkeypatch):
    assert set(importers()) >= {"pact", "catenax", "openepd", "ilcd", "batterypass"}
    ep = metadata.EntryPoint(name="pact-copy", value="greentrade.importers:import_pact", group="greentrade.importers")
    monkeypatch.setattr(metadata, "entry_points", lambda group=None: [ep] if group == "greentrade.importers" else [])
    found = importers()
    assert found["pact"] is import_pact
    assert found["pact-copy"](PACT3).dossier == import_pact(PACT3).dossier


def test_openepd_package_is_imported_only_when_needed():
    import subprocess
    import sys

    code = ("import sys, greentrade.cli, greentrade.importers;"
            "assert 'openepd' not in sys.modules and 'pydantic' not in sys.modules, 'imported eagerly'")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
IMPORTED_EXAMPLES = [
    ("cn-green-channel/examples/imported/pact-v2.json", import_pact, [PACT2],
     ImportOptions(hs_code="940541", category="solar-street-light", country="CN")),
    ("cn-green-channel/examples/imported/catenax-8.json", import_catenax, [CX8],
     ImportOptions(hs_code="940541", category="solar-street-light", country="CN")),
    ("cn-green-channel/examples/imported/catenax-9.json", import_catenax, [CX9],
     ImportOptions(hs_code="940541", category="solar-street-light", country="CN")),
    ("itc-green-export-pass/examples/imported/ilcd-epd.json", import_ilcd, [ILCD],
     ImportOptions(hs_code="681019", category="green-building-material", country="DE")),
    ("itc-green-export-pass/examples/imported/openepd.json", import_openepd,
     [OPENEPD[0], OPENEPD[1], OPENEPD[3], OPENEPD[4]],
     ImportOptions(hs_code="382450", category="green-building-material", country="US")),
    ("itc-green-export-pass/examples/imported/pact-v3.json", import_pact, [PACT3],
     ImportOptions(hs_code="850760", category="energy-storage-battery", country="CN")),
    ("itc-green-export-pass/examples/imported/batterypass.json", import_batterypass,
     [FIX / "synthetic" / "batterypass-carbonfootprint-values.json", BP_GPI],
     ImportOptions(hs_code="850760", category="energy-storage-battery")),
    ("itc-green-export-pass/examples/imported/batterypass-example.json", import_batterypass, [BP_CF, BP_GPI],
     ImportOptions(hs_code="850760", category="energy-storage-battery")),
]


# ids name the example only: a function's repr holds its address, which differs between the
# processes of pytest-xdist (they must collect the same test names)
@pytest.mark.parametrize(("example", "fn", "files", "options"), IMPORTED_EXAMPLES,
                         ids=[e[0] for e in IMPORTED_EXAMPLES])
def test_rule_case_bases_are_fresh_imports(example, fn, files, options):
    """The plugins' rule cases start from these imported dossiers: they are what `greentrade import`
    writes today (regenerate with the command in the case's description if the mapping changes)."""
    assert (PLUGINS / example).read_text("utf-8") == fn(*files, options=options).to_json()


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*path, i))


@pytest.mark.parametrize(("fn", "path"), [
    (import_pact, PACT2), (import_pact, PACT3), (import_catenax, CX8), (import_catenax, CX9),
    (import_catenax, FIX / "synthetic" / "catenax-pcf-7-style.json"), (import_openepd, OPENEPD[0]),
    (import_ilcd, ILCD), (import_batterypass, FIX / "synthetic" / "batterypass-carbonfootprint-values.json"),
    (import_batterypass, BP_GPI),
], ids=lambda x: getattr(x, "name", getattr(x, "__name__", str(x))))
def test_damaged_files_give_notes_not_tracebacks(fn, path):
    """Values of the wrong type or shape anywhere in a file: the importer reports them (or imports
    what it can) and always writes a valid dossier; it never raises and never trips its own guard."""
    import random

    from greentrade.importers._base import read_source

    base, _ = read_source(path)
    places = [p for p in _paths(base) if p]
    values = [None, 1, -1, 0, 1e308, -1.7976931348623157e308, "", "x", "2024-13-45", "2024-01-01", True, [], {},
              [1], {"a": 1}, "urn:x", "liter", "-5", "NaN", 10**40, [{"x": 1}], [None]]
    rng = random.Random(13)
    for _ in range(60):
        data = copy.deepcopy(base)
        for _ in range(rng.randint(1, 3)):
            *parents, last = rng.choice(places)
            node = data
            try:
                for part in parents:
                    node = node[part]
                node[last] = copy.deepcopy(rng.choice(values))
            except (KeyError, IndexError, TypeError):
                pass
        result = fn(data)
        guard = [n.message for n in result.notes
                 if ("not valid" in n.message and "imported dossier" in n.message) or "structure is not" in n.message]
        assert guard == []
        structure(result.dossier)


def test_openepd_without_the_extra_says_how_to_install(monkeypatch):
    import sys

    for name in [m for m in sys.modules if m == "openepd" or m.startswith("openepd.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "openepd", None)  # as if not installed
    result = import_openepd(OPENEPD[0])
    assert not result.ok
    assert any("greentrade[openepd]" in n.message for n in result.notes if n.severity == "error")
