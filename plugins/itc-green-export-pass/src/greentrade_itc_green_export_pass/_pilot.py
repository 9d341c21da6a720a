"""The pilot's data and the analysis every rule shares: the merged standards catalog, how a
document's standards resolve against it, and which documents of a shipment the program
relies on. Pure functions of the rule context; nothing is cached between validations
except the plugin's own (immutable) data files."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

import attrs

from greentrade.model import DesignatorError, Document, Product, Shipment, StandardDesignator
from greentrade.plugin import (
    SITE_DOCUMENT_TYPES,
    CatalogEntry,
    Citation,
    EvidenceIndex,
    Message,
    Program,
    RuleContext,
    country_group,
    data_text,
    evidence,
    international,
    line_products,
    lists_other_sites,
    load_data,
    load_json,
    msg,
    structure,
)
from greentrade.plugin import join as mjoin

PACKAGE = "greentrade_itc_green_export_pass"
PROGRAM = "itc-green-export-pass"
SECTION = "itc-green-export-pass"  # [plugins.itc-green-export-pass]
REGIONS = "itc-green-export-pass.regions"  # reference data name
DEFAULT_EVIDENCE_TYPES = ("certificate", "epd", "test-report")

Level = Literal["product", "site"]
Status = Literal["current", "superseded", "outdated", "newer", "ambiguous"]


# -- data files -----------------------------------------------------------------------------
@functools.cache
def program_data() -> Mapping[str, Any]:
    data: Mapping[str, Any] = load_data(PACKAGE, "data/program.json", "data/program.schema.json")
    return data


@functools.cache
def standards_data() -> Mapping[str, Any]:
    data: Mapping[str, Any] = load_data(PACKAGE, "data/standards.json", "data/standards.schema.json")
    return data


@functools.cache
def regions_data() -> Mapping[str, Any]:
    """The regions data file; a region that names a core country group (``group``) gets that
    group's countries from the core's reference data, so the data set is complete by itself."""
    data: dict[str, Any] = dict(load_data(PACKAGE, "data/regions.json", "data/regions.schema.json"))
    out = []
    for r in data["regions"]:
        if "group" in r and "countries" not in r:
            group = country_group(None, r["group"])
            if group is None:
                raise ValueError(f"{PACKAGE}/data/regions.json: region {r['id']} names country group "
                                 f"{r['group']!r}, which the core's reference data does not define")
            r = {**r, "countries": sorted(group)}
        out.append(r)
    data["regions"] = out
    return data


@functools.cache
def config_schema() -> Mapping[str, Any]:
    """The JSON Schema of the [plugins.itc-green-export-pass] section."""
    data: Mapping[str, Any] = load_json(PACKAGE, "data/config.schema.json")
    return data


def program() -> Program:
    return structure(program_data()["program"], Program)


def categories() -> tuple[str, ...]:
    return tuple(program_data()["categories"])


def catalog_size() -> int:
    return int(program_data()["program"]["catalog_size"])


def citation(key: str) -> Citation:
    return structure(program_data()["citations"][key], Citation)


def catalog_entries() -> list[CatalogEntry]:
    """The plugin's own catalog entries (contributed through greentrade_standards)."""
    out = []
    for s in standards_data()["standards"]:
        src = structure(s["edition_source"], Citation)
        also = ", ".join(s["also_current"])
        note = f"Editions: {src}."
        if src.note:
            note += f" {src.note}"
        if also:
            note += f" Also accepted as current: {also}."
        note += f" Evidence: {s['evidence']['basis']}"
        out.append(CatalogEntry(
            designator=StandardDesignator.parse(s["designator"]),
            title=s["title"],
            citation=structure(s["citation"], Citation),
            superseded=tuple(StandardDesignator.parse(d) for d in s["superseded"]),
            categories=tuple(s["categories"]),
            program=PROGRAM,
            note=note,
        ))
    return out


