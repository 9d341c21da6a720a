"""Self-contained forms of the shipped JSON Schemas, for clients that validate with one file.

The library's schemas refer to each other (``common.schema.json#/$defs/date``, ...). A
bundle copies every schema reachable from the root into the root's ``$defs`` under the
referenced file's name and rewrites each ``$ref`` to a pointer inside the one document, so
that a Java or .NET validator needs no resolver. The OpenAPI document names each schema and
each of its ``$defs`` once under ``#/components/schemas`` (`components`), in the forms code
generators read.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from greentrade.io._schemas import BASE_URI, schema, schema_names

__all__ = ["bundle", "component_name", "components", "reachable"]

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


def component_name(name: str, definition: str | None = None) -> str:
    """The OpenAPI component name of shipped schema `name` (``dossier-1`` -> ``Dossier1``) or of
    one of its ``$defs`` (``common``, ``hsCode`` -> ``CommonHsCode``)."""
    parts = [*name.split("-"), *([definition] if definition else [])]
    return "".join(p[:1].upper() + p[1:] for p in parts)


def _definition(fragment: str, current: str) -> str | None:
    """The ``$defs`` key a fragment names (``/$defs/date``), None for the whole schema."""
    if fragment in ("", "/"):
        return None
    head, _, key = fragment.removeprefix("/").partition("/")
    if head != "$defs" or not key or "/" in key:
        raise ValueError(f"schema {current!r}: reference fragment {fragment!r} is not a $defs entry")
    return key


def _branches(node: Mapping[str, Any], current: str, ref: Callable[[str, str], str]) -> dict[str, Any]:
    """``if``/``then``/``else`` as the ``oneOf`` that code generators read.

    Two forms occur in the shipped schemas, and both are exactly a ``oneOf``: a test of one
    property's ``const`` whose branches are whole schemas fixing that property (the dossier's
    ``format``: a ``discriminator`` too), and a test of the JSON type (``declaredUnit``).
    """
    test, then, other = node["if"], node.get("then"), node.get("else")
    rest = {k: v for k, v in node.items() if k not in ("if", "then", "else")}
    if then is None or other is None:
        raise ValueError(f"schema {current!r}: an 'if' without both 'then' and 'else'")
    props = test.get("properties", {})
    if len(props) == 1 and set(test) <= {"type", "required", "properties"} and "$ref" in then and "$ref" in other:
        (prop, cond), = props.items()
        if set(cond) == {"const"} and test.get("required") == [prop]:
            mapping: dict[str, str] = {}
            raw: dict[str, str] = {}
            for branch in (then, other):
                target, fragment = _split(branch["$ref"], current)
                key = _definition(fragment, target)
                body = schema(target) if key is None else schema(target)["$defs"][key]
                value = body.get("properties", {}).get(prop, {}).get("const")
                if not isinstance(value, str) or prop not in body.get("required", ()):
                    raise ValueError(f"schema {current!r}: branch {branch['$ref']!r} does not fix {prop!r}")
                mapping[value], raw[value] = ref(branch["$ref"], current), branch["$ref"]
            if raw.get(cond["const"]) != then["$ref"]:
                raise ValueError(f"schema {current!r}: 'then' does not have {prop!r} = {cond['const']!r}")
            # The branches' $refs are rewritten by the caller; the mapping's values are final.
            return {**rest, "type": "object", "oneOf": [{"$ref": raw[k]} for k in sorted(raw)],
                    "discriminator": {"propertyName": prop, "mapping": dict(sorted(mapping.items()))}}
    if set(test) == {"type"} and isinstance(test["type"], str) and other.get("type") not in (None, test["type"]):
        return {**rest, "oneOf": [then, other]}
    raise ValueError(f"schema {current!r}: an 'if' of a form the OpenAPI conversion does not know: {test!r}")


def _openapi(node: Any, current: str, ref: Callable[[str, str], str]) -> Any:
    if isinstance(node, Mapping):
        if "if" in node:
            node = _branches(node, current, ref)
        values = [node["const"]] if "const" in node else node.get("enum")
        if "type" not in node and isinstance(values, list) and values and all(isinstance(v, str) for v in values):
            node = {"type": "string", **node}  # generators type a const or an enum by its `type`
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = ref(value, current)
            elif key == "$defs" or key in ("$id", "$schema", "$comment"):
                continue
            elif key in ("properties", "patternProperties", "discriminator"):
                out[key] = {k: _openapi(v, current, ref) if key != "discriminator" else copy.deepcopy(v)
                            for k, v in value.items()}
            else:
                out[key] = _openapi(value, current, ref)
        return out
    if isinstance(node, list):
        return [_openapi(v, current, ref) for v in node]
    return copy.deepcopy(node)


def components(roots: list[str]) -> dict[str, dict[str, Any]]:
    """The schemas reachable from `roots` as OpenAPI components, each once under its own name.

    Every shipped schema becomes ``#/components/schemas/NAME`` and every entry of its
    ``$defs`` a component of its own (`component_name`), so that no ``$ref`` points into
    another schema's ``$defs``; ``if``/``then``/``else`` becomes ``oneOf`` (`_branches`).
    """
    names = sorted({n for r in roots for n in reachable(r)})

    def ref(value: str, current: str) -> str:
        target, fragment = _split(value, current)
        return "#/components/schemas/" + component_name(target, _definition(fragment, current))

    out: dict[str, dict[str, Any]] = {}

    def add(key: str, body: dict[str, Any]) -> None:
        if key in out:
            raise ValueError(f"two schemas would be the component {key!r}")
        out[key] = body

    for name in names:
        doc = schema(name)
        for key, body in doc.get("$defs", {}).items():
            add(component_name(name, key), _untitled(_openapi(body, name, ref)))
        add(component_name(name), _untitled(_openapi(doc, name, ref)))
    for key in list(out):
        _hoist_enum_items(key, out[key], add)
    return dict(sorted(out.items()))


def _hoist_enum_items(owner: str, node: Any, add: Callable[[str, dict[str, Any]], None]) -> None:
    """An array property whose items are an inline enum gets its item type as a component of its
    own (``PartyRolesItem``): OpenAPI Generator's Java client does not compile with an inline one."""
    if isinstance(node, dict):
        for prop, sub in node.get("properties", {}).items():
            items = sub.get("items") if isinstance(sub, dict) else None
            if isinstance(items, dict) and "enum" in items and "$ref" not in items:
                key = owner + component_name(prop.replace("_", "-")) + "Item"
                add(key, items)
                sub["items"] = {"$ref": "#/components/schemas/" + key}
        for key, value in node.items():
            if key == "properties":
                for prop, sub in value.items():
                    _hoist_enum_items(owner + component_name(prop.replace("_", "-")), sub, add)
            elif key in ("items", "oneOf", "anyOf", "allOf"):
                for sub in value if isinstance(value, list) else [value]:
                    _hoist_enum_items(owner, sub, add)


def _untitled(body: dict[str, Any]) -> dict[str, Any]:
    """A component without its ``title`` (generators would name the class after the title rather
    than the unique component name); the title leads the description instead."""
    title = body.pop("title", None)
    if title:
        body["description"] = f"{title}. {body['description']}" if body.get("description") else title
    return body
