"""The engine: registration, isolation, faults, statuses, configuration, determinism."""

import copy
import datetime as dt
import json
import types
from pathlib import Path

import pytest
from _helpers import CITE, DOSSIER, make_plugin, rule

from greentrade import (
    ConfigError,
    Engine,
    Period,
    PluginConflictError,
    PluginError,
    Program,
    Severity,
    Status,
    hookimpl,
)


def big_lines(ctx):
    for line in ctx.shipment.lines:
        if line.quantity > 100:
            yield ctx.violation(f"line {line.id}: quantity {line.quantity} > 100", line, "quantity")


def needs_ports(ctx):
    ports = ctx.config("demo").get("ports")
    if ports is None:
        yield ctx.undetermined("no port list", ctx.shipment, "port_of_export", needs="plugins.demo.ports")
    elif ctx.shipment.port_of_export not in ports:
        yield ctx.violation("port not in list", ctx.shipment, "port_of_export")


def out_of_scope_if_not_ae(ctx):
    if ctx.shipment.destination_country != "AE":
        yield ctx.not_applicable("destination is not AE", ctx.shipment, "destination_country")


def boom(ctx):
    raise RuntimeError("kaput")


def test_statuses_follow_findings():
    engine = Engine()
    engine.register(make_plugin(rule("DEMO-001", big_lines)), name="demo")
    report = engine.validate(DOSSIER)
    assert report.status("demo", "S1") is Status.NOT_ELIGIBLE
    (f,) = report.findings
    assert (f.rule, f.pointer, f.shipment, f.program) == ("DEMO-001", "/shipments/0/lines/0/quantity", "S1", "demo")
    assert f.citation == CITE

    small = copy.deepcopy(DOSSIER)
    small["shipments"][0]["lines"][0]["quantity"] = 50
    report = engine.validate(small)
    assert report.status("demo", "S1") is Status.ELIGIBLE
    assert report.outcomes[0].summary == "demo ok"


def test_undetermined_names_what_is_needed_and_config_decides():
    plugin = make_plugin(rule("DEMO-002", needs_ports),
                         config_schema={"demo": {"type": "object", "properties": {"ports": {"type": "array"}},
                                                 "additionalProperties": False}})
    engine = Engine()
    engine.register(plugin, name="demo")
    report = engine.validate(DOSSIER)
    assert report.status("demo", "S1") is Status.UNDETERMINED
    assert report.findings[0].needs == "plugins.demo.ports"
    assert report.findings[0].severity is Severity.WARNING
    assert report.ok  # undetermined is not an error

    configured = Engine(config={"plugins": {"demo": {"ports": ["CNNGB"]}}})
    configured.register(plugin, name="demo")
    assert configured.validate(DOSSIER).status("demo", "S1") is Status.ELIGIBLE
    other = Engine(config={"plugins": {"demo": {"ports": ["CNSHA"]}}})
    other.register(plugin, name="demo")
    assert other.validate(DOSSIER).status("demo", "S1") is Status.NOT_ELIGIBLE


def test_config_errors_are_clear():
    plugin = make_plugin(config_schema={"demo": {"type": "object", "properties": {"ports": {"type": "array"}},
                                                 "additionalProperties": False}})
    for config, message in [
        ({"plugins": {"nope": {}}}, r"\[plugins.nope\] belongs to no loaded plugin"),
        ({"plugins": {"demo": {"ports": "CNNGB"}}}, "expected a list; got 'CNNGB'"),
        ({"plugins": {"demo": {"port": []}}}, r"unknown key 'port' \(did you mean 'ports'\?\)"),
    ]:
        engine = Engine(config=config)
        engine.register(plugin, name="demo")
        with pytest.raises(ConfigError, match=message):
            engine.validate(DOSSIER)
    with pytest.raises(ConfigError, match="greentrade"):
        Engine(config={"greentrade": {"strict": "yes"}})


