"""Issue #20: each defect found on 38 real published files, reproduced on synthetic files of the same
shape (tests/fixtures/interop/SOURCES.md says which real file each one mirrors). Every test here
failed before the fix.
"""

import copy
import json
from pathlib import Path

import pytest

from greentrade.cli import main
from greentrade.importers import (
    ImportOptions,
    import_batterypass,
    import_catenax,
    import_ilcd,
    import_pact,
    merge,
)
from greentrade.importers._units import DECLARED_UNITS, declared_unit, gwp_unit

FIX = Path(__file__).resolve().parent / "fixtures" / "interop"
SYN = FIX / "synthetic"
ILCD_A2 = FIX / "ilcd-epd" / "ilcd-epd-0e85f255.json"
ILCD_A1 = SYN / "ilcd-epd-a1-tonne.json"
PACT2 = FIX / "pact" / "pact-v2-synthetic.json"
PACT2_API = SYN / "pact-v2-api-response.json"
PACT3_EVENT = SYN / "pact-v3-event.json"
CX6, CX10 = SYN / "catenax-pcf-6-style.json", SYN / "catenax-pcf-10-style.json"
CX8 = FIX / "catenax-pcf" / "Pcf-8.0.0.json"


def _load(path):
    return json.loads(path.read_text("utf-8"))


def _doc(result):
    (doc,) = result.dossier["documents"]
    return doc


# -- values intact ----------------------------------------------------------------------------------
def test_ilcd_reference_flow_of_one_tonne_is_1000_kilogram():
    """meanAmount 1.0 of a reference flow property whose meanValue is 1000 kg: was 1 kilogram."""
    epd = _doc(import_ilcd(ILCD_A1))["epd"]
    assert epd["declared_unit"] == {"amount": 1000.0, "unit": "kilogram"}
    data = _load(ILCD_A1)
    data["exchanges"]["exchange"][0]["meanAmount"] = 2.5
    assert _doc(import_ilcd(data))["epd"]["declared_unit"] == {"amount": 2500.0, "unit": "kilogram"}


@pytest.mark.parametrize(("end", "last_day"), [
    ("2027-03-14T00:00:00Z", "2027-03-13"),       # exclusive midnight end: the day before
    ("2027-03-14T00:00:00+08:00", "2027-03-13"),  # as written, no time-zone shift
    ("2027-03-14", "2027-03-13"),                 # an exclusive date
    ("2027-03-14T12:00:00Z", "2027-03-14"),       # ends within that day
])
def test_pact_exclusive_ends_become_the_last_day(end, last_day):
    data = _load(PACT2)
    data["validityPeriodEnd"] = end
    data["pcf"]["referencePeriodEnd"] = end
    doc = _doc(import_pact(data))
    assert doc["valid_until"] == last_day  # was the date as written: valid one day longer
    assert doc["carbon_footprint"]["reference_period"]["end"] == last_day


def test_catenax_end_within_the_day_keeps_its_day():
    assert _doc(import_catenax(CX8))["valid_until"] == "2022-12-31"  # "2022-12-31T23:59:59Z"


def test_expired_pact_footprint_is_not_valid_on_its_exclusive_end():
    """A shipment on the PACT footprint's end day: CN-GC-008 said "expires on 2027-03-14, 0 day(s)
    after the as-of date" (valid that day, a window warning only); the footprint has expired."""
    from greentrade import Engine

    root = Path(__file__).resolve().parents[1] / "plugins" / "cn-green-channel"
    case = _load(root / "cases" / "imported-pact-v2-011-pass-structured-footprint.case.json")
    dossier = _load(root / "examples" / "imported" / "pact-v2.json")
    assert dossier["documents"][0]["valid_until"] == "2027-03-13"  # validityPeriodEnd 2027-03-14T00:00:00Z
    for op in case["patch"]:  # the case's buyer and shipment, shipped on the source's end day
        if op["path"] == "/parties/-":
            dossier["parties"].append(op["value"])
        else:
            dossier["shipments"] = copy.deepcopy(op["value"])
    dossier["shipments"][0]["ship_date"] = "2027-03-14"
    engine = Engine(config={"plugins": case["config"]["plugins"]})
    engine.load_entry_points()
    (finding,) = [f for f in engine.validate(dossier).findings if f.rule == "CN-GC-008"]
    assert "expired on 2027-03-13" in finding.message


