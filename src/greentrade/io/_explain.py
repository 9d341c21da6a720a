"""Explaining invalid input lazily, where the compiled validator says it fails.

`iter_errors` yields the reference validator's errors for an instance, without ever asking for
all of them at once: the compiled validator (jsonschema-rs) answers "valid?" for each property
and array item on the way down, the walk descends only into the parts it refuses, and the
reference validator explains the failing node's own keywords (with its properties and items
left out) and the failing leaves. A caller that stops after N errors has paid for about N
errors: ``"parties": [{}] * 10**6`` costs its first thousand errors, not its three million.

The walk follows plain ``$ref``s and descends through ``properties`` and ``items``; a node with
applicators that tie a subtree to its surroundings (``oneOf``, ``if``, ``patternProperties``...),
a ``$ref`` with other keywords beside it, or a schema-valued ``additionalProperties`` is explained
whole by the reference validator (bounded by the size of that subtree).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin

from greentrade.io._registry import accelerator

if TYPE_CHECKING:
    import jsonschema

    from greentrade.io._validator import SchemaValidator

__all__ = ["REF_SIBLINGS", "iter_errors"]

# Keywords that may stand beside a $ref we follow (annotations only), and applicators that
# tie a subtree's validity to more than its own subschema (the walk stops above them).
REF_SIBLINGS = frozenset({"$ref", "title", "description", "$comment", "examples", "default", "deprecated"})
_UNSAFE = frozenset({
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "dependentRequired",
    "patternProperties", "unevaluatedProperties", "unevaluatedItems", "prefixItems", "contains",
    "propertyNames", "$dynamicRef", "$recursiveRef", "$anchor", "$dynamicAnchor",
})


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def iter_errors(v: SchemaValidator, instance: Any) -> Iterator[jsonschema.ValidationError]:
    branch = v._branch(instance)
    if branch is not None:
        yield from iter_errors(branch, instance)
        return
    if v._fast is None or v._rs_registry is None or not isinstance(v.root.get("$id"), str):
        yield from v._reference.iter_errors(instance)  # the reference validator is lazy too
        return
    try:
        if v._fast.is_valid(instance):
            return
    except Exception:  # pragma: no cover - e.g. integers beyond 64 bits: explain it all
        yield from v._reference.iter_errors(instance)
        return
    yield from _descend(v, instance, (), f"{v.root['$id']}#", v.root)


def _resolved(v: SchemaValidator, uri: str, node: Any) -> tuple[str, Any, bool]:
    """Follow plain ``$ref``s (only annotations beside them) from `node` at `uri`; and whether
    the walk may descend into the node found (`_safe`). The node a URI names never changes:
    the answer is kept on `v`."""
    key = ("resolved", uri)
    found = v._fast_parts.get(key)
    if found is None:
        uri, node = _resolve(v, uri, node)
        found = v._fast_parts[key] = (uri, node, node is not None and _safe(node))
    return found


def _resolve(v: SchemaValidator, uri: str, node: Any) -> tuple[str, Any]:
    by_uri = dict(v._resources)
    for _ in range(16):
        if not (isinstance(node, Mapping) and "$ref" in node and set(node) <= REF_SIBLINGS):
            return uri, node
        base = urldefrag(uri)[0]
        target = urljoin(base, node["$ref"])
        doc, fragment = urldefrag(target)
        found: Any = by_uri.get(doc)
        if found is None or (fragment and not fragment.startswith("/")):
            return uri, None
        for token in [t for t in fragment.split("/") if t]:
            token = token.replace("~1", "/").replace("~0", "~")
            if not isinstance(found, Mapping) or token not in found:
                return uri, None
            found = found[token]
        uri, node = f"{doc}#{fragment}", found
    return uri, None  # pragma: no cover - a chain of 16 references


def _fast(v: SchemaValidator, key: Any, schema: Mapping[str, Any]) -> Any:
    """The compiled validator of a subschema (cached on `v` by `key`), or None."""
    found = v._fast_parts.get(key)
    if found is None:
        rs = accelerator()
        try:
            found = rs.Draft202012Validator(dict(schema), registry=v._rs_registry, validate_formats=False)
        except Exception:  # pragma: no cover - a subschema jsonschema-rs cannot compile alone
            found = False
        v._fast_parts[key] = found
    return found or None


def _valid(v: SchemaValidator, uri: str, instance: Any) -> bool:
    check = v._fast_parts.get(uri) or _fast(v, uri, {"$ref": uri})
    if check is None:  # pragma: no cover - see _fast
        return False
    try:
        return bool(check.is_valid(instance))
    except Exception:  # pragma: no cover - e.g. integers beyond 64 bits: look closer
        return False


def _shallow(v: SchemaValidator, uri: str, node: Mapping[str, Any]) -> Mapping[str, Any]:
    """`node` with its property and item schemas replaced by ``true``: its own keywords only."""
    key = ("shallow", uri)
    found = v._fast_parts.get(key)
    if found is None:
        found = dict(node)
        if isinstance(node.get("properties"), Mapping):
            found["properties"] = {k: True for k in node["properties"]}
        if "items" in node:
            found["items"] = True
        v._fast_parts[key] = found
    return found


def _safe(node: Any) -> bool:
    return (isinstance(node, Mapping) and not set(node) & _UNSAFE and "$ref" not in node
            and not isinstance(node.get("additionalProperties"), Mapping))


def _prefixed(errors: Iterator[jsonschema.ValidationError], path: tuple[Any, ...]
              ) -> Iterator[jsonschema.ValidationError]:
    for err in errors:
        err.relative_path.extendleft(reversed(path))
        yield err


def _children(v: SchemaValidator, uri: str, props: Mapping[str, Any] | None) -> dict[str, str]:
    """The URIs of the property schemas of the node at `uri` (of its ``items`` schema, under
    ``""``, when `props` is None), kept on `v`."""
    key = ("children" if props is not None else "items", uri)
    found = v._fast_parts.get(key)
    if found is None:
        doc, fragment = urldefrag(uri)
        found = ({"": f"{doc}#{fragment}/items"} if props is None
                 else {k: f"{doc}#{fragment}/properties/{_escape(k)}" for k in props})
        v._fast_parts[key] = found
    return found


def _descend(v: SchemaValidator, instance: Any, path: tuple[Any, ...], uri: str,
             node: Any) -> Iterator[jsonschema.ValidationError]:
    """The errors of `instance` (at `path`) against `node` (at `uri`), which the compiled
    validator refuses; depth-first, in document order."""
    uri, node, safe = _resolved(v, uri, node)
    if not safe or not isinstance(instance, dict | list):
        yield from _prefixed(v._validator_for(uri).iter_errors(instance), path)
        return
    shallow = _shallow(v, uri, node)
    check = v._fast_parts.get(("fast-shallow", uri)) or _fast(
        v, ("fast-shallow", uri), {k: x for k, x in shallow.items() if k not in ("$id", "$schema")})
    if check is None or not check.is_valid(instance):
        yield from _prefixed(v._validator_for(shallow).iter_errors(instance), path)
    if isinstance(instance, dict) and isinstance(node.get("properties"), Mapping):
        props = node["properties"]
        children = _children(v, uri, props)
        for key, value in instance.items():
            child = children.get(key)
            if child is not None and not _valid(v, child, value):
                yield from _descend(v, value, (*path, key), child, props[key])
    elif isinstance(instance, list) and isinstance(node.get("items"), Mapping):
        child = _children(v, uri, None)[""]
        for i, item in enumerate(instance):
            if not _valid(v, child, item):
                yield from _descend(v, item, (*path, i), child, node["items"])
