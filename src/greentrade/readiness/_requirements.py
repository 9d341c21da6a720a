"""Checking one buyer-profile requirement for one product against the dossier's documents.

What satisfies a requirement is decided by the same evidence helpers the TENDER rules use
(`EvidenceIndex`, `models_match`, `standard_match`), so `assess` and the rules agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from greentrade.i18n import Message, join, msg
from greentrade.model import Document, Dossier, Product
from greentrade.model._quantity import UnitError
from greentrade.model._standards import METHODS, StandardDesignator
from greentrade.readiness._values import UNDETERMINED_KINDS as _UNDETERMINED_KINDS
from greentrade.readiness._values import Gap, RequirementCheck
from greentrade.rules._adoptions import adoption_of
from greentrade.rules._evidence import SITE_DOCUMENT_TYPES as _SITE_DOCUMENT_TYPES
from greentrade.rules._evidence import EvidenceIndex, models_match, standard_match
from greentrade.rules._profiles import BuyerProfile, Requirement

if TYPE_CHECKING:
    from greentrade.rules._catalog import Catalog

__all__ = ["Ctx", "cell_status", "check_requirement"]

#: Document types of which a product commonly has several, one per standard.
_PER_STANDARD_TYPES = ("certificate", "test-report", "factory-audit")


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
    return join(map(str, ds), msg("list.or", " or "))


def _type(document_type: str) -> Message:
    """A document type as a word of the page's language (``doctype.<type>`` in the core's catalog)."""
    return Message(f"doctype.{document_type}", document_type, {})


#: A document's status as a gap says it ("document D1 is suspended").
_DOC_STATUSES = {
    "expired": msg("gap.status.expired", "expired"), "suspended": msg("gap.status.suspended", "suspended"),
    "withdrawn": msg("gap.status.withdrawn", "withdrawn"), "revoked": msg("gap.status.revoked", "revoked"),
}


@attrs.frozen
class Ctx:
    dossier: Dossier
    catalog: Catalog
    as_of: dt.date
    reference: Mapping[str, Any] = attrs.field(factory=dict)
    evidence: EvidenceIndex = attrs.field(default=attrs.Factory(lambda self: EvidenceIndex(self.dossier),
                                                                takes_self=True))


def _same_standard(ctx: Ctx, want: StandardDesignator, have: StandardDesignator) -> bool:
    """Same family, or `have` is a superseded edition (e.g. ISO/TS 14067:2013) of `want`'s standard."""
    return standard_match(want, have, ctx.catalog).related


def _edition_gap(ctx: Ctx, doc: Document, want: StandardDesignator, have: StandardDesignator) -> Gap | None:
    """What keeps `have` from satisfying `want`: the same `standard_match` the TENDER rules use."""
    m = standard_match(want, have, ctx.catalog)
    if m.verdict == "satisfies":
        return None
    if m.verdict == "superseded":
        return Gap("wrong-edition",
                   msg("gap.superseded", "document {doc} cites {have}, a superseded edition (current: {current})",
                       doc=doc.id, have=str(have), current=str(m.current)),
                   msg("gap.superseded.action", "Have document {doc} reissued against {current}.",
                       doc=doc.id, current=str(m.current)), doc.id)
    if m.verdict == "adoption-undetermined":
        a = adoption_of(have)
        why = a.describe() if a is not None else msg(
            "gap.adoption.unknown", "{have} is not an established identical adoption of {want}",
            have=str(have), want=str(want))
        return Gap("adoption-undetermined",
                   msg("gap.adoption", "document {doc} cites {have}; the requirement names {want}: {why}, so "
                       "whether it counts is not stated", doc=doc.id, have=str(have), want=str(want), why=why),
                   msg("gap.adoption.action", "Ask whether {have} is accepted for {want}, or obtain a document "
                       "issued against {want}.", have=str(have), want=str(want)), doc.id)
    if m.verdict == "undated":
        return Gap("undated-standard",
                   msg("gap.undated", "document {doc} cites {have} without an edition; the requirement names {want}",
                       doc=doc.id, have=str(have), want=str(want)),
                   msg("gap.undated.action", "Check the edition document {doc} was issued against and record it "
                       "(e.g. {want}).", doc=doc.id, want=str(want)), doc.id)
    return Gap("wrong-edition",
               msg("gap.edition", "document {doc} cites {have}; the requirement names {want}",
                   doc=doc.id, have=str(have), want=str(want)),
               msg("gap.edition.action", "Have document {doc} reissued against {want}.", doc=doc.id, want=str(want)),
               doc.id)


