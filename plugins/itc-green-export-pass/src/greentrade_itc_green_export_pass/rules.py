"""Rules of the itc-green-export-pass program. Ids, titles, severities, remediation texts and
citations live in data/program.json; this module maps each rule id to its check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from greentrade.model import Document, Period, Product, ShipmentLine
from greentrade.plugin import (
    Basis,
    Effect,
    Hit,
    Rule,
    RuleContext,
    Severity,
    as_written,
    evidence,
    line_products,
    lists_other_sites,
    models_match,
    rules_from_data,
    unstated,
    warn_unless_binding,
)
from greentrade_itc_green_export_pass import _pilot as pilot
from greentrade_itc_green_export_pass._pilot import PROGRAM, REGIONS, SECTION, Analysis, join

EXTRA_NEEDS = f"plugins.{SECTION}.extra_standards"


def _label(p: Product) -> str:
    return f"product {p.id} ({p.model or 'no model on record'}, {p.category})"


def _binding_needs(rule_id: str) -> str:
    return f'the host making {rule_id} binding ([plugins.{SECTION}] require = ["{rule_id}"])'


# -- ITC-GEP-001 scope: product categories ------------------------------------------------------
def _categories(ctx: RuleContext) -> Iterator[Hit]:
    shipment = ctx.shipment
    if shipment is None:
        return
    wanted, host = pilot.scope_categories(ctx)
    inside: list[tuple[ShipmentLine, Product]] = []
    outside: list[tuple[ShipmentLine, Product]] = []
    for line, product in line_products(ctx.dossier, shipment):
        (inside if product.category in wanted else outside).append((line, product))
    whose = (f"the host's pilot categories (plugins.{SECTION}.pilot_categories: {', '.join(wanted)})" if host
             else f"the four categories the report names ({', '.join(wanted)})")
    needs = (f"plugins.{SECTION}.pilot_categories (the pilot's product categories from the official notice)")
    basis = Basis.HOST if host else Basis.INFERRED
    if not inside:
        seen = join(f"{line.id} {p.id} ({p.category})" for line, p in outside)
        yield ctx.not_applicable(
            f"shipment {shipment.id} carries no product of {whose}; lines: {seen}", shipment, "lines", basis=basis)
        if not host:
            yield ctx.assume(
                f"the four product categories the report names are taken as the pilot's whole scope, so shipment "
                f"{shipment.id} ({join(sorted({str(p.category) for _l, p in outside}))}) is outside it; the report "
                "does not say other products are excluded", shipment, "lines", needs=needs)
        return
    for line, product in outside:
        yield ctx.note(
            f"line {line.id}: product {product.id} (category {product.category}) is outside {whose} and is "
            "not checked", line, "product", basis=basis)
    if outside and not host:
        yield ctx.assume(
            f"lines {join(line.id for line, _p in outside)} (categories "
            f"{join(sorted({str(p.category) for _l, p in outside}))}) are taken as outside the pilot and not "
            "judged: the four categories the report names are read as its whole scope", shipment, "lines",
            needs=needs)


# -- ITC-GEP-002 scope: target regions -----------------------------------------------------------
def _regions(ctx: RuleContext) -> Iterator[Hit]:
    shipment = ctx.shipment
    if shipment is None:
        return
    found = ctx.memo((PROGRAM, "regions"), lambda: pilot.regions(ctx.reference.get(REGIONS), ctx.reference))
    if found is None:
        yield ctx.undetermined(
            f"reference data {REGIONS!r} is missing or malformed (expected {{regions: [{{id, title, "
            f"countries}}]}}); cannot tell whether destination {shipment.destination_country} is in "
            "a target region", shipment, "destination_country", needs=f'reference."{REGIONS}"')
        return
    country = shipment.destination_country
    markets = ctx.config(SECTION).get("pilot_markets")
    if isinstance(markets, list | tuple):
        if country in markets:
            yield ctx.note(f"destination {country} is one of the host's pilot markets "
                           f"(plugins.{SECTION}.pilot_markets)", shipment, "destination_country",
                           basis=Basis.HOST)
        else:
            yield ctx.not_applicable(
                f"destination {country} of shipment {shipment.id} is not one of the host's pilot markets "
                f"(plugins.{SECTION}.pilot_markets: {', '.join(sorted(markets)) or 'none'})", shipment,
                "destination_country", basis=Basis.HOST)
        return
    hits = [r for r in found if country in r.countries]
    if not hits:
        names = ", ".join(r.title for r in found)
        yield ctx.undetermined(
            f"destination {country} of shipment {shipment.id} is in none of the regions the report names "
            f"as where buyers benefit ({names}); the report does not say the pass applies only there",
            shipment, "destination_country",
            needs=f"plugins.{SECTION}.pilot_markets (the pass's pilot markets from the official notice)")
        return
    names = ", ".join(f"{r.title} ({r.id})" for r in hits)
    yield ctx.note(f"destination {country} is in the region {names}, which the report names as where "
                   "buyers benefit", shipment, "destination_country")


# -- documents judged per product -------------------------------------------------------------
#
# ITC-GEP-003, 006 and 007 first judge each relied-upon document on its own (`_raw`). A
# document's problem decides the outcome only when a product depends on it: when another
# evidence document of the same product meets those rules, or when the document is relied upon
# only for audit readiness (ITC-GEP-008, our reading), the problem is a warning naming it.

DOC_RULES = ("ITC-GEP-003", "ITC-GEP-006", "ITC-GEP-007")
_OK, _ASSUMED, _OPEN, _FAILED = 0, 1, 2, 3
_STANDING = {_OK: "meets the checked requirements", _ASSUMED: "meets them on a reading of ours",
             _OPEN: "is itself still open", _FAILED: "fails"}


def _weight(hit: Hit) -> int:
    if hit.effect is Effect.VIOLATION and hit.severity is not Severity.WARNING:
        return _FAILED
    if hit.effect is Effect.UNDETERMINED:
        return _OPEN
    return _ASSUMED if hit.assumption else _OK


def _raw(ctx: RuleContext, a: Analysis, rule_id: str, doc: Document) -> list[Hit]:
    return ctx.memo((PROGRAM, "raw", rule_id, a.shipment.id, ctx.as_of, doc.id),
                    lambda: list(_JUDGES[rule_id](ctx, a, doc)))


def _standing(ctx: RuleContext, a: Analysis, doc: Document) -> int:
    return max((_weight(h) for rule in DOC_RULES for h in _raw(ctx, a, rule, doc)), default=_OK)


def _evidence_docs(a: Analysis, p: Product) -> list[Document]:
    return list({d.id: d for d, _c in a.evidence_for(p)}.values())


def _relief(ctx: RuleContext, a: Analysis, doc: Document, weight: int) -> str | None:
    """Why a problem of this weight on `doc` decides nothing (None: a product depends on it)."""
    products = [p for p in a.products if any(d.id == doc.id for d in _evidence_docs(a, p))]
    if not products:
        return (f"; document {doc.id} is relied upon only for audit readiness (ITC-GEP-008, our reading), "
                "not as evidence for a product")
    parts = []
    for p in products:
        others = [(s, o) for o in _evidence_docs(a, p) if o.id != doc.id and (s := _standing(ctx, a, o)) < weight]
        if not others:
            return None
        best, other = min(others, key=lambda pair: pair[0])
        parts.append(f"product {p.id} also has evidence {other.id}, which {_STANDING[best]}")
    return f"; document {doc.id} is not relied upon: {'; '.join(parts)}"


def _judged(ctx: RuleContext, rule_id: str) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    for doc in a.relied():
        for hit in _raw(ctx, a, rule_id, doc):
            weight = _weight(hit)
            relief = _relief(ctx, a, doc, weight) if weight > _OK else None
            if relief is None:
                yield hit
            elif weight == _ASSUMED:
                yield attrs.evolve(hit, assumption=False, needs=None, message=hit.message + relief)
            else:
                yield attrs.evolve(hit, effect=Effect.NOTE, severity=Severity.WARNING, needs=None,
                                   message=hit.message + relief)


# -- ITC-GEP-003 current editions --------------------------------------------------------------
def _editions(ctx: RuleContext) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    for problem in a.catalog.problems:
        yield ctx.undetermined(
            f"host configuration: {problem}; the entry is not in the pilot catalog", ctx.shipment or "",
            needs=EXTRA_NEEDS)
    yield from _judged(ctx, "ITC-GEP-003")


def _judge_editions(ctx: RuleContext, a: Analysis, doc: Document) -> Iterator[Hit]:
    ends = ctx.config(SECTION).get("transition_ends") or {}
    for c in a.pilot_citations(doc):
        r = c.resolution
        assert r is not None
        std = r.standard
        written = as_written(c.designator)
        current = f"the current edition is {std.designator}" + (
            f", current since {std.current_since}" if std.current_since else "")
        reading = f" ({std.edition_reading})" if std.edition_reading else ""
        if r.status in ("superseded", "outdated"):
            what = (f"{r.edition}, a superseded edition" if r.status == "superseded" and r.edition
                    else f"{written!r}, an edition the pilot catalog does not list and not newer than "
                    f"the current {std.designator}")
            head = f"document {doc.id} ({doc.type}) cites {what}; {current}{reading}"
            key = str(r.edition) if r.status == "superseded" and r.edition else str(c.designator)
            yield from _transition(ctx, doc, c.index, head, key, ends.get(key))
        elif r.status == "newer":
            yield ctx.undetermined(
                f"document {doc.id} ({doc.type}) cites {written!r}, newer than the catalog's "
                f"current edition {std.designator}; the catalog may be out of date", doc,
                "standards", c.index, needs=EXTRA_NEEDS)
        elif r.status == "ambiguous":
            editions = join(str(e) for e in (*std.current, *std.superseded))
            yield ctx.undetermined(
                f"document {doc.id} ({doc.type}) cites {written!r}, which does not say which "
                f"edition (catalog editions: {editions})", doc, "standards", c.index,
                needs=f"the edition of {std.family} on document {doc.id}")


def _transition(ctx: RuleContext, doc: Document, index: int, head: str, key: str,
                end: Any) -> Iterator[Hit]:
    """A superseded edition: undetermined without the host's transition end date, decided with it."""
    needs = f'plugins.{SECTION}.transition_ends."{key}" (the transition end date from the official notice)'
    if end is None:
        yield ctx.undetermined(f"{head}. No transition rule is published, so whether the pass still accepts "
                               f"{key} is not known", doc, "standards", index, needs=needs)
        return
    try:
        day = dt.date.fromisoformat(str(end))
    except ValueError:
        yield ctx.undetermined(f"{head}; the configured transition end {end!r} is not a calendar date",
                               doc, "standards", index, needs=needs)
        return
    if ctx.as_of <= day:
        yield ctx.note(f"{head}; accepted until the transition end {day} the host configured",
                       doc, "standards", index, basis=Basis.HOST)
    else:
        yield ctx.violation(f"{head}; the transition the host configured ended on {day}, before the as-of "
                            f"date {ctx.as_of}", doc, "standards", index, basis=Basis.HOST)


