"""greentrade: check green-product export dossiers against the rules of trade pilots.

The core defines the entities, the schemas, the hook system and the engine; rules come from
plugins. Typical use by a host::

    from greentrade import Engine
    engine = Engine(config="greentrade.toml")
    engine.load_entry_points()
    report = engine.validate(Path("dossier.json"))
    print(report.to_text())
"""

from greentrade._assess import Assessment, MarketError, assess
from greentrade._catalog import Catalog, EditionCheck
from greentrade._config import ConfigError, load_config
from greentrade._convert import structure, unstructure
from greentrade._engine import ENTRY_POINT_GROUP, Engine, PluginConflictError, PluginError
from greentrade._load import DossierReadError
from greentrade._migrate import migrate
from greentrade._model import (
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
from greentrade._profiles import BuyerProfile, Pathway, Requirement
from greentrade._report import Outcome, PluginInfo, Report
from greentrade._rules import (
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
from greentrade._standards import Amendment, DesignatorError, Method, StandardDesignator
from greentrade._version import __version__
from greentrade.hookspec import hookimpl

__all__ = [
    "ENTRY_POINT_GROUP",
    "Accreditation",
    "Amendment",
    "Assessment",
    "Basis",
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