def _candidate_gaps(ctx: Ctx, req: Requirement, doc: Document, product: Product) -> list[Gap]:
    gaps: list[Gap] = []
    cov = ctx.evidence.entry(doc, product.id)
    if (cov is not None and cov.model is not None and product.model is not None
            and not models_match(cov.model, product.model)):
        gaps.append(Gap("product-mismatch",
                        msg("gap.model", "document {doc} states model {model!r}; product {product} is {own!r}",
                            doc=doc.id, model=cov.model, product=product.id, own=product.model),
                        msg("gap.model.action", "Obtain a {type} issued for model {own}, or correct the records.",
                            type=_type(req.document_type), own=product.model),
                        doc.id))
    site = product.manufacturing_site
    if cov is not None and doc.sites and site is not None and site not in doc.sites:
        gaps.append(Gap("product-mismatch",
                        msg("gap.site", "document {doc} covers product {product} but lists sites {sites}, not its "
                            "manufacturing site {site}", doc=doc.id, product=product.id, sites=", ".join(doc.sites),
                            site=site),
                        msg("gap.site.action", "Obtain a {type} that covers site {site}, or correct the product's "
                            "manufacturing site.", type=_type(req.document_type), site=site), doc.id))
    if req.standards:
        pairs = [(w, h) for w in req.standards for h in doc.standards if _same_standard(ctx, w, h)]
        if not pairs:
            gaps.append(Gap("wrong-standard",
                            msg("gap.standard", "document {doc} cites {have}; the requirement asks for {want}",
                                doc=doc.id, have=", ".join(map(str, doc.standards)), want=_std_list(req.standards)),
                            msg("gap.standard.action", "Obtain a {type} against {want} covering product {product}.",
                                type=_type(req.document_type), want=_std_list(req.standards), product=product.id),
                            doc.id))
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
                        msg("gap.declaration", "document {doc} does not state {wanted} (its scope: {scope}); a {type} "
                            "to another standard does not by itself satisfy the requirement", doc=doc.id,
                            wanted=wanted, scope=doc.scope or msg("gap.none-recorded", "none recorded"),
                            type=_type(req.document_type)),
                        msg("gap.declaration.action", "Obtain a {type} that states {wanted} for product {product}, "
                            "and record that in the document's scope.", type=_type(req.document_type), wanted=wanted,
                            product=product.id), doc.id))
    elif method_gaps and not (req.document_states and not missing):
        gaps.extend(method_gaps)
    if req.issuer_accreditations:
        issuer = ctx.dossier.party(doc.issuer) if doc.issuer is not None else None
        families = {a.family for a in req.issuer_accreditations}
        accs = issuer.accreditations if issuer is not None else ()
        if not any(a.standard.family in families and a.valid_on(ctx.as_of) for a in accs):
            held = join([msg("gap.accreditation", "{standard} until {until}", standard=str(a.standard),
                             until=a.valid_until) for a in accs]) if accs else msg("gap.none-recorded", "none recorded")
            name = issuer.name if issuer is not None else doc.issuer
            gaps.append(Gap("unrecognized-issuer",
                            msg("gap.issuer", "issuer {issuer} ({name}) of document {doc} holds no accreditation to "
                                "{want} valid on {as_of} (accreditations: {held})", issuer=doc.issuer, name=name,
                                doc=doc.id, want=_std_list(req.issuer_accreditations), as_of=ctx.as_of, held=held),
                            msg("gap.issuer.action", "Use an issuer accredited to {want}, or record the issuer's "
                                "valid accreditation in the dossier.", want=_std_list(req.issuer_accreditations)),
                            doc.id))
    if doc.status != "valid":
        status = _DOC_STATUSES.get(doc.status or "", doc.status) or msg("gap.no-status", "of no stated status")
        gaps.append(Gap("not-valid", msg("gap.not-valid", "document {doc} is {status}", doc=doc.id, status=status),
                        msg("gap.not-valid.action", "Replace document {doc} with a valid one.", doc=doc.id), doc.id))
    elif doc.issue_date is None:
        gaps.append(Gap("not-valid", msg("gap.no-issue-date", "document {doc} states no issue date", doc=doc.id),
                        msg("gap.no-issue-date.action", "Add the issue date of document {doc}.", doc=doc.id), doc.id))
    elif doc.issue_date > ctx.as_of:
        gaps.append(Gap("not-valid", msg("gap.future", "document {doc} is issued {issued}, after {as_of}", doc=doc.id,
                                         issued=doc.issue_date, as_of=ctx.as_of),
                        msg("gap.future.action", "Assess again once document {doc} is issued, or check its issue "
                            "date.", doc=doc.id), doc.id))
    elif doc.valid_until is not None and doc.valid_until < ctx.as_of:
        gaps.append(Gap("not-valid", msg("gap.expired", "document {doc} expired on {until}", doc=doc.id,
                                         until=doc.valid_until),
                        msg("gap.expired.action", "Renew document {doc}.", doc=doc.id), doc.id))
    elif doc.valid_until is not None and req.min_validity_days:
        needed = ctx.as_of + dt.timedelta(days=req.min_validity_days)
        if doc.valid_until < needed:
            gaps.append(Gap("expiring",
                            msg("gap.expiring", "document {doc} expires {until}, before {needed} ({days} days after "
                                "{as_of})", doc=doc.id, until=doc.valid_until, needed=needed,
                                days=req.min_validity_days, as_of=ctx.as_of),
                            msg("gap.expiring.action", "Renew document {doc} before {until}.", doc=doc.id,
                                until=doc.valid_until), doc.id))
    return gaps