# -- ITC-GEP-004 canonical form ----------------------------------------------------------------
def _canonical(ctx: RuleContext) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    for doc in a.relied():
        for c in a.pilot_citations(doc):
            r = c.resolution
            assert r is not None
            d = c.designator
            if d.canonical and not r.partial:
                continue
            written = as_written(d)
            if r.edition is not None:
                status = "current" if r.status == "current" else "superseded"
                yield ctx.warning(
                    f"document {doc.id} writes {written!r}, recognised as {r.edition} ({status} "
                    f"edition of {r.standard.family}); canonical form: {str(r.edition)!r}", doc,
                    "standards", c.index)
            elif not d.canonical:
                yield ctx.warning(
                    f"document {doc.id} writes {written!r}; canonical form: {str(d)!r}", doc,
                    "standards", c.index)


# -- ITC-GEP-005 evidence per product ------------------------------------------------------------
def _evidence(ctx: RuleContext) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    cites_any = any(doc.standards for doc in a.documents)
    for p in a.products:
        if a.evidence_for(p):
            continue
        fitting = join(str(s.designator) for s in a.catalog.standards if p.category in s.categories)
        if not cites_any:
            yield ctx.violation(
                f"{_label(p)}: no document attached to shipment {a.shipment.id} cites any standard, so there is "
                f"nothing the pilot's mutual recognition of standards could apply to (known pilot standards for "
                f"its category: {fitting})", p)
            continue
        unfit = pilot.not_counted(a, p)
        others = [
            f"{doc.id} ({join(str(c.designator) for c in a.cited[doc.id] if c.resolution is None)})"
            for doc in a.related(p)
            if any(c.resolution is None for c in a.cited[doc.id])
        ]
        parts, needs = [], []
        if unfit:
            parts.append(f"not counted: {join(str(n) for n in unfit)}")
            needs.append(f"whether the pass accepts {join(n.document.id for n in unfit)} for product {p.id} "
                         f"(a host extra_standards entry for {join(sorted({str(n.standard.family) for n in unfit}))} "
                         "that fits it), or a document that fits")
        if others:
            parts.append(f"documents {join(others)} cite standards that may be among the {a.catalog.unpublished} "
                         "unpublished standards of the first batch")
            needs.append(f"{EXTRA_NEEDS} (the unpublished standards of the first batch)")
        if not parts:
            parts.append(f"no attached document covers it or lists its manufacturing site "
                         f"{p.manufacturing_site or '(none recorded)'}")
            needs.append(f"a document against a pilot standard covering product {p.id}")
        yield ctx.undetermined(
            f"{_label(p)} has no document against a known pilot standard that fits it in our reading "
            f"({fitting}); {'; '.join(parts)}", p, needs="; or ".join(needs))


