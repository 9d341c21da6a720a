"""Check functions of the cn-green-channel rules, and the `Rule` objects built from the data.

Titles, severities, remediation texts, citations, dates, categories and HS codes come from
``data/program.json`` (see `_data`); this module maps each rule id to the function that
checks it. Every check is a pure function of the `RuleContext` and the loaded data.

Which declarations are judged: the carbon footprint declarations attached to the shipment
(``shipment.documents``, type ``carbon-footprint-declaration``) that cover the product of at
least one solar lighting line. Each such declaration is checked on its own, so a shipment
that carries a stale declaration next to a good one is told about the stale one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import attrs
from greentrade.model import CoveredProduct, Document, Party, Period, Product, ShipmentLine, StandardDesignator
from greentrade.plugin import (
    Basis,
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
            f"exporter {exporter.id} has no country on record; the pilot covers exports from "
            f"{d.origin_country}", sh, "exporter", needs=f"country of party {exporter.id}",
        )
    elif exporter is not None and exporter.country != d.origin_country:
        out = True
        yield ctx.not_applicable(
            f"exporter {exporter.id} ({exporter.name}) is in {exporter.country}, not in "
            f"{d.origin_country}: the pilot covers exports from China",
            sh, "exporter",
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


def check_classification(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    pv = ", ".join(hs_display(c) for c in d.photovoltaic_hs)
    seen: set[tuple[str, str]] = set()
    for line, product in _lines(ctx, d):
        if product.category in d.solar_categories:
            targets: tuple[tuple[str, str | None, object, str], ...] = (
                (f"product {product.id}", product.hs_code, product, product.id),
                (f"line {line.id} (product {product.id})", line.hs_code, line, line.id),
            )
            for what, code, at, key in targets:
                if code is None or code[:6] in d.photovoltaic_hs or (what, key) in seen:
                    continue
                seen.add((what, key))
                yield ctx.warning(
                    f"{what} is solar lighting (category {product.category}) declared under "
                    f"{hs_label(code)}, not HS {pv} (photovoltaic luminaires for LED light sources "
                    f"only). {_HS_WHERE}",
                    at, "hs_code",
                )
        else:
            yield ctx.warning(
                f"product {product.id} (category {product.category}) is declared under HS {pv} "
                f"(photovoltaic LED luminaires) on the product or line {line.id}, but its "
                "category is not a solar lighting category; it is judged as solar lighting",
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
                "to need one unambiguous declaration (each is checked)",
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


# -- CN-GC-005 / 006 standard -------------------------------------------------------------


def _standard_checks(
    ctx: RuleContext, d: ChannelData, doc: Document
) -> list[tuple[int, StandardDesignator, str]]:
    return [
        (i, s, ctx.catalog.check(s, program=d.program.id).status)
        for i, s in enumerate(doc.standards)
    ]


def check_standard(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    current = ", ".join(str(e.designator) for e in d.standards)
    for doc in _relevant(ctx, d):
        checks = _standard_checks(ctx, d, doc)
        statuses = {status for _i, _s, status in checks}
        if "current" in statuses or "superseded" in statuses:
            continue
        unknown = [(i, s) for i, s, status in checks if status == "unknown-edition"]
        if unknown:
            for i, s in unknown:
                yield ctx.undetermined(
                    f"declaration {doc.id} names {as_written(s)}, an edition this program does "
                    f"not know (current: {current}); cannot tell which edition it follows",
                    doc, "standards", i,
                    needs=f"the edition of ISO 14067 on declaration {doc.id}",
                )
            continue
        names = ", ".join(as_written(s) for s in doc.standards)
        yield ctx.violation(
            f"declaration {doc.id} is not issued against ISO 14067 (it names {names}); the pilot "
            f"asks for an ISO 14067 carbon footprint declaration ({current})",
            doc, "standards",
        )


def check_superseded(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    for doc in _relevant(ctx, d):
        checks = _standard_checks(ctx, d, doc)
        has_current = any(status == "current" for _i, _s, status in checks)
        for i, s, status in checks:
            if status != "superseded":
                continue
            entry = ctx.catalog.check(s, program=d.program.id).entry
            replaced_by = str(entry.designator) if entry is not None else "the current edition"
            if has_current:
                yield ctx.violation(
                    f"declaration {doc.id} also names {as_written(s)}, superseded by "
                    f"{replaced_by}; drop the superseded reference",
                    doc, "standards", i, severity=Severity.WARNING,
                )
            else:
                yield ctx.violation(
                    f"declaration {doc.id} is issued against {as_written(s)}, which is "
                    f"superseded by {replaced_by}",
                    doc, "standards", i,
                )


# -- CN-GC-007 recognized issuer ----------------------------------------------------------


def _accreditation(issuer: Party, d: ChannelData, ctx: RuleContext) -> tuple[str | None, list[str]]:
    """The first qualifying accreditation of the issuer (described), or why none qualifies."""
    accepted = set(d.accreditation_standards)
    names = ", ".join(as_written(s) for s in d.accreditation_standards if s.year is not None)
    problems: list[str] = []
    for j, acc in enumerate(issuer.accreditations):
        issues: list[str] = []
        if acc.standard not in accepted:
            newer = d.superseded_accreditation.get(acc.standard)
            issues.append(
                f"{as_written(acc.standard)} is superseded by {newer}" if newer is not None
                else f"{as_written(acc.standard)} is not one of {names}"
            )
        if acc.arrangement != "IAF MLA":
            issues.append(f"accreditation body {acc.accreditation_body} is not recorded as an "
                          "IAF MLA signatory for it")
        if not acc.valid_on(ctx.as_of):
            issues.append(
                f"not valid on {ctx.as_of.isoformat()} (valid {acc.valid_from.isoformat()} to "
                f"{acc.valid_until.isoformat()})"
            )
        ref = acc.number or as_written(acc.standard)
        if not issues:
            return (f"accreditation {ref} to {as_written(acc.standard)} by {acc.accreditation_body} "
                    "(IAF MLA signatory)"), problems
        problems.append(f"accreditation {j} ({ref}): {', '.join(issues)}")
    return None, problems


def check_issuer(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    listed = isinstance(ctx.config(SECTION).get("recognized_bodies"), list | tuple)
    binding = ctx.binding("CN-GC-007")
    make_binding = 'require = ["CN-GC-007"]'
    for doc in _relevant(ctx, d):
        if doc.issuer is None:
            evidence = verification_evidence(ctx, doc)
            yield ctx.undetermined(
                f"declaration {doc.id} names no issuer"
                + (f" ({evidence})" if evidence else "") + "; cannot tell whether a recognized body issued it",
                doc, needs=f"issuer of document {doc.id}",
            )
            continue
        issuer = ctx.dossier.party(doc.issuer)
        if issuer is None:
            continue
        label = f"issuer {issuer.id} ({issuer.name}) of declaration {doc.id}"
        host = match_party(issuer, ctx.config(SECTION).get("recognized_bodies"))
        if host is not None:
            i, how = host
            yield ctx.note(
                f"{label} is recognized through the host's list "
                f"({d.recognition_key}[{i}], by {how})",
                doc, "issuer", basis=Basis.HOST,
            )
            continue
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
            yield ctx.note(
                f"{label}: {held}; taken as the issuer's recognition because the report does not define "
                f"a recognized institution and no list is configured ({d.recognition_key})",
                doc, "issuer", basis=Basis.INFERRED,
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


def check_validity(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    as_of = ctx.as_of
    window = _window(ctx, d)
    for doc in _relevant(ctx, d):
        missing = unstated(ctx, doc, ("status", "issue_date"), label=f"declaration {doc.id}")
        if missing:
            yield from missing
            continue
        if doc.status != "valid":
            yield ctx.violation(
                f"declaration {doc.id} is {doc.status} (status on record); only a valid "
                "declaration qualifies",
                doc, "status",
            )
        if doc.issue_date is not None and doc.issue_date > as_of:
            yield ctx.violation(
                f"declaration {doc.id} is issued on {doc.issue_date.isoformat()}, after the as-of "
                f"date {as_of.isoformat()}",
                doc, "issue_date",
            )
        if doc.valid_until is None:
            continue
        if doc.valid_until < as_of:
            yield ctx.violation(
                f"declaration {doc.id} expired on {doc.valid_until.isoformat()}, before the as-of "
                f"date {as_of.isoformat()}",
                doc, "valid_until",
            )
        elif (doc.valid_until - as_of).days <= window:
            days = (doc.valid_until - as_of).days
            yield ctx.violation(
                f"declaration {doc.id} expires on {doc.valid_until.isoformat()}, {days} day(s) "
                f"after the as-of date {as_of.isoformat()} (warning window: {window} days)",
                doc, "valid_until", severity=Severity.WARNING,
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


def check_content(ctx: RuleContext, d: ChannelData) -> Iterator[Hit]:
    for doc in _relevant(ctx, d):
        cf = doc.carbon_footprint
        if cf is None:
            yield ctx.violation(
                f"declaration {doc.id} has no carbon footprint data (carbon_footprint): the "
                "declared unit and the GHG value are missing",
                doc, "carbon_footprint",
            )
            continue
        if not declared_unit_text(cf):
            yield ctx.violation(
                f"declaration {doc.id} states no declared unit", doc, "carbon_footprint",
                "declared_unit",
            )
        values = footprint_values(cf)
        if not values:
            yield ctx.violation(
                f"declaration {doc.id} states no GHG value (ghg_kg_co2e, or the PCF including or "
                "excluding biogenic uptake)", doc, "carbon_footprint",
            )
        for name, value in values:
            if not (math.isfinite(value) and value > 0):
                yield ctx.violation(
                    f"declaration {doc.id} states a GHG value of {_num(value)} kg CO2e ({name}); a "
                    "carbon footprint must be a positive number",
                    doc, "carbon_footprint", name,
                )


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

CHECKS: dict[str, Check] = {
    "CN-GC-001": check_scope,
    "CN-GC-002": check_classification,
    "CN-GC-003": check_port,
    "CN-GC-004": check_declaration_present,
    "CN-GC-005": check_standard,
    "CN-GC-006": check_superseded,
    "CN-GC-007": check_issuer,
    "CN-GC-008": check_validity,
    "CN-GC-009": check_model,
    "CN-GC-010": check_holder,
    "CN-GC-011": check_content,
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
