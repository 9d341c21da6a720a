"""End-to-end tests of the cn-green-channel plugin on the example dossiers."""

from __future__ import annotations

import copy
import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from greentrade import Basis, ConfigError, Effect, Engine, Report, Severity, Status
from greentrade.model._codes import check_uscc, uscc_check_char

import greentrade_cn_green_channel as plugin
from greentrade_cn_green_channel import rules as plugin_rules
from greentrade_cn_green_channel._data import load

HERE = Path(__file__).resolve().parent.parent
EXAMPLES = HERE / "examples"
PROGRAM = "cn-green-channel"
HOST = tomllib.loads((EXAMPLES / "host-config.toml").read_text("utf-8"))
PORTS_CONFIG = {"plugins": HOST["plugins"]}


def engine(config: dict[str, Any] | None = None) -> Engine:
    e = Engine(config=PORTS_CONFIG if config is None else config)
    e.register(plugin, name=PROGRAM)
    return e


def run(name: str, config: dict[str, Any] | None = None, **kw: Any) -> Report:
    return engine(config).validate(EXAMPLES / name, **kw)


def ids(report: Report, *, severity: Severity | None = None, effect: Effect | None = None) -> list[str]:
    return sorted(
        f.rule for f in report.findings
        if f.program == PROGRAM
        and (severity is None or f.severity is severity)
        and (effect is None or f.effect is effect)
    )


def verdicts(report: Report) -> list[Any]:
    """The findings other than the note on an accredited issuer (basis inferred) that every
    example with an accredited issuer and no host list of recognized bodies gets."""
    return [f for f in report.findings if not (f.rule == "CN-GC-007" and f.effect is Effect.NOTE)]


def only_outcome(report: Report) -> Any:
    outcomes = [o for o in report.outcomes if o.program == PROGRAM]
    assert len(outcomes) == 1
    return outcomes[0]


def test_eligible_street_light_from_ningbo() -> None:
    report = run("eligible-street-light-ningbo.json")
    assert report.evaluated
    outcome = only_outcome(report)
    assert outcome.subject == "SB-2026-0612-NGB"
    assert outcome.status is Status.ELIGIBLE
    assert "within 24 hours" in outcome.summary
    (note,) = report.findings
    assert (note.rule, note.effect, note.basis) == ("CN-GC-007", Effect.NOTE, Basis.INFERRED)
    assert "not proof of recognition" in note.message
    assert report.ok


def test_missing_declaration() -> None:
    report = run("missing-declaration.json")
    assert only_outcome(report).status is Status.NOT_ELIGIBLE
    assert ids(report, severity=Severity.ERROR) == ["CN-GC-004"]
    assert only_outcome(report).reasons == ("CN-GC-004",)


def test_sibling_model_declaration() -> None:
    # Matching the declaration to the shipped model is our reading (inferred): a warning ...
    report = run("sibling-model-declaration.json")
    assert only_outcome(report).status is Status.ELIGIBLE
    assert ids(report, severity=Severity.WARNING) == ["CN-GC-009", "CN-GC-012", "CN-GC-012", "CN-GC-012"]
    (model,) = report.findings_for(rule="CN-GC-009")
    assert (model.effect, model.basis) == (Effect.NOTE, Basis.INFERRED)
    assert model.pointer == "/documents/0/products/0/model"
    assert "SSL-80W-A" in model.message and "SSL-100W-A" in model.message
    # ... unless the host makes the rules binding: then errors with basis host.
    config = copy.deepcopy(PORTS_CONFIG)
    config["plugins"][PROGRAM]["require"] = ["CN-GC-009", "CN-GC-012"]
    bound = run("sibling-model-declaration.json", config)
    assert only_outcome(bound).status is Status.NOT_ELIGIBLE
    assert ids(bound, severity=Severity.ERROR) == ["CN-GC-009", "CN-GC-012", "CN-GC-012", "CN-GC-012"]
    assert {f.basis for f in bound.findings if f.severity is Severity.ERROR} == {Basis.HOST}


def _required(*rules: str) -> dict[str, Any]:
    config = copy.deepcopy(PORTS_CONFIG)
    config["plugins"][PROGRAM]["require"] = list(rules)
    return config


