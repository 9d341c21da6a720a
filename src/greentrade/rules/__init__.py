"""What plugins contribute (programs, rules, categories, catalog entries, buyer profiles)
and what rules yield (hits, findings, outcomes, the report).

Imports only greentrade.model (see docs/architecture.md).
"""

from greentrade.rules._adoptions import Adoption, adoption_of
from greentrade.rules._catalog import Catalog, EditionCheck
from greentrade.rules._profiles import BuyerProfile, Pathway, Requirement
from greentrade.rules._report import Assumption, Outcome, PluginInfo, Report, RuleInfo
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

__all__ = [
    "Adoption",
    "Assumption",
    "Basis",
    "BuyerProfile",
    "Catalog",
    "CatalogEntry",
    "Category",
    "Citation",
    "EditionCheck",
    "Effect",
    "Finding",
    "Hit",
    "Outcome",
    "Pathway",
    "PluginInfo",
    "Program",
    "Report",
    "Requirement",
    "Rule",
    "RuleContext",
    "RuleInfo",
    "Severity",
    "Status",
    "adoption_of",
]
