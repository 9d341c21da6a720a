"""More evidence never hurts (#19): attaching a further document (stale, unfit, incomplete)
to a shipment never moves its status down eligible > undetermined > not_eligible."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from greentrade import Engine
from greentrade.testing import check_more_evidence, load_case, with_document

CASES = sorted((Path(__file__).resolve().parent.parent / "cases").glob("*.case.json"))


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
    # The testing kit's property (greentrade.testing.check_more_evidence), over every rule case,
    # with a copy of the case's first document changed each way above, attached where it is.
    case = load_case(path)
    if not isinstance(case.dossier, dict) or not case.dossier.get("documents"):
        pytest.skip("no document to copy")
    engine = Engine(config=dict(case.config))
    engine.load_entry_points(case.plugins)
    if not engine.validate(case.dossier, as_of=case.as_of).evaluated:
        pytest.skip("the dossier has data errors")
    src = case.dossier["documents"][0]
    attached = [sh["id"] for sh in case.dossier.get("shipments", []) if src["id"] in sh.get("documents", [])]
    for change in CHANGES.values():
        extra = dict(src)
        change(extra)
        if engine.validate(with_document(case.dossier, extra, attached), as_of=case.as_of).evaluated:
            check_more_evidence(engine, case.dossier, extra, shipments=attached, as_of=case.as_of)
