"""Typed entities of a dossier: parties, products, documents, shipments.

Every entity is a frozen, slotted attrs class validated when built: codes are checked
against their standards (ISO 3166-1, ISO 4217, UN/LOCODE syntax, HS 2022, GB 32100 and
ISO 17442 check characters), dates are real dates and date ranges are ordered. Entities
refer to each other by id; `Dossier` checks that the references resolve.

Dossier format 2 adds structured data that exchange formats carry (a declared unit as amount
and unit, PCF parts, verification, per-module GWP, battery footprints, product identifiers,
methods that are not standards, the `SourceRecord` of an imported entity) and makes optional
what a real source may lack (a document's issuer, holder, issue date and status, a party's
country, a product's HS code and category). Format-1 dossiers still require those: the
dossier schema of each format says which.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

# The entities live in one module per part of a dossier; this module holds the root (`Dossier`)
# and re-exports them all, so `greentrade.model._entities` still names every entity.
from greentrade.model._base import FieldError, Period, SourceRecord
from greentrade.model._documents import DOCUMENT_STATUSES, DOCUMENT_TYPES, CoveredProduct, Document
from greentrade.model._footprints import (
    DECLARED_UNITS,
    GWP_INDICATORS,
    GWP_MODULES,
    BatteryFootprint,
    CarbonFootprint,
    DeclaredUnit,
    Epd,
    GwpValue,
    LifecycleStageValue,
    Verification,
)
from greentrade.model._parties import PARTY_ROLES, Accreditation, Identifier, Party, Site
from greentrade.model._products import Product, ProductIdentifier, Spec
from greentrade.model._shipments import Shipment, ShipmentLine
from greentrade.model._standards import Method
from greentrade.model._tenders import Promise, RequiredDocument, Tender, TenderItem

__all__ = [
    "DECLARED_UNITS",
    "DOCUMENT_STATUSES",
    "DOCUMENT_TYPES",
    "GWP_INDICATORS",
    "GWP_MODULES",
    "PARTY_ROLES",
    "Accreditation",
    "BatteryFootprint",
    "CarbonFootprint",
    "CoveredProduct",
    "DeclaredUnit",
    "Document",
    "Dossier",
    "Epd",
    "FieldError",
    "GwpValue",
    "Identifier",
    "LifecycleStageValue",
    "Method",
    "Party",
    "Period",
    "Product",
    "ProductIdentifier",
    "Promise",
    "RequiredDocument",
    "Shipment",
    "ShipmentLine",
    "Site",
    "SourceRecord",
    "Spec",
    "Tender",
    "TenderItem",
    "Verification",
]


@attrs.frozen
class Dossier:
    """The unit of validation: everything a host hands to the engine at once."""

    parties: tuple[Party, ...] = ()
    products: tuple[Product, ...] = ()
    documents: tuple[Document, ...] = ()
    shipments: tuple[Shipment, ...] = ()
    tenders: tuple[Tender, ...] = ()
    format: str = "greentrade.dossier/1"
    _index: dict[str, dict[str, Any]] = attrs.field(init=False, eq=False, repr=False, alias="_index")

    def __attrs_post_init__(self) -> None:
        index: dict[str, dict[str, Any]] = {}
        for kind in ("parties", "products", "documents", "shipments", "tenders"):
            index[kind] = {e.id: e for e in getattr(self, kind)}
        index["sites"] = {s.id: s for p in self.parties for s in p.sites}
        object.__setattr__(self, "_index", index)

    def party(self, id: str) -> Party | None:
        return self._index["parties"].get(id)

    def product(self, id: str) -> Product | None:
        return self._index["products"].get(id)

    def document(self, id: str) -> Document | None:
        return self._index["documents"].get(id)

    def shipment(self, id: str) -> Shipment | None:
        return self._index["shipments"].get(id)

    def tender(self, id: str) -> Tender | None:
        return self._index["tenders"].get(id)

    def site(self, id: str) -> Site | None:
        return self._index["sites"].get(id)

    def shipment_documents(self, shipment: Shipment) -> Iterator[Document]:
        for doc_id in shipment.documents:
            doc = self.document(doc_id)
            if doc is not None:
                yield doc
