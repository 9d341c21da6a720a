"""One way to declare rules: rule texts from a plugin's data file, bound to check functions.

A plugin keeps each rule's title, severity, basis, description, remediation, citation and
(optionally) effective period in its data file, in the form of the core schema
``program-rules.schema.json``, and maps rule ids to check functions in code:

    rules = rules_from_data(data, {"XX-001": check_scope, "XX-002": check_label},
                            program="xx", effective=program.effective, citation=program.citation)

Every mismatch fails when the plugin loads, with a message naming both sides: a rule in the
data without a check, a check without a rule, a field that does not match the schema, a
citation key the data does not define.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs

from greentrade.errors import RuleDataError
from greentrade.io._schemas import validator
from greentrade.model import Period, _convert
from greentrade.rules._rules import Basis, Citation, Hit, Rule, RuleContext, Severity

__all__ = ["RuleDataError", "rules_from_data"]

Check = Callable[[RuleContext], Iterable[Hit]]


def _name(fn: object) -> str:
    return str(getattr(fn, "__qualname__", getattr(fn, "__name__", repr(fn))))


def _schema_errors(data: Mapping[str, Any], where: str) -> list[str]:
    errors = sorted(validator("program-rules").iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    out = []
    for e in errors[:10]:
        path = list(e.absolute_path)
        rule = ""
        if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
            raw = data["rules"][path[1]]
            rid = raw.get("id") if isinstance(raw, Mapping) else None
            rule = f" (rule {rid})" if isinstance(rid, str) else ""
        out.append(f"{where}: /{'/'.join(map(str, path))}{rule}: {e.message}")
    return out


def _citation(raw: Mapping[str, Any], data: Mapping[str, Any], default: Citation | None, where: str,
              quote_intro: str) -> Citation:
    rid = raw["id"]
    if "source" in raw:
        base = _convert.structure(raw["source"], Citation)
    elif isinstance(raw.get("citation"), str):
        key = raw["citation"]
        known = data.get("citations") or {}
        if key not in known:
            raise RuleDataError(
                f"{where}: rule {rid} cites {key!r}, which is not a key of its citations "
                f"({', '.join(sorted(known)) or 'none defined'})")
        base = _convert.structure(known[key], Citation)
    elif isinstance(raw.get("citation"), Mapping):
        base = _convert.structure(raw["citation"], Citation)
    elif default is not None:
        base = default
    else:
        raise RuleDataError(f"{where}: rule {rid} names no citation and rules_from_data was given no "
                            "default citation (citation=...)")
    reference = base.reference
    if "quote" in raw and "source" not in raw:
        reference = f"{reference}. {quote_intro}: \u201c{raw['quote']}\u201d"
    note = base.note
    if "citation_note" in raw:
        note = f"{note} {raw['citation_note']}" if note else raw["citation_note"]
    return attrs.evolve(base, reference=reference, note=note)


def rules_from_data(
    data: Mapping[str, Any],
    checks: Mapping[str, Check],
    *,
    program: str | None = None,
    effective: Period | None = None,
    citation: Citation | None = None,
    scope: Literal["shipment", "dossier"] = "shipment",
    source: str = "rule data",
    quote_intro: str = "The source says",
) -> list[Rule]:
    """One `Rule` per entry of ``data["rules"]``, in data order, each bound to ``checks[id]``.

    `data` holds ``rules`` (and, if rules cite by key, ``citations``), checked against the
    core schema ``program-rules``. `program`, `effective`, `citation` and `scope` are the
    defaults a rule's own fields override. `source` names the data file in messages. A rule's
    ``quote`` is appended to its citation's reference after `quote_intro`.

    Raises `RuleDataError` (naming the data file, the rule id and the check function) when
    the data and the checks do not fit together.
    """
    where = source
    if not isinstance(data, Mapping):
        raise RuleDataError(f"{where}: rule data must be an object with 'rules', not {type(data).__name__}")
    problems = _schema_errors(data, where)
    if problems:
        raise RuleDataError("rule data does not match the program-rules schema:\n  " + "\n  ".join(problems))
    rules_raw = data["rules"]
    ids = [r["id"] for r in rules_raw]
    seen: set[str] = set()
    dupes = sorted({i for i in ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
    missing = [i for i in ids if i not in checks]
    extra = [i for i in checks if i not in set(ids)]
    messages = []
    if dupes:
        messages.append(f"{where} declares rule(s) {', '.join(dupes)} more than once")
    for i in missing:
        messages.append(f"rule {i} in {where} has no check function (checks define: "
                        f"{', '.join(sorted(checks)) or 'none'})")
    for i in extra:
        messages.append(f"check function {_name(checks[i])} is registered for rule {i}, which {where} "
                        f"does not declare (declared: {', '.join(ids)})")
    for i, fn in checks.items():
        if i in set(ids) and not callable(fn):
            messages.append(f"check for rule {i} in {where} is {fn!r}, not a function")
    if messages:
        raise RuleDataError("rule data and check functions disagree:\n  " + "\n  ".join(messages))
    out: list[Rule] = []
    for raw in rules_raw:
        rid = raw["id"]
        period = effective or Period()
        if "effective" in raw:
            e = raw["effective"]
            try:
                period = Period(start=dt.date.fromisoformat(e["start"]),
                                end=dt.date.fromisoformat(e["end"]) if "end" in e else None)
            except ValueError as exc:
                raise RuleDataError(f"{where}: rule {rid} effective: {exc}") from None
        try:
            out.append(Rule(
                id=rid, title=raw["title"], severity=Severity(raw["severity"]), check=checks[rid],
                citation=_citation(raw, data, citation, where, quote_intro), remediation=raw["remediation"],
                program=program, effective=period, role=raw.get("role", "check"),
                scope=raw.get("scope", scope), description=raw["description"], basis=Basis(raw["basis"]),
                yields=tuple(raw.get("yields", ())),
            ))
        except (TypeError, ValueError) as exc:
            if isinstance(exc, RuleDataError):
                raise
            raise RuleDataError(f"{where}: rule {rid} (check {_name(checks[rid])}): {exc}") from None
    return out
