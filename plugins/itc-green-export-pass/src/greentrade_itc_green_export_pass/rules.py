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
    msg,
    rules_from_data,
    unstated,
    warn_unless_binding,
)
from greentrade.plugin import join as mjoin
from greentrade_itc_green_export_pass import _pilot as pilot
from greentrade_itc_green_export_pass._pilot import PROGRAM, REGIONS, SECTION, Analysis, join

EXTRA_NEEDS = f"plugins.{SECTION}.extra_standards"


def _label(p: Product) -> str:
    return msg("ITC-GEP.product", "product {value} ({value2}, {category})", value=p.id,
               value2=p.model or msg("ITC-GEP.no-model", "no model on record"), category=p.category)


def _binding_needs(rule_id: str) -> str:
    return msg("ITC-GEP.host-making-binding-plugins", "the host making {rule_id} binding ([plugins.{section}] "
               'require = ["{rule_id2}"])', rule_id=rule_id, section=SECTION, rule_id2=rule_id)


def _open(text: str, unknown: str) -> str:
    return msg("ITC-GEP-007.open", "{text}{unknown}", text=text, unknown=unknown)


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
    whose = (msg("ITC-GEP-001.host-s-pilot-categories", "the host's pilot categories "
                 "(plugins.{section}.pilot_categories: {items})", section=SECTION, items=', '.join(wanted)) if host
             else msg("ITC-GEP-001.four-categories-report-names", "the four categories the report names ({items})",
                      items=', '.join(wanted)))
    needs = (msg("ITC-GEP-001.plugins-pilot-categories-pilot", "plugins.{section}.pilot_categories (the pilot's "
                 "product categories from the official notice)", section=SECTION))
    basis = Basis.HOST if host else Basis.INFERRED
    if not inside:
        seen = join(f"{line.id} {p.id} ({p.category})" for line, p in outside)
        yield ctx.not_applicable(
            msg("ITC-GEP-001.shipment-carries-no-product", "shipment {shipment} carries no product of {whose}; "
                "lines: {seen}", shipment=shipment.id, whose=whose, seen=seen), shipment, "lines", basis=basis)
        if not host:
            yield ctx.assume(
                msg("ITC-GEP-001.four-product-categories-report", "the four product categories the report names "
                    "are taken as the pilot's whole scope, so shipment {shipment} ({value}) is outside it; the "
                    "report does not say other products are excluded", shipment=shipment.id,
                    value=join(sorted({str(p.category) for _l, p in outside}))), shipment, "lines", needs=needs)
        return
    for line, product in outside:
        yield ctx.note(
            msg("ITC-GEP-001.line-product-category-outside", "line {line}: product {product} (category "
                "{product_category}) is outside {whose} and is not checked", line=line.id, product=product.id,
                product_category=product.category, whose=whose), line, "product", basis=basis)
    if outside and not host:
        yield ctx.assume(
            msg("ITC-GEP-001.lines-categories-taken-as", "lines {value} (categories {value2}) are taken as "
                "outside the pilot and not judged: the four categories the report names are read as its whole "
                "scope", value=join(line.id for line, _p in outside),
                value2=join(sorted({str(p.category) for _l, p in outside}))), shipment, "lines",
            needs=needs)


