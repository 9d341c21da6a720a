"""Every rule declares its basis; only stated and host rules may yield violations (issue #9)."""

import pytest
from _helpers import CITE, DOSSIER, SHIPMENT, make_plugin, rule

from greentrade import (
    Basis,
    ConfigError,
    Effect,
    Engine,
    PluginError,
    Rule,
    Severity,
    Status,
)
from greentrade.io._schemas import validator


def _rule(id, basis, check, severity=Severity.ERROR):
    return rule(id, check, basis=basis, severity=severity)


def _always_violation(ctx, **kw):
    yield ctx.violation("the shipment breaks our reading", ctx.shipment, **kw)


def _engine(*rules, config=None, strict=None):
    e = Engine(config=config, strict=strict)
    schema = {"type": "object", "additionalProperties": False, "properties": {}}
    e.register(make_plugin(*rules, config_schema={"demo": schema}), name="demo")
    return e


def test_a_rule_must_declare_its_basis():
    # Without one it is read as inferred, with a DeprecationWarning (0.3 only; tests/test_deprecations.py).
    with pytest.warns(DeprecationWarning, match="declares no basis"):
        r = Rule(id="DEMO-001", title="t", severity=Severity.ERROR, check=lambda c: (), citation=CITE)
    assert r.basis is Basis.INFERRED and r.no_basis
    with pytest.raises(ValueError):
        _rule("DEMO-001", "guessed", lambda c: ())


@pytest.mark.parametrize("basis", ["inferred", "practice"])
def test_engine_downgrades_a_violation_of_an_inferred_or_practice_rule(basis):
    report = _engine(_rule("DEMO-001", basis, _always_violation)).validate(DOSSIER)
    (finding,) = report.findings_for(rule="DEMO-001")
    assert (finding.effect, finding.severity, finding.basis) == (Effect.UNDETERMINED, Severity.WARNING, Basis(basis))
    assert finding.needs and 'require = ["DEMO-001"]' in finding.needs and "[plugins.demo]" in finding.needs
    (fault,) = report.findings_for(rule="GT-ENGINE-006")
    assert fault.subject == "DEMO-001" and f"basis {basis}" in fault.message
    assert report.status("demo", SHIPMENT) is Status.UNDETERMINED  # never not_eligible


def test_a_warning_violation_of_an_inferred_rule_becomes_a_warning_note():
    report = _engine(_rule("DEMO-001", "inferred", _always_violation, Severity.WARNING)).validate(DOSSIER)
    (finding,) = report.findings_for(rule="DEMO-001")
    assert (finding.effect, finding.severity) == (Effect.NOTE, Severity.WARNING)
    assert report.findings_for(rule="GT-ENGINE-006")
    assert report.status("demo", SHIPMENT) is Status.ELIGIBLE


def test_a_hit_cannot_claim_stated_for_an_inferred_rule():
    check = lambda ctx: _always_violation(ctx, basis=Basis.STATED)  # noqa: E731
    report = _engine(_rule("DEMO-001", "inferred", check)).validate(DOSSIER)
    (finding,) = report.findings_for(rule="DEMO-001")
    assert (finding.effect, finding.basis) == (Effect.UNDETERMINED, Basis.INFERRED)


def test_strict_engine_raises_on_a_violation_without_basis():
    with pytest.raises(PluginError, match="DEMO-001 has basis inferred"):
        _engine(_rule("DEMO-001", "inferred", _always_violation), strict=True).validate(DOSSIER)


def test_stated_rule_and_host_decided_hit_may_yield_violations():
    stated = _rule("DEMO-001", "stated", _always_violation)
    host_hit = _rule("DEMO-002", "inferred", lambda ctx: _always_violation(ctx, basis=Basis.HOST))
    report = _engine(stated, host_hit).validate(DOSSIER)
    assert not report.findings_for(rule="GT-ENGINE-006")
    assert {(f.rule, f.effect, f.basis) for f in report.findings} == {
        ("DEMO-001", Effect.VIOLATION, Basis.STATED), ("DEMO-002", Effect.VIOLATION, Basis.HOST)}
    assert report.status("demo", SHIPMENT) is Status.NOT_ELIGIBLE


