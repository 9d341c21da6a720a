"""Invalid input: a valid dossier with one defect, labelled with the finding it must produce."""

from __future__ import annotations

import copy
import json
import string
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from greentrade.model import _codes
from greentrade.testing.strategies._base import USCC_CHARS as _USCC_CHARS
from greentrade.testing.strategies._base import ids
from greentrade.testing.strategies._dossiers import dossier_json, json_values

MUTATION_KINDS = (
    "dangling-reference",
    "bad-code",
    "swapped-dates",
    "impossible-date",
    "wrong-type",
    "unknown-key",
    "missing-key",
    "duplicate-id",
)


@attrs.frozen
class Mutation:
    """A dossier with one defect, and the finding the engine must report for it."""

    kind: str
    data: dict[str, Any]
    rule: str
    pointer: str
    description: str


def _ptr(*parts: str | int) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _fresh_id(taken: Iterable[str]) -> st.SearchStrategy[str]:
    used = set(taken)
    return ids("X").filter(lambda s: s not in used)


def _bad_country() -> st.SearchStrategy[str]:
    return st.from_regex(r"\A[A-Z]{2}\Z").filter(lambda c: c not in _codes.countries())


def _dangling(draw: st.DrawFn, d: dict[str, Any]) -> Mutation | None:
    party_ids = [p["id"] for p in d.get("parties", [])]
    product_ids = [p["id"] for p in d.get("products", [])]
    doc_ids = [x["id"] for x in d.get("documents", [])]
    spots: list[tuple[tuple[str | int, ...], list[str], str]] = []
    for i, sh in enumerate(d.get("shipments", [])):
        spots.append((("shipments", i, "exporter"), party_ids, "exporter"))
        for j, _line in enumerate(sh["lines"]):
            spots.append((("shipments", i, "lines", j, "product"), product_ids, "product"))
        for j, _doc in enumerate(sh.get("documents", [])):
            spots.append((("shipments", i, "documents", j), doc_ids, "document"))
    for i, _pr in enumerate(d.get("products", [])):
        spots.append((("products", i, "manufacturer"), party_ids, "manufacturer"))
    for i, doc in enumerate(d.get("documents", [])):
        spots.append((("documents", i, "issuer"), party_ids, "issuer"))
        spots.append((("documents", i, "holder"), party_ids, "holder"))
        for j, _cov in enumerate(doc.get("products", [])):
            spots.append((("documents", i, "products", j, "product"), product_ids, "product"))
    if not spots:
        return None
    path, taken, what = draw(st.sampled_from(spots))
    new = draw(_fresh_id(taken))
    _set(d, path, new)
    return Mutation("dangling-reference", d, "GT-REF-001", _ptr(*path), f"{what} {new!r} does not exist")


def _set(d: Any, path: Sequence[str | int], value: Any) -> None:
    for p in path[:-1]:
        d = d[p]
    d[path[-1]] = value


def _get(d: Any, path: Sequence[str | int]) -> Any:
    for p in path:
        d = d[p]
    return d


def _bad_code(draw: st.DrawFn, d: dict[str, Any]) -> Mutation | None:
    spots: list[tuple[tuple[str | int, ...], st.SearchStrategy[str], str]] = []
    bad_hs = st.from_regex(r"\A[0-9]{6}\Z").filter(lambda c: c not in _codes.hs_nomenclature())
    for i, p in enumerate(d.get("parties", [])):
        spots.append((("parties", i, "country"), _bad_country(), "country"))
        for j, ident in enumerate(p.get("identifiers", [])):
            if ident["scheme"] in ("uscc", "lei"):
                v = ident["value"]
                alphabet = _USCC_CHARS if ident["scheme"] == "uscc" else string.digits
                wrong = st.builds(str.__add__, st.just(v[:-1]), st.sampled_from([c for c in alphabet if c != v[-1]]))
                spots.append((("parties", i, "identifiers", j, "value"), wrong, ident["scheme"]))
    for i, _p in enumerate(d.get("products", [])):
        spots.append((("products", i, "hs_code"), bad_hs, "HS code"))
    for i, sh in enumerate(d.get("shipments", [])):
        spots.append((("shipments", i, "port_of_export"),
                      st.builds(str.__add__, _bad_country(), st.just("ABC")), "port"))
        spots.append((("shipments", i, "destination_country"), _bad_country(), "country"))
        for j, line in enumerate(sh["lines"]):
            spots.append((("shipments", i, "lines", j, "hs_code"), bad_hs, "HS code"))
            if "currency" in line:
                spots.append((("shipments", i, "lines", j, "currency"),
                              st.from_regex(r"\A[A-Z]{3}\Z").filter(lambda c: c not in _codes.currencies()),
                              "currency"))
    if not spots:
        return None
    path, values, what = draw(st.sampled_from(spots))
    value = draw(values)
    _set(d, path, value)
    return Mutation("bad-code", d, "GT-DATA-001", _ptr(*path), f"{what} {value!r} is not a valid code")


