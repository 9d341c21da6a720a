"""The plugin boundary: every value a plugin hands over is converted or rejected here.

Plugins are Python code, so nothing stops one from building a `Rule` with ``role="Check"``
or a `Hit` whose effect is the plain string ``"violation"``: attrs does not check types.
Before the engine relies on a contribution it passes through this module, which

- checks every field against the field's annotation (strings, numbers, dates, enums,
  literals, tuples, nested attrs values), converting only where the meaning is exact
  (the string ``"error"`` to `Severity.ERROR`, a list to a tuple) and rejecting the rest
  with a `Rejected` naming the field and the problem;
- checks citations and buyer profiles against their public schemas, so that what reaches
  a report or an assessment validates;
- deep-freezes configuration and reference data (mapping proxies, tuples, frozensets) so
  that a rule cannot change what later rules or later runs see.

Further field checks (e.g. of a new `Rule` field) belong in `check_rule` and
`finding_from_hit`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import types
import typing
from collections import abc
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

from greentrade.engine._basis import applied
from greentrade.i18n import Message, _Joined
from greentrade.io._registry import accelerator
from greentrade.io._schemas import validator
from greentrade.model import _convert
from greentrade.rules._profiles import BuyerProfile
from greentrade.rules._rules import (
    Basis,
    CatalogEntry,
    Category,
    Citation,
    Effect,
    Finding,
    Hit,
    Program,
    Rule,
    Severity,
)

__all__ = [
    "Rejected",
    "check_catalog_entry",
    "check_category",
    "check_config_schema",
    "check_profile",
    "check_program",
    "check_rule",
    "finding_from_hit",
    "freeze",
    "hit_basis",
    "short",
]

T = TypeVar("T")

#: A JSON Pointer (RFC 6901), as the report schema requires.
_POINTER = re.compile(r"(?:/(?:[^~/]|~[01])*)*")


class Rejected(ValueError):
    """A contributed value cannot be used; `field` is where, the message says why."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field = field
        self.problem = problem


def short(value: Any, limit: int = 80) -> str:
    """A repr for messages that never echoes a huge value."""
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _join(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


def _check(value: Any, hint: Any, path: str) -> Any:
    """`value` checked against the annotation `hint`; converted where exact, else `Rejected`."""
    if hint is Any:
        return value
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        if value is None and type(None) in args:
            return None
        problems = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _check(value, arg, path)
            except Rejected as exc:
                problems.append(exc.problem)
        raise Rejected(path, " or ".join(problems) if problems else f"{short(value)} is not allowed")
    if origin is typing.Literal:
        allowed = typing.get_args(hint)
        if isinstance(value, str) and value in allowed:
            return value
        raise Rejected(path, f"{short(value)} is not one of {', '.join(map(repr, allowed))}")
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, list | tuple):
            raise Rejected(path, f"expected a tuple, got {type(value).__name__}")
        return tuple(_check(v, args[0], _join(path, i)) for i, v in enumerate(value))
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        if not isinstance(value, Mapping):
            raise Rejected(path, f"expected a mapping, got {type(value).__name__}")
        return freeze(value, path)
    if origin is abc.Callable:
        if not callable(value):
            raise Rejected(path, f"expected a callable, got {type(value).__name__}")
        return value
    if isinstance(hint, type):
        return _check_type(value, hint, path)
    raise Rejected(path, f"cannot check a value of type {hint!r}")  # pragma: no cover - our own annotations


def _check_type(value: Any, hint: type, path: str) -> Any:
    if issubclass(hint, enum.Enum):
        if isinstance(value, hint):
            return value
        if type(value) is str:
            try:
                return hint(value)
            except ValueError:
                pass
        allowed = ", ".join(repr(m.value) for m in hint)
        raise Rejected(path, f"{short(value)} is not one of {allowed}")
    if hint is bool:
        if type(value) is bool:
            return value
        raise Rejected(path, f"expected true or false, got {type(value).__name__}")
    if hint is int:
        if type(value) is int:
            return value
        raise Rejected(path, f"expected an integer, got {type(value).__name__}")
    if hint is float:
        if type(value) in (int, float) and value == value and value not in (float("inf"), float("-inf")):
            return value
        raise Rejected(path, f"expected a finite number, got {short(value)}")
    if hint is str:
        if type(value) is str:
            return value
        raise Rejected(path, f"expected a string, got {type(value).__name__}")
    if hint is dt.date:
        if type(value) is dt.date:
            return value
        raise Rejected(path, f"expected a date, got {type(value).__name__}")
    if attrs.has(hint):
        return _check_attrs(value, hint, path)
    if isinstance(value, hint):
        return value
    raise Rejected(path, f"expected {hint.__name__}, got {type(value).__name__}")


