"""No outcome without its rules, and mistakes are loud (#21 items 1, 2 and 4; #24 item 5).

A dossier-scope rule's fault, time-out or violation reaches the outcomes; a misspelt hook, a
program without rules, a misspelt plugin name, a plugin left out, a misspelt or malformed
``[reference]`` override: each is said, never read as `eligible`.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import time
import types
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

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
from greentrade.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
CITE = Citation(authority="greentrade test suite", title="Robustness fixture", reference="tests/robustness")
PROGRAM = Program(id="mini", title="Mini", authority="Test", effective=Period(dt.date(2026, 1, 1)), citation=CITE)
DOSSIER = json.loads((ROOT / "tests" / "data" / "core-dossier.json").read_text())


def _two_shipments() -> dict[str, Any]:
    d = copy.deepcopy(DOSSIER)
    second = copy.deepcopy(d["shipments"][0])
    second["id"] = "S2"
    d["shipments"].append(second)
    return d


def _plugin(*rules: Rule, **hooks: Any) -> types.SimpleNamespace:
    ns = types.SimpleNamespace(greentrade_programs=hookimpl(lambda: [PROGRAM]),
                               greentrade_rules=hookimpl(lambda: list(rules)))
    for name, fn in hooks.items():
        setattr(ns, name, hookimpl(fn))
    return ns


def _rule(id: str, check: Any, **kw: Any) -> Rule:
    kw.setdefault("program", "mini")
    return Rule(id=id, title=id, severity=kw.pop("severity", Severity.ERROR), check=check, citation=CITE,
                basis=kw.pop("basis", "stated"), **kw)


OK = _rule("MINI-001", lambda ctx: ())


def _statuses(engine: Engine) -> dict[str, Status]:
    report = engine.validate(_two_shipments())
    return {o.subject: o.status for o in report.outcomes if o.program == "mini"}


# -- dossier-scope rules reach the outcomes ------------------------------------------------------------
def _raises(ctx: Any) -> Any:
    raise RuntimeError("dossier rule broke")


def _slow(ctx: Any) -> Any:
    time.sleep(1.5)
    return ()


def _violates(ctx: Any) -> Any:
    yield Hit(effect=Effect.VIOLATION, message="the dossier as a whole breaks the program", pointer="")


def _open(ctx: Any) -> Any:
    yield Hit(effect=Effect.UNDETERMINED, message="cannot tell from the dossier", pointer="", needs="the list")


@pytest.mark.parametrize(("check", "status", "rule"), [
    (_raises, Status.UNDETERMINED, "GT-ENGINE-003"),
    (_slow, Status.UNDETERMINED, "GT-ENGINE-003"),
    (_violates, Status.NOT_ELIGIBLE, "MINI-900"),
    (_open, Status.UNDETERMINED, "MINI-900"),
])
def test_a_dossier_scope_rule_reaches_every_shipments_outcome(check: Any, status: Status, rule: str) -> None:
    engine = Engine(rule_time_budget=0.5)
    engine.register(_plugin(OK, _rule("MINI-900", check, scope="dossier")), name="mini")
    report = engine.validate(_two_shipments())
    outcomes = [o for o in report.outcomes if o.program == "mini"]
    assert [(o.subject, o.status) for o in outcomes] == [("S1", status), ("S2", status)]
    assert all(rule in o.reasons for o in outcomes)
    control = Engine()
    control.register(_plugin(OK), name="mini")
    assert set(_statuses(control).values()) == {Status.ELIGIBLE}


def test_a_dossier_scope_fault_raises_in_strict_mode() -> None:
    engine = Engine(strict=True)
    engine.register(_plugin(OK, _rule("MINI-900", _raises, scope="dossier")), name="mini")
    with pytest.raises(PluginError, match="MINI-900 raised RuntimeError"):
        engine.validate(_two_shipments())


# -- a misspelt hook, a program without rules ------------------------------------------------------------
def test_a_misspelt_hook_is_a_finding_with_a_suggestion_and_never_eligible() -> None:
    plugin = types.SimpleNamespace(greentrade_programs=hookimpl(lambda: [PROGRAM]),
                                   greentrade_rule=hookimpl(lambda: [OK]))  # sic: greentrade_rules
    engine = Engine()
    engine.register(plugin, name="mini")
    report = engine.validate(_two_shipments())
    assert {o.status for o in report.outcomes if o.program == "mini"} == {Status.UNDETERMINED}
    [f] = [f for f in report.findings if f.rule == "GT-ENGINE-002" and "greentrade_rule'" in f.message]
    assert f.severity is Severity.ERROR and "did you mean 'greentrade_rules'" in f.message
    assert not report.ok
    strict = Engine(strict=True)
    strict.register(plugin, name="mini")
    with pytest.raises(PluginError, match="did you mean 'greentrade_rules'"):
        strict.validate(_two_shipments())


def test_an_optional_hook_of_the_plugins_own_is_not_a_mistake() -> None:
    from greentrade.plugin import hookimpl as mark

    plugin = _plugin(OK)
    plugin.acme_extra = mark(optionalhook=True)(lambda: None)
    engine = Engine()
    engine.register(plugin, name="mini")
    assert set(_statuses(engine).values()) == {Status.ELIGIBLE}


@pytest.mark.parametrize("rules", [(), (_rule("MINI-001", lambda ctx: (), program=None),)])
def test_a_program_without_rules_is_never_eligible(rules: tuple[Rule, ...]) -> None:
    engine = Engine()
    engine.register(_plugin(*rules), name="mini")
    report = engine.validate(_two_shipments())
    assert {o.status for o in report.outcomes if o.program == "mini"} == {Status.UNDETERMINED}
    assert any(f.rule == "GT-ENGINE-002" and "no rule of plugin 'mini' belongs to it" in f.message
               for f in report.findings)


# -- configuration ------------------------------------------------------------------------------------
def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_a_misspelt_plugin_name_is_a_configuration_error_with_a_suggestion(tmp_path: Path) -> None:
    engine = Engine(config={"greentrade": {"plugins": ["cn-green-chanel"]}})
    with pytest.raises(ConfigError, match=r"'cn-green-chanel' is not installed \(did you mean 'cn-green-channel'"):
        engine.load_entry_points()
    config = tmp_path / "greentrade.toml"
    config.write_text('[greentrade]\nplugins = ["cn-green-chanel"]\n')
    code, out, err = _cli("--config", str(config), "plugins")
    assert (code, out) == (2, "") and "did you mean 'cn-green-channel'" in err


def test_an_installed_plugin_left_out_is_named(tmp_path: Path) -> None:
    engine = Engine(config={"greentrade": {"plugins": ["cn-green-channel"]}})
    engine.load_entry_points()
    assert "itc-green-export-pass" in engine.not_enabled and "cn-green-channel" not in engine.not_enabled
    config = tmp_path / "greentrade.toml"
    config.write_text('[greentrade]\nplugins = ["cn-green-channel"]\n')
    code, out, _err = _cli("--config", str(config), "plugins")
    assert code == 0 and any(line.startswith("itc-green-export-pass") and "installed, not enabled" in line
                             for line in out.splitlines())
    code, out, _err = _cli("--config", str(config), "plugins", "--format", "json")
    entries = {p["name"]: p for p in json.loads(out)}
    assert entries["itc-green-export-pass"]["enabled"] is False and "enabled" not in entries["cn-green-channel"]


def test_plugins_shows_refused_contributions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def engine(*_args: Any) -> Engine:
        e = Engine()
        e.register(_plugin(OK, _rule("MINI-002", lambda ctx: (), role="Check")), name="mini")
        return e

    monkeypatch.setattr(cli, "_engine", engine)
    code, out, _err = _cli("plugins")
    assert code == 0 and "mini" in out and "refused: plugin 'mini' hook greentrade_rules: rule 'MINI-002'" in out
    code, out, _err = _cli("plugins", "--format", "json")
    [mini] = [p for p in json.loads(out) if p["name"] == "mini"]
    assert any("rule 'MINI-002' rejected" in f for f in mini["faults"])


@pytest.mark.parametrize(("reference", "message"), [
    ({"nothing": {"x": 1}}, r"'nothing' is not a data set of greentrade or of a loaded plugin"),
    ({"itc-green-export-pass.regoins": {}}, r"did you mean 'itc-green-export-pass.regions'"),
    ({"itc-green-export-pass.regions": 5}, r"'itc-green-export-pass.regions': expected a table .* not a number"),
])
def test_unknown_or_malformed_reference_overrides_are_configuration_errors(reference: dict[str, Any],
                                                                            message: str) -> None:
    engine = Engine(config={"reference": reference})
    engine.load_entry_points()
    with pytest.raises(ConfigError, match=message):
        engine.validate(DOSSIER)


def test_reference_overrides_that_something_reads_are_accepted() -> None:
    engine = Engine(config={"reference": {"eu-battery-regulation.art7-application-date": "2027-03-01"}})
    engine.load_entry_points()
    assert engine.reference["eu-battery-regulation.art7-application-date"] == "2027-03-01"