def _swapped_dates(draw: st.DrawFn, d: dict[str, Any]) -> Mutation | None:
    spots: list[tuple[tuple[str | int, ...], str, str]] = []
    for i, doc in enumerate(d.get("documents", [])):
        if "valid_until" in doc and doc["valid_until"] != doc["issue_date"]:
            spots.append((("documents", i), "issue_date", "valid_until"))
    for i, p in enumerate(d.get("parties", [])):
        for j, acc in enumerate(p.get("accreditations", [])):
            if acc["valid_from"] != acc["valid_until"]:
                spots.append((("parties", i, "accreditations", j), "valid_from", "valid_until"))
    if not spots:
        return None
    path, a, b = draw(st.sampled_from(spots))
    obj = _get(d, path)
    obj[a], obj[b] = obj[b], obj[a]
    return Mutation("swapped-dates", d, "GT-DATA-001", _ptr(*path, b), f"{b} is now before {a}")


def _impossible_date(draw: st.DrawFn, d: dict[str, Any]) -> Mutation | None:
    spots: list[tuple[str | int, ...]] = [("shipments", i, "ship_date") for i in range(len(d.get("shipments", [])))]
    spots += [("documents", i, "issue_date") for i in range(len(d.get("documents", [])))]
    if not spots:
        return None
    path = draw(st.sampled_from(spots))
    year = draw(st.integers(2001, 2099))
    month, day = draw(st.sampled_from([(2, 30), (2, 31), (4, 31), (6, 31), (9, 31), (11, 31), (13, 1), (0, 10),
                                       (1, 32), (5, 0)]))
    if year % 4 != 0 and draw(st.booleans()):
        month, day = 2, 29
    value = f"{year:04d}-{month:02d}-{day:02d}"
    _set(d, path, value)
    return Mutation("impossible-date", d, "GT-DATA-001", _ptr(*path), f"{value} is not a calendar date")


_WRONG_TYPES: dict[str, list[Any]] = {
    "string": [1, 2.5, True, None, [], {}],
    "number": ["12", True, None, [], {"n": 1}],
    "array": ["x", 1, {}, None],
    "boolean": ["true", 1, None],
}


def _wrong_type(draw: st.DrawFn, d: dict[str, Any]) -> Mutation | None:
    spots: list[tuple[tuple[str | int, ...], str]] = []
    for i, p in enumerate(d.get("parties", [])):
        spots += [(("parties", i, "name"), "string"), (("parties", i, "country"), "string")]
        if "roles" in p:
            spots.append((("parties", i, "roles"), "array"))
        for j, _acc in enumerate(p.get("accreditations", [])):
            spots.append((("parties", i, "accreditations", j, "iaf_mla_signatory"), "boolean"))
    for i, _pr in enumerate(d.get("products", [])):
        spots += [(("products", i, "model"), "string"), (("products", i, "hs_code"), "string")]
    for i, _doc in enumerate(d.get("documents", [])):
        spots += [(("documents", i, "standards"), "array"), (("documents", i, "issue_date"), "string")]
    for i, sh in enumerate(d.get("shipments", [])):
        spots += [(("shipments", i, "ship_date"), "string"), (("shipments", i, "lines"), "array")]
        for j, _line in enumerate(sh["lines"]):
            spots.append((("shipments", i, "lines", j, "quantity"), "number"))
    if not spots:
        return None
    path, kind = draw(st.sampled_from(spots))
    value = draw(st.sampled_from(_WRONG_TYPES[kind]))
    _set(d, path, value)
    return Mutation("wrong-type", d, "GT-SCHEMA-001", _ptr(*path),
                    f"{json.dumps(value)} where a {kind} belongs")


def _objects(d: dict[str, Any]) -> list[tuple[str | int, ...]]:
    """Paths of every object of the dossier that has a closed set of keys."""
    out: list[tuple[str | int, ...]] = [()]
    for i, p in enumerate(d.get("parties", [])):
        out.append(("parties", i))
        out += [("parties", i, "sites", j) for j in range(len(p.get("sites", [])))]
        out += [("parties", i, "identifiers", j) for j in range(len(p.get("identifiers", [])))]
        out += [("parties", i, "accreditations", j) for j in range(len(p.get("accreditations", [])))]
    for i, pr in enumerate(d.get("products", [])):
        out.append(("products", i))
        out += [("products", i, "specs", j) for j in range(len(pr.get("specs", [])))]
    for i, doc in enumerate(d.get("documents", [])):
        out.append(("documents", i))
        out += [("documents", i, "products", j) for j in range(len(doc.get("products", [])))]
        out += [("documents", i, k) for k in ("carbon_footprint", "epd") if k in doc]
    for i, sh in enumerate(d.get("shipments", [])):
        out.append(("shipments", i))
        out += [("shipments", i, "lines", j) for j in range(len(sh["lines"]))]
    return out


