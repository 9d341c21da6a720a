"""Bad input: every problem is a finding with a pointer, or a one-line read error."""

import copy
import json
from pathlib import Path

import pytest

from greentrade import DossierReadError, Engine

DOSSIER = json.loads((Path(__file__).parent / "data" / "core-dossier.json").read_text())


def findings(data):
    report = Engine().validate(data)
    return {(f.rule, f.pointer) for f in report.findings}, report


def mutate(fn):
    data = copy.deepcopy(DOSSIER)
    fn(data)
    return data


def test_valid_dossier_has_no_findings():
    got, report = findings(DOSSIER)
    assert got == set() and report.evaluated and report.ok


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"{", "line 1, column 2"),
        (b'{"format": "greentrade.dossier/1",\n "parties": [}', "line 2, column 14"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[]", "top-level JSON value is an array"),
        (b'"x"', "is a string"),
        (b"", "line 1, column 1"),
    ],
)
def test_unreadable_input_is_one_clear_error(text, message):
    with pytest.raises(DossierReadError, match=message):
        Engine().validate(text)


def test_missing_file():
    with pytest.raises(DossierReadError, match="cannot read"):
        Engine().validate(Path("/nonexistent/dossier.json"))


CASES = [
    ("unknown key", lambda d: d["parties"][0].update(colour="green"), "GT-SCHEMA-002", "/parties/0/colour"),
    ("unknown top key", lambda d: d.update(extra=1), "GT-SCHEMA-002", "/extra"),
    ("wrong type", lambda d: d["shipments"][0]["lines"][0].update(quantity="200"), "GT-SCHEMA-001",
     "/shipments/0/lines/0/quantity"),
    ("negative quantity", lambda d: d["shipments"][0]["lines"][0].update(quantity=-5), "GT-SCHEMA-001",
     "/shipments/0/lines/0/quantity"),
    ("zero quantity", lambda d: d["shipments"][0]["lines"][0].update(quantity=0), "GT-SCHEMA-001",
     "/shipments/0/lines/0/quantity"),
    ("missing required", lambda d: d["products"][0].pop("hs_code"), "GT-SCHEMA-001", "/products/0"),
    ("bad locode syntax", lambda d: d["shipments"][0].update(port_of_export="CN NGB"), "GT-SCHEMA-001",
     "/shipments/0/port_of_export"),
    ("missing format", lambda d: d.pop("format"), "GT-SCHEMA-001", ""),
    ("impossible date", lambda d: d["shipments"][0].update(ship_date="2026-02-30"), "GT-DATA-001",
     "/shipments/0/ship_date"),
    ("dates out of order", lambda d: d["documents"][0].update(valid_until="2025-01-01"), "GT-DATA-001",
     "/documents/0/valid_until"),
    ("unknown country", lambda d: d["parties"][0].update(country="XX"), "GT-DATA-001", "/parties/0/country"),
    ("unknown HS subheading", lambda d: d["products"][0].update(hs_code="940540"), "GT-DATA-001",
     "/products/0/hs_code"),
    ("locode of unknown country", lambda d: d["shipments"][0].update(port_of_export="XXNGB"), "GT-DATA-001",
     "/shipments/0/port_of_export"),
    ("unknown currency", lambda d: d["shipments"][0]["lines"][0].update(currency="XYZ"), "GT-DATA-001",
     "/shipments/0/lines/0/currency"),
    ("value without currency", lambda d: d["shipments"][0]["lines"][0].pop("currency"), "GT-DATA-001",
     "/shipments/0/lines/0/currency"),
    ("bad USCC", lambda d: d["parties"][0].update(identifiers=[{"scheme": "uscc", "value": "91330100MA2B3C4D5X"}]),
     "GT-DATA-001", "/parties/0/identifiers/0/value"),
    ("bad LEI", lambda d: d["parties"][0].update(identifiers=[{"scheme": "lei", "value": "5493001KJTIIGC8Y1R13"}]),
     "GT-DATA-001", "/parties/0/identifiers/0/value"),
    ("garbage standard", lambda d: d["documents"][0].update(standards=["carbon stuff"]), "GT-DATA-001",
     "/documents/0/standards/0"),
    ("dangling product", lambda d: d["shipments"][0]["lines"][0].update(product="NOPE"), "GT-REF-001",
     "/shipments/0/lines/0/product"),
    ("dangling document", lambda d: d["shipments"][0].update(documents=["D1", "D9"]), "GT-REF-001",
     "/shipments/0/documents/1"),
    ("dangling issuer", lambda d: d["documents"][0].update(issuer="CB-X"), "GT-REF-001", "/documents/0/issuer"),
    ("site of another party", lambda d: d["products"][0].update(manufacturing_site="SITE-9"), "GT-REF-001",
     "/products/0/manufacturing_site"),
    ("duplicate id", lambda d: d["products"].append(dict(d["products"][0])), "GT-REF-002", "/products/1/id"),
    ("unknown category", lambda d: d["products"][0].update(category="solar-toaster"), "GT-REF-003",
     "/products/0/category"),
]


