"""Tender readiness rules (dossier scope). Ids, titles, severities, remediation texts and
citations live in data/rules.json; this module maps each rule id to its check.

Per required document and offered product the checks run as a funnel, and only the first
stage that no document passes is reported: present (TENDER-001), matching the product
(TENDER-002), citing the standard asked for (TENDER-003), valid through delivery (TENDER-004).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from greentrade.model import Document, Product, RequiredDocument, StandardDesignator, Tender
from greentrade.plugin import (
    SITE_DOCUMENT_TYPES,
    Basis,
    EvidenceIndex,
    Hit,
    Message,
    Rule,
    RuleContext,
    Status,
    evidence,
    join,
    lists_other_sites,
    models_match,
    msg,
    rules_from_data,
    satisfies,
)

from greentrade_buyer_profiles import _data

__all__ = ["CHECKS", "SITE_DOCUMENT_TYPES", "product_mismatch", "rules"]
SHIPMENT_NEEDS = "tenders[].shipment"

Check = Callable[[RuleContext], Iterable[Hit]]
_OR = msg("TENDER.or", " or ")


# -- shared analysis -----------------------------------------------------------------------------
def _label(p: Product) -> str:
    return msg("TENDER.product", "product {product} ({model})", product=p.id, model=p.model)


def _tender_label(t: Tender) -> str:
    if t.reference:
        return msg("TENDER.tender-reference", "tender {tender} ({reference})", tender=t.id, reference=t.reference)
    return msg("TENDER.tender", "tender {tender}", tender=t.id)


def _concerned(tender: Tender, req: RequiredDocument) -> list[str]:
    ids = req.products or tuple(i.product for i in tender.items)
    return list(dict.fromkeys(ids))


def product_mismatch(doc: Document, product: Product, index: EvidenceIndex | None = None) -> str | None:
    """Why the document's statement of the product differs from the product record, if it does."""
    cov = index.entry(doc, product.id) if index is not None else doc.covers(product.id)
    if cov is None:
        return None
    problems = []
    if cov.model is not None and product.model is not None and not models_match(cov.model, product.model):
        problems.append(msg("TENDER.model-product-record", "model {entry_model!r} (product record: "
                            "{product_model!r})", entry_model=cov.model, product_model=product.model))
    if cov.hs_code is not None and product.hs_code is not None:
        n = min(len(cov.hs_code), len(product.hs_code))
        if cov.hs_code[:n] != product.hs_code[:n]:
            problems.append(msg("TENDER.hs-code-product-record", "HS code {entry_hs_code} (product record: "
                                "{product_hs_code})", entry_hs_code=cov.hs_code, product_hs_code=product.hs_code))
    if lists_other_sites(doc, product):
        problems.append(msg("TENDER.sites-product-record-made", "sites {items} (product record: made at "
                            "{manufacturing_site})", items=', '.join(doc.sites),
                            manufacturing_site=product.manufacturing_site))
    return join(problems, "; ") or None


def _written(d: StandardDesignator) -> str:
    if d.written:
        return msg("TENDER.written", "{designator} (written {written!r})", designator=str(d), written=d.written)
    return str(d)


def _validity_problem(doc: Document, ctx: RuleContext, req: RequiredDocument,
                      delivery: dt.date) -> tuple[str, bool] | None:
    """Why the document does not stay valid as needed, and whether a stated source says so (the
    document is not valid now, or the tender states `valid_through`); validity through the
    delivery date without `valid_through` is our reading."""
    if doc.status != "valid":
        return msg("TENDER.document", "document {document} is {document_status}", document=doc.id,
                   document_status=doc.status), True
    if doc.issue_date is not None and doc.issue_date > ctx.as_of:
        return msg("TENDER.document-issued-after-as", "document {document} is issued {issue_date}, after the "
                   "as-of date {as_of}", document=doc.id, issue_date=doc.issue_date, as_of=ctx.as_of), True
    if req.valid_through is not None:
        if doc.valid_until is not None and doc.valid_until < req.valid_through:
            return (msg("TENDER.document-expires-before-date", "document {document} expires {valid_until}, "
                        "before {valid_through}, the date the tender requires it valid through", document=doc.id,
                        valid_until=doc.valid_until, valid_through=req.valid_through)), True
        return None
    if doc.valid_until is not None and doc.valid_until < delivery:
        return (msg("TENDER.document-expires-before-delivery", "document {document} expires {valid_until}, "
                    "before the delivery date {delivery} (the tender does not state how long the document must "
                    "stay valid: reading it as through delivery is greentrade's, not the tender's)",
                    document=doc.id, valid_until=doc.valid_until, delivery=delivery)), False
    return None


def _funnel(ctx: RuleContext, stage: int) -> Iterator[Hit]:
    for tender in ctx.dossier.tenders:
        for req in tender.required_documents:
            for pid in _concerned(tender, req):
                product = ctx.dossier.product(pid)
                if product is None:
                    continue
                yield from _stage(ctx, tender, req, product, stage)


