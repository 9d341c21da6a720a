"""The cyclic garbage collector is paused while a dossier is validated, and only then (#22)."""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from greentrade import Citation, Engine, Hit, Period, Program, Rule, RuleContext, Severity, hookimpl
from greentrade.engine import _gcpause

CORE = json.loads((Path(__file__).resolve().parent / "data" / "core-dossier.json").read_text())
_CITATION = Citation(authority="greentrade test suite", title="GC pause (test fixture)", reference="tests")
SEEN: list[bool] = []


def _look(ctx: RuleContext) -> Iterator[Hit]:
    SEEN.append(gc.isenabled())
    if ctx.shipment is not None and ctx.shipment.id == "BOOM":
        raise KeyboardInterrupt  # not isolated by the engine: it ends the validation
    yield from ()


class Looker:
    @hookimpl
    def greentrade_programs(self) -> list[Program]:
        return [Program(id="toy-gc", title="GC", authority="test fixture", effective=Period(), citation=_CITATION)]

    @hookimpl
    def greentrade_rules(self) -> list[Rule]:
        return [Rule(id="TOYGC-001", title="Looks at the collector", severity=Severity.INFO, check=_look,
                     citation=_CITATION, program="toy-gc", basis="stated")]


@pytest.fixture
def engine() -> Engine:
    e = Engine()
    e.register(Looker(), name="looker", version="1")
    SEEN.clear()
    return e


def test_paused_during_validation_and_restored_after(engine: Engine) -> None:
    assert gc.isenabled()
    engine.validate(CORE)
    assert SEEN and not any(SEEN)
    assert gc.isenabled()
    list(engine.validate_many([CORE, CORE]))
    assert gc.isenabled() and not any(SEEN)


def test_restored_when_the_validation_ends_with_an_exception(engine: Engine) -> None:
    boom = json.loads(json.dumps(CORE))
    boom["shipments"][0]["id"] = "BOOM"
    with pytest.raises(KeyboardInterrupt):
        engine.validate(boom)
    assert gc.isenabled()


def test_a_collector_the_host_disabled_stays_disabled(engine: Engine) -> None:
    gc.disable()
    try:
        engine.validate(CORE)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_validations_in_threads_restore_it_once_all_have_ended() -> None:
    inside, release = threading.Event(), threading.Event()

    def first() -> None:
        with _gcpause.paused():
            inside.set()
            release.wait(10)

    t = threading.Thread(target=first)
    t.start()
    assert inside.wait(10)
    with _gcpause.paused():  # a second validation while the first runs
        assert not gc.isenabled()
    assert not gc.isenabled()  # the first is still running
    release.set()
    t.join(10)
    assert gc.isenabled()


def test_a_pause_over_validations_that_overlap_without_a_gap_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_gcpause, "MAX_PAUSE", -1.0)  # any pause is over it
    with _gcpause.paused():
        assert not gc.isenabled()
        with _gcpause.paused():  # began after the longest pause: the collector runs again
            assert gc.isenabled()
        assert gc.isenabled()
    assert gc.isenabled()