@pytest.mark.parametrize(("name", "change", "rule", "pointer"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_becomes_a_located_finding(name, change, rule, pointer):
    data = mutate(change)
    before = copy.deepcopy(data)
    got, report = findings(data)
    assert (rule, pointer) in got, sorted(got)
    assert not report.ok and not report.evaluated
    assert data == before  # never mutated


def test_several_problems_are_all_reported():
    def change(d):
        d["parties"][0]["country"] = "XX"
        d["shipments"][0]["ship_date"] = "2026-13-01"
        d["shipments"][0]["lines"][0]["currency"] = "ABC"

    got, _ = findings(mutate(change))
    assert {p for _r, p in got} >= {"/parties/0/country", "/shipments/0/ship_date", "/shipments/0/lines/0/currency"}


def test_unknown_key_message_names_the_key_and_the_allowed_ones():
    _, report = findings(mutate(lambda d: d["products"][0].update(hscode="940541")))
    (f,) = [f for f in report.findings if f.rule == "GT-SCHEMA-002"]
    assert "'hscode'" in f.message and "hs_code" in f.message


def test_unknown_keys_can_be_downgraded_to_warnings():
    data = mutate(lambda d: d["parties"][0].update(erp_internal_id=42))
    before = copy.deepcopy(data)
    strict = Engine().validate(data)
    assert not strict.ok and not strict.evaluated
    lenient = Engine(config={"greentrade": {"unknown_keys": "warn"}}).validate(data)
    (f,) = lenient.findings
    assert (f.rule, f.severity, f.pointer) == ("GT-SCHEMA-002", "warning", "/parties/0/erp_internal_id")
    assert lenient.ok and lenient.evaluated
    assert data == before
    # other errors still stop evaluation
    data["parties"][0]["country"] = 7
    assert not Engine(unknown_keys="warn").validate(data).evaluated


def test_control_characters_are_judged_the_same_with_and_without_the_accelerator():
    from greentrade.io._schemas import validator

    data = mutate(lambda d: d["parties"][0].update(name="\x1c"))
    v = validator("dossier")
    assert v.is_valid(data) is v._reference.is_valid(data) is False
    got, _ = findings(data)
    assert ("GT-SCHEMA-001", "/parties/0/name") in got


def test_duplicate_spec_names_are_reported():
    data = mutate(lambda d: d["products"][0]["specs"].append({"name": "power", "value": 80, "unit": "W"}))
    got, _ = findings(data)
    assert ("GT-REF-002", "/products/0/specs/1/name") in got


# -- structuring schema-valid data: each list item fast, a refused one in detail -----------------
def _problems(structure, data):
    from greentrade.io._load import _structure_findings

    try:
        structure(data)
    except Exception as exc:
        return sorted((json.dumps(path), message) for path, message in _structure_findings(exc, []))
    return None


def _several_defects():
    from hypothesis import strategies as st

    from greentrade.testing.strategies import dossier_json
    from greentrade.testing.strategies._invalid import _MUTATORS

    @st.composite
    def build(draw):
        data = draw(dossier_json(max_shipments=3, max_lines=3, min_documents=1))
        for _ in range(draw(st.integers(1, 4))):
            _MUTATORS[draw(st.sampled_from(["bad-code", "swapped-dates", "impossible-date"]))](draw, data)
        return data

    return build()


def test_checked_structuring_finds_what_the_detailed_converter_finds():
    # The engine structures list items one by one through the fast converter and only a
    # refused item through the detailed one (#22): the problems found, their paths and messages
    # are those of structuring the whole dossier in detail.
    from hypothesis import HealthCheck, given, settings

    from greentrade.io._schemas import validator
    from greentrade.model import Dossier, _convert

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_several_defects())
    def check(data):
        if not validator("dossier").is_valid(data):
            return  # the engine stops at the schema
        detailed = _problems(lambda d: _convert.structure_detailed(d, Dossier), data)
        assert _problems(lambda d: _convert.structure_checked(d, Dossier), data) == detailed

    check()