def _stage(ctx: RuleContext, tender: Tender, req: RequiredDocument, product: Product, stage: int) -> Iterator[Hit]:
    what = msg("TENDER.type-to", "{type} to {standards}", type=req.type,
               standards=join(map(_written, req.standards), _OR)) if req.standards else req.type
    head = msg("TENDER.requires", "{tender} requires a {what} for {product}", tender=_tender_label(tender),
               what=what, product=_label(product))
    sub = tender.id
    index = evidence(ctx)
    found = list(index.covering(product, req.type))
    if not found:
        if stage == 1:
            yield ctx.violation(msg("TENDER.no-dossier-covers-product", "{head}; no {req_type} in the dossier "
                                    "covers the product", head=head, req_type=req.type), req, "type",
                                subject=sub)
        return
    mismatch = {id(d): product_mismatch(d, product, index) for d in found}
    matching = [d for d in found if mismatch[id(d)] is None]
    # Documents offered for the product that state another model, HS code or site are named
    # wherever a later stage fails, with their ids.
    skipped = join([msg("TENDER.states", "{document} states {problem}", document=d.id, problem=mismatch[id(d)])
                    for d in found if d not in matching], "; ")
    tail = msg("TENDER.counted", "; not counted: {skipped}", skipped=skipped) if skipped else ""
    if not matching:
        if stage == 2:
            for d in found:
                cov = index.entry(d, product.id)
                text = msg("TENDER.document-states", "{head}; document {document} states {problem}", head=head,
                           document=d.id, problem=mismatch[id(d)])
                if req.match_product:
                    yield ctx.violation(msg("TENDER-002.required", "{text} (the tender requires the document to "
                                            "name the offered product)", text=text), cov or d, subject=sub)
                else:
                    yield _reading(ctx, "TENDER-002", msg("TENDER-002.reading", "{text} (the tender does not state "
                                   "how the document must match the product: that it must is greentrade's "
                                   "reading)", text=text), cov or d, subject=sub)
        return
    if req.standards:
        # What satisfies a required standard is decided by the same function `assess` uses.
        cited = [d for d in matching if satisfies(req.standards, d.standards, ctx.catalog)]
        if not cited:
            if stage == 3:
                have = join([msg("TENDER.cites", "{document} cites {standards}", document=d.id,
                                 standards=", ".join(map(str, d.standards))) for d in matching], "; ")
                yield ctx.violation(msg("TENDER-003.cites", "{head}; {have}{tail}", head=head, have=have, tail=tail),
                                    req, "standards", subject=sub)
            return
        matching = cited
    if stage != 4:
        return
    problems = [_validity_problem(d, ctx, req, tender.delivery_date) for d in matching]
    if all(p is not None for p in problems):
        why = join((p[0] for p in problems if p is not None), "; ")
        until = req.valid_through or tender.delivery_date
        text = msg("TENDER.valid-through", "{head}, valid through {until}: {why}{tail}", head=head, until=until,
                   why=why, tail=tail)
        at = ("valid_until" if matching[0].status == "valid" else "status",)
        if all(p is not None and p[1] for p in problems):
            yield ctx.violation(text, matching[0], *at, subject=sub)
        else:
            yield _reading(ctx, "TENDER-004", text, matching[0], *at, subject=sub)


def _reading(ctx: RuleContext, rule_id: str, message: str, at: object, *path: str | int, subject: str) -> Hit:
    """A finding that rests on greentrade's reading of the tender: a warning with basis inferred, an
    error (basis host) when the host made the rule binding (require = ["TENDER-00x"])."""
    if ctx.binding(rule_id):
        return ctx.violation(message, at, *path, subject=subject, basis=Basis.INFERRED)
    return ctx.warning(message, at, *path, subject=subject, basis=Basis.INFERRED)


def _present(ctx: RuleContext) -> Iterator[Hit]:
    return _funnel(ctx, 1)


def _product_match(ctx: RuleContext) -> Iterator[Hit]:
    return _funnel(ctx, 2)


def _standard(ctx: RuleContext) -> Iterator[Hit]:
    return _funnel(ctx, 3)


def _validity(ctx: RuleContext) -> Iterator[Hit]:
    return _funnel(ctx, 4)


# -- promises -------------------------------------------------------------------------------------
def _known_programs(ctx: RuleContext) -> list[str]:
    return sorted(ctx.programs)


