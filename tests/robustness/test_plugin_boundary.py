"""Plugin output is checked at the boundary; a careless plugin costs only its own outcomes."""

from __future__ import annotations

import datetime as dt
import io
import json
import types
from contextlib import redirect_stdout

import pytest

from greentrade import (
    Citation,
    Effect,
    Engine,
    Hit,
    Period,
    PluginError,
    Program,
    Rule,
    Severity,
    Status,
    cli,
    hookimpl,
)

CITE = Citation(authority="greentrade test suite", title="Robustness fixture", reference="tests/robustness")
PROGRAM = Program(id="mini", title="Mini", authority="Test", effective=Period(dt.date(2026, 1, 1)), citation=CITE)


def _plugin(*rules, **hooks):
    ns = types.SimpleNamespace(
        greentrade_programs=hookimpl(lambda: [PROGRAM]),
        greentrade_rules=hookimpl(lambda: list(rules)),
    )
    for name, fn in hooks.items():
        setattr(ns, name, hookimpl(fn))
    return ns


def _rule(id, check, **kw):
    kw.setdefault("program", "mini")
    return Rule(id=id, title=id, severity=kw.pop("severity", Severity.ERROR), check=check, citation=CITE,
                basis=kw.pop("basis", "stated"), **kw)


def _outcomes(report, programs):
    return [(o.program, o.subject, o.status, o.summary, o.reasons) for o in report.outcomes if o.program in programs]


FIRST_PARTY = ("cn-green-channel", "itc-green-export-pass")


def test_the_faulty_plugin_costs_only_its_own_outcomes(faulty, first_party_engine, example, report_errors):
    clean = first_party_engine().validate(example)
    report = first_party_engine(("faulty", faulty), rule_time_budget=0.2).validate(example)
    assert report_errors(report) == []
    assert _outcomes(report, FIRST_PARTY) == _outcomes(clean, FIRST_PARTY)
    assert _outcomes(clean, FIRST_PARTY)  # the comparison is not vacuous
    faulty_lane = [o.status for o in report.outcomes if o.program == "faulty-lane"]
    assert len(faulty_lane) == len(clean.outcomes) // 2
    assert Status.ELIGIBLE not in faulty_lane
    assert not report.ok


def test_the_cli_exits_1_with_the_faulty_plugin(faulty, first_party_engine, example, example_config,
                                                 monkeypatch, report_errors):
    monkeypatch.setattr(cli, "_engine", lambda *_a: first_party_engine(("faulty", faulty), rule_time_budget=0.2))
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(["--config", str(example_config), "validate", str(example), "--format", "json"])
    assert code == 1
    data = json.loads(out.getvalue())
    assert data["counts"]["error"] > 0
    assert any(f["rule"] == "GT-ENGINE-003" and "SystemExit" in f["message"] for f in data["findings"])