def test_config_from_toml(tmp_path):
    path = tmp_path / "greentrade.toml"
    path.write_text('[greentrade]\nstrict = true\n\n[plugins.demo]\nports = ["CNNGB"]\n')
    plugin = make_plugin(rule("DEMO-002", needs_ports), config_schema={"demo": {"type": "object"}})
    engine = Engine(config=path)
    engine.register(plugin, name="demo")
    assert engine.strict
    assert engine.validate(DOSSIER).status("demo", "S1") is Status.ELIGIBLE
    bad = tmp_path / "bad.toml"
    bad.write_text("[greentrade\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Engine(config=bad)


def test_scope_rules_make_program_not_applicable_and_skip_checks():
    engine = Engine()
    engine.register(make_plugin(rule("DEMO-010", out_of_scope_if_not_ae, role="scope"),
                                rule("DEMO-001", big_lines)), name="demo")
    data = copy.deepcopy(DOSSIER)
    data["shipments"][0]["destination_country"] = "VN"
    report = engine.validate(data)
    assert report.status("demo", "S1") is Status.NOT_APPLICABLE
    assert [f.rule for f in report.findings] == ["DEMO-010"]
    assert report.outcomes[0].reasons == ("DEMO-010",)


def test_program_and_rule_effective_periods():
    engine = Engine()
    late = rule("DEMO-003", big_lines, effective=Period(dt.date(2027, 1, 1)))
    engine.register(make_plugin(late), name="demo")
    report = engine.validate(DOSSIER)
    assert report.status("demo", "S1") is Status.ELIGIBLE  # the rule is not in force yet
    assert engine.validate(DOSSIER, as_of=dt.date(2027, 1, 2)).status("demo", "S1") is Status.NOT_ELIGIBLE
    before = engine.validate(DOSSIER, as_of=dt.date(2026, 5, 31))
    assert before.status("demo", "S1") is Status.NOT_APPLICABLE
    assert "outside the program's effective period" in before.outcomes[0].summary


def test_a_raising_rule_becomes_a_finding_and_others_still_run():
    engine = Engine()
    engine.register(make_plugin(rule("DEMO-001", big_lines), rule("DEMO-666", boom)), name="demo")
    report = engine.validate(DOSSIER)
    rules = sorted(f.rule for f in report.findings)
    assert rules == ["DEMO-001", "GT-ENGINE-003"]
    crash = report.findings_for(rule="GT-ENGINE-003")[0]
    assert "DEMO-666" in crash.message and "RuntimeError: kaput" in crash.message
    strict = Engine(strict=True)
    strict.register(make_plugin(rule("DEMO-666", boom)), name="demo")
    with pytest.raises(PluginError, match="kaput"):
        strict.validate(DOSSIER)


def test_a_raising_hook_becomes_a_finding():
    def greentrade_categories():
        raise ValueError("bad data file")

    engine = Engine()
    engine.register(make_plugin(rule("DEMO-001", big_lines), greentrade_categories=greentrade_categories),
                    name="demo")
    report = engine.validate(DOSSIER)
    assert any(f.rule == "GT-ENGINE-002" and "bad data file" in f.message for f in report.findings)
    assert report.status("demo", "S1") is Status.NOT_ELIGIBLE  # its rules still ran


def test_wrong_return_types_are_reported():
    def greentrade_rules():
        return ["not a rule"]

    ns = types.SimpleNamespace(greentrade_rules=hookimpl(greentrade_rules))
    engine = Engine()
    engine.register(ns, name="odd")
    report = engine.validate(DOSSIER)
    assert any(f.rule == "GT-ENGINE-002" and "returned str, expected Rule" in f.message for f in report.findings)


def test_rule_for_unknown_program_is_reported_not_run():
    engine = Engine()
    engine.register(make_plugin(rule("DEMO-001", big_lines, program="ghost"), programs=()), name="demo")
    report = engine.validate(DOSSIER)
    assert any("unknown program 'ghost'" in f.message for f in report.findings)


def test_duplicate_rule_ids_are_a_clear_error():
    engine = Engine()
    engine.register(make_plugin(rule("DEMO-001", big_lines)), name="a")
    engine.register(make_plugin(rule("DEMO-001", big_lines), programs=()), name="b")
    with pytest.raises(PluginConflictError, match=r"DEMO-001.*'a' and 'b'"):
        engine.validate(DOSSIER)
    with pytest.raises(PluginConflictError):
        engine.register(make_plugin(), name="a")


def test_two_engines_do_not_see_each_others_plugins():
    a, b = Engine(), Engine()
    a.register(make_plugin(rule("DEMO-001", big_lines)), name="demo")
    assert [p.name for p in a.plugins] == ["demo"]
    assert b.plugins == []
    assert b.validate(DOSSIER).outcomes == ()
    assert a.validate(DOSSIER).status("demo", "S1") is Status.NOT_ELIGIBLE


def test_entry_point_allowlist_and_missing_plugin():
    engine = Engine()
    assert engine.load_entry_points(allow=["no-such-plugin"]) == []
    report = engine.validate(DOSSIER)
    assert any(f.rule == "GT-ENGINE-001" and "no-such-plugin" in f.message for f in report.findings)


def test_determinism_and_no_mutation():
    def engine(order):
        e = Engine()
        plugins = {"demo": make_plugin(rule("DEMO-001", big_lines), rule("DEMO-002", needs_ports)),
                   "other": make_plugin(rule("OTHER-001", big_lines, program="other"),
                                        programs=(Program(id="other", title="O", authority="T",
                                                          effective=Period(), citation=CITE),))}
        for name in order:
            e.register(plugins[name], name=name)
        return e

    data = copy.deepcopy(DOSSIER)
    first = engine(["demo", "other"]).validate(data).to_json()
    second = engine(["other", "demo"]).validate(data).to_json()
    assert first == second
    assert data == DOSSIER


def test_dossier_entities_and_bytes_give_the_same_findings():
    from greentrade import structure

    engine = Engine()
    engine.register(make_plugin(rule("DEMO-001", big_lines)), name="demo")
    raw = (Path(__file__).parent / "data" / "core-dossier.json").read_bytes()
    by_bytes = engine.validate(raw)
    by_entities = engine.validate(structure(json.loads(raw)))
    assert by_bytes.findings == by_entities.findings and by_bytes.outcomes == by_entities.outcomes
