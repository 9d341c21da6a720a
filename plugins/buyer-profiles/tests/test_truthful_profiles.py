"""Issue #19 for the buyer profiles and tender rules: the EU Battery Regulation's dates and the
battery passport, the CPR declaration of performance only where it applies, the GB/T 33761 items
as readings, EN 15804 for any construction product, citations per source."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from greentrade import Engine
from greentrade.readiness._assess import assess

import greentrade_buyer_profiles

HERE = Path(__file__).resolve().parent.parent
PORTFOLIO = json.loads((HERE / "examples" / "portfolio.json").read_text())
ART7 = "eu-battery-regulation.art7-application-date"
ART77 = "eu-battery-regulation.art77-application-date"


def _engine(config=None) -> Engine:
    engine = Engine(config=config)
    engine.register(greentrade_buyer_profiles, name="buyer-profiles")
    return engine


def _reqs(engine: Engine | None = None) -> dict:
    return {r.id: r for p in (engine or _engine()).profiles for r in p.requirements}


def _check(a, product: str, market: str, req: str):
    return next(r for r in a.cell(product, market).requirements if r.requirement == req)


def _product(data, pid):
    return next(p for p in data["products"] if p["id"] == pid)


def test_article7_is_18_months_after_both_acts_and_external_storage_is_later_not_exempt():
    reqs = _reqs()
    art7, ext = reqs["EU-ESS-CFD-BATT-ART7"], reqs["EU-ESS-CFD-BATT-ART7-EXT"]
    for r in (art7, ext):
        assert "18 months" in r.citation.note and "12 months" not in r.citation.note + (r.note or "")
        assert "implementing act" in r.citation.note and "latest" in r.citation.note
        assert r.effective_from_reference == ART7
    assert "exempt" not in (art7.note or "").replace("not exempt", "")
    assert ext.effective_from == dt.date(2030, 8, 18) and ext.applies_if_values == (True,)
    assert art7.effective_from == dt.date(2026, 2, 18) and art7.applies_if_values == (False,)


def test_external_storage_battery_gets_article7_from_2030():
    data = copy.deepcopy(PORTFOLIO)
    _product(data, "P07")["exclusively_external_storage"] = True
    engine = _engine({"reference": {ART7: "2027-01-01", ART77: "2027-02-18"}})
    before = assess(engine, data, markets=["europe"], as_of=dt.date(2030, 8, 17))
    check = _check(before, "P07", "europe", "EU-ESS-CFD-BATT-ART7-EXT")
    assert not check.in_force and check.effective_from == dt.date(2030, 8, 18)
    assert all(r.requirement != "EU-ESS-CFD-BATT-ART7" for r in before.cell("P07", "europe").requirements)
    after = assess(engine, data, markets=["europe"], as_of=dt.date(2030, 8, 18))
    assert _check(after, "P07", "europe", "EU-ESS-CFD-BATT-ART7-EXT").in_force


def test_unstated_storage_is_undetermined():
    data = copy.deepcopy(PORTFOLIO)
    del _product(data, "P07")["exclusively_external_storage"]
    a = assess(_engine({"reference": {ART7: "2026-02-18", ART77: "2027-02-18"}}), data, markets=["europe"],
               as_of=dt.date(2026, 7, 1))
    kinds = {g.kind for g in _check(a, "P07", "europe", "EU-ESS-CFD-BATT-ART7").gaps}
    assert kinds == {"field-unknown"} and a.cell("P07", "europe").status == "undetermined"


def test_battery_passport_from_the_hosts_date_else_undetermined():
    p = _reqs()["EU-ESS-BATT-PASSPORT-ART77"]
    assert (p.document_type, p.level, p.standing, p.effective_from) == (
        "battery-passport", "required", "law", dt.date(2027, 2, 18))
    assert (p.applies_if_spec, p.applies_if_min, p.applies_if_unit, p.applies_if_exclusive) == (
        "capacity", 2, "kWh", True)
    assert "Article 77" in p.citation.title
    no_date = assess(_engine({"reference": {ART7: "2026-02-18"}}), PORTFOLIO, markets=["europe"],
                     as_of=dt.date(2027, 3, 1))
    gaps = {g.kind for g in _check(no_date, "P07", "europe", "EU-ESS-BATT-PASSPORT-ART77").gaps}
    assert "application-date-unknown" in gaps
    assert _check(no_date, "P07", "europe", "EU-ESS-BATT-PASSPORT-ART77").in_force
    dated = assess(_engine({"reference": {ART7: "2026-02-18", ART77: "2027-02-18"}}), PORTFOLIO, markets=["europe"],
                   as_of=dt.date(2027, 3, 1))
    check = _check(dated, "P07", "europe", "EU-ESS-BATT-PASSPORT-ART77")
    assert [g.kind for g in check.gaps] == ["missing-document"] and "battery-passport" in check.gaps[0].action
    # 1.2 kWh: not over 2 kWh
    assert all(r.requirement != "EU-ESS-BATT-PASSPORT-ART77" for r in dated.cell("P08", "europe").requirements)


@pytest.mark.parametrize(("coverage", "applies", "kinds"), [
    ("harmonised-standard", True, set()),
    ("european-assessment-document", True, set()),
    ("none", False, None),
    (None, True, {"field-unknown"}),
])
def test_declaration_of_performance_only_where_the_cpr_requires_it(coverage, applies, kinds):
    data = copy.deepcopy(PORTFOLIO)
    product = _product(data, "P10")
    if coverage is None:
        del product["cpr_coverage"]
    else:
        product["cpr_coverage"] = coverage
    a = assess(_engine(), data, markets=["europe"], as_of=dt.date(2026, 7, 1))
    found = [r for r in a.cell("P10", "europe").requirements if r.requirement == "EU-GBM-DOP-CPR"]
    assert bool(found) is applies
    if applies:
        assert {g.kind for g in found[0].gaps} == kinds
    else:
        assert any("EU-GBM-DOP-CPR does not apply" in n for n in a.cell("P10", "europe").notes)


def test_missing_declaration_of_performance_names_it():
    a = assess(_engine(), PORTFOLIO, markets=["europe"], as_of=dt.date(2026, 7, 1))
    (gap,) = _check(a, "P11", "europe", "EU-GBM-DOP-CPR").gaps
    assert "declaration-of-performance" in gap.action and "declaration-of-conformity" not in gap.action


def test_gbt_33761_items_are_readings_and_an_older_edition_is_undetermined():
    reqs = _reqs()
    items = [r for r in reqs.values() if r.id.endswith("-GBT33761")]
    assert len(items) == 12
    for r in items:
        assert r.basis == "inferred" and "general guideline" in (r.note or "") and "reading" in (r.note or "")
        assert "product-specific standard" in r.title
    data = copy.deepcopy(PORTFOLIO)
    certs = [d for d in data["documents"] if any(str(s).startswith("GB/T 33761") for s in d.get("standards", []))]
    assert certs
    for d in certs:
        d["standards"] = ["GB/T 33761-2017"]
    a = assess(_engine(), data, markets=["middle-east"], as_of=dt.date(2026, 7, 1))
    checks = [r for p in a.products for r in a.cell(p.product, "middle-east").requirements
              if r.requirement.endswith("-GBT33761")]
    kinds = {g.kind for r in checks for g in r.gaps}
    assert "edition-undetermined" in kinds and "wrong-edition" not in kinds
    assert checks and all(r.basis == "inferred" for r in checks)
    rows = [r for p in a.to_dict()["products"] for c in p["cells"] for r in c["requirements"]
            if r["requirement"].endswith("-GBT33761")]
    assert rows and all(r["basis"] == "inferred" for r in rows)


def test_en15804_is_for_any_construction_product():
    for r in _reqs().values():
        if r.id.endswith("EPD-EN15804"):
            assert "any construction product" in (r.note or ""), r.id


def test_middle_east_and_latin_america_do_not_cite_the_asean_declaration():
    profiles = {p.id: p for p in _engine().profiles}
    for pid in ("me-green-procurement", "latam-green-procurement"):
        c = profiles[pid].citation
        text = " ".join(filter(None, (c.authority, c.title, c.reference, c.note)))
        assert "ASEAN" not in text and "Timor" not in text, pid


def test_tender006_cites_the_host_configuration():
    rule = next(r for r in _engine().rules if r.id == "TENDER-006")
    assert rule.citation.authority.startswith("The host") and "tender" not in rule.citation.title.lower()
