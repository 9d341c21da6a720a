"""greentrade assess: the readiness matrix, its JSON contract, HTML page and CLI (core only:
profiles come from a test plugin and from host configuration, not from installed plugins)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from greentrade import DossierReadError, Engine, Program, Rule, Severity, hookimpl
from greentrade.cli import main
from greentrade.io._schemas import validator
from greentrade.model._convert import structure
from greentrade.readiness import MarketError, assess
from greentrade.readiness._values import STATUSES
from greentrade.rules._profiles import BuyerProfile
from greentrade.rules._rules import Citation, Period

AS_OF = dt.date(2026, 7, 1)
CITE = {"authority": "test", "title": "test source", "reference": "tests/test_assess.py"}

PROFILE = {
    "id": "test-eu", "title": "Test Europe", "buyer_type": "public-green-procurement", "region": "europe",
    "countries": ["DE", "FR"], "citation": CITE,
    "pathways": [{"program": "test-program", "purpose": "test"}, {"program": "absent-program", "purpose": "x"}],
    "requirements": [
        {"id": "CFD", "category": "solar-street-light", "document_type": "carbon-footprint-declaration",
         "level": "required", "standing": "published-pilot", "standards": ["ISO 14067:2018"],
         "issuer_accreditations": ["ISO 14065:2020"], "min_validity_days": 90, "citation": CITE},
        {"id": "DOC", "category": "solar-street-light", "document_type": "declaration-of-conformity",
         "level": "preferred", "standing": "law", "citation": CITE},
        {"id": "BATT", "category": "energy-storage-battery", "document_type": "carbon-footprint-declaration",
         "level": "required", "standing": "law", "applies_if_spec": "capacity", "applies_if_min": 2,
         "applies_if_unit": "kWh", "effective_from": "2026-02-18", "citation": CITE},
        {"id": "LATER", "category": "energy-storage-battery", "document_type": "epd",
         "level": "required", "standing": "law", "effective_from": "2030-01-01", "citation": CITE},
    ],
}
ASIA = {"id": "test-asia", "title": "Test Asia", "buyer_type": "distributor", "region": "asia",
        "countries": ["SG"], "citation": CITE}


class _Plugin:
    @hookimpl
    def greentrade_buyer_profiles(self) -> list[BuyerProfile]:
        return [structure(PROFILE, BuyerProfile)]

    @hookimpl
    def greentrade_programs(self) -> list[Program]:
        return [Program(id="test-program", title="Test program", authority="test",
                        effective=Period(), citation=Citation(**CITE))]

    @hookimpl
    def greentrade_rules(self) -> list[Rule]:
        def check(ctx):  # not eligible when the shipment goes to FR
            if ctx.shipment.destination_country == "FR":
                yield ctx.violation("FR is excluded", ctx.shipment, "destination_country")
        return [Rule(id="TEST-001", title="t", severity=Severity.ERROR, check=check,
                     citation=Citation(**CITE), program="test-program", basis="stated")]


def _dossier() -> dict:
    acc = {"accreditation_body": "ab", "standard": "ISO 14065:2020", "valid_from": "2024-01-01",
           "valid_until": "2030-01-01", "iaf_mla_signatory": True}
    return {
        "format": "greentrade.dossier/1",
        "parties": [
            {"id": "exp", "name": "Exporter", "country": "CN", "roles": ["exporter", "manufacturer"]},
            {"id": "cb", "name": "Verifier", "country": "CN", "roles": ["certification-body"], "accreditations": [acc]},
            {"id": "lab", "name": "Lab <b>&</b>", "country": "CN", "roles": ["certification-body"]},
            {"id": "ab", "name": "Accreditor", "country": "CN", "roles": ["accreditation-body"]},
        ],
        "products": [
            {"id": "READY", "model": "SL-1", "name": "Street light", "category": "solar-street-light",
             "hs_code": "940541", "manufacturer": "exp"},
            {"id": "SOON", "model": "SL-2", "name": "Street light 2", "category": "solar-street-light",
             "hs_code": "940541", "manufacturer": "exp"},
            {"id": "OLD", "model": "SL-3", "name": "<script>alert(1)</script>", "category": "solar-street-light",
             "hs_code": "940541", "manufacturer": "exp"},
            {"id": "LAB", "model": "SL-4", "name": "Street light 4", "category": "solar-street-light",
             "hs_code": "940541", "manufacturer": "exp"},
            {"id": "NONE", "model": "SL-5", "name": "Street light 5", "category": "solar-street-light",
             "hs_code": "940541", "manufacturer": "exp"},
            {"id": "B2", "model": "B-2", "name": "Battery 2 kWh", "category": "energy-storage-battery",
             "hs_code": "850760", "manufacturer": "exp", "specs": [{"name": "capacity", "value": 2000, "unit": "Wh"}]},
            {"id": "B1", "model": "B-1", "name": "Battery 1 kWh", "category": "energy-storage-battery",
             "hs_code": "850760", "manufacturer": "exp", "specs": [{"name": "capacity", "value": 1, "unit": "kWh"}]},
            {"id": "BX", "model": "B-X", "name": "Battery", "category": "energy-storage-battery",
             "hs_code": "850760", "manufacturer": "exp"},
            {"id": "PV", "model": "PV-1", "name": "PV module", "category": "pv-module",
             "hs_code": "854143", "manufacturer": "exp"},
        ],
        "documents": [
            _doc("C-READY", "ISO 14067:2018", "cb", "READY", "2027-12-31"),
            _doc("C-SOON", "ISO 14067:2018", "cb", "SOON", "2026-08-01"),
            _doc("C-OLD", "ISO 14067", "cb", "OLD", "2027-12-31"),
            _doc("C-OLD2", "ISO/TS 14067:2013", "cb", "OLD", "2028-12-31"),
            _doc("C-LAB", "ISO 14067:2018", "lab", "LAB", "2027-12-31"),
            _doc("C-EXPIRED", "ISO 14067:2018", "cb", "NONE", "2026-06-01"),
            {"id": "DOC-1", "type": "declaration-of-conformity", "standards": ["EN IEC 60598-1:2021"],
             "issuer": "exp", "holder": "exp", "issue_date": "2026-01-01", "status": "valid",
             "products": [{"product": "READY"}, {"product": "SOON"}]},
            _doc("C-B2", "ISO 14067:2018", "cb", "B2", "2029-01-01"),
        ],
        "shipments": [
            {"id": "S1", "exporter": "exp", "port_of_export": "CNNGB", "destination_country": "DE",
             "ship_date": "2026-07-10", "lines": [{"id": "L1", "product": "READY", "quantity": 1, "unit": "pcs",
                                                   "hs_code": "940541"}]},
            {"id": "S2", "exporter": "exp", "port_of_export": "CNNGB", "destination_country": "FR",
             "ship_date": "2026-07-12", "lines": [{"id": "L1", "product": "READY", "quantity": 1, "unit": "pcs",
                                                   "hs_code": "940541"}]},
        ],
    }


def _doc(id_: str, std: str, issuer: str, product: str, until: str) -> dict:
    return {"id": id_, "type": "carbon-footprint-declaration", "standards": [std], "issuer": issuer,
            "holder": "exp", "issue_date": "2026-01-01", "valid_until": until, "status": "valid",
            "products": [{"product": product}]}


@pytest.fixture
def engine() -> Engine:
    e = Engine(config={"profiles": [ASIA]})
    e.register(_Plugin(), name="test-plugin", version="1")
    return e


def test_matrix_statuses(engine):
    a = assess(engine, _dossier(), as_of=AS_OF)
    assert [m.id for m in a.markets] == ["asia", "europe"]
    assert {p: m["europe"] for p, m in a.matrix().items()} == {
        "READY": "ready", "SOON": "expiring", "OLD": "undetermined", "LAB": "gaps", "NONE": "gaps",
        "B2": "optional-gaps", "B1": "optional-gaps", "BX": "undetermined", "PV": "no-requirements-known",
    }
    assert set(a.matrix()["READY"].values()) == {"ready", "no-requirements-known"}
    assert a.counts["ready"] == 1 and sum(a.counts.values()) == 18


def test_gaps_actions_and_expiry(engine):
    a = assess(engine, _dossier(), as_of=AS_OF)
    soon = a.cell("SOON", "europe")
    assert soon.earliest_expiry == dt.date(2026, 8, 1) and soon.limiting_document == "C-SOON"
    [(_req, gap)] = soon.gaps
    assert gap.kind == "expiring" and "C-SOON" in gap.action
    lab = a.cell("LAB", "europe")
    assert {g.kind for _r, g in lab.gaps} == {"unrecognized-issuer", "missing-document"}
    none = a.cell("NONE", "europe")
    assert {g.kind for _r, g in none.gaps} == {"not-valid", "missing-document"}
    old = a.cell("OLD", "europe")  # undated ISO 14067 preferred over the ISO/TS 14067:2013 (another family)
    assert [g.kind for _r, g in old.gaps if _r.requirement == "CFD"] == ["undated-standard"]


def test_spec_threshold_units_and_effective_dates(engine):
    a = assess(engine, _dossier(), as_of=AS_OF)
    b2 = a.cell("B2", "europe")  # 2000 Wh = 2 kWh: at the inclusive threshold, with a note
    assert [r.requirement for r in b2.requirements] == ["BATT", "LATER"]
    assert any("exactly at the profile's inclusive threshold" in n for n in b2.notes)
    later = next(r for r in b2.requirements if r.requirement == "LATER")
    assert not later.in_force and later.gaps  # a gap of a requirement not yet in force is optional
    assert b2.status == "optional-gaps"  # BATT met; LATER (from 2030) missing
    b1 = a.cell("B1", "europe")
    assert any("BATT does not apply" in n for n in b1.notes)
    bx = a.cell("BX", "europe")
    assert bx.status == "undetermined" and bx.gaps[0][1].kind == "spec-unknown"
    before = assess(engine, _dossier(), as_of=dt.date(2026, 2, 17))
    assert next(r for r in before.cell("BX", "europe").requirements if r.requirement == "BATT").in_force is False


def test_program_columns_and_pathways(engine):
    a = assess(engine, _dossier(), as_of=AS_OF)
    row = next(r for r in a.products if r.product == "READY")
    [prog] = row.programs
    assert prog.status == "mixed"
    assert [(s.shipment, s.status) for s in prog.shipments] == [("S1", "eligible"), ("S2", "not_eligible")]
    pv = next(r for r in a.products if r.product == "PV")
    assert pv.programs[0].status == "no-shipment"
    ways = {p.program: p for p in a.cell("READY", "europe").pathways}
    assert ways["test-program"].loaded and not ways["absent-program"].loaded
    assert [s.shipment for s in ways["test-program"].shipments] == ["S1", "S2"]


def test_markets_by_country_and_unknown(engine):
    a = assess(engine, _dossier(), markets=["fr", "SG", "US", "Europe"], as_of=AS_OF)
    assert [(m.id, m.kind, m.profiles) for m in a.markets] == [
        ("FR", "country", ("test-eu",)), ("SG", "country", ("test-asia",)), ("US", "country", ()),
        ("europe", "region", ("test-eu",))]
    assert a.cell("READY", "US").status == "no-requirements-known"
    with pytest.raises(MarketError, match="unknown market 'Mars'"):
        assess(engine, _dossier(), markets=["Mars"], as_of=AS_OF)


def test_host_profile_overrides_plugin_profile():
    host = copy.deepcopy(PROFILE)
    host["requirements"] = []
    engine = Engine(config={"profiles": [host]})
    engine.register(_Plugin(), name="test-plugin")
    a = assess(engine, _dossier(), as_of=AS_OF)
    assert a.cell("READY", "europe").status == "no-requirements-known"


def test_json_validates_and_is_deterministic(engine, tmp_path):
    path = tmp_path / "d.json"
    path.write_text(json.dumps(_dossier()))
    one = assess(engine, path, as_of=AS_OF).to_json()
    two = assess(engine, path.read_bytes(), as_of=AS_OF).to_json()
    assert one == two
    data = json.loads(one)
    assert not list(validator("assessment").iter_errors(data))
    assert [s["status"] for s in data["statuses"]] == list(STATUSES)


def test_data_errors_and_unreadable(engine):
    bad = _dossier()
    bad["products"][0]["hs_code"] = "12"
    a = assess(engine, bad, as_of=AS_OF)
    assert not a.evaluated and a.data_findings and not a.products
    assert not list(validator("assessment").iter_errors(json.loads(a.to_json())))
    assert "NOT assessed" in a.to_text()
    with pytest.raises(DossierReadError):
        assess(engine, b"not json", as_of=AS_OF)
    with pytest.raises(DossierReadError):
        assess(engine, Path("/nonexistent/dossier.json"), as_of=AS_OF)


class _Checker(HTMLParser):
    VOID = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and "://" in value:
                self.problems.append(f"external reference {value}")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()


def test_html_is_self_contained_well_formed_and_escaped(engine):
    page = assess(engine, _dossier(), as_of=AS_OF).to_html()
    assert page.startswith("<!DOCTYPE html>")
    checker = _Checker()
    checker.feed(page)
    assert not checker.problems and not checker.stack
    assert {"style", "table"} <= checker.tags and "script" not in checker.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "Lab &lt;b&gt;&amp;&lt;/b&gt;" in page


def test_text_lists_matrix_and_legend(engine):
    text = assess(engine, _dossier(), as_of=AS_OF).to_text()
    assert "readiness as of 2026-07-01" in text
    assert "action: Renew document C-SOON before 2026-08-01." in text
    for status in STATUSES:
        assert status in text


# -- CLI -------------------------------------------------------------------------------------------------------
@pytest.fixture
def cli_files(tmp_path):
    dossier = _dossier()
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(dossier))
    config = tmp_path / "host.toml"
    config.write_text(
        '[greentrade]\nplugins = []\n\n[[profiles]]\nid = "host-sg"\ntitle = "Host Singapore"\n'
        'buyer_type = "distributor"\nregion = "singapore"\ncountries = ["SG"]\n'
        'citation = {authority = "host", title = "own buyer survey", reference = "internal"}\n\n'
        '[[profiles.requirements]]\nid = "SG-CFD"\ncategory = "solar-street-light"\n'
        'document_type = "carbon-footprint-declaration"\nlevel = "required"\nstanding = "common-practice"\n'
        'standards = ["ISO 14067:2018"]\ncitation = {authority = "host", title = "survey", reference = "internal"}\n'
    )
    return path, config


def test_cli_exit_codes_and_forms(cli_files, tmp_path, capsys):
    path, config = cli_files
    args = ["--config", str(config), "assess", str(path), "--as-of", "2026-07-01"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "market singapore (1 countries): host-sg" in out
    assert main([*args, "--format", "json", "--output", str(tmp_path / "a.json")]) == 0
    data = json.loads((tmp_path / "a.json").read_text())
    assert not list(validator("assessment").iter_errors(data))
    assert data["products"][0]["cells"][0]["status"] == "ready"
    assert main([*args, "--format", "html", "--output", str(tmp_path / "a.html")]) == 0
    assert (tmp_path / "a.html").read_text().startswith("<!DOCTYPE html>")


def test_cli_unreadable_unknown_market_and_data_errors(cli_files, tmp_path, capsys):
    path, config = cli_files
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["--config", str(config), "assess", str(bad)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["--config", str(config), "assess", str(tmp_path / "missing.json")]) == 2
    assert main(["--config", str(config), "assess", str(path), "--market", "Atlantis"]) == 2
    assert "unknown market" in capsys.readouterr().err
    broken = _dossier()
    broken["products"][0]["hs_code"] = "12"
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    assert main(["--config", str(config), "assess", str(tmp_path / "broken.json"), "--as-of", "2026-07-01"]) == 1


def test_assess_follows_the_engines_unknown_keys_setting():
    import json as _json
    from pathlib import Path as _Path

    from greentrade import Engine

    root = _Path(__file__).resolve().parent.parent / "examples"
    data = _json.loads((root / "zhejiang-solar-portfolio.json").read_text())
    data["products"][0]["erp_sku"] = "X-1"
    strict = Engine(config=root / "greentrade.toml")
    strict.load_entry_points()
    assert not assess(strict, data).evaluated
    lenient = Engine(config=root / "greentrade.toml", unknown_keys="warn")
    lenient.load_entry_points()
    assert assess(lenient, data).evaluated


# -- the JSON form through cattrs ------------------------------------------------------------------------------
def _fixed(a):
    """Versions fixed as in the golden files (tests/data/render, see tests/test_render.py)."""
    import attrs

    return attrs.evolve(a, greentrade_version="0.0.0",
                        plugins=tuple(attrs.evolve(p, version="1.0.0") for p in a.plugins))


def test_json_form_has_the_bytes_of_the_hand_written_one(engine):
    # The golden files were written by the hand-written to_dict that the cattrs converter replaced.
    import attrs

    from greentrade.readiness._values import TenderFinding

    golden = Path(__file__).parent / "data" / "render"
    a = attrs.evolve(assess(engine, _dossier(), as_of=AS_OF), tenders=(
        TenderFinding("T-1", "BP-TENDER-001", "error", "tender <T-1> asks for \"EPD\" & it's missing", "/tenders/0"),
        TenderFinding("T-2", "BP-TENDER-002", "warning", "second", "/tenders/1")))
    assert _fixed(a).to_json() == (golden / "statuses.assessment.json").read_text(encoding="utf-8")
    bad = _dossier()
    bad["shipments"][0]["destination_country"] = "XX"
    bad["products"][0]["manufacturer"] = "nobody"
    a = assess(engine, bad, as_of=AS_OF)
    assert not a.evaluated and a.data_findings
    assert _fixed(a).to_json() == (golden / "data-errors.assessment.json").read_text(encoding="utf-8")
    assert json.loads(a.to_json()) == a.to_dict()  # lists, not tuples; no value JSON would change


def test_readiness_date_defaults_to_the_configured_as_of(tmp_path):
    e = Engine(config={"profiles": [ASIA], "greentrade": {"as_of": "2026-02-17"}})
    e.register(_Plugin(), name="test-plugin", version="1")
    configured = assess(e, _dossier())
    assert configured.as_of == dt.date(2026, 2, 17)
    assert configured.to_json() == assess(e, _dossier(), as_of=dt.date(2026, 2, 17)).to_json()
    assert assess(e, _dossier(), as_of=AS_OF).as_of == AS_OF  # an explicit date still wins


def test_a_path_is_read_within_the_engines_input_limit(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(json.dumps(_dossier()).encode() + b" " * 2048)
    e = Engine(config={"profiles": [ASIA], "greentrade": {"max_input_bytes": 1024}})
    e.register(_Plugin(), name="test-plugin", version="1")
    with pytest.raises(DossierReadError, match="input limit"):
        assess(e, big)
    with pytest.raises(DossierReadError, match="cannot read"):
        assess(e, tmp_path / "missing.json")
