"""Outcome builders of buyer-profiles (tender readiness) for ``greentrade.testing.strategies``.

buyer-profiles defines no program: its rules (TENDER-001 to TENDER-008) judge each tender of
a dossier. For the test kit, a tender's outcome under the name ``buyer-profiles`` is read from
the findings of those rules about it (`judge`): ``not_eligible`` when one is an error, else
``undetermined`` when one is undetermined (with its ``needs``), else ``eligible`` (ready).
No rule of the plugin puts a tender out of scope, so there is no ``not_applicable``.

Registered through the ``greentrade.strategies`` entry point (see ``pyproject.toml``). The
eligible dossier: one tender or two, each requiring a document of the type and standard of
the dossier's document, which covers every product with its own model and stays valid. Every
other builder changes one thing; the targets are a table keyed by rule id (`TARGETS`).
Promises rely on the cn-green-channel program, so those builders need that plugin too.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from greentrade import Outcome, Report
from greentrade.plugin import Effect, Severity, Status
from greentrade.testing.strategies import OutcomeTarget as Target
from greentrade.testing.strategies import (
    dossiers_with_outcome,
    register_outcome_builder,
    register_outcome_judge,
    register_targets,
)
from hypothesis import strategies as st

PROGRAM = "buyer-profiles"
RULE_PREFIX = "TENDER-"
PROMISED = "cn-green-channel"  # the program promises rely on in these builders
CONFIG: Mapping[str, Any] = {}
Data = dict[str, Any]

REQUIRED: Mapping[str, Any] = {
    "min_tenders": 1, "max_tenders": 2, "min_documents": 1, "max_documents": 1,
    "document_types": ["certificate", "test-report", "epd"], "document_statuses": ["valid"],
}


def judge(report: Report, tender: str) -> Outcome | None:
    """A tender's readiness, from the findings of the TENDER rules about it."""
    found = [f for f in report.findings if f.rule.startswith(RULE_PREFIX) and f.subject == tender]
    as_of = report.as_of or max((o.as_of for o in report.outcomes), default=dt.date.min)
    errors = sorted({f.rule for f in found if f.effect is Effect.VIOLATION and f.severity is Severity.ERROR})
    if errors:
        return Outcome(PROGRAM, tender, Status.NOT_ELIGIBLE, as_of,
                       f"{len(errors)} rule(s) with errors: {', '.join(errors)}", tuple(errors))
    open_ = [f for f in found if f.effect is Effect.UNDETERMINED]
    if open_:
        needs = sorted({f.needs or f.rule for f in open_})
        return Outcome(PROGRAM, tender, Status.UNDETERMINED, as_of, "needs: " + "; ".join(needs),
                       tuple(sorted({f.rule for f in open_})))
    return Outcome(PROGRAM, tender, Status.ELIGIBLE, as_of, "the tender's requirements are met")


def _complete(data: Data) -> Data:
    d = copy.deepcopy(data)
    doc = d["documents"][0]
    doc["products"] = [{"product": p["id"], "model": p["model"]} for p in d["products"]]
    doc.pop("valid_until", None)
    doc.pop("sites", None)  # a document listing other sites than a product's does not count for it (TENDER-002)
    for t in d["tenders"]:
        t["required_documents"] = [{"type": doc["type"], "standards": doc["standards"][:1]}]
        t.pop("promises", None)
    return d


# -- changes that give one outcome ------------------------------------------------------------


def _doc(d: Data) -> Data:
    doc: Data = d["documents"][0]
    return doc


def _require(**values: Any) -> Callable[[Data], None]:
    def change(d: Data) -> None:
        for t in d["tenders"]:
            t["required_documents"][0].update(values)
    return change


def _other_type(d: Data) -> None:
    others = [k for k in ("certificate", "test-report", "epd") if k != _doc(d)["type"]]
    _require(type=others[0])(d)


def _other_model(d: Data) -> None:
    """The document names another model, and the tender states that it must name the offered one
    (without `match_product` the mismatch is a reading: a warning)."""
    for cov in _doc(d)["products"]:
        cov["model"] = cov["model"] + "-X"
    _require(match_product=True)(d)


def _suspended(d: Data) -> None:
    _doc(d)["status"] = "suspended"


def _promise(program: str, shipment: bool) -> Callable[[Data], None]:
    def change(d: Data) -> None:
        for t in d["tenders"]:
            t["promises"] = [{"program": program, "claim": f"delivered under {program}"}]
            if shipment:
                t["shipment"] = d["shipments"][0]["id"]
            else:
                t.pop("shipment", None)
    return change


BEFORE_PROMISED = {"ship_dates": (dt.date(2024, 1, 1), dt.date(2026, 6, 4))}  # cn-green-channel not yet in force
TARGETS = (
    Target("not_eligible", "TENDER-001", _other_type),
    Target("not_eligible", "TENDER-002", _other_model),
    Target("not_eligible", "TENDER-003", _require(standards=["ISO 9999:2001"])),
    Target("not_eligible", "TENDER-004", _suspended),
    Target("not_eligible", "TENDER-005", _promise(PROMISED, shipment=True), options=BEFORE_PROMISED,
           plugins=(PROGRAM, PROMISED)),
    Target("not_eligible", "TENDER-006", _promise("no-such-program", shipment=True)),
    Target("undetermined", "TENDER-005", _promise(PROMISED, shipment=False), needs="tenders[].shipment",
           plugins=(PROGRAM, PROMISED)),
)


def _tender_on(data: Data) -> Data:
    """A tender of a new buyer, delivered by the first shipment, promising its program status."""
    d = copy.deepcopy(data)
    shipment = d["shipments"][0]
    d["parties"].append({"id": "B1", "name": "Buyer", "country": shipment["destination_country"],
                         "roles": ["buyer"]})
    offered = list(dict.fromkeys(line["product"] for line in shipment["lines"]))
    d["tenders"] = [{
        "id": "T1", "buyer": "B1", "country": shipment["destination_country"],
        "bid_deadline": shipment["ship_date"], "delivery_date": shipment["ship_date"],
        "items": [{"product": p, "quantity": 1, "unit": "pcs"} for p in offered],
        "promises": [{"program": PROMISED, "claim": f"delivered under {PROMISED}"}], "shipment": shipment["id"],
    }]
    return d


def program_undetermined(**options: Any) -> st.SearchStrategy[Data]:
    """Tenders whose promise rests on a shipment that is undetermined for cn-green-channel (no
    pilot port list configured): TENDER-005 is undetermined with the program's needs."""
    return dossiers_with_outcome(PROMISED, "undetermined", "CN-GC-003/no-port-list", **options).map(_tender_on)


def register() -> None:
    """Register the judge and the builders (the ``greentrade.strategies`` entry point calls this)."""
    register_outcome_judge(PROGRAM, judge, subjects="tenders")
    register_targets(PROGRAM, (Target("eligible"), *TARGETS), required=REQUIRED, complete=_complete, config=CONFIG)
    register_outcome_builder(PROGRAM, "undetermined", program_undetermined, reason="TENDER-005/program-undetermined",
                             config=CONFIG, needs="plugins.cn-green-channel.pilot_ports", plugins=(PROGRAM, PROMISED))
