"""Evidence helpers: which documents cover a product, whether a model name matches, whether a
document's standard satisfies a required standard, which sites a document covers.

Plugins (through `greentrade.plugin`), the TENDER rules of buyer-profiles and `assess` use
these same functions, so that they agree on what counts as evidence. Lookups go through an
`EvidenceIndex` built once per dossier (`evidence(ctx)` keeps it in the run's memo), so a rule
asks "which documents cover product P" in constant time instead of scanning every document:
the cost of a validation grows linearly with the dossier.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

import attrs

from greentrade.model import CoveredProduct, Document, Dossier, Product, Shipment
from greentrade.model._standards import StandardDesignator
from greentrade.rules._adoptions import adoption_of

if TYPE_CHECKING:
    from greentrade.rules._catalog import Catalog
    from greentrade.rules._rules import RuleContext

__all__ = [
    "SITE_DOCUMENT_TYPES",
    "EvidenceIndex",
    "StandardMatch",
    "evidence",
    "lists_other_sites",
    "model_key",
    "models_match",
    "satisfies",
    "standard_match",
]

#: Document types that cover goods through the manufacturing sites they list (a site
#: certificate, a factory audit record), not only through the products they name.
SITE_DOCUMENT_TYPES: tuple[str, ...] = ("certificate", "factory-audit")


# -- model names -----------------------------------------------------------------------------------
def model_key(text: str) -> str:
    """The one normalised form of a model name: whitespace removed, case folded
    (``"HG-SSL 60"`` and ``"hg-ssl60"`` are the same model)."""
    return "".join(text.split()).casefold()


def models_match(stated: str, recorded: str) -> bool:
    """Whether a document's model name and a product record's model name are the same model."""
    return model_key(stated) == model_key(recorded)


# -- sites -----------------------------------------------------------------------------------------
def lists_other_sites(doc: Document, product: Product) -> bool:
    """The document lists manufacturing sites, and not the product's: it does not cover goods
    made at the product's site."""
    site = product.manufacturing_site
    return bool(doc.sites) and site is not None and site not in doc.sites


# -- standards -------------------------------------------------------------------------------------
Verdict = Literal["satisfies", "superseded", "other-edition", "undated", "adoption-undetermined", "other-standard"]


@attrs.frozen
class StandardMatch:
    """How a document's standard `have` relates to a required standard `want`.

    * ``satisfies``: the same standard, in the edition asked for (any edition when `want` names
      none, unless the catalog lists `have` as superseded);
    * ``superseded``: a superseded edition of the standard asked for (same family, or an earlier
      family the catalog lists as replaced, e.g. ISO/TS 14067:2013 for ISO 14067);
    * ``other-edition``: the same family in another edition than the one asked for, or without
      one of the amendments asked for;
    * ``undated``: the same family with no edition where `want` names one (cannot tell);
    * ``adoption-undetermined``: a national or European standard related to the one asked for
      but not an established identical adoption of it (``GB/T 24067-2024`` for ISO 14067):
      whether it counts is not stated (undetermined, never a failure on its own);
    * ``other-standard``: unrelated.

    An identical adoption counts as the standard it adopts (``EN ISO 14067:2018`` satisfies
    ``ISO 14067:2018`` and the other way round; greentrade's adoptions data, `adoption_of`).
    """

    verdict: Verdict
    #: The catalog's current edition when `have` is superseded.
    current: StandardDesignator | None = None

    @property
    def related(self) -> bool:
        """The same standard in some edition, or a related adoption (everything but
        ``other-standard``)."""
        return self.verdict != "other-standard"

    @property
    def ok(self) -> bool:
        return self.verdict == "satisfies"


def _amendments_in(want: StandardDesignator, have: StandardDesignator) -> bool:
    return all(
        any(b.kind == a.kind and b.number == a.number and (a.year is None or b.year == a.year)
            for b in have.amendments)
        for a in want.amendments
    )


def international(d: StandardDesignator) -> StandardDesignator:
    """The international standard `d` is an identical adoption of, or `d` itself."""
    a = adoption_of(d)
    return a.of if a is not None and a.identical else d


def standard_match(want: StandardDesignator, have: StandardDesignator, catalog: Catalog) -> StandardMatch:
    """Whether the standard a document cites (`have`) satisfies the one required (`want`);
    supersession comes from the catalog (family, edition, ``superseded`` entries), identical
    adoptions from the core's adoptions data."""
    related = adoption_of(have)
    want, have = international(want), international(have)
    if related is not None and not related.identical and related.of.family == want.family:
        return StandardMatch("adoption-undetermined")
    check = catalog.check(have)
    superseded = check.status == "superseded" and check.entry is not None
    current = check.entry.designator if superseded and check.entry is not None else None
    if want.family != have.family:
        if superseded and check.entry is not None and check.entry.designator.family == want.family:
            return StandardMatch("superseded", current)
        return StandardMatch("other-standard")
    if want.year is None:
        return StandardMatch("superseded", current) if superseded else StandardMatch("satisfies")
    if have.year is None:
        return StandardMatch("undated")
    if have.year == want.year and _amendments_in(want, have):
        return StandardMatch("satisfies")
    return StandardMatch("superseded", current) if superseded else StandardMatch("other-edition")


