"""What a plugin author imports: the vocabulary of rules and the helpers to declare them.

A plugin imports from here (``Rule``, ``RuleContext``, ``Hit``, ``Program``, ``Category``,
``CatalogEntry``, ``Citation``, ``Basis``, ``Effect``, ``Severity``, ``Status``, buyer-profile
types and ``hookimpl``), the entities from ``greentrade.model``, and nothing else of greentrade
outside ``greentrade`` itself (an import-linter contract checks the first-party plugins).

A plugin keeps its rule content in JSON data files beside a JSON Schema (which may refer to
the core's ``citation.schema.json`` and ``common.schema.json`` by their ``$id``):

    data = load_data("greentrade_cn_green_channel", "data/program.json", "data/program.schema.json")
    program = structure(data["program"], Program)

Rules are declared one way: rule texts in the data file (in the form of the core schema
``program-rules``), check functions in code, bound by `rules_from_data`, which fails at load
time when the two do not fit together.

It also holds the evidence helpers the first-party plugins, the TENDER rules and `assess`
share (see docs/plugin-tutorial.md): `evidence(ctx)` is the dossier's `EvidenceIndex` (which
documents cover a product, which list a site, built once per run), `models_match` the one
model-name comparison, `standard_match` / `satisfies` what satisfies a required standard,
and `pointer_escape` / `pointer_join` the JSON Pointer escaping; and the dossier helpers the
plugins used to write each for themselves: `unstated` (a format-2 document lacking a value),
`warn_unless_binding` (an inferred rule's hit), `match_party` (a party on a host's list),
`declared_unit_text` / `footprint_values` (what a carbon footprint states), `line_products`
(a shipment's lines with their products) and the display
of HS codes, standards and parties (`hs_display`, `hs_label`, `as_written`, `party_label`).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, TypeVar

from greentrade.errors import PluginDataError
from greentrade.i18n import Message, data_text, join, msg
from greentrade.io._schemas import SchemaValidator
from greentrade.model import _convert
from greentrade.model._pointer import escape as pointer_escape
from greentrade.model._pointer import join as pointer_join
from greentrade.model._quantity import UnitError, convert, dimension
from greentrade.plugin._declare import RuleDataError, rules_from_data
from greentrade.plugin._display import as_written, hs_display, hs_label, party_label
from greentrade.plugin._documents import declared_unit_text, footprint_values
from greentrade.plugin._hits import unstated, warn_unless_binding
from greentrade.plugin._parties import PartyMatch, match_party
from greentrade.plugin._shipments import line_products
from greentrade.plugin.hookspec import HOOK_API_VERSION, hookimpl
from greentrade.rules import (
    Adoption,
    Basis,
    BuyerProfile,
    CatalogEntry,
    Category,
    Citation,
    Effect,
    Hit,
    Pathway,
    Program,
    Requirement,
    Rule,
    RuleContext,
    Severity,
    Status,
    adoption_of,
)
from greentrade.rules._evidence import (
    SITE_DOCUMENT_TYPES,
    EvidenceIndex,
    StandardMatch,
    evidence,
    international,
    lists_other_sites,
    model_key,
    models_match,
    satisfies,
    standard_match,
)
from greentrade.rules._refdata import COUNTRY_GROUPS, country_group

__all__ = [
    "COUNTRY_GROUPS",
    "HOOK_API_VERSION",
    "SITE_DOCUMENT_TYPES",
    "Adoption",
    "Basis",
    "BuyerProfile",
    "CatalogEntry",
    "Category",
    "Citation",
    "Effect",
    "EvidenceIndex",
    "Hit",
    "Message",
    "PartyMatch",
    "Pathway",
    "PluginDataError",
    "Program",
    "Requirement",
    "Rule",
    "RuleContext",
    "RuleDataError",
    "Severity",
    "StandardMatch",
    "Status",
    "UnitError",
    "adoption_of",
    "as_written",
    "convert",
    "country_group",
    "data_text",
    "declared_unit_text",
    "dimension",
    "evidence",
    "footprint_values",
    "hookimpl",
    "hs_display",
    "hs_label",
    "international",
    "join",
    "line_products",
    "lists_other_sites",
    "load_data",
    "load_json",
    "match_party",
    "model_key",
    "models_match",
    "msg",
    "party_label",
    "pointer_escape",
    "pointer_join",
    "rules_from_data",
    "satisfies",
    "standard_match",
    "structure",
    "unstated",
    "unstructure",
    "warn_unless_binding",
]

T = TypeVar("T")


def load_json(package: str, name: str) -> Any:
    """Read a JSON resource of `package` (works from wheels, sdists and editable installs)."""
    try:
        text = resources.files(package).joinpath(name).read_text("utf-8")
    except (OSError, ModuleNotFoundError) as exc:
        raise PluginDataError(f"{package}: cannot read {name}: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PluginDataError(f"{package}/{name}: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def load_data(package: str, name: str, schema: str) -> Any:
    """Read a data file and check it against the plugin's schema; raise on the first problems."""
    data = load_json(package, name)
    validator = SchemaValidator(load_json(package, schema))
    if validator.is_valid(data):  # the compiled validator: the reference one only explains failures
        return data
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = [
            f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]
        ]
        raise PluginDataError(f"{package}/{name} does not match {schema}:\n  " + "\n  ".join(lines))
    return data


def structure(data: Any, cls: type[T]) -> T:
    """Build a greentrade value (Program, Citation, Period, CatalogEntry...) from data."""
    return _convert.structure(data, cls)


def unstructure(obj: Any) -> Any:
    return _convert.unstructure(obj)