def _check_attrs(value: Any, cls: type[T], path: str) -> T:
    if type(value) is not cls:
        raise Rejected(path, f"expected {cls.__name__}, got {type(value).__name__}")
    hints = _hints(cls)  # type: ignore[arg-type]
    changes: dict[str, Any] = {}
    for a in attrs.fields(cls):  # type: ignore[arg-type]
        if not a.init:
            continue
        current = getattr(value, a.name)
        checked = _check(current, hints[a.name], _join(path, a.name))
        if checked is not current:
            changes[a.alias or a.name] = checked
    if not changes:
        return value
    try:
        return attrs.evolve(value, **changes)  # type: ignore[misc]
    except Exception as exc:  # the class's own validators refused the converted values
        raise Rejected(path, short(str(exc), 200)) from None


def _schema_check(data: Any, schema: str, path: str) -> None:
    for err in validator(schema).iter_errors(data):
        where = "/".join(map(str, err.absolute_path))
        where = f"{path}.{where.replace('/', '.')}" if where else path
        raise Rejected(where, short(err.message, 200))


def _check_citation(c: Citation, path: str) -> None:
    _schema_check(_convert.unstructure(c), "citation", path)


def check_rule(rule: Any) -> Rule:
    """A plugin's rule, checked field by field (``severity="error"`` becomes `Severity.ERROR`)."""
    checked = _check_attrs(rule, Rule, "")
    _check_citation(checked.citation, "citation")
    return checked


def check_program(program: Any) -> Program:
    checked = _check_attrs(program, Program, "")
    if not checked.id:
        raise Rejected("id", "must not be empty")
    _check_citation(checked.citation, "citation")
    return checked


def check_category(category: Any) -> Category:
    checked = _check_attrs(category, Category, "")
    if not checked.id:
        raise Rejected("id", "must not be empty")
    if checked.citation is not None:
        _check_citation(checked.citation, "citation")
    return checked


def check_catalog_entry(entry: Any) -> CatalogEntry:
    checked = _check_attrs(entry, CatalogEntry, "")
    _check_citation(checked.citation, "citation")
    return checked


def check_profile(profile: Any) -> BuyerProfile:
    """A buyer profile, checked by type and against ``buyer-profile.schema.json``."""
    checked = _check_attrs(profile, BuyerProfile, "")
    _schema_check(_convert.unstructure(checked), "buyer-profile", "")
    return checked


_DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def check_config_schema(section: Any, schema: Any) -> Mapping[str, Any]:
    """One section of a plugin's configuration schema: a name and a valid JSON Schema."""
    if type(section) is not str or not section:
        raise Rejected("section", f"a section name must be a non-empty string, not {short(section)}")
    if not isinstance(schema, Mapping):
        raise Rejected(section, f"expected a JSON Schema mapping, got {type(schema).__name__}")
    plain: dict[str, Any] = thaw(freeze(schema, section))  # a copy the plugin cannot change later
    # The compiled metaschema check answers "valid?" in microseconds; python-jsonschema (about
    # 200 ms to import and check at the first validate, #22) only explains a schema it refuses.
    # Only for a schema of the dialect the reference checks (2020-12, or none named).
    rs = accelerator()
    if rs is not None and plain.get("$schema", _DRAFT_2020_12) == _DRAFT_2020_12:
        try:
            if rs.meta.is_valid(plain):
                return plain
        except Exception:  # an unusual schema: the reference check decides
            pass
    import jsonschema

    try:
        jsonschema.Draft202012Validator.check_schema(plain)
    except jsonschema.SchemaError as exc:
        raise Rejected(section, f"not a valid JSON Schema: {short(exc.message, 200)}") from None
    return plain


# -- hits ---------------------------------------------------------------------------------------
#: The text types a hit may carry: `str`, and `greentrade.i18n` messages (a `str` with an id).
_TEXT_TYPES = (str, Message, _Joined)


