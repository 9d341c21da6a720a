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
    join,
    line_products,
    match_party,
    models_match,
    msg,
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
    parts = [msg("CN-GC.verified-third-party", "verified by a third party, {provider}",
                 provider=party_label(ctx.dossier, v.provider))]
    if v.level:
        parts.append(msg("CN-GC.assurance", "{level} assurance", level=v.level))
    if v.standard:
        parts.append(msg("CN-GC.to-standard", "to {standard}", standard=v.standard))
    if v.completed:
        parts.append(msg("CN-GC.completed", "completed {completed}", completed=v.completed.isoformat()))
    return join(parts, ", ")


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
        return join((line.id for line in self.lines), ", ")


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
            msg("CN-GC-001.shipment-ships-before-pilot", "shipment {shipment} ships on {ship_date}, before the "
                "pilot started on {start}", shipment=sh.id, ship_date=sh.ship_date.isoformat(),
                start=d.start.isoformat()),
            sh, "ship_date",
        )
    exporter = ctx.dossier.party(sh.exporter)
    if exporter is not None and exporter.country is None:
        yield ctx.undetermined(
            msg("CN-GC-001.exporter-has-no-country", "exporter {exporter} has no country on record; the report "
                "states no nationality of the exporter, and greentrade reads the pilot as one for exporters in "
                "{origin_country} (our reading)", exporter=exporter.id, origin_country=d.origin_country),
            sh, "exporter", needs=msg("CN-GC-001.country-party",
                                                       "country of party {exporter}", exporter=exporter.id),
            basis=Basis.INFERRED,
        )
    elif exporter is not None and exporter.country != d.origin_country:
        out = True
        yield ctx.not_applicable(
            msg("CN-GC-001.exporter-registered-greentrade-reads", "exporter {exporter} ({exporter_name}) is "
                "registered in {exporter_country}, not in {origin_country}: greentrade reads the pilot as one "
                "for exporters in mainland China (the report states no nationality of the exporter)",
                exporter=exporter.id, exporter_name=exporter.name, exporter_country=exporter.country,
                origin_country=d.origin_country),
            sh, "exporter", basis=Basis.INFERRED,
        )
        yield _assume(
            ctx, msg("CN-GC-001.exporter-registered-outside-mainland", "an exporter registered outside mainland "
                     "China ({exporter}, {exporter_country}) is taken as outside the pilot; the report states "
                     "no nationality of the exporter", exporter=exporter.id, exporter_country=exporter.country),
            sh, "exporter",
            needs=msg("CN-GC-001.whether-pilot-accepts-exporter", "whether the pilot accepts exporter "
                      "{exporter}, registered in {exporter_country} (the official notice or customs)",
                      exporter=exporter.id, exporter_country=exporter.country),
        )
    solar: list[ShipmentLine] = []
    other: list[tuple[ShipmentLine, Product]] = []
    for line, product in line_products(ctx.dossier, sh):
        if _solar(d, product, line):
            solar.append(line)
        else:
            other.append((line, product))
    if not solar:
        listed = join((
            f"{line.id}: {p.id} ({p.category}, HS {hs_display(line.hs_code)})" for line, p in other
        ), "; ")
        yield ctx.not_applicable(
            msg("CN-GC-001.shipment-has-no-solar", "shipment {shipment} has no solar lighting line (categories "
                "{items} or HS {items2}); lines: {listed}", shipment=sh.id, items=', '.join(d.solar_categories),
                items2=', '.join(hs_display(c) for c in d.photovoltaic_hs), listed=listed),
            sh, "lines",
        )
        return
    if out:
        return
    for line, product in other:
        yield ctx.note(
            msg("CN-GC-001.line-product-category-hs", "line {line} (product {product}, category "
                "{product_category}, HS {line_hs_code}) is not solar lighting: outside the pilot's scope, not "
                "judged", line=line.id, product=product.id, product_category=product.category,
                line_hs_code=hs_display(line.hs_code)),
            line,
        )


# -- CN-GC-002 classification -------------------------------------------------------------


