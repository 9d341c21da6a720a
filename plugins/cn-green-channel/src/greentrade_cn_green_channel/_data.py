"""The plugin's rule content, read from ``data/program.json`` (checked by its schema).

The JSON is read once per process and turned into frozen values; nothing here changes
after loading, so two engines with different settings share it safely.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

import attrs
from greentrade.model import StandardDesignator
from greentrade.plugin import CatalogEntry, Category, Program, load_data, load_json, structure

__all__ = ["PACKAGE", "SECTION", "ChannelData", "config_schema", "load"]

PACKAGE = "greentrade_cn_green_channel"
SECTION = "cn-green-channel"


@attrs.frozen
class ChannelData:
    program: Program
    origin_country: str
    solar_categories: tuple[str, ...]
    photovoltaic_hs: tuple[str, ...]
    hs_note: str
    #: Words of a product's name, model or category that make it look portable (HS 85.13).
    portable_words: tuple[str, ...]
    portable_hs: tuple[str, ...]
    categories: tuple[Category, ...]
    announced_port_count: int
    ports_key: str
    document_type: str
    standards: tuple[CatalogEntry, ...]
    accepted_key: str
    transition_key: str
    accreditation_standards: tuple[StandardDesignator, ...]
    superseded_accreditation: Mapping[StandardDesignator, StandardDesignator]
    recognition_key: str
    expiry_warning_days: int
    #: The rule texts as in data/program.json (bound to checks by `rules_from_data`).
    rules: tuple[Mapping[str, Any], ...]

    @property
    def start(self) -> dt.date:
        assert self.program.effective.start is not None  # required by the schema
        return self.program.effective.start


@functools.cache
def load() -> ChannelData:
    """The rule content, validated against ``data/program.schema.json``."""
    raw = load_data(PACKAGE, "data/program.json", "data/program.schema.json")
    program = structure(raw["program"], Program)
    parse = StandardDesignator.parse
    return ChannelData(
        program=program,
        origin_country=raw["scope"]["origin_country"],
        solar_categories=tuple(raw["scope"]["solar_categories"]),
        photovoltaic_hs=tuple(raw["scope"]["photovoltaic_hs"]),
        hs_note=raw["scope"]["hs_note"],
        portable_words=tuple(raw["scope"]["portable_words"]),
        portable_hs=tuple(raw["scope"]["portable_hs"]),
        categories=tuple(structure(c, Category) for c in raw["categories"]),
        announced_port_count=raw["ports"]["announced_count"],
        ports_key=raw["ports"]["config_key"],
        document_type=raw["declaration"]["document_type"],
        standards=tuple(structure(s, CatalogEntry) for s in raw["declaration"]["standards"]),
        accepted_key=raw["declaration"]["accepted_key"],
        transition_key=raw["declaration"]["transition_key"],
        accreditation_standards=tuple(
            parse(s) for s in raw["recognition"]["accreditation_standards"]
        ),
        superseded_accreditation={
            parse(old): parse(new)
            for old, new in sorted(raw["recognition"]["superseded_accreditation_standards"].items())
        },
        recognition_key=raw["recognition"]["config_key"],
        expiry_warning_days=raw["validity"]["expiry_warning_days"],
        rules=tuple(raw["rules"]),
    )


def config_schema() -> dict[str, Any]:
    """A fresh copy of the ``[plugins.cn-green-channel]`` JSON Schema."""
    schema: dict[str, Any] = load_json(PACKAGE, "data/config.schema.json")
    return schema
