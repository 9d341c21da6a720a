"""Self-contained forms of the shipped JSON Schemas, for clients that validate with one file.

The library's schemas refer to each other (``common.schema.json#/$defs/date``, ...). A
bundle copies every schema reachable from the root into the root's ``$defs`` under the
referenced file's name and rewrites each ``$ref`` to a pointer inside the one document, so
that a Java or .NET validator needs no resolver. The OpenAPI document places the same
schemas under ``#/components/schemas/NAME`` with the same rewriting.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from greentrade.io._schemas import BASE_URI, schema, schema_names

__all__ = ["bundle", "components", "reachable"]

_SUFFIX = ".schema.json"


def _split(ref: str, current: str) -> tuple[str, str]:
    """(schema name, fragment) of a ``$ref`` written inside schema `current`."""
    if ref.startswith(BASE_URI):
        ref = ref[len(BASE_URI):]
    doc, _, fragment = ref.partition("#")
    if not doc:
        return current, fragment
    if not doc.endswith(_SUFFIX) or "/" in doc:
        raise ValueError(f"schema {current!r}: reference {ref!r} is not to a shipped schema")
    name = doc.removesuffix(_SUFFIX)
    if name not in schema_names():
        raise ValueError(f"schema {current!r}: reference {ref!r} names no shipped schema")
    return name, fragment


def _refs(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out.append(value)
            else:
                out.extend(_refs(value))
    elif isinstance(node, list):
        for value in node:
            out.extend(_refs(value))
    return out


def reachable(root: str) -> list[str]:
    """`root` and every shipped schema it refers to, directly or not (root first, then by name)."""
    seen = {root}
    todo = [root]
    while todo:
        name = todo.pop()
        for ref in _refs(schema(name)):
            target, _ = _split(ref, name)
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return [root, *sorted(seen - {root})]


def _rewrite(node: Any, current: str, where: Callable[[str], str]) -> Any:
    if isinstance(node, Mapping):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                name, fragment = _split(value, current)
                out[key] = where(name) + fragment
            else:
                out[key] = _rewrite(value, current, where)
        return out
    if isinstance(node, list):
        return [_rewrite(v, current, where) for v in node]
    return copy.deepcopy(node)


def _body(name: str, where: Callable[[str], str]) -> dict[str, Any]:
    doc: dict[str, Any] = {"$comment": f"greentrade's {BASE_URI}{name}{_SUFFIX}, its references rewritten"}
    doc.update(_rewrite(schema(name), name, where))
    doc.pop("$id", None)  # the references are rewritten; an embedded $id would change their base
    doc.pop("$schema", None)
    return doc


def bundle(root: str) -> dict[str, Any]:
    """Schema `root` with every schema it uses under ``$defs["NAME.schema.json"]``."""
    names = reachable(root)

    def where(name: str) -> str:
        return "#" if name == root else f"#/$defs/{name}{_SUFFIX}"

    out = {"$schema": schema(root).get("$schema", "https://json-schema.org/draft/2020-12/schema")}
    out.update(_body(root, where))
    defs = dict(out.get("$defs", {}))
    for name in names[1:]:
        key = name + _SUFFIX
        if key in defs:  # pragma: no cover - the shipped schemas use camelCase $defs keys
            raise ValueError(f"schema {root!r} already has a $defs entry {key!r}")
        defs[key] = _body(name, where)
    if defs:
        out["$defs"] = defs
    return out


def components(roots: list[str]) -> dict[str, dict[str, Any]]:
    """The schemas reachable from `roots`, keyed by name, referring to ``#/components/schemas/NAME``."""
    names = sorted({n for r in roots for n in reachable(r)})

    def where(name: str) -> str:
        return f"#/components/schemas/{name}"

    return {name: _body(name, where) for name in names}
