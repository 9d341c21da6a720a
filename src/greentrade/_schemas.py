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
    for valid input); `iter_errors` always uses the reference `jsonschema` implementation,
    whose messages and paths make the findings.
    """

    def __init__(self, root: Mapping[str, Any], extra: Iterable[Mapping[str, Any]] = ()) -> None:
        self._resources = [
            (s["$id"], s) for s in [*_core_schemas().values(), *extra] if "$id" in s
        ]
        self.root = root
        self._reference_validator: jsonschema.Draft202012Validator | None = None
        self._fast: Any = None
        _rs = _accelerator()
        if _rs is not None:
            try:
                rs_registry = _rs.Registry([(uri, dict(s)) for uri, s in self._resources])
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
            registry = registry.with_resources(
                (uri, DRAFT202012.create_resource(s)) for uri, s in self._resources
            )
            self._reference_validator = jsonschema.Draft202012Validator(self.root, registry=registry)
        return self._reference_validator

    def is_valid(self, instance: Any) -> bool:
        if self._fast is not None:
            try:
                return bool(self._fast.is_valid(instance))
            except Exception:  # pragma: no cover - e.g. integers beyond 64 bits
                pass
        return bool(self._reference.is_valid(instance))

    def iter_errors(self, instance: Any) -> Iterator[jsonschema.ValidationError]:
        return self._reference.iter_errors(instance)


@functools.cache
def validator(name: str) -> SchemaValidator:
    """A cached validator for one of the core schemas (they are immutable package data)."""
    return SchemaValidator(schema(name))