# -- units as data -----------------------------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["kg CO2 eqv.", "kg CO2-Äqv.", "kg CO_(2) eqv.", "kg CO2 eq", "kg CO2-eq.",
                                      "kgCO2e", "kg CO_(2)-Äq.", "kg CO₂e", "kg CO2 Äquiv."])
def test_gwp_unit_spellings_of_real_files_are_kg_co2e(spelling):
    assert gwp_unit(spelling) is None


@pytest.mark.parametrize(("spelling", "why"), [("t CO2e", "tonnes"), ("g CO2e", "grams"), ("kg SO2 eq", "not one")])
def test_other_gwp_units_are_refused_naming_the_spelling(spelling, why):
    problem = gwp_unit(spelling)
    assert problem is not None and spelling in problem and why in problem


@pytest.mark.parametrize(("spelling", "unit"), [
    ("pcs.", "piece"), ("piece(s)", "piece"), ("m2", "square meter"), ("m²", "square meter"),
    ("kWh", "kilowatt hour"), ("qm", "square meter"), ("Stück", "piece"), ("m³", "cubic meter")])
def test_declared_unit_spellings(spelling, unit):
    assert declared_unit(spelling) == unit
    assert set(DECLARED_UNITS.values()) <= {"liter", "kilogram", "cubic meter", "kilowatt hour", "megajoule",
                                            "ton kilometer", "square meter", "piece", "hour", "megabit second"}


@pytest.mark.parametrize("spelling", ["kg CO2 eqv.", "kg CO2-Äqv.", "kg CO_(2) eqv."])
def test_en15804_a2_gwp_arrives_with_the_spellings_of_real_files(spelling):
    """4 of 5 EN 15804+A2 files lost every GWP value ("not kg CO2e")."""
    data = _load(ILCD_A2)
    for r in data["LCIAResults"]["LCIAResult"]:
        for a in r["other"]["anies"]:
            unit = a.get("value") if a.get("name") == "referenceToUnitGroupDataSet" else None
            if unit and "CO_(2)" in unit["shortDescription"][0]["value"]:
                unit["shortDescription"] = [{"value": spelling, "lang": "en"}]
    result = import_ilcd(data)
    epd = _doc(result)["epd"]
    assert len(epd["gwp"]) == 28 and epd["gwp_a1_a3_kg_co2e"] == 21.8
    assert not [n for n in result.notes if n.code == "GT-IMPORT-004"]


def test_gwp_in_tonnes_is_refused_with_a_note_naming_the_spelling():
    data = _load(ILCD_A1)
    data["LCIAResults"]["LCIAResult"][0]["other"]["anies"][0]["value"]["shortDescription"][0]["value"] = "t CO2e"
    result = import_ilcd(data)
    assert "gwp" not in _doc(result)["epd"]
    notes = [n for n in result.notes if n.code == "GT-IMPORT-004"]
    assert len(notes) == 3 and all("'t CO2e'" in n.message and "tonnes" in n.message for n in notes)


# -- EN 15804+A1 and +A2 ----------------------------------------------------------------------------------
def test_en15804_a1_gwp_lands_as_total_with_its_edition():
    """A1's "Global warming potential (GWP)" was lost with no note at all."""
    epd = _doc(import_ilcd(ILCD_A1))["epd"]
    assert epd["gwp"] == [{"indicator": "total", "module": "A1-A3", "value": 152.4},
                          {"indicator": "total", "module": "A4", "value": 7.9},
                          {"indicator": "total", "module": "D", "value": -12.1}]
    assert epd["impact_method"] == "EN 15804+A1" and epd["gwp_a1_a3_kg_co2e"] == 152.4
    assert _doc(import_ilcd(ILCD_A2))["epd"]["impact_method"] == "EN 15804+A2"


def test_a_gwp_indicator_without_a_home_is_noted_with_why():
    data = _load(ILCD_A2)
    data["LCIAResults"]["LCIAResult"][0]["referenceToLCIAMethodDataSet"]["shortDescription"] = [
        {"value": "Global Warming Potential - greenhouse gases (GWP-GHG)", "lang": "en"}]
    result = import_ilcd(data)
    (note,) = [n for n in result.notes if n.pointer == "/LCIAResults/LCIAResult/0"]
    assert "GWP-GHG" in note.message and "GWP-total" in note.message


