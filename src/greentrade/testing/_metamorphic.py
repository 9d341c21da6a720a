"""Metamorphic properties of truthful verdicts (#19): checks that relate two validations of
related dossiers, for any plugin's suite to run over its outcome builders (or any dossiers).

- **more evidence never hurts** (`check_more_evidence`, with `extra_documents` for the usual
  extra documents): adding a document to a shipment never moves a status down the order
  eligible > undetermined > not_eligible, and never changes whether it is not_applicable;
- **identical adoptions are interchangeable** (`check_identical_adoptions`): writing a standard
  as its identical adoption (``ISO 14067:2018`` <-> ``EN ISO 14067:2018``, as greentrade's
  adoptions data says) never changes a status;
- **order and ids do not matter** (`check_order_and_ids`): permuting documents, lines and
  shipments, and renaming ids consistently, changes the report only in order and names;
- **no inferred verdict** (`check_no_inferred_verdict`): no ``inferred`` or ``practice`` rule
  decides ``not_eligible`` unless the host made it binding (basis ``host``).

Like the other checks of `greentrade.testing` they take values and need no Hypothesis; the
statuses are read with `outcome_statuses`, which knows pseudo-programs with a judge (the
tender outcomes of buyer-profiles) when `greentrade.testing.strategies` is importable.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from greentrade.engine._engine import Engine
from greentrade.model._standards import StandardDesignator
from greentrade.rules._adoptions import adoptions
from greentrade.rules._report import Report
from greentrade.rules._rules import Basis, Effect

__all__ = [
    "STATUS_RANK",
    "check_identical_adoptions",
    "check_more_evidence",
    "check_no_inferred_verdict",
    "check_order_and_ids",
    "extra_documents",
    "outcome_statuses",
    "with_document",
]

Data = dict[str, Any]

#: The order "more evidence never hurts" keeps: a status may move up, never down.
STATUS_RANK = {"not_eligible": 0, "undetermined": 1, "eligible": 2}


def outcome_statuses(report: Report, data: Mapping[str, Any], programs: Iterable[str] | None = None
                     ) -> dict[tuple[str, str], str]:
    """(program, subject) -> status for every outcome of `report` (and for every tender of a
    pseudo-program with a judge, e.g. buyer-profiles, named in `programs`)."""
    out = {(o.program, o.subject): str(o.status) for o in report.outcomes}
    try:
        from greentrade.testing.strategies._outcomes import outcome_of, outcome_subjects
    except ImportError:  # pragma: no cover - Hypothesis is not installed
        return out
    for program in programs or ():
        for subject in outcome_subjects(program, data):
            o = outcome_of(report, program, subject)
            if o is not None:
                out[(program, subject)] = str(o.status)
    return out


def _moved_down(before: Mapping[tuple[str, str], str], after: Mapping[tuple[str, str], str]) -> list[str]:
    problems = []
    for key, old in before.items():
        new = after.get(key)
        if new is None:
            problems.append(f"{key[0]} {key[1]}: {old} -> no outcome")
        elif (old == "not_applicable") != (new == "not_applicable"):
            problems.append(f"{key[0]} {key[1]}: {old} -> {new} (scope changed)")
        elif old in STATUS_RANK and new in STATUS_RANK and STATUS_RANK[new] < STATUS_RANK[old]:
            problems.append(f"{key[0]} {key[1]}: {old} -> {new}")
    return problems


# -- more evidence never hurts ---------------------------------------------------------------------

def _unique(data: Mapping[str, Any], base: str) -> str:
    taken = {d.get("id") for d in data.get("documents", [])}
    n = 1
    while f"{base}-x{n}" in taken:
        n += 1
    return f"{base}-x{n}"


def with_document(data: Mapping[str, Any], document: Mapping[str, Any],
                  shipments: Iterable[str] | None = None) -> Data:
    """A copy of `data` with `document` added (its id made unique) and attached to `shipments`
    (default: every shipment that attaches documents, or every shipment)."""
    d = copy.deepcopy(dict(data))
    doc = copy.deepcopy(dict(document))
    doc["id"] = _unique(d, str(doc.get("id", "DOC")))
    d.setdefault("documents", []).append(doc)
    wanted = set(shipments) if shipments is not None else None
    for sh in d.get("shipments", []):
        if wanted is None or sh["id"] in wanted:
            sh.setdefault("documents", []).append(doc["id"])
    return d


def _ship_dates(data: Mapping[str, Any]) -> list[dt.date]:
    return sorted(dt.date.fromisoformat(sh["ship_date"]) for sh in data.get("shipments", []) if "ship_date" in sh)


def extra_documents(data: Mapping[str, Any]) -> list[tuple[str, Data]]:
    """Further documents worth adding to `data`, each as (label, document), made from its own
    documents so that every reference stays valid: a suspended and a withdrawn copy, an
    expired copy (ending the day before the first ship date), a copy covering another product
    of the dossier instead, and a copy listing another site."""
    docs = [d for d in data.get("documents", []) if isinstance(d, dict)]
    products = [p["id"] for p in data.get("products", [])]
    sites = [s["id"] for p in data.get("parties", []) for s in p.get("sites", [])]
    dates = _ship_dates(data)
    out: list[tuple[str, Data]] = []
    for doc in docs:
        out.append(("suspended", {**copy.deepcopy(doc), "status": "suspended"}))
        out.append(("withdrawn", {**copy.deepcopy(doc), "status": "withdrawn"}))
        if dates:
            end = dates[0] - dt.timedelta(days=1)
            expired = copy.deepcopy(doc)
            expired["valid_until"] = end.isoformat()
            for key in ("issue_date", "valid_from"):
                if key in expired:
                    expired[key] = (end - dt.timedelta(days=365)).isoformat()
            if "status" in expired:
                expired["status"] = "valid"
            out.append(("expired", expired))
        covered = {c.get("product") for c in doc.get("products", [])}
        other = [p for p in products if p not in covered]
        if other and doc.get("products"):
            moved = copy.deepcopy(doc)
            moved["products"] = [{"product": other[0]}]
            out.append(("other-product", moved))
        other_sites = [s for s in sites if s not in doc.get("sites", [])]
        if other_sites and doc.get("sites"):
            out.append(("other-site", {**copy.deepcopy(doc), "sites": [other_sites[0]]}))
    return out


def check_more_evidence(engine: Engine, data: Mapping[str, Any], document: Mapping[str, Any], *,
                        programs: Iterable[str] | None = None, shipments: Iterable[str] | None = None,
                        evidence_against: Mapping[str, str] | None = None,
                        as_of: dt.date | None = None) -> None:
    """Adding `document` to `data` (attached to `shipments`, default all) never moves a status
    down eligible > undetermined > not_eligible, and never moves one into or out of
    not_applicable.

    `evidence_against` maps the rule ids that may treat such a document as evidence *against*
    the shipment to the reason (a rule the host made binding on what a document states about
    the product, say); a status that falls only through findings of those rules is allowed.
    `programs` names pseudo-programs read through a judge (``buyer-profiles``)."""
    programs = tuple(programs or ())
    before = engine.validate(copy.deepcopy(dict(data)), as_of=as_of)
    extended = with_document(data, document, shipments)
    after = engine.validate(extended, as_of=as_of)
    assert after.evaluated, "the extended dossier is not valid:\n" + after.to_text()
    problems = _moved_down(outcome_statuses(before, data, programs), outcome_statuses(after, extended, programs))
    if problems and evidence_against:
        new = Counter((f.rule, f.effect) for f in after.findings) - Counter((f.rule, f.effect) for f in before.findings)
        deciding = {rule for rule, effect in new if effect in (Effect.VIOLATION, Effect.UNDETERMINED)}
        if deciding and deciding <= set(evidence_against):
            return
    assert not problems, (f"adding document {document.get('id')} ({document.get('type')}, "
                          f"status {document.get('status')}) made a status worse: " + "; ".join(problems)
                          + "\n\n" + after.to_text())


# -- identical adoptions are interchangeable ---------------------------------------------------------

def _swaps() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for a in adoptions():
        if a.identical:
            pairs[str(a.of)] = str(a.designator)
            pairs[str(a.designator)] = str(a.of)
    return pairs


def _adopted(text: str, swaps: Mapping[str, str]) -> str | None:
    if text in swaps:
        return swaps[text]
    try:
        d = StandardDesignator.parse(text, lenient=True)
    except Exception:
        return None
    canonical = str(d)
    if canonical in swaps:
        return swaps[canonical]
    # The generic rule: an undated ISO, ISO/IEC or IEC standard <-> its undated EN adoption.
    if d.year is None and not d.amendments and d.national is None:
        if d.body in ("ISO", "ISO/IEC", "IEC"):
            return f"EN {canonical}"
        if d.body in ("EN ISO", "EN ISO/IEC", "EN IEC"):
            return canonical[3:]
    return None


def check_identical_adoptions(engine: Engine, data: Mapping[str, Any], *, programs: Iterable[str] | None = None,
                              as_of: dt.date | None = None) -> bool:
    """Writing each document's standards as their identical adoptions (greentrade's adoptions
    data: ``ISO 14067:2018`` <-> ``EN ISO 14067:2018``; an undated ``ISO 50001`` <-> ``EN ISO
    50001``) gives every subject the same status. Returns whether anything was swapped."""
    swaps = _swaps()
    changed = copy.deepcopy(dict(data))
    swapped = False
    for doc in changed.get("documents", []):
        new = []
        for s in doc.get("standards", []):
            other = _adopted(s, swaps) if isinstance(s, str) else None
            swapped |= other is not None
            new.append(other or s)
        if "standards" in doc:
            doc["standards"] = new
    if not swapped:
        return False
    programs = tuple(programs or ())
    before = outcome_statuses(engine.validate(copy.deepcopy(dict(data)), as_of=as_of), data, programs)
    report = engine.validate(changed, as_of=as_of)
    after = outcome_statuses(report, changed, programs)
    diff = [f"{k[0]} {k[1]}: {v} -> {after.get(k)}" for k, v in before.items() if after.get(k) != v]
    assert not diff, "an identical adoption changed a status: " + "; ".join(diff) + "\n\n" + report.to_text()
    return True


# -- order and ids do not matter ---------------------------------------------------------------------

_COLLECTIONS = ("parties", "products", "documents", "shipments", "tenders")


def _ids(data: Mapping[str, Any]) -> set[str]:
    found = {x["id"] for c in _COLLECTIONS for x in data.get(c, []) if isinstance(x, dict) and "id" in x}
    found |= {s["id"] for p in data.get("parties", []) for s in p.get("sites", [])}
    found |= {ln["id"] for sh in data.get("shipments", []) for ln in sh.get("lines", []) if "id" in ln}
    return found


_ID_KEYS = frozenset({
    "id", "exporter", "buyer", "manufacturer", "manufacturing_site", "issuer", "holder", "product", "products",
    "documents", "sites", "accreditation_body", "verifier", "provider", "shipment",
})


def _rename(value: Any, names: Mapping[str, str], key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _rename(v, names, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, names, key) for v in value]
    if isinstance(value, str) and key in _ID_KEYS:
        return names.get(value, value)
    return value


def _permuted(data: Data, rng: random.Random) -> Data:
    d = copy.deepcopy(data)
    for name in ("documents", "shipments", "products"):
        if isinstance(d.get(name), list):
            rng.shuffle(d[name])
    for sh in d.get("shipments", []):
        for key in ("lines", "documents"):
            if isinstance(sh.get(key), list):
                rng.shuffle(sh[key])
    return d


def _shape(report: Report, data: Mapping[str, Any], back: Mapping[str, str], programs: tuple[str, ...]
           ) -> tuple[Counter[Any], Counter[Any]]:
    statuses = Counter((p, back.get(s, s), st) for (p, s), st in outcome_statuses(report, data, programs).items())
    findings = Counter((f.rule, str(f.severity), str(f.effect), back.get(f.subject or "", f.subject))
                       for f in report.findings)
    return statuses, findings


def check_order_and_ids(engine: Engine, data: Mapping[str, Any], *, seed: int = 0,
                        programs: Iterable[str] | None = None, as_of: dt.date | None = None,
                        rename: Callable[[str], str] | None = None) -> None:
    """Permuting documents, products, shipments, lines and attached documents, and renaming every
    id consistently (`rename`, default: ``"<id>-r"``), gives the same outcomes and the same
    findings (rule, severity, effect, subject), up to order and names."""
    programs = tuple(programs or ())
    rename = rename or (lambda i: f"{i}-r")
    names = {i: rename(i) for i in sorted(_ids(data))}
    back = {v: k for k, v in names.items()}
    changed = _rename(_permuted(copy.deepcopy(dict(data)), random.Random(seed)), names)
    before = _shape(engine.validate(copy.deepcopy(dict(data)), as_of=as_of), data, {}, programs)
    report = engine.validate(changed, as_of=as_of)
    after = _shape(report, changed, back, programs)
    assert before[0] == after[0], f"outcomes differ after permuting and renaming: {before[0]} != {after[0]}"
    assert before[1] == after[1], (f"findings differ after permuting and renaming: only before "
                                   f"{before[1] - after[1]}, only after {after[1] - before[1]}")


# -- no inferred verdict -----------------------------------------------------------------------------

def check_no_inferred_verdict(report: Report, weak_rules: Iterable[str] = ()) -> None:
    """No finding with basis ``inferred`` or ``practice`` is a violation, no plugin needed the
    engine's downgrade (``GT-ENGINE-006``), and a rule of `weak_rules` (the inferred and practice
    rules) violates only with basis ``host`` (the host made it binding)."""
    faults = [f.message for f in report.findings if f.rule == "GT-ENGINE-006"]
    assert not faults, faults
    weak = set(weak_rules)
    bad = [(f.rule, str(f.basis), f.message) for f in report.findings if f.effect is Effect.VIOLATION and (
        f.basis in (Basis.INFERRED, Basis.PRACTICE) or (f.rule in weak and f.basis is not Basis.HOST))]
    assert not bad, bad
