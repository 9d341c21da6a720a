"""Collects imported parties, products and documents into a format-2 dossier."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from greentrade.importers._base import FORMAT_2, ImportNote, ImportOptions
from greentrade.model import _codes

__all__ = ["Builder", "id_fragment", "identifier_of", "identifiers_from", "prune", "slug"]


def slug(text: str, limit: int = 48) -> str:
    """An id fragment from free text: letters, digits and '-', deterministic."""
    s = re.sub(r"[^A-Za-z0-9]+", "-", text.strip()).strip("-").lower()
    return (s[:limit].rstrip("-") or "x")


def id_fragment(text: str, limit: int = 100) -> str:
    """An id fragment that keeps an identifier readable (dossier id characters only)."""
    s = re.sub(r"[^A-Za-z0-9._:/-]+", "-", text.strip()).strip("-")
    s = s.lstrip("._:/-")
    return s[:limit] or "x"


def prune(value: Any) -> Any:
    """Drop None values and empty lists/objects, recursively (the dossier's canonical form)."""
    if isinstance(value, dict):
        out = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [prune(v) for v in value]
    return value


def identifier_of(value: str, *, product: bool = True) -> tuple[dict[str, str] | None, str | None]:
    """(identifier, problem) for an id as the formats write it. GTIN and UN CPC URNs are read as
    such (``urn:gtin:...``, ``urn:cpc:...``) and checked like the dossier checks them (a GTIN with
    a wrong check digit is a problem, not an identifier); other URNs are kept as URNs, the rest
    verbatim (scheme ``other``)."""
    v = value.strip()
    low = v.lower()
    for prefix, scheme in (("urn:gtin:", "gtin"), ("urn:cpc:", "un-cpc")):
        if low.startswith(prefix):
            rest = v[len(prefix):]
            problem = _codes.check_product_identifier(scheme, rest)
            if problem is None:
                return {"scheme": scheme, "value": rest}, None
            if scheme == "gtin":
                return None, problem
    ident = {"scheme": "urn" if _codes.check_urn(v) is None else "other", "value": v}
    problem = _codes.check_product_identifier(ident["scheme"], v) if product else \
        _codes.check_identifier(ident["scheme"], v)
    return (None, problem) if problem else (ident, None)


def identifiers_from(values: Iterable[Any], *, product: bool = True) -> list[dict[str, str]]:
    """The identifiers of `values` that pass the dossier's checks (see `identifier_of`)."""
    out: list[dict[str, str]] = []
    for v in values:
        if isinstance(v, str) and v.strip():
            ident, _problem = identifier_of(v, product=product)
            if ident is not None and ident not in out:
                out.append(ident)
    return out


class Builder:
    def __init__(self, options: ImportOptions) -> None:
        self.options = options
        self.parties: dict[str, dict[str, Any]] = {}
        self.products: dict[str, dict[str, Any]] = {}
        self.documents: dict[str, dict[str, Any]] = {}
        self._holders: set[str] = set()
        #: (collection, id) -> (file, pointer) of the source item it came from.
        self.origin: dict[tuple[str, str], tuple[str, str]] = {}
        #: (format, source id, version) -> document id: the same footprint or EPD is imported once.
        self.seen: dict[tuple[str, str, str, str], str] = {}
        self.notes: list[ImportNote] = []
        #: Entities that were not added because they were given twice (counted in the summary).
        self.duplicates = 0

    def party(self, name: str | None, identifiers: list[dict[str, str]] | None = None,
              roles: Iterable[str] = (), source: dict[str, Any] | None = None) -> str | None:
        """The id of the party with this name (or first identifier), added or merged."""
        idents = identifiers or []
        if name:
            pid = "party-" + slug(name)
        elif idents:
            pid = "party-" + slug(idents[0]["value"])
        else:
            return None
        base, n = pid, 2
        while pid in self.parties and idents and self.parties[pid].get("identifiers") and not any(
                i in self.parties[pid]["identifiers"] for i in idents):
            pid, n = f"{base}-{n}", n + 1  # same name, other identifiers: another organisation
        p = self.parties.setdefault(pid, {"id": pid})
        if name and "name" not in p:
            p["name"] = name.strip()
        for r in roles:
            if r not in p.setdefault("roles", []):
                p["roles"].append(r)
        have = {(i["scheme"], i["value"]) for i in p.setdefault("identifiers", [])}
        for i in idents:
            if (i["scheme"], i["value"]) not in have:
                have.add((i["scheme"], i["value"]))
                p["identifiers"].append(i)
        if source and "source" not in p:
            p["source"] = source
        return pid

    def duplicate(self, fmt: str, source_id: str | None, version: str | None, file: str, where: str,
                  revision: str | None = None) -> bool:
        """True (with a note) when this (format, source id, version, revision) was imported already in this run."""
        if not source_id:
            return False
        key = (fmt, source_id, version or "", revision or "")
        first = self.seen.get(key)
        if first is None:
            return False
        self.duplicates += 1
        self.notes.append(ImportNote(
            "GT-IMPORT-006", "info",
            f"the same {fmt} item (source id {source_id!r}, version {version or 'not stated'}"
            f"{f', revision {revision}' if revision else ''}) was given "
            f"again: merged with {first}, not added twice", file, where))
        return True

    def remember(self, fmt: str, source_id: str | None, version: str | None, did: str,
                 revision: str | None = None) -> None:
        if source_id:
            self.seen.setdefault((fmt, source_id, version or "", revision or ""), did)

    def holder(self, pid: str | None) -> str | None:
        if pid is not None:
            self._holders.add(pid)
        return pid

    def product(self, pid: str, fields: dict[str, Any], origin: tuple[str, str] | None = None) -> str:
        pid = self._unique(id_fragment(pid), self.products)
        self.products[pid] = {"id": pid, **fields}
        if origin:
            self.origin[("products", pid)] = origin
        return pid

    def document(self, did: str, fields: dict[str, Any], origin: tuple[str, str] | None = None) -> str:
        did = self._unique(id_fragment(did), self.documents)
        self.documents[did] = {"id": did, **fields}
        if origin:
            self.origin[("documents", did)] = origin
        return did

    @staticmethod
    def _unique(base: str, taken: dict[str, Any]) -> str:
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def finish(self) -> tuple[dict[str, Any], list[ImportNote]]:
        """The dossier with the user's options applied, and notes on what is still missing."""
        o = self.options
        notes: list[ImportNote] = list(self.notes)
        issuer = self.party(o.issuer, roles=("certification-body",)) if o.issuer else None
        for pid in sorted(self._holders):
            p = self.parties[pid]
            if "country" not in p and o.country:
                p["country"] = o.country
            if "country" not in p:
                notes.append(ImportNote(
                    "GT-IMPORT-005", "info",
                    f"party {pid} ({p.get('name', 'no name')}) has no country: give --country or add it "
                    "before a program that needs the exporter's country can decide"))
        for pr in self.products.values():
            if "hs_code" not in pr and o.hs_code:
                pr["hs_code"] = o.hs_code
            if "category" not in pr and o.category:
                pr["category"] = o.category
            for key, option in (("hs_code", "--hs-code"), ("category", "--category")):
                if key not in pr:
                    notes.append(ImportNote(
                        "GT-IMPORT-005", "info",
                        f"product {pr['id']} has no {key.replace('_', ' ').replace('hs code', 'HS code')}: "
                        f"give {option} or add it before a program can decide"))
        for d in self.documents.values():
            if "issuer" not in d and issuer:
                d["issuer"] = issuer
            if "issuer" not in d:
                notes.append(ImportNote(
                    "GT-IMPORT-005", "info",
                    f"document {d['id']} names no issuer: give --issuer or add it before a program that "
                    "checks the issuer can decide"))
        dossier = prune({
            "format": FORMAT_2,
            "parties": list(self.parties.values()),
            "products": list(self.products.values()),
            "documents": list(self.documents.values()),
        })
        return dossier, notes
