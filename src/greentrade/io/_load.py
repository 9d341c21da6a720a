"""From input to entities: parse, check against the schema, structure, check references.

Every problem becomes a `Finding` with the JSON Pointer of the offending value; only input
that cannot be read at all (not JSON, not an object) raises `DossierReadError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from greentrade._files import DEFAULT_MAX_INPUT_BYTES, InputError, read_bytes
from greentrade.errors import DossierReadError
from greentrade.io._bounds import Bounded
from greentrade.io._schemas import validator
from greentrade.model import _convert
from greentrade.model import _pointer as _pointers
from greentrade.model._entities import Dossier, FieldError
from greentrade.rules._rules import Citation, Effect, Finding, Rule, RuleContext, Severity

__all__ = ["CORE_RULES", "DossierReadError", "Loaded", "load"]


_FORMAT = Citation(
    authority="greentrade",
    title="greentrade dossier format 1: the dossier JSON Schema (greentrade schema dossier)",
    reference="https://greentrade.dev/schemas/v1/dossier.schema.json",
)


def _builtin(_ctx: RuleContext) -> Iterator[Any]:
    """Data rules are applied by the loader, before any program rule runs."""
    return iter(())


def _data_rule(id: str, title: str, remediation: str, citation: Citation = _FORMAT) -> Rule:
    return Rule(
        id=id, title=title, severity=Severity.ERROR, check=_builtin, citation=citation,
        remediation=remediation, scope="dossier", role="data", basis="stated",
    )


CORE_RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        _data_rule(
            "GT-SCHEMA-001", "The dossier conforms to the dossier schema",
            "Fix the value at the pointer so that it matches the schema (`greentrade schema dossier`).",
        ),
        _data_rule(
            "GT-SCHEMA-002", "No unknown keys",
            "Remove the key or correct its spelling; `greentrade schema NAME` lists the allowed keys.",
        ),
        _data_rule(
            "GT-SCHEMA-003", "No duplicate keys",
            "Give each key of a JSON object once; which of two values was meant cannot be told.",
        ),
        _data_rule(
            "GT-DATA-001", "Values are valid codes, dates and quantities",
            "Correct the value: codes are checked against ISO 3166-1, ISO 4217, UN/LOCODE syntax, "
            "HS 2022, GB 32100-2015 and ISO 17442; dates must be real calendar dates in order.",
            Citation(
                authority="greentrade",
                title="Code lists: ISO 3166-1, ISO 4217, UN/LOCODE, HS 2022 (WCO), GB 32100-2015, ISO 17442",
                reference=(
                    "ISO 3166-1:2020 and ISO 4217:2015 (https://www.iso.org); UN/LOCODE (UNECE, "
                    "https://unece.org/trade/uncefact/unlocode); Harmonized System 2022 nomenclature (WCO, "
                    "https://www.wcoomd.org); GB 32100-2015 (SAC); ISO 17442-1:2020"
                ),
            ),
        ),
        _data_rule(
            "GT-REF-001", "References resolve",
            "Add the referenced entity to the dossier or correct the id.",
        ),
        _data_rule(
            "GT-REF-002", "Ids are unique",
            "Give each entity of a collection its own id.",
        ),
        _data_rule(
            "GT-REF-003", "Product categories are known",
            "Use a category of the vocabulary (`greentrade categories`) or install the plugin that adds it.",
        ),
    )
}


@attrs.frozen
class Loaded:
    data: Any
    sha256: str
    dossier: Dossier | None
    findings: tuple[Finding, ...]
    pointers: Mapping[int, str]
    #: Findings left out per rule (`_bounds.MAX_FINDINGS_PER_RULE`): count and worst severity.
    omitted: Mapping[str, tuple[int, Severity]] = attrs.field(factory=dict)


def _pointer(path: Any) -> str:
    return _pointers.join(*path)


def _finding(rule_id: str, message: str, path: Any, subject: str | None = None) -> Finding:
    rule = CORE_RULES[rule_id]
    return Finding(
        rule=rule_id, severity=rule.severity, effect=Effect.VIOLATION, message=_clip(message, 500),
        pointer=path if isinstance(path, str) else _pointer(path), subject=subject,
        remediation=rule.remediation, citation=rule.citation,
    )


def _no_constant(name: str) -> Any:
    raise DossierReadError(f"not valid JSON: {name} is not a JSON number")


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise DossierReadError(f"not readable: the number {_clip(text)} is too large for a quantity")
    return value


def _parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # Python's limit on integer digits
        raise DossierReadError(
            f"not readable: an integer with {len(text.lstrip('-'))} digits is too large"
        ) from None


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Duplicates:
    """Object hook that notes objects with a key given twice (the JSON module keeps the last)."""

    def __init__(self) -> None:
        self.found: dict[int, tuple[dict[str, Any], list[str]]] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            twice = sorted({k for k, _v in pairs if k in seen or seen.add(k)})  # type: ignore[func-returns-value]
            self.found[id(obj)] = (obj, twice)
        return obj

    def findings(self, data: Any) -> list[Finding]:
        out: list[Finding] = []
        for path, obj in _walk_objects(data, []):
            entry = self.found.get(id(obj))
            if entry is not None and entry[0] is obj:
                for key in entry[1]:
                    out.append(_finding("GT-SCHEMA-003", f"key {_clip(key)!r} is given more than once in "
                                        "this object", path))
        return out


def _walk_objects(data: Any, path: list[Any]) -> Iterator[tuple[list[Any], Any]]:
    stack: list[tuple[list[Any], Any]] = [(path, data)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            yield here, node
            stack.extend(([*here, k], v) for k, v in node.items() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(([*here, i], v) for i, v in enumerate(node) if isinstance(v, dict | list))


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _check_text(data: Any) -> None:
    """Refuse strings with lone surrogates (JSON escapes like \\ud800 that are no character)."""
    stack: list[tuple[list[Any], Any]] = [([], data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                raise DossierReadError(
                    f"not valid text at {_pointer(path) or '/'}: a lone surrogate (a \\uD800-\\uDFFF escape "
                    "without its pair) is not a character"
                ) from None
        elif isinstance(node, dict):
            for k, v in node.items():
                stack.append(([*path, "(key)"], k))
                stack.append(([*path, k], v))
        elif isinstance(node, list):
            stack.extend(([*path, i], v) for i, v in enumerate(node))


def read(source: Any, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> tuple[Any, str]:
    """Return (JSON data, sha256 of the input bytes)."""
    return _read(source, max_bytes)[:2]


def _read(source: Any, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> tuple[Any, str, list[Finding]]:
    """(JSON data, sha256 of the input bytes, duplicate-key findings)."""
    if isinstance(source, Path):
        try:
            source = read_bytes(source, max_bytes)
        except InputError as exc:
            raise DossierReadError(str(exc)) from None
    if isinstance(source, str):
        try:
            source = source.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DossierReadError(
                f"not valid text: character {exc.start} is a lone surrogate, not a character"
            ) from None
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        if len(raw) > max_bytes:
            raise DossierReadError(f"the input ({len(raw)} bytes) is larger than the input limit of "
                                   f"{max_bytes} bytes (raise it with [greentrade] max_input_bytes)")
        duplicates = _Duplicates()
        try:
            text = raw.decode("utf-8-sig")
            data = json.loads(text, parse_constant=_no_constant, parse_float=_parse_float,
                              parse_int=_parse_int, object_pairs_hook=duplicates)
        except UnicodeDecodeError as exc:
            raise DossierReadError(f"not UTF-8 text: byte {exc.start}: {exc.reason}") from None
        except json.JSONDecodeError as exc:
            raise DossierReadError(
                f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        except RecursionError:
            raise DossierReadError("not readable: JSON nested too deeply") from None
        if _SURROGATE_ESCAPE.search(text):
            _check_text(data)
        found = duplicates.findings(data) if duplicates.found else []
        return data, hashlib.sha256(raw).hexdigest(), found
    if isinstance(source, Dossier):
        source = _convert.unstructure(source)
    try:
        canonical = json.dumps(
            source, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        ).encode("utf-8")
    except UnicodeEncodeError:
        _check_text(source)
        raise DossierReadError("not valid text: a lone surrogate is not a character") from None  # pragma: no cover
    except (TypeError, ValueError) as exc:
        raise DossierReadError(f"not JSON-compatible data: {_clip(str(exc), 200)}") from None
    except RecursionError:
        raise DossierReadError("not readable: data nested too deeply") from None
    if len(canonical) > max_bytes:
        raise DossierReadError(f"the input ({len(canonical)} bytes as JSON) is larger than the input limit of "
                               f"{max_bytes} bytes (raise it with [greentrade] max_input_bytes)")
    return source, hashlib.sha256(canonical).hexdigest(), []


def _schema_findings(data: Any) -> Bounded:
    out = Bounded()
    for err in validator("dossier").iter_errors(data):
        path = list(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, Mapping):
            allowed = set(err.schema.get("properties", {})) if isinstance(err.schema, Mapping) else set()
            for key in sorted(set(err.instance) - allowed):
                out.append(
                    _finding(
                        "GT-SCHEMA-002",
                        f"unknown key {key!r}; allowed here: {', '.join(sorted(allowed))}",
                        [*path, key],
                    )
                )
            continue
        message = err.message
        if len(message) > 300:
            message = message[:297] + "..."
        out.append(_finding("GT-SCHEMA-001", f"{message} (schema rule '{err.validator}')", path))
    return out


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


def _pointer_map(dossier: Dossier) -> dict[int, str]:
    pointers: dict[int, str] = {id(dossier): ""}
    def specs(owner: Any, base: str) -> None:
        for k, spec in enumerate(owner.specs):
            pointers[id(spec)] = f"{base}/specs/{k}"

    for i, party in enumerate(dossier.parties):
        pointers[id(party)] = f"/parties/{i}"
        for j, ident in enumerate(party.identifiers):
            pointers[id(ident)] = f"/parties/{i}/identifiers/{j}"
        for j, site in enumerate(party.sites):
            pointers[id(site)] = f"/parties/{i}/sites/{j}"
        for j, acc in enumerate(party.accreditations):
            pointers[id(acc)] = f"/parties/{i}/accreditations/{j}"
    for i, product in enumerate(dossier.products):
        pointers[id(product)] = f"/products/{i}"
        specs(product, f"/products/{i}")
    for i, doc in enumerate(dossier.documents):
        pointers[id(doc)] = f"/documents/{i}"
        for j, cov in enumerate(doc.products):
            pointers[id(cov)] = f"/documents/{i}/products/{j}"
            specs(cov, f"/documents/{i}/products/{j}")
    for i, shipment in enumerate(dossier.shipments):
        pointers[id(shipment)] = f"/shipments/{i}"
        for j, line in enumerate(shipment.lines):
            pointers[id(line)] = f"/shipments/{i}/lines/{j}"
    for i, tender in enumerate(dossier.tenders):
        pointers[id(tender)] = f"/tenders/{i}"
        for j, item in enumerate(tender.items):
            pointers[id(item)] = f"/tenders/{i}/items/{j}"
        for j, req in enumerate(tender.required_documents):
            pointers[id(req)] = f"/tenders/{i}/required_documents/{j}"
        for j, promise in enumerate(tender.promises):
            pointers[id(promise)] = f"/tenders/{i}/promises/{j}"
    return pointers


def _integrity(dossier: Dossier, pointers: Mapping[int, str], categories: frozenset[str]) -> Bounded:
    out = Bounded()
    at = pointers.__getitem__

    def unique(items: Any, what: str) -> None:
        seen: dict[str, str] = {}
        for item in items:
            where = at(id(item))
            if item.id in seen:
                out.append(
                    _finding("GT-REF-002", f"duplicate {what} id {item.id!r} (first at {seen[item.id]})",
                             where + "/id", item.id)
                )
            else:
                seen[item.id] = where

    unique(dossier.parties, "party")
    unique(dossier.products, "product")
    unique(dossier.documents, "document")
    unique(dossier.shipments, "shipment")
    unique(dossier.tenders, "tender")
    unique([s for p in dossier.parties for s in p.sites], "site")
    for shipment in dossier.shipments:
        unique(shipment.lines, f"line (in shipment {shipment.id!r})")

    def ref(value: str | None, exists: Callable[[str], object], what: str, where: str, subject: str) -> None:
        if value is not None and exists(value) is None:
            out.append(_finding("GT-REF-001", f"{what} {value!r} is not in the dossier", where, subject))

    party, product, document, site = dossier.party, dossier.product, dossier.document, dossier.site
    for p in dossier.parties:
        for acc in p.accreditations:
            ref(acc.accreditation_body, party, "accreditation body", at(id(acc)) + "/accreditation_body", p.id)
    def unique_specs(owner: Any, base: str, subject: str) -> None:
        seen: set[str] = set()
        for k, spec in enumerate(owner.specs):
            if spec.name in seen:
                out.append(
                    _finding("GT-REF-002", f"spec {spec.name!r} is given twice", f"{base}/specs/{k}/name", subject)
                )
            seen.add(spec.name)

    for pr in dossier.products:
        base = at(id(pr))
        unique_specs(pr, base, pr.id)
        ref(pr.manufacturer, party, "manufacturer", base + "/manufacturer", pr.id)
        if pr.category is not None and pr.category not in categories:
            out.append(
                _finding(
                    "GT-REF-003",
                    f"category {pr.category!r} is not in the vocabulary ({', '.join(sorted(categories))})",
                    base + "/category", pr.id,
                )
            )
        if pr.manufacturing_site is not None:
            s = site(pr.manufacturing_site)
            maker = party(pr.manufacturer) if pr.manufacturer is not None else None
            if s is None:
                ref(pr.manufacturing_site, site, "manufacturing site", base + "/manufacturing_site", pr.id)
            elif maker is not None and s not in maker.sites:
                out.append(
                    _finding(
                        "GT-REF-001",
                        f"manufacturing site {pr.manufacturing_site!r} is not a site of the "
                        f"manufacturer {pr.manufacturer!r}",
                        base + "/manufacturing_site", pr.id,
                    )
                )
    for d in dossier.documents:
        base = at(id(d))
        ref(d.issuer, party, "issuer", base + "/issuer", d.id)
        ref(d.holder, party, "holder", base + "/holder", d.id)
        for j, cov in enumerate(d.products):
            ref(cov.product, product, "product", f"{base}/products/{j}/product", d.id)
            unique_specs(cov, f"{base}/products/{j}", d.id)
        for j, s_id in enumerate(d.sites):
            ref(s_id, site, "site", f"{base}/sites/{j}", d.id)
        if d.carbon_footprint is not None:
            ref(d.carbon_footprint.verifier, party, "verifier", base + "/carbon_footprint/verifier", d.id)
            if d.carbon_footprint.verification is not None:
                ref(d.carbon_footprint.verification.provider, party, "verification provider",
                    base + "/carbon_footprint/verification/provider", d.id)
        if d.epd is not None and d.epd.verification is not None:
            ref(d.epd.verification.provider, party, "verification provider", base + "/epd/verification/provider", d.id)
    for sh in dossier.shipments:
        base = at(id(sh))
        ref(sh.exporter, party, "exporter", base + "/exporter", sh.id)
        ref(sh.buyer, party, "buyer", base + "/buyer", sh.id)
        for line in sh.lines:
            ref(line.product, product, "product", at(id(line)) + "/product", sh.id)
        for j, doc_id in enumerate(sh.documents):
            ref(doc_id, document, "document", f"{base}/documents/{j}", sh.id)
    for t in dossier.tenders:
        base = at(id(t))
        ref(t.buyer, party, "buyer", base + "/buyer", t.id)
        ref(t.shipment, dossier.shipment, "shipment", base + "/shipment", t.id)
        for item in t.items:
            ref(item.product, product, "product", at(id(item)) + "/product", t.id)
        for req in t.required_documents:
            for j, p_id in enumerate(req.products):
                ref(p_id, product, "product", f"{at(id(req))}/products/{j}", t.id)
    return out


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
    return Loaded(data, digest, dossier, tuple(bounded.kept), pointers, dict(bounded.omitted))


def load(source: Any, categories: frozenset[str], *, unknown_keys: str = "reject",
         max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> Loaded:
    """Read and check a dossier. Raises `DossierReadError` only for unreadable input.

    With ``unknown_keys="warn"`` unknown keys are reported as warnings and ignored, instead
    of being errors that stop evaluation. Input beyond `max_bytes` is unreadable.
    """
    data, digest, duplicates = _read(source, max_bytes)
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
            return _loaded(original, digest, None, [_finding(
                "GT-SCHEMA-001", "the dossier's schema validators disagree about this input (the fast "
                "validator refuses it, the reference validator finds no error); treated as invalid", "")], {})
    if "$schema" in data:  # allowed by the schema for editors; not part of the entities
        data = {k: v for k, v in data.items() if k != "$schema"}
    try:
        dossier = _convert.structure_trusted(data, Dossier)
    except Exception:
        try:
            _convert.structure_detailed(data, Dossier)
        except Exception as exc:  # every structuring problem, with its location
            findings = [
                _finding("GT-DATA-001", message, path)
                for path, message in _structure_findings(exc, [])
            ]
            return _loaded(original, digest, None, [*warnings, *findings], {})
        # The detailed converter accepted what the fast one refused: treated as invalid.
        return _loaded(original, digest, None, [*warnings, _finding(  # pragma: no cover - defensive
            "GT-DATA-001", "the dossier could not be turned into entities", "")], {})
    pointers = _pointer_map(dossier)
    problems = _integrity(dossier, pointers, categories)
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
