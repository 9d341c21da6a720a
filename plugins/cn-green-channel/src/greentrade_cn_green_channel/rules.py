"""Check functions of the cn-green-channel rules, and the `Rule` objects built from the data.

Titles, severities, remediation texts, citations, dates, categories and HS codes come from
``data/program.json`` (see `_data`); this module maps each rule id to the function that
checks it. Every check is a pure function of the `RuleContext` and the loaded data.

Which declarations are judged: the carbon footprint declarations attached to the shipment
(``shipment.documents``, type ``carbon-footprint-declaration``) that cover the product of at
least one solar lighting line. Each such declaration is checked on its own, then judged per
product: a shipment that carries a stale or unfit declaration next to a good one of the same
product is told about it in a warning that names it, and stays eligible.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

import attrs
from greentrade.model import (
    CoveredProduct,
    Document,
    Party,
    Period,
    Product,
    ShipmentLine,
    StandardDesignator,
)
from greentrade.plugin import (
    Basis,
    Effect,
    Hit,
    Rule,
    RuleContext,
    Severity,
    as_written,
    declared_unit_text,
    evidence,
    footprint_values,
    hs_display,
    hs_label,
    line_products,
    match_party,
    models_match,
    party_label,
    rules_from_data,
    unstated,
    warn_unless_binding,
)

from greentrade_cn_green_channel._data import PACKAGE, SECTION, ChannelData

__all__ = ["CHECKS", "build_rules"]

Check = Callable[[RuleContext, ChannelData], Iterable[Hit]]


# -- helpers ------------------------------------------------------------------------------


_T = TypeVar("_T")


def _num(value: float) -> str:
    return str(value)


def _solar(d: ChannelData, product: Product, line: ShipmentLine) -> bool:
    return (
        product.category in d.solar_categories
        or (product.hs_code or "")[:6] in d.photovoltaic_hs
        or line.hs_code[:6] in d.photovoltaic_hs
    )


# -- the carbon footprint's verification ------------------------------------------------


def verification_evidence(ctx: RuleContext, doc: Document) -> str | None:
    """A third-party verification of the declaration's footprint, with a provider, described for a
    finding (evidence for the issuer's competence, not proof of recognition); None without one."""
    cf = doc.carbon_footprint
    v = getattr(cf, "verification", None) if cf is not None else None
    if v is None or v.third_party is not True or v.provider is None:
        return None
    parts = [f"verified by a third party, {party_label(ctx.dossier, v.provider)}"]
    if v.level:
        parts.append(f"{v.level} assurance")
    if v.standard:
        parts.append(f"to {v.standard}")
    if v.completed:
        parts.append(f"completed {v.completed.isoformat()}")
    return ", ".join(parts)


def _memo(name: str, compute: Callable[[RuleContext, ChannelData], _T]) -> Callable[[RuleContext, ChannelData], _T]:
    """Compute a per-shipment value once per validation run and share it between the rules."""

    def cached(ctx: RuleContext, d: ChannelData) -> _T:
        shipment = ctx.shipment.id if ctx.shipment is not None else None
        return ctx.memo(("cn-green-channel", name, shipment), lambda: compute(ctx, d))

    return cached


def _lines_of(ctx: RuleContext, d: ChannelData) -> list[tuple[ShipmentLine, Product]]:
    """The shipment's solar lighting lines with their products."""
    if ctx.shipment is None:
        return []
    return [(line, p) for line, p in line_products(ctx.dossier, ctx.shipment) if _solar(d, p, line)]


_lines = _memo("lines", _lines_of)


def _attached_to(ctx: RuleContext, d: ChannelData) -> list[Document]:
    """Carbon footprint declarations attached to the shipment, once each, in order."""
    if ctx.shipment is None:
        return []
    seen: dict[str, Document] = {}
    for doc in ctx.dossier.shipment_documents(ctx.shipment):
        if doc.type == d.document_type and doc.id not in seen:
            seen[doc.id] = doc
    return list(seen.values())


_attached = _memo("attached", _attached_to)


@attrs.frozen
class _Cover:
    """A declaration covering the product of one or more solar lighting lines."""

    doc: Document
    product: Product
    entry: CoveredProduct
    lines: tuple[ShipmentLine, ...]

    @property
    def line_ids(self) -> str:
        return ", ".join(line.id for line in self.lines)


def _covering_of(ctx: RuleContext, d: ChannelData) -> dict[str, list[Document]]:
    """Attached declarations by the product they cover, in attachment order (indexed once)."""
    index = evidence(ctx)
    position = {doc.id: i for i, doc in enumerate(_attached(ctx, d))}
    out: dict[str, list[Document]] = {}
    for _line, product in _lines(ctx, d):
        if product.id not in out:
            docs = [doc for doc in index.listing(product.id) if doc.id in position
                    and ctx.dossier.document(doc.id) is doc]
            out[product.id] = sorted(docs, key=lambda doc: position[doc.id])
    return out


_covering = _memo("covering", _covering_of)


def _covers_of(ctx: RuleContext, d: ChannelData) -> list[_Cover]:
    index = evidence(ctx)
    pairs: dict[tuple[str, str], tuple[Document, Product, CoveredProduct, list[ShipmentLine]]] = {}
    covering = _covering(ctx, d)
    for line, product in _lines(ctx, d):
        for doc in covering[product.id]:
            key = (doc.id, product.id)
            if key in pairs:
                pairs[key][3].append(line)
            else:
                entry = index.entry(doc, product.id)
                assert entry is not None
                pairs[key] = (doc, product, entry, [line])
    return [_Cover(doc, product, entry, tuple(lines)) for doc, product, entry, lines in pairs.values()]


_covers = _memo("covers", _covers_of)


def _relevant_of(ctx: RuleContext, d: ChannelData) -> list[Document]:
    """Attached declarations that cover at least one solar lighting line."""
    docs: dict[str, Document] = {}
    for cover in _covers(ctx, d):
        docs.setdefault(cover.doc.id, cover.doc)
    return list(docs.values())


_relevant = _memo("relevant", _relevant_of)


# -- CN-GC-001 scope ------------------------------------------------------------------------


def _assume(ctx: RuleContext, message: str, at: object, *path: str | int, needs: str) -> Hit:
    """An assumption of the outcome (`RuleContext.assume`): an inferred premise of ours that
    decides ``eligible`` or ``not_applicable``."""
    return ctx.assume(message, at, *path, needs=needs, basis=Basis.INFERRED)


def check_scope(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    sh = ctx.shipment
    if sh is None:
        return
    out = False
    if sh.ship_date < d.start:
        out = True
        yield ctx.not_applicable(
            f"shipment {sh.id} ships on {sh.ship_date.isoformat()}, before the pilot started on "
            f"{d.start.isoformat()}",
            sh, "ship_date",
        )
    exporter = ctx.dossier.party(sh.exporter)
    if exporter is not None and exporter.country is None:
        yield ctx.undetermined(
            f"exporter {exporter.id} has no country on record; the report states no nationality of the "
            f"exporter, and greentrade reads the pilot as one for exporters in {d.origin_country} "
            "(our reading)", sh, "exporter", needs=f"country of party {exporter.id}",
            basis=Basis.INFERRED,
        )
    elif exporter is not None and exporter.country != d.origin_country:
        out = True
        yield ctx.not_applicable(
            f"exporter {exporter.id} ({exporter.name}) is registered in {exporter.country}, not in "
            f"{d.origin_country}: greentrade reads the pilot as one for exporters in mainland China "
            "(the report states no nationality of the exporter)",
            sh, "exporter", basis=Basis.INFERRED,
        )
        yield _assume(
            ctx, f"an exporter registered outside mainland China ({exporter.id}, {exporter.country}) is "
            "taken as outside the pilot; the report states no nationality of the exporter",
            sh, "exporter",
            needs=f"whether the pilot accepts exporter {exporter.id}, registered in {exporter.country} "
            "(the official notice or customs)",
        )
    solar: list[ShipmentLine] = []
    other: list[tuple[ShipmentLine, Product]] = []
    for line, product in line_products(ctx.dossier, sh):
        if _solar(d, product, line):
            solar.append(line)
        else:
            other.append((line, product))
    if not solar:
        listed = "; ".join(
            f"{line.id}: {p.id} ({p.category}, HS {hs_display(line.hs_code)})" for line, p in other
        )
        yield ctx.not_applicable(
            f"shipment {sh.id} has no solar lighting line (categories "
            f"{', '.join(d.solar_categories)} or HS "
            f"{', '.join(hs_display(c) for c in d.photovoltaic_hs)}); lines: {listed}",
            sh, "lines",
        )
        return
    if out:
        return
    for line, product in other:
        yield ctx.note(
            f"line {line.id} (product {product.id}, category {product.category}, "
            f"HS {hs_display(line.hs_code)}) is not solar lighting: outside the pilot's scope, not judged",
            line,
        )


# -- CN-GC-002 classification -------------------------------------------------------------


_HS_WHERE = (
    "HS 2022 puts a photovoltaic luminaire that is not for LED light sources only under 9405.49, "
    "and LED-only table or wall lights under 9405.21 or 9405.11; the pilot is defined by product, "
    "not by code, so the line stays in scope. Classification is the declarant's decision with "
    "customs: greentrade does not suggest a code"
)
_HS_PORTABLE = (
    "product {product} looks portable ({why}): HS 2022 puts portable electric lamps designed to work by "
    "their own source of energy (e.g. hand-held solar lanterns) under heading 85.13, not 94.05"
)


def _portable(d: ChannelData, product: Product, codes: Iterable[str | None]) -> str | None:
    """Why the product looks like a portable self-powered lamp (HS 85.13), or None."""
    for code in codes:
        if code is not None and code[:4] in d.portable_hs:
            return f"declared under HS {hs_display(code)}"
    for field in ("name", "model", "category"):
        text = (getattr(product, field) or "").lower()
        for word in d.portable_words:
            if word in text:
                return f"its {field} says {word!r}"
    return None


def check_classification(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    pv = ", ".join(hs_display(c) for c in d.photovoltaic_hs)
    seen: set[tuple[str, str]] = set()
    for line, product in _lines(ctx, d):
        why = _portable(d, product, (product.hs_code, line.hs_code))
        portable = f"; {_HS_PORTABLE.format(product=product.id, why=why)}" if why else ""
        if product.category in d.solar_categories:
            targets: tuple[tuple[str, str | None, object, str], ...] = (
                (f"product {product.id}", product.hs_code, product, product.id),
                (f"line {line.id} (product {product.id})", line.hs_code, line, line.id),
            )
            for what, code, at, key in targets:
                if code is None or (what, key) in seen:
                    continue
                if code[:6] in d.photovoltaic_hs:
                    if why and (what, key) not in seen:
                        seen.add((what, key))
                        yield ctx.warning(
                            f"{what} is declared under {hs_label(code)}{portable}. Classification is the "
                            "declarant's decision with customs: greentrade does not suggest a code",
                            at, "hs_code",
                        )
                    continue
                seen.add((what, key))
                yield ctx.warning(
                    f"{what} is solar lighting (category {product.category}) declared under "
                    f"{hs_label(code)}, not HS {pv} (photovoltaic luminaires for LED light sources "
                    f"only). {_HS_WHERE}{portable}",
                    at, "hs_code",
                )
        else:
            yield ctx.warning(
                f"product {product.id} (category {product.category}) is declared under HS {pv} "
                f"(photovoltaic LED luminaires) on the product or line {line.id}, but its "
                f"category is not a solar lighting category; it is judged as solar lighting{portable}",
                product, "category",
            )


# -- CN-GC-003 port -----------------------------------------------------------------------


def check_port(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    sh = ctx.shipment
    if sh is None:
        return
    port = sh.port_of_export
    if not port.startswith(d.origin_country):
        yield ctx.violation(
            f"port of export {port} is not a Chinese UN/LOCODE ({d.origin_country}...): the pilot "
            "applies at Chinese customs ports",
            sh, "port_of_export",
        )
        return
    raw = ctx.config(SECTION).get("pilot_ports")
    if not isinstance(raw, list | tuple):
        yield ctx.undetermined(
            f"the announcement does not name its {d.announced_port_count} key ports and no pilot "
            f"port list is configured; cannot tell whether {port} is one",
            sh, "port_of_export", needs=d.ports_key,
        )
        return
    ports = [str(p) for p in raw]
    foreign = sorted(p for p in ports if not p.startswith(d.origin_country))
    if foreign:
        yield ctx.warning(
            f"the configured pilot port list ({d.ports_key}) holds codes that are not Chinese "
            f"UN/LOCODEs: {', '.join(foreign)}",
            sh, "port_of_export", basis=Basis.HOST,
        )
    if len(ports) != d.announced_port_count:
        yield ctx.warning(
            f"the configured pilot port list ({d.ports_key}) has {len(ports)} entries; the "
            f"announcement says {d.announced_port_count} key ports",
            sh, "port_of_export", basis=Basis.HOST,
        )
    if port in ports:
        return
    if len(ports) >= d.announced_port_count:
        yield ctx.violation(
            f"port of export {port} is not one of the configured pilot ports "
            f"({', '.join(sorted(ports))})",
            sh, "port_of_export", basis=Basis.HOST,
        )
    else:
        yield ctx.undetermined(
            f"port of export {port} is not in the configured pilot port list, but the list has "
            f"{len(ports)} of the {d.announced_port_count} announced ports and may be incomplete",
            sh, "port_of_export", needs=d.ports_key,
        )


# -- CN-GC-004 declaration present --------------------------------------------------------


def check_declaration_present(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    sh = ctx.shipment
    if sh is None:
        return
    index = evidence(ctx)
    by_product = _covering(ctx, d)
    for line, product in _lines(ctx, d):
        covering = by_product[product.id]
        if len(covering) > 1:
            yield ctx.warning(
                f"line {line.id}: product {product.id} is covered by {len(covering)} attached "
                f"declarations ({', '.join(doc.id for doc in covering)}); customs review is likely "
                "to need one unambiguous declaration (each is checked; one that meets the rules decides, "
                "the others get warnings naming them)",
                line, "product", basis=Basis.INFERRED,
            )
        if covering:
            continue
        hints: list[str] = []
        loose = [
            doc.id for doc in index.listing(product.id)
            if doc.type == d.document_type and doc.id not in sh.documents
        ]
        if loose:
            hints.append(
                f"declaration(s) {', '.join(loose)} in the dossier cover it but are not attached "
                f"to shipment {sh.id} (shipment.documents)"
            )
        slots = _slots(ctx, d)
        other_type = [
            f"{doc.id} ({doc.type})" for _i, doc in sorted((
                (i, doc) for doc in index.listing(product.id)
                if doc.type != d.document_type and ctx.dossier.document(doc.id) is doc
                for i in slots.get(doc.id, ())), key=lambda pair: pair[0])
        ]
        if other_type:
            hints.append(
                f"attached document(s) {', '.join(other_type)} cover it but are not of type "
                f"{d.document_type}"
            )
        hints.extend(_only_hints(ctx, d))
        tail = f"; {'; '.join(hints)}" if hints else ""
        yield ctx.violation(
            f"line {line.id}: product {product.id} (model {product.model}) is not covered by any "
            f"carbon footprint declaration attached to shipment {sh.id}{tail}",
            line, "product",
        )


def _slots_of(ctx: RuleContext, d: ChannelData) -> dict[str, list[int]]:
    """Where each document id is attached to the shipment (positions in shipment.documents)."""
    out: dict[str, list[int]] = {}
    for i, doc_id in enumerate(ctx.shipment.documents if ctx.shipment is not None else ()):
        out.setdefault(doc_id, []).append(i)
    return out


_slots = _memo("slots", _slots_of)


def _only_hints_of(ctx: RuleContext, d: ChannelData) -> list[str]:
    """What each attached declaration covers, told once per shipment for every uncovered line."""
    hints = []
    for doc in _attached(ctx, d):
        models = ", ".join(
            f"{c.product} (model {c.model or '?'})" for c in doc.products
        ) or "no product"
        hints.append(f"attached declaration {doc.id} covers only {models}")
    return hints


_only_hints = _memo("only-hints", _only_hints_of)


# -- declarations judged per product ---------------------------------------------------------
#
# The rules on a declaration itself (CN-GC-005 to 008 and 011) first judge each attached
# declaration on its own (`_raw`). A declaration's problem decides the outcome only when a
# product it covers depends on it: when another covering declaration meets every one of those
# rules, the problem is reported as a warning naming the declaration ("more evidence never
# hurts": an extra stale or unfit declaration next to a good one never fails the shipment).

#: The rules that judge a declaration on its own, in the order they run.
DOC_RULES = ("CN-GC-005", "CN-GC-006", "CN-GC-007", "CN-GC-008", "CN-GC-011")
#: How much a raw hit weighs for the declaration's standing (higher is worse).
_OK, _ASSUMED, _OPEN, _FAILED = 0, 1, 2, 3
_STANDING = {_OK: "meets the checked requirements", _ASSUMED: "meets them on a reading of ours",
             _OPEN: "is itself still open", _FAILED: "fails"}


def _weight(hit: Hit) -> int:
    if hit.effect is Effect.VIOLATION and hit.severity is not Severity.WARNING:
        return _FAILED
    if hit.effect is Effect.UNDETERMINED:
        return _OPEN
    if hit.assumption:
        return _ASSUMED
    return _OK


def _raw(ctx: RuleContext, d: ChannelData, rule_id: str, doc: Document) -> list[Hit]:
    """The hits of one declaration rule on one declaration, before the per-product judgement."""
    shipment = ctx.shipment.id if ctx.shipment is not None else None
    return ctx.memo(("cn-green-channel", "raw", rule_id, shipment, doc.id),
                    lambda: list(_JUDGES[rule_id](ctx, d, doc)))


def _standing(ctx: RuleContext, d: ChannelData, doc: Document) -> int:
    return max((_weight(h) for rule in DOC_RULES for h in _raw(ctx, d, rule, doc)), default=_OK)


def _products_of(ctx: RuleContext, d: ChannelData) -> dict[str, list[str]]:
    """Solar lighting products each relevant declaration covers, by declaration id."""
    out: dict[str, list[str]] = {}
    for c in _covers(ctx, d):
        if c.product.id not in out.setdefault(c.doc.id, []):
            out[c.doc.id].append(c.product.id)
    return out


_doc_products = _memo("doc-products", _products_of)


def _relief(ctx: RuleContext, d: ChannelData, doc: Document, weight: int) -> str | None:
    """Why a problem of this weight on `doc` decides nothing: every product it covers is also
    covered by a declaration that stands better (None when a product depends on `doc`)."""
    covering = _covering(ctx, d)
    parts = []
    for pid in _doc_products(ctx, d).get(doc.id, []):
        others = [(s, o) for o in covering.get(pid, []) if o.id != doc.id
                  and (s := _standing(ctx, d, o)) < weight]
        if not others:
            return None
        best, other = min(others, key=lambda pair: pair[0])
        parts.append(f"product {pid} is also covered by declaration {other.id}, which {_STANDING[best]}")
    if not parts:
        return None
    return f"; declaration {doc.id} is not relied upon: {'; '.join(parts)}"


def _judged(ctx: RuleContext, d: ChannelData, rule_id: str) -> Iterator[Hit]:
    for doc in _relevant(ctx, d):
        for hit in _raw(ctx, d, rule_id, doc):
            weight = _weight(hit)
            relief = _relief(ctx, d, doc, weight) if weight > _OK else None
            if relief is None:
                yield hit
            elif weight == _ASSUMED:
                # a plain note: another declaration decides, so the outcome does not rest on it
                yield attrs.evolve(hit, assumption=False, needs=None, message=hit.message + relief)
            else:
                yield attrs.evolve(hit, effect=Effect.NOTE, severity=Severity.WARNING, needs=None,
                                   message=hit.message + relief)


# -- CN-GC-005 / 006 standard -------------------------------------------------------------


def _standard_checks(
    ctx: RuleContext, d: ChannelData, doc: Document
) -> list[tuple[int, StandardDesignator, str]]:
    """(index, designator as written, status) as the core's catalog reads it (an identical
    adoption such as EN ISO 14067:2018 is ISO 14067:2018; an undated designator is the current
    edition): ``current``, ``superseded``, ``unknown-edition``, ``related`` (draws on ISO 14067
    without being an established identical adoption, e.g. GB/T 24067-2024) or ``not-in-catalog``."""
    out: list[tuple[int, StandardDesignator, str]] = []
    for i, s in enumerate(doc.standards):
        check = ctx.catalog.check(s, program=d.program.id)
        status: str = "related" if check.equivalence_undetermined else check.status
        out.append((i, s, status))
    return out


def _adoption(ctx: RuleContext, d: ChannelData, s: StandardDesignator) -> str:
    adoption = ctx.catalog.check(s, program=d.program.id).adoption
    return adoption.describe() if adoption is not None else f"{s} is not ISO 14067"


def _current(d: ChannelData) -> str:
    return ", ".join(str(e.designator) for e in d.standards)


def judge_standard(ctx: RuleContext, d: ChannelData, doc: Document) -> Iterator[Hit]:
    current = _current(d)
    checks = _standard_checks(ctx, d, doc)
    statuses = {status for _i, _s, status in checks}
    if statuses & {"current", "superseded"}:
        return
    unknown = [(i, s) for i, s, status in checks if status == "unknown-edition"]
    if unknown:
        for i, s in unknown:
            yield ctx.undetermined(
                f"declaration {doc.id} names {as_written(s)}, an edition this program does "
                f"not know (current: {current}); cannot tell which edition it follows",
                doc, "standards", i,
                needs=f"the edition of ISO 14067 on declaration {doc.id}",
            )
        return
    related = [(i, s) for i, s, status in checks if status == "related"]
    if related:
        accepted = ctx.config(SECTION).get("accepted_as_iso_14067")
        for i, s in related:
            why = _adoption(ctx, d, s)
            if isinstance(accepted, list | tuple) and str(s) in {str(a) for a in accepted}:
                yield ctx.note(
                    f"declaration {doc.id} is issued against {as_written(s)}, which the host accepts as an "
                    f"ISO 14067 declaration ({d.accepted_key})", doc, "standards", i, basis=Basis.HOST)
            elif isinstance(accepted, list | tuple):
                yield ctx.violation(
                    f"declaration {doc.id} is issued against {as_written(s)}, not ISO 14067, and the host's "
                    f"list of standards customs accepts instead ({d.accepted_key}) does not hold it",
                    doc, "standards", i, basis=Basis.HOST)
            else:
                yield ctx.undetermined(
                    f"declaration {doc.id} is issued against {as_written(s)}, not against ISO 14067 ({current}): "
                    f"{why}; the report does not say whether customs accepts it as an ISO 14067 declaration",
                    doc, "standards", i,
                    needs=f"{d.accepted_key} (whether customs accepts {s} as an ISO 14067 declaration)")
        return
    names = ", ".join(as_written(s) for s in doc.standards) or "no standard"
    yield ctx.violation(
        f"declaration {doc.id} is not issued against ISO 14067 (it names {names}); the pilot "
        f"asks for an ISO 14067 carbon footprint declaration ({current})",
        doc, "standards",
    )


def judge_superseded(ctx: RuleContext, d: ChannelData, doc: Document) -> Iterator[Hit]:
    checks = _standard_checks(ctx, d, doc)
    has_current = any(status == "current" for _i, _s, status in checks)
    ends = ctx.config(SECTION).get("transition_ends") or {}
    for i, s, status in checks:
        if status != "superseded":
            continue
        entry = ctx.catalog.check(s, program=d.program.id).entry
        replaced_by = str(entry.designator) if entry is not None else "the current edition"
        if has_current:
            yield ctx.warning(
                f"declaration {doc.id} also names {as_written(s)}, superseded by "
                f"{replaced_by}; drop the superseded reference",
                doc, "standards", i,
            )
            continue
        key = str(s)
        head = (f"declaration {doc.id} is issued only against {as_written(s)}, which {replaced_by} "
                "replaced")
        needs = f'{d.transition_key}."{key}" (the transition end date customs applies)'
        end = ends.get(key) if isinstance(ends, Mapping) else None
        if end is None:
            yield ctx.undetermined(
                f"{head}; the report names ISO 14067 without an edition and no transition rule is "
                f"published, so whether customs still accepts {key} is not known",
                doc, "standards", i, needs=needs)
            continue
        try:
            day = dt.date.fromisoformat(str(end))
        except ValueError:
            yield ctx.undetermined(f"{head}; the configured transition end {end!r} is not a calendar date",
                                   doc, "standards", i, needs=needs)
            continue
        if ctx.as_of <= day:
            yield ctx.note(f"{head}; accepted until the transition end {day.isoformat()} the host configured",
                           doc, "standards", i, basis=Basis.HOST)
        else:
            yield ctx.violation(
                f"{head}; the transition the host configured ended on {day.isoformat()}, before the "
                f"as-of date {ctx.as_of.isoformat()}", doc, "standards", i, basis=Basis.HOST)


# -- CN-GC-007 recognized issuer ----------------------------------------------------------


def _accreditation(issuer: Party, d: ChannelData, ctx: RuleContext) -> tuple[str | None, list[str]]:
    """The first qualifying accreditation of the issuer (described), or why none qualifies.

    Only accreditations to the verification standards (ISO 14065, ISO/IEC 17029) are checked
    for their arrangement, which for those scopes is the IAF MLA; an accreditation to another
    standard (a laboratory's ISO/IEC 17025, under the ILAC MRA) is named for its standard only."""
    accepted = set(d.accreditation_standards)
    names = ", ".join(as_written(s) for s in d.accreditation_standards if s.year is not None)
    problems: list[str] = []
    for j, acc in enumerate(issuer.accreditations):
        issues: list[str] = []
        arrangement = acc.arrangement
        if acc.standard not in accepted:
            newer = d.superseded_accreditation.get(acc.standard)
            issues.append(
                f"{as_written(acc.standard)} is superseded by {newer}" if newer is not None
                else f"{as_written(acc.standard)} is not one of {names}"
            )
        elif arrangement != "IAF MLA":
            issues.append(
                f"it is not recorded under the IAF MLA, the arrangement for {as_written(acc.standard)} "
                f"(recorded: {arrangement or 'none'})"
            )
        if not acc.valid_on(ctx.as_of):
            issues.append(
                f"not valid on {ctx.as_of.isoformat()} (valid {acc.valid_from.isoformat()} to "
                f"{acc.valid_until.isoformat()})"
            )
        ref = acc.number or as_written(acc.standard)
        if not issues:
            return (f"accreditation {ref} to {as_written(acc.standard)} by {acc.accreditation_body}, "
                    "recorded under the IAF MLA"), problems
        problems.append(f"accreditation {j} ({ref}): {', '.join(issues)}")
    return None, problems


def judge_issuer(ctx: RuleContext, d: ChannelData, doc: Document) -> Iterator[Hit]:
    listed = isinstance(ctx.config(SECTION).get("recognized_bodies"), list | tuple)
    binding = ctx.binding("CN-GC-007")
    make_binding = 'require = ["CN-GC-007"]'
    if doc.issuer is None:
        evidence = verification_evidence(ctx, doc)
        yield ctx.undetermined(
            f"declaration {doc.id} names no issuer"
            + (f" ({evidence})" if evidence else "") + "; cannot tell whether a recognized body issued it",
            doc, needs=f"issuer of document {doc.id}",
        )
        return
    issuer = ctx.dossier.party(doc.issuer)
    if issuer is None:
        return
    label = f"issuer {issuer.id} ({issuer.name}) of declaration {doc.id}"
    host = match_party(issuer, ctx.config(SECTION).get("recognized_bodies"))
    if host is not None:
        i, how = host
        yield ctx.note(
            f"{label} is recognized through the host's list "
            f"({d.recognition_key}[{i}], by {how})",
            doc, "issuer", basis=Basis.HOST,
        )
        return
    qualified, problems = _accreditation(issuer, d, ctx)
    held = (f"it holds {qualified}, evidence of competence but not proof of recognition" if qualified
            else f"no accreditation qualifies ({'; '.join(problems)})" if problems
            else "it has no accreditation recorded")
    evidence = verification_evidence(ctx, doc)
    if evidence:
        held += f"; the footprint is {evidence} (evidence of competence, not proof of recognition)"
    if listed and binding:
        yield ctx.violation(
            f"{label} is not on the host's list of recognized bodies ({d.recognition_key}), which the "
            f"host made binding ({make_binding}); {held}",
            doc, "issuer", basis=Basis.HOST,
        )
    elif listed:
        yield ctx.undetermined(
            f"{label} is not on the host's list of recognized bodies ({d.recognition_key}); {held}. "
            "The report does not define a recognized institution",
            doc, "issuer",
            needs=f"{d.recognition_key} entry for party {issuer.id} if the authorities recognize it, "
            f"or the host making the list binding ({make_binding})",
        )
    elif qualified:
        yield _assume(
            ctx, f"{label}: {held}; taken as the issuer's recognition because the report does not define "
            f"a recognized institution and no list is configured ({d.recognition_key})",
            doc, "issuer",
            needs=f"{d.recognition_key} (the bodies the authorities recognize)",
        )
    else:
        yield ctx.undetermined(
            f"{label}: {held}, and no list of recognized bodies is configured; the report does not "
            "define a recognized institution, so whether it is one cannot be told",
            issuer if not problems else doc, "accreditations" if not problems else "issuer",
            needs=f"{d.recognition_key} (the bodies the authorities recognize)",
        )


# -- CN-GC-008 validity -------------------------------------------------------------------


def _window(ctx: RuleContext, d: ChannelData) -> int:
    value = ctx.config(SECTION).get("expiry_warning_days")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return d.expiry_warning_days


def judge_validity(ctx: RuleContext, d: ChannelData, doc: Document) -> Iterator[Hit]:
    """A declaration that is not valid on the as-of date is undetermined (the report states no
    validity requirement) or, when the host made CN-GC-008 binding, a violation; `_judged`
    turns it into a warning when a valid declaration covers the same products."""
    as_of = ctx.as_of
    missing = unstated(ctx, doc, ("status", "issue_date"), label=f"declaration {doc.id}")
    if missing:
        yield from missing
        return
    problems: list[tuple[str, str]] = []
    if doc.status != "valid":
        problems.append((f"declaration {doc.id} is {doc.status} (status on record)", "status"))
    if doc.issue_date is not None and doc.issue_date > as_of:
        problems.append((f"declaration {doc.id} is issued on {doc.issue_date.isoformat()}, after the as-of "
                         f"date {as_of.isoformat()}", "issue_date"))
    if doc.valid_until is not None and doc.valid_until < as_of:
        problems.append((f"declaration {doc.id} expired on {doc.valid_until.isoformat()}, before the as-of "
                         f"date {as_of.isoformat()}", "valid_until"))
    binding = ctx.binding("CN-GC-008")
    for text, field in problems:
        if binding:
            yield ctx.violation(f"{text}; the host requires a valid declaration (require = [\"CN-GC-008\"])",
                                doc, field)
        else:
            yield ctx.undetermined(
                f"{text}; the report states no validity requirement for the declaration, so whether customs "
                "accepts it is not known", doc, field,
                needs=f"a valid declaration covering the products of {doc.id}, or the host making CN-GC-008 "
                f"binding ([plugins.{SECTION}] require = [\"CN-GC-008\"])")
    if problems or doc.valid_until is None:
        return
    window = _window(ctx, d)
    if (doc.valid_until - as_of).days <= window:
        days = (doc.valid_until - as_of).days
        yield ctx.warning(
            f"declaration {doc.id} expires on {doc.valid_until.isoformat()}, {days} day(s) "
            f"after the as-of date {as_of.isoformat()} (warning window: {window} days)",
            doc, "valid_until",
        )


# -- CN-GC-009 model ----------------------------------------------------------------------


def check_model(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    for c in _covers(ctx, d):
        if c.product.model is None:
            yield ctx.note(
                f"product {c.product.id} has no model on record; declaration {c.doc.id} "
                f"{'states model ' + c.entry.model if c.entry.model else 'states none'} (line {c.line_ids})",
                c.entry,
            )
        elif c.entry.model is None:
            yield ctx.note(
                f"declaration {c.doc.id} lists product {c.product.id} without a model; the match "
                f"to model {c.product.model} (line {c.line_ids}) rests on the product id",
                c.entry,
            )
        elif not models_match(c.entry.model, c.product.model):
            yield warn_unless_binding(
                ctx, "CN-GC-009",
                f"declaration {c.doc.id} covers model {c.entry.model}, but line {c.line_ids} ships "
                f"product {c.product.id} model {c.product.model}: customs may not accept a declaration "
                "for another model",
                c.entry, "model",
            )


# -- CN-GC-010 holder ---------------------------------------------------------------------


def check_holder(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    sh = ctx.shipment
    if sh is None:
        return
    for c in _covers(ctx, d):
        if c.doc.holder is None:
            yield from unstated(ctx, c.doc, ("holder",), label=f"declaration {c.doc.id}")
            continue
        if c.doc.holder in (sh.exporter, c.product.manufacturer):
            continue
        yield warn_unless_binding(
            ctx, "CN-GC-010",
            f"declaration {c.doc.id} is held by {party_label(ctx.dossier, c.doc.holder)}, which is neither "
            f"the exporter {party_label(ctx.dossier, sh.exporter)} nor the manufacturer "
            f"{party_label(ctx.dossier, c.product.manufacturer)} of product {c.product.id}; no source states "
            "who must hold the declaration",
            c.doc, "holder",
        )


# -- CN-GC-011 content --------------------------------------------------------------------


def judge_content(ctx: RuleContext, d: ChannelData, doc: Document) -> Iterator[Hit]:
    cf = doc.carbon_footprint
    if cf is None:
        yield ctx.undetermined(
            f"declaration {doc.id} has no carbon footprint data on record (carbon_footprint): its "
            "declared unit and GHG value are not known", doc,
            needs=f"carbon_footprint of document {doc.id} (declared unit and GHG value, from the declaration)",
        )
        return
    if not declared_unit_text(cf):
        yield ctx.undetermined(
            f"declaration {doc.id} has no declared unit on record", doc, "carbon_footprint",
            needs=f"declared unit of document {doc.id} (from the declaration)",
        )
    values = footprint_values(cf)
    if not values:
        yield ctx.undetermined(
            f"declaration {doc.id} has no GHG value on record (ghg_kg_co2e, or the PCF including or "
            "excluding biogenic uptake)", doc, "carbon_footprint",
            needs=f"GHG value of document {doc.id} (kg CO2e per declared unit, from the declaration)",
        )
    warn = ctx.config(SECTION).get("warn_non_positive_footprint") is True
    for name, value in values:
        if not math.isfinite(value):
            yield ctx.undetermined(
                f"declaration {doc.id} states a GHG value of {_num(value)} ({name}), not a number",
                doc, "carbon_footprint", name, needs=f"GHG value of document {doc.id}")
        elif value <= 0 and warn:
            yield ctx.warning(
                f"declaration {doc.id} states a GHG value of {_num(value)} kg CO2e ({name}); ISO 14067 counts "
                "emissions and removals, so a value of zero or less can be right: check it against the "
                "declaration (warn_non_positive_footprint)", doc, "carbon_footprint", name, basis=Basis.HOST)


# -- CN-GC-012 HS and specs agree ---------------------------------------------------------


def check_consistency(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    for line, product in _lines(ctx, d):
        if product.hs_code is not None and line.hs_code[:6] != product.hs_code[:6]:
            yield warn_unless_binding(
                ctx, "CN-GC-012",
                f"line {line.id} declares HS {hs_display(line.hs_code)}, but product {product.id} is "
                f"recorded under HS {hs_display(product.hs_code)}",
                line, "hs_code",
            )
    for c in _covers(ctx, d):
        code = c.entry.hs_code
        if code is not None and c.product.hs_code is not None and code[:6] != c.product.hs_code[:6]:
            yield warn_unless_binding(
                ctx, "CN-GC-012",
                f"declaration {c.doc.id} lists product {c.product.id} under HS {hs_display(code)}, but "
                f"the product record says HS {hs_display(c.product.hs_code)}",
                c.entry, "hs_code",
            )
        for j, spec in enumerate(c.entry.specs):
            own = c.product.spec(spec.name)
            if own is None:
                continue
            if own.unit != spec.unit or not math.isclose(own.value, spec.value, rel_tol=1e-9):
                yield warn_unless_binding(
                    ctx, "CN-GC-012",
                    f"declaration {c.doc.id} states {spec.name} = {_num(spec.value)} {spec.unit} "
                    f"for product {c.product.id}, the product record says "
                    f"{_num(own.value)} {own.unit}",
                    c.entry, "specs", j,
                )


# -- rules --------------------------------------------------------------------------------

_JUDGES: dict[str, Callable[[RuleContext, ChannelData, Document], Iterable[Hit]]] = {
    "CN-GC-005": judge_standard,
    "CN-GC-006": judge_superseded,
    "CN-GC-007": judge_issuer,
    "CN-GC-008": judge_validity,
    "CN-GC-011": judge_content,
}

CHECKS: dict[str, Check] = {
    "CN-GC-001": check_scope,
    "CN-GC-002": check_classification,
    "CN-GC-003": check_port,
    "CN-GC-004": check_declaration_present,
    "CN-GC-005": lambda ctx, d: _judged(ctx, d, "CN-GC-005"),
    "CN-GC-006": lambda ctx, d: _judged(ctx, d, "CN-GC-006"),
    "CN-GC-007": lambda ctx, d: _judged(ctx, d, "CN-GC-007"),
    "CN-GC-008": lambda ctx, d: _judged(ctx, d, "CN-GC-008"),
    "CN-GC-009": check_model,
    "CN-GC-010": check_holder,
    "CN-GC-011": lambda ctx, d: _judged(ctx, d, "CN-GC-011"),
    "CN-GC-012": check_consistency,
}


def _bind(fn: Check, d: ChannelData) -> Callable[[RuleContext], Iterable[Hit]]:
    def check(ctx: RuleContext) -> Iterable[Hit]:
        return fn(ctx, d)

    check.__name__ = fn.__name__
    return check


def build_rules(d: ChannelData) -> list[Rule]:
    """One `Rule` per entry of the data file; each must have a check function and vice versa
    (`rules_from_data` fails at load time, naming both sides, when they do not fit)."""
    return rules_from_data(
        {"rules": list(d.rules)}, {rid: _bind(fn, d) for rid, fn in CHECKS.items()},
        program=d.program.id, effective=Period(start=d.start, end=d.program.effective.end),
        citation=d.program.citation, source=f"{PACKAGE}/data/program.json", quote_intro="The report says",
    )