# -- ITC-GEP-002 scope: target regions -----------------------------------------------------------
def _regions(ctx: RuleContext) -> Iterator[Hit]:
    shipment = ctx.shipment
    if shipment is None:
        return
    found = ctx.memo((PROGRAM, "regions"), lambda: pilot.regions(ctx.reference.get(REGIONS), ctx.reference))
    if found is None:
        yield ctx.undetermined(
            msg("ITC-GEP-002.reference-data-missing-malformed", "reference data {regions!r} is missing or "
                "malformed (expected {{regions: [{{id, title, countries}}]}}); cannot tell whether destination "
                "{destination_country} is in a target region", regions=REGIONS,
                destination_country=shipment.destination_country),
            shipment, "destination_country", needs=msg("ITC-GEP-002.reference",
                                                                          'reference."{regions}"',
                                                                          regions=REGIONS))
        return
    country = shipment.destination_country
    markets = ctx.config(SECTION).get("pilot_markets")
    if isinstance(markets, list | tuple):
        if country in markets:
            yield ctx.note(msg("ITC-GEP-002.destination-one-host-s", "destination {country} is one of the "
                               "host's pilot markets (plugins.{section}.pilot_markets)", country=country,
                               section=SECTION), shipment, "destination_country",
                           basis=Basis.HOST)
        else:
            yield ctx.not_applicable(
                msg("ITC-GEP-002.destination-shipment-one-host", "destination {country} of shipment {shipment} "
                    "is not one of the host's pilot markets (plugins.{section}.pilot_markets: {value})",
                    country=country, shipment=shipment.id, section=SECTION,
                    value=', '.join(sorted(markets)) or msg("ITC-GEP.none", "none")), shipment,
                "destination_country", basis=Basis.HOST)
        return
    hits = [r for r in found if country in r.countries]
    if not hits:
        names = mjoin((r.title for r in found), ", ")
        yield ctx.undetermined(
            msg("ITC-GEP-002.destination-shipment-none-regions", "destination {country} of shipment {shipment} "
                "is in none of the regions the report names as where buyers benefit ({names}); the report does "
                "not say the pass applies only there", country=country, shipment=shipment.id, names=names),
            shipment, "destination_country",
            needs=msg("ITC-GEP-002.plugins-pilot-markets-pass", "plugins.{section}.pilot_markets (the pass's "
                      "pilot markets from the official notice)", section=SECTION))
        return
    names = mjoin((f"{r.title} ({r.id})" for r in hits), ", ")
    yield ctx.note(msg("ITC-GEP-002.destination-region-which-report", "destination {country} is in the region "
                       "{names}, which the report names as where buyers benefit", country=country, names=names),
                   shipment, "destination_country")


# -- documents judged per product -------------------------------------------------------------
#
# ITC-GEP-003, 006 and 007 first judge each relied-upon document on its own (`_raw`). A
# document's problem decides the outcome only when a product depends on it: when another
# evidence document of the same product meets those rules, or when the document is relied upon
# only for audit readiness (ITC-GEP-008, our reading), the problem is a warning naming it.

DOC_RULES = ("ITC-GEP-003", "ITC-GEP-006", "ITC-GEP-007")
_OK, _ASSUMED, _OPEN, _FAILED = 0, 1, 2, 3
_STANDING = {_OK: msg("ITC-GEP.standing-ok", "meets the checked requirements"),
             _ASSUMED: msg("ITC-GEP.standing-assumed", "meets them on a reading of ours"),
             _OPEN: msg("ITC-GEP.standing-open", "is itself still open"),
             _FAILED: msg("ITC-GEP.standing-failed", "fails")}


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
        return (msg("ITC-GEP.document-relied-upon-only", "; document {document} is relied upon only for audit "
                    "readiness (ITC-GEP-008, our reading), not as evidence for a product", document=doc.id))
    parts = []
    for p in products:
        others = [(s, o) for o in _evidence_docs(a, p) if o.id != doc.id and (s := _standing(ctx, a, o)) < weight]
        if not others:
            return None
        best, other = min(others, key=lambda pair: pair[0])
        parts.append(msg("ITC-GEP.product-also-has-evidence", "product {value} also has evidence {other}, which "
                         "{value2}", value=p.id, other=other.id, value2=_STANDING[best]))
    return msg("ITC-GEP.document-relied-upon", "; document {document} is not relied upon: {items}",
               document=doc.id, items=mjoin(parts))


def _relieved(hit: Hit, relief: str, **changes: object) -> Hit:
    """`hit` with why it decides nothing (`relief`) added to its text, as one message whose
    parts keep their ids (so a stored report renders the whole of it in another language)."""
    m = msg("ITC-GEP.relieved", "{message}{relief}", message=hit.message, relief=relief)
    return attrs.evolve(hit, message=m, message_id=m.id, args=m.args, needs=None, needs_id=None,
                        **changes)  # type: ignore[arg-type]


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
                yield _relieved(hit, relief, assumption=False)
            else:
                yield _relieved(hit, relief, effect=Effect.NOTE, severity=Severity.WARNING)


# -- ITC-GEP-003 current editions --------------------------------------------------------------
def _editions(ctx: RuleContext) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    for problem in a.catalog.problems:
        yield ctx.undetermined(
            msg("ITC-GEP-003.host-configuration-entry-pilot", "host configuration: {problem}; the entry is not "
                "in the pilot catalog", problem=problem), ctx.shipment or "",
            needs=EXTRA_NEEDS)
    yield from _judged(ctx, "ITC-GEP-003")


