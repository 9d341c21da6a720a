"""cattrs converters between JSON-compatible data and the entities.

Two converters share one configuration: a fast one for the valid-input path and one with
cattrs' detailed validation that is used only to explain why structuring failed.
Unstructuring omits ``None`` and empty optional lists, so that a dossier in canonical form
(no nulls, no empty optional arrays) round-trips exactly.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from greentrade.model._entities import Dossier
from greentrade.model._footprints import DeclaredUnit
from greentrade.model._parties import Accreditation
from greentrade.model._standards import StandardDesignator

__all__ = ["Disagree", "structure", "structure_checked", "structure_detailed", "unstructure"]

T = TypeVar("T")


def _structure_date(value: Any, _t: Any) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(f"expected a date string YYYY-MM-DD, got {type(value).__name__}")
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: str) -> dt.date:
    raise ValueError(f"{value!r} is not a calendar date (expected YYYY-MM-DD)")


def _structure_float(value: Any, _t: Any) -> float:
    # Keep ints as ints so that 100 round-trips as 100, not 100.0; refuse bools and strings.
    if type(value) is int or type(value) is float:
        return value
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _structure_str(value: Any, _t: Any) -> str:
    if type(value) is not str:
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _structure_bool(value: Any, _t: Any) -> bool:
    if type(value) is not bool:
        raise TypeError(f"expected true or false, got {type(value).__name__}")
    return value


def _structure_int(value: Any, _t: Any) -> int:
    if type(value) is not int:
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return value


def _structure_str_or_bool(value: Any, _t: Any) -> str | bool:
    if type(value) is str or type(value) is bool:
        return value
    raise TypeError(f"expected a string or true/false, got {type(value).__name__}")


def _structure_designator(value: Any, _t: Any) -> StandardDesignator:
    if type(value) is not str:
        raise TypeError(f"expected a standard designator string, got {type(value).__name__}")
    return StandardDesignator.parse(value, lenient=True)


def _unstructure_designator(value: StandardDesignator) -> str:
    return value.written if value.written is not None else str(value)


def _unit_hook(conv: cattrs.Converter) -> Any:
    def structure_unit(value: Any, _t: Any) -> str | DeclaredUnit | None:
        # A declared unit is text (format 1) or amount and unit (format 2).
        if value is None:
            return None
        if type(value) is str:
            return value
        if isinstance(value, dict):
            return conv.structure(value, DeclaredUnit)
        raise TypeError(f"expected a declared unit (text, or amount and unit), got {type(value).__name__}")

    return structure_unit


#: Format 1 wrote an accreditation's arrangement as this flag (true: "IAF MLA").
LEGACY_ARRANGEMENT_KEY = "iaf_mla_signatory"
FORMAT_1 = "greentrade.dossier/1"


def _accreditation_hook(conv: cattrs.Converter) -> Any:
    base = make_dict_structure_fn(
        Accreditation, conv, _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=conv.detailed_validation,
    )

    def structure_accreditation(value: Any, _t: Any) -> Accreditation:
        # Format 1's flag reads as what it says ("IAF MLA" or not stated); a flag on a
        # laboratory's accreditation is kept as written and reported (GT-DATA-002).
        if isinstance(value, dict) and LEGACY_ARRANGEMENT_KEY in value:
            if "arrangement" in value:
                raise ValueError(f"give either arrangement or {LEGACY_ARRANGEMENT_KEY} (format 1), not both")
            value = dict(value)
            flag = value.pop(LEGACY_ARRANGEMENT_KEY)
            if type(flag) is not bool:
                raise TypeError(f"{LEGACY_ARRANGEMENT_KEY}: expected true or false, got {type(flag).__name__}")
            value["arrangement"] = "IAF MLA" if flag else None
        return base(value, Accreditation)

    return structure_accreditation


def _format1_accreditations(d: dict[str, Any]) -> dict[str, Any]:
    """A format-1 dossier's accreditations written with format 1's flag."""
    for party in d.get("parties", ()):
        accs = party.get("accreditations")
        if accs:
            party["accreditations"] = [
                {(LEGACY_ARRANGEMENT_KEY if k == "arrangement" else k): (v == "IAF MLA" if k == "arrangement" else v)
                 for k, v in _with_arrangement(a).items()}
                for a in accs
            ]
    return d


def _with_arrangement(acc: dict[str, Any]) -> dict[str, Any]:
    # The flag is required in format 1: an unstated arrangement is written as false, in place.
    if "arrangement" in acc:
        return acc
    out: dict[str, Any] = {}
    for k, v in acc.items():
        out[k] = v
        if k == "valid_until":
            out["arrangement"] = None
    if "arrangement" not in out:  # pragma: no cover - valid_until is required
        out["arrangement"] = None
    return out


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _fast_tuple_factory(conv: cattrs.Converter) -> Any:
    def factory(t: Any) -> Any:
        elem = get_args(t)[0]
        handler = conv.get_structure_hook(elem)

        def structure_tuple(value: Any, _t: Any) -> tuple[Any, ...]:
            return tuple([handler(v, elem) for v in value])

        return structure_tuple

    return factory


def _is_optional(t: Any) -> bool:
    args = get_args(t)
    return len(args) == 2 and type(None) in args and get_origin(t) in (Union, types.UnionType)


def _fast_optional_factory(conv: cattrs.Converter) -> Any:
    """``X | None`` without cattrs' per-value dispatch (format 2 made many fields optional)."""

    def factory(t: Any) -> Any:
        inner = next(a for a in get_args(t) if a is not type(None))
        handler = conv.get_structure_hook(inner)

        def structure_optional(value: Any, _t: Any) -> Any:
            return None if value is None else handler(value, inner)

        return structure_optional

    return factory