# -- ITC-GEP-006 validity ---------------------------------------------------------------------
def _validity(ctx: RuleContext) -> Iterator[Hit]:
    yield from _judged(ctx, "ITC-GEP-006")


def _judge_validity(ctx: RuleContext, a: Analysis, doc: Document) -> Iterator[Hit]:
    day = ctx.as_of
    missing = unstated(ctx, doc, ("status", "issue_date"))
    if missing:
        yield from missing
        return
    problems: list[tuple[str, str]] = []
    if doc.status != "valid":
        problems.append((f"document {doc.id} ({doc.type}) has status {doc.status}", "status"))
    if doc.issue_date is not None and doc.issue_date > day:
        problems.append((f"document {doc.id} is issued on {doc.issue_date}, after the as-of date {day}", "issue_date"))
    if doc.valid_until is not None and doc.valid_until < day:
        problems.append((f"document {doc.id} expired on {doc.valid_until} (as of {day})", "valid_until"))
    for text, field in problems:
        if ctx.binding("ITC-GEP-006"):
            yield ctx.violation(f"{text}; the host requires valid documents (require = [\"ITC-GEP-006\"])", doc, field)
        else:
            yield ctx.undetermined(
                f"{text}; no source states that the pass requires a valid document, so whether it accepts this one "
                "is not known", doc, field,
                needs=f"a valid document for the products of {doc.id}, or {_binding_needs('ITC-GEP-006')}")


