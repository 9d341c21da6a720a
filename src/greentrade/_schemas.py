"""JSON Schemas shipped with greentrade, loaded through importlib.resources.

All `$ref`s resolve inside a `referencing.Registry` built from package data; nothing is
ever fetched over the network (an unknown reference is an error, not a download).

The reference `jsonschema` implementation is imported only when it is needed (to explain
invalid input, or when the compiled validator is not installed): importing it costs more
than the rest of greentrade's import.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema
    import referencing

__all__ = [
    "BASE_URI",
    "SchemaValidator",
    "schema",
    "schema_names",
    "validator",
]

BASE_URI = "https://greentrade.dev/schemas/v1/"

@functools.cache
def _accelerator() -> Any:
    """The jsonschema-rs module, or None; imported on first use (it costs 20-40 ms to import)."""
    try:  # pragma: no cover - exercised when the accelerator is installed
        import jsonschema_rs
    except ImportError:  # pragma: no cover
        return None
    return jsonschema_rs


def _no_network(uri: str) -> referencing.Resource[Any]:
    import referencing.exceptions

    raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]


@functools.cache
def _core_schemas() -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for entry in resources.files("greentrade").joinpath("schemas").iterdir():
        if entry.name.endswith(".schema.json"):
            found[entry.name.removesuffix(".schema.json")] = json.loads(entry.read_text("utf-8"))
    return found


def schema_names() -> list[str]:
    """Names accepted by `schema` and `greentrade schema NAME`."""
    return sorted(_core_schemas())


def schema(name: str) -> Mapping[str, Any]:
    """One of the core schemas by name (``dossier``, ``report``, ``party``, ...)."""
    try:
        return _core_schemas()[name]
    except KeyError:
        raise KeyError(f"no schema named {name!r}; known: {', '.join(schema_names())}") from None


class SchemaValidator:
    """Validates instances against a schema whose references resolve in a local registry.

    `is_valid` uses the compiled jsonschema-rs validator when it is installed (the fast path
    for valid input); `iter_errors` always yields the reference `jsonschema` implementation's
    errors, whose messages and paths make the findings. To keep invalid input cheap, the
    compiled validator first finds where the instance fails, and the reference validator
    explains only those subtrees (an array item around each failure, or the root's own
    keywords), against the subschema at that location; errors come grouped by subtree, in
    document order. Where the schema has applicators that could tie a subtree to its
    surroundings (``oneOf``, ``if``, ``unevaluatedProperties``...), the walk stops above them.
    """

    def __init__(self, root: Mapping[str, Any], extra: Iterable[Mapping[str, Any]] = ()) -> None:
        self._resources = [
            (s["$id"], s) for s in [*_core_schemas().values(), *extra] if "$id" in s
        ]
        if isinstance(root.get("$id"), str) and root["$id"] not in dict(self._resources):
            self._resources.append((root["$id"], root))  # so that subschemas of the root can be named
        self.root = root
        self._reference_validator: jsonschema.Draft202012Validator | None = None
        self._subvalidators: dict[Any, jsonschema.Draft202012Validator] = {}
        self._registry: referencing.Registry[Any] | None = None
        self._shallow = _without_descent(root)
        self._walks: dict[tuple[Any, ...], tuple[int, str]] = {}
        self._fast: Any = None
        _rs = _accelerator()
        if _rs is not None:
            try:
                core_only = not extra and all(uri in _core_ids() for uri, _ in self._resources
                                              if uri != root.get("$id"))
                rs_registry = (_core_rs_registry() if core_only
                               else _rs.Registry([(uri, dict(s)) for uri, s in self._resources]))
                self._fast = _rs.Draft202012Validator(
                    dict(root), registry=rs_registry, validate_formats=False
                )
            except Exception:  # pragma: no cover - fall back to the reference implementation
                self._fast = None

    @property
    def _reference(self) -> jsonschema.Draft202012Validator:
        """The reference validator, built (and `jsonschema` imported) on first use."""
        if self._reference_validator is None:
            import jsonschema
            import referencing
            from referencing.jsonschema import DRAFT202012

            registry: referencing.Registry[Any] = referencing.Registry(retrieve=_no_network)  # type: ignore[call-arg]
            self._registry = registry.with_resources(
                (uri, DRAFT202012.create_resource(s)) for uri, s in self._resources
            )
            self._reference_validator = jsonschema.Draft202012Validator(self.root, registry=self._registry)
        return self._reference_validator

    def is_valid(self, instance: Any) -> bool:
        if self._fast is not None:
            try:
                return bool(self._fast.is_valid(instance))
            except Exception:  # pragma: no cover - e.g. integers beyond 64 bits
                pass
        return bool(self._reference.is_valid(instance))

    def iter_errors(self, instance: Any) -> Iterator[jsonschema.ValidationError]:
        plan = self._failing_subtrees(instance)
        if plan is None:
            yield from self._reference.iter_errors(instance)
            return
        roots, shallow = plan
        if shallow is not None:  # errors of the root object itself, without descending
            yield from self._validator_for(shallow).iter_errors(instance)
        for path, ref in roots:
            sub = instance
            for part in path:
                sub = sub[part]
            for err in self._validator_for(ref).iter_errors(sub):
                err.relative_path.extendleft(reversed(path))
                yield err

    # -- locating failures with the compiled validator --------------------------------------
    def _validator_for(self, schema_: Any) -> jsonschema.Draft202012Validator:
        """A reference validator for a ``$ref`` URI into the registry, or for a schema object.
        A URI whose subschema has no references of its own gets a validator of that subschema
        directly: the same keywords and messages, without a registry lookup per call."""
        import jsonschema

        key = schema_ if isinstance(schema_, str) else id(schema_)
        found = self._subvalidators.get(key)
        if found is None:
            self._reference  # noqa: B018 - builds the registry
            assert self._registry is not None
            target = schema_
            if isinstance(schema_, str):
                leaf = self._resolve(schema_)
                target = leaf if leaf is not None and not _has_ref(leaf) else {"$ref": schema_}
            found = jsonschema.Draft202012Validator(target, registry=self._registry)
            self._subvalidators[key] = found
        return found

    def _resolve(self, uri: str) -> Any:
        """The subschema a URI names, through plain $refs; None if it cannot be followed."""
        from urllib.parse import urldefrag, urljoin

        by_uri = dict(self._resources)
        for _ in range(16):
            base, fragment = urldefrag(uri)
            node: Any = by_uri.get(base)
            if node is None or (fragment and not fragment.startswith("/")):
                return None
            for token in [t for t in fragment.split("/") if t]:
                token = token.replace("~1", "/").replace("~0", "~")
                if not isinstance(node, Mapping) or token not in node:
                    return None
                node = node[token]
            if isinstance(node, Mapping) and "$ref" in node and set(node) <= _REF_SIBLINGS:
                uri = urljoin(base, node["$ref"])
                continue
            return node
        return None

    def _failing_subtrees(
        self, instance: Any
    ) -> tuple[list[tuple[tuple[Any, ...], str]], Mapping[str, Any] | None] | None:
        """The subtrees to explain: [(instance path, $ref URI of its subschema)], and the root
        schema without descent when the root object itself fails; None to explain it all."""
        if self._fast is None or not isinstance(self.root.get("$id"), str):
            return None
        try:
            paths = {tuple(e.instance_path) for e in self._fast.iter_errors(instance)}
        except Exception:  # pragma: no cover - e.g. integers beyond 64 bits
            return None
        if not paths:
            return None
        roots: dict[tuple[Any, ...], str] = {}
        shallow: Mapping[str, Any] | None = None
        for path in paths:
            if not path:
                shallow = self._shallow
                if shallow is None:
                    return None
                continue
            depth, ref = self._walk(tuple(0 if isinstance(p, int) else p for p in path))
            if not depth:  # no safe subschema below the root: explain the whole instance
                return None
            roots[path[:depth]] = ref
        ordered = sorted(roots.items(), key=lambda kv: _path_key(kv[0]))
        kept: list[tuple[tuple[Any, ...], str]] = []
        seen: set[tuple[Any, ...]] = set()
        for path, ref in ordered:  # a subtree inside another one is explained with it
            if not any(path[:i] in seen for i in range(1, len(path) + 1)):
                kept.append((path, ref))
                seen.add(path)
        return kept, shallow

    def _walk(self, path: tuple[Any, ...]) -> tuple[int, str]:
        """Follow `path` (array indexes as 0) through the schema (properties, items, plain
        $refs) as deep as it is safe; return how many steps were taken and the $ref URI of
        the subschema reached. Cached: the schema does not depend on the index values."""
        found = self._walks.get(path)
        if found is None:
            reached, ref = self._walk_uncached(path)
            if len(self._walks) > 4096:  # bounded: paths come from the schema's own names
                self._walks.clear()
            found = self._walks[path] = (len(reached), ref)
        return found

    def _walk_uncached(self, path: tuple[Any, ...]) -> tuple[tuple[Any, ...], str]:
        from urllib.parse import urldefrag, urljoin

        by_uri = dict(self._resources)
        base: str = self.root["$id"]
        node: Any = self.root
        pointer = ""
        reached: tuple[Any, ...] = ()
        ref = f"{base}#"
        for part in path:
            for _ in range(16):  # plain $refs (with only annotations beside them)
                if not (isinstance(node, Mapping) and "$ref" in node and set(node) <= _REF_SIBLINGS):
                    break
                uri, fragment = urldefrag(urljoin(base, node["$ref"]))
                target = by_uri.get(uri)
                if target is None:
                    return reached, ref
                base, node, pointer = uri, target, ""
                for token in [t for t in fragment.split("/") if t] if fragment.startswith("/") else []:
                    token = token.replace("~1", "/").replace("~0", "~")
                    if not isinstance(node, Mapping) or token not in node:
                        return reached, ref
                    node, pointer = node[token], f"{pointer}/{_escape(token)}"
                if fragment and not fragment.startswith("/"):
                    return reached, ref
            if not isinstance(node, Mapping) or set(node) & _UNSAFE or "$ref" in node:
                return reached, ref
            if isinstance(node.get("additionalProperties"), Mapping):
                return reached, ref
            if isinstance(part, str) and isinstance(node.get("properties"), Mapping) and part in node["properties"]:
                node, pointer = node["properties"][part], f"{pointer}/properties/{_escape(part)}"
            elif isinstance(part, int) and isinstance(node.get("items"), Mapping):
                node, pointer = node["items"], f"{pointer}/items"
            else:
                return reached, ref
            reached, ref = (*reached, part), f"{base}#{pointer}"
        return reached, ref


# Keywords that may stand beside a $ref we follow (annotations only), and applicators that
# tie a subtree's validity to more than its own subschema (the walk stops above them).
_REF_SIBLINGS = frozenset({"$ref", "title", "description", "$comment", "examples", "default", "deprecated"})
_UNSAFE = frozenset({
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "dependentRequired",
    "patternProperties", "unevaluatedProperties", "unevaluatedItems", "prefixItems", "contains",
    "propertyNames", "$dynamicRef", "$recursiveRef", "$anchor", "$dynamicAnchor",
})


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _has_ref(node: Any) -> bool:
    if isinstance(node, Mapping):
        return any(k in ("$ref", "$dynamicRef", "$id") or _has_ref(v) for k, v in node.items())
    if isinstance(node, list):
        return any(_has_ref(v) for v in node)
    return False


def _path_key(path: tuple[Any, ...]) -> tuple[tuple[int, Any], ...]:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in path)


def _without_descent(root: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The root schema with every property schema replaced by ``true``: it checks the root
    object's own keywords (type, required, additionalProperties...) and nothing below."""
    if set(root) & _UNSAFE or "$ref" in root or "items" in root:
        return None
    if isinstance(root.get("additionalProperties"), Mapping):
        return None
    out = dict(root)
    if isinstance(root.get("properties"), Mapping):
        out["properties"] = {k: True for k in root["properties"]}
    return out


@functools.cache
def _core_ids() -> frozenset[str]:
    return frozenset(s["$id"] for s in _core_schemas().values() if "$id" in s)


@functools.cache
def _core_rs_registry() -> Any:
    """One compiled registry of the core schemas, shared by validators that need no others."""
    rs = _accelerator()
    return rs.Registry([(s["$id"], dict(s)) for s in _core_schemas().values() if "$id" in s])


@functools.cache
def validator(name: str) -> SchemaValidator:
    """A cached validator for one of the core schemas (they are immutable package data)."""
    return SchemaValidator(schema(name))
