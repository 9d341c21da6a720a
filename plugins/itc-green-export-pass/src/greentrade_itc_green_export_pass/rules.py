"""Rules of the itc-green-export-pass program. Ids, titles, severities, remediation texts and
citations live in data/program.json; this module maps each rule id to its check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from greentrade.model import Document, Period, Product, ShipmentLine
from greentrade.plugin import (
    Basis,
    Hit,
    Rule,
    RuleContext,
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
    wanted = pilot.categories()
    inside: list[tuple[ShipmentLine, Product]] = []
    outside: list[tuple[ShipmentLine, Product]] = []
    for line, product in line_products(ctx.dossier, shipment):
        (inside if product.category in wanted else outside).append((line, product))
    if not inside:
        seen = join(f"{line.id} {p.id} ({p.category})" for line, p in outside)
        yield ctx.not_applicable(
            f"shipment {shipment.id} carries no product of the pilot's categories "
            f"({', '.join(wanted)}); lines: {seen}", shipment, "lines")
        return
    for line, product in outside:
        yield ctx.note(
            f"line {line.id}: product {product.id} (category {product.category}) is outside the "
            "pilot's categories and is not checked", line, "product")


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


# -- ITC-GEP-003 current editions --------------------------------------------------------------
def _editions(ctx: RuleContext) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    for problem in a.catalog.problems:
        yield ctx.undetermined(
            f"host configuration: {problem}; the entry is not in the pilot catalog", ctx.shipment or "",
            needs=EXTRA_NEEDS)
    ends = ctx.config(SECTION).get("transition_ends") or {}
    for doc in a.relied():
        for c in a.pilot_citations(doc):
            r = c.resolution
            assert r is not None
            std = r.standard
            written = as_written(c.designator)
            current = f"the current edition is {std.designator}" + (
                f", current since {std.current_since}" if std.current_since else "")
            if r.status in ("superseded", "outdated"):
                what = (f"{r.edition}, a superseded edition" if r.status == "superseded" and r.edition
                        else f"{written!r}, an edition the pilot catalog does not list and not newer than "
                        f"the current {std.designator}")
                head = f"document {doc.id} ({doc.type}) cites {what}; {current}"
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
_THIRD_PARTY = ("certificate", "epd", "test-report", "carbon-footprint-declaration", "factory-audit")


def _evidence(ctx: RuleContext) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    for p in a.products:
        if a.evidence_for(p):
            continue
        fitting = join(str(s.designator) for s in a.catalog.standards if p.category in s.categories)
        others = [
            f"{doc.id} ({join(str(c.designator) for c in a.cited[doc.id] if c.resolution is None)})"
            for doc in a.related(p)
            if doc.type in _THIRD_PARTY
            and any(c.resolution is None for c in a.cited[doc.id])
        ]
        elsewhere = pilot.other_site_documents(a, p)
        if elsewhere and not others:
            yield ctx.violation(
                f"{_label(p)} has no document attached to shipment {a.shipment.id} against a pilot "
                f"standard that fits its category ({fitting}) and covers its manufacturing site "
                f"{p.manufacturing_site}; not counted: {join(elsewhere)}", p)
            continue
        if others:
            yield ctx.undetermined(
                f"{_label(p)} has no document against a known pilot standard that fits its "
                f"category ({fitting}); its documents {join(others)} cite standards that may be among "
                f"the {a.catalog.unpublished} unpublished standards of the first batch", p,
                needs=f"{EXTRA_NEEDS} (the unpublished standards of the first batch)")
        else:
            yield ctx.violation(
                f"{_label(p)} has no document attached to shipment {a.shipment.id} against a pilot "
                f"standard that fits its category ({fitting})", p)


# -- ITC-GEP-006 validity ---------------------------------------------------------------------
def _validity(ctx: RuleContext) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    day = ctx.as_of
    for doc in a.relied():
        missing = unstated(ctx, doc, ("status", "issue_date"))
        if missing:
            yield from missing
            continue
        if doc.status != "valid":
            yield ctx.violation(f"document {doc.id} ({doc.type}) has status {doc.status}", doc, "status")
        if doc.issue_date is not None and doc.issue_date > day:
            yield ctx.violation(
                f"document {doc.id} is issued on {doc.issue_date}, after the as-of date {day}", doc,
                "issue_date")
        if doc.valid_until is not None and doc.valid_until < day:
            yield ctx.violation(
                f"document {doc.id} expired on {doc.valid_until} (as of {day})", doc, "valid_until")


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
    a = pilot.analyse(ctx)
    if a is None:
        return
    setting = ctx.config(SECTION).get("accept_non_iaf_mla_accreditation")
    for doc in a.relied():
        accepted = _accepted(a, doc)
        if doc.issuer is None:
            yield from unstated(ctx, doc, ("issuer",))
            continue
        issuer = ctx.dossier.party(doc.issuer)
        if issuer is None:
            continue
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
            continue
        valid = [x for x in matching if x.valid_on(ctx.as_of)]
        if not valid:
            x = matching[0]
            text = (f"accreditation {x.number or x.standard} of issuer {issuer.id} (document {doc.id}) "
                    f"is valid {x.valid_from} to {x.valid_until}, not on the as-of date {ctx.as_of}")
            if binding:
                yield ctx.violation(text, x, subject=doc.id)
            else:
                yield ctx.undetermined(text + unknown, x, subject=doc.id, needs=_binding_needs("ITC-GEP-007"))
            continue
        if any(x.iaf_mla_signatory for x in valid) or setting is True:
            continue
        x = valid[0]
        text = (f"accreditation {x.number or x.standard} of issuer {issuer.id} (document {doc.id}) is "
                f"by {x.accreditation_body}, outside the IAF MLA for this scope")
        if setting is False:
            yield ctx.violation(f"{text}; the host does not accept it", x, "iaf_mla_signatory",
                                subject=doc.id, basis=Basis.HOST)
        else:
            yield ctx.undetermined(
                f"{text}; whether the pass accepts it depends on its unpublished acceptance criteria",
                x, "iaf_mla_signatory", subject=doc.id,
                needs=f"plugins.{SECTION}.accept_non_iaf_mla_accreditation")


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
        covered, missing = [], []
        for std in a.catalog.standards:
            if p.category not in std.categories:
                continue
            uses = [(d, c) for d, c in evidence if c.resolution is not None and c.resolution.standard == std]
            if not uses:
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
        other, not_counted = [], []
        for doc in a.related(p):
            for c in a.cited[doc.id]:
                if c.resolution is None:
                    other.append(f"{c.designator} ({doc.id})")
            if doc.id not in used and any(c.resolution is not None for c in a.cited[doc.id]):
                why = ("lists sites " + ", ".join(doc.sites) + f", not its manufacturing site {p.manufacturing_site}"
                       if lists_other_sites(doc, p) else "type, category or site does not fit")
                not_counted.append(f"{doc.id} ({doc.type}: {why})")
        attached = a.attached_ids
        detached = [d.id for d in a.index.listing(p.id) if d.id not in attached]
        msg = (f"{_label(p)}: pilot standards covered: {join(covered)}; known pilot standards "
               f"missing: {join(missing)}; {site_text}")
        if other:
            msg += f"; other standards cited: {join(other)}"
        if not_counted:
            msg += f"; not counted as evidence: {join(not_counted)}"
        if detached:
            msg += f"; documents covering it but not attached to the shipment: {join(detached)}"
        msg += (f"; {a.catalog.unpublished} of the {pilot.catalog_size()} first-batch standards are "
                "unpublished and not checked")
        yield ctx.note(msg, p)


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
