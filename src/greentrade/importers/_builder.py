"""Collects imported parties, products and documents into a format-2 dossier."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from greentrade.importers._base import FORMAT_2, ImportNote, ImportOptions, id_fragment, prune, slug
from greentrade.model import _codes

__all__ = ["Builder", "identifiers_from"]


def identifiers_from(values: Iterable[Any]) -> list[dict[str, str]]:
    """Identifiers from URNs and other ids as the formats write them; GTIN and UN CPC URNs are
    read as such (``urn:gtin:...``, ``urn:cpc:...``), other URNs kept as URNs, the rest verbatim."""
    out: list[dict[str, str]] = []
    for v in values:
        if not isinstance(v, str) or not v.strip():
            continue
        low = v.lower()
        ident = None
        for prefix, scheme in (("urn:gtin:", "gtin"), ("urn:cpc:", "un-cpc")):
            if low.startswith(prefix):
                rest = v[len(prefix):]
                if _codes.check_identifier(scheme, rest) is None:
                    ident = {"scheme": scheme, "value": rest}
        if ident is None:
            ident = {"scheme": "urn" if _codes.check_urn(v) is None else "other", "value": v}
        if ident not in out:
            out.append(ident)
    return out


class Builder:
    def __init__(self, options: ImportOptions) -> None:
        self.options = options
        self.parties: dict[str, dict[str, Any]] = {}
        self.products: dict[str, dict[str, Any]] = {}
        self.documents: dict[str, dict[str, Any]] = {}
        self._holders: set[str] = set()

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
        for i in idents:
            if i not in p.setdefault("identifiers", []):
                p["identifiers"].append(i)
        if source and "source" not in p:
            p["source"] = source
        return pid

    def holder(self, pid: str | None) -> str | None:
        if pid is not None:
            self._holders.add(pid)
        return pid

    def product(self, pid: str, fields: dict[str, Any]) -> str:
        pid = self._unique(id_fragment(pid), self.products)
        self.products[pid] = {"id": pid, **fields}
        return pid

    def document(self, did: str, fields: dict[str, Any]) -> str:
        did = self._unique(id_fragment(did), self.documents)
        self.documents[did] = {"id": did, **fields}
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
        notes: list[ImportNote] = []
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