def test_host_makes_an_inferred_rule_binding():
    def check(ctx):
        if ctx.binding("DEMO-001"):
            yield ctx.violation("binding now", ctx.shipment)
        else:
            yield ctx.warning("only our reading", ctx.shipment)

    config = {"plugins": {"demo": {"require": ["DEMO-001"]}}}
    engine = _engine(_rule("DEMO-001", "inferred", check), config=config)
    report = engine.validate(DOSSIER)
    (finding,) = report.findings
    assert (finding.effect, finding.severity, finding.basis) == (Effect.VIOLATION, Severity.ERROR, Basis.HOST)
    assert report.status("demo", SHIPMENT) is Status.NOT_ELIGIBLE
    meta = {r["id"]: r for r in report.to_dict()["rules"]}
    assert meta["DEMO-001"] == {"id": "DEMO-001", "title": "DEMO-001", "plugin": "demo", "basis": "host",
                                "program": "demo", "declared_basis": "inferred", "source": 0}
    assert meta["GT-SCHEMA-001"]["basis"] == "stated"
    # Without the requirement the same rule only warns.
    plain = _engine(_rule("DEMO-001", "inferred", check)).validate(DOSSIER)
    assert [(f.effect, f.severity, f.basis) for f in plain.findings] == [
        (Effect.NOTE, Severity.WARNING, Basis.INFERRED)]
    assert plain.status("demo", SHIPMENT) is Status.ELIGIBLE


@pytest.mark.parametrize("value, message", [
    (["DEMO-999"], "DEMO-999 is not a rule of a loaded plugin"),
    ("DEMO-001", "expected a list of rule ids"),
    (["GT-SCHEMA-001"], "GT-SCHEMA-001 is not a rule of a loaded plugin"),
])
def test_require_names_rules_of_loaded_plugins(value, message):
    engine = _engine(_rule("DEMO-001", "inferred", lambda c: ()), config={"plugins": {"demo": {"require": value}}})
    with pytest.raises(ConfigError, match=message):
        engine.validate(DOSSIER)


def test_report_shows_basis_in_json_text_and_schema():
    report = _engine(_rule("DEMO-001", "stated", _always_violation)).validate(DOSSIER)
    data = report.to_dict()
    assert not list(validator("report").iter_errors(data))
    assert data["findings"][0]["basis"] == "stated"
    assert "DEMO-001 [" in report.to_text() and "(basis: stated)" in report.to_text()


def test_rules_listing_shows_basis(capsys, monkeypatch):
    from greentrade import cli

    monkeypatch.setattr(cli, "_engine", lambda config: _engine(_rule("DEMO-001", "inferred", lambda c: ())))
    assert cli.main(["rules"]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith("DEMO-001"))
    assert " inferred " in line


def test_a_hit_basis_may_be_given_as_text():
    check = lambda ctx: _always_violation(ctx, basis="host")  # noqa: E731
    report = _engine(_rule("DEMO-001", "inferred", check)).validate(DOSSIER)
    (finding,) = report.findings
    assert (finding.effect, finding.basis) == (Effect.VIOLATION, Basis.HOST)


def test_require_works_for_a_plugin_without_settings():
    def check(ctx):
        yield (ctx.violation if ctx.binding("DEMO-001") else ctx.warning)("x", ctx.shipment)

    engine = Engine(config={"plugins": {"demo": {"require": ["DEMO-001"]}}})
    engine.register(make_plugin(_rule("DEMO-001", "practice", check)), name="demo")  # no config schema
    (finding,) = engine.validate(DOSSIER).findings
    assert (finding.effect, finding.basis) == (Effect.VIOLATION, Basis.HOST)
    bad = Engine(config={"plugins": {"demo": {"require": ["DEMO-001"], "other": 1}}})
    bad.register(make_plugin(_rule("DEMO-001", "practice", check)), name="demo")
    with pytest.raises(ConfigError, match="belongs to no loaded plugin"):
        bad.validate(DOSSIER)
