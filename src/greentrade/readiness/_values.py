"""The assessment's values: statuses, gaps, requirement checks, cells, rows and `Assessment`.

`Assessment.to_dict()` is the public contract (``schemas/assessment.schema.json``); its text and
HTML forms are rendered from that dict by `greentrade.render`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import types
from collections.abc import Callable
from typing import Any, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from greentrade import render
from greentrade.rules._report import PluginInfo
from greentrade.rules._rules import Citation, Finding

__all__ = [
    "ASSESSMENT_FORMAT",
    "GAP_KINDS",
    "PROGRAM_MIXED",
    "PROGRAM_NO_SHIPMENT",
    "STATUSES",
    "STATUS_MEANING",
    "UNDETERMINED_KINDS",
    "Assessment",
    "Cell",
    "Gap",
    "Market",
    "PathwayStatus",
    "ProductRow",
    "ProgramCell",
    "ProgramInfo",
    "RequirementCheck",
    "ShipmentStatus",
    "TenderFinding",
]

ASSESSMENT_FORMAT = "greentrade.assessment/1"

STATUSES: tuple[str, ...] = ("gaps", "undetermined", "expiring", "optional-gaps", "ready", "no-requirements-known")
STATUS_MEANING: dict[str, str] = {
    "gaps": "a required document is missing or does not qualify",
    "undetermined": "the data do not tell whether a required document applies or qualifies",
    "expiring": "ready, but a required document expires within the requirement's validity margin",
    "optional-gaps": "every required document is in place; a preferred (or not yet in force) one has a gap",
    "ready": "every document the market's profiles ask for is in place",
    "no-requirements-known": "no profile requirement is known for this product category in this market",
}
GAP_KINDS: tuple[str, ...] = (
    "missing-document",
    "product-mismatch",
    "wrong-standard",
    "wrong-edition",
    "wrong-method",
    "unrecognized-issuer",
    "not-valid",
    "spec-unknown",
    "undated-standard",
    "adoption-undetermined",
    "expiring",
    "application-date-unknown",
    "wrong-declaration",
)
UNDETERMINED_KINDS = frozenset({"spec-unknown", "undated-standard", "adoption-undetermined",
                                "application-date-unknown"})
PROGRAM_NO_SHIPMENT = "no-shipment"
PROGRAM_MIXED = "mixed"


# -- the assessment's values ------------------------------------------------------------------------
@attrs.frozen
class Gap:
    """Why a requirement is not (or not for long) met, and what would close it."""

    kind: str
    message: str
    action: str
    document: str | None = None


@attrs.frozen
class RequirementCheck:
    """One requirement of a profile checked for one product."""

    profile: str
    requirement: str
    title: str
    document_type: str
    level: str
    standing: str
    in_force: bool
    citation: Citation
    effective_from: dt.date | None = None
    document: str | None = None
    valid_until: dt.date | None = None
    gaps: tuple[Gap, ...] = ()

    @property
    def met(self) -> bool:
        return all(g.kind == "expiring" for g in self.gaps)

    @property
    def blocking(self) -> bool:
        """Counts for the status (a required requirement in force)."""
        return self.level == "required" and self.in_force


@attrs.frozen
class ShipmentStatus:
    """A program's status for one shipment that carries the product."""

    shipment: str
    destination: str
    ship_date: dt.date
    status: str
    summary: str


@attrs.frozen
class PathwayStatus:
    """A program a market's buyers accept, with the status of shipments of the product to the market."""

    program: str
    purpose: str
    profile: str
    loaded: bool
    shipments: tuple[ShipmentStatus, ...] = ()


@attrs.frozen
class Cell:
    """A product in a market."""

    market: str
    status: str
    requirements: tuple[RequirementCheck, ...] = ()
    notes: tuple[str, ...] = ()
    earliest_expiry: dt.date | None = None
    limiting_document: str | None = None
    pathways: tuple[PathwayStatus, ...] = ()

    @property
    def gaps(self) -> list[tuple[RequirementCheck, Gap]]:
        return [(r, g) for r in self.requirements for g in r.gaps]


@attrs.frozen
class ProgramCell:
    """A program's status for the shipments that carry a product (a shipment's status covers all its lines)."""

    program: str
    status: str
    shipments: tuple[ShipmentStatus, ...] = ()


@attrs.frozen
class ProductRow:
    product: str
    model: str
    name: str
    category: str
    cells: tuple[Cell, ...]
    programs: tuple[ProgramCell, ...]


@attrs.frozen
class Market:
    id: str
    kind: str  # "region" or "country"
    countries: tuple[str, ...]
    profiles: tuple[str, ...]


@attrs.frozen
class ProgramInfo:
    id: str
    title: str


@attrs.frozen
class TenderFinding:
    tender: str
    rule: str
    severity: str
    message: str
    pointer: str