def _judge_editions(ctx: RuleContext, a: Analysis, doc: Document) -> Iterator[Hit]:
    ends = ctx.config(SECTION).get("transition_ends") or {}
    for c in a.pilot_citations(doc):
        r = c.resolution
        assert r is not None
        std = r.standard
        written = as_written(c.designator)
        current = mjoin([msg("ITC-GEP.current-edition", "the current edition is {designator}",
                             designator=std.designator),
                         msg("ITC-GEP.current-since", ", current since {current_since}",
                             current_since=std.current_since) if std.current_since else ""], "")
        reading = (msg("ITC-GEP.edition-reading", " ({reading})", reading=std.edition_reading)
                   if std.edition_reading else "")
        if r.status in ("superseded", "outdated"):
            what = (msg("ITC-GEP.superseded-edition", "{edition}, a superseded edition", edition=r.edition)
                    if r.status == "superseded" and r.edition
                    else msg("ITC-GEP.edition-pilot-catalog-does", "{written!r}, an edition the pilot catalog "
                             "does not list and not newer than the current {designator}", written=written,
                             designator=std.designator))
            head = msg("ITC-GEP.document-cites", "document {document} ({document_type}) cites {what}; "
                       "{current}{reading}", document=doc.id, document_type=doc.type, what=what, current=current,
                       reading=reading)
            key = str(r.edition) if r.status == "superseded" and r.edition else str(c.designator)
            yield from _transition(ctx, doc, c.index, head, key, ends.get(key))
        elif r.status == "newer":
            yield ctx.undetermined(
                msg("ITC-GEP.document-cites-newer-than", "document {document} ({document_type}) cites "
                    "{written!r}, newer than the catalog's current edition {designator}; the catalog may be out "
                    "of date", document=doc.id, document_type=doc.type, written=written,
                    designator=std.designator), doc,
                "standards", c.index, needs=EXTRA_NEEDS)
        elif r.status == "ambiguous":
            editions = join(str(e) for e in (*std.current, *std.superseded))
            yield ctx.undetermined(
                msg("ITC-GEP.document-cites-which-does", "document {document} ({document_type}) cites "
                    "{written!r}, which does not say which edition (catalog editions: {editions})",
                    document=doc.id, document_type=doc.type, written=written, editions=editions),
                doc, "standards", c.index,
                needs=msg("ITC-GEP.edition-document", "the edition of {family} on document {document}",
                          family=std.family, document=doc.id))