def _opt_str(value: Any, field: str) -> str | None:
    if value is None or type(value) in _TEXT_TYPES:
        return value  # type: ignore[no-any-return]
    raise Rejected(field, f"expected a string or None, got {type(value).__name__}")


def finding_from_hit(rule: Rule, hit: Any, shipment: str | None,
                     required: frozenset[str] = frozenset()) -> Finding:
    """The finding for one hit of `rule`, with the basis it rests on (`_basis.applied`; the
    host's `required` rules); `Rejected` when the hit cannot be used as it is."""
    if type(hit) is not Hit:
        raise Rejected("hit", f"expected Hit, got {type(hit).__name__}")
    effect = hit.effect if type(hit.effect) is Effect else _check_type(hit.effect, Effect, "effect")
    severity = hit.severity
    if severity is None:
        severity = (
            rule.severity if effect is Effect.VIOLATION
            else Severity.WARNING if effect is Effect.UNDETERMINED
            else Severity.INFO
        )
    elif type(severity) is not Severity:
        severity = _check_type(severity, Severity, "severity")
    if type(hit.message) not in _TEXT_TYPES:
        raise Rejected("message", f"expected a string, got {type(hit.message).__name__}")
    pointer = hit.pointer
    if type(pointer) is not str:
        raise Rejected("pointer", f"expected a JSON Pointer string, got {type(pointer).__name__}")
    if not _POINTER.fullmatch(pointer):
        raise Rejected("pointer", f"{short(pointer)} is not a JSON Pointer")
    subject = _opt_str(hit.subject, "subject")
    needs = _opt_str(hit.needs, "needs")
    message_id = _opt_str(hit.message_id, "message_id")
    needs_id = _opt_str(hit.needs_id, "needs_id")
    args = hit.args
    if args:
        _check_args(args)
    return Finding(
        rule=rule.id, severity=severity, effect=effect, message=hit.message,
        pointer=pointer, subject=subject, program=rule.program,
        shipment=shipment, remediation=rule.remediation or None, needs=needs,
        citation=rule.citation, basis=applied(rule, hit_basis(hit), required),
        message_id=message_id, args=args, needs_id=needs_id, assumption=hit.assumption is True,
    )


def _check_args(args: Any) -> None:
    """A hit's message arguments: (name, value) pairs with string names and JSON scalar values."""
    if type(args) is not tuple:
        raise Rejected("args", f"expected a mapping of names to values, got {type(args).__name__}")
    for pair in args:
        if type(pair) is not tuple or len(pair) != 2 or type(pair[0]) is not str:
            raise Rejected("args", "expected a mapping of names to values")
        value = pair[1]
        if type(value) not in (*_TEXT_TYPES, int, bool) and not (type(value) is float and value == value
                                                       and value not in (float("inf"), float("-inf"))):
            raise Rejected(f"args/{pair[0]}", f"expected a string, number or boolean, got {type(value).__name__}")


def hit_basis(hit: Hit) -> Basis | None:
    """The basis a hit claims (``None``: the rule's own); `Rejected` when it is not a `Basis`."""
    basis = hit.basis
    if basis is None or type(basis) is Basis:
        return basis
    checked: Basis = _check_type(basis, Basis, "basis")
    return checked


# -- read-only data -------------------------------------------------------------------------------
def freeze(value: Any, path: str = "") -> Any:
    """A deep, read-only copy of JSON-like data: mappings become mapping proxies, lists
    tuples, sets frozensets. Anything that is not JSON-like (or a string key) is `Rejected`."""
    if value is None or type(value) in (str, bool, int):
        return value
    if type(value) is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise Rejected(path, f"{value!r} is not a JSON number")
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if type(k) is not str:
                raise Rejected(path, f"keys must be strings, not {type(k).__name__}")
            out[k] = freeze(v, _join(path, k))
        return types.MappingProxyType(out)
    if isinstance(value, list | tuple):
        return tuple(freeze(v, _join(path, i)) for i, v in enumerate(value))
    if isinstance(value, set | frozenset):
        return frozenset(freeze(v, path) for v in value)
    if isinstance(value, dt.date):
        return value
    raise Rejected(path, f"{type(value).__name__} is not JSON-compatible data")


def thaw(value: Any) -> Any:
    """Plain dicts and lists again (for libraries that want them, e.g. a schema validator)."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    return value
