"""JSON Schemas shipped with greentrade and the validators of them: the names the rest of
greentrade imports. The schemas themselves are in `_registry` (package data, never fetched
over the network); validation, with the jsonschema-rs fast path, is in `_validator`.
"""

from __future__ import annotations

import functools

from greentrade.io._registry import BASE_URI, schema, schema_names
from greentrade.io._validator import SchemaValidator

__all__ = [
    "BASE_URI",
    "SchemaValidator",
    "schema",
    "schema_names",
    "validator",
]


@functools.cache
def validator(name: str) -> SchemaValidator:
    """A cached validator for one of the core schemas (they are immutable package data)."""
    return SchemaValidator(schema(name))