def test_independent_external_review_is_third_party_verification():
    v = _doc(import_ilcd(ILCD_A1))["epd"]["verification"]
    assert v["third_party"] is True and v["coverage"] == "Independent external review"


# -- names are not standards ------------------------------------------------------------------------------
def test_free_text_names_do_not_become_standards():
    result = import_pact(PACT2_API)
    doc = _doc(result)
    assert doc["standards"] == ["ISO 14067"]  # was also "TOGETHER FOR SUSTAINABILITY PCF GUIDELINE V 3", ...
    assert doc["methods"] == [{"id": "ghg-protocol-product"}]
    lost = {n.pointer: n.message for n in result.unmapped}
    for i, name in ((2, "Together for Sustainability"), (3, "ecoinvent 3.8"), (4, "IPCC 2021"), (5, "ABC 2021")):
        message = lost[f"/data/pcf/crossSectoralStandardsUsed/{i}"]
        assert name in message and "not a standard designator" in message


def test_known_designators_still_become_standards():
    data = _load(PACT2)
    data["pcf"]["crossSectoralStandardsUsed"] = ["EN ISO 14067:2018", "GB/T 24067-2024", "PAS 2050", "ISO/TS 14067"]
    assert _doc(import_pact(data))["standards"] == ["EN ISO 14067:2018", "GB/T 24067-2024", "PAS 2050",
                                                   "ISO/TS 14067"]


# -- the source's version, never a guess -------------------------------------------------------------------
def test_catenax_6_style_is_not_imported_as_8():
    result = import_catenax(CX6)
    doc = _doc(result)
    assert "version" not in doc["source"]  # was "8", with a note claiming no 8.0.0 schema is shipped
    assert any("states no Catena-X data-model version" in n.message and "2.0.1-20230314" in n.message
               for n in result.notes)
    assert doc["carbon_footprint"]["pcf_excluding_biogenic"] == 4.1


def test_catenax_10_is_read_like_9():
    result = import_catenax(CX10)
    doc = _doc(result)
    assert doc["source"]["version"] == "10.0.0"
    cf = doc["carbon_footprint"]
    assert cf["declared_unit"] == {"amount": 1.0, "unit": "kilogram"} and cf["pcf_excluding_biogenic"] == 12.5
    assert doc["standards"] == ["ISO 14067"] and doc["valid_until"] == "2025-12-31"


@pytest.mark.parametrize(("fn", "path", "says"), [
    (import_catenax, PACT2, "this is a PACT ProductFootprint 2.2.0 file: use `greentrade import pact`"),
    (import_pact, CX8, "this is a Catena-X PCF 8.0.0 file: use `greentrade import catenax`"),
    (import_pact, CX6, "this is a Catena-X PCF file: use `greentrade import catenax`"),
    (import_ilcd, PACT2, "use `greentrade import pact`"),
    (import_batterypass, CX10, "use `greentrade import catenax`"),
])
def test_a_file_of_another_format_is_refused_naming_it(fn, path, says):
    result = fn(path)  # a PACT file run as catenax was Catena-X "8"; a Catena-X file run as pact was PACT "3"
    assert not result.ok
    (note,) = [n for n in result.notes if n.severity == "error"]
    assert says in note.message and note.file == path.name and path.name not in note.message


def test_pact_without_spec_version_is_refused_not_guessed():
    data = _load(PACT2)
    del data["specVersion"]
    result = import_pact(data)
    assert not result.ok and any("no specVersion" in n.message for n in result.notes)


def test_pact_api_envelopes_and_cloudevents():
    one = import_pact(PACT2_API)  # {"data": {...}}
    assert one.ok and _doc(one)["source"]["version"] == "2.0.0"
    event = import_pact(PACT3_EVENT)  # CloudEvents: data.pfs
    doc = _doc(event)
    assert doc["source"]["id"] == "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7"
    assert doc["carbon_footprint"]["pcf_excluding_biogenic"] == 412.7
    assert not any(n.pointer.startswith("/data/requestEventId") for n in event.notes)


# -- battery unit -------------------------------------------------------------------------------------------
def test_battery_stage_values_keep_their_unit_per_kwh():
    battery = _doc(import_batterypass(SYN / "batterypass-carbonfootprint-values.json"))["battery"]
    assert battery["lifecycle_stages"][0] == {"stage": "RawMaterialExtraction", "kg_co2e_per_kwh": 31.2}
    assert all("kg_co2e" not in s for s in battery["lifecycle_stages"])  # were stored as kg CO2e