def test_expired_declaration() -> None:
    # The report states no validity requirement (CN-GC-008 is our reading): undetermined ...
    report = run("expired-declaration.json")
    assert only_outcome(report).status is Status.UNDETERMINED
    (finding,) = report.findings_for(rule="CN-GC-008")
    assert (finding.effect, finding.basis, finding.pointer) == (
        Effect.UNDETERMINED, Basis.INFERRED, "/documents/0/valid_until")
    # ... and not eligible when the host makes the rule binding.
    bound = run("expired-declaration.json", _required("CN-GC-008"))
    assert only_outcome(bound).status is Status.NOT_ELIGIBLE
    assert ids(bound, severity=Severity.ERROR) == ["CN-GC-008"]


def test_suspended_declaration() -> None:
    report = run("suspended-declaration.json")
    assert only_outcome(report).status is Status.UNDETERMINED
    assert report.findings_for(rule="CN-GC-008")[0].pointer == "/documents/0/status"
    bound = run("suspended-declaration.json", _required("CN-GC-008"))
    assert only_outcome(bound).status is Status.NOT_ELIGIBLE
    assert ids(bound, severity=Severity.ERROR) == ["CN-GC-008"]


def test_a_stale_extra_declaration_never_fails_the_shipment() -> None:
    # A valid declaration covers the product: an expired, suspended or incomplete second one
    # of the same product gets a warning naming it, even with the rules made binding.
    good = json.loads((EXAMPLES / "eligible-street-light-ningbo.json").read_text("utf-8"))
    changes: list[dict[str, Any]] = [
        {"issue_date": "2023-01-12", "valid_until": "2026-01-11"}, {"status": "withdrawn"},
        {"standards": ["ISO/TS 14067:2013"]}, {"standards": ["PAS 2050:2011"]}, {"carbon_footprint": None},
        {"issuer": "alnoor"},
    ]
    for change in changes:
        data = copy.deepcopy(good)
        extra = copy.deepcopy(data["documents"][0]) | {"id": "CFP-OLD"} | change
        if extra["carbon_footprint"] is None:
            extra = {k: v for k, v in extra.items() if v is not None}
        data["documents"].append(extra)
        data["shipments"][0]["documents"].append("CFP-OLD")
        for config in (PORTS_CONFIG, _required("CN-GC-006", "CN-GC-007", "CN-GC-008")):
            report = engine(config).validate(data)
            assert only_outcome(report).status is Status.ELIGIBLE, (change, report.to_text())
            about = [f for f in report.findings if "CFP-OLD" in f.message and f.severity is Severity.WARNING
                     and f.rule != "CN-GC-004"]
            assert about and all("CFP-OLD is not relied upon" in f.message for f in about), change


def test_unaccredited_issuer() -> None:
    # The report does not define a recognized body: without the host's list, undetermined.
    report = run("unaccredited-issuer.json")
    assert only_outcome(report).status is Status.UNDETERMINED
    assert ids(report) == ["CN-GC-007"]
    (finding,) = report.findings_for(rule="CN-GC-007")
    assert "ISO/IEC 17025:2017" in finding.message
    assert finding.needs and "recognized_bodies" in finding.needs


def test_unaccredited_issuer_recognized_by_host_list() -> None:
    config = copy.deepcopy(PORTS_CONFIG)
    config["plugins"][PROGRAM]["recognized_bodies"] = [{"scheme": "uscc", "value": "91330212MA2J1D8R0M"}]
    report = run("unaccredited-issuer.json", config)
    assert only_outcome(report).status is Status.ELIGIBLE
    assert ids(report, effect=Effect.NOTE) == ["CN-GC-007"]


def test_unknown_port_list_without_configuration() -> None:
    report = run("eligible-street-light-ningbo.json", {})
    outcome = only_outcome(report)
    assert outcome.status is Status.UNDETERMINED
    assert outcome.summary == "needs: plugins.cn-green-channel.pilot_ports"
    (finding,) = verdicts(report)
    assert (finding.rule, finding.effect, finding.needs) == (
        "CN-GC-003", Effect.UNDETERMINED, "plugins.cn-green-channel.pilot_ports")


