"""Shared test setup: Hypothesis profiles and a small test plugin ("toy-green-lane").

Profiles (choose with GREENTRADE_HYPOTHESIS_PROFILE, default "ci"; see docs/testing.md):

- ``ci``: a fixed number of examples, derandomized (the same examples on every run), no
  deadline, and the reproduction blob printed on failure.
- ``dev``: ten times the examples, random, for local runs.
- ``long``: a hundred times the examples, for a nightly or pre-release run.

Tests that need many cheap examples scale their own ``max_examples`` with `example_budget`.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from greentrade import (
    Citation,
    Engine,
    Hit,
    Period,
    Program,
    Rule,
    RuleContext,
    Severity,
    hookimpl,
)
from greentrade.testing import strategies as gts

CI_EXAMPLES = 25
_common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", max_examples=CI_EXAMPLES, derandomize=True, print_blob=True,
                          database=None, **_common)
settings.register_profile("dev", max_examples=10 * CI_EXAMPLES, print_blob=True, **_common)
settings.register_profile("long", max_examples=100 * CI_EXAMPLES, print_blob=True, **_common)
settings.load_profile(os.environ.get("GREENTRADE_HYPOTHESIS_PROFILE", "ci"))


# -- the test plugin ---------------------------------------------------------------------------
# A made-up program used only by these tests: it mirrors the shape of a real program (a scope
# rule, an error rule, a rule that can only be undetermined) without being one.

TOY = "toy-green-lane"
TOY_START = dt.date(2026, 1, 1)
TOY_CATEGORIES = frozenset({"solar-street-light", "solar-garden-light"})
_CITATION = Citation(authority="greentrade test suite", title="Toy green lane (test fixture, not a regulation)",
                     reference="tests/conftest.py")


def _in_scope(ctx: RuleContext, line: Any) -> bool:
    product = ctx.dossier.product(line.product)
    return product is not None and product.category in TOY_CATEGORIES


def _declaration(ctx: RuleContext, product_id: str) -> Any:
    assert ctx.shipment is not None
    for doc in ctx.dossier.shipment_documents(ctx.shipment):
        if doc.type == "carbon-footprint-declaration" and doc.valid_on(ctx.as_of) and doc.covers(product_id):
            return doc
    return None


def _scope(ctx: RuleContext) -> Iterator[Hit]:
    assert ctx.shipment is not None
    if not any(_in_scope(ctx, line) for line in ctx.shipment.lines):
        yield ctx.not_applicable(f"shipment {ctx.shipment.id!r} has no solar lighting line", ctx.shipment)


def _declared(ctx: RuleContext) -> Iterator[Hit]:
    assert ctx.shipment is not None
    for line in ctx.shipment.lines:
        if _in_scope(ctx, line) and _declaration(ctx, line.product) is None:
            yield ctx.violation(f"line {line.id!r}: no valid carbon footprint declaration covers "
                                f"product {line.product!r}", line, "product")


def _verified(ctx: RuleContext) -> Iterator[Hit]:
    assert ctx.shipment is not None
    for line in ctx.shipment.lines:
        doc = _declaration(ctx, line.product) if _in_scope(ctx, line) else None
        if doc is not None and (doc.carbon_footprint is None or not doc.carbon_footprint.third_party_verified):
            yield ctx.undetermined(f"declaration {doc.id!r} is not third-party verified", doc,
                                   needs="toy-green-lane.accepted-verifiers")


def _rule(id: str, check: Any, role: str = "check", severity: Severity = Severity.ERROR) -> Rule:
    return Rule(id=id, title=id, severity=severity, check=check, citation=_CITATION, program=TOY,
                role=role, basis="stated")  # type: ignore[arg-type]


class ToyPlugin:
    """Program toy-green-lane from 2026-01-01: solar lighting lines need a valid, verified
    carbon footprint declaration attached to the shipment."""

    __version__ = "1.0"

    @hookimpl
    def greentrade_programs(self) -> list[Program]:
        return [Program(id=TOY, title="Toy green lane", authority="Example authority (test fixture)",
                        effective=Period(start=TOY_START), citation=_CITATION)]

    @hookimpl
    def greentrade_rules(self) -> list[Rule]:
        return [_rule("TOY-001", _scope, role="scope"), _rule("TOY-002", _declared),
                _rule("TOY-003", _verified)]


def _heavy_lines(ctx: RuleContext) -> Iterator[Hit]:
    assert ctx.shipment is not None
    for line in ctx.shipment.lines:
        if line.quantity > 500_000:
            yield ctx.violation(f"line {line.id!r}: quantity {line.quantity} is over 500000", line, "quantity")
        else:
            yield ctx.note(f"line {line.id!r} checked", line, severity=Severity.INFO)


class OtherPlugin:
    """A second made-up program, always in force, to test plugin-order independence."""

    __version__ = "2.0"

    @hookimpl
    def greentrade_programs(self) -> list[Program]:
        return [Program(id="toy-other", title="Toy other", authority="Example authority (test fixture)",
                        effective=Period(), citation=_CITATION)]

    @hookimpl
    def greentrade_rules(self) -> list[Rule]:
        return [Rule(id="TOYB-001", title="Quantities", severity=Severity.ERROR, check=_heavy_lines,
                     citation=_CITATION, program="toy-other", basis="stated")]


def toy_engine(*plugins: object) -> Engine:
    engine = Engine()
    for plugin in plugins or (ToyPlugin(),):
        engine.register(plugin, name=type(plugin).__name__)
    return engine


# -- outcome builders for the test plugin --------------------------------------------------------

_IN_FORCE = (TOY_START, dt.date(2028, 12, 31))


def _eligible_base(verified: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    base = gts.dossier_json(categories=sorted(TOY_CATEGORIES), ship_dates=_IN_FORCE, min_documents=1,
                            max_documents=1, document_types=["carbon-footprint-declaration"])

    def complete(d: dict[str, Any]) -> dict[str, Any]:
        d = copy.deepcopy(d)
        doc = d["documents"][0]
        doc["products"] = [{"product": p["id"]} for p in d["products"]]
        doc["carbon_footprint"]["third_party_verified"] = verified
        for sh in d["shipments"]:
            sh["documents"] = [doc["id"]]
        return d

    return base.map(complete)


def _without_declarations(d: dict[str, Any]) -> dict[str, Any]:
    d = copy.deepcopy(d)
    for sh in d["shipments"]:
        sh.pop("documents", None)
    return d


gts.register_outcome_builder(TOY, "eligible", lambda: _eligible_base())
gts.register_outcome_builder(TOY, "undetermined", lambda: _eligible_base(verified=False), reason="TOY-003")
gts.register_outcome_builder(TOY, "not_eligible", lambda: _eligible_base().map(_without_declarations),
                             reason="TOY-002")
gts.register_outcome_builder(TOY, "not_applicable", lambda: gts.dossier_json(
    categories=["pv-module", "energy-storage-battery"], ship_dates=_IN_FORCE), reason="TOY-001")
gts.register_outcome_builder(TOY, "not_applicable", lambda: gts.dossier_json(
    categories=sorted(TOY_CATEGORIES), ship_dates=(dt.date(2024, 1, 1), TOY_START - dt.timedelta(days=1))),
    reason="effective-period")


@pytest.fixture(scope="session")
def toy() -> Any:
    """The test plugin kit: ``toy.engine(*plugins)``, ``toy.Plugin``, ``toy.Other``, ``toy.PROGRAM``."""

    class Kit:
        PROGRAM = TOY
        START = TOY_START
        CATEGORIES = TOY_CATEGORIES
        Plugin = ToyPlugin
        Other = OtherPlugin
        engine = staticmethod(toy_engine)

    return Kit