def _method_gaps(req: Requirement, doc: Document) -> list[Gap]:
    """A requirement naming calculation methods (e.g. the EU Battery Regulation Art. 7 method) is
    met only by a document that states one of them; a standard does not stand in for a method."""
    if not req.methods or any(m.id in req.methods for m in doc.methods):
        return []
    wanted = join((METHODS.get(m, m) for m in req.methods), msg("list.or", " or "))
    stated = ", ".join(map(str, doc.methods)) or msg("gap.none", "none")
    return [Gap("wrong-method",
                msg("gap.method", "document {doc} does not state the {wanted} (methods stated: {stated})",
                    doc=doc.id, wanted=wanted, stated=stated),
                msg("gap.method.action", "Obtain a {type} that states it follows the {wanted}, or record the method "
                    "of document {doc} if it does.", type=_type(req.document_type), wanted=wanted, doc=doc.id), doc.id)]


def _rank(gaps: Sequence[Gap], doc: Document) -> tuple[int, int, int, str]:
    hard = [g for g in gaps if g.kind != "expiring"]
    open_ = [g for g in hard if g.kind not in _UNDETERMINED_KINDS]
    grade = 0 if not gaps else 1 if not hard else 2 if not open_ else 3
    until = doc.valid_until.toordinal() if doc.valid_until else dt.date.max.toordinal()
    return grade, len(hard), -until, doc.id


def check_requirement(ctx: Ctx, profile: BuyerProfile, req: Requirement,
           product: Product) -> tuple[RequirementCheck | None, str | None]:
    """The check (None when the requirement does not apply) and a note on its applicability."""
    start, date_gap = _application_date(ctx, req)
    in_force = start is None or start <= ctx.as_of
    base = RequirementCheck(
        profile=profile.id, requirement=req.id, title=req.title or req.id, document_type=_type(req.document_type),
        level=req.level, standing=req.standing, in_force=in_force, citation=req.citation,
        effective_from=start, basis="inferred" if req.basis == "inferred" else None,
    )
    check, note = _applicable(ctx, req, product, base, date_gap)
    if check is not None and req.basis == "inferred":
        # An inferred item (e.g. which certificate shows conformity "with GB/T 33761") cannot say
        # that another edition fails: the reading is ours, so it is undetermined.
        check = attrs.evolve(check, gaps=tuple(
            attrs.evolve(g, kind="edition-undetermined", message=g.message + " (which document and edition "
                         "count is greentrade's reading here, so this is undetermined)")
            if g.kind == "wrong-edition" else g for g in check.gaps))
    return check, note


def _applicable(ctx: Ctx, req: Requirement, product: Product, base: RequirementCheck,
                date_gap: Gap | None) -> tuple[RequirementCheck | None, str | None]:
    note: str | None = None
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
            stated = msg("gap.spec-unit", "states {spec} in {unit!r}", spec=spec.name, unit=spec.unit) \
                if spec is not None else msg("gap.spec-none", "states no {spec!r}", spec=req.applies_if_spec)
            return attrs.evolve(base, gaps=(*base.gaps, Gap(
                "spec-unknown",
                msg("gap.spec", "product {product} {stated}; requirement {req} applies when {threshold}",
                    product=product.id, stated=stated, req=req.id, threshold=threshold),
                msg("gap.spec.action", "Record the product's {spec} in {unit} in its specs.",
                    spec=req.applies_if_spec, unit=unit or msg("gap.requirement-unit", "the unit of the requirement")),
            ),)), None
        if value < req.applies_if_min or (req.applies_if_exclusive and value == req.applies_if_min):
            said = {"req": req.id, "spec": req.applies_if_spec, "value": _num(value), "unit": unit,
                    "min": _num(req.applies_if_min)}
            return None, (
                msg("note.below-exclusive", "{req} does not apply: {spec} {value} {unit} is not above {min} {unit}",
                    **said) if req.applies_if_exclusive else
                msg("note.below", "{req} does not apply: {spec} {value} {unit} is not at or above {min} {unit}",
                    **said))
        if value == req.applies_if_min:
            note = msg(
                "note.at-threshold", "{req}: {spec} {value} {unit} is exactly at the profile's inclusive "
                "threshold; the requirement's note says whether its source's threshold is exclusive",
                req=req.id, spec=req.applies_if_spec, value=_num(value), unit=unit)
    if req.applies_if_field is not None:
        value = getattr(product, req.applies_if_field, None)
        wanted = " or ".join(map(_value_text, req.applies_if_values))
        if value is None:
            return attrs.evolve(base, gaps=(*base.gaps, Gap(
                "field-unknown",
                msg("gap.field", "product {product} does not state {field}; requirement {req} applies when it is "
                    "{wanted}", product=product.id, field=req.applies_if_field, req=req.id, wanted=wanted),
                msg("gap.field.action", "Record the product's {field} (dossier format 2) from its technical "
                    "documentation.", field=req.applies_if_field),
            ),)), None
        if value not in req.applies_if_values:
            return None, msg("note.field", "{req} does not apply: {field} is {value}, not {wanted}", req=req.id,
                             field=req.applies_if_field, value=_value_text(value), wanted=wanted)
    return _with_documents(ctx, req, product, base), note