# -- the merged pilot catalog ---------------------------------------------------------------
@attrs.frozen
class PilotStandard:
    """A standard of the pilot with what counts as evidence against it."""

    designator: StandardDesignator
    title: str
    current: tuple[StandardDesignator, ...]
    superseded: tuple[StandardDesignator, ...]
    categories: tuple[str, ...]
    level: Level
    document_types: tuple[str, ...]
    accreditation: tuple[str, ...] | None  # None: by document type
    origin: str
    #: Since when the current edition is current, as its publisher states it (None: not known).
    current_since: str | None = None
    #: Why which edition a document rests on is our reading (GB/T 33761: a guideline).
    edition_reading: str | None = None

    @property
    def family(self) -> StandardDesignator:
        return self.designator.family

    def accepted_accreditation(self, document_type: str) -> tuple[str, ...]:
        if self.accreditation is not None:
            return self.accreditation
        return accreditation_by_type(document_type)


def accreditation_by_type(document_type: str) -> tuple[str, ...]:
    table = standards_data()["accreditation_by_document_type"]
    value = table.get(document_type, [])
    return tuple(value) if isinstance(value, list) else ()


#: The texts of standards.json that findings quote, by key: translated as `data_text` messages.
DATA_TEXTS = ("current_since", "edition_reading")


def _data(meta: Mapping[str, Any], key: str) -> Message | None:
    """A text of a standard's entry in standards.json as a message whose id names the entry
    (``ITC-GEP.standard.GB/T 33761.edition_reading``), so the catalogs translate it."""
    text = meta.get(key)
    if not isinstance(text, str):
        return None
    family = StandardDesignator.parse(meta["designator"]).family
    return data_text(f"ITC-GEP.standard.{family}.{key}", text)


def catalog_texts() -> list[tuple[str, str]]:
    """(id, English) of every standards.json text findings may quote (for the catalogs)."""
    out = []
    for meta in standards_data()["standards"]:
        for key in DATA_TEXTS:
            text = _data(meta, key)
            if text is not None:
                out.append((text.id, str(text)))
    return out


@functools.cache
def _own_meta() -> dict[str, Mapping[str, Any]]:
    return {str(StandardDesignator.parse(s["designator"]).family): s for s in standards_data()["standards"]}


def _from_entry(entry: CatalogEntry) -> PilotStandard:
    meta = _own_meta().get(str(entry.designator.family))
    also: tuple[StandardDesignator, ...] = ()
    if meta is not None:
        if str(entry.designator) == meta["designator"]:
            also = tuple(StandardDesignator.parse(d) for d in meta["also_current"])
        ev = meta["evidence"]
        return PilotStandard(
            designator=entry.designator, title=entry.title, current=(entry.designator, *also),
            superseded=entry.superseded, categories=entry.categories, level=ev["level"],
            document_types=tuple(ev["document_types"]), accreditation=tuple(ev["accreditation"]),
            origin="catalog", current_since=_data(meta, "current_since"),
            edition_reading=_data(meta, "edition_reading"),
        )
    return PilotStandard(
        designator=entry.designator, title=entry.title, current=(entry.designator,),
        superseded=entry.superseded, categories=entry.categories, level="product",
        document_types=DEFAULT_EVIDENCE_TYPES, accreditation=None, origin="catalog",
    )


def _said(exc: BaseException) -> str:
    """What an exception says: its message when it was made with `msg` (translated with the
    finding that quotes it), else its text."""
    said = exc.args[0] if len(exc.args) == 1 else None
    return said if isinstance(said, Message) else str(exc)


