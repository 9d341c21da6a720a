"""Hooks run through pluggy's hook caller: hosts' wrappers and tracing see every plugin's call,
while a fault stays with the plugin that raised it and engines stay isolated."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from greentrade import Engine, Severity, hookimpl
from greentrade.rules import Citation, Rule

CITE = Citation(authority="test", title="t", reference="r")


def _rule(rule_id: str) -> Rule:
    return Rule(id=rule_id, title="t", severity=Severity.ERROR, check=lambda _ctx: (), citation=CITE,
                basis="stated")


class Good:
    @hookimpl
    def greentrade_rules(self) -> Sequence[Rule]:
        return [_rule("GOOD-001")]


class Broken:
    @hookimpl
    def greentrade_rules(self) -> Sequence[Rule]:
        raise RuntimeError("boom")


class Wrapper:
    """A host's wrapper: records each call's result and may change it."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    @hookimpl(wrapper=True)
    def greentrade_rules(self) -> Generator[None, list[Any], list[Any]]:
        result = yield
        self.seen.append(result)
        return result


def test_a_hosts_wrapper_wraps_each_plugins_call_and_faults_stay_with_their_plugin() -> None:
    engine = Engine()
    wrapper = Wrapper()
    engine.register(Good(), name="good")
    engine.register(Broken(), name="broken")
    engine.register(wrapper, name="host-wrapper")
    ids = {r.id for r in engine.rules}
    assert "GOOD-001" in ids
    # the wrapper wrapped good's call alone (broken's call raised through it, so it saw no result)
    assert [[r.id for r in result] for result in wrapper.seen[0]] == [["GOOD-001"]]
    assert len(wrapper.seen) == 1
    faults = [f for f in engine.validate({"format": 1}).findings if f.rule == "GT-ENGINE-002"]
    assert any("'broken'" in f.message and "boom" in f.message for f in faults)
    assert not any("'good'" in f.message for f in faults)


def test_pluggy_call_monitoring_sees_each_plugins_call_on_this_engine_only() -> None:
    calls: list[tuple[str, list[str]]] = []
    engine, other = Engine(), Engine()
    engine.plugin_manager.add_hookcall_monitoring(
        lambda name, impls, _kw: calls.append((name, [i.plugin_name for i in impls])), lambda *_a: None)
    engine.register(Good(), name="good")
    other.register(Good(), name="good")
    _ = other.rules
    assert not calls
    _ = engine.rules
    rule_calls = [plugins for name, plugins in calls if name == "greentrade_rules"]
    assert ["good"] in rule_calls
    assert all(len(plugins) == 1 for plugins in rule_calls)
