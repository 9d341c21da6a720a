"""A deliberately careless plugin ("faulty"): every fault of issue #10 in one package.

It is registered explicitly by the robustness tests (never through an entry point). Its own
program ``faulty-lane`` must come out ``undetermined`` or ``not_eligible`` (never
``eligible``), the first-party plugins' outcomes must not change, and the report must still
validate against its schema.

Set ``SLEEP`` to a number of seconds for the slow rule (the tests keep the time budget small).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import sys
import time
from typing import Any

from greentrade import (
    BuyerProfile,
    CatalogEntry,
    Category,
    Citation,
    Hit,
    Period,
    Program,
    Rule,
    Severity,
    StandardDesignator,
    hookimpl,
)

__version__ = "0.0-faulty"

PROGRAM = "faulty-lane"
SLEEP = 30.0
CITE = Citation(authority="greentrade test suite", title="Faulty plugin (test fixture, not a regulation)",
                reference="tests/robustness/faulty_plugin")


def _rule(id: str, check: Any, **kw: Any) -> Rule:
    kw.setdefault("program", PROGRAM)
    return Rule(id=id, title=id, severity=kw.pop("severity", Severity.ERROR), check=check, citation=CITE,
                basis=kw.pop("basis", "stated"), **kw)


def _at(ctx: Any) -> str:
    return ctx.pointer(ctx.shipment)


# -- hits as plain strings: converted -----------------------------------------------------------
def string_effect(ctx: Any) -> Any:
    yield Hit(effect="violation", message="a violation given as a plain string", pointer=_at(ctx))  # type: ignore[arg-type]


def string_severity(ctx: Any) -> Any:
    yield Hit(effect="note", message="severity given as a plain string", pointer=_at(ctx),  # type: ignore[arg-type]
              severity="error")  # type: ignore[arg-type]


# -- bad hits: rejected -------------------------------------------------------------------------
def none_pointer(ctx: Any) -> Any:
    yield Hit(effect="violation", message="no pointer", pointer=None)  # type: ignore[arg-type]


def fatal_severity(ctx: Any) -> Any:
    yield Hit(effect="violation", message="fatal", pointer=_at(ctx), severity="fatal")  # type: ignore[arg-type]


def list_needs(ctx: Any) -> Any:
    yield Hit(effect="undetermined", message="needs a list", pointer=_at(ctx), needs=["a", "b"])  # type: ignore[arg-type]


def bad_pointer(ctx: Any) -> Any:
    yield Hit(effect="note", message="not a JSON pointer", pointer="shipments/0")  # type: ignore[arg-type]


def yields_finding(ctx: Any) -> Any:
    yield "a string instead of a Hit"


# -- rules that misbehave -------------------------------------------------------------------------
def exits(ctx: Any) -> Any:
    sys.exit(0)


def raises_base_exception(ctx: Any) -> Any:
    raise GeneratorExit("not an Exception subclass")


def mutates_config(ctx: Any) -> Any:
    ctx.config("cn-green-channel")["pilot_ports"].append("CNSZX")
    return ()


def mutates_reference(ctx: Any) -> Any:
    regions = ctx.reference["itc-green-export-pass.regions"]
    regions["regions"] = []  # type: ignore[index]
    return ()


def sleeps(ctx: Any) -> Any:
    time.sleep(SLEEP)
    return ()


def endless(ctx: Any) -> Any:
    for i in itertools.count():
        yield Hit(effect="note", message=f"hit {i}", pointer=_at(ctx))  # type: ignore[arg-type]


def swallows_timeout(ctx: Any) -> Any:
    deadline = time.perf_counter() + SLEEP
    while time.perf_counter() < deadline:
        with contextlib.suppress(BaseException):  # a careless rule: swallows everything, the timeout too
            time.sleep(0.01)
    return ()


def fine(ctx: Any) -> Any:
    return ()


@hookimpl
def greentrade_programs() -> list[Any]:
    return [
        Program(id=PROGRAM, title="Faulty lane", authority="Test", effective=Period(dt.date(2026, 1, 1)),
                citation=CITE),
        Program(id="faulty-no-period", title="No period", authority="Test", effective=None,  # type: ignore[arg-type]
                citation=CITE),
        "not a program",
    ]


@hookimpl
def greentrade_rules() -> list[Any]:
    return [
        _rule("FAULTY-001", string_effect),
        _rule("FAULTY-002", string_severity, severity="error"),
        _rule("FAULTY-003", none_pointer),
        _rule("FAULTY-004", fatal_severity),
        _rule("FAULTY-005", list_needs),
        _rule("FAULTY-006", bad_pointer),
        _rule("FAULTY-007", yields_finding),
        _rule("FAULTY-008", exits),
        _rule("FAULTY-009", raises_base_exception),
        _rule("FAULTY-010", mutates_config),
        _rule("FAULTY-011", mutates_reference),
        _rule("FAULTY-012", sleeps),
        _rule("FAULTY-013", endless),
        _rule("FAULTY-014", swallows_timeout),
        _rule("FAULTY-015", fine, role="Check"),  # rejected: never runs, the program is undetermined
        _rule("FAULTY-016", fine, scope="per-shipment"),  # rejected
        _rule("FAULTY-017", fine, effective=None),  # rejected
        Rule(id="FAULTY-018", title="no check", severity=Severity.ERROR, check=None,  # type: ignore[arg-type]
             citation=CITE, program=PROGRAM, basis="stated"),  # rejected: nothing to run
        _rule("FAULTY-019", exits, program=None),  # a rule of no program that ends the process
        _rule("FAULTY-020", string_effect, basis="inferred"),  # a violation from an inferred rule: downgraded
        "not a rule",
    ]


@hookimpl
def greentrade_categories() -> list[Any]:
    return [
        Category(id="pv-module", title="A second PV module category"),  # duplicate: the first is kept
        Category(id="faulty-gadget", title="Gadget", hs_codes=["9405.41"]),  # type: ignore[arg-type]
        Category(id=7, title="bad id"),  # type: ignore[arg-type]
    ]


@hookimpl
def greentrade_standards() -> list[Any]:
    return [
        CatalogEntry(designator=StandardDesignator.parse("ISO 14067:2018"), title="t",
                     citation=Citation(authority=" ", title="blank authority", reference="x")),
        CatalogEntry(designator="ISO 14067:2018", title="t", citation=CITE),  # type: ignore[arg-type]
    ]


@hookimpl
def greentrade_buyer_profiles() -> list[Any]:
    return [BuyerProfile(id="faulty-profile", title="Faulty", buyer_type="government",  # type: ignore[arg-type]
                         countries=("AE",), citation=CITE)]


@hookimpl
def greentrade_config_schema() -> dict[str, Any]:
    return {"faulty": {"type": "not-a-type"}, "faulty-ok": {"type": "object"}, 3: {"type": "object"}}


@hookimpl
def greentrade_reference_data() -> dict[str, Any]:
    return {
        "itc-green-export-pass.regions": {"regions": []},  # another plugin's data: not applied
        "regions": {"middle-east": ["AE"]},  # outside any prefix: not applied
        "faulty.data": {"value": float("nan")},  # not JSON: not applied
        "faulty-ok.data": {"ports": ["CNNGB"]},  # its own: applied, read-only
    }