def _from_config(i: int, raw: Mapping[str, Any]) -> PilotStandard:
    where = f"extra_standards[{i}]"
    try:
        designator = StandardDesignator.parse(raw["designator"])
        also = tuple(StandardDesignator.parse(d) for d in raw.get("also_current", []))
        superseded = tuple(StandardDesignator.parse(d) for d in raw.get("superseded", []))
    except DesignatorError as exc:
        raise ValueError(msg("ITC-GEP.config-entry", "{where}: {problem}", where=where, problem=_said(exc))) from None
    for d in (*also, *superseded):
        if d.family != designator.family:
            raise ValueError(msg("ITC-GEP.config-not-edition", "{where}: {designator} is not an edition of {family}",
                                 where=where, designator=str(d), family=str(designator.family)))
    acc = raw.get("accreditation")
    return PilotStandard(
        designator=designator, title=str(raw["title"]), current=(designator, *also),
        superseded=superseded, categories=tuple(raw["categories"]), level=raw.get("level", "product"),
        document_types=tuple(raw.get("document_types", DEFAULT_EVIDENCE_TYPES)),
        accreditation=tuple(acc) if acc else None, origin="host configuration",
    )


@attrs.frozen
class PilotCatalog:
    standards: tuple[PilotStandard, ...]
    problems: tuple[str, ...]
    #: Standards by family, indexed once (the first of a family, as a scan would find it).
    _families: dict[StandardDesignator, PilotStandard] = attrs.field(
        init=False, eq=False, repr=False, alias="_families")

    def __attrs_post_init__(self) -> None:
        families: dict[StandardDesignator, PilotStandard] = {}
        for s in self.standards:
            families.setdefault(s.family, s)
        object.__setattr__(self, "_families", families)

    def by_family(self, family: StandardDesignator) -> PilotStandard | None:
        return self._families.get(family)

    @property
    def unpublished(self) -> int:
        return max(0, catalog_size() - len(self.standards))


def pilot_catalog(ctx: RuleContext) -> PilotCatalog:
    """The engine's catalog for the program, merged with the host's extra_standards (a host
    entry replaces a catalog entry of the same family); computed once per validation run."""
    return ctx.memo((PROGRAM, "catalog"), lambda: _pilot_catalog(ctx))


def _pilot_catalog(ctx: RuleContext) -> PilotCatalog:
    merged: dict[StandardDesignator, PilotStandard] = {}
    for entry in ctx.catalog.for_program(PROGRAM):
        merged.setdefault(entry.designator.family, _from_entry(entry))
    problems: list[str] = []
    extra = ctx.config(SECTION).get("extra_standards", [])
    for i, raw in enumerate(extra if isinstance(extra, list | tuple) else []):
        try:
            std = _from_config(i, raw)
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(msg("ITC-GEP.config-problem", "[plugins.{section}] {problem}", section=SECTION,
                                problem=_said(exc)))
            continue
        merged[std.family] = std
    ordered = sorted(merged.values(), key=lambda s: str(s.designator))
    return PilotCatalog(tuple(ordered), tuple(problems))


# -- resolving a designator ------------------------------------------------------------------
@attrs.frozen
class Resolution:
    standard: PilotStandard
    status: Status
    edition: StandardDesignator | None  # the catalog edition it designates, when known
    partial: bool = False  # the written designator leaves out part of the edition

    @property
    def canonical_form(self) -> str | None:
        return str(self.edition) if self.edition is not None else None


def _fits(written: StandardDesignator, edition: StandardDesignator) -> bool:
    if written.year is not None and written.year != edition.year:
        return False
    if len(written.amendments) != len(edition.amendments):
        return False
    return all(
        a.kind == b.kind
        and (a.number is None or a.number == b.number)
        and (a.year is None or a.year == b.year)
        for a, b in zip(written.amendments, edition.amendments, strict=True)
    )


def _edition_date(d: StandardDesignator) -> int | None:
    years = [y for y in (d.year, *(a.year for a in d.amendments)) if y is not None]
    return max(years) if years else None


