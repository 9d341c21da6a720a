"""greentrade plugin ``cn-green-channel``: China customs pilot green review channel for solar
lighting exports (announced 2026-06-05 by the General Administration of Customs and the
Ministry of Ecology and Environment, as reported in a secondary source).

Registered through the ``greentrade`` entry-point group; see README.md for the rules, the
host configuration (``[plugins.cn-green-channel]``) and what the announcement leaves open.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from greentrade.plugin import CatalogEntry, Category, Program, Rule, hookimpl

from greentrade_cn_green_channel import rules as _rules
from greentrade_cn_green_channel._data import SECTION, config_schema, load

__version__ = "0.3.0"
#: The hook-API versions this plugin is written for (docs/hooks.md, "Hook API version").
GREENTRADE_HOOK_API = ">=1.0,<2"

__all__ = [
    "GREENTRADE_HOOK_API",
    "SECTION",
    "__version__",
    "greentrade_categories",
    "greentrade_config_schema",
    "greentrade_programs",
    "greentrade_rules",
    "greentrade_standards",
]


@hookimpl
def greentrade_programs() -> list[Program]:
    return [load().program]


@hookimpl
def greentrade_rules() -> list[Rule]:
    return _rules.build_rules(load())


@hookimpl
def greentrade_categories() -> list[Category]:
    return list(load().categories)


@hookimpl
def greentrade_standards() -> list[CatalogEntry]:
    return list(load().standards)


@hookimpl
def greentrade_config_schema() -> Mapping[str, Mapping[str, Any]]:
    return {SECTION: config_schema()}