# -- one bad value, one note -----------------------------------------------------------------------------------
def test_a_gtin_with_a_wrong_check_digit_is_one_note_and_the_rest_imports():
    result = import_pact(PACT2_API, PACT2)  # was: "the imported dossier is not valid", nothing imported
    assert result.ok and len(result.dossier["documents"]) == 2
    (note,) = [n for n in result.notes if n.severity == "warning"]
    assert (note.code, note.file, note.pointer) == ("GT-IMPORT-004", PACT2_API.name, "/data/productIds/0")
    assert "check digit" in note.message
    product = next(p for p in result.dossier["products"] if p["source"]["id"].startswith("0c5d2a1e"))
    assert product["identifiers"] == [{"scheme": "urn", "value": "urn:synthetic:product:ETH-98"},
                                      {"scheme": "un-cpc", "value": "3342"}]


def test_catenax_bad_product_id_is_one_note():
    result = import_catenax(CX6)
    assert result.ok
    warnings = [(n.code, n.pointer) for n in result.notes if n.severity == "warning"]
    assert warnings == [("GT-IMPORT-004", "/productIds/0")]


def test_a_bad_date_or_number_in_one_footprint_keeps_the_others():
    a, b = _load(PACT2), _load(SYN / "pact-v2-api-response.json")["data"]
    a["created"] = "2024-02-30T00:00:00Z"
    b["pcf"]["pCfExcludingBiogenic"] = "about 1.4"
    result = import_pact([a, b])
    assert result.ok and len(result.dossier["documents"]) == 2
    bad = {(n.pointer, n.code) for n in result.notes if n.severity == "warning"}
    assert {("/0/created", "GT-IMPORT-004"), ("/1/pcf/pCfExcludingBiogenic", "GT-IMPORT-004")} <= bad


def test_the_guard_drops_one_value_not_the_import():
    """A value the mappings let through and the dossier refuses costs that value, with file and item."""
    from greentrade.importers._base import ImportNote
    from greentrade.importers._guard import check

    dossier = import_pact(PACT2).dossier
    dossier["products"][0]["identifiers"].append({"scheme": "gtin", "value": "4712345060508"})
    notes: list[ImportNote] = []
    check(dossier, notes, {("products", dossier["products"][0]["id"]): ("x.json", "/3")})
    assert [(n.code, n.file, n.pointer) for n in notes] == [("GT-IMPORT-004", "x.json", "/3")]
    assert "check digit" in notes[0].message and "/identifiers/3" in notes[0].message
    assert len(dossier["products"][0]["identifiers"]) == 3 and len(dossier["documents"]) == 1


# -- roles from the source -----------------------------------------------------------------------------------
def test_ilcd_owner_is_not_the_manufacturer():
    result = import_ilcd(ILCD_A1)
    d = result.dossier
    assert "manufacturer" not in d["products"][0]  # was the data-set owner, an industry association
    roles = {p["name"]: p["roles"] for p in d["parties"]}
    assert roles["Synthetic Precast Association e.V."] == ["data-set-owner", "commissioner"]
    assert roles["Synthetic LCA Software GmbH"] == ["lca-practitioner"]
    assert not any("manufacturer" in r for r in roles.values())
    assert any("average dataset" in n.message and "no manufacturer" in n.message for n in result.notes)
    assert d["documents"][0]["holder"] == "party-synthetic-precast-association-e-v"


# -- no duplicates ---------------------------------------------------------------------------------------------
def test_the_same_footprint_twice_is_merged_with_a_note():
    result = import_pact(PACT2, PACT2)
    assert len(result.dossier["documents"]) == 1 and len(result.dossier["products"]) == 1
    assert result.duplicates == 1
    assert any("given again" in n.message for n in result.notes)
    assert len(import_ilcd(ILCD_A1, ILCD_A1).dossier["documents"]) == 1
    general = FIX / "batterypass" / "GeneralProductInformation-payload.json"
    assert len(import_batterypass(general, general).dossier["products"]) == 1