# -- ITC-GEP-007 accredited issuer -------------------------------------------------------------
def _accepted(a: Analysis, doc: Document) -> list[str]:
    accepted: list[str] = []
    for c in a.pilot_citations(doc):
        assert c.resolution is not None
        std = c.resolution.standard
        if doc.type in std.document_types and any(pilot.fits(doc, std, p, a.index) for p in a.products_of(doc)):
            accepted.extend(x for x in std.accepted_accreditation(doc.type) if x not in accepted)
    if not accepted:
        accepted = list(pilot.accreditation_by_type(doc.type))
    return accepted


def _accreditation(ctx: RuleContext) -> Iterator[Hit]:
    yield from _judged(ctx, "ITC-GEP-007")


def _judge_accreditation(ctx: RuleContext, a: Analysis, doc: Document) -> Iterator[Hit]:
    setting = ctx.config(SECTION).get("accept_non_iaf_mla_accreditation")
    accepted = _accepted(a, doc)
    if doc.issuer is None:
        yield from unstated(ctx, doc, ("issuer",))
        return
    issuer = ctx.dossier.party(doc.issuer)
    if issuer is None:
        return
    wanted = " or ".join(accepted) or "(none defined)"
    matching = [x for x in issuer.accreditations if str(x.standard.family) in accepted]
    binding = ctx.binding("ITC-GEP-007")
    unknown = ("; no source states that the pass requires an accredited issuer (its acceptance "
               "criteria are not published)")
    if not matching:
        held = join(str(x.standard) for x in issuer.accreditations)
        text = (f"issuer {issuer.id} of document {doc.id} ({doc.type}) holds no accreditation to "
                f"{wanted} (holds: {held})")
        if binding:
            yield ctx.violation(text, doc, "issuer")
        else:
            yield ctx.undetermined(text + unknown, doc, "issuer", needs=_binding_needs("ITC-GEP-007"))
        return
    valid = [x for x in matching if x.valid_on(ctx.as_of)]
    if not valid:
        x = matching[0]
        text = (f"accreditation {x.number or x.standard} of issuer {issuer.id} (document {doc.id}) "
                f"is valid {x.valid_from} to {x.valid_until}, not on the as-of date {ctx.as_of}")
        if binding:
            yield ctx.violation(text, x, subject=doc.id)
        else:
            yield ctx.undetermined(text + unknown, x, subject=doc.id, needs=_binding_needs("ITC-GEP-007"))
        return
    if any(x.recognised for x in valid) or setting is True:
        return
    x = valid[0]
    expected = x.expected_arrangement or "IAF MLA"
    recorded = f"recorded: {x.arrangement}" if x.arrangement else "no arrangement recorded"
    text = (f"accreditation {x.number or x.standard} of issuer {issuer.id} (document {doc.id}) to {x.standard} is "
            f"by {x.accreditation_body}, not recorded under the {expected}, the arrangement for "
            f"{x.standard.family} ({recorded})")
    if setting is False:
        yield ctx.violation(f"{text}; the host does not accept it", x, subject=doc.id, basis=Basis.HOST)
    else:
        yield ctx.undetermined(
            f"{text}; whether the pass accepts it depends on its unpublished acceptance criteria",
            x, subject=doc.id, needs=f"plugins.{SECTION}.accept_non_iaf_mla_accreditation")


