"""JSON Schemas shipped with greentrade, loaded through importlib.resources.

All `$ref`s resolve inside a `referencing.Registry` built from package data; nothing is
ever fetched over the network (an unknown reference is an error, not a download).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from typing import Any

import jsonschema
import referencing
import referencing.exceptions
from referencing.jsonschema import DRAFT202012

__all__ = [
    "BASE_URI",
    "SchemaValidator",
    "schema",
    "schema_names",
    "validator",
]

BASE_URI = "https://greentrade.dev/schemas/v1/"

_rs: Any
try:  # pragma: no cover - exercised when the accelerator is installed
    import jsonschema_rs as _rs
except ImportError:  # pragma: no cover
    _rs = None


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
        yield jsonschema.ValidationError(f"{instance!r} does not match {patrn!r}")


def _pattern_properties(validator: Any, properties: Mapping[str, Any], instance: Any,
                        schema: Any) -> Iterator[jsonschema.ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for patrn, subschema in properties.items():
        for k, v in instance.items():
            if ecma_pattern(patrn).search(k):
                yield from validator.descend(v, subschema, path=k, schema_path=patrn)


#: Draft 2020-12 with ECMA-262 anchors in ``pattern`` and ``patternProperties`` (the
#: reference validator then agrees with the compiled one on text with a final newline).
_Draft202012: Any = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator, {"pattern": _pattern, "patternProperties": _pattern_properties}
)


def _no_network(uri: str) -> referencing.Resource[Any]:
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


def _no_dialect(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    # jsonschema picks the validator class by a resource's "$schema" when it follows a $ref,
    # which would drop the ECMA pattern semantics of `_Draft202012` there; every schema
    # here is Draft 2020-12 anyway.
    return {k: v for k, v in schema.items() if k != "$schema"} if "$schema" in schema else schema


class SchemaValidator:
    """Validates instances against a schema whose references resolve in a local registry.

    `is_valid` uses the compiled jsonschema-rs validator when it is installed (the fast path
    for valid input); `iter_errors` always uses the reference `jsonschema` implementation,
    whose messages and paths make the findings.
    """

    def __init__(self, root: Mapping[str, Any], extra: Iterable[Mapping[str, Any]] = ()) -> None:
        resources_ = [
            (s["$id"], s) for s in [*_core_schemas().values(), *extra] if "$id" in s
        ]
        registry: referencing.Registry[Any] = referencing.Registry(retrieve=_no_network)  # type: ignore[call-arg]
        registry = registry.with_resources(
            (uri, DRAFT202012.create_resource(_no_dialect(s))) for uri, s in resources_
        )
        self.root = root
        self._reference = _Draft202012(_no_dialect(root), registry=registry)
        self._fast: Any = None
        if _rs is not None:
            try:
                rs_registry = _rs.Registry([(uri, dict(s)) for uri, s in resources_])
                self._fast = _rs.Draft202012Validator(
                    dict(root), registry=rs_registry, validate_formats=False
                )
            except Exception:  # pragma: no cover - fall back to the reference implementation
                self._fast = None

    def is_valid(self, instance: Any) -> bool:
        if self._fast is not None:
            try:
                return bool(self._fast.is_valid(instance))
            except Exception:  # pragma: no cover - e.g. integers beyond 64 bits
                pass
        return bool(self._reference.is_valid(instance))

    def iter_errors(self, instance: Any) -> Iterator[jsonschema.ValidationError]:
        errors: Iterator[jsonschema.ValidationError] = self._reference.iter_errors(instance)
        return errors


@functools.cache
def validator(name: str) -> SchemaValidator:
    """A cached validator for one of the core schemas (they are immutable package data)."""
    return SchemaValidator(schema(name))
