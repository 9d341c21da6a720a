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

from __future__ import annotations

from greentrade._version import __version__

# Not `typing.TYPE_CHECKING`: importing typing alone costs about 8 ms, most of what
# `import greentrade` would otherwise take (type checkers know the name either way).
TYPE_CHECKING = False
if TYPE_CHECKING:  # the names as type checkers and IDEs see them; at run time they load on first use
    from typing import Any

    from greentrade import errors, model
    from greentrade.engine import Engine
    from greentrade.errors import ConfigError, DossierReadError, GreentradeError, PluginError
    from greentrade.io import load_config, migrate
    from greentrade.model import Dossier
    from greentrade.plugin.hookspec import hookimpl
    from greentrade.readiness import Assessment, assess
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

#: Each name of the package and where it lives: (module, attribute), or (module, None) for a
#: subpackage. `import greentrade` imports none of them (about 1 ms instead of 130–260 ms: #22);
#: the first use of a name imports its module, as ``from greentrade import Engine`` does.
_LAZY: dict[str, tuple[str, str | None]] = {
    "errors": ("greentrade.errors", None),
    "model": ("greentrade.model", None),
    "Engine": ("greentrade.engine", "Engine"),
    "ConfigError": ("greentrade.errors", "ConfigError"),
    "DossierReadError": ("greentrade.errors", "DossierReadError"),
    "GreentradeError": ("greentrade.errors", "GreentradeError"),
    "PluginError": ("greentrade.errors", "PluginError"),
    "load_config": ("greentrade.io", "load_config"),
    "migrate": ("greentrade.io", "migrate"),
    "Dossier": ("greentrade.model", "Dossier"),
    "hookimpl": ("greentrade.plugin.hookspec", "hookimpl"),
    "Basis": ("greentrade.rules", "Basis"),
    "Finding": ("greentrade.rules", "Finding"),
    "Outcome": ("greentrade.rules", "Outcome"),
    "Report": ("greentrade.rules", "Report"),
    "Severity": ("greentrade.rules", "Severity"),
    "Status": ("greentrade.rules", "Status"),
    "ENTRY_POINT_GROUP": ("greentrade.engine", "ENTRY_POINT_GROUP"),
    "BatchError": ("greentrade.errors", "BatchError"),
    "MarketError": ("greentrade.errors", "MarketError"),
    "PluginConflictError": ("greentrade.errors", "PluginConflictError"),
    "Accreditation": ("greentrade.model", "Accreditation"),
    "Amendment": ("greentrade.model", "Amendment"),
    "BatteryFootprint": ("greentrade.model", "BatteryFootprint"),
    "CarbonFootprint": ("greentrade.model", "CarbonFootprint"),
    "CoveredProduct": ("greentrade.model", "CoveredProduct"),
    "DeclaredUnit": ("greentrade.model", "DeclaredUnit"),
    "DesignatorError": ("greentrade.model", "DesignatorError"),
    "Document": ("greentrade.model", "Document"),
    "Epd": ("greentrade.model", "Epd"),
    "GwpValue": ("greentrade.model", "GwpValue"),
    "Identifier": ("greentrade.model", "Identifier"),
    "LifecycleStageValue": ("greentrade.model", "LifecycleStageValue"),
    "Method": ("greentrade.model", "Method"),
    "Party": ("greentrade.model", "Party"),
    "Period": ("greentrade.model", "Period"),
    "Product": ("greentrade.model", "Product"),
    "ProductIdentifier": ("greentrade.model", "ProductIdentifier"),
    "Promise": ("greentrade.model", "Promise"),
    "RequiredDocument": ("greentrade.model", "RequiredDocument"),
    "Shipment": ("greentrade.model", "Shipment"),
    "ShipmentLine": ("greentrade.model", "ShipmentLine"),
    "Site": ("greentrade.model", "Site"),
    "SourceRecord": ("greentrade.model", "SourceRecord"),
    "Spec": ("greentrade.model", "Spec"),
    "StandardDesignator": ("greentrade.model", "StandardDesignator"),
    "Tender": ("greentrade.model", "Tender"),
    "TenderItem": ("greentrade.model", "TenderItem"),
    "Verification": ("greentrade.model", "Verification"),
    "structure": ("greentrade.model", "structure"),
    "unstructure": ("greentrade.model", "unstructure"),
    "BuyerProfile": ("greentrade.rules", "BuyerProfile"),
    "Catalog": ("greentrade.rules", "Catalog"),
    "CatalogEntry": ("greentrade.rules", "CatalogEntry"),
    "Category": ("greentrade.rules", "Category"),
    "Citation": ("greentrade.rules", "Citation"),
    "EditionCheck": ("greentrade.rules", "EditionCheck"),
    "Effect": ("greentrade.rules", "Effect"),
    "Hit": ("greentrade.rules", "Hit"),
    "Pathway": ("greentrade.rules", "Pathway"),
    "PluginInfo": ("greentrade.rules", "PluginInfo"),
    "Program": ("greentrade.rules", "Program"),
    "Requirement": ("greentrade.rules", "Requirement"),
    "Rule": ("greentrade.rules", "Rule"),
    "RuleContext": ("greentrade.rules", "RuleContext"),
    "Assessment": ("greentrade.readiness", "Assessment"),
    "assess": ("greentrade.readiness", "assess"),
}


def __getattr__(name: str) -> Any:
    """A name of the package, imported on first use (PEP 562) and kept for the next."""
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'greentrade' has no attribute {name!r}") from None
    import importlib

    value = importlib.import_module(module)
    if attr is not None:
        value = getattr(value, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