@attrs.frozen
class Assessment:
    """The readiness matrix of a dossier. Same input, date, plugins and markets: same output."""

    greentrade_version: str
    as_of: dt.date
    input_sha256: str
    plugins: tuple[PluginInfo, ...]
    evaluated: bool
    markets: tuple[Market, ...] = ()
    programs: tuple[ProgramInfo, ...] = ()
    products: tuple[ProductRow, ...] = ()
    tenders: tuple[TenderFinding, ...] = ()
    data_findings: tuple[Finding, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.products:
            for cell in row.cells:
                counts[cell.status] += 1
        return counts

    def cell(self, product: str, market: str) -> Cell | None:
        for row in self.products:
            if row.product == product:
                return next((c for c in row.cells if c.market == market), None)
        return None

    def matrix(self) -> dict[str, dict[str, str]]:
        """Status by product id and market id."""
        return {row.product: {c.market: c.status for c in row.cells} for row in self.products}

    # -- forms ---------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The public JSON form (``schemas/assessment.schema.json``), through a cattrs converter."""
        d: dict[str, Any] = _converter().unstructure(self)
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self, lang: str | None = None) -> str:
        """The text form (`greentrade.render.assessment_text` of `to_dict()`), in `lang` (a BCP 47
        tag of a shipped language; default English)."""
        return render.assessment_text(self.to_dict(), lang)

    def to_html(self, lang: str | None = None) -> str:
        """A self-contained HTML page (`greentrade.render.assessment_html` of `to_dict()`), in `lang`."""
        return render.assessment_html(self.to_dict(), lang)


# -- the JSON form ---------------------------------------------------------------------------------
# Measured (plugins/buyer-profiles/examples/portfolio.json, 14 products, about 22,000 values, the
# median of 15 same-process ratios on a loaded 2-core machine): this converter takes about 1.7x
# the time of the hand-written to_dict it replaced (about 1.9 ms against 1.1 ms), against about
# 20-25 ms for the assess() call that built the assessment: a few per cent, kept for one way of
# writing the JSON forms. The hooks for tuples and optionals below halved it from about 2.5x.
# cattrs unstructures every value class (dates as ISO strings, enums as values, tuples as lists,
# a field that defaults to None left out while it is None). What the classes cannot say is
# declared here: the schema's key order where it differs from the field order, the members the
# JSON carries that are properties, and the fields the assessment leaves out of a shared class.
_ORDER: dict[type, tuple[str, ...]] = {
    Assessment: ("assessment_format", "greentrade_version", "plugins", "as_of", "input_sha256", "evaluated",
                 "statuses", "counts", "markets", "programs", "products", "tenders", "data_findings"),
    Cell: ("market", "status", "earliest_expiry", "limiting_document", "requirements", "notes", "pathways"),
    RequirementCheck: ("profile", "requirement", "title", "document_type", "level", "standing", "in_force", "met",
                       "effective_from", "document", "valid_until", "gaps", "citation"),
    Citation: ("authority", "title", "date", "reference", "note"),
}
_COMPUTED: dict[type, dict[str, Callable[[Any], Any]]] = {
    Assessment: {
        "assessment_format": lambda _a: ASSESSMENT_FORMAT,
        "statuses": lambda _a: [{"status": s, "meaning": STATUS_MEANING[s]} for s in STATUSES],
        "counts": lambda a: a.counts,
    },
    RequirementCheck: {"met": lambda r: r.met},
}
_ONLY: dict[type, tuple[str, ...]] = {
    PluginInfo: ("name", "version"),
    Finding: ("rule", "severity", "message", "pointer"),  # data_findings: what the reader found
}


def _unstructure_fn(conv: cattrs.Converter, cls: type) -> Callable[[Any], dict[str, Any]]:
    fields = attrs.fields(cls)
    only = _ONLY.get(cls)
    kept = [a.name for a in fields if only is None or a.name in only]
    omitted: dict[str, Any] = {a.name: override(omit=True) for a in fields if a.name not in kept}
    base: Any = make_dict_unstructure_fn(cls, conv, **omitted)
    optional = tuple(a.name for a in fields if a.default is None and a.name in kept)
    computed = _COMPUTED.get(cls, {})
    order = _ORDER.get(cls)
    if order is not None and set(order) != {*kept, *computed}:  # a field added to a class, not to its order
        raise AssertionError(f"the JSON order of {cls.__name__} lists {order}, the class has {kept}")

    if not optional and not computed and order is None:
        return base  # type: ignore[no-any-return]

    def unstructure(obj: Any) -> dict[str, Any]:
        d: dict[str, Any] = base(obj)
        for name in optional:
            if d[name] is None:
                del d[name]
        for name, fn in computed.items():
            d[name] = fn(obj)
        return d if order is None else {k: d[k] for k in order if k in d}

    return unstructure


def _is_optional(t: Any) -> bool:
    args = get_args(t)
    return len(args) == 2 and type(None) in args and get_origin(t) in (Union, types.UnionType)


def _optional_fn(conv: cattrs.Converter, t: Any) -> Callable[[Any], Any]:
    """``X | None`` without cattrs' per-value dispatch (a third of the time without it)."""
    handler = conv.get_unstructure_hook(next(a for a in get_args(t) if a is not type(None)))
    return lambda value: None if value is None else handler(value)


def _is_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_fn(conv: cattrs.Converter, t: Any) -> Callable[[Any], list[Any]]:
    """``tuple[X, ...]`` as a list, by a list comprehension (cattrs' generator is slower)."""
    elem = get_args(t)[0]
    if elem is str:
        return list
    handler = conv.get_unstructure_hook(elem)
    return lambda values: [handler(v) for v in values]


@functools.cache
def _converter() -> cattrs.Converter:
    conv = cattrs.Converter()
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook_factory(_is_optional, lambda t: _optional_fn(conv, t))
    conv.register_unstructure_hook_factory(_is_tuple, lambda t: _tuple_fn(conv, t))
    conv.register_unstructure_hook_factory(attrs.has, lambda cls: _unstructure_fn(conv, cls))
    return conv
