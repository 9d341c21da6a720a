"""The plugin's data files, each checked against its schema when first read."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from greentrade import BuyerProfile, Citation
from greentrade.plugin import load_data, structure

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
    return [structure(p, BuyerProfile) for p in profiles_data()["profiles"]]


def citation(key: str) -> Citation:
    return structure(rules_data()["citations"][key], Citation)
