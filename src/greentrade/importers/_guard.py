"""The last check of an import: the dossier it writes is a valid format-2 dossier.

The mappings check each value as they read it (identifiers, dates, numbers, units), so this guard
finds nothing on its own. If it does (a mapping bug, or a check the core has and a mapping lacks),
one bad value costs one warning naming the file and the item it came from, and the rest imports:
the value is removed (or, when the entity cannot stand without it, the entity and what refers to it).
"""

from __future__ import annotations

from typing import Any

from greentrade.importers._base import ImportNote, pointer

__all__ = ["check"]

_COLLECTIONS = ("parties", "products", "documents")
_MAX_ROUNDS = 50


def check(dossier: dict[str, Any], notes: list[ImportNote], origin: dict[tuple[str, str], tuple[str, str]]) -> None:
    from greentrade.io._schemas import validator

    schema = validator("dossier")
    for _ in range(_MAX_ROUNDS):
        if schema.is_valid(dossier):  # the compiled validator: the common case costs one pass
            break
        errors = list(schema.iter_errors(dossier))
        if not errors:
            break
        for err in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path], reverse=True):
            _drop(dossier, list(err.absolute_path), err.message, notes, origin)
    else:  # pragma: no cover - a mapping bug that removing values does not cure
        notes.append(ImportNote("GT-IMPORT-007", "error", "the imported dossier is not valid"))
        return
    _structure_each(dossier, notes, origin)


def _where(dossier: dict[str, Any], path: list[Any], origin: dict[tuple[str, str], tuple[str, str]]
           ) -> tuple[str, str, str]:
    """(file, pointer, entity id) of the source item behind a dossier path."""
    if len(path) >= 2 and path[0] in _COLLECTIONS and isinstance(path[1], int):
        items = dossier.get(path[0], [])
        if path[1] < len(items):
            eid = str(items[path[1]].get("id", ""))
            file, ptr = origin.get((path[0], eid), ("", ""))
            return file, ptr, eid
    return "", "", ""


def _drop(dossier: dict[str, Any], path: list[Any], message: str, notes: list[ImportNote],
          origin: dict[tuple[str, str], tuple[str, str]]) -> None:
    file, ptr, eid = _where(dossier, path, origin)
    if len(path) <= 3 or path[2] == "id":
        _remove_entity(dossier, path[0] if path else "", path[1] if len(path) > 1 else -1)
        what = f"{path[0][:-1] if path else 'entity'} {eid}"
    else:
        parent: Any = dossier
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent, list):
            parent.pop(path[-1])
        elif isinstance(parent, dict):
            parent.pop(path[-1], None)
        what = f"value {pointer(path[2:])} of {path[0][:-1]} {eid}"
    notes.append(ImportNote("GT-IMPORT-004", "warning", f"{what}: {message}: not imported", file, ptr))


def _remove_entity(dossier: dict[str, Any], coll: str, index: int) -> None:
    items = dossier.get(coll, [])
    if not (0 <= index < len(items)):
        return
    gone = items.pop(index).get("id")
    if coll == "products":
        for doc in dossier.get("documents", []):
            doc["products"] = [c for c in doc.get("products", []) if c.get("product") != gone]
            if not doc["products"]:
                del doc["products"]
    elif coll == "parties":
        for e in (*dossier.get("products", []), *dossier.get("documents", [])):
            for key in ("manufacturer", "holder", "issuer"):
                if e.get(key) == gone:
                    del e[key]
            for part in ("carbon_footprint", "epd"):
                ver = e.get(part, {}).get("verification") if isinstance(e.get(part), dict) else None
                if isinstance(ver, dict) and ver.get("provider") == gone:
                    del ver["provider"]


def _structure_each(dossier: dict[str, Any], notes: list[ImportNote],
                    origin: dict[tuple[str, str], tuple[str, str]]) -> None:
    """The core's own checks (check digits, codes), entity by entity: a failing entity is removed."""
    from greentrade.model import _convert
    from greentrade.model._entities import Document, Party, Product

    for coll, cls in (("documents", Document), ("products", Product), ("parties", Party)):
        i = 0
        while i < len(dossier.get(coll, [])):
            entity = dossier[coll][i]
            try:
                _convert.structure(entity, cls)
            except Exception:
                try:
                    _convert.structure_detailed(entity, cls)
                    reason = "not valid"
                except Exception as exc:  # cattrs' grouped errors: their text names the field
                    reason = _reason(exc)
                file, ptr = origin.get((coll, str(entity.get("id"))), ("", ""))
                cut = _cut(entity, cls)
                if cut is not None:  # one value is the problem: it goes, the entity stays
                    dossier[coll][i] = _without(entity, cut)
                    notes.append(ImportNote("GT-IMPORT-004", "warning", f"value {pointer(cut)} of {coll[:-1]} "
                                            f"{entity.get('id')}: {reason}: not imported", file, ptr))
                    continue
                notes.append(ImportNote("GT-IMPORT-004", "warning",
                                        f"{coll[:-1]} {entity.get('id')}: {reason}: not imported", file, ptr))
                _remove_entity(dossier, coll, i)
                continue
            i += 1
    try:
        _convert.structure(dossier)
    except Exception as exc:  # pragma: no cover - references between entities: a mapping bug
        notes.append(ImportNote("GT-IMPORT-007", "error", f"the imported dossier is not valid: {_reason(exc)}"))


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every value's path, deepest first (never the entity's id)."""
    out: list[tuple[Any, ...]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        if path == () and k == "id":
            continue
        out.extend(_paths(v, (*path, k)))
        out.append((*path, k))
    return out


def _without(node: Any, path: tuple[Any, ...]) -> Any:
    import copy

    out = copy.deepcopy(node)
    parent = out
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]
    return out


def _cut(entity: dict[str, Any], cls: type) -> tuple[Any, ...] | None:
    """The one value whose removal makes the entity valid, if there is one."""
    from greentrade.model import _convert

    for path in _paths(entity)[:500]:
        try:
            _convert.structure(_without(entity, path), cls)
        except Exception:
            continue
        return path
    return None


def _reason(exc: BaseException) -> str:
    subs = getattr(exc, "exceptions", None)
    if subs:
        return _reason(subs[0])
    return str(exc) or type(exc).__name__