def _portable(d: ChannelData, product: Product, codes: Iterable[str | None]) -> str | None:
    """Why the product looks like a portable self-powered lamp (HS 85.13), or None."""
    for code in codes:
        if code is not None and code[:4] in d.portable_hs:
            return msg("CN-GC.declared-under-hs", "declared under HS {code}", code=hs_display(code))
    for field in ("name", "model", "category"):
        text = (getattr(product, field) or "").lower()
        for word in d.portable_words:
            if word in text:
                return msg("CN-GC.says", "its {field} says {word!r}", field=field, word=word)
    return None


def check_classification(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    pv = join((hs_display(c) for c in d.photovoltaic_hs), ", ")
    seen: set[tuple[str, str]] = set()
    for line, product in _lines(ctx, d):
        why = _portable(d, product, (product.hs_code, line.hs_code))
        portable = msg("CN-GC-002.portable", "; product {product} looks portable ({why}): HS 2022 puts portable "
                       "electric lamps designed to work by their own source of energy (e.g. hand-held solar "
                       "lanterns) under heading 85.13, not 94.05", product=product.id, why=why) if why else ""
        if product.category in d.solar_categories:
            targets: tuple[tuple[str, str | None, object, str], ...] = (
                (msg("CN-GC-002.product", "product {product}", product=product.id), product.hs_code, product,
                 product.id),
                (msg("CN-GC-002.line-product", "line {line} (product {product})", line=line.id,
                     product=product.id), line.hs_code, line, line.id),
            )
            for what, code, at, key in targets:
                if code is None or (what, key) in seen:
                    continue
                if code[:6] in d.photovoltaic_hs:
                    if why and (what, key) not in seen:
                        seen.add((what, key))
                        yield ctx.warning(
                            msg("CN-GC-002.declared-under-classification-declarant",
                                "{what} is declared under {code}{portable}. Classification is the declarant's "
                                "decision with customs: greentrade does not suggest a code", what=what,
                                code=hs_label(code), portable=portable),
                            at, "hs_code",
                        )
                    continue
                seen.add((what, key))
                yield ctx.warning(
                    msg("CN-GC-002.solar-lighting-category-declared", "{what} is solar lighting (category "
                        "{product_category}) declared under {code}, not HS {pv} (photovoltaic luminaires for "
                        "LED light sources only). {hs_where}{portable}", what=what,
                        product_category=product.category, code=hs_label(code), pv=pv,
                        hs_where=msg("CN-GC-002.hs-where", "HS 2022 puts a photovoltaic luminaire that is not for "
                                     "LED light sources only under 9405.49, and LED-only table or wall lights under "
                                     "9405.21 or 9405.11; the pilot is defined by product, not by code, so the line "
                                     "stays in scope. Classification is the declarant's decision with customs: "
                                     "greentrade does not suggest a code"),
                        portable=portable),
                    at, "hs_code",
                )
        else:
            yield ctx.warning(
                msg("CN-GC-002.product-category-declared-under", "product {product} (category "
                    "{product_category}) is declared under HS {pv} (photovoltaic LED luminaires) on the product "
                    "or line {line}, but its category is not a solar lighting category; it is judged as solar "
                    "lighting{portable}", product=product.id, product_category=product.category, pv=pv,
                    line=line.id, portable=portable),
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
            msg("CN-GC-003.port-export-chinese-un", "port of export {port} is not a Chinese UN/LOCODE "
                "({origin_country}...): the pilot applies at Chinese customs ports", port=port,
                origin_country=d.origin_country),
            sh, "port_of_export",
        )
        return
    raw = ctx.config(SECTION).get("pilot_ports")
    if not isinstance(raw, list | tuple):
        yield ctx.undetermined(
            msg("CN-GC-003.announcement-does-name-key", "the announcement does not name its "
                "{announced_port_count} key ports and no pilot port list is configured; cannot tell whether "
                "{port} is one", announced_port_count=d.announced_port_count, port=port),
            sh, "port_of_export", needs=d.ports_key,
        )
        return
    ports = [str(p) for p in raw]
    foreign = sorted(p for p in ports if not p.startswith(d.origin_country))
    if foreign:
        yield ctx.warning(
            msg("CN-GC-003.configured-pilot-port-list", "the configured pilot port list ({ports_key}) holds "
                "codes that are not Chinese UN/LOCODEs: {items}", ports_key=d.ports_key,
                items=', '.join(foreign)),
            sh, "port_of_export", basis=Basis.HOST,
        )
    if len(ports) != d.announced_port_count:
        yield ctx.warning(
            msg("CN-GC-003.configured-pilot-port-list-2", "the configured pilot port list ({ports_key}) has "
                "{n_ports} entries; the announcement says {announced_port_count} key ports",
                ports_key=d.ports_key, n_ports=len(ports), announced_port_count=d.announced_port_count),
            sh, "port_of_export", basis=Basis.HOST,
        )
    if port in ports:
        return
    if len(ports) >= d.announced_port_count:
        yield ctx.violation(
            msg("CN-GC-003.port-export-one-configured", "port of export {port} is not one of the configured "
                "pilot ports ({items})", port=port, items=', '.join(sorted(ports))),
            sh, "port_of_export", basis=Basis.HOST,
        )
    else:
        yield ctx.undetermined(
            msg("CN-GC-003.port-export-configured-pilot", "port of export {port} is not in the configured pilot "
                "port list, but the list has {n_ports} of the {announced_port_count} announced ports and may be "
                "incomplete", port=port, n_ports=len(ports), announced_port_count=d.announced_port_count),
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
                msg("CN-GC-004.line-product-covered-attached", "line {line}: product {product} is covered by "
                    "{n_covering} attached declarations ({items}); customs review is likely to need one "
                    "unambiguous declaration (each is checked; one that meets the rules decides, the others get "
                    "warnings naming them)", line=line.id, product=product.id, n_covering=len(covering),
                    items=', '.join(doc.id for doc in covering)),
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
                msg("CN-GC-004.declaration-s-dossier-cover", "declaration(s) {items} in the dossier cover it "
                    "but are not attached to shipment {shipment} (shipment.documents)", items=', '.join(loose),
                    shipment=sh.id)
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
                msg("CN-GC-004.attached-document-s-cover", "attached document(s) {items} cover it but are not "
                    "of type {document_type}", items=', '.join(other_type), document_type=d.document_type)
            )
        hints.extend(_only_hints(ctx, d))
        tail = msg("CN-GC-004.hints", "; {hints}", hints=join(hints, "; ")) if hints else ""
        yield ctx.violation(
            msg("CN-GC-004.line-product-model-covered", "line {line}: product {product} (model {product_model}) "
                "is not covered by any carbon footprint declaration attached to shipment {shipment}{tail}",
                line=line.id, product=product.id, product_model=product.model, shipment=sh.id, tail=tail),
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
    hints: list[str] = []
    for doc in _attached(ctx, d):
        models = join((
            msg("CN-GC.model", "{product} (model {value})", product=c.product, value=c.model or '?')
            for c in doc.products
        ), ", ") or msg("CN-GC.no-product", "no product")
        hints.append(msg("CN-GC.attached-declaration-covers-only", "attached declaration {document} covers only "
                         "{models}", document=doc.id, models=models))
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
_STANDING = {_OK: msg("CN-GC.standing-ok", "meets the checked requirements"),
             _ASSUMED: msg("CN-GC.standing-assumed", "meets them on a reading of ours"),
             _OPEN: msg("CN-GC.standing-open", "is itself still open"),
             _FAILED: msg("CN-GC.standing-failed", "fails")}


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
        parts.append(msg("CN-GC.product-also-covered-declaration", "product {pid} is also covered by "
                         "declaration {other}, which {value}", pid=pid, other=other.id, value=_STANDING[best]))
    if not parts:
        return None
    return msg("CN-GC.declaration-relied-upon", "; declaration {document} is not relied upon: {items}",
               document=doc.id, items=join(parts))


def _relieved(hit: Hit, relief: str, **changes: object) -> Hit:
    """`hit` with why it decides nothing (`relief`) added to its text, as one message whose
    parts keep their ids (so a stored report renders the whole of it in another language)."""
    m = msg("CN-GC.relieved", "{message}{relief}", message=hit.message, relief=relief)
    return attrs.evolve(hit, message=m, message_id=m.id, args=m.args, needs=None, needs_id=None,
                        **changes)  # type: ignore[arg-type]


def _judged(ctx: RuleContext, d: ChannelData, rule_id: str) -> Iterator[Hit]:
    for doc in _relevant(ctx, d):
        for hit in _raw(ctx, d, rule_id, doc):
            weight = _weight(hit)
            relief = _relief(ctx, d, doc, weight) if weight > _OK else None
            if relief is None:
                yield hit
            elif weight == _ASSUMED:
                # a plain note: another declaration decides, so the outcome does not rest on it
                yield _relieved(hit, relief, assumption=False)
            else:
                yield _relieved(hit, relief, effect=Effect.NOTE, severity=Severity.WARNING)


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
    return adoption.describe() if adoption is not None else msg("CN-GC.iso",
                                                                "{s} is not ISO 14067", s=s)


def _current(d: ChannelData) -> str:
    return join((str(e.designator) for e in d.standards), ", ")


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
                msg("CN-GC.declaration-names-edition-this", "declaration {document} names {s}, an edition this "
                    "program does not know (current: {current}); cannot tell which edition it follows",
                    document=doc.id, s=as_written(s), current=current),
                doc, "standards", i,
                needs=msg("CN-GC.edition-iso-declaration", "the edition of ISO 14067 on declaration {document}",
                          document=doc.id),
            )
        return
    related = [(i, s) for i, s, status in checks if status == "related"]
    if related:
        accepted = ctx.config(SECTION).get("accepted_as_iso_14067")
        for i, s in related:
            why = _adoption(ctx, d, s)
            if isinstance(accepted, list | tuple) and str(s) in {str(a) for a in accepted}:
                yield ctx.note(
                    msg("CN-GC.declaration-issued-against-which", "declaration {document} is issued against "
                        "{s}, which the host accepts as an ISO 14067 declaration ({accepted_key})",
                        document=doc.id, s=as_written(s), accepted_key=d.accepted_key),
                    doc, "standards", i, basis=Basis.HOST)
            elif isinstance(accepted, list | tuple):
                yield ctx.violation(
                    msg("CN-GC.declaration-issued-against-iso", "declaration {document} is issued against {s}, "
                        "not ISO 14067, and the host's list of standards customs accepts instead "
                        "({accepted_key}) does not hold it", document=doc.id, s=as_written(s),
                        accepted_key=d.accepted_key),
                    doc, "standards", i, basis=Basis.HOST)
            else:
                yield ctx.undetermined(
                    msg("CN-GC.declaration-issued-against-against", "declaration {document} is issued against "
                        "{s}, not against ISO 14067 ({current}): {why}; the report does not say whether customs "
                        "accepts it as an ISO 14067 declaration", document=doc.id, s=as_written(s),
                        current=current, why=why),
                    doc, "standards", i,
                    needs=msg("CN-GC.whether-customs-accepts-as", "{accepted_key} (whether customs accepts {s} "
                              "as an ISO 14067 declaration)", accepted_key=d.accepted_key, s=s))
        return
    names = join((as_written(s) for s in doc.standards), ", ") or "no standard"
    yield ctx.violation(
        msg("CN-GC.declaration-issued-against-iso-2", "declaration {document} is not issued against ISO 14067 "
            "(it names {names}); the pilot asks for an ISO 14067 carbon footprint declaration ({current})",
            document=doc.id, names=names, current=current),
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
                msg("CN-GC.declaration-also-names-superseded", "declaration {document} also names {s}, "
                    "superseded by {replaced_by}; drop the superseded reference", document=doc.id,
                    s=as_written(s), replaced_by=replaced_by),
                doc, "standards", i,
            )
            continue
        key = str(s)
        head = (msg("CN-GC.declaration-issued-only-against", "declaration {document} is issued only against "
                    "{s}, which {replaced_by} replaced", document=doc.id, s=as_written(s),
                    replaced_by=replaced_by))
        needs = msg("CN-GC.transition-end-date-customs", '{transition_key}."{key}" (the transition end date '
                    "customs applies)", transition_key=d.transition_key, key=key)
        end = ends.get(key) if isinstance(ends, Mapping) else None
        if end is None:
            yield ctx.undetermined(
                msg("CN-GC.report-names-iso-without", "{head}; the report names ISO 14067 without an edition "
                    "and no transition rule is published, so whether customs still accepts {key} is not known",
                    head=head, key=key),
                doc, "standards", i, needs=needs)
            continue
        try:
            day = dt.date.fromisoformat(str(end))
        except ValueError:
            yield ctx.undetermined(msg("CN-GC.configured-transition-end-calendar",
                                       "{head}; the configured transition end {end!r} is not a calendar date",
                                       head=head, end=end),
                                   doc, "standards", i, needs=needs)
            continue
        if ctx.as_of <= day:
            yield ctx.note(msg("CN-GC.accepted-until-transition-end", "{head}; accepted until the transition "
                               "end {day} the host configured", head=head, day=day.isoformat()),
                           doc, "standards", i, basis=Basis.HOST)
        else:
            yield ctx.violation(
                msg("CN-GC.transition-host-configured-ended", "{head}; the transition the host configured ended "
                    "on {day}, before the as-of date {as_of}", head=head, day=day.isoformat(),
                    as_of=ctx.as_of.isoformat()), doc, "standards", i, basis=Basis.HOST)


# -- CN-GC-007 recognized issuer ----------------------------------------------------------


def _accreditation(issuer: Party, d: ChannelData, ctx: RuleContext) -> tuple[str | None, list[str]]:
    """The first qualifying accreditation of the issuer (described), or why none qualifies.

    Only accreditations to the verification standards (ISO 14065, ISO/IEC 17029) are checked
    for their arrangement, which for those scopes is the IAF MLA; an accreditation to another
    standard (a laboratory's ISO/IEC 17025, under the ILAC MRA) is named for its standard only."""
    accepted = set(d.accreditation_standards)
    names = join((as_written(s) for s in d.accreditation_standards if s.year is not None), ", ")
    problems: list[str] = []
    for j, acc in enumerate(issuer.accreditations):
        issues: list[str] = []
        arrangement = acc.arrangement
        if acc.standard not in accepted:
            newer = d.superseded_accreditation.get(acc.standard)
            issues.append(
                msg("CN-GC.superseded", "{standard} is superseded by {newer}", standard=as_written(acc.standard),
                    newer=newer) if newer is not None
                else msg("CN-GC.one", "{standard} is not one of {names}", standard=as_written(acc.standard),
                         names=names)
            )
        elif arrangement != "IAF MLA":
            issues.append(
                msg("CN-GC.recorded-under-iaf-mla", "it is not recorded under the IAF MLA, the arrangement for "
                    "{standard} (recorded: {value})", standard=as_written(acc.standard),
                    value=arrangement or msg("CN-GC.none", "none"))
            )
        if not acc.valid_on(ctx.as_of):
            issues.append(
                msg("CN-GC.valid-valid", "not valid on {as_of} (valid {valid_from} to {valid_until})",
                    as_of=ctx.as_of.isoformat(), valid_from=acc.valid_from.isoformat(),
                    valid_until=acc.valid_until.isoformat())
            )
        ref = acc.number or as_written(acc.standard)
        if not issues:
            return (msg("CN-GC.accreditation-recorded-under-iaf", "accreditation {ref} to {standard} by "
                        "{accreditation_body}, recorded under the IAF MLA", ref=ref,
                        standard=as_written(acc.standard), accreditation_body=acc.accreditation_body)), problems
        problems.append(msg("CN-GC.accreditation", "accreditation {j} ({ref}): {items}", j=j, ref=ref,
                            items=join(issues, ", ")))
    return None, problems


def judge_issuer(ctx: RuleContext, d: ChannelData, doc: Document) -> Iterator[Hit]:
    listed = isinstance(ctx.config(SECTION).get("recognized_bodies"), list | tuple)
    binding = ctx.binding("CN-GC-007")
    make_binding = 'require = ["CN-GC-007"]'
    if doc.issuer is None:
        evidence = verification_evidence(ctx, doc)
        yield ctx.undetermined(
            msg("CN-GC-007.no-issuer", "declaration {document} names no issuer{evidence}; cannot tell whether a "
                "recognized body issued it", document=doc.id,
                evidence=msg("CN-GC-007.evidence", " ({evidence})", evidence=evidence) if evidence else ""),
            doc, needs=msg("CN-GC.issuer-document", "issuer of document {document}", document=doc.id),
        )
        return
    issuer = ctx.dossier.party(doc.issuer)
    if issuer is None:
        return
    label = msg("CN-GC.issuer-declaration", "issuer {issuer} ({issuer_name}) of declaration {document}",
                issuer=issuer.id, issuer_name=issuer.name, document=doc.id)
    host = match_party(issuer, ctx.config(SECTION).get("recognized_bodies"))
    if host is not None:
        i, how = host
        yield ctx.note(
            msg("CN-GC.recognized-through-host-s", "{label} is recognized through the host's list "
                "({recognition_key}[{i}], by {how})", label=label, recognition_key=d.recognition_key, i=i,
                how=how),
            doc, "issuer", basis=Basis.HOST,
        )
        return
    qualified, problems = _accreditation(issuer, d, ctx)
    held = (msg("CN-GC.holds-evidence-competence-but", "it holds {qualified}, evidence of competence but not "
                "proof of recognition", qualified=qualified) if qualified
            else msg("CN-GC.no-accreditation-qualifies", "no accreditation qualifies ({items})",
                     items=join(problems, "; ")) if problems
            else msg("CN-GC-007.no-accreditation", "it has no accreditation recorded"))
    evidence = verification_evidence(ctx, doc)
    if evidence:
        held = join([held, msg("CN-GC.footprint-evidence-competence-proof", "; the footprint is {evidence} "
                               "(evidence of competence, not proof of recognition)", evidence=evidence)], "")
    if listed and binding:
        yield ctx.violation(
            msg("CN-GC.host-s-list-recognized", "{label} is not on the host's list of recognized bodies "
                "({recognition_key}), which the host made binding ({make_binding}); {held}", label=label,
                recognition_key=d.recognition_key, make_binding=make_binding, held=held),
            doc, "issuer", basis=Basis.HOST,
        )
    elif listed:
        yield ctx.undetermined(
            msg("CN-GC.host-s-list-recognized-2", "{label} is not on the host's list of recognized bodies "
                "({recognition_key}); {held}. The report does not define a recognized institution", label=label,
                recognition_key=d.recognition_key, held=held),
            doc, "issuer",
            needs=msg("CN-GC.entry-party-if-authorities", "{recognition_key} entry for party {issuer} if the "
                      "authorities recognize it, or the host making the list binding ({make_binding})",
                      recognition_key=d.recognition_key, issuer=issuer.id, make_binding=make_binding),
        )
    elif qualified:
        yield _assume(
            ctx, msg("CN-GC.taken-as-issuer-s", "{label}: {held}; taken as the issuer's recognition because the "
                     "report does not define a recognized institution and no list is configured "
                     "({recognition_key})", label=label, held=held, recognition_key=d.recognition_key),
            doc, "issuer",
            needs=msg("CN-GC.bodies-authorities-recognize", "{recognition_key} (the bodies the authorities "
                      "recognize)", recognition_key=d.recognition_key),
        )
    else:
        yield ctx.undetermined(
            msg("CN-GC.no-list-recognized-bodies", "{label}: {held}, and no list of recognized bodies is "
                "configured; the report does not define a recognized institution, so whether it is one cannot "
                "be told", label=label, held=held),
            issuer if not problems else doc, "accreditations" if not problems else "issuer",
            needs=msg("CN-GC.bodies-authorities-recognize-2", "{recognition_key} (the bodies the authorities "
                      "recognize)", recognition_key=d.recognition_key),
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
    missing = unstated(ctx, doc, ("status", "issue_date"), label=msg("CN-GC.declaration",
                                                                     "declaration {document}", document=doc.id))
    if missing:
        yield from missing
        return
    problems: list[tuple[str, str]] = []
    if doc.status != "valid":
        problems.append((msg("CN-GC.declaration-status-record", "declaration {document} is {document_status} "
                             "(status on record)", document=doc.id, document_status=doc.status), "status"))
    if doc.issue_date is not None and doc.issue_date > as_of:
        problems.append((msg("CN-GC.declaration-issued-after-as", "declaration {document} is issued on "
                             "{issue_date}, after the as-of date {as_of}", document=doc.id,
                             issue_date=doc.issue_date.isoformat(), as_of=as_of.isoformat()), "issue_date"))
    if doc.valid_until is not None and doc.valid_until < as_of:
        problems.append((msg("CN-GC.declaration-expired-before-as", "declaration {document} expired on "
                             "{valid_until}, before the as-of date {as_of}", document=doc.id,
                             valid_until=doc.valid_until.isoformat(), as_of=as_of.isoformat()), "valid_until"))
    binding = ctx.binding("CN-GC-008")
    for text, field in problems:
        if binding:
            yield ctx.violation(msg("CN-GC.host-requires-valid-declaration",
                                    '{text}; the host requires a valid declaration (require = ["CN-GC-008"])',
                                    text=text),
                                doc, field)
        else:
            yield ctx.undetermined(
                msg("CN-GC.report-states-no-validity", "{text}; the report states no validity requirement for "
                    "the declaration, so whether customs accepts it is not known", text=text), doc, field,
                needs=msg("CN-GC.valid-declaration-covering-products", "a valid declaration covering the "
                          "products of {document}, or the host making CN-GC-008 binding ([plugins.{section}] "
                          'require = ["CN-GC-008"])', document=doc.id, section=SECTION))
    if problems or doc.valid_until is None:
        return
    window = _window(ctx, d)
    if (doc.valid_until - as_of).days <= window:
        days = (doc.valid_until - as_of).days
        yield ctx.warning(
            msg("CN-GC.declaration-expires-day-s", "declaration {document} expires on {valid_until}, {days} "
                "day(s) after the as-of date {as_of} (warning window: {window} days)", document=doc.id,
                valid_until=doc.valid_until.isoformat(), days=days, as_of=as_of.isoformat(), window=window),
            doc, "valid_until",
        )


# -- CN-GC-009 model ----------------------------------------------------------------------


def check_model(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    for c in _covers(ctx, d):
        if c.product.model is None:
            yield ctx.note(
                msg("CN-GC-009.product-has-no-model", "product {product} has no model on record; declaration "
                    "{document} {value} (line {line_ids})", product=c.product.id, document=c.doc.id,
                    value='states model ' + c.entry.model if c.entry.model else 'states none',
                    line_ids=c.line_ids),
                c.entry,
            )
        elif c.entry.model is None:
            yield ctx.note(
                msg("CN-GC-009.declaration-lists-product-without", "declaration {document} lists product "
                    "{product} without a model; the match to model {product_model} (line {line_ids}) rests on "
                    "the product id", document=c.doc.id, product=c.product.id, product_model=c.product.model,
                    line_ids=c.line_ids),
                c.entry,
            )
        elif not models_match(c.entry.model, c.product.model):
            yield warn_unless_binding(
                ctx, "CN-GC-009",
                msg("CN-GC-009.declaration-covers-model-but", "declaration {document} covers model "
                    "{entry_model}, but line {line_ids} ships product {product} model {product_model}: customs "
                    "may not accept a declaration for another model", document=c.doc.id,
                    entry_model=c.entry.model, line_ids=c.line_ids, product=c.product.id,
                    product_model=c.product.model),
                c.entry, "model",
            )


# -- CN-GC-010 holder ---------------------------------------------------------------------


def check_holder(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    sh = ctx.shipment
    if sh is None:
        return
    for c in _covers(ctx, d):
        if c.doc.holder is None:
            yield from unstated(ctx, c.doc, ("holder",), label=msg("CN-GC-010.declaration",
                                                                   "declaration {document}", document=c.doc.id))
            continue
        if c.doc.holder in (sh.exporter, c.product.manufacturer):
            continue
        yield warn_unless_binding(
            ctx, "CN-GC-010",
            msg("CN-GC-010.declaration-held-which-neither", "declaration {document} is held by {holder}, which "
                "is neither the exporter {exporter} nor the manufacturer {manufacturer} of product {product}; "
                "no source states who must hold the declaration", document=c.doc.id,
                holder=party_label(ctx.dossier, c.doc.holder), exporter=party_label(ctx.dossier, sh.exporter),
                manufacturer=party_label(ctx.dossier, c.product.manufacturer), product=c.product.id),
            c.doc, "holder",
        )


# -- CN-GC-011 content --------------------------------------------------------------------


def judge_content(ctx: RuleContext, d: ChannelData, doc: Document) -> Iterator[Hit]:
    cf = doc.carbon_footprint
    if cf is None:
        yield ctx.undetermined(
            msg("CN-GC.declaration-has-no-carbon", "declaration {document} has no carbon footprint data on "
                "record (carbon_footprint): its declared unit and GHG value are not known", document=doc.id), doc,
            needs=msg("CN-GC.carbon-footprint-document-declared", "carbon_footprint of document {document} "
                      "(declared unit and GHG value, from the declaration)", document=doc.id),
        )
        return
    if not declared_unit_text(cf):
        yield ctx.undetermined(
            msg("CN-GC.declaration-has-no-declared", "declaration {document} has no declared unit on record",
                document=doc.id), doc, "carbon_footprint",
            needs=msg("CN-GC.declared-unit-document-from", "declared unit of document {document} (from the "
                      "declaration)", document=doc.id),
        )
    values = footprint_values(cf)
    if not values:
        yield ctx.undetermined(
            msg("CN-GC.declaration-has-no-ghg", "declaration {document} has no GHG value on record "
                "(ghg_kg_co2e, or the PCF including or excluding biogenic uptake)", document=doc.id),
            doc, "carbon_footprint",
            needs=msg("CN-GC.ghg-value-document-kg", "GHG value of document {document} (kg CO2e per declared "
                      "unit, from the declaration)", document=doc.id),
        )
    warn = ctx.config(SECTION).get("warn_non_positive_footprint") is True
    for name, value in values:
        if not math.isfinite(value):
            yield ctx.undetermined(
                msg("CN-GC.declaration-states-ghg-value", "declaration {document} states a GHG value of {value} "
                    "({name}), not a number", document=doc.id, value=_num(value), name=name),
                doc, "carbon_footprint", name, needs=msg("CN-GC.ghg-value-document",
                                                         "GHG value of document {document}", document=doc.id))
        elif value <= 0 and warn:
            yield ctx.warning(
                msg("CN-GC.declaration-states-ghg-value-2", "declaration {document} states a GHG value of "
                    "{value} kg CO2e ({name}); ISO 14067 counts emissions and removals, so a value of zero or "
                    "less can be right: check it against the declaration (warn_non_positive_footprint)",
                    document=doc.id, value=_num(value), name=name), doc, "carbon_footprint", name, basis=Basis.HOST)


# -- CN-GC-012 HS and specs agree ---------------------------------------------------------


def check_consistency(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    for line, product in _lines(ctx, d):
        if product.hs_code is not None and line.hs_code[:6] != product.hs_code[:6]:
            yield warn_unless_binding(
                ctx, "CN-GC-012",
                msg("CN-GC-012.line-declares-hs-but", "line {line} declares HS {line_hs_code}, but product "
                    "{product} is recorded under HS {product_hs_code}", line=line.id,
                    line_hs_code=hs_display(line.hs_code), product=product.id,
                    product_hs_code=hs_display(product.hs_code)),
                line, "hs_code",
            )
    for c in _covers(ctx, d):
        code = c.entry.hs_code
        if code is not None and c.product.hs_code is not None and code[:6] != c.product.hs_code[:6]:
            yield warn_unless_binding(
                ctx, "CN-GC-012",
                msg("CN-GC-012.declaration-lists-product-under", "declaration {document} lists product "
                    "{product} under HS {code}, but the product record says HS {product_hs_code}",
                    document=c.doc.id, product=c.product.id, code=hs_display(code),
                    product_hs_code=hs_display(c.product.hs_code)),
                c.entry, "hs_code",
            )
        for j, spec in enumerate(c.entry.specs):
            own = c.product.spec(spec.name)
            if own is None:
                continue
            if own.unit != spec.unit or not math.isclose(own.value, spec.value, rel_tol=1e-9):
                yield warn_unless_binding(
                    ctx, "CN-GC-012",
                    msg("CN-GC-012.declaration-states-product-product", "declaration {document} states "
                        "{spec_name} = {value} {unit} for product {product}, the product record says {value2} "
                        "{unit2}", document=c.doc.id, spec_name=spec.name, value=_num(spec.value),
                        unit=spec.unit, product=c.product.id, value2=_num(own.value), unit2=own.unit),
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
