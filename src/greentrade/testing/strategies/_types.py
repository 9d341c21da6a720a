"""The strategy of every public entity type, as ``st.from_type`` resolves it."""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from greentrade.model import (
    Accreditation,
    BatteryFootprint,
    CarbonFootprint,
    CoveredProduct,
    DeclaredUnit,
    Document,
    Dossier,
    Epd,
    GwpValue,
    Identifier,
    LifecycleStageValue,
    Party,
    Period,
    Product,
    ProductIdentifier,
    Promise,
    RequiredDocument,
    Shipment,
    ShipmentLine,
    Site,
    SourceRecord,
    Spec,
    Tender,
    TenderItem,
    Verification,
)
from greentrade.model._standards import Amendment, Method, StandardDesignator
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
from greentrade.testing.strategies._format2 import (
    battery_footprints,
    declared_units,
    gwp_values,
    lifecycle_stage_values,
    methods,
    product_identifiers,
    source_records,
    verifications,
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
        # Value types of dossier format 2.
        DeclaredUnit: declared_units(),
        Verification: verifications(),
        GwpValue: gwp_values(),
        LifecycleStageValue: lifecycle_stage_values(),
        BatteryFootprint: battery_footprints(),
        ProductIdentifier: product_identifiers(),
        SourceRecord: source_records(),
        Method: methods(),
        # Dossiers drawn by type sometimes hold tenders (and always resolve their references).
        Dossier: dossiers(max_tenders=2),
    }


def entity_strategies() -> dict[type, st.SearchStrategy[Any]]:
    """A strategy for every public entity type, as registered with ``st.from_type``."""
    return dict(_registry())


def strategy_for(cls: type) -> st.SearchStrategy[Any]:
    """The strategy of entity type `cls` (what the Hypothesis entry point registers)."""
    return _registry()[cls]


def register_type_strategies() -> None:
    """Register every entity's strategy with ``st.register_type_strategy``, for
    ``st.from_type`` where greentrade's Hypothesis entry point does not run (with
    ``HYPOTHESIS_NO_PLUGINS=1``, or an install without entry-point metadata). Call it once,
    e.g. in conftest.py; calling it again changes nothing."""
    for cls, strategy in _registry().items():
        st.register_type_strategy(cls, strategy)