def _promises(ctx: RuleContext) -> Iterator[Hit]:
    known = _known_programs(ctx)
    for tender in ctx.dossier.tenders:
        for promise in tender.promises:
            sub = tender.id
            said = msg("TENDER-005.promise-relies-program", "{tender} promise {claim!r} relies on program "
                       "{program}", tender=_tender_label(tender), claim=promise.claim, program=promise.program)
            if promise.program not in known:
                continue  # TENDER-006
            if tender.shipment is None:
                yield ctx.undetermined(
                    msg("TENDER-005.tender-names-no-shipment", "{said}; the tender names no shipment, so the "
                        "program status of the offered products cannot be verified", said=said),
                    promise, "program", needs=SHIPMENT_NEEDS, subject=sub)
                continue
            shipment = ctx.dossier.shipment(tender.shipment)
            if shipment is None:
                continue
            outcome = ctx.outcomes.get((promise.program, shipment.id))
            if outcome is None:
                yield ctx.undetermined(msg("TENDER-005.no-outcome-program-shipment",
                                           "{said}; no outcome of the program for shipment {shipment}",
                                           said=said, shipment=shipment.id),
                                       promise, "program", needs=SHIPMENT_NEEDS, subject=sub)
                continue
            status = msg("TENDER-005.shipment-as", "shipment {shipment} is {outcome_status} for it as of "
                         "{as_of}: {summary}", shipment=shipment.id,
                         outcome_status=Message(f"status.{outcome.status}", str(outcome.status), {}),
                         as_of=outcome.as_of, summary=outcome.summary)
            if outcome.status in (Status.NOT_ELIGIBLE, Status.NOT_APPLICABLE):
                yield ctx.violation(msg("TENDER-005.but", "{said}, but {status}", said=said, status=status), promise,
                                    "program", subject=sub)
                continue
            if outcome.status is Status.UNDETERMINED:
                needs = outcome.summary.removeprefix("needs: ") or SHIPMENT_NEEDS
                yield ctx.undetermined(msg("TENDER-005.but-2", "{said}, but {status}", said=said, status=status),
                                       promise, "program", needs=needs, subject=sub)
                continue
            on_board = {line.product for line in shipment.lines}
            missing = [i.product for i in tender.items if i.product not in on_board]
            if missing:
                yield ctx.undetermined(
                    msg("TENDER-005.shipment-eligible-but-offered", "{said}; shipment {shipment} is eligible, "
                        "but offered product(s) {items} are not on it, so its status does not cover them",
                        said=said, shipment=shipment.id, items=', '.join(dict.fromkeys(missing))),
                    promise, "program", needs=SHIPMENT_NEEDS, subject=sub)
                continue
            # Met, with what 'eligible' means for this program said plainly (for the ITC Green
            # Export Pass: evidence ready, not accepted by the pass or by buyers).
            program = ctx.programs.get(promise.program)
            meaning = (Message(f"{program.id}.eligible", program.eligible_summary.replace("{", "{{").replace("}", "}}"),
                               {}) if program is not None else outcome.summary)
            yield ctx.note(msg("TENDER-005.shipment-eligible-as-which", "{said}; shipment {shipment} is "
                               "eligible for it as of {as_of}, which means: {meaning}", said=said,
                               shipment=shipment.id, as_of=outcome.as_of, meaning=meaning),
                           promise, "program", subject=sub)


def _programs_loaded(ctx: RuleContext) -> Iterator[Hit]:
    known = _known_programs(ctx)
    for tender in ctx.dossier.tenders:
        for promise in tender.promises:
            if promise.program not in known:
                yield ctx.violation(
                    msg("TENDER-006.promise-relies-program-which", "{tender} promise {claim!r} relies on "
                        "program {program!r}, which no loaded plugin defines (loaded: {value})",
                        tender=_tender_label(tender), claim=promise.claim, program=promise.program,
                        value=", ".join(known) or msg("TENDER-006.none", "none")),
                    promise, "program", subject=tender.id)


def _deadline(ctx: RuleContext) -> Iterator[Hit]:
    for tender in ctx.dossier.tenders:
        if tender.bid_deadline < ctx.as_of:
            yield ctx.note(msg("TENDER-007.bid-deadline-before-as", "the bid deadline of {tender} "
                               "({bid_deadline}) is before the as-of date {as_of}", tender=_tender_label(tender),
                               bid_deadline=tender.bid_deadline, as_of=ctx.as_of),
                           tender, "bid_deadline", subject=tender.id)


def _variants(ctx: RuleContext) -> Iterator[Hit]:
    for tender in ctx.dossier.tenders:
        for req in tender.required_documents:
            for i, d in enumerate(req.standards):
                if d.written is not None:
                    yield ctx.note(msg("TENDER-008.writes-standard-canonical-form",
                                       "{tender} writes the standard {written!r}; canonical form {d!r}, matched "
                                       "to the dossier's documents by family and edition",
                                       tender=_tender_label(tender), written=d.written, d=str(d)),
                                   req, "standards", i, subject=tender.id)


CHECKS: dict[str, Check] = {
    "TENDER-001": _present,
    "TENDER-002": _product_match,
    "TENDER-003": _standard,
    "TENDER-004": _validity,
    "TENDER-005": _promises,
    "TENDER-006": _programs_loaded,
    "TENDER-007": _deadline,
    "TENDER-008": _variants,
}


def rules() -> list[Rule]:
    return rules_from_data(_data.rules_data(), CHECKS, scope="dossier",
                           source=f"{_data.PACKAGE}/data/rules.json")