# -- ITC-GEP-008 audit readiness ---------------------------------------------------------------
def _sites(ctx: RuleContext) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    for p in a.products:
        if p.manufacturing_site is None:
            yield ctx.undetermined(
                f"{_label(p)} has no manufacturing site, so its audit readiness cannot be checked",
                p, "manufacturing_site", needs=f"manufacturing_site of product {p.id}")
            continue
        if a.site_documents(p):
            continue
        site = ctx.dossier.site(p.manufacturing_site)
        name = f" ({site.name})" if site is not None else ""
        yield warn_unless_binding(
            ctx, "ITC-GEP-008",
            f"manufacturing site {p.manufacturing_site}{name} of {_label(p)} is listed by no "
            f"certificate or factory audit record attached to shipment {a.shipment.id}; the report "
            "mentions shorter factory audit cycles but no source states such a record is required", p,
            "manufacturing_site")


# -- ITC-GEP-009 documents match the product records --------------------------------------------
def _consistency(ctx: RuleContext) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    exporter = a.shipment.exporter
    index = evidence(ctx)
    for doc in a.relied():
        makers: list[str] = []
        for p in a.products_of(doc):
            cov = a.index.entry(doc, p.id)
            if cov is None:
                continue
            if p.manufacturer is not None:
                makers.append(p.manufacturer)
            if cov.model is not None and p.model is not None and not models_match(cov.model, p.model):
                yield warn_unless_binding(
                    ctx, "ITC-GEP-009",
                    f"document {doc.id} states model {cov.model!r} for product {p.id}, whose model is "
                    f"{p.model!r}", cov, "model", subject=doc.id)
            if cov.hs_code is not None and p.hs_code is not None and cov.hs_code[:6] != p.hs_code[:6]:
                yield warn_unless_binding(
                    ctx, "ITC-GEP-009",
                    f"document {doc.id} states HS {cov.hs_code} for product {p.id}, whose HS code is "
                    f"{p.hs_code}", cov, "hs_code", subject=doc.id)
            if doc.holder is None:
                yield from unstated(ctx, doc, ("holder",))
            elif doc.holder not in (p.manufacturer, exporter):
                yield warn_unless_binding(
                    ctx, "ITC-GEP-009",
                    f"document {doc.id} is held by {doc.holder}, neither the manufacturer "
                    f"{p.manufacturer} of product {p.id} nor the exporter {exporter}", doc, "holder")
            if lists_other_sites(doc, p):
                yield warn_unless_binding(
                    ctx, "ITC-GEP-009",
                    f"document {doc.id} covers product {p.id}, made at site {p.manufacturing_site}, "
                    f"but lists only sites {', '.join(doc.sites)}", doc, "sites")
        allowed = [doc.holder, *makers]
        for j, site_id in enumerate(doc.sites):
            owner = index.site_owner(site_id)
            if owner is not None and owner not in allowed:
                yield warn_unless_binding(
                    ctx, "ITC-GEP-009",
                    f"document {doc.id} lists site {site_id} of {owner}, which is neither the holder "
                    f"{doc.holder} nor the manufacturer of a product it covers", doc, "sites", j)