def test_another_revision_of_the_same_data_set_is_not_merged():
    """ILCD keeps a data set's UUID across its versions: dataSetVersion tells them apart."""
    newer = _load(ILCD_A1)
    newer["administrativeInformation"]["publicationAndOwnership"]["dataSetVersion"] = "00.02.000"
    result = import_ilcd(ILCD_A1, newer)
    assert [d["source"]["revision"] for d in result.dossier["documents"]] == ["00.01.000", "00.02.000"]
    merged, _notes = merge(import_ilcd(ILCD_A1).dossier, import_ilcd(newer).dossier)
    assert len(merged["documents"]) == 2
    pact = _load(PACT2)
    pact["version"] = 2
    assert len(import_pact(PACT2, pact).dossier["documents"]) == 2


def test_importing_again_with_other_options_merges():
    first = import_pact(PACT2).dossier
    again = import_pact(PACT2, options=ImportOptions(hs_code="940541", category="solar-street-light")).dossier
    merged, notes = merge(first, again)
    assert len(merged["documents"]) == 1 and len(merged["products"]) == 1  # was a second "-2" copy of each
    assert merged["products"][0]["hs_code"] == "940541"  # filled in; nothing there is overwritten
    assert any("same source id and version" in n.message for n in notes)


# -- validate after the import; messages --------------------------------------------------------------------
def test_validate_a_dossier_without_shipments_says_nothing_to_judge(tmp_path, capsys):
    out = tmp_path / "imported.json"
    assert main(["import", "pact", str(PACT2), "--output", str(out)]) == 0
    capsys.readouterr()
    assert main(["validate", str(out), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    (finding,) = [f for f in report["findings"] if f["rule"] == "GT-ENGINE-010"]
    assert finding["severity"] == "info" and "no shipment: nothing to judge" in finding["message"]
    assert "--into" in finding["message"] and "docs/import.md" in finding["message"]


def test_failed_import_never_says_lossless_and_names_each_file_once(tmp_path, capsys):
    assert main(["import", "pact", str(CX8), str(PACT2)]) == 1
    err = capsys.readouterr().err
    assert "lossless" not in err and "nothing written" in err
    line = next(x for x in err.splitlines() if "GT-IMPORT-007" in x)
    assert line.count("Pcf-8.0.0.json") == 1


def test_summary_counts_this_import_not_the_merged_dossier(tmp_path, capsys):
    base = Path(__file__).resolve().parents[1] / "examples" / "zhejiang-solar-portfolio.json"
    assert main(["import", "pact", str(PACT2), "--into", str(base), "--output", str(tmp_path / "m.json")]) == 0
    err = capsys.readouterr().err
    assert "imported 1 document(s), 1 product(s), 2 party(ies) from 1 file(s)" in err


def test_lossless_only_when_it_was(capsys):
    battery = SYN / "batterypass-carbonfootprint-values.json"
    assert main(["import", "batterypass", str(battery)]) == 0
    assert "(lossless)" in capsys.readouterr().err
    assert main(["import", "pact", str(PACT2_API)]) == 0
    assert "lossless" not in capsys.readouterr().err


def test_notes_as_json(tmp_path, capsys):
    notes_file = tmp_path / "notes.json"
    assert main(["import", "pact", str(PACT2_API), "--notes-format", "json", "--notes", str(notes_file)]) == 0
    err = json.loads(capsys.readouterr().err)
    assert err == json.loads(notes_file.read_text("utf-8"))
    assert err["summary"]["documents"] == 1 and err["summary"]["lossless"] is False
    warning = next(n for n in err["notes"] if n["severity"] == "warning")
    assert warning == {"code": "GT-IMPORT-004", "severity": "warning", "file": PACT2_API.name,
                       "pointer": "/data/productIds/0", "message": warning["message"]}


def test_the_notes_file_is_never_a_source_or_the_output(tmp_path, capsys):
    source = tmp_path / "pf.json"
    source.write_bytes(PACT2.read_bytes())
    out = tmp_path / "out.json"
    assert main(["import", "pact", str(source), "--notes", str(source)]) == 2
    assert main(["import", "pact", str(source), "-o", str(out), "--notes", str(out)]) == 2
    assert source.read_bytes() == PACT2.read_bytes() and not out.exists()
    assert "cannot write" in capsys.readouterr().err


def test_import_is_deterministic_with_duplicates():
    a = import_pact(PACT2, copy.deepcopy(_load(PACT2))).to_json()
    assert a == import_pact(PACT2, PACT2).to_json()
