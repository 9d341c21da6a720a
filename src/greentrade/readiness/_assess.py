"""Portfolio readiness: which products have shipment-ready documents for which market.

`assess` builds a matrix of the dossier's products against markets (the regions or countries
of the loaded buyer profiles) and programs. Each market cell checks the profiles' requirements
for the product's category against the dossier's documents and lists every gap with the action
that would close it; each program cell lists the program status of the dossier's shipments
that carry the product. The result is a public contract (`schemas/assessment.schema.json`),
rendered as JSON, text or a self-contained HTML page. See ``docs/assess.md``.

Cell statuses, worst first (`STATUSES`):

``gaps``
    a required requirement in force has a gap: a missing document, a wrong standard or edition,
    an unrecognized issuer, a document that is not valid on the as-of date or that states another
    product.
``undetermined``
    no such gap, but whether a required requirement applies or is met cannot be told from the
    data (a spec the requirement depends on is not stated, a standard without edition).
``expiring``
    every required requirement is met, but a document relied on expires before the as-of date
    plus the requirement's ``min_validity_days``.
``optional-gaps``
    every required requirement in force is met; a preferred one (e.g. a pilot pathway's
    document) or one not yet in force has a gap.
``ready``
    every requirement that applies is met.
``no-requirements-known``
    no requirement of the market's profiles applies to the product's category: nothing is
    known, which is not the same as nothing being required.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from greentrade import render
from greentrade._version import __version__
from greentrade.errors import MarketError
from greentrade.io._load import DossierReadError
from greentrade.model import _codes
from greentrade.model._entities import Document, Dossier, Product
from greentrade.model._quantity import UnitError
from greentrade.model._standards import METHODS, StandardDesignator
from greentrade.rules._evidence import SITE_DOCUMENT_TYPES as _SITE_DOCUMENT_TYPES
from greentrade.rules._evidence import EvidenceIndex, models_match, standard_match
from greentrade.rules._profiles import BuyerProfile, Requirement
from greentrade.rules._report import Outcome, PluginInfo, Report
from greentrade.rules._rules import Citation, Finding, Severity

if TYPE_CHECKING:
    from greentrade.engine._engine import Engine
    from greentrade.rules._catalog import Catalog

__all__ = [
    "GAP_KINDS",
    "STATUSES",
    "Assessment",
    "Cell",
    "Gap",
    "Market",
    "MarketError",
    "PathwayStatus",
    "ProductRow",
    "ProgramCell",
    "RequirementCheck",
    "ShipmentStatus",
    "assess",
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
    "expiring",
    "application-date-unknown",
    "wrong-declaration",
)
_UNDETERMINED_KINDS = frozenset({"spec-unknown", "undated-standard", "application-date-unknown"})
PROGRAM_NO_SHIPMENT = "no-shipment"
PROGRAM_MIXED = "mixed"
#: Document types of which a product commonly has several, one per standard.
_PER_STANDARD_TYPES = ("certificate", "test-report", "factory-audit")

# Units the spec threshold of a requirement may be compared across (dimension, factor).


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
        return {
            "assessment_format": ASSESSMENT_FORMAT,
            "greentrade_version": self.greentrade_version,
            "plugins": [{"name": p.name, "version": p.version} for p in self.plugins],
            "as_of": self.as_of.isoformat(),
            "input_sha256": self.input_sha256,
            "evaluated": self.evaluated,
            "statuses": [{"status": s, "meaning": STATUS_MEANING[s]} for s in STATUSES],
            "counts": self.counts,
            "markets": [
                {"id": m.id, "kind": m.kind, "countries": list(m.countries), "profiles": list(m.profiles)}
                for m in self.markets
            ],
            "programs": [{"id": p.id, "title": p.title} for p in self.programs],
            "products": [_row_dict(r) for r in self.products],
            "tenders": [
                {"tender": t.tender, "rule": t.rule, "severity": t.severity, "message": t.message,
                 "pointer": t.pointer}
                for t in self.tenders
            ],
            "data_findings": [
                {"rule": f.rule, "severity": str(f.severity), "message": f.message, "pointer": f.pointer}
                for f in self.data_findings
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """The text form (`greentrade.render.assessment_text` of `to_dict()`)."""
        return render.assessment_text(self.to_dict())

    def to_html(self) -> str:
        """A self-contained HTML page (`greentrade.render.assessment_html` of `to_dict()`)."""
        return render.assessment_html(self.to_dict())


def _opt(d: dict[str, Any], key: str, value: Any) -> None:
    if value is None or value == [] or value == ():
        return
    d[key] = value.isoformat() if isinstance(value, dt.date) else value


def _shipment_dict(s: ShipmentStatus) -> dict[str, Any]:
    return {"shipment": s.shipment, "destination": s.destination, "ship_date": s.ship_date.isoformat(),
            "status": s.status, "summary": s.summary}


def _citation_dict(c: Citation) -> dict[str, Any]:
    d: dict[str, Any] = {"authority": c.authority, "title": c.title}
    _opt(d, "date", c.date)
    d["reference"] = c.reference
    _opt(d, "note", c.note)
    return d


def _requirement_dict(r: RequirementCheck) -> dict[str, Any]:
    d: dict[str, Any] = {
        "profile": r.profile, "requirement": r.requirement, "title": r.title, "document_type": r.document_type,
        "level": r.level, "standing": r.standing, "in_force": r.in_force, "met": r.met,
    }
    _opt(d, "effective_from", r.effective_from)
    _opt(d, "document", r.document)
    _opt(d, "valid_until", r.valid_until)
    gaps = []
    for g in r.gaps:
        gd: dict[str, Any] = {"kind": g.kind, "message": g.message, "action": g.action}
        _opt(gd, "document", g.document)
        gaps.append(gd)
    d["gaps"] = gaps
    d["citation"] = _citation_dict(r.citation)
    return d


def _row_dict(row: ProductRow) -> dict[str, Any]:
    cells = []
    for c in row.cells:
        cd: dict[str, Any] = {"market": c.market, "status": c.status}
        _opt(cd, "earliest_expiry", c.earliest_expiry)
        _opt(cd, "limiting_document", c.limiting_document)
        cd["requirements"] = [_requirement_dict(r) for r in c.requirements]
        cd["notes"] = list(c.notes)
        cd["pathways"] = [
            {"program": p.program, "purpose": p.purpose, "profile": p.profile, "loaded": p.loaded,
             "shipments": [_shipment_dict(s) for s in p.shipments]}
            for p in c.pathways
        ]
        cells.append(cd)
    return {
        "product": row.product, "model": row.model, "name": row.name, "category": row.category,
        "cells": cells,
        "programs": [
            {"program": p.program, "status": p.status, "shipments": [_shipment_dict(s) for s in p.shipments]}
            for p in row.programs
        ],
    }


# -- markets ------------------------------------------------------------------------------------------
def resolve_markets(profiles: Sequence[BuyerProfile], markets: Iterable[str] | None) -> list[Market]:
    """Markets by region name (case-insensitive) or ISO country code; default: every region, sorted."""
    regions = sorted({p.region for p in profiles if p.region})
    wanted = regions if markets is None else list(dict.fromkeys(markets))
    out: list[Market] = []
    for m in wanted:
        region = next((r for r in regions if r.lower() == m.strip().lower()), None)
        if region is not None:
            ps = [p for p in profiles if p.region == region]
            countries = sorted({c for p in ps for c in p.countries})
            out.append(Market(region, "region", tuple(countries), tuple(p.id for p in ps)))
            continue
        code = m.strip()
        if len(code) == 2 and code.upper() in _codes.countries():
            code = code.upper()
            ps = [p for p in profiles if code in p.countries]
            out.append(Market(code, "country", (code,), tuple(p.id for p in ps)))
            continue
        known = ", ".join(regions) or "none"
        raise MarketError(f"unknown market {m!r}: give a profile region ({known}) or an ISO 3166-1 alpha-2 code")
    return out


# -- checking one requirement ----------------------------------------------------------------------------
def _quantity(product: Product, name: str, unit: str) -> float | None:
    """The product's spec in `unit` (`Product.quantity`), or None when it has none or its unit
    does not convert (a spec in the requirement's own unit is taken as it is)."""
    spec = product.spec(name)
    if spec is None:
        return None
    if spec.unit.strip().lower() == unit.strip().lower():
        return spec.value
    try:
        return product.quantity(name, unit)
    except UnitError:
        return None


def _num(x: float) -> str:
    return f"{x:g}"


def _std_list(ds: Sequence[StandardDesignator]) -> str:
    return " or ".join(map(str, ds))


@attrs.frozen
class _Ctx:
    dossier: Dossier
    catalog: Catalog
    as_of: dt.date
    reference: Mapping[str, Any] = attrs.field(factory=dict)
    evidence: EvidenceIndex = attrs.field(default=attrs.Factory(lambda self: EvidenceIndex(self.dossier),
                                                                takes_self=True))


def _same_standard(ctx: _Ctx, want: StandardDesignator, have: StandardDesignator) -> bool:
    """Same family, or `have` is a superseded edition (e.g. ISO/TS 14067:2013) of `want`'s standard."""
    return standard_match(want, have, ctx.catalog).related


def _edition_gap(ctx: _Ctx, doc: Document, want: StandardDesignator, have: StandardDesignator) -> Gap | None:
    """What keeps `have` from satisfying `want`: the same `standard_match` the TENDER rules use."""
    m = standard_match(want, have, ctx.catalog)
    if m.verdict == "satisfies":
        return None
    if m.verdict == "superseded":
        return Gap("wrong-edition",
                   f"document {doc.id} cites {have}, a superseded edition (current: {m.current})",
                   f"Have document {doc.id} reissued against {m.current}.", doc.id)
    if m.verdict == "undated":
        return Gap("undated-standard",
                   f"document {doc.id} cites {have} without an edition; the requirement names {want}",
                   f"Check the edition document {doc.id} was issued against and record it (e.g. {want}).", doc.id)
    return Gap("wrong-edition", f"document {doc.id} cites {have}; the requirement names {want}",
               f"Have document {doc.id} reissued against {want}.", doc.id)


def _candidate_gaps(ctx: _Ctx, req: Requirement, doc: Document, product: Product) -> list[Gap]:
    gaps: list[Gap] = []
    cov = ctx.evidence.entry(doc, product.id)
    if (cov is not None and cov.model is not None and product.model is not None
            and not models_match(cov.model, product.model)):
        gaps.append(Gap("product-mismatch",
                        f"document {doc.id} states model {cov.model!r}; product {product.id} is {product.model!r}",
                        f"Obtain a {req.document_type} issued for model {product.model}, or correct the records.",
                        doc.id))
    site = product.manufacturing_site
    if cov is not None and doc.sites and site is not None and site not in doc.sites:
        gaps.append(Gap("product-mismatch",
                        f"document {doc.id} covers product {product.id} but lists sites {', '.join(doc.sites)}, not "
                        f"its manufacturing site {site}",
                        f"Obtain a {req.document_type} that covers site {site}, or correct the product's "
                        "manufacturing site.", doc.id))
    if req.standards:
        pairs = [(w, h) for w in req.standards for h in doc.standards if _same_standard(ctx, w, h)]
        if not pairs:
            gaps.append(Gap("wrong-standard",
                            f"document {doc.id} cites {', '.join(map(str, doc.standards))}; the requirement asks "
                            f"for {_std_list(req.standards)}",
                            f"Obtain a {req.document_type} against {_std_list(req.standards)} covering product "
                            f"{product.id}.", doc.id))
        else:
            edition = [_edition_gap(ctx, doc, w, h) for w, h in pairs]
            if all(g is not None for g in edition):
                gaps.append(next(g for g in edition if g is not None))
    # A document states what the requirement asks for either by a recorded method (dossier
    # format 2, e.g. the EU Battery Regulation Art. 7 method) or in its scope: one gap when neither.
    method_gaps = _method_gaps(req, doc)
    missing = _states(doc, req.document_states)
    if missing and not (req.methods and not method_gaps):
        wanted = " and ".join(repr(p.split("|")[0]) for p in missing)
        gaps.append(Gap("wrong-declaration",
                        f"document {doc.id} does not state {wanted} (its scope: "
                        f"{doc.scope or 'none recorded'}); a {req.document_type} to another standard does not by "
                        "itself satisfy the requirement",
                        f"Obtain a {req.document_type} that states {wanted} for product {product.id}, and record "
                        "that in the document's scope.", doc.id))
    elif method_gaps and not (req.document_states and not missing):
        gaps.extend(method_gaps)
    if req.issuer_accreditations:
        issuer = ctx.dossier.party(doc.issuer) if doc.issuer is not None else None
        families = {a.family for a in req.issuer_accreditations}
        accs = issuer.accreditations if issuer is not None else ()
        if not any(a.standard.family in families and a.valid_on(ctx.as_of) for a in accs):
            held = "; ".join(f"{a.standard} until {a.valid_until}" for a in accs) or "none recorded"
            name = issuer.name if issuer is not None else doc.issuer
            gaps.append(Gap("unrecognized-issuer",
                            f"issuer {doc.issuer} ({name}) of document {doc.id} holds no accreditation to "
                            f"{_std_list(req.issuer_accreditations)} valid on {ctx.as_of} (accreditations: {held})",
                            f"Use an issuer accredited to {_std_list(req.issuer_accreditations)}, or record the "
                            f"issuer's valid accreditation in the dossier.", doc.id))
    if doc.status != "valid":
        gaps.append(Gap("not-valid", f"document {doc.id} is {doc.status or 'of no stated status'}",
                        f"Replace document {doc.id} with a valid one.", doc.id))
    elif doc.issue_date is None:
        gaps.append(Gap("not-valid", f"document {doc.id} states no issue date",
                        f"Add the issue date of document {doc.id}.", doc.id))
    elif doc.issue_date > ctx.as_of:
        gaps.append(Gap("not-valid", f"document {doc.id} is issued {doc.issue_date}, after {ctx.as_of}",
                        f"Assess again once document {doc.id} is issued, or check its issue date.", doc.id))
    elif doc.valid_until is not None and doc.valid_until < ctx.as_of:
        gaps.append(Gap("not-valid", f"document {doc.id} expired on {doc.valid_until}",
                        f"Renew document {doc.id}.", doc.id))
    elif doc.valid_until is not None and req.min_validity_days:
        needed = ctx.as_of + dt.timedelta(days=req.min_validity_days)
        if doc.valid_until < needed:
            gaps.append(Gap("expiring",
                            f"document {doc.id} expires {doc.valid_until}, before {needed} "
                            f"({req.min_validity_days} days after {ctx.as_of})",
                            f"Renew document {doc.id} before {doc.valid_until}.", doc.id))
    return gaps


def _method_gaps(req: Requirement, doc: Document) -> list[Gap]:
    """A requirement naming calculation methods (e.g. the EU Battery Regulation Art. 7 method) is
    met only by a document that states one of them; a standard does not stand in for a method."""
    if not req.methods or any(m.id in req.methods for m in doc.methods):
        return []
    wanted = " or ".join(METHODS.get(m, m) for m in req.methods)
    stated = ", ".join(map(str, doc.methods)) or "none"
    return [Gap("wrong-method",
                f"document {doc.id} does not state the {wanted} (methods stated: {stated})",
                f"Obtain a {req.document_type} that states it follows the {wanted}, or record the method "
                f"of document {doc.id} if it does.", doc.id)]


def _rank(gaps: Sequence[Gap], doc: Document) -> tuple[int, int, int, str]:
    hard = [g for g in gaps if g.kind != "expiring"]
    open_ = [g for g in hard if g.kind not in _UNDETERMINED_KINDS]
    grade = 0 if not gaps else 1 if not hard else 2 if not open_ else 3
    until = doc.valid_until.toordinal() if doc.valid_until else dt.date.max.toordinal()
    return grade, len(hard), -until, doc.id


def _check(ctx: _Ctx, profile: BuyerProfile, req: Requirement,
           product: Product) -> tuple[RequirementCheck | None, str | None]:
    """The check (None when the requirement does not apply) and a note on its applicability."""
    start, date_gap = _application_date(ctx, req)
    in_force = start is None or start <= ctx.as_of
    base = RequirementCheck(
        profile=profile.id, requirement=req.id, title=req.title or req.id, document_type=req.document_type,
        level=req.level, standing=req.standing, in_force=in_force, citation=req.citation,
        effective_from=start,
    )
    if date_gap is not None:
        base = attrs.evolve(base, gaps=(date_gap,))
    if req.applies_if_spec is not None and req.applies_if_min is not None:
        unit = req.applies_if_unit or ""
        op = ">" if req.applies_if_exclusive else ">="
        threshold = f"{req.applies_if_spec} {op} {_num(req.applies_if_min)} {unit}".rstrip()
        spec = product.spec(req.applies_if_spec)
        value = _quantity(product, req.applies_if_spec, unit) if spec is not None and unit else (
            spec.value if spec is not None else None)
        if value is None:
            stated = f"states {spec.name} in {spec.unit!r}" if spec is not None else \
                f"states no {req.applies_if_spec!r}"
            return attrs.evolve(base, gaps=(*base.gaps, Gap(
                "spec-unknown",
                f"product {product.id} {stated}; requirement {req.id} applies when {threshold}",
                f"Record the product's {req.applies_if_spec} in {unit or 'the unit of the requirement'} in its specs.",
            ),)), None
        if value < req.applies_if_min or (req.applies_if_exclusive and value == req.applies_if_min):
            return None, (f"{req.id} does not apply: {req.applies_if_spec} {_num(value)} {unit} is not "
                          f"{'above' if req.applies_if_exclusive else 'at or above'} {_num(req.applies_if_min)} {unit}")
        if value == req.applies_if_min:
            return _with_documents(ctx, req, product, base), (
                f"{req.id}: {req.applies_if_spec} {_num(value)} {unit} is exactly at the profile's inclusive "
                "threshold; the requirement's note says whether its source's threshold is exclusive")
    return _with_documents(ctx, req, product, base), None


def _application_date(ctx: _Ctx, req: Requirement) -> tuple[dt.date | None, Gap | None]:
    """When the requirement applies: its own date, or the later of it and the host's configured date;
    a gap when that date must come from the host and does not."""
    if req.effective_from_reference is None:
        return req.effective_from, None
    key = req.effective_from_reference
    raw = ctx.reference.get(key)
    try:
        configured = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        configured = None
    if configured is None:
        earliest = f" (not before {req.effective_from})" if req.effective_from else ""
        told = f"; the configured value {raw!r} is not a date" if raw else ""
        return req.effective_from, Gap(
            "application-date-unknown",
            f"{req.id} applies from a date its source ties to another act{earliest}, which greentrade "
            f"does not know{told}",
            f'Configure the application date in the host\'s [reference] table ("{key}" = YYYY-MM-DD) '
            "from the Official Journal of the EU.")
    return (max(configured, req.effective_from) if req.effective_from else configured), None


def _states(doc: Document, phrases: Sequence[str]) -> list[str]:
    """The phrases (``a|b``: either) the document's scope does not state."""
    text = "".join((doc.scope or "").split()).casefold()
    return [p for p in phrases
            if not any("".join(alt.split()).casefold() in text for alt in p.split("|"))]


def _with_documents(ctx: _Ctx, req: Requirement, product: Product, base: RequirementCheck) -> RequirementCheck:
    candidates = list(ctx.evidence.covering(product, req.document_type, _SITE_DOCUMENT_TYPES))
    others = ""
    if req.standards and req.document_type in _PER_STANDARD_TYPES:
        # A certificate or test report against another standard is another document, not a wrong one.
        unrelated = [d for d in candidates
                     if not any(_same_standard(ctx, w, h) for w in req.standards for h in d.standards)]
        candidates = [d for d in candidates if d not in unrelated]
        if unrelated:
            others = " (other {}s covering it: {})".format(req.document_type, ", ".join(
                f"{d.id} against {', '.join(map(str, d.standards))}" for d in unrelated))
    if not candidates:
        std = f" against {_std_list(req.standards)}" if req.standards else ""
        accredited = _std_list(req.issuer_accreditations)
        by = f" from an issuer accredited to {accredited}" if req.issuer_accreditations else ""
        keep = (f", valid at least until {ctx.as_of + dt.timedelta(days=req.min_validity_days)}"
                if req.min_validity_days else "")
        label = product.model or product.name or "no model stated"
        return attrs.evolve(base, gaps=(*base.gaps, Gap(
            "missing-document",
            f"no {req.document_type}{std} in the dossier covers product {product.id} ({label}){others}",
            f"Obtain a {req.document_type}{std}{by} for product {product.id} ({label}){keep}.",
        ),))
    scored = sorted(((_candidate_gaps(ctx, req, d, product), d) for d in candidates),
                    key=lambda gd: _rank(gd[0], gd[1]))
    gaps, doc = scored[0]
    return attrs.evolve(base, document=doc.id, valid_until=doc.valid_until, gaps=(*base.gaps, *gaps))


def _status(checks: Sequence[RequirementCheck]) -> str:
    if not checks:
        return "no-requirements-known"
    blocking = [c for c in checks if c.blocking]
    kinds: set[str] = set()
    for c in blocking:
        own = {g.kind for g in c.gaps}
        # Whether the requirement applies at all is open: its document gaps cannot decide the status.
        kinds |= {"application-date-unknown"} if "application-date-unknown" in own else own
    if kinds - _UNDETERMINED_KINDS - {"expiring"}:
        return "gaps"
    if kinds & _UNDETERMINED_KINDS:
        return "undetermined"
    if "expiring" in kinds:
        return "expiring"
    if any(c.gaps for c in checks):
        return "optional-gaps"
    return "ready"


# -- the matrix ---------------------------------------------------------------------------------------------
def _shipment_statuses(dossier: Dossier, report: Report, program: str, product: Product,
                       countries: frozenset[str] | None = None) -> tuple[ShipmentStatus, ...]:
    out = []
    for s in dossier.shipments:
        if countries is not None and s.destination_country not in countries:
            continue
        if not any(line.product == product.id for line in s.lines):
            continue
        outcome: Outcome | None = next(
            (o for o in report.outcomes if o.program == program and o.subject == s.id), None)
        if outcome is None:
            out.append(ShipmentStatus(s.id, s.destination_country, s.ship_date, "not-evaluated",
                                      "the program was not evaluated for this shipment"))
        else:
            out.append(ShipmentStatus(s.id, s.destination_country, s.ship_date, str(outcome.status),
                                      outcome.summary))
    return tuple(out)


def _cell(ctx: _Ctx, report: Report, market: Market, profiles: Mapping[str, BuyerProfile],
          programs: frozenset[str], product: Product) -> Cell:
    checks: list[RequirementCheck] = []
    notes: list[str] = []
    pathways: list[PathwayStatus] = []
    seen_programs: set[str] = set()
    countries = frozenset(market.countries)
    for pid in market.profiles:
        profile = profiles[pid]
        for req in profile.requirements:
            if req.category != product.category:
                continue
            check, note = _check(ctx, profile, req, product)
            if note is not None:
                notes.append(note)
            if check is not None:
                checks.append(check)
        for way in profile.pathways:
            if way.program in seen_programs:
                continue
            seen_programs.add(way.program)
            pathways.append(PathwayStatus(
                way.program, way.purpose, profile.id, way.program in programs,
                _shipment_statuses(ctx.dossier, report, way.program, product, countries)))
    relied = [(c.valid_until, c.document or "") for c in checks
              if c.document is not None and c.valid_until is not None and c.met]
    earliest = min(relied) if relied else None
    return Cell(
        market=market.id, status=_status(checks), requirements=tuple(checks), notes=tuple(notes),
        earliest_expiry=earliest[0] if earliest else None, limiting_document=earliest[1] if earliest else None,
        pathways=tuple(pathways),
    )


def _program_cell(dossier: Dossier, report: Report, program: str, product: Product) -> ProgramCell:
    shipments = _shipment_statuses(dossier, report, program, product)
    statuses = {s.status for s in shipments}
    if not shipments:
        status = PROGRAM_NO_SHIPMENT
    elif len(statuses) == 1:
        status = shipments[0].status
    else:
        status = PROGRAM_MIXED
    return ProgramCell(program, status, shipments)


def assess(engine: Engine, source: bytes | str | Path | Mapping[str, Any] | Dossier, *,
           markets: Iterable[str] | None = None, as_of: dt.date | None = None) -> Assessment:
    """Assess the readiness of a dossier's products for markets and programs.

    `source` is what `Engine.validate` takes. `markets` are profile regions or ISO 3166-1
    alpha-2 codes (default: every region of the loaded profiles). `as_of` is the readiness
    date (default: today); the program statuses come from ``engine.validate(source,
    as_of=as_of)``, i.e. by default as of each shipment's ship date. Raises
    `DossierReadError` for unreadable input and `MarketError` for an unknown market; a
    dossier with data errors gives an assessment with ``evaluated`` False and its findings.
    """
    if isinstance(source, Path):
        try:
            source = source.read_bytes()
        except OSError as exc:
            raise DossierReadError(f"cannot read {str(source)!r}: {exc.strerror}") from None
    profiles = {p.id: p for p in engine.profiles}
    resolved = resolve_markets(list(profiles.values()), markets)
    loaded = engine._load(source)  # read once; the report is evaluated from the same entities
    report = engine._evaluate(loaded, as_of)
    day = as_of or dt.date.today()
    programs = tuple(ProgramInfo(p.id, p.title) for p in engine.programs)
    if loaded.dossier is None or not report.evaluated:
        return Assessment(__version__, day, report.input_sha256, report.plugins, evaluated=False,
                          markets=tuple(resolved), programs=programs,
                          data_findings=tuple(f for f in report.findings if f.severity is Severity.ERROR))
    dossier = loaded.dossier
    ctx = _Ctx(dossier, engine.catalog, day, engine.reference)
    loaded_programs = frozenset(p.id for p in programs)
    rows = []
    for product in dossier.products:
        cells = tuple(_cell(ctx, report, m, profiles, loaded_programs, product) for m in resolved)
        program_cells = tuple(_program_cell(dossier, report, p.id, product) for p in programs)
        # Format-2 products may lack model, name or category; the assessment shows them as empty.
        rows.append(ProductRow(product.id, product.model or "", product.name or "", product.category or "",
                               cells, program_cells))
    tenders = tuple(
        TenderFinding(f.subject or "", f.rule, str(f.severity), f.message, f.pointer)
        for f in report.findings if f.pointer.startswith("/tenders/")
    )
    return Assessment(__version__, day, report.input_sha256, report.plugins, evaluated=True,
                      markets=tuple(resolved), programs=programs, products=tuple(rows), tenders=tenders)
