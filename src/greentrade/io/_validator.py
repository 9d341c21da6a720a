"""Validating JSON against a schema whose `$ref`s resolve in a local registry.

All `$ref`s resolve inside a `referencing.Registry` built from package data; nothing is
ever fetched over the network (an unknown reference is an error, not a download).

The reference `jsonschema` implementation is imported only when it is needed (to explain
invalid input, or when the compiled validator is not installed): importing it costs more
than the rest of greentrade's import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from greentrade.io._explain import REF_SIBLINGS as _REF_SIBLINGS
from greentrade.io._explain import iter_errors
from greentrade.io._registry import accelerator, core_ids, core_rs_registry, core_schemas

if TYPE_CHECKING:
    import jsonschema
    import referencing

__all__ = ["SchemaValidator", "ecma_pattern"]


@functools.lru_cache(maxsize=512)
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """A JSON Schema (ECMA-262) pattern compiled for Python's `re`, with ECMA's meaning of
    ``$``: the end of the text. Python's ``$`` also matches before a final newline, so that
    ``"^[A-Z]{2}$"`` would accept ``"CN\\n"``; here every ``$`` outside a character class
    becomes ``\\Z``."""
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "$":
            out.append(r"\Z")
            continue
        out.append(ch)
    return re.compile("".join(out))


def _pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Iterator[jsonschema.ValidationError]:
    if validator.is_type(instance, "string") and not ecma_pattern(patrn).search(instance):
        import jsonschema

        yield jsonschema.ValidationError(f"{instance!r} does not match {patrn!r}")


def _pattern_properties(validator: Any, properties: Mapping[str, Any], instance: Any,
                        schema: Any) -> Iterator[jsonschema.ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for patrn, subschema in properties.items():
        for k, v in instance.items():
            if ecma_pattern(patrn).search(k):
                yield from validator.descend(v, subschema, path=k, schema_path=patrn)


@functools.cache
def _draft202012() -> Any:
    """Draft 2020-12 with ECMA-262 anchors in ``pattern`` and ``patternProperties`` (the
    reference validator then agrees with the compiled one on text with a final newline).
    Built on first use, so that `jsonschema` is imported only when it is needed."""
    import jsonschema

    return jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator,
        {"pattern": _pattern, "patternProperties": _pattern_properties, "uniqueItems": _unique_items},
    )


def _canonical(value: Any) -> Any:
    """A hashable form under JSON Schema equality: 1 and 1.0 are equal, true and 1 are not."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", value)
    if isinstance(value, Mapping):
        return ("object", frozenset((k, _canonical(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("array", tuple(_canonical(v) for v in value))
    return ("other", repr(value))  # pragma: no cover - not JSON


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[jsonschema.ValidationError]:
    """``uniqueItems`` in linear time (jsonschema compares unsortable items pairwise: quadratic,
    which a large array of objects turns into hours)."""
    if not unique or not validator.is_type(instance, "array"):
        return
    seen: set[Any] = set()
    for item in instance:
        key = _canonical(item)
        if key in seen:
            import jsonschema

            yield jsonschema.ValidationError(f"{instance!r} has non-unique elements")
            return
        seen.add(key)


def _no_network(uri: str) -> referencing.Resource[Any]:
    import referencing.exceptions

    raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]


def _no_dialect(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    # jsonschema picks the validator class by a resource's "$schema" when it follows a $ref,
    # which would drop the ECMA pattern semantics of `_Draft202012` there; every schema
    # here is Draft 2020-12 anyway.
    return {k: v for k, v in schema.items() if k != "$schema"} if "$schema" in schema else schema


class SchemaValidator:
    """Validates instances against a schema whose references resolve in a local registry.

    `is_valid` uses the compiled jsonschema-rs validator when it is installed (the fast path
    for valid input); `iter_errors` always yields the reference `jsonschema` implementation's
    errors, whose messages and paths make the findings. To keep invalid input cheap and
    bounded, `iter_errors` is lazy and the compiled validator finds where the instance fails
    (`greentrade.io._explain`): the walk descends only into the properties and array items the
    compiled validator refuses, and the reference validator explains a node's own keywords and
    the leaves, in document order. Where the schema has applicators that could tie a subtree to
    its surroundings (``oneOf``, ``if``, ``unevaluatedProperties``...), the walk stops above them
    and explains that subtree whole. A caller that takes the first N errors pays for N errors,
    whatever the size of the instance.
    """

    def __init__(self, root: Mapping[str, Any], extra: Iterable[Mapping[str, Any]] = ()) -> None:
        self._resources = [
            (s["$id"], s) for s in [*core_schemas().values(), *extra] if "$id" in s
        ]
        if isinstance(root.get("$id"), str) and root["$id"] not in dict(self._resources):
            self._resources.append((root["$id"], root))  # so that subschemas of the root can be named
        self.root = root
        self._reference_validator: jsonschema.Draft202012Validator | None = None
        self._subvalidators: dict[Any, jsonschema.Draft202012Validator] = {}
        self._registry: referencing.Registry[Any] | None = None
        self._dispatch = _dispatch(root)
        self._extra = tuple(extra)
        self._children: dict[str, SchemaValidator] = {}
        self._fast: Any = None
        #: The compiled registry and validators of the walk (`_explain`), by URI or node.
        self._rs_registry: Any = None
        self._fast_parts: dict[Any, Any] = {}
        _rs = accelerator()
        if _rs is not None:
            try:
                core_only = not extra and all(uri in core_ids() for uri, _ in self._resources
                                              if uri != root.get("$id"))
                rs_registry = (core_rs_registry() if core_only
                               else _rs.Registry([(uri, dict(s)) for uri, s in self._resources]))
                self._fast = _rs.Draft202012Validator(
                    dict(root), registry=rs_registry, validate_formats=False
                )
                self._rs_registry = rs_registry
            except Exception:  # pragma: no cover - fall back to the reference implementation
                self._fast = None

    @property
    def _reference(self) -> jsonschema.Draft202012Validator:
        """The reference validator, built (and `jsonschema` imported) on first use."""
        if self._reference_validator is None:
            import referencing
            from referencing.jsonschema import DRAFT202012

            registry: referencing.Registry[Any] = referencing.Registry(retrieve=_no_network)  # type: ignore[call-arg]
            self._registry = registry.with_resources(
                (uri, DRAFT202012.create_resource(_no_dialect(s))) for uri, s in self._resources
            )
            self._reference_validator = _draft202012()(_no_dialect(self.root), registry=self._registry)
        return self._reference_validator

    def is_valid(self, instance: Any) -> bool:
        if self._fast is not None:
            try:
                return bool(self._fast.is_valid(instance))
            except Exception:  # pragma: no cover - e.g. integers beyond 64 bits
                pass
        return bool(self._reference.is_valid(instance))

    def iter_errors(self, instance: Any) -> Iterator[jsonschema.ValidationError]:
        """The reference validator's errors, found lazily where the compiled validator says the
        instance fails (`greentrade.io._explain`)."""
        return iter_errors(self, instance)

    # -- locating failures with the compiled validator --------------------------------------
    def _validator_for(self, schema_: Any) -> jsonschema.Draft202012Validator:
        """A reference validator for a ``$ref`` URI into the registry, or for a schema object.
        A URI whose subschema has no references of its own gets a validator of that subschema
        directly: the same keywords and messages, without a registry lookup per call."""

        key = schema_ if isinstance(schema_, str) else id(schema_)
        found = self._subvalidators.get(key)
        if found is None:
            self._reference  # noqa: B018 - builds the registry
            assert self._registry is not None
            target = schema_
            if isinstance(schema_, str):
                leaf = self._resolve(schema_)
                target = leaf if leaf is not None and not _has_ref(leaf) else {"$ref": schema_}
            if isinstance(target, Mapping):
                target = _no_dialect(target)
            found = _draft202012()(target, registry=self._registry)
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

    def _branch(self, instance: Any) -> SchemaValidator | None:
        """For a root that only selects a schema by a property's value (``if`` that property
        is ``const`` C ``then`` schema A ``else`` schema B, as the dossier does by its
        ``format``), the validator of the schema this instance selects; otherwise None."""
        if self._dispatch is None:
            return None
        key, const, then_uri, else_uri = self._dispatch
        uri = then_uri if isinstance(instance, Mapping) and key in instance and instance[key] == const else else_uri
        child = self._children.get(uri)
        if child is None:
            target = dict(self._resources).get(uri)
            if target is None:
                return None
            child = self._children[uri] = SchemaValidator(target, self._extra)
        return child


def _has_ref(node: Any) -> bool:
    if isinstance(node, Mapping):
        return any(k in ("$ref", "$dynamicRef", "$id") or _has_ref(v) for k, v in node.items())
    if isinstance(node, list):
        return any(_has_ref(v) for v in node)
    return False


def _dispatch(root: Mapping[str, Any]) -> tuple[str, Any, str, str] | None:
    """(property, value, then-URI, else-URI) for a root of the form ``{"if": {"required":
    [p], "properties": {p: {"const": v}}}, "then": {"$ref": A}, "else": {"$ref": B}}`` (beside
    annotations); None for any other root."""
    from urllib.parse import urljoin

    base, cond, then, else_ = root.get("$id"), root.get("if"), root.get("then"), root.get("else")
    if not isinstance(base, str) or set(root) - _REF_SIBLINGS - {"$schema", "$id", "if", "then", "else"}:
        return None
    if not (isinstance(cond, Mapping) and isinstance(then, Mapping) and isinstance(else_, Mapping)):
        return None
    props, required = cond.get("properties"), cond.get("required")
    if (set(cond) - {"type", "required", "properties"} or not isinstance(props, Mapping) or len(props) != 1
            or required != list(props)):
        return None
    ((key, test),) = props.items()
    if not (isinstance(test, Mapping) and set(test) == {"const"}):
        return None
    if set(then) != {"$ref"} or set(else_) != {"$ref"}:
        return None
    return key, test["const"], urljoin(base, then["$ref"]), urljoin(base, else_["$ref"])
