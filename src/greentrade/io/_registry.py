"""The core's JSON Schemas, shipped as package data and loaded through importlib.resources,
and the compiled jsonschema-rs registry of them (when jsonschema-rs is installed)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

__all__ = ["BASE_URI", "accelerator", "core_ids", "core_rs_registry", "core_schemas", "schema", "schema_names"]

BASE_URI = "https://greentrade.dev/schemas/v1/"


@functools.cache
def accelerator() -> Any:
    """The jsonschema-rs module, or None; imported on first use (it costs 20-40 ms to import)."""
    try:  # pragma: no cover - exercised when the accelerator is installed
        import jsonschema_rs
    except ImportError:  # pragma: no cover
        return None
    return jsonschema_rs


@functools.cache
def core_schemas() -> dict[str, Mapping[str, Any]]:
    """Name -> schema of every ``schemas/NAME.schema.json`` in the package."""
    found: dict[str, Mapping[str, Any]] = {}
    for entry in resources.files("greentrade").joinpath("schemas").iterdir():
        if entry.name.endswith(".schema.json"):
            found[entry.name.removesuffix(".schema.json")] = json.loads(entry.read_text("utf-8"))
    return found


def schema_names() -> list[str]:
    """Names accepted by `schema` and `greentrade schema NAME`."""
    return sorted(core_schemas())


def schema(name: str) -> Mapping[str, Any]:
    """One of the core schemas by name (``dossier``, ``report``, ``party``, ...)."""
    try:
        return core_schemas()[name]
    except KeyError:
        raise KeyError(f"no schema named {name!r}; known: {', '.join(schema_names())}") from None


@functools.cache
def core_ids() -> frozenset[str]:
    """The ``$id`` URIs of the core schemas."""
    return frozenset(s["$id"] for s in core_schemas().values() if "$id" in s)


@functools.cache
def core_rs_registry() -> Any:
    """One compiled registry of the core schemas, shared by validators that need no others."""
    rs = accelerator()
    return rs.Registry([(s["$id"], dict(s)) for s in core_schemas().values() if "$id" in s])
