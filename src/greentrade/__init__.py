"""greentrade: check green-product export dossiers against the rules of trade pilots.

The core defines the entities, the schemas, the hook system and the engine; rules come from
plugins. Typical use by a host::

    from greentrade import Engine
    engine = Engine(config="greentrade.toml")
    engine.load_entry_points()
    report = engine.validate(Path("dossier.json"))
    print(report.to_text())
"""

from typing import TYPE_CHECKING, Any

from greentrade._version import __version__
from greentrade.engine._engine import ENTRY_POINT_GROUP, Engine, PluginConflictError, PluginError
from greentrade.io._config import ConfigError, load_config
from greentrade.io._load import DossierReadError
from greentrade.io._migrate import migrate
from greentrade.model._convert import structure, unstructure
from greentrade.model._entities import (
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
from greentrade.model._standards import Amendment, DesignatorError, Method, StandardDesignator
from greentrade.plugin.hookspec import hookimpl
from greentrade.rules._catalog import Catalog, EditionCheck
from greentrade.rules._profiles import BuyerProfile, Pathway, Requirement
from greentrade.rules._report import Outcome, PluginInfo, Report
from greentrade.rules._rules import (
    Basis,
    CatalogEntry,
    Category,
    Citation,
    Effect,
    Finding,
    Hit,
    Program,
    Rule,
    RuleContext,
    Severity,
    Status,
)

if TYPE_CHECKING:
    from greentrade.engine._batch import BatchError
    from greentrade.readiness._assess import Assessment, MarketError, assess

_LAZY = {"Assessment": "readiness._assess", "MarketError": "readiness._assess", "assess": "readiness._assess",
         "BatchError": "engine._batch"}


def __getattr__(name: str) -> Any:
    """`assess` and batches are imported on first use: most hosts validate one dossier at a time."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"greentrade.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'greentrade' has no attribute {name!r}")

__all__ = [
    "ENTRY_POINT_GROUP",
    "Accreditation",
    "Amendment",
    "Assessment",
    "Basis",
    "BatchError",
    "BatteryFootprint",
    "BuyerProfile",
    "CarbonFootprint",
    "Catalog",
    "CatalogEntry",
    "Category",
    "Citation",
    "ConfigError",
    "CoveredProduct",
    "DeclaredUnit",
    "DesignatorError",
    "Document",
    "Dossier",
    "DossierReadError",
    "EditionCheck",
    "Effect",
    "Engine",
    "Epd",
    "Finding",
    "GwpValue",
    "Hit",
    "Identifier",
    "LifecycleStageValue",
    "MarketError",
    "Method",
    "Outcome",
    "Party",
    "Pathway",
    "Period",
    "PluginConflictError",
    "PluginError",
    "PluginInfo",
    "Product",
    "ProductIdentifier",
    "Program",
    "Promise",
    "Report",
    "RequiredDocument",
    "Requirement",
    "Rule",
    "RuleContext",
    "Severity",
    "Shipment",
    "ShipmentLine",
    "Site",
    "SourceRecord",
    "Spec",
    "StandardDesignator",
    "Status",
    "Tender",
    "TenderItem",
    "Verification",
    "__version__",
    "assess",
    "hookimpl",
    "load_config",
    "migrate",
    "structure",
    "unstructure",
]
