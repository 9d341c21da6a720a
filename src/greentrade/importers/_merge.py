"""Merging an import into an existing dossier: nothing overwritten, no duplicate ids."""

from __future__ import annotations

import copy
from typing import Any

from greentrade.importers._base import ImportNote

__all__ = ["merge"]

_COLLECTIONS = ("parties", "products", "documents")


def _party_refs(doc: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(object, key) of every party reference of an imported document."""
    out: list[tuple[dict[str, Any], str]] = [(doc, k) for k in ("issuer", "holder") if k in doc]
    for part in ("carbon_footprint", "epd"):
        obj = doc.get(part)
        if isinstance(obj, dict):
            if "verifier" in obj:
                out.append((obj, "verifier"))
            ver = obj.get("verification")
            if isinstance(ver, dict) and "provider" in ver:
                out.append((ver, "provider"))
    return out


def _source_key(entity: dict[str, Any]) -> tuple[str, str, str, str] | None:
    src = entity.get("source")
    if isinstance(src, dict) and src.get("id"):
        return (str(src.get("format")), str(src["id"]), str(src.get("version") or ""),
                str(src.get("revision") or ""))
    return None


def _fill(existing: dict[str, Any], entity: dict[str, Any]) -> list[str]:
    """Add to `existing` the fields it lacks (nothing there is overwritten); the names added."""
    added = [k for k in entity if k not in existing and k != "id"]
    for k in added:
        existing[k] = entity[k]
    return added


def merge(base: Any, imported: dict[str, Any]) -> tuple[dict[str, Any], list[ImportNote]]:
    """`imported` (a format-2 dossier) added to `base` (a dossier of format 1 or 2, as data).

    A format-1 base is migrated to format 2 first. An imported entity equal to one of the base
    is not added twice; a product or document with the source (format, id and version) of one in
    the base is that one, merged: the fields it lacks are added, nothing is overwritten; a party
    with the name of a base party is that party (the base's record is kept as it is); any other id
    that is taken gets a suffix (``-2``, ``-3``), and references follow.
    """
    from greentrade.io._migrate import migrate

    out = copy.deepcopy(migrate(base))
    new = copy.deepcopy(imported)
    notes: list[ImportNote] = []
    renamed: dict[str, dict[str, str]] = {c: {} for c in _COLLECTIONS}
    for coll in _COLLECTIONS:
        have = {e["id"]: e for e in out.get(coll, [])}
        names = {e.get("name"): e["id"] for e in out.get(coll, []) if coll == "parties" and e.get("name")}
        sources = {k: e for e in out.get(coll, []) if coll != "parties" and (k := _source_key(e)) is not None}
        for entity in new.get(coll, []):
            eid = entity["id"]
            for ref_coll, ref_key in (("products", "product"),):
                if coll == "documents":
                    for cov in entity.get("products", []):
                        cov[ref_key] = renamed[ref_coll].get(cov[ref_key], cov[ref_key])
            if coll == "products" and "manufacturer" in entity:
                entity["manufacturer"] = renamed["parties"].get(entity["manufacturer"], entity["manufacturer"])
            if coll == "documents":
                for obj, key in _party_refs(entity):
                    obj[key] = renamed["parties"].get(obj[key], obj[key])
            if have.get(eid) == entity:
                continue
            skey = _source_key(entity)
            if skey is not None and skey in sources:
                existing = sources[skey]
                renamed[coll][eid] = existing["id"]
                differ = sorted(k for k in entity if k != "id" and k in existing and existing[k] != entity[k])
                added = _fill(existing, entity)
                notes.append(ImportNote(
                    "GT-IMPORT-006", "info",
                    f"{coll[:-1]} {existing['id']} is already in the dossier (same source id and version "
                    f"{skey[1]!r} {skey[2] or 'not stated'}{f', revision {skey[3]}' if skey[3] else ''}): "
                    "merged, not added again"
                    + (f"; added {', '.join(added)}" if added else "")
                    + (f"; {', '.join(differ)} differ from the dossier's, which are kept" if differ else "")))
                continue
            if coll == "parties" and entity.get("name") in names:
                existing = names[entity["name"]]
                renamed[coll][eid] = existing
                if have[existing] != entity:
                    notes.append(ImportNote("GT-IMPORT-006", "info",
                                            f"party {entity['name']!r} is already in the dossier as {existing}: "
                                            "its record there is kept as it is"))
                continue
            target, n = eid, 2
            while target in have:
                target, n = f"{eid}-{n}", n + 1
            if target != eid:
                renamed[coll][eid] = target
                entity["id"] = target
                notes.append(ImportNote("GT-IMPORT-006", "info",
                                        f"id {eid!r} is taken in the dossier: the imported one is {target!r}"))
            out.setdefault(coll, []).append(entity)
            have[target] = entity
    return out, notes