def _transition(ctx: RuleContext, doc: Document, index: int, head: str, key: str,
                end: Any) -> Iterator[Hit]:
    """A superseded edition: undetermined without the host's transition end date, decided with it."""
    needs = msg("ITC-GEP.plugins-transition-ends-transition", 'plugins.{section}.transition_ends."{key}" (the '
                "transition end date from the official notice)", section=SECTION, key=key)
    if end is None:
        yield ctx.undetermined(msg("ITC-GEP.no-transition-rule-published",
                                   "{head}. No transition rule is published, so whether the pass still accepts "
                                   "{key} is not known", head=head, key=key), doc, "standards", index, needs=needs)
        return
    try:
        day = dt.date.fromisoformat(str(end))
    except ValueError:
        yield ctx.undetermined(msg("ITC-GEP.configured-transition-end-calendar",
                                   "{head}; the configured transition end {end!r} is not a calendar date",
                                   head=head, end=end),
                               doc, "standards", index, needs=needs)
        return
    if ctx.as_of <= day:
        yield ctx.note(msg("ITC-GEP.accepted-until-transition-end", "{head}; accepted until the transition end "
                           "{day} the host configured", head=head, day=day),
                       doc, "standards", index, basis=Basis.HOST)
    else:
        yield ctx.violation(msg("ITC-GEP.transition-host-configured-ended",
                                "{head}; the transition the host configured ended on {day}, before the as-of "
                                "date {as_of}", head=head, day=day, as_of=ctx.as_of),
                            doc, "standards", index, basis=Basis.HOST)


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
                    msg("ITC-GEP-004.document-writes-recognised-as", "document {document} writes {written!r}, "
                        "recognised as {edition} ({status} edition of {family}); canonical form: {edition2!r}",
                        document=doc.id, written=written, edition=r.edition, status=status,
                        family=r.standard.family, edition2=str(r.edition)), doc,
                    "standards", c.index)
            elif not d.canonical:
                yield ctx.warning(
                    msg("ITC-GEP-004.document-writes-canonical-form", "document {document} writes {written!r}; "
                        "canonical form: {d!r}", document=doc.id, written=written, d=str(d)), doc,
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
                msg("ITC-GEP-005.no-document-attached-shipment", "{p}: no document attached to shipment "
                    "{shipment} cites any standard, so there is nothing the pilot's mutual recognition of "
                    "standards could apply to (known pilot standards for its category: {fitting})", p=_label(p),
                    shipment=a.shipment.id, fitting=fitting), p)
            continue
        unfit = pilot.not_counted(a, p)
        others = [
            f"{doc.id} ({join(str(c.designator) for c in a.cited[doc.id] if c.resolution is None)})"
            for doc in a.related(p)
            if any(c.resolution is None for c in a.cited[doc.id])
        ]
        parts, needs = [], []
        if unfit:
            parts.append(msg("ITC-GEP-005.counted", "not counted: {value}", value=join(n.text() for n in unfit)))
            needs.append(msg("ITC-GEP-005.whether-pass-accepts-product", "whether the pass accepts {value} for "
                             "product {value2} (a host extra_standards entry for {value3} that fits it), or a "
                             "document that fits", value=join(n.document.id for n in unfit), value2=p.id,
                             value3=join(sorted({str(n.standard.family) for n in unfit}))))
        if others:
            parts.append(msg("ITC-GEP-005.documents-cite-standards-that", "documents {others} cite standards "
                             "that may be among the {unpublished} unpublished standards of the first batch",
                             others=join(others), unpublished=a.catalog.unpublished))
            needs.append(msg("ITC-GEP-005.unpublished-standards-first-batch",
                             "{extra_needs} (the unpublished standards of the first batch)",
                             extra_needs=EXTRA_NEEDS))
        if not parts:
            parts.append(msg("ITC-GEP-005.no-attached-document-covers", "no attached document covers it or "
                             "lists its manufacturing site {value}",
                             value=p.manufacturing_site or msg("ITC-GEP-005.none-recorded", "(none recorded)")))
            needs.append(msg("ITC-GEP-005.document-against-pilot-standard",
                             "a document against a pilot standard covering product {value}", value=p.id))
        or_list = msg("ITC-GEP.or-list", "; or ")
        yield ctx.undetermined(
            msg("ITC-GEP-005.has-no-document-against", "{p} has no document against a known pilot standard that "
                "fits it in our reading ({fitting}); {items}", p=_label(p), fitting=fitting,
                items=mjoin(parts)), p, needs=msg("ITC-GEP-005.needs", "{alternatives}",
                                            alternatives=mjoin(needs, or_list)))


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
        problems.append((msg("ITC-GEP.document-has-status", "document {document} ({document_type}) has status "
                             "{document_status}", document=doc.id, document_type=doc.type,
                             document_status=doc.status), "status"))
    if doc.issue_date is not None and doc.issue_date > day:
        problems.append((msg("ITC-GEP.document-issued-after-as", "document {document} is issued on "
                             "{issue_date}, after the as-of date {day}", document=doc.id,
                             issue_date=doc.issue_date, day=day), "issue_date"))
    if doc.valid_until is not None and doc.valid_until < day:
        problems.append((msg("ITC-GEP.document-expired-as", "document {document} expired on {valid_until} (as "
                             "of {day})", document=doc.id, valid_until=doc.valid_until, day=day), "valid_until"))
    for text, field in problems:
        if ctx.binding("ITC-GEP-006"):
            yield ctx.violation(msg("ITC-GEP.host-requires-valid-documents",
                                    '{text}; the host requires valid documents (require = ["ITC-GEP-006"])',
                                    text=text), doc, field)
        else:
            yield ctx.undetermined(
                msg("ITC-GEP.no-source-states-that", "{text}; no source states that the pass requires a valid "
                    "document, so whether it accepts this one is not known", text=text), doc, field,
                needs=msg("ITC-GEP.valid-document-products", "a valid document for the products of {document}, "
                          "or {value}", document=doc.id, value=_binding_needs('ITC-GEP-006')))


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
    wanted = mjoin(accepted, " or ") or msg("ITC-GEP-007.none-defined", "(none defined)")
    matching = [x for x in issuer.accreditations if str(x.standard.family) in accepted]
    binding = ctx.binding("ITC-GEP-007")
    unknown = msg("ITC-GEP-007.unknown", "; no source states that the pass requires an accredited issuer (its "
                  "acceptance criteria are not published)")
    if not matching:
        held = join(str(x.standard) for x in issuer.accreditations)
        text = (msg("ITC-GEP.issuer-document-holds-no", "issuer {issuer} of document {document} "
                    "({document_type}) holds no accreditation to {wanted} (holds: {held})", issuer=issuer.id,
                    document=doc.id, document_type=doc.type, wanted=wanted, held=held))
        if binding:
            yield ctx.violation(text, doc, "issuer")
        else:
            yield ctx.undetermined(_open(text, unknown), doc, "issuer", needs=_binding_needs("ITC-GEP-007"))
        return
    valid = [x for x in matching if x.valid_on(ctx.as_of)]
    if not valid:
        x = matching[0]
        text = (msg("ITC-GEP.accreditation-issuer-document-valid", "accreditation {value} of issuer {issuer} "
                    "(document {document}) is valid {valid_from} to {valid_until}, not on the as-of date {as_of}",
                    value=x.number or x.standard, issuer=issuer.id, document=doc.id, valid_from=x.valid_from,
                    valid_until=x.valid_until, as_of=ctx.as_of))
        if binding:
            yield ctx.violation(text, x, subject=doc.id)
        else:
            yield ctx.undetermined(_open(text, unknown), x, subject=doc.id, needs=_binding_needs("ITC-GEP-007"))
        return
    if any(x.recognised for x in valid) or setting is True:
        return
    x = valid[0]
    expected = x.expected_arrangement or "IAF MLA"
    recorded = (msg("ITC-GEP.recorded", "recorded: {arrangement}", arrangement=x.arrangement) if x.arrangement
                else msg("ITC-GEP.no-arrangement", "no arrangement recorded"))
    text = (msg("ITC-GEP.accreditation-issuer-document-recorded", "accreditation {value} of issuer {issuer} "
                "(document {document}) to {standard} is by {accreditation_body}, not recorded under the "
                "{expected}, the arrangement for {family} ({recorded})", value=x.number or x.standard,
                issuer=issuer.id, document=doc.id, standard=x.standard, accreditation_body=x.accreditation_body,
                expected=expected, family=x.standard.family, recorded=recorded))
    if setting is False:
        yield ctx.violation(msg("ITC-GEP.host-does-accept", "{text}; the host does not accept it", text=text), x,
                            subject=doc.id, basis=Basis.HOST)
    else:
        yield ctx.undetermined(
            msg("ITC-GEP.whether-pass-accepts-depends", "{text}; whether the pass accepts it depends on its "
                "unpublished acceptance criteria", text=text),
            x, subject=doc.id, needs=msg("ITC-GEP.plugins-accept-non-iaf",
                                         "plugins.{section}.accept_non_iaf_mla_accreditation", section=SECTION))


