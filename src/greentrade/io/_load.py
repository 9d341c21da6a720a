"""From input to entities: parse, check against the schema, structure, check references.

Every problem becomes a `Finding` with the JSON Pointer of the offending value; only input
that cannot be read at all (not JSON, not an object) raises `DossierReadError`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from greentrade._files import DEFAULT_MAX_INPUT_BYTES
from greentrade.errors import DossierReadError
from greentrade.i18n import msg
from greentrade.io._bounds import MAX_FINDINGS_PER_RULE, Bounded
from greentrade.io._datarules import CORE_RULES, clip, finding
from greentrade.io._describe import describe
from greentrade.io._integrity import integrity, pointer_map
from greentrade.io._read import read, read_checked
from greentrade.io._schemas import validator
from greentrade.model import Dossier, _convert
from greentrade.model import _pointer as _pointers
from greentrade.model._base import FieldError
from greentrade.rules._rules import Finding, Severity

# CORE_RULES, DossierReadError and read are imported from here by other modules too.
__all__ = ["CORE_RULES", "DossierReadError", "Loaded", "load", "parse_date", "read"]


@attrs.frozen
class Loaded:
    data: Any
    sha256: str
    dossier: Dossier | None
    findings: tuple[Finding, ...]
    pointers: Mapping[int, str]
    #: Findings left out per rule (`_bounds.MAX_FINDINGS_PER_RULE`): count and worst severity.
    omitted: Mapping[str, tuple[int, Severity]] = attrs.field(factory=dict)
    #: Rules whose left-out count is a lower bound (the schema explanation stopped).
    incomplete: frozenset[str] = frozenset()


#: The schema explanation stops after this many errors (twice the per-rule cap, and one): enough
#: for a full report; the rest of a huge invalid input is counted as "at least".
EXPLAIN_LIMIT = 2 * MAX_FINDINGS_PER_RULE + 1
#: An unknown key longer than this is not echoed: its finding points at the object that holds it.
_LONG_KEY = 200


def _schema_findings(data: Any) -> Bounded:
    out = Bounded()
    explained = 0
    for err in validator("dossier").iter_errors(data):
        explained += 1
        if explained > EXPLAIN_LIMIT:  # bounded work per input: the rest is counted as "at least"
            out.incomplete |= {"GT-SCHEMA-001", "GT-SCHEMA-002"} & set(out.omitted)
            break
        path = list(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, Mapping):
            allowed = set(err.schema.get("properties", {})) if isinstance(err.schema, Mapping) else set()
            extra = [k for k in err.instance if k not in allowed]
            shown = sorted(extra[: MAX_FINDINGS_PER_RULE + 1]) if len(extra) > MAX_FINDINGS_PER_RULE else sorted(extra)
            for key in shown:
                out.append(_unknown_key(key, path, allowed))
            if len(extra) > len(shown):
                out.add_omitted({"GT-SCHEMA-002": (len(extra) - len(shown), Severity.ERROR)})
            continue
        out.append(finding("GT-SCHEMA-001", describe(err), path))
    return out


def _unknown_key(key: str, path: list[Any], allowed: set[str]) -> Finding:
    listed = ", ".join(sorted(allowed))
    if len(key) > _LONG_KEY:  # never echo a huge key (into the report, onto a terminal)
        return finding("GT-SCHEMA-002", msg("GT-SCHEMA-002.long-key", "unknown key {key!r} ({length} characters); "
                                            "allowed here: {allowed}", key=clip(key, 60), length=len(key),
                                            allowed=listed), path)
    return finding("GT-SCHEMA-002", msg("GT-SCHEMA-002.unknown-key", "unknown key {key!r}; allowed here: {allowed}",
                                        key=key, allowed=listed), [*path, key])


def _structure_findings(exc: BaseException, path: list[Any]) -> Iterator[tuple[list[Any], str]]:
    if isinstance(exc, ClassValidationError | IterableValidationError):
        for sub in exc.exceptions:
            sub_path = list(path)
            for note in getattr(sub, "__notes__", []):
                if isinstance(note, AttributeValidationNote):
                    sub_path.append(note.name)
                elif isinstance(note, IterableValidationNote):
                    sub_path.append(note.index)
            yield from _structure_findings(sub, sub_path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield [*path, key], f"unknown key {key!r}"
    elif isinstance(exc, FieldError):
        yield [*path, exc.field], str(exc)
    elif isinstance(exc, KeyError):
        yield path, f"required key {exc.args[0]!r} is missing"
    else:
        yield path, str(exc) or type(exc).__name__


def _unescape(pointer: str) -> list[str]:
    return [_pointers.unescape(p) for p in pointer.split("/")[1:]]


def _without_keys(data: Any, pointers: list[str]) -> Any:
    """A copy of `data` without the keys at `pointers` (the input itself is left alone)."""
    copy = json.loads(json.dumps(data))
    for pointer in pointers:
        *parents, key = _unescape(pointer)
        node = copy
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node.pop(key, None)
    return copy


def _loaded(data: Any, digest: str, dossier: Dossier | None, findings: Any,
            pointers: Mapping[int, str]) -> Loaded:
    bounded = findings if isinstance(findings, Bounded) else Bounded()
    if bounded is not findings:
        bounded.extend(findings)
    return Loaded(data, digest, dossier, tuple(bounded.kept), pointers, dict(bounded.omitted),
                  frozenset(bounded.incomplete))


def load(source: Any, categories: frozenset[str], *, unknown_keys: str = "reject",
         max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> Loaded:
    """Read and check a dossier. Raises `DossierReadError` only for unreadable input.

    With ``unknown_keys="warn"`` unknown keys are reported as warnings and ignored, instead
    of being errors that stop evaluation. Input beyond `max_bytes` is unreadable.
    """
    data, digest, duplicates = read_checked(source, max_bytes)
    if not isinstance(data, dict):
        raise DossierReadError(
            f"not a dossier: the top-level JSON value is {_json_type(data)}, expected an object"
        )
    if duplicates:  # which of the values was meant cannot be told: nothing is evaluated
        return _loaded(data, digest, None, duplicates, {})
    warnings: list[Finding] = []
    original = data
    schema = validator("dossier")
    if not schema.is_valid(data):
        found = _schema_findings(data)
        findings = found.kept
        if (unknown_keys == "warn" and findings and not found.omitted
                and all(f.rule == "GT-SCHEMA-002" for f in findings)):
            warnings = [
                attrs.evolve(f, severity=Severity.WARNING, message=f.message + " (ignored)") for f in findings
            ]
            data = _without_keys(data, [f.pointer for f in findings])
            found = _schema_findings(data) if not schema.is_valid(data) else Bounded()
            findings = found.kept
        if findings:
            found.extend(warnings)
            return _loaded(original, digest, None, found, {})
        if not warnings:  # the two validators disagree: the input is treated as invalid
            return _loaded(original, digest, None, [finding(
                "GT-SCHEMA-001", "the dossier's schema validators disagree about this input (the fast "
                "validator refuses it, the reference validator finds no error); treated as invalid", "")], {})
    if "$schema" in data:  # allowed by the schema for editors; not part of the entities
        data = {k: v for k, v in data.items() if k != "$schema"}
    try:
        # Each list item through the fast converter; one it refuses through the detailed one,
        # which says what is wrong with it and where.
        dossier = _convert.structure_checked(data, Dossier)
    except _convert.Disagree:
        # The detailed converter accepted what the fast one refused: treated as invalid.
        return _loaded(original, digest, None, [*warnings, finding(  # pragma: no cover - defensive
            "GT-DATA-001", "the dossier could not be turned into entities", "")], {})
    except Exception as exc:  # every structuring problem, with its location
        findings = [
            finding("GT-DATA-001", message, path)
            for path, message in _structure_findings(exc, [])
        ]
        return _loaded(original, digest, None, [*warnings, *findings], {})
    pointers = pointer_map(dossier)
    problems = integrity(dossier, pointers, categories)
    problems.extend(warnings)
    return _loaded(original, digest, dossier, problems, pointers)


def _json_type(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def parse_date(text: str) -> dt.date:
    """Parse an --as-of style date, with a clear message."""
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a calendar date (expected YYYY-MM-DD)") from None