def _unknown_key(draw: st.DrawFn, d: dict[str, Any]) -> Mutation | None:
    path = draw(st.sampled_from(_objects(d)))
    obj = _get(d, path)
    key = draw(st.from_regex(r"\Ax_[a-z0-9_~/]{1,8}\Z"))  # '~' and '/' exercise pointer escaping
    obj[key] = draw(json_values(max_leaves=3))
    return Mutation("unknown-key", d, "GT-SCHEMA-002", _ptr(*path, key), f"unknown key {key!r}")


_REQUIRED = {
    "parties": ("id", "name", "country"),
    "products": ("id", "model", "name", "category", "hs_code", "manufacturer"),
    "documents": ("id", "type", "standards", "issuer", "holder", "issue_date", "status"),
    "shipments": ("id", "exporter", "port_of_export", "destination_country", "ship_date", "lines"),
}


def _missing_key(draw: st.DrawFn, d: dict[str, Any]) -> Mutation | None:
    spots = [((coll, i), key) for coll, keys in _REQUIRED.items()
             for i in range(len(d.get(coll, []))) for key in keys]
    if not spots:
        return None
    path, key = draw(st.sampled_from(spots))
    del _get(d, path)[key]
    return Mutation("missing-key", d, "GT-SCHEMA-001", _ptr(*path), f"required key {key!r} removed")


def _duplicate_id(draw: st.DrawFn, d: dict[str, Any]) -> Mutation | None:
    spots: list[tuple[str | int, ...]] = [(c,) for c in _REQUIRED if d.get(c)]
    for i, sh in enumerate(d.get("shipments", [])):
        spots.append(("shipments", i, "lines"))
        del sh  # only the index matters
    for i, p in enumerate(d.get("parties", [])):
        if p.get("sites"):
            spots.append(("parties", i, "sites"))
    if not spots:
        return None
    path = draw(st.sampled_from(spots))
    items = _get(d, path)
    original = draw(st.sampled_from(items))
    items.append(copy.deepcopy(original))
    return Mutation("duplicate-id", d, "GT-REF-002", _ptr(*path, len(items) - 1, "id"),
                    f"a copy of {original['id']!r} appended")


_MUTATORS: dict[str, Callable[[st.DrawFn, dict[str, Any]], Mutation | None]] = {
    "dangling-reference": _dangling,
    "bad-code": _bad_code,
    "swapped-dates": _swapped_dates,
    "impossible-date": _impossible_date,
    "wrong-type": _wrong_type,
    "unknown-key": _unknown_key,
    "missing-key": _missing_key,
    "duplicate-id": _duplicate_id,
}


def invalid_dossiers(kinds: Sequence[str] = MUTATION_KINDS, **dossier_kwargs: Any) -> st.SearchStrategy[Mutation]:
    """A valid `dossier_json` with one defect of one of `kinds`, labelled with its finding.

    ==================== ============== =====================================================
    kind                 rule           pointer
    ==================== ============== =====================================================
    dangling-reference   GT-REF-001     the reference (``/shipments/0/lines/1/product``)
    bad-code             GT-DATA-001    the code (country, HS code, UN/LOCODE, currency,
                                        USCC or LEI check character)
    swapped-dates        GT-DATA-001    the end date that is now before the start date
    impossible-date      GT-DATA-001    a date like ``2026-02-30``
    wrong-type           GT-SCHEMA-001  the value of the wrong JSON type
    unknown-key          GT-SCHEMA-002  the unknown key (``/products/0/x_colour``)
    missing-key          GT-SCHEMA-001  the object that lacks a required key
    duplicate-id         GT-REF-002     the ``id`` of the appended copy
    ==================== ============== =====================================================
    """
    unknown = set(kinds) - set(_MUTATORS)
    if unknown or not kinds:
        raise ValueError(f"unknown mutation kinds {sorted(unknown)}; known: {', '.join(MUTATION_KINDS)}")
    dossier_kwargs.setdefault("min_documents", 1)

    @st.composite
    def build(draw: st.DrawFn) -> Mutation:
        base = draw(dossier_json(**dossier_kwargs))
        order = draw(st.permutations(list(kinds)))
        for kind in order:  # the first kind that applies to this dossier
            data = copy.deepcopy(base)
            mutation = _MUTATORS[kind](draw, data)
            if mutation is not None:
                return mutation
        raise AssertionError("unreachable: unknown-key applies to every dossier")  # pragma: no cover

    return build()


