"""A third-party-style plugin written against greentrade 0.2.0: battery shipments and a
host-set unit limit (an invented program; a compatibility fixture, no real regulation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from greentrade.model import Period
from greentrade.plugin import Basis, Citation, Hit, Program, Rule, RuleContext, Severity, hookimpl

__version__ = "1.0.0"

SECTION = "compat-battery"
SOURCE = Citation(authority="Example Battery Office (fictional)", title="Battery shipment notice (invented)",
                  date=dt.date(2026, 1, 15), reference="none: a compatibility fixture")
PROGRAM = Program(id="compat-battery", title="Compat battery lane (fictional)", authority="Example Battery Office",
                  effective=Period(start=dt.date(2026, 2, 18)), citation=SOURCE,
                  eligible_summary="may use the battery lane (fictional)")


def _scope(ctx: RuleContext) -> Iterator[Hit]:
    assert ctx.shipment is not None
    categories = {p.category for p in ctx.dossier.products}
    if "energy-storage-battery" not in categories:
        yield ctx.not_applicable(f"shipment {ctx.shipment.id} carries no battery", ctx.shipment)


def _limit(ctx: RuleContext) -> Iterator[Hit]:
    shipment = ctx.shipment
    assert shipment is not None
    limit = ctx.config(SECTION).get("max_units")
    total = sum(line.quantity for line in shipment.lines)
    if limit is None:
        yield ctx.undetermined(f"shipment {shipment.id}: no unit limit configured", shipment,
                               needs=f"plugins.{SECTION}.max_units")
    elif total > limit:
        yield ctx.violation(f"shipment {shipment.id} carries {total:g} units, over {limit}", shipment, "lines")


@hookimpl
def greentrade_programs() -> list[Program]:
    return [PROGRAM]


@hookimpl
def greentrade_rules() -> list[Rule]:
    common: dict[str, Any] = {"program": PROGRAM.id, "citation": SOURCE, "effective": PROGRAM.effective}
    return [
        Rule(id="CB-001", title="The shipment carries batteries", severity=Severity.INFO, check=_scope,
             role="scope", basis=Basis.STATED, **common),
        Rule(id="CB-002", title="Units within the host's limit", severity=Severity.ERROR, check=_limit,
             basis="host", remediation="Split the shipment.", **common),
    ]


@hookimpl
def greentrade_config_schema() -> Mapping[str, Mapping[str, Any]]:
    return {SECTION: {"type": "object", "additionalProperties": False,
                      "properties": {"max_units": {"type": "integer", "minimum": 1}}}}
