"""The entities of a dossier, standard designators, code checks and (un)structuring.

The lowest layer: it imports no other part of greentrade (see docs/architecture.md). One module
per part of a dossier: `_parties`, `_products`, `_documents` (with `_footprints`, what footprint
declarations and EPDs state), `_shipments`, `_tenders`; `_entities` holds the root, `Dossier`, and
`_base` what they share (`FieldError`, the field validators, `Period`, `SourceRecord`).
"""

from greentrade.model._base import Period, SourceRecord
from greentrade.model._convert import structure, unstructure
from greentrade.model._documents import CoveredProduct, Document
from greentrade.model._entities import Dossier
from greentrade.model._footprints import (
    BatteryFootprint,
    CarbonFootprint,
    DeclaredUnit,
    Epd,
    GwpValue,
    LifecycleStageValue,
    Verification,
)
from greentrade.model._parties import ARRANGEMENTS, Accreditation, Arrangement, Identifier, Party, Site, arrangement_for
from greentrade.model._products import Product, ProductIdentifier, Spec
from greentrade.model._shipments import Shipment, ShipmentLine
from greentrade.model._standards import Amendment, DesignatorError, Method, StandardDesignator
from greentrade.model._tenders import Promise, RequiredDocument, Tender, TenderItem

__all__ = [
    "ARRANGEMENTS",
    "Accreditation",
    "Amendment",
    "Arrangement",
    "BatteryFootprint",
    "CarbonFootprint",
    "CoveredProduct",
    "DeclaredUnit",
    "DesignatorError",
    "Document",
    "Dossier",
    "Epd",
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
    "StandardDesignator",
    "Tender",
    "TenderItem",
    "Verification",
    "arrangement_for",
    "structure",
    "unstructure",
]
