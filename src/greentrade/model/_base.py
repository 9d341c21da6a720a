"""What the entity modules build on: `FieldError`, the field validators, and two small values
that several entities share (`Period`, `SourceRecord`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

__all__ = [
    "FieldError",
    "Period",
    "SourceRecord",
    "code",
    "each",
    "literal",
    "non_negative",
    "nonempty",
    "optional_code",
    "optional_literal",
    "positive",
]


class FieldError(ValueError):
    """A validation error that names the offending field, so that it can be located."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def code(check: Callable[[str], str | None]) -> Callable[[Any, attrs.Attribute[Any], str], None]:
    def validate(_inst: Any, attr: attrs.Attribute[Any], value: str) -> None:
        if not isinstance(value, str):
            raise FieldError(attr.name, f"{attr.name} must be a string, got {type(value).__name__}")
        problem = check(value)
        if problem:
            raise FieldError(attr.name, problem)

    return validate


def optional_code(check: Callable[[str], str | None]) -> Callable[[Any, attrs.Attribute[Any], str | None], None]:
    inner = code(check)

    def validate(inst: Any, attr: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None:
            inner(inst, attr, value)

    return validate


def nonempty(_inst: Any, attr: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise FieldError(attr.name, f"{attr.name} must be a non-empty string")


def literal(lit: Any) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    allowed = lit.__args__

    def validate(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if value not in allowed:
            raise FieldError(attr.name, f"{attr.name} {value!r} is not one of {', '.join(allowed)}")

    return validate


def optional_literal(lit: Any) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    inner = literal(lit)

    def validate(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            inner(inst, attr, value)

    return validate


def each(check: Callable[[Any, attrs.Attribute[Any], Any], None]) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def validate(inst: Any, attr: attrs.Attribute[Any], values: Any) -> None:
        for v in values:
            check(inst, attr, v)

    return validate


def positive(_inst: Any, attr: attrs.Attribute[Any], value: float) -> None:
    if not value > 0:
        raise FieldError(attr.name, f"{attr.name} must be greater than 0, got {value}")


def non_negative(_inst: Any, attr: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not value >= 0:
        raise FieldError(attr.name, f"{attr.name} must not be negative, got {value}")


@attrs.frozen
class Period:
    """A closed date range; either end may be open (None)."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise FieldError("end", f"period ends ({self.end}) before it starts ({self.start})")

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@attrs.frozen
class SourceRecord:
    """Where an imported entity came from (dossier format 2).

    ``unmapped`` holds the JSON Pointers (into the source file) of the fields that found no home
    in the dossier: the import is lossless for this entity when it is empty.
    """

    format: str = attrs.field(validator=nonempty)
    version: str | None = None
    id: str | None = None
    unmapped: tuple[str, ...] = ()
    #: The item's own version as the source states it (ILCD ``dataSetVersion``, PACT/Catena-X ``version``).
    revision: str | None = None
