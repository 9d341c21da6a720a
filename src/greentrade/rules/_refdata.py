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
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from greentrade.rules._profiles import BuyerProfile

__all__ = ["COUNTRY_GROUPS", "core_reference", "country_group", "with_groups"]

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


def with_groups(profile: BuyerProfile, reference: Mapping[str, Any]) -> BuyerProfile:
    """The profile with the countries of its `country_groups` as `reference` defines them
    (sorted, once each). Countries a plugin filled in from the core's own groups are replaced,
    so a host's override of a group takes effect; `ValueError` names an unknown group."""
    if not profile.country_groups:
        return profile
    countries = set(profile.countries)
    for group in profile.country_groups:
        countries -= country_group(None, group) or frozenset()
    for group in profile.country_groups:
        found = country_group(reference, group)
        if found is None:
            raise ValueError(f"buyer profile {profile.id}: country group {group!r} is not in the reference "
                             f"data {COUNTRY_GROUPS!r}")
        countries |= found
    return attrs.evolve(profile, countries=tuple(sorted(countries)))
