"""More evidence never hurts (#19): attaching a further document (stale, unfit, incomplete)
to a shipment never moves its status down eligible > undetermined > not_eligible."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from greentrade import Engine
from greentrade.testing import load_case

CASES = sorted((Path(__file__).resolve().parent.parent / "cases").glob("*.case.json"))
RANK = {"eligible": 3, "not_applicable": 3, "undetermined": 2, "not_eligible": 1}


def _set(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc.update(values)


CHANGES: dict[str, Callable[[dict[str, Any]], None]] = {
    "expired": _set(issue_date="2020-01-01", valid_until="2021-01-01"),
    "suspended": _set(status="suspended"),
    "withdrawn": _set(status="withdrawn"),
    "another standard": _set(standards=["IEC 61215-2:2021"]),
    "superseded edition": _set(standards=["GB/T 33761-2017", "ISO 50001:2011"]),
    "another site": _set(sites=[]),
}


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_a_further_document_never_lowers_a_status(path: Path) -> None:
    case = load_case(path)
    if not isinstance(case.dossier, dict) or not case.dossier.get("documents"):
        pytest.skip("no document to copy")
    engine = Engine(config=dict(case.config))
    engine.load_entry_points(case.plugins)
    before = engine.validate(copy.deepcopy(case.dossier), as_of=case.as_of)
    if not before.evaluated:
        pytest.skip("the dossier has data errors")
    status = {(o.program, o.subject): str(o.status) for o in before.outcomes}
    src = case.dossier["documents"][0]
    for name, change in CHANGES.items():
        data = copy.deepcopy(case.dossier)
        extra = copy.deepcopy(src) | {"id": f"{src['id']}-EXTRA"}
        change(extra)
        data["documents"].append(extra)
        for sh in data.get("shipments", []):
            if src["id"] in sh.get("documents", []):
                sh["documents"] = [*sh["documents"], extra["id"]]
        after = engine.validate(data, as_of=case.as_of)
        if not after.evaluated:
            continue
        for o in after.outcomes:
            was = status.get((o.program, o.subject))
            assert was is None or RANK[str(o.status)] >= RANK[was], (name, o.program, o.subject, was, o.status)
