"""greentrade plugin: the MOFCOM-ITC Belt and Road pilot for mutual recognition of green
product trade standards and the ITC "Green Export Pass" (program ``itc-green-export-pass``).

The rule content is data (``data/*.json``, each checked by its schema); `rules` maps rule ids
to checks. See the plugin's README for what is confirmed and what is open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from greentrade.plugin import CatalogEntry, Program, Rule, hookimpl
from greentrade_itc_green_export_pass import _pilot
from greentrade_itc_green_export_pass.rules import RULES

__version__ = "0.3.0"
#: The hook-API versions this plugin is written for (docs/hooks.md, "Hook API version").
GREENTRADE_HOOK_API = ">=1.0,<2"

__all__ = [
    "GREENTRADE_HOOK_API",
    "__version__",
    "greentrade_catalog_texts",
    "greentrade_config_schema",
    "greentrade_programs",
    "greentrade_reference_data",
    "greentrade_rules",
    "greentrade_standards",
]


@hookimpl
def greentrade_programs() -> Sequence[Program]:
    return [_pilot.program()]


@hookimpl
def greentrade_rules() -> Sequence[Rule]:
    return list(RULES)


@hookimpl
def greentrade_standards() -> Sequence[CatalogEntry]:
    return _pilot.catalog_entries()


@hookimpl
def greentrade_reference_data() -> Mapping[str, Any]:
    data = {k: v for k, v in _pilot.regions_data().items() if k != "$schema"}
    return {_pilot.REGIONS: data}


@hookimpl
def greentrade_config_schema() -> Mapping[str, Mapping[str, Any]]:
    schema = {k: v for k, v in _pilot.config_schema().items() if k != "$schema"}
    return {_pilot.SECTION: schema}


def greentrade_catalog_texts() -> list[tuple[str, str]]:
    """The data-file texts this plugin's findings quote, as (message id, English text): read by
    ``python3 tasks.py catalogs`` (greentrade.testing.catalogs) so each language's catalog can
    translate them (docs/languages.md, "Texts from data files")."""
    return _pilot.catalog_texts()
