"""Core reference data with sources: country groups several plugins need (EU-27 with the date
of its last membership change, the EU outermost regions, the UN M49 regions the plugins use).

The engine offers it to rules as reference data ``greentrade.country-groups`` (before any
plugin's data); only the host's ``[reference]`` table may replace it, by that name.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

__all__ = ["COUNTRY_GROUPS", "core_reference", "country_group"]

COUNTRY_GROUPS = "greentrade.country-groups"


@functools.cache
def _country_groups() -> Mapping[str, Any]:
    text = resources.files("greentrade").joinpath("data", "country-groups.json").read_text("utf-8")
    data: Mapping[str, Any] = json.loads(text)
    return data


def core_reference() -> dict[str, Any]:
    """The core's reference data sets by name (fresh containers; the engine freezes them)."""
    return {COUNTRY_GROUPS: json.loads(json.dumps(_country_groups()))}


def country_group(reference: Mapping[str, Any] | None, group: str) -> frozenset[str] | None:
    """The ISO 3166-1 codes of `group` (``eu-27``, ``m49-035``...) in the reference data as
    the engine holds it (``ctx.reference``: the host's override included), or in the core's
    own data when `reference` is None; None when the group is unknown or the data set is
    malformed."""
    data = (reference if reference is not None else {COUNTRY_GROUPS: _country_groups()}).get(COUNTRY_GROUPS)
    if not isinstance(data, Mapping) or not isinstance(data.get("groups"), list | tuple):
        return None
    for g in data["groups"]:
        if isinstance(g, Mapping) and g.get("id") == group:
            countries = g.get("countries")
            if isinstance(countries, list | tuple) and all(isinstance(c, str) for c in countries):
                return frozenset(countries)
            return None
    return None