def resolve(d: StandardDesignator, catalog: PilotCatalog) -> Resolution | None:
    """How a document's designator relates to the pilot catalog (None: not a pilot standard).

    An identical adoption (``EN ISO 50001:2018``) is the standard it adopts (the core's
    adoptions data); an undated designator (``ISO 50001``) means the current edition."""
    d = international(d)
    std = catalog.by_family(d.family)
    if std is None:
        return None
    if d.year is None and not d.amendments and d.kind == std.designator.kind:
        return Resolution(std, "current", std.designator, partial=True)
    if d in std.current:
        return Resolution(std, "current", d)
    if d in std.superseded:
        return Resolution(std, "superseded", d)
    current = [e for e in std.current if _fits(d, e)]
    old = [e for e in std.superseded if _fits(d, e)]
    if current and not old:
        return Resolution(std, "current", current[0], partial=True)
    if old and not current and len(old) == 1:
        return Resolution(std, "superseded", old[0], partial=True)
    if current or old:
        return Resolution(std, "ambiguous", None)
    mine = _edition_date(d)
    latest = max((_edition_date(e) or 0) for e in std.current)
    if mine is None:
        return Resolution(std, "ambiguous", None)
    return Resolution(std, "newer" if mine > latest else "outdated", None)


# -- the shipment's documents -----------------------------------------------------------------
@attrs.frozen
class Cited:
    index: int
    designator: StandardDesignator
    resolution: Resolution | None


