"""The strategy of every public entity type, as ``st.from_type`` resolves it."""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from greentrade._model import (
    Accreditation,
    CarbonFootprint,
    CoveredProduct,
    Document,
    Dossier,
    Epd,
    Identifier,
    Party,
    Period,
    Product,
    Promise,
    RequiredDocument,
    Shipment,
    ShipmentLine,
    Site,
    Spec,
    Tender,
    TenderItem,
)
from greentrade._standards import Amendment, StandardDesignator
from greentrade.testing.strategies._base import periods
from greentrade.testing.strategies._dossiers import dossiers
from greentrade.testing.strategies._entities import (
    accreditations,
    carbon_footprints,
    covered_products,
    documents,
    epds,
    identifiers,
    parties,
    products,
    shipment_lines,
    shipments,
    sites,
    specs,
)
from greentrade.testing.strategies._standards import amendments, standard_designators
from greentrade.testing.strategies._tenders import promises, required_documents, tender_items, tenders


@functools.cache
def _registry() -> dict[type, st.SearchStrategy[Any]]:
    return {
        Identifier: identifiers(),
        Accreditation: accreditations(),
        Site: sites(),
        Party: parties(),
        Spec: specs(),
        Product: products(),
        CoveredProduct: covered_products(),
        CarbonFootprint: carbon_footprints(),
        Epd: epds(),
        Document: documents(),
        ShipmentLine: shipment_lines(),
        Shipment: shipments(),
        TenderItem: tender_items(),
        RequiredDocument: required_documents(),
        Promise: promises(),
        Tender: tenders(),
        StandardDesignator: standard_designators(),
        Amendment: amendments(),
        Period: periods(),
        # Dossiers drawn by type sometimes hold tenders (and always resolve their references).
        Dossier: dossiers(max_tenders=2),
    }


def entity_strategies() -> dict[type, st.SearchStrategy[Any]]:
    """A strategy for every public entity type, as registered with ``st.from_type``."""
    return dict(_registry())


def strategy_for(cls: type) -> st.SearchStrategy[Any]:
    """The strategy of entity type `cls` (what the Hypothesis entry point registers)."""
    return _registry()[cls]
