"""From input to entities: parse, check against the schema, structure, check references.

Every problem becomes a `Finding` with the JSON Pointer of the offending value; only input
that cannot be read at all (not JSON, not an object) raises `DossierReadError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
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

from greentrade import _convert
from greentrade._model import Dossier, FieldError
from greentrade._rules import Citation, Effect, Finding, Rule, RuleContext, Severity
from greentrade._schemas import validator

__all__ = ["CORE_RULES", "DossierReadError", "Loaded", "load"]


class DossierReadError(Exception):
    """The input cannot be read as a dossier (not JSON, or not a JSON object)."""


_FORMAT = Citation(
    authority="greentrade",
    title="greentrade dossier format 1 (schemas/dossier.schema.json)",
    reference="https://greentrade.dev/schemas/v1/dossier.schema.json",
)


def _builtin(_ctx: RuleContext) -> Iterator[Any]:
    """Data rules are applied by the loader, before any program rule runs."""
    return iter(())


def _data_rule(id: str, title: str, remediation: str, citation: Citation = _FORMAT) -> Rule:
    return Rule(
        id=id, title=title, severity=Severity.ERROR, check=_builtin, citation=citation,
        remediation=remediation, scope="dossier", role="data",
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
            "GT-DATA-001", "Values are valid codes, dates and quantities",
            "Correct the value: codes are checked against ISO 3166-1, ISO 4217, UN/LOCODE syntax, "
            "HS 2022, GB 32100-2015 and ISO 17442; dates must be real calendar dates in order.",
            Citation(
                authority="greentrade",
                title="Code lists: ISO 3166-1, ISO 4217, UN/LOCODE, HS 2022 (WCO), GB 32100-2015, ISO 17442",
                reference="src/greentrade/data/codes.json, src/greentrade/data/hs2022.csv",
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


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _finding(rule_id: str, message: str, path: Any, subject: str | None = None) -> Finding:
    rule = CORE_RULES[rule_id]
    return Finding(
        rule=rule_id, severity=rule.severity, effect=Effect.VIOLATION, message=message,
        pointer=path if isinstance(path, str) else _pointer(path), subject=subject,
        remediation=rule.remediation, citation=rule.citation,
    )


def _no_constant(name: str) -> Any:
    raise DossierReadError(f"not valid JSON: {name} is not a JSON number")


def read(source: Any) -> tuple[Any, str]:
    """Return (JSON data, sha256 of the input bytes)."""
    if isinstance(source, Path):
        try:
            source = source.read_bytes()
        except OSError as exc:
            raise DossierReadError(f"cannot read {str(source)!r}: {exc.strerror}") from None
    if isinstance(source, str):
        source = source.encode("utf-8")
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        try:
            data = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
        except UnicodeDecodeError as exc:
            raise DossierReadError(f"not UTF-8 text: byte {exc.start}: {exc.reason}") from None
        except json.JSONDecodeError as exc:
            raise DossierReadError(
                f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        except RecursionError:
            raise DossierReadError("not readable: JSON nested too deeply") from None
        return data, hashlib.sha256(raw).hexdigest()
    if isinstance(source, Dossier):
        source = _convert.unstructure(source)
    try:
        canonical = json.dumps(
            source, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        ).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise DossierReadError(f"not JSON-compatible data: {exc}") from None
    except RecursionError:
        raise DossierReadError("not readable: data nested too deeply") from None
    return source, hashlib.sha256(canonical).hexdigest()


def _schema_findings(data: Any) -> list[Finding]:
    out: list[Finding] = []
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


def _integrity(dossier: Dossier, pointers: Mapping[int, str], categories: frozenset[str]) -> list[Finding]:
    out: list[Finding] = []
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
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


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


def load(source: Any, categories: frozenset[str], *, unknown_keys: str = "reject") -> Loaded:
    """Read and check a dossier. Raises `DossierReadError` only for unreadable input.

    With ``unknown_keys="warn"`` unknown keys are reported as warnings and ignored, instead
    of being errors that stop evaluation.
    """
    data, digest = read(source)
    if not isinstance(data, dict):
        raise DossierReadError(
            f"not a dossier: the top-level JSON value is {_json_type(data)}, expected an object"
        )
    warnings: list[Finding] = []
    original = data
    if not validator("dossier").is_valid(data):
        findings = _schema_findings(data)
        if unknown_keys == "warn" and findings and all(f.rule == "GT-SCHEMA-002" for f in findings):
            warnings = [
                attrs.evolve(f, severity=Severity.WARNING, message=f.message + " (ignored)") for f in findings
            ]
            data = _without_keys(data, [f.pointer for f in findings])
            findings = _schema_findings(data)
        if findings:
            return Loaded(original, digest, None, tuple(findings), {})
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
            return Loaded(original, digest, None, (*warnings, *findings), {})
        raise  # pragma: no cover - the detailed converter accepted what the fast one refused
    pointers = _pointer_map(dossier)
    problems = _integrity(dossier, pointers, categories)
    return Loaded(original, digest, dossier, (*warnings, *problems), pointers)


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
