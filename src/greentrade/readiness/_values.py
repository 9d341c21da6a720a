"""The assessment's values: statuses, gaps, requirement checks, cells, rows and `Assessment`.

`Assessment.to_dict()` is the public contract (``schemas/assessment.schema.json``); its text and
HTML forms are rendered from that dict by `greentrade.render`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs

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
    "expiring",
    "application-date-unknown",
    "wrong-declaration",
)
UNDETERMINED_KINDS = frozenset({"spec-unknown", "undated-standard", "application-date-unknown"})
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

