"""The strategies of greentrade.testing.strategies produce what they promise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greentrade import (
    Accreditation,
    Amendment,
    CarbonFootprint,
    CoveredProduct,
    Document,
    Dossier,
    Engine,
    Epd,
    Identifier,
    Party,
    Period,
    Product,
    Shipment,
    ShipmentLine,
    Site,
    Spec,
    StandardDesignator,
    Status,
    Tender,
    structure,
    unstructure,
)
from greentrade.io._schemas import validator
from greentrade.model import _codes
from greentrade.testing import strategies as gts

CORE = Engine()


def _clean(report: Any) -> bool:
    return report.evaluated and not report.findings


# -- whole dossiers ----------------------------------------------------------------------------


@given(gts.dossier_json())
def test_dossier_json_is_valid_evaluated_and_canonical(data: dict[str, Any]) -> None:
    assert validator("dossier").is_valid(data)
    report = CORE.validate(data)
    assert _clean(report), report.to_text()
    assert unstructure(structure(data)) == data


@given(gts.dossier_json(
    categories=["pv-module"], exporter_countries=["VN"], destination_countries=["SA", "AE"],
    ports=["VNSGN"], ship_dates=(dt.date(2027, 3, 1), dt.date(2027, 3, 31)), min_shipments=2,
    max_shipments=3, min_lines=2, max_lines=2, min_documents=1, max_documents=1,
    document_types=["epd"], with_buyer=True,
))
def test_dossier_parameters_are_honoured(data: dict[str, Any]) -> None:
    assert _clean(CORE.validate(data))
    assert {p["category"] for p in data["products"]} == {"pv-module"}
    assert {p["hs_code"] for p in data["products"]} == {"854143"}
    assert 2 <= len(data["shipments"]) <= 3
    exporter = next(p for p in data["parties"] if "exporter" in p["roles"])
    assert exporter["country"] == "VN"
    for sh in data["shipments"]:
        assert len(sh["lines"]) == 2 and sh["port_of_export"] == "VNSGN"
        assert sh["destination_country"] in {"SA", "AE"} and "buyer" in sh
        assert "2027-03-01" <= sh["ship_date"] <= "2027-03-31"
    (doc,) = data["documents"]
    assert doc["type"] == "epd" and "epd" in doc


@given(gts.dossiers(min_documents=1, max_documents=2))
def test_documents_are_valid_on_every_ship_date(dossier: Dossier) -> None:
    for shipment in dossier.shipments:
        for doc in dossier.documents:
            assert doc.valid_on(shipment.ship_date)
    for party in dossier.parties:
        for acc in party.accreditations:
            assert all(acc.valid_on(doc.issue_date) for doc in dossier.documents)


def test_bad_bounds_are_refused() -> None:
    with pytest.raises(ValueError):
        gts.dossiers(min_lines=0)
    with pytest.raises(ValueError):
        gts.dossiers(min_documents=3, max_documents=1)
    with pytest.raises(ValueError):
        gts.invalid_dossiers(kinds=["no-such-kind"])
    with pytest.raises(ValueError):
        gts.hs_codes(chapters=["00"])


# -- entities ----------------------------------------------------------------------------------

# A party outside a dossier unstructures in format 2 (its accreditations' arrangement); a format-1
# dossier writes format 1's flag (test_json_entities_json_round_trip).
_SCHEMA_OF = {Party: "party-2", Product: "product", Document: "document", Shipment: "shipment", Tender: "tender"}


@pytest.mark.parametrize("cls", list(gts.entity_strategies()), ids=lambda c: c.__name__)
def test_entity_strategies_round_trip(cls: type) -> None:
    @settings(max_examples=15)
    @given(gts.entity_strategies()[cls])
    def check(value: Any) -> None:
        assert isinstance(value, cls)
        data = unstructure(value)
        if cls in _SCHEMA_OF:
            assert validator(_SCHEMA_OF[cls]).is_valid(data), data
        if cls not in (StandardDesignator, Amendment):
            assert structure(data, cls) == value

    check()


@given(gts.identifiers(("uscc", "lei")))
def test_identifiers_pass_their_check_algorithms(ident: Identifier) -> None:
    assert _codes.check_identifier(ident.scheme, ident.value) is None


@given(gts.hs_codes(national_extension=None), gts.locodes(), gts.countries(), gts.currencies())
def test_codes_are_valid(hs: str, locode: str, country: str, currency: str) -> None:
    assert _codes.check_hs_code(hs) is None
    assert _codes.check_locode(locode) is None
    assert _codes.check_country(country) is None and _codes.check_currency(currency) is None


@given(gts.hs_codes(chapters=["94"]))
def test_hs_chapters(code: str) -> None:
    assert code.startswith("94") and len(code) == 6


@given(gts.standard_designators())
def test_designators_are_canonical(d: StandardDesignator) -> None:
    assert StandardDesignator.parse(str(d)) == d
    assert d.canonical


# Keep the import of every entity type used: the test above covers them through the registry.
assert {Accreditation, CarbonFootprint, CoveredProduct, Epd, Period, ShipmentLine, Site, Spec} <= set(
    gts.entity_strategies()
)


# -- invalid input -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", gts.MUTATION_KINDS)
def test_mutations_give_their_finding(kind: str) -> None:
    @given(gts.invalid_dossiers(kinds=[kind]))
    def check(m: gts.Mutation) -> None:
        report = CORE.validate(m.data)
        assert not report.evaluated
        found = {(f.rule, f.pointer) for f in report.findings}
        assert (m.rule, m.pointer) in found, (m.description, sorted(found))

    check()


@given(gts.invalid_dossiers())
def test_any_mutation_gives_its_finding(m: gts.Mutation) -> None:
    report = CORE.validate(m.data)
    assert (m.rule, m.pointer) in {(f.rule, f.pointer) for f in report.findings}


# -- dossiers with a chosen outcome (with the test plugin of conftest.py) ----------------------


def test_outcome_builders_are_registered(toy: Any) -> None:
    keys = [k for k in gts.outcome_builders() if k[0] == toy.PROGRAM]
    assert {k[1] for k in keys} == {str(s) for s in Status}


def _check_outcome(engine: Engine, data: dict[str, Any], program: str, status: str, reason: str | None) -> None:
    report = engine.validate(data)
    assert report.evaluated, report.to_text()
    rule_ids = {r.id for r in engine.rules}
    for sh in data["shipments"]:
        outcome = next(o for o in report.outcomes if o.program == program and o.subject == sh["id"])
        assert str(outcome.status) == status, report.to_text()
        if reason in rule_ids:
            assert reason in outcome.reasons


@pytest.mark.parametrize(
    "key", [k for k in gts.outcome_builders() if k[0] == "toy-green-lane"], ids=lambda k: "/".join(map(str, k))
)
def test_toy_outcomes(toy: Any, key: tuple[str, str, str | None]) -> None:
    engine = toy.engine()
    program, status, reason = key

    @given(gts.dossiers_with_outcome(program, status, reason))
    def check(data: dict[str, Any]) -> None:
        _check_outcome(engine, data, program, status, reason)

    check()


def test_outcome_without_reason_draws_from_every_builder(toy: Any) -> None:
    engine = toy.engine()

    @settings(max_examples=10)
    @given(gts.dossiers_with_outcome(toy.PROGRAM, "not_applicable"))
    def check(data: dict[str, Any]) -> None:
        _check_outcome(engine, data, toy.PROGRAM, "not_applicable", None)

    check()


def test_unknown_outcome_names_the_registered_builders() -> None:
    with pytest.raises(LookupError, match="toy-green-lane/eligible"):
        gts.dossiers_with_outcome("no-such-program", "eligible")
    with pytest.raises(LookupError):
        gts.dossiers_with_outcome("toy-green-lane", "eligible", reason="NO-RULE-001")


def test_register_as_decorator_and_replace() -> None:
    @gts.register_outcome_builder("decorated-program", "eligible")
    def builder() -> st.SearchStrategy[dict[str, Any]]:
        return st.just({"format": "greentrade.dossier/1"})

    assert ("decorated-program", "eligible", None) in gts.outcome_builders()
    assert gts.outcome_config("decorated-program", "eligible") == {}

    @settings(max_examples=1)
    @given(gts.dossiers_with_outcome("decorated-program", "eligible"))
    def first(data: dict[str, Any]) -> None:
        assert data == {"format": "greentrade.dossier/1"}

    first()
    gts.register_outcome_builder("decorated-program", "eligible", lambda: st.just({}), config={"a": {}})
    assert gts.outcome_config("decorated-program", "eligible") == {"a": {}}

    @settings(max_examples=1)
    @given(gts.dossiers_with_outcome("decorated-program", "eligible"))
    def replaced(data: dict[str, Any]) -> None:
        assert data == {}

    replaced()


# -- builders of the real cn-green-channel program (registered by the plugin's entry point) ----
# tests/test_outcome_builders.py checks every builder of the three plugins.


@pytest.mark.parametrize("key", [("cn-green-channel", "eligible", None),
                                 ("cn-green-channel", "not_eligible", "CN-GC-004")],
                         ids=["eligible", "not_eligible-missing-declaration"])
def test_cn_green_channel_outcomes(key: tuple[str, str, str | None]) -> None:
    plugin = pytest.importorskip("greentrade_cn_green_channel")
    program, status, reason = key
    engine = Engine(config=gts.outcome_config(program, status, reason))
    engine.register(plugin, name="cn-green-channel")
    assert key in gts.outcome_builders() or (program, status, None) in gts.outcome_builders()

    @given(gts.dossiers_with_outcome(program, status, reason))
    def check(data: dict[str, Any]) -> None:
        _check_outcome(engine, data, program, status, reason)

    check()
