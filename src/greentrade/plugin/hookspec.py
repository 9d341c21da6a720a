"""The greentrade hook specifications (pluggy project ``"greentrade"``).

A plugin is any object or module with functions named like the hooks below, marked with
`greentrade.hookimpl`. Every hook is optional. Hooks take no global state: the engine calls
them once per engine when it first needs their results, and hands the host's configuration
to rules through `RuleContext`, never to plugin modules, so that two engines in one process
with different plugins or settings never see each other's.

Each hook has an entry with an example in ``docs/hooks.md``; ``tests/test_docs.py`` fails
when a hook has none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pluggy

from greentrade.rules._profiles import BuyerProfile
from greentrade.rules._rules import CatalogEntry, Category, Program, Rule

hookspec = pluggy.HookspecMarker("greentrade")
hookimpl = pluggy.HookimplMarker("greentrade")

#: The version of the hook API (``MAJOR.MINOR``): the hooks below, their arguments and
#: results, and what rules get (`RuleContext`, `Hit`, the helpers of `greentrade.plugin`).
#: MINOR grows when something is added, MAJOR when something is removed or changes meaning
#: (after a deprecation). A plugin states the range it was written for in a module attribute,
#: ``GREENTRADE_HOOK_API = ">=1.0,<2"``; the engine refuses a plugin outside it (docs/hooks.md).
HOOK_API_VERSION = "1.1"

__all__ = ["HOOK_API_VERSION", "hookimpl", "hookspec"]


@hookspec
def greentrade_programs() -> Sequence[Program]:
    """Return the programs (pilots, schemes) this plugin defines.

    The engine derives one status per shipment and program from the findings of the
    program's rules: ``eligible``, ``not_eligible``, ``undetermined`` or ``not_applicable``.
    Program ids must be unique across plugins.
    """
    raise NotImplementedError  # pragma: no cover - a specification, never called


@hookspec
def greentrade_rules() -> Sequence[Rule]:
    """Return the rules this plugin contributes.

    Rule ids must be unique across all loaded plugins; a clash raises
    `greentrade.PluginConflictError` when the engine first collects rules. A rule whose
    `program` names a program no plugin defines is reported as an ``GT-ENGINE-002`` finding
    and not run.
    """
    raise NotImplementedError  # pragma: no cover - a specification, never called


@hookspec
def greentrade_categories() -> Sequence[Category]:
    """Return product categories that extend the controlled vocabulary.

    Products whose category is not in the vocabulary get a ``GT-REF-003`` finding. A
    category id defined twice keeps the first definition (core first, then plugins in
    registration order) and the duplicate is reported as ``GT-ENGINE-002``.
    """
    raise NotImplementedError  # pragma: no cover - a specification, never called


@hookspec
def greentrade_reference_data() -> Mapping[str, Any]:
    """Return named reference data sets (JSON-compatible values), e.g. a region mapping.

    Names must start with the plugin's name or one of its configuration sections and a dot
    (``"itc-green-export-pass.regions"``); a set outside that prefix (e.g. another plugin's)
    is reported as ``GT-ENGINE-002`` and not applied. Hosts override a set by name in the
    ``[reference]`` table of their configuration. Rules read the merged, read-only result
    from ``ctx.reference``.
    """
    raise NotImplementedError  # pragma: no cover - a specification, never called


@hookspec
def greentrade_standards() -> Sequence[CatalogEntry]:
    """Return entries for the standards catalog (current edition, superseded editions,
    categories, source). Rules query the merged catalog through ``ctx.catalog``."""
    raise NotImplementedError  # pragma: no cover - a specification, never called


@hookspec
def greentrade_config_schema() -> Mapping[str, Mapping[str, Any]]:
    """Declare the configuration this plugin receives: a JSON Schema per section name.

    The host's ``[plugins.SECTION]`` tables are validated against these schemas when the
    engine is configured (an unknown section or an invalid value raises
    `greentrade.ConfigError`), and reach rules through ``ctx.config(SECTION)``.
    """
    raise NotImplementedError  # pragma: no cover - a specification, never called


@hookspec
def greentrade_buyer_profiles() -> Sequence[BuyerProfile]:
    """Return buyer profiles: per market and buyer type, the documents required or preferred
    per product category (with each requirement's standing and source) and the program
    pathways the buyer accepts.

    Profile ids are unique; a host's configured profile (``profiles`` in the configuration)
    with the same id replaces a plugin's. Rules read them from ``ctx.profiles``; ``greentrade
    assess`` builds its readiness matrix from them.
    """
    raise NotImplementedError  # pragma: no cover - a specification, never called