@attrs.frozen
class Analysis:
    """What the rules of one shipment share."""

    shipment: Shipment
    catalog: PilotCatalog
    products: tuple[Product, ...]  # in-scope products, in line order
    documents: tuple[Document, ...]  # documents attached to the shipment
    cited: Mapping[str, tuple[Cited, ...]]  # by document id
    #: The dossier's evidence index (which documents name a product or list a site).
    index: EvidenceIndex = attrs.field(eq=False, repr=False)
    # Derived values, computed once: several rules ask the same questions of one analysis.
    _derived: dict[Any, Any] = attrs.field(factory=dict, eq=False, repr=False, alias="derived")

    def _slots(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Positions in `documents` of each attached document id, and of the attached
        documents that list each site (the shipment's own index: a site's documents across
        the whole dossier can be many)."""
        if "slots" not in self._derived:
            slots: dict[str, list[int]] = {}
            sites: dict[str, list[int]] = {}
            for i, doc in enumerate(self.documents):
                slots.setdefault(doc.id, []).append(i)
                for site in dict.fromkeys(doc.sites):
                    sites.setdefault(site, []).append(i)
            self._derived["slots"] = slots, sites
        return self._derived["slots"]  # type: ignore[no-any-return]

    @property
    def attached_ids(self) -> frozenset[str]:
        if "attached" not in self._derived:
            self._derived["attached"] = frozenset(d.id for d in self.documents)
        return self._derived["attached"]  # type: ignore[no-any-return]

    def related(self, product: Product) -> list[Document]:
        """Attached documents that name the product or list its manufacturing site, in
        attachment order (looked up in the index, not scanned)."""
        key = ("related", product.id)
        if key not in self._derived:
            slots, sites = self._slots()
            positions = {i for doc in self.index.listing(product.id) for i in slots.get(doc.id, ())
                         if self.documents[i] is doc}
            if product.manufacturing_site is not None:
                positions.update(sites.get(product.manufacturing_site, ()))
            self._derived[key] = [self.documents[i] for i in sorted(positions)]
        return list(self._derived[key])

    def products_of(self, doc: Document) -> list[Product]:
        """In-scope products the document names or whose site it lists, in line order."""
        if "by-doc" not in self._derived:
            by_doc: dict[str, list[Product]] = {}
            for p in self.products:
                for d in dict.fromkeys(d.id for d in self.related(p)):
                    by_doc.setdefault(d, []).append(p)
            self._derived["by-doc"] = by_doc
        return list(self._derived["by-doc"].get(doc.id, ()))

    def covers(self, doc: Document, product: Product) -> bool:
        return self.index.entry(doc, product.id) is not None

    def evidence_for(self, product: Product) -> list[tuple[Document, Cited]]:
        """(document, pilot standard) pairs that are evidence for the product."""
        key = ("evidence", product.id)
        if key not in self._derived:
            self._derived[key] = self._evidence_for(product)
        return list(self._derived[key])

    def _evidence_for(self, product: Product) -> list[tuple[Document, Cited]]:
        out = []
        for doc in self.related(product):
            for c in self.cited[doc.id]:
                if c.resolution is not None and fits(doc, c.resolution.standard, product, self.index):
                    out.append((doc, c))
        return out

    def site_documents(self, product: Product) -> list[Document]:
        site = product.manufacturing_site
        if site is None:
            return []
        return [d for d in self.related(product) if d.type in SITE_DOCUMENT_TYPES and site in d.sites]

    def relied(self) -> list[Document]:
        """Documents the program relies on: evidence or site coverage for an in-scope product."""
        if "relied" not in self._derived:
            self._derived["relied"] = self._relied()
        return list(self._derived["relied"])

    def _relied(self) -> list[Document]:
        ids: set[str] = set()
        for p in self.products:
            ids.update(d.id for d, _c in self.evidence_for(p))
            ids.update(d.id for d in self.site_documents(p))
        return [d for d in self.documents if d.id in ids]

    def pilot_citations(self, doc: Document) -> list[Cited]:
        return [c for c in self.cited[doc.id] if c.resolution is not None]


@attrs.frozen
class NotCounted:
    """An attached document against a pilot standard that is not evidence for a product, and why."""

    document: Document
    standard: PilotStandard
    reason: str

    def __str__(self) -> str:
        return self.text()

    def text(self) -> str:
        """The document and why it is not counted, as a message (translated with its reason)."""
        return msg("ITC-GEP.not-counted", "{family} {document_type} {document} {reason}", family=self.standard.family,
                   document_type=self.document.type, document=self.document.id, reason=self.reason)


def _why_not(doc: Document, std: PilotStandard, product: Product, a: Analysis) -> str | None:
    """Why `doc` (against `std`) is not evidence for `product`, or None when it has nothing to
    do with the product (it covers another product, or lists a site of another maker)."""
    site = product.manufacturing_site
    if std.level == "site":
        if doc.type not in std.document_types or site is None:
            return None
        if site not in doc.sites:
            maker = product.manufacturer
            ours = maker is not None and (doc.holder == maker or any(a.index.site_owner(s) == maker
                                                                       for s in doc.sites))
            if not (ours or a.covers(doc, product)):
                return None
            listed = ", ".join(doc.sites) or msg("ITC-GEP.none", "none")
            if len(doc.sites) > 1:
                return msg("ITC-GEP.lists-sites", "lists sites {sites}, not the product's {site}", sites=listed,
                           site=site)
            return msg("ITC-GEP.lists-site", "lists site {sites}, not the product's {site}", sites=listed, site=site)
    elif not a.covers(doc, product):
        return None
    elif doc.type not in std.document_types:
        return msg("ITC-GEP.wrong-type", "is a {document_type}; evidence against {family} is a {types} (our reading)",
                   document_type=doc.type, family=std.family, types="/".join(std.document_types))
    if product.category not in std.categories:
        return msg("ITC-GEP.other-category", "covers product {product} of category {category}; {family} is counted "
                   "for {categories} in our reading (the report does not map standards to categories)",
                   product=product.id, category=product.category, family=std.family,
                   categories=", ".join(std.categories))
    if std.level == "product" and lists_other_sites(doc, product):
        return msg("ITC-GEP.lists-sites", "lists sites {sites}, not the product's {site}", sites=", ".join(doc.sites),
                   site=site)
    return None


def not_counted(a: Analysis, product: Product) -> list[NotCounted]:
    """Attached documents against a pilot standard that are not evidence for the product, each
    with the reason: another site, another document type, a category the standard does not fit
    in our reading. Documents about other products of other makers are left out."""
    key = ("not-counted", product.id)
    if key not in a._derived:
        out: list[NotCounted] = []
        for doc in a.documents:
            for c in a.cited[doc.id]:
                if c.resolution is None:
                    continue
                std = c.resolution.standard
                if fits(doc, std, product, a.index):
                    continue
                why = _why_not(doc, std, product, a)
                if why is not None and not any(n.document.id == doc.id and n.standard == std for n in out):
                    out.append(NotCounted(doc, std, why))
        a._derived[key] = out
    return list(a._derived[key])


def scope_categories(ctx: RuleContext) -> tuple[tuple[str, ...], bool]:
    """The pilot's product categories, and whether the host made them binding (pilot_categories)."""
    host = ctx.config(SECTION).get("pilot_categories")
    if isinstance(host, list | tuple):
        return tuple(str(c) for c in host), True
    return categories(), False


def fits(doc: Document, std: PilotStandard, product: Product, index: EvidenceIndex | None = None) -> bool:
    if doc.type not in std.document_types or product.category not in std.categories:
        return False
    if std.level == "site":
        return product.manufacturing_site is not None and product.manufacturing_site in doc.sites
    entry = index.entry(doc, product.id) if index is not None else doc.covers(product.id)
    return entry is not None and not lists_other_sites(doc, product)


def in_scope_products(ctx: RuleContext, shipment: Shipment) -> tuple[Product, ...]:
    wanted, _host = scope_categories(ctx)
    out: dict[str, Product] = {}
    for _line, p in line_products(ctx.dossier, shipment):
        if p.category in wanted and p.id not in out:
            out[p.id] = p
    return tuple(out.values())


def analyse(ctx: RuleContext) -> Analysis | None:
    """What the program's rules look at for the context's shipment, once per run and shipment."""
    shipment = ctx.shipment
    if shipment is None:
        return None
    return ctx.memo((PROGRAM, "analysis", shipment.id, ctx.as_of), lambda: _analyse(ctx, shipment))


def _analyse(ctx: RuleContext, shipment: Shipment) -> Analysis:
    catalog = pilot_catalog(ctx)
    docs = tuple(ctx.dossier.shipment_documents(shipment))
    cited = {
        d.id: tuple(Cited(i, s, resolve(s, catalog)) for i, s in enumerate(d.standards))
        for d in docs
    }
    return Analysis(shipment, catalog, in_scope_products(ctx, shipment), docs, cited, evidence(ctx))


# -- regions ----------------------------------------------------------------------------------
@attrs.frozen
class Region:
    id: str
    title: str
    countries: frozenset[str]


def regions(data: Any, reference: Mapping[str, Any] | None = None) -> list[Region] | None:
    """Parse the regions reference data; None when it is malformed. A region may name a country
    group of the core's reference data (``group``: e.g. ``m49-035``) instead of its countries."""
    if not isinstance(data, Mapping) or not isinstance(data.get("regions"), list | tuple):
        return None
    out = []
    for r in data["regions"]:
        if not isinstance(r, Mapping):
            return None
        rid, title, countries = r.get("id"), r.get("title", r.get("id")), r.get("countries")
        if isinstance(r.get("group"), str):  # the core's group as the engine holds it (host override too)
            group = country_group(reference or {}, r["group"])
            countries = sorted(group) if group is not None else countries
        if not isinstance(rid, str) or not isinstance(title, str) or not isinstance(countries, list | tuple):
            return None
        if not all(isinstance(c, str) for c in countries):
            return None
        out.append(Region(rid, title, frozenset(countries)))
    return out or None


def join(items: Sequence[str] | Iterator[str], empty: str | None = None) -> str:
    """`items` separated by commas, as one message argument (each item that is a message is
    translated with it); `empty` (default: "none") when there are none."""
    items = list(items)
    if not items:
        return empty if empty is not None else msg("ITC-GEP.none", "none")
    return mjoin(items, ", ")