def _value_text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _application_date(ctx: Ctx, req: Requirement) -> tuple[dt.date | None, Gap | None]:
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
        earliest = msg("gap.not-before", " (not before {date})", date=req.effective_from) \
            if req.effective_from else ""
        told = msg("gap.not-a-date", "; the configured value {raw!r} is not a date", raw=raw) if raw else ""
        return req.effective_from, Gap(
            "application-date-unknown",
            msg("gap.application-date", "{req} applies from a date its source ties to another act{earliest}, which "
                "greentrade does not know{told}", req=req.id, earliest=earliest, told=told),
            msg("gap.application-date.action", 'Configure the application date in the host\'s [reference] table '
                '("{key}" = YYYY-MM-DD) from the Official Journal of the EU.', key=key))
    return (max(configured, req.effective_from) if req.effective_from else configured), None


def _states(doc: Document, phrases: Sequence[str]) -> list[str]:
    """The phrases (``a|b``: either) the document's scope does not state."""
    text = "".join((doc.scope or "").split()).casefold()
    return [p for p in phrases
            if not any("".join(alt.split()).casefold() in text for alt in p.split("|"))]


def _with_documents(ctx: Ctx, req: Requirement, product: Product, base: RequirementCheck) -> RequirementCheck:
    candidates = list(ctx.evidence.covering(product, req.document_type, _SITE_DOCUMENT_TYPES))
    others = ""
    if req.standards and req.document_type in _PER_STANDARD_TYPES:
        # A certificate or test report against another standard is another document, not a wrong one.
        unrelated = [d for d in candidates
                     if not any(_same_standard(ctx, w, h) for w in req.standards for h in d.standards)]
        candidates = [d for d in candidates if d not in unrelated]
        if unrelated:
            docs = [msg("gap.other", "{doc} against {standards}", doc=d.id, standards=", ".join(map(str, d.standards)))
                    for d in unrelated]
            others = msg("gap.others", " (other {type}s covering it: {docs})", type=_type(req.document_type),
                         docs=join(docs, ", "))
    if not candidates:
        std = msg("gap.against", " against {standards}", standards=_std_list(req.standards)) if req.standards else ""
        accredited = _std_list(req.issuer_accreditations)
        by = msg("gap.accredited-by", " from an issuer accredited to {standards}", standards=accredited) \
            if req.issuer_accreditations else ""
        keep = (msg("gap.valid-until", ", valid at least until {date}",
                    date=ctx.as_of + dt.timedelta(days=req.min_validity_days)) if req.min_validity_days else "")
        label = product.model or product.name or msg("gap.no-model", "no model stated")
        return attrs.evolve(base, gaps=(*base.gaps, Gap(
            "missing-document",
            msg("gap.missing", "no {type}{std} in the dossier covers product {product} ({label}){others}",
                type=_type(req.document_type), std=std, product=product.id, label=label, others=others),
            msg("gap.missing.action", "Obtain a {type}{std}{by} for product {product} ({label}){keep}.",
                type=_type(req.document_type), std=std, by=by, product=product.id, label=label, keep=keep),
        ),))
    scored = sorted(((_candidate_gaps(ctx, req, d, product), d) for d in candidates),
                    key=lambda gd: _rank(gd[0], gd[1]))
    gaps, doc = scored[0]
    return attrs.evolve(base, document=doc.id, valid_until=doc.valid_until, gaps=(*base.gaps, *gaps))


def cell_status(checks: Sequence[RequirementCheck]) -> str:
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