# -- ITC-GEP-008 audit readiness ---------------------------------------------------------------
def _sites(ctx: RuleContext) -> Iterator[Hit]:
    a = pilot.analyse(ctx)
    if a is None:
        return
    for p in a.products:
        if p.manufacturing_site is None:
            yield ctx.undetermined(
                msg("ITC-GEP-008.has-no-manufacturing-site", "{p} has no manufacturing site, so its audit "
                    "readiness cannot be checked", p=_label(p)),
                p, "manufacturing_site", needs=msg("ITC-GEP-008.manufacturing-site-product",
                                                   "manufacturing_site of product {value}", value=p.id))
            continue
        if a.site_documents(p):
            continue
        site = ctx.dossier.site(p.manufacturing_site)
        name = f" ({site.name})" if site is not None else ""
        yield warn_unless_binding(
            ctx, "ITC-GEP-008",
            msg("ITC-GEP-008.manufacturing-site-listed-no", "manufacturing site {manufacturing_site}{name} of "
                "{p} is listed by no certificate or factory audit record attached to shipment {shipment}; the "
                "report mentions shorter factory audit cycles but no source states such a record is required",
                manufacturing_site=p.manufacturing_site, name=name, p=_label(p), shipment=a.shipment.id), p,
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
                    msg("ITC-GEP-009.document-states-model-product", "document {document} states model "
                        "{entry_model!r} for product {value}, whose model is {model!r}", document=doc.id,
                        entry_model=cov.model, value=p.id, model=p.model), cov, "model", subject=doc.id)
            if cov.hs_code is not None and p.hs_code is not None and cov.hs_code[:6] != p.hs_code[:6]:
                yield warn_unless_binding(
                    ctx, "ITC-GEP-009",
                    msg("ITC-GEP-009.document-states-hs-product", "document {document} states HS "
                        "{entry_hs_code} for product {value}, whose HS code is {hs_code}", document=doc.id,
                        entry_hs_code=cov.hs_code, value=p.id, hs_code=p.hs_code), cov, "hs_code", subject=doc.id)
            if doc.holder is None:
                yield from unstated(ctx, doc, ("holder",))
            elif doc.holder not in (p.manufacturer, exporter):
                yield warn_unless_binding(
                    ctx, "ITC-GEP-009",
                    msg("ITC-GEP-009.document-held-neither-manufacturer", "document {document} is held by "
                        "{holder}, neither the manufacturer {manufacturer} of product {value} nor the exporter "
                        "{exporter}", document=doc.id, holder=doc.holder, manufacturer=p.manufacturer,
                        value=p.id, exporter=exporter), doc, "holder")
            if lists_other_sites(doc, p):
                yield warn_unless_binding(
                    ctx, "ITC-GEP-009",
                    msg("ITC-GEP-009.document-covers-product-made", "document {document} covers product "
                        "{value}, made at site {manufacturing_site}, but lists only sites {items}",
                        document=doc.id, value=p.id, manufacturing_site=p.manufacturing_site,
                        items=', '.join(doc.sites)), doc, "sites")
        allowed = [doc.holder, *makers]
        for j, site_id in enumerate(doc.sites):
            owner = index.site_owner(site_id)
            if owner is not None and owner not in allowed:
                yield warn_unless_binding(
                    ctx, "ITC-GEP-009",
                    msg("ITC-GEP-009.document-lists-site-which", "document {document} lists site {site_id} of "
                        "{owner}, which is neither the holder {holder} nor the manufacturer of a product it "
                        "covers", document=doc.id, site_id=site_id, owner=owner, holder=doc.holder), doc, "sites", j)


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
                    missing.append(
                        msg("ITC-GEP-010.missing-site", "{standard} ({kinds} listing the manufacturing site)",
                            standard=str(std.designator), kinds=kinds) if std.level == "site"
                        else msg("ITC-GEP-010.missing-product", "{standard} ({kinds} covering the product)",
                                 standard=str(std.designator), kinds=kinds))
                continue
            parts = []
            for d, c in uses:
                r = c.resolution
                assert r is not None
                state = "" if r.status == "current" else msg("ITC-GEP-010.edition",
                                                             ", {status} edition", status=r.status)
                parts.append(msg("ITC-GEP-010.document-edition", "{document}: {edition}{state}", document=d.id,
                                 edition=str(r.edition or c.designator), state=state))
            covered.append(msg("ITC-GEP-010.family-documents", "{family} [{documents}]", family=std.family,
                               documents=mjoin(parts, "; ")))
        used = {d.id for d, _c in evidence}
        site_docs = a.site_documents(p)
        used.update(d.id for d in site_docs)
        none_listed = msg("ITC-GEP-010.no-site-record", "no certificate or factory audit record")
        if p.manufacturing_site is None:
            site_text = msg("ITC-GEP-010.no-manufacturing-site", "no manufacturing site recorded")
        else:
            site_text = (msg("ITC-GEP-010.manufacturing-site-listed", "manufacturing site {manufacturing_site} "
                             "listed by {value}", manufacturing_site=p.manufacturing_site,
                             value=join((f'{d.id} ({d.type})' for d in site_docs),
                                        none_listed)))
        other = [f"{c.designator} ({doc.id})" for doc in a.related(p) for c in a.cited[doc.id] if c.resolution is None]
        attached = a.attached_ids
        detached = [d.id for d in a.index.listing(p.id) if d.id not in attached]
        nothing = ""
        yield ctx.note(msg(
            "ITC-GEP-010.mapping", "{head}{other}{unfit}{detached}{unpublished}",
            head=msg("ITC-GEP-010.pilot-standards-covered-known", "{p}: pilot standards covered: {covered}; known "
                     "pilot standards without a document: {missing}; {site_text}", p=_label(p),
                     covered=join(covered), missing=join(missing), site_text=site_text),
            other=msg("ITC-GEP-010.other-standards-cited", "; other standards cited: {other}",
                      other=join(other)) if other else nothing,
            unfit=msg("ITC-GEP-010.counted-as-evidence", "; not counted as evidence: {value}",
                      value=join(n.text() for n in unfit)) if unfit else nothing,
            detached=msg("ITC-GEP-010.documents-covering-but-attached", "; documents covering it but not attached "
                         "to the shipment: {detached}", detached=join(detached)) if detached else nothing,
            unpublished=msg("ITC-GEP-010.first-batch-standards-unpublished", "; {unpublished} of the {value} "
                            "first-batch standards are unpublished and not checked",
                            unpublished=a.catalog.unpublished, value=pilot.catalog_size())), p)


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