# -- ITC-GEP-010 standards mapping --------------------------------------------------------------
def _mapping(ctx: RuleContext) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    for p in a.products:
        evidence = a.evidence_for(p)
        unfit = pilot.not_counted(a, p)
        covered, missing = [], []
        for std in a.catalog.standards:
            if p.category not in std.categories and not any(n.standard == std for n in unfit):
                continue
            uses = [(d, c) for d, c in evidence if c.resolution is not None and c.resolution.standard == std]
            if not uses:
                if not any(n.standard == std for n in unfit):  # a document not counted is not "missing"
                    kinds = "/".join(std.document_types)
                    where = "listing the manufacturing site" if std.level == "site" else "covering the product"
                    missing.append(f"{std.designator} ({kinds} {where})")
                continue
            parts = []
            for d, c in uses:
                r = c.resolution
                assert r is not None
                state = "" if r.status == "current" else f", {r.status} edition"
                parts.append(f"{d.id}: {r.edition or c.designator}{state}")
            covered.append(f"{std.family} [{'; '.join(parts)}]")
        used = {d.id for d, _c in evidence}
        site_docs = a.site_documents(p)
        used.update(d.id for d in site_docs)
        if p.manufacturing_site is None:
            site_text = "no manufacturing site recorded"
        else:
            site_text = (f"manufacturing site {p.manufacturing_site} listed by "
                         f"{join((f'{d.id} ({d.type})' for d in site_docs), 'no certificate or factory audit record')}")
        other = [f"{c.designator} ({doc.id})" for doc in a.related(p) for c in a.cited[doc.id] if c.resolution is None]
        attached = a.attached_ids
        detached = [d.id for d in a.index.listing(p.id) if d.id not in attached]
        msg = (f"{_label(p)}: pilot standards covered: {join(covered)}; known pilot standards without a "
               f"document: {join(missing)}; {site_text}")
        if other:
            msg += f"; other standards cited: {join(other)}"
        if unfit:
            msg += f"; not counted as evidence: {join(str(n) for n in unfit)}"
        if detached:
            msg += f"; documents covering it but not attached to the shipment: {join(detached)}"
        msg += (f"; {a.catalog.unpublished} of the {pilot.catalog_size()} first-batch standards are "
                "unpublished and not checked")
        yield ctx.note(msg, p)


_JUDGES: dict[str, Callable[[RuleContext, Analysis, Document], Iterable[Hit]]] = {
    "ITC-GEP-003": _judge_editions,
    "ITC-GEP-006": _judge_validity,
    "ITC-GEP-007": _judge_accreditation,
}

CHECKS: dict[str, Callable[[RuleContext], Iterable[Hit]]] = {
    "ITC-GEP-001": _categories,
    "ITC-GEP-002": _regions,
    "ITC-GEP-003": _editions,
    "ITC-GEP-004": _canonical,
    "ITC-GEP-005": _evidence,
    "ITC-GEP-006": _validity,
    "ITC-GEP-007": _accreditation,
    "ITC-GEP-008": _sites,
    "ITC-GEP-009": _consistency,
    "ITC-GEP-010": _mapping,
}


def build_rules() -> list[Rule]:
    return rules_from_data(
        pilot.program_data(), CHECKS, program=PROGRAM, effective=Period(start=pilot.program().effective.start),
        source=f"{pilot.PACKAGE}/data/program.json", quote_intro="The report says")


RULES = build_rules()
