"""Each rule has a time budget per dossier; a rule over budget is a fault, never a verdict."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import types
from pathlib import Path

import pytest

from greentrade import Citation, ConfigError, Engine, Period, Program, Rule, Severity, Status, hookimpl

CITE = Citation(authority="greentrade test suite", title="Robustness fixture", reference="tests/robustness")
PROGRAM = Program(id="mini", title="Mini", authority="Test", effective=Period(dt.date(2026, 1, 1)), citation=CITE)
DOSSIER = json.loads((Path(__file__).parents[1] / "data" / "core-dossier.json").read_text())


def _engine(check, **kw):
    rule = Rule(id="MINI-001", title="slow", severity=Severity.ERROR, check=check, citation=CITE, program="mini",
                basis="stated")
    ns = types.SimpleNamespace(greentrade_programs=hookimpl(lambda: [PROGRAM]),
                               greentrade_rules=hookimpl(lambda: [rule]))
    engine = Engine(**kw)
    engine.register(ns, name="mini")
    return engine


def _sleep(seconds):
    def check(ctx):
        time.sleep(seconds)
        return ()

    return check


def test_a_rule_over_budget_is_stopped_and_its_program_undetermined():
    engine = _engine(_sleep(30), rule_time_budget=0.2)
    started = time.perf_counter()
    report = engine.validate(DOSSIER)
    elapsed = time.perf_counter() - started
    assert elapsed < 5  # stopped, not 30 s
    assert report.status("mini", "S1") is Status.UNDETERMINED
    [fault] = [f for f in report.findings if f.rule == "GT-ENGINE-003"]
    assert "MINI-001 was stopped: it used up its time budget of 0.2 s" in fault.message


def test_the_budget_is_per_rule_per_dossier_and_summed_over_calls():
    many = {**DOSSIER, "shipments": [{**DOSSIER["shipments"][0], "id": f"S{i}"} for i in range(6)]}
    engine = _engine(_sleep(0.08), rule_time_budget=0.2)
    report = engine.validate(many)
    statuses = [report.status("mini", f"S{i}") for i in range(6)]
    assert statuses[0] is Status.ELIGIBLE  # within budget
    assert statuses[-1] is Status.UNDETERMINED  # the budget was spent by then: not run
    assert any("was not run: it used up its time budget" in f.message for f in report.findings)
    # A new dossier gets a new budget.
    assert engine.validate(DOSSIER).status("mini", "S1") is Status.ELIGIBLE


def test_the_default_budget_is_5_seconds_and_configurable():
    assert Engine().rule_time_budget == 5.0
    assert Engine(config={"greentrade": {"rule_time_budget": 0.5}}).rule_time_budget == 0.5
    assert Engine(config={"greentrade": {"rule_time_budget": 0.5}}, rule_time_budget=2).rule_time_budget == 2
    with pytest.raises(ConfigError):
        Engine(config={"greentrade": {"rule_time_budget": -1}})


def test_a_zero_budget_disables_the_limit():
    assert _engine(_sleep(0.3), rule_time_budget=0).validate(DOSSIER).status("mini", "S1") is Status.ELIGIBLE


def test_in_another_thread_the_rule_is_not_stopped_but_its_result_is_discarded():
    engine = _engine(_sleep(0.6), rule_time_budget=0.2)
    result = {}

    def run():
        started = time.perf_counter()
        result["report"] = engine.validate(DOSSIER)
        result["elapsed"] = time.perf_counter() - started

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert result["elapsed"] >= 0.6  # no signal in a worker thread: the rule ran to its end
    report = result["report"]
    assert report.status("mini", "S1") is Status.UNDETERMINED
    assert any("its result was discarded" in f.message for f in report.findings)


def test_the_host_alarm_handler_is_restored():
    import signal

    before = signal.getsignal(signal.SIGALRM)
    _engine(_sleep(0.01), rule_time_budget=0.2).validate(DOSSIER)
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
