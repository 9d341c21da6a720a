"""The plugin's data files, each checked against its schema when first read."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import attrs
from greentrade.plugin import BuyerProfile, Citation, country_group, load_data, structure

PACKAGE = "greentrade_buyer_profiles"


@functools.cache
def profiles_data() -> Mapping[str, Any]:
    data: Mapping[str, Any] = load_data(PACKAGE, "data/profiles.json", "data/profiles.schema.json")
    return data


@functools.cache
def rules_data() -> Mapping[str, Any]:
    data: Mapping[str, Any] = load_data(PACKAGE, "data/rules.json", "data/rules.schema.json")
    return data


def profiles() -> list[BuyerProfile]:
    """The profiles, with the countries of their core country groups (``country_groups``:
    EU-27, UN M49 regions) filled in from the core's reference data; the engine redoes this
    with the host's override of that data, if any."""
    out = []
    for raw in profiles_data()["profiles"]:
        p = structure(raw, BuyerProfile)
        countries = set(p.countries)
        for g in p.country_groups:
            group = country_group(None, g)
            if group is None:
                raise ValueError(f"{PACKAGE}/data/profiles.json: profile {p.id} names country group {g!r}, "
                                 "which the core's reference data does not define")
            countries |= group
        out.append(attrs.evolve(p, countries=tuple(sorted(countries))))
    return out


def citation(key: str) -> Citation:
    return structure(rules_data()["citations"][key], Citation)