def satisfies(wants: Sequence[StandardDesignator], haves: Iterable[StandardDesignator], catalog: Catalog) -> bool:
    """Whether any standard a document cites satisfies any of the required standards (a
    requirement with no standards is satisfied by any document)."""
    haves = tuple(haves)
    if not wants:
        return True
    return any(standard_match(w, h, catalog).ok for w in wants for h in haves)


# -- the index -------------------------------------------------------------------------------------
class EvidenceIndex:
    """What a dossier's documents cover, indexed once: product -> covering documents,
    site -> documents listing it, site -> owning party, document -> covered products.

    Documents are returned in dossier order. The index is read-only after it is built.
    """

    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self._position: dict[int, int] = {}
        self._entries: dict[int, dict[str, CoveredProduct]] = {}
        self._covering: dict[str, list[Document]] = {}
        self._by_site: dict[str, list[Document]] = {}
        self._by_site_type: dict[tuple[str, str], list[Document]] = {}
        for i, doc in enumerate(dossier.documents):
            self._position[id(doc)] = i
            entries: dict[str, CoveredProduct] = {}
            for c in doc.products:
                if c.product not in entries:
                    entries[c.product] = c
                    self._covering.setdefault(c.product, []).append(doc)
            self._entries[id(doc)] = entries
            for site in dict.fromkeys(doc.sites):
                self._by_site.setdefault(site, []).append(doc)
                self._by_site_type.setdefault((site, doc.type), []).append(doc)
        self._site_owner: dict[str, str] = {}
        for party in dossier.parties:
            for s in party.sites:
                self._site_owner.setdefault(s.id, party.id)

    def entry(self, doc: Document, product_id: str) -> CoveredProduct | None:
        """The document's statement of the product (`Document.covers`, in constant time)."""
        entries = self._entries.get(id(doc))
        if entries is None or self.dossier.documents[self._position[id(doc)]] is not doc:
            return doc.covers(product_id)  # not a document of this dossier: scan it
        return entries.get(product_id)

    def listing(self, product_id: str) -> tuple[Document, ...]:
        """Documents that name the product in their product list."""
        return tuple(self._covering.get(product_id, ()))

    def listing_site(self, site_id: str) -> tuple[Document, ...]:
        """Documents that list the manufacturing site."""
        return tuple(self._by_site.get(site_id, ()))

    def covers(self, doc: Document, product: Product,
               site_types: Sequence[str] = SITE_DOCUMENT_TYPES) -> bool:
        """The document names the product, or (for `site_types`) lists its manufacturing site."""
        if self.entry(doc, product.id) is not None:
            return True
        site = product.manufacturing_site
        return doc.type in site_types and site is not None and site in doc.sites

    def related(self, product: Product) -> tuple[Document, ...]:
        """Documents that name the product or list its manufacturing site (any type), in dossier order."""
        return self._merge(self._covering.get(product.id, ()),
                           self._by_site.get(product.manufacturing_site or "", ()))

    def covering(self, product: Product, type: str | None = None,
                 site_types: Sequence[str] = SITE_DOCUMENT_TYPES) -> tuple[Document, ...]:
        """Documents (of `type`, if given) that cover the product: they name it, or they are of a
        site type and list its manufacturing site. In dossier order."""
        site = product.manufacturing_site
        named = [d for d in self._covering.get(product.id, ()) if type is None or d.type == type]
        if site is None:
            return tuple(named)
        if type is None:
            by_site = [d for t in dict.fromkeys(site_types) for d in self._by_site_type.get((site, t), ())]
        else:
            by_site = list(self._by_site_type.get((site, type), ())) if type in site_types else []
        return self._merge(named, by_site)

    def _merge(self, a: Iterable[Document], b: Iterable[Document]) -> tuple[Document, ...]:
        docs = {id(d): d for d in a}
        docs.update((id(d), d) for d in b)
        return tuple(sorted(docs.values(), key=lambda d: self._position.get(id(d), -1)))

    def site_owner(self, site_id: str) -> str | None:
        """The id of the party whose sites include `site_id`."""
        return self._site_owner.get(site_id)

    def attached(self, shipment: Shipment, docs: Iterable[Document]) -> tuple[Document, ...]:
        """Of `docs`, those attached to the shipment, in dossier order."""
        ids = set(shipment.documents)
        return tuple(d for d in docs if d.id in ids)


def evidence(ctx: RuleContext) -> EvidenceIndex:
    """The dossier's evidence index, built once per validation run and shared by every rule."""
    dossier = ctx.dossier
    return ctx.memo(("greentrade", "evidence-index", id(dossier)), lambda: EvidenceIndex(dossier))