EXPECTED_FAULTS = [
    # (engine rule, text the finding must contain)
    ("GT-ENGINE-003", "rule FAULTY-003 yielded a value the engine cannot use: pointer: expected a JSON Pointer"),
    ("GT-ENGINE-003", "rule FAULTY-004 yielded a value the engine cannot use: severity: 'fatal' is not one of"),
    ("GT-ENGINE-003", "rule FAULTY-005 yielded a value the engine cannot use: needs: expected a string"),
    ("GT-ENGINE-003", "rule FAULTY-006 yielded a value the engine cannot use: pointer: 'shipments/0' is not"),
    ("GT-ENGINE-003", "rule FAULTY-007 yielded a value the engine cannot use: hit: expected Hit, got str"),
    ("GT-ENGINE-003", "rule FAULTY-008 raised SystemExit"),
    ("GT-ENGINE-003", "rule FAULTY-009 raised GeneratorExit"),
    ("GT-ENGINE-003", "rule FAULTY-010 raised AttributeError: 'tuple' object has no attribute 'append'"),
    ("GT-ENGINE-003", "rule FAULTY-011 raised TypeError: 'mappingproxy' object does not support item assignment"),
    ("GT-ENGINE-003", "rule FAULTY-012 was stopped: it used up its time budget of 0.2 s"),
    ("GT-ENGINE-003", "rule FAULTY-013 "),
    ("GT-ENGINE-003", "rule FAULTY-014 used up its time budget of 0.2 s on this dossier; its result was discarded"),
    ("GT-ENGINE-003", "rule FAULTY-019 raised SystemExit"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_rules: rule 'FAULTY-015' rejected: field role: 'Check'"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_rules: rule 'FAULTY-016' rejected: field scope: "
                      "'per-shipment'"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_rules: rule 'FAULTY-017' rejected: field effective: "
                      "expected Period, got NoneType"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_rules: rule 'FAULTY-018' rejected: field check: "
                      "expected a callable"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_rules returned str, expected Rule"),
    ("GT-ENGINE-006", "rule FAULTY-020 has basis inferred but yielded a violation"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_programs: program 'faulty-no-period' rejected: "
                      "field effective"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_programs returned str, expected Program"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_categories: category 7 rejected: field id"),
    ("GT-ENGINE-002", "category 'pv-module' from 'faulty' is already defined; kept the first"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_standards: catalog entry "),
    ("GT-ENGINE-002", "rejected: field citation.authority"),
    ("GT-ENGINE-002", "rejected: field designator: expected StandardDesignator, got str"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_buyer_profiles: buyer profile 'faulty-profile' rejected: "
                      "field buyer_type: 'government'"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_config_schema: section 'faulty' rejected: faulty: "
                      "not a valid JSON Schema"),
    ("GT-ENGINE-002", "plugin 'faulty' hook greentrade_config_schema: section 3 rejected"),
    ("GT-ENGINE-002", "data set 'itc-green-export-pass.regions' belongs to plugin 'itc-green-export-pass'"),
    ("GT-ENGINE-002", "data set 'regions' is not under the plugin's own prefix"),
    ("GT-ENGINE-002", "greentrade_reference_data: faulty.data.value: nan is not a JSON number; not applied"),
    ("GT-ENGINE-002", "program 'faulty-lane' cannot be decided: rule 'FAULTY-015' of plugin 'faulty' was rejected"),
]


@pytest.mark.parametrize(("rule", "text"), EXPECTED_FAULTS, ids=[t[:60] for _r, t in EXPECTED_FAULTS])
def test_every_fault_has_a_finding_naming_plugin_and_field(faulty_report, rule, text):
    assert any(f.rule == rule and text in f.message for f in faulty_report.findings), text


@pytest.fixture(scope="module")
def faulty_report():
    import importlib.util
    from pathlib import Path

    here = Path(__file__).parent
    spec = importlib.util.spec_from_file_location("faulty_for_findings", here / "faulty_plugin" / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.SLEEP = 1.0
    engine = Engine(config=here.parents[1] / "examples" / "greentrade.toml", rule_time_budget=0.2)
    engine.load_entry_points()
    engine.register(module, name="faulty")
    return engine.validate(here.parents[1] / "examples" / "zhejiang-solar-portfolio.json")


def test_hits_with_plain_strings_are_converted(faulty_report):
    [f1] = {f for f in faulty_report.findings if f.rule == "FAULTY-001" and f.shipment == "HG-2607-NGB-VN"}
    assert (f1.effect, f1.severity) == (Effect.VIOLATION, Severity.ERROR)
    [f2] = {f for f in faulty_report.findings if f.rule == "FAULTY-002" and f.shipment == "HG-2607-NGB-VN"}
    assert (f2.effect, f2.severity) == (Effect.NOTE, Severity.ERROR)
    # The violation counts: the program is not eligible, as the plugin meant.
    assert faulty_report.status("faulty-lane", "HG-2607-NGB-VN") is Status.NOT_ELIGIBLE


def test_a_rejected_rule_makes_its_program_undetermined_never_eligible():
    good = _rule("MINI-001", lambda ctx: ())
    for bad in (_rule("MINI-002", lambda ctx: (), role="Check"),
                _rule("MINI-002", lambda ctx: (), scope="per-shipment"),
                _rule("MINI-002", lambda ctx: (), description=None)):
        engine = Engine()
        engine.register(_plugin(good, bad), name="mini")
        report = engine.validate(_dossier())
        assert report.status("mini", "S1") is Status.UNDETERMINED, bad
        [why] = [f for f in report.findings if f.shipment == "S1" and f.rule == "GT-ENGINE-002"]
        assert "rule 'MINI-002' of plugin 'mini' was rejected" in why.message
    engine = Engine()
    engine.register(_plugin(good), name="mini")
    assert engine.validate(_dossier()).status("mini", "S1") is Status.ELIGIBLE  # the control


def test_a_rules_hook_that_fails_makes_the_plugins_programs_undetermined():
    def broken():
        raise SystemExit(0)

    engine = Engine()
    engine.register(_plugin(greentrade_rules=broken), name="mini")
    report = engine.validate(_dossier())
    assert report.status("mini", "S1") is Status.UNDETERMINED
    assert any("hook greentrade_rules raised SystemExit" in f.message for f in report.findings)


@pytest.mark.parametrize("hit", [
    Hit(effect=Effect.VIOLATION, message="m", pointer=None),  # type: ignore[arg-type]
    Hit(effect=Effect.VIOLATION, message="m", pointer="", severity="fatal"),  # type: ignore[arg-type]
    Hit(effect=Effect.UNDETERMINED, message="m", pointer="", needs=["x"]),  # type: ignore[arg-type]
    Hit(effect=Effect.NOTE, message=None, pointer=""),  # type: ignore[arg-type]
    Hit(effect="maybe", message="m", pointer=""),  # type: ignore[arg-type]
])
def test_a_bad_hit_costs_its_rule_only(hit, report_errors):
    engine = Engine()
    engine.register(_plugin(_rule("MINI-001", lambda ctx: [hit]),
                            _rule("MINI-002", lambda ctx: [ctx.violation("real", ctx.shipment)])), name="mini")
    report = engine.validate(_dossier())
    assert report_errors(report) == []
    assert report.status("mini", "S1") is Status.NOT_ELIGIBLE  # MINI-002 still counts
    assert any(f.rule == "GT-ENGINE-003" and "MINI-001" in f.message for f in report.findings)


def test_a_bad_hit_alone_makes_the_program_undetermined():
    engine = Engine()
    engine.register(_plugin(_rule("MINI-001", lambda ctx: [Hit(effect="note", message="m", pointer=None)])),  # type: ignore[arg-type]
                    name="mini")
    assert engine.validate(_dossier()).status("mini", "S1") is Status.UNDETERMINED


def test_configuration_and_reference_data_are_read_only_for_rules(faulty, first_party_engine, example):
    engine = first_party_engine(("faulty", faulty), rule_time_budget=0.2)
    first = engine.validate(example)
    second = engine.validate(example)
    # FAULTY-010 tried to add CNSZX to the pilot ports: the Shenzhen shipment stays undetermined.
    assert first.status("cn-green-channel", "HG-2608-SZX-MX") is Status.UNDETERMINED
    assert second.status("cn-green-channel", "HG-2608-SZX-MX") is Status.UNDETERMINED
    assert _outcomes(first, FIRST_PARTY) == _outcomes(second, FIRST_PARTY)
    assert engine._contributions().settings["cn-green-channel"]["pilot_ports"] == ("CNNGB", "CNSHA")
    regions = engine.reference["itc-green-export-pass.regions"]["regions"]
    assert isinstance(regions, tuple) and regions
    with pytest.raises(TypeError):
        engine.reference["faulty-ok.data"]["ports"] = ()  # type: ignore[index]


def test_reference_data_only_under_the_plugins_own_prefix_and_the_host_overrides():
    def data():
        return {"mini.ports": ["CNNGB"], "other.ports": ["CNSHA"]}

    engine = Engine(config={"reference": {"mini.ports": ["CNTAO"]}})
    engine.register(_plugin(greentrade_reference_data=data), name="mini")
    assert engine.reference["mini.ports"] == ("CNTAO",)  # the host's [reference] wins
    assert "other.ports" not in engine.reference
    engine = Engine()
    engine.register(_plugin(greentrade_reference_data=data), name="mini")
    assert engine.reference["mini.ports"] == ("CNNGB",)


def test_strict_mode_raises_on_a_rejected_contribution():
    engine = Engine(strict=True)
    engine.register(_plugin(_rule("MINI-001", lambda ctx: (), role="Check")), name="mini")
    with pytest.raises(PluginError, match="field role"):
        engine.validate(_dossier())


def test_keyboard_interrupt_is_not_swallowed():
    def interrupt(ctx):
        raise KeyboardInterrupt

    engine = Engine()
    engine.register(_plugin(_rule("MINI-001", interrupt)), name="mini")
    with pytest.raises(KeyboardInterrupt):
        engine.validate(_dossier())


def _dossier():
    import json as _json
    from pathlib import Path

    return _json.loads((Path(__file__).parents[1] / "data" / "core-dossier.json").read_text())


def test_threads_sharing_a_fresh_engine_all_see_the_broken_plugin():
    import threading

    def broken():
        raise RuntimeError("rules unavailable")

    engine = Engine()
    engine.register(_plugin(greentrade_rules=broken), name="mini")
    statuses = []
    threads = [threading.Thread(target=lambda: statuses.append(engine.validate(_dossier()).status("mini", "S1")))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [Status.UNDETERMINED] * 8


def test_a_huge_exception_message_is_clipped():
    def loud(ctx):
        raise ValueError("x" * 1_000_000)

    engine = Engine()
    engine.register(_plugin(_rule("MINI-001", loud)), name="mini")
    [fault] = [f for f in engine.validate(_dossier()).findings if f.rule == "GT-ENGINE-003"]
    assert fault.message.startswith("rule MINI-001 raised ValueError: xxx") and len(fault.message) < 500