def test_mixed_shipment_judged_on_solar_lines() -> None:
    report = run("mixed-shipment.json")
    assert only_outcome(report).status is Status.ELIGIBLE
    (note,) = verdicts(report)
    assert (note.rule, note.effect, note.subject, note.pointer) == (
        "CN-GC-001", Effect.NOTE, "L3", "/shipments/0/lines/2")


def test_mixed_shipment_fails_on_a_solar_line_only() -> None:
    data = json.loads((EXAMPLES / "mixed-shipment.json").read_text("utf-8"))
    data["shipments"][0]["documents"] = ["CFP-LJ-2026-0417"]  # the garden light loses its declaration
    report = engine().validate(data)
    assert only_outcome(report).status is Status.NOT_ELIGIBLE
    (error,) = report.findings_for(rule="CN-GC-004")
    assert error.subject == "L2"


def test_before_pilot_not_applicable() -> None:
    report = run("before-pilot.json")
    outcome = only_outcome(report)
    assert outcome.status is Status.NOT_APPLICABLE
    assert "2026-06-05" in outcome.summary
    assert report.findings == ()


def test_before_pilot_evaluated_later_uses_ship_date() -> None:
    report = run("before-pilot.json", as_of=dt.date(2026, 6, 10))
    outcome = only_outcome(report)
    assert outcome.status is Status.NOT_APPLICABLE
    assert outcome.reasons == ("CN-GC-001",)


def test_as_of_moves_validity() -> None:
    # evaluated on 2029-04-10 the declaration (valid until 2029-04-19) is about to expire,
    # and on 2029-05-01 it has expired.
    soon = run("eligible-street-light-ningbo.json", as_of=dt.date(2029, 4, 10))
    assert only_outcome(soon).status is Status.ELIGIBLE
    assert ids(soon, severity=Severity.WARNING) == ["CN-GC-008"]
    late = run("eligible-street-light-ningbo.json", as_of=dt.date(2029, 5, 1))
    assert only_outcome(late).status is Status.UNDETERMINED
    assert ids(late, effect=Effect.UNDETERMINED) == ["CN-GC-008"]


def test_reports_are_deterministic() -> None:
    a = run("sibling-model-declaration.json").to_json()
    b = run("sibling-model-declaration.json").to_json()
    assert a == b


def test_two_engines_do_not_share_settings() -> None:
    with_ports = engine()
    without = engine({})
    path = EXAMPLES / "eligible-street-light-ningbo.json"
    assert only_outcome(with_ports.validate(path)).status is Status.ELIGIBLE
    assert only_outcome(without.validate(path)).status is Status.UNDETERMINED
    assert only_outcome(with_ports.validate(path)).status is Status.ELIGIBLE


@pytest.mark.parametrize(
    "section",
    [
        {"pilot_ports": ["CN NGB"]},
        {"pilot_ports": "CNNGB"},
        {"recognized_bodies": [{"scheme": "uscc"}]},
        {"recognized_bodies": [{"name": "x", "scheme": "uscc", "value": "y"}]},
        {"expiry_warning_days": -1},
        {"unknown_key": True},
    ],
)
def test_bad_configuration_is_refused(section: dict[str, Any]) -> None:
    e = engine({"plugins": {PROGRAM: section}})
    with pytest.raises(ConfigError):
        e.validate(EXAMPLES / "eligible-street-light-ningbo.json")


def test_every_rule_has_data_check_citation_and_cases() -> None:
    data = load()
    rules = plugin_rules.build_rules(data)
    assert [r.id for r in rules] == [f"CN-GC-{i:03d}" for i in range(1, 13)]
    cases = [json.loads(p.read_text("utf-8")) for p in (HERE / "cases").glob("*.case.json")]
    for rule in rules:
        assert rule.program == PROGRAM
        assert rule.effective.start == dt.date(2026, 6, 5)
        if rule.id == "CN-GC-002":  # the HS nomenclature, which the report does not mention
            assert rule.citation.authority == "World Customs Organization (WCO)"
        else:
            assert rule.citation.authority.startswith("News report of an announcement attributed to")
            assert "Secondary report" in rule.citation.reference
        if rule.basis is Basis.STATED:
            assert "The report says: \u201c" in rule.citation.reference, rule.id
        assert rule.remediation and rule.description
        statuses = {
            o["status"] for c in cases if rule.id in c["rules"] for o in c["expect"]["outcomes"]
        }
        failing = [
            c for c in cases if rule.id in c["rules"]
            and any(f["rule"] == rule.id for f in c["expect"]["findings"])
        ]
        passing = [
            c for c in cases if rule.id in c["rules"]
            and not any(f["rule"] == rule.id for f in c["expect"]["findings"])
        ]
        assert failing and passing, rule.id
        assert statuses, rule.id


