"""End to end: the portfolio example (14 products, six categories) assessed for every region,
with the expected readiness matrices; the first-party profiles; host overrides; tender promises."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from greentrade import Citation, Engine, Period, Program, Rule, Severity, hookimpl
from greentrade.io._schemas import validator
from greentrade.readiness._assess import assess

import greentrade_buyer_profiles

HERE = Path(__file__).resolve().parent.parent
PORTFOLIO = HERE / "examples" / "portfolio.json"
AS_OF = dt.date(2026, 7, 1)

R, OG, G, U, E, N = "ready", "optional-gaps", "gaps", "undetermined", "expiring", "no-requirements-known"
PRODUCTS = ["P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10", "P11", "P12", "P13", "P14"]
EXPECTED = {
    #                 P01 P02 P03 P04 P05 P06 P07 P08 P09 P10 P11 P12 P13 P14
    # P06, P07, P09: the date Article 7(1) of the Battery Regulation applies from is not configured.
    # P10: the EPD is common practice (preferred); the declaration of performance is in place.
    "europe":        [R, OG, G, R, R, U, U, R, U, OG, G, R, G, OG],
    "latin-america": [R, OG, OG, R, OG, R, R, OG, OG, OG, OG, R, OG, OG],
    "middle-east":   [R, OG, OG, R, OG, R, R, OG, OG, OG, OG, R, OG, OG],
    "southeast-asia": [N, N, N, R, OG, R, R, OG, OG, OG, OG, R, OG, N],
}


def _engine(config=None) -> Engine:
    engine = Engine(config=config)
    engine.register(greentrade_buyer_profiles, name="buyer-profiles")
    return engine


def _columns(a):
    return {m.id: [a.cell(p, m.id).status for p in PRODUCTS] for m in a.markets}


def test_portfolio_covers_six_categories():
    data = json.loads(PORTFOLIO.read_text())
    assert [p["id"] for p in data["products"]] == PRODUCTS
    assert {p["category"] for p in data["products"]} == {
        "solar-street-light", "solar-garden-light", "pv-module", "energy-storage-battery",
        "green-building-material", "smart-grid-equipment"}


def test_expected_matrix_per_region():
    a = assess(_engine(), PORTFOLIO, as_of=AS_OF)
    assert [m.id for m in a.markets] == sorted(EXPECTED)
    assert _columns(a) == EXPECTED
    assert not list(validator("assessment").iter_errors(a.to_dict()))


@pytest.mark.parametrize("region", sorted(EXPECTED))
def test_each_region_alone(region):
    a = assess(_engine(), PORTFOLIO, markets=[region], as_of=AS_OF)
    assert _columns(a) == {region: EXPECTED[region]}


def test_same_matrix_with_every_installed_plugin():
    """The programs' standards catalogs (if installed) give the same verdicts as the profiles' own editions."""
    engine = Engine()
    engine.load_entry_points()
    a = assess(engine, PORTFOLIO, as_of=AS_OF)
    assert _columns(a) == EXPECTED


def test_gap_kinds_in_europe():
    a = assess(_engine(), PORTFOLIO, markets=["europe"], as_of=AS_OF)

    def kinds(p):
        return sorted({g.kind for _r, g in a.cell(p, "europe").gaps})

    assert kinds("P03") == ["missing-document"]
    # ISO 14067 only; the battery passport (Art. 77, not yet in force) is missing too
    assert kinds("P06") == ["application-date-unknown", "missing-document", "wrong-declaration"]
    assert kinds("P07") == ["application-date-unknown", "missing-document"]  # 215 kWh: no declaration
    assert kinds("P09") == ["application-date-unknown", "spec-unknown"]  # capacity not stated
    assert kinds("P10") == ["expiring"]  # the preferred EPD
    assert kinds("P11") == ["missing-document", "wrong-edition"]  # no declaration of performance; EN 15804+A1
    assert kinds("P13") == ["not-valid"]  # suspended declaration of conformity
    assert kinds("P14") == ["unrecognized-issuer"]  # ISO/IEC 17025 lab, not ISO 14065
    p10 = a.cell("P10", "europe")
    assert (p10.earliest_expiry, p10.limiting_document) == (dt.date(2026, 8, 15), "EPD-PANEL")
    assert any("does not apply: capacity 1.2 kWh is not above 2 kWh" in n for n in a.cell("P08", "europe").notes)


def test_battery_article7_not_before_its_date():
    a = assess(_engine(), PORTFOLIO, markets=["europe"], as_of=dt.date(2026, 2, 17))
    assert a.cell("P07", "europe").status == OG  # the declaration is listed, but not yet in force


ART7_DATE = "eu-battery-regulation.art7-application-date"
ART77_DATE = "eu-battery-regulation.art77-application-date"


def test_battery_article7_needs_the_configured_application_date_and_an_article_7_declaration():
    # Without the host's date the item is undetermined, and says what would decide it.
    a = assess(_engine(), PORTFOLIO, markets=["europe"], as_of=dt.date(2027, 6, 1))
    (check,) = [r for r in a.cell("P07", "europe").requirements if r.requirement == "EU-ESS-CFD-BATT-ART7"]
    (gap,) = [g for g in check.gaps if g.kind == "application-date-unknown"]
    assert ART7_DATE in gap.action
    # With it: not before that date, and an ISO 14067 declaration is not an Article 7 declaration.
    engine = _engine({"reference": {ART7_DATE: "2027-03-01", ART77_DATE: "2031-01-01"}})
    before = assess(engine, PORTFOLIO, markets=["europe"], as_of=dt.date(2027, 2, 28))
    assert [before.cell(p, "europe").status for p in ("P06", "P07")] == [OG, OG]
    after = assess(engine, PORTFOLIO, markets=["europe"], as_of=dt.date(2027, 3, 1))
    assert [after.cell(p, "europe").status for p in ("P06", "P07")] == [G, G]
    art7 = [r for r in after.cell("P06", "europe").requirements if r.requirement == "EU-ESS-CFD-BATT-ART7"]
    assert sorted({g.kind for r in art7 for g in r.gaps}) == ["wrong-declaration"]
    # A declaration that states Article 7 of Regulation (EU) 2023/1542 meets it.
    data = json.loads(PORTFOLIO.read_text())
    cfd = next(d for d in data["documents"] if d["id"] == "CFD-ESS5")
    cfd["scope"] = "Carbon footprint declaration under Regulation (EU) 2023/1542, Article 7(1)"
    fixed = assess(engine, data, markets=["europe"], as_of=dt.date(2027, 3, 1))
    assert fixed.cell("P06", "europe").status == OG  # only the passport, not in force before 2031 here


def test_construction_products_need_a_declaration_of_performance_and_epd_is_practice():
    profiles = {p.id: p for p in _engine().profiles}
    reqs = {r.id: r for r in profiles["eu-green-public-procurement"].requirements}
    epd, dop = reqs["EU-GBM-EPD-EN15804"], reqs["EU-GBM-DOP-CPR"]
    assert (epd.level, epd.standing) == ("preferred", "common-practice")
    assert (dop.level, dop.standing, dop.document_type) == ("required", "law", "declaration-of-performance")
    assert "305/2011" in dop.citation.title and "2024/3110" in dop.citation.title
    assert "CELEX 32011R0305" in dop.citation.reference and "CELEX 32024R3110" in dop.citation.reference
    assert dop.citation.date == dt.date(2011, 3, 9) and "8 January 2026" in (dop.citation.note or "")


def test_eu_outermost_regions_in_latin_america_get_the_eu_profile_too():
    for country in ("GF", "GP", "MQ", "MF"):
        a = assess(_engine(), PORTFOLIO, markets=[country], as_of=AS_OF)
        assert a.markets[0].profiles == ("eu-green-public-procurement", "latam-green-procurement"), country


def test_eu_battery_item_reads_the_art7_method():
    """EU-ESS-CFD-BATT-ART7 is met by a declaration that states the Regulation (EU) 2023/1542
    Art. 7 method (dossier format 2), not by an ISO 14067 declaration alone."""
    from greentrade import migrate

    engine = _engine({"reference": {ART7_DATE: "2026-02-18"}})
    a = assess(engine, PORTFOLIO, markets=["europe"], as_of=AS_OF)
    gaps = [g for r in a.cell("P06", "europe").requirements if r.requirement == "EU-ESS-CFD-BATT-ART7"
            for g in r.gaps]
    assert [g.kind for g in gaps] == ["wrong-declaration"] and "2023/1542" in gaps[0].message
    data = migrate(PORTFOLIO)
    for doc in data["documents"]:
        if doc["type"] == "carbon-footprint-declaration" and any(c["product"] == "P06" for c in doc["products"]):
            doc["methods"] = [{"id": "eu-battery-art7"}]
    b = assess(engine, data, markets=["europe"], as_of=AS_OF)
    # Met; what is left is the battery passport (Art. 77), not in force before 2027-02-18.
    assert b.cell("P06", "europe").status == OG
    left = [r for r in b.cell("P06", "europe").requirements if r.gaps]
    assert [(r.requirement, r.in_force) for r in left] == [("EU-ESS-BATT-PASSPORT-ART77", False)]


def test_first_party_profiles():
    engine = _engine()
    profiles = {p.id: p for p in engine.profiles}
    assert sorted(profiles) == ["eu-green-public-procurement", "latam-green-procurement", "me-green-procurement",
                                "sea-project-buyers"]
    assert sorted(p.region for p in profiles.values()) == ["europe", "latin-america", "middle-east",
                                                           "southeast-asia"]
    for p in profiles.values():
        for r in p.requirements:
            assert r.citation.reference and r.standing in ("law", "published-pilot", "common-practice")
            if r.standing == "published-pilot":
                assert r.citation.authority.startswith("News report of an announcement attributed to")
                assert r.level == "preferred"
            if r.standing == "common-practice":  # practice is never a requirement of a first-party profile
                assert r.level == "preferred", r.id
    batt = next(r for r in profiles["eu-green-public-procurement"].requirements if r.id == "EU-ESS-CFD-BATT-ART7")
    assert (batt.applies_if_spec, batt.applies_if_min, batt.applies_if_unit) == ("capacity", 2, "kWh")
    assert batt.effective_from == dt.date(2026, 2, 18) and "2023/1542" in batt.citation.title
    assert batt.methods == ("eu-battery-art7",)
    assert not any(r.category.startswith("solar") for r in profiles["sea-project-buyers"].requirements)
    assert [w.program for w in profiles["me-green-procurement"].pathways] == ["cn-green-channel",
                                                                             "itc-green-export-pass"]


def test_host_overrides_and_adds_profiles():
    data = json.loads(json.dumps(greentrade_buyer_profiles._data.profiles_data()["profiles"][0]))
    data["requirements"] = [r for r in data["requirements"] if r["id"] != "EU-GBM-EPD-EN15804"]
    extra = {"id": "host-gcc-distributor", "title": "GCC distributors (host survey)", "buyer_type": "distributor",
             "region": "middle-east", "countries": ["AE", "SA"],
             "citation": {"authority": "host", "title": "own survey", "reference": "internal"},
             "requirements": [{"id": "GCC-GBM-EPD", "category": "green-building-material", "document_type": "epd",
                               "level": "required", "standing": "common-practice",
                               "standards": ["EN 15804:2012+A2:2019"],
                               "citation": {"authority": "host", "title": "own survey", "reference": "internal"}}]}
    a = assess(_engine({"profiles": [data, extra]}), PORTFOLIO, as_of=AS_OF)
    assert a.cell("P10", "europe").status == R  # the host dropped the EPD; the declaration of performance is there
    assert a.cell("P11", "middle-east").status == G  # the host's required EPD (+A1 is the old edition)
    assert a.cell("P10", "middle-east").status == OG  # the host requires no minimum validity margin
    me = next(m for m in a.markets if m.id == "middle-east")
    assert me.profiles == ("host-gcc-distributor", "me-green-procurement")


# -- tender promises with a test program (independent of other plugins) -------------------------------------------
class _Program:
    @hookimpl
    def greentrade_programs(self):
        return [Program(id="test-lane", title="Test lane", authority="test", effective=Period(),
                        citation=Citation(authority="t", title="t", reference="t"))]

    @hookimpl
    def greentrade_rules(self):
        def check(ctx):
            if ctx.shipment.destination_country != "SA":
                yield ctx.violation("only SA", ctx.shipment, "destination_country")
        return [Rule(id="TEST-LANE-001", title="t", severity=Severity.ERROR, check=check, program="test-lane",
                     citation=Citation(authority="t", title="t", reference="t"), basis="stated")]


def _tender_report(patch):
    data = json.loads(PORTFOLIO.read_text())
    tender = copy.deepcopy(data["tenders"][0])
    tender.update(patch)
    data["tenders"] = [tender]
    engine = _engine()
    engine.register(_Program(), name="test-lane")
    report = engine.validate(data, as_of=AS_OF)
    return [f for f in report.findings if f.rule.startswith("TENDER-")]


def test_promise_on_eligible_shipment_says_what_eligible_means():
    [f] = _tender_report({"promises": [{"program": "test-lane", "claim": "fast"}]})
    assert (f.rule, f.effect, f.severity) == ("TENDER-005", "note", Severity.INFO)
    assert "which means: all rules of the program are satisfied" in f.message


def test_promise_on_not_eligible_shipment_is_an_error():
    [f] = _tender_report({"shipment": "S-HAM-01", "promises": [{"program": "test-lane", "claim": "fast"}]})
    assert (f.rule, f.severity, f.pointer) == ("TENDER-005", Severity.ERROR, "/tenders/0/promises/0/program")
    assert "not_eligible" in f.message


def test_promise_for_product_not_on_shipment_is_undetermined():
    items = [{"product": "P01", "quantity": 1, "unit": "pcs"}, {"product": "P10", "quantity": 5, "unit": "m2"}]
    [f] = _tender_report({"items": items, "required_documents": [],
                          "promises": [{"program": "test-lane", "claim": "fast"}]})
    assert (f.rule, f.effect, f.needs) == ("TENDER-005", "undetermined", "tenders[].shipment")
    assert "P10" in f.message


def test_tender_findings_reach_the_assessment():
    data = json.loads(PORTFOLIO.read_text())
    data["tenders"][0]["required_documents"].append({"type": "epd"})
    a = assess(_engine(), data, as_of=AS_OF)
    assert [(t.tender, t.rule) for t in a.tenders] == [("T-RUH-2026-07", "TENDER-001")] * 2


def test_readme_table_shows_each_rule_basis():
    from greentrade_buyer_profiles.rules import rules

    text = (HERE / "README.md").read_text("utf-8")
    for r in rules():
        assert f"| `{r.id}` | {r.basis} |" in text, r.id
    assert "Analysis shows" not in text


def test_certificate_listing_other_sites_is_named_in_the_assessment():
    data = json.loads(PORTFOLIO.read_text())
    cert = next(d for d in data["documents"] if d["id"] == "GP-PV450")
    cert["sites"] = ["sunhe-huzhou"]  # P04 is made at sunhe-jiaxing
    a = assess(_engine(), data, markets=["middle-east"], as_of=AS_OF)
    gaps = [(r.requirement, g) for r, g in a.cell("P04", "middle-east").gaps]
    assert [(req, g.kind, g.document) for req, g in gaps] == [("ME-PV-GBT33761", "product-mismatch", "GP-PV450")]
    assert "not its manufacturing site sunhe-jiaxing" in gaps[0][1].message
