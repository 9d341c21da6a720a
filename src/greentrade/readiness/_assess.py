"""Portfolio readiness: which products have shipment-ready documents for which market.

`assess` builds a matrix of the dossier's products against markets (the regions or countries
of the loaded buyer profiles) and programs. Each market cell checks the profiles' requirements
for the product's category against the dossier's documents and lists every gap with the action
that would close it; each program cell lists the program status of the dossier's shipments
that carry the product. The result is a public contract (`schemas/assessment.schema.json`),
rendered as JSON, or by `greentrade.render` as text or a self-contained HTML page. See
``docs/assess.md``. The values are in `_values`, market resolution in `_markets`, the check of
one requirement in `_requirements`; this module builds the matrix.

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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from greentrade._version import __version__
from greentrade.errors import MarketError
from greentrade.model import Dossier, Product
from greentrade.readiness._markets import resolve_markets
from greentrade.readiness._requirements import Ctx, cell_status, check_requirement
from greentrade.readiness._values import (
    PROGRAM_MIXED,
    PROGRAM_NO_SHIPMENT,
    Assessment,
    Cell,
    Market,
    PathwayStatus,
    ProductRow,
    ProgramCell,
    ProgramInfo,
    RequirementCheck,
    ShipmentStatus,
    TenderFinding,
)
from greentrade.rules._profiles import BuyerProfile
from greentrade.rules._report import Outcome, Report
from greentrade.rules._rules import Severity

if TYPE_CHECKING:
    from greentrade.engine._engine import Engine

__all__ = ["MarketError", "assess"]


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


def _cell(ctx: Ctx, report: Report, market: Market, profiles: Mapping[str, BuyerProfile],
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
            check, note = check_requirement(ctx, profile, req, product)
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
        market=market.id, status=cell_status(checks), requirements=tuple(checks), notes=tuple(notes),
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
    date (default, as `Engine.validate`'s: the configuration's ``[greentrade] as_of``, else the
    dossier's ship dates: the earliest of them, when the goods first leave; today for a dossier
    without shipments); the program statuses come from ``engine.validate(source, as_of=as_of)``,
    i.e. by default as of the configured date or each shipment's ship date. Raises
    `DossierReadError` for unreadable input and `MarketError` for an unknown market; a
    dossier with data errors gives an assessment with ``evaluated`` False and its findings.
    """
    profiles = {p.id: p for p in engine.profiles}
    resolved = resolve_markets(list(profiles.values()), markets)
    # Read once (a path within the engine's input limit); the report is evaluated from the same entities.
    loaded = engine._load(source)
    report = engine._evaluate(loaded, as_of)
    ships = [s.ship_date for s in loaded.dossier.shipments] if loaded.dossier is not None else []
    day = as_of or engine.as_of or min(ships, default=None) or dt.date.today()
    programs = tuple(ProgramInfo(p.id, p.title) for p in engine.programs)
    if loaded.dossier is None or not report.evaluated:
        return Assessment(__version__, day, report.input_sha256, report.plugins, evaluated=False,
                          markets=tuple(resolved), programs=programs,
                          data_findings=tuple(f for f in report.findings if f.severity is Severity.ERROR))
    dossier = loaded.dossier
    ctx = Ctx(dossier, engine.catalog, day, engine.reference)
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
