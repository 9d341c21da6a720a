"""Deprecation shims (one release, docs/compatibility.md) and the hook-API version (issue #24).

Each shim keeps what a plugin or host written for the 0.1 builds did working, and warns: a
`DeprecationWarning` for the developer, and for a rule without a basis also a GT-ENGINE-009 note
on every report naming the plugin, for whoever runs the host.
"""

from __future__ import annotations

import importlib
import sys
import types
import warnings

import pytest
from _helpers import CITE, DOSSIER, SHIPMENT, make_plugin, rule

import greentrade
from greentrade import Basis, Engine, PluginError, Rule, Severity, Status
from greentrade.engine._hookapi import HookApiRangeError, accepts
from greentrade.plugin import HOOK_API_VERSION


def _fails(ctx):
    yield ctx.violation("no", ctx.shipment)


def test_a_rule_without_basis_is_inferred_warns_and_is_named_on_every_report():
    with pytest.warns(DeprecationWarning, match=r"Rule 'OLD-001' declares no basis.*0\.4") as caught:
        old = Rule(id="OLD-001", title="old", severity=Severity.ERROR, check=_fails, citation=CITE, program="demo")
    assert caught[0].filename == __file__  # the warning points at the plugin's line, not at attrs
    assert old.basis is Basis.INFERRED and old.no_basis
    engine = Engine()
    engine.register(make_plugin(old, rule("NEW-001", lambda ctx: ())), name="old-plugin")
    assert [p.rules for p in engine.plugins if p.name == "old-plugin"] == [2]  # was "0 rule(s)" in 0.2
    report = engine.validate(DOSSIER)
    (note,) = report.findings_for(rule="GT-ENGINE-009")
    assert note.subject == "old-plugin" and "OLD-001" in note.message and "NEW-001" not in note.message
    assert (note.effect, note.severity) == ("note", "info") and report.ok
    # Read as inferred: its violation is downgraded (undetermined), never not_eligible.
    assert report.status("demo", SHIPMENT) is Status.UNDETERMINED
    assert {r["id"]: r["basis"] for r in report.to_dict()["rules"]}["OLD-001"] == "inferred"


def test_a_rule_with_basis_gives_no_warning_and_no_note():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = rule("NEW-001", lambda ctx: ())
        engine = Engine()
        engine.register(make_plugin(r), name="new-plugin")
        assert not engine.validate(DOSSIER).findings_for(rule="GT-ENGINE-009")


def test_greentrade_hookspec_still_works_and_warns():
    sys.modules.pop("greentrade.hookspec", None)
    with pytest.warns(DeprecationWarning, match=r"import hookimpl from greentrade\.plugin"):
        from greentrade.hookspec import hookimpl
    assert hookimpl is greentrade.plugin.hookimpl
    old = importlib.import_module("greentrade.hookspec")
    with pytest.warns(DeprecationWarning, match=r"greentrade\.plugin\.hookspec"):
        assert old.greentrade_rules is greentrade.plugin.hookspec.greentrade_rules
    with pytest.raises(AttributeError):
        old.no_such_name  # noqa: B018


def test_engine_assess_still_works_and_warns():
    engine = Engine()
    with pytest.warns(DeprecationWarning, match=r"greentrade\.assess\(engine, source"):
        old = engine.assess(DOSSIER, as_of=greentrade.assess(engine, DOSSIER).as_of)
    new = greentrade.assess(engine, DOSSIER, as_of=old.as_of)
    assert old.to_dict() == new.to_dict()


# -- the hook-API version ------------------------------------------------------------------------

@pytest.mark.parametrize(("spec", "version", "ok"), [
    (">=1.0,<2", "1.0", True), (">=1.0,<2", "1.7", True), (">=1.0,<2", "2.0", False),
    (">=1.1", "1.0", False), ("==1.0", "1.0", True), ("==1", "1.0", True), ("!=1.0", "1.0", False),
    ("~=1.0", "1.4", True), ("~=1.0", "2.0", False), ("~=1.2", "1.1", False), ("<1", "1.0", False),
    (" >= 1.0 , < 2 ", "1.0", True), (">0.9", "1.0", True), ("<=1.0", "1.0", True),
])
def test_hook_api_ranges(spec, version, ok):
    assert accepts(spec, version) is ok


@pytest.mark.parametrize("spec", ["", "1.0", ">=one", ">=1.0;<2", 1, None, ">=1.0,,<2"])
def test_an_unreadable_hook_api_range_is_refused(spec):
    with pytest.raises(HookApiRangeError):
        accepts(spec, "1.0")


def _plugin(spec):
    p = make_plugin(rule("HAPI-001", lambda ctx: ()))
    p.GREENTRADE_HOOK_API = spec
    return p


def test_the_core_declares_its_hook_api_and_the_first_party_plugins_accept_it():
    major, minor = map(int, HOOK_API_VERSION.split("."))
    assert major >= 1 and minor >= 0
    for module in ("greentrade_cn_green_channel", "greentrade_itc_green_export_pass", "greentrade_buyer_profiles"):
        assert accepts(importlib.import_module(module).GREENTRADE_HOOK_API, HOOK_API_VERSION), module


def test_a_plugin_inside_its_range_loads():
    engine = Engine()
    engine.register(_plugin(f">={HOOK_API_VERSION},<{int(HOOK_API_VERSION.split('.')[0]) + 1}"), name="fits")
    report = engine.validate(DOSSIER)
    assert not report.findings_for(rule="GT-ENGINE-001") and "HAPI-001" in {r.id for r in engine.rules}


@pytest.mark.parametrize(("spec", "says"), [(">=99.0", "written for hook API >=99.0"),
                                            ("<1", "written for hook API <1"),
                                            ("version one", "unreadable hook API range")])
def test_a_plugin_outside_its_range_is_refused_with_a_finding_naming_it_and_the_range(spec, says):
    engine = Engine()
    engine.register(_plugin(spec), name="elsewhere")
    (fault,) = engine.validate(DOSSIER).findings_for(rule="GT-ENGINE-001")
    assert fault.subject == "elsewhere" and says in fault.message and "'elsewhere'" in fault.message
    assert f"hook API {HOOK_API_VERSION}" in fault.message or "unreadable" in says
    assert "HAPI-001" not in {r.id for r in engine.rules} and "elsewhere" not in {p.name for p in engine.plugins}
    with pytest.raises(PluginError, match=r"written for hook API|unreadable"):
        Engine(strict=True).register(_plugin(spec), name="elsewhere")


def test_a_module_plugin_states_its_range_as_a_module_attribute():
    module = types.ModuleType("greentrade_elsewhere")
    module.GREENTRADE_HOOK_API = ">=2.0,<3"  # type: ignore[attr-defined]
    engine = Engine()
    engine.register(module, name="elsewhere")
    assert engine.validate(DOSSIER).findings_for(rule="GT-ENGINE-001")