def _configure(conv: cattrs.Converter, *, strict_types: bool) -> cattrs.Converter:
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(float, _structure_float)
    if strict_types:
        # The fast path only sees input that passed the JSON Schema, which checks types;
        # the detailed converter also serves Python callers, so it checks them itself.
        conv.register_structure_hook(str, _structure_str)
        conv.register_structure_hook(bool, _structure_bool)
        conv.register_structure_hook(int, _structure_int)
    else:
        conv.register_structure_hook_factory(_is_homogeneous_tuple, _fast_tuple_factory(conv))
        conv.register_structure_hook_factory(_is_optional, _fast_optional_factory(conv))
    conv.register_structure_hook(StandardDesignator, _structure_designator)
    conv.register_structure_hook(str | bool, _structure_str_or_bool)
    conv.register_structure_hook(str | DeclaredUnit | None, _unit_hook(conv))
    conv.register_unstructure_hook(StandardDesignator, _unstructure_designator)

    def omit_empty_factory(cls: type) -> Any:
        overrides: dict[str, Any] = {a.name: override(omit=True) for a in attrs.fields(cls) if not a.init}
        base: Any = make_dict_unstructure_fn(cls, conv, **overrides)
        optional = frozenset(
            a.name for a in attrs.fields(cls) if a.init and a.default is not attrs.NOTHING
        )

        def unstructure(obj: Any) -> dict[str, Any]:
            d: dict[str, Any] = base(obj)
            for name in optional:
                v = d.get(name)
                if v is None or v == []:
                    del d[name]
            return d

        return unstructure

    conv.register_unstructure_hook_factory(attrs.has, omit_empty_factory)
    conv.register_structure_hook(Accreditation, _accreditation_hook(conv))

    @functools.cache
    def dossier_base() -> Any:
        # Built on the first unstructured dossier, not with the converter: generating the
        # functions of every entity costs about 10 ms, and validation never unstructures one.
        return omit_empty_factory(Dossier)

    def unstructure_dossier(obj: Dossier) -> dict[str, Any]:
        d: dict[str, Any] = dossier_base()(obj)
        return _format1_accreditations(d) if obj.format == FORMAT_1 else d

    conv.register_unstructure_hook(Dossier, unstructure_dossier)
    return conv


@functools.cache
def _fast() -> cattrs.Converter:
    return _configure(cattrs.Converter(detailed_validation=False, forbid_extra_keys=True), strict_types=False)


@functools.cache
def _detailed() -> cattrs.Converter:
    return _configure(cattrs.Converter(detailed_validation=True, forbid_extra_keys=True), strict_types=True)


@functools.cache
def _checked() -> cattrs.Converter:
    conv = _configure(cattrs.Converter(detailed_validation=True, forbid_extra_keys=True), strict_types=True)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _checked_tuple_factory(conv))
    return conv


class Disagree(BaseException):
    """The fast converter refused a part that the detailed one accepts (raised by
    `structure_checked`; a BaseException, so that cattrs does not collect it as an error)."""


def _checked_tuple_factory(conv: cattrs.Converter) -> Any:
    """Homogeneous tuples of `structure_checked`: each item through the fast converter, and only
    an item it refuses through this (detailed) converter, which finds all its problems and says
    where, as cattrs' detailed tuple structuring does (same notes, same error)."""

    def factory(t: Any) -> Any:
        elem = get_args(t)[0]
        fast = _fast().get_structure_hook(elem)
        detailed = conv.get_structure_hook(elem)

        def structure_tuple(value: Any, _t: Any) -> tuple[Any, ...]:
            out = []
            errors: list[Exception] = []
            failed = False  # the item before failed: this one goes to the detailed converter at once
            for ix, v in enumerate(value):
                if not failed:
                    try:
                        out.append(fast(v, elem))
                        continue
                    except Exception:
                        pass
                try:
                    out.append(detailed(v, elem))
                except Exception as exc:
                    exc.__notes__ = [*getattr(exc, "__notes__", []),
                                     IterableValidationNote(f"Structuring {_t} @ index {ix}", ix, elem)]
                    errors.append(exc)
                    failed = True
                    continue
                if not failed:
                    raise Disagree(f"{t} @ index {ix}")
                failed = False
            if errors:
                raise IterableValidationError(f"While structuring {_t!r}", errors, _t)
            return tuple(out)

        return structure_tuple

    return factory


def structure(data: Any, cls: type[T] = Dossier) -> T:  # type: ignore[assignment]
    """Build entities from JSON-compatible data; raises on the first problem.

    Types are checked strictly (a string is not a number), so this is safe on any input.
    """
    return _detailed().structure(data, cls)


def structure_trusted(data: Any, cls: type[T] = Dossier) -> T:  # type: ignore[assignment]
    """`structure` for data that already passed the dossier schema (the engine's fast path)."""
    return _fast().structure(data, cls)


def structure_checked(data: Any, cls: type[T] = Dossier) -> T:  # type: ignore[assignment]
    """Structure data that already passed the dossier schema (the engine's path): the items of
    every list go through the fast converter; an item it refuses goes through the detailed one,
    so that a failure raises what `structure_detailed` raises (every problem, located) without
    structuring the whole dossier twice. Raises `Disagree` where the fast converter refuses
    what the detailed one accepts."""
    return _checked().structure(data, cls)


def structure_detailed(data: Any, cls: type[T] = Dossier) -> T:  # type: ignore[assignment]
    """Like `structure`, but raises a `cattrs.ClassValidationError` holding every problem."""
    return _detailed().structure(data, cls)


def unstructure(obj: Any) -> Any:
    """Entities to JSON-compatible data (dates as ISO strings, designators as text)."""
    return _fast().unstructure(obj)
