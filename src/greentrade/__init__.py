"""greentrade: check green-product export dossiers against the rules of trade pilots.

The core defines the entities, the schemas, the hook system and the engine; rules come from
plugins. Typical use by a host::

    from greentrade import Engine
    engine = Engine(config="greentrade.toml")
    engine.load_entry_points()
    report = engine.validate(Path("dossier.json"))
    print(report.to_text())

``__all__`` holds what a host needs (docs/api.md). Everything else is public in its package:
``greentrade.model`` (the entities), ``greentrade.plugin`` (for plugin authors),
``greentrade.rules``, ``greentrade.io``, ``greentrade.engine``, ``greentrade.readiness`` and
``greentrade.errors``. The names below the second comment stay importable from ``greentrade``
for existing code (``X as X`` marks them as deliberate re-exports).
"""

from typing import TYPE_CHECKING, Any

from greentrade import errors, model
from greentrade._version import __version__
from greentrade.engine import Engine
from greentrade.errors import ConfigError, DossierReadError, GreentradeError, PluginError
from greentrade.io import load_config, migrate
from greentrade.model import Dossier
from greentrade.plugin.hookspec import hookimpl
from greentrade.rules import Basis, Finding, Outcome, Report, Severity, Status

# isort: split
# -- importable from greentrade for existing code; documented in their packages --------------
from greentrade.engine import ENTRY_POINT_GROUP as ENTRY_POINT_GROUP
from greentrade.errors import BatchError as BatchError
from greentrade.errors import MarketError as MarketError
from greentrade.errors import PluginConflictError as PluginConflictError
from greentrade.model import Accreditation as Accreditation
from greentrade.model import Amendment as Amendment
from greentrade.model import BatteryFootprint as BatteryFootprint
from greentrade.model import CarbonFootprint as CarbonFootprint
from greentrade.model import CoveredProduct as CoveredProduct
from greentrade.model import DeclaredUnit as DeclaredUnit
from greentrade.model import DesignatorError as DesignatorError
from greentrade.model import Document as Document
from greentrade.model import Epd as Epd
from greentrade.model import GwpValue as GwpValue
from greentrade.model import Identifier as Identifier
from greentrade.model import LifecycleStageValue as LifecycleStageValue
from greentrade.model import Method as Method
from greentrade.model import Party as Party
from greentrade.model import Period as Period
from greentrade.model import Product as Product
from greentrade.model import ProductIdentifier as ProductIdentifier
from greentrade.model import Promise as Promise
from greentrade.model import RequiredDocument as RequiredDocument
from greentrade.model import Shipment as Shipment
from greentrade.model import ShipmentLine as ShipmentLine
from greentrade.model import Site as Site
from greentrade.model import SourceRecord as SourceRecord
from greentrade.model import Spec as Spec
from greentrade.model import StandardDesignator as StandardDesignator
from greentrade.model import Tender as Tender
from greentrade.model import TenderItem as TenderItem
from greentrade.model import Verification as Verification
from greentrade.model import structure as structure
from greentrade.model import unstructure as unstructure
from greentrade.rules import BuyerProfile as BuyerProfile
from greentrade.rules import Catalog as Catalog
from greentrade.rules import CatalogEntry as CatalogEntry
from greentrade.rules import Category as Category
from greentrade.rules import Citation as Citation
from greentrade.rules import EditionCheck as EditionCheck
from greentrade.rules import Effect as Effect
from greentrade.rules import Hit as Hit
from greentrade.rules import Pathway as Pathway
from greentrade.rules import PluginInfo as PluginInfo
from greentrade.rules import Program as Program
from greentrade.rules import Requirement as Requirement
from greentrade.rules import Rule as Rule
from greentrade.rules import RuleContext as RuleContext

if TYPE_CHECKING:
    from greentrade.readiness import Assessment, assess

_LAZY = {"Assessment": "greentrade.readiness", "assess": "greentrade.readiness"}


def __getattr__(name: str) -> Any:
    """`assess` is imported on first use: most hosts only validate, and start faster without it."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'greentrade' has no attribute {name!r}")


__all__ = [
    "Assessment",
    "Basis",
    "ConfigError",
    "Dossier",
    "DossierReadError",
    "Engine",
    "Finding",
    "GreentradeError",
    "Outcome",
    "PluginError",
    "Report",
    "Severity",
    "Status",
    "__version__",
    "assess",
    "errors",
    "hookimpl",
    "load_config",
    "migrate",
    "model",
]