def test_scope_rule_is_the_only_scope_rule() -> None:
    roles = {r.id: r.role for r in plugin_rules.build_rules(load())}
    assert roles.pop("CN-GC-001") == "scope"
    assert set(roles.values()) == {"check"}


def test_engine_sees_program_category_and_catalog() -> None:
    e = engine()
    assert [p.id for p in e.programs] == [PROGRAM]
    assert "solar-lighting" in {c.id for c in e.categories}
    entries = e.catalog.for_program(PROGRAM)
    assert [str(x.designator) for x in entries] == ["ISO 14067:2018"]
    assert [str(s) for s in entries[0].superseded] == ["ISO/TS 14067:2013"]


def test_example_identifiers_are_valid_uscc() -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        for party in data.get("parties", []):
            for ident in party.get("identifiers", []):
                if ident["scheme"] == "uscc":
                    value = ident["value"]
                    assert check_uscc(value) is None, (path.name, value)
                    assert uscc_check_char(value[:17]) == value[17]


def test_rules_survive_odd_but_valid_input() -> None:
    data = json.loads((EXAMPLES / "eligible-street-light-ningbo.json").read_text("utf-8"))
    doc = data["documents"][0]
    doc["carbon_footprint"]["ghg_kg_co2e"] = -0.0
    data["shipments"][0]["documents"] = ["CFP-LJ-2026-0417", "CFP-LJ-2026-0417"]
    doc["products"].append({"product": "SSL-80W-A"})  # the same product twice
    report = engine().validate(data)
    assert not [f for f in report.findings if f.rule.startswith("GT-ENGINE")]
    # ISO 14067 counts removals: a footprint of zero (or less) is no finding ...
    assert only_outcome(report).status is Status.ELIGIBLE
    assert ids(report, severity=Severity.ERROR) == []
    # ... unless the host asks for a warning.
    config = copy.deepcopy(PORTS_CONFIG)
    config["plugins"][PROGRAM]["warn_non_positive_footprint"] = True
    warned = engine(config).validate(data)
    assert only_outcome(warned).status is Status.ELIGIBLE
    assert "CN-GC-011" in ids(warned, severity=Severity.WARNING)


def test_no_exceptions_on_any_case_dossier() -> None:
    from greentrade.testing import load_case

    for path in sorted((HERE / "cases").glob("*.case.json")):
        case = load_case(path)
        report = engine(dict(case.config)).validate(case.dossier, as_of=case.as_of)
        assert not [f for f in report.findings if f.rule == "GT-ENGINE-003"], path.name


def test_readme_documents_every_rule_and_valid_config() -> None:
    text = (HERE / "README.md").read_text("utf-8")
    for rule in plugin_rules.build_rules(load()):
        assert f"| {rule.id} | {rule.basis}" in text, rule.id  # the README's table shows the basis
    assert "Analysis shows" not in text
    block = text.split("```toml\n", 1)[1].split("```", 1)[0]
    config = tomllib.loads(block)
    config.pop("greentrade")
    report = engine(config).validate(EXAMPLES / "eligible-street-light-ningbo.json")
    assert only_outcome(report).status is Status.ELIGIBLE


def test_a_laboratory_accreditation_is_not_called_iaf_mla() -> None:
    # ISO/IEC 17025 laboratories fall under the ILAC MRA: the finding names the standard that
    # does not qualify and says nothing about an "IAF MLA signatory" for it (#19).
    report = run("unaccredited-issuer.json")
    (finding,) = report.findings_for(rule="CN-GC-007")
    assert "ISO/IEC 17025:2017 is not one of" in finding.message
    assert "IAF MLA" not in finding.message
