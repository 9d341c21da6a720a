"""Buyer profiles: what buyers in a market require, per product category, and why.

Profiles are data (validated by ``buyer-profile.schema.json``) contributed by plugins through
the ``greentrade_buyer_profiles`` hook or by hosts through the ``profiles`` list of their
configuration. Each requirement states its standing: ``law`` (a regulation in force),
``published-pilot`` (a published pilot programme) or ``common-practice`` (what buyers
usually ask for, not a legal obligation).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

from greentrade.model._standards import StandardDesignator
from greentrade.rules._rules import Citation

__all__ = ["BuyerProfile", "Pathway", "Requirement"]

Standing = Literal["law", "published-pilot", "common-practice"]
BuyerType = Literal["public-green-procurement", "project-owner", "distributor"]


@attrs.frozen
class Requirement:
    """A document a buyer requires or prefers for products of one category."""

    id: str
    category: str
    document_type: str
    level: Literal["required", "preferred"]
    standing: Standing
    citation: Citation
    title: str = ""
    standards: tuple[StandardDesignator, ...] = ()
    issuer_accreditations: tuple[StandardDesignator, ...] = ()
    #: The document must state one of these calculation methods (ids of `greentrade.Method`, e.g.
    #: ``eu-battery-art7``): a method is not a standard, so it is checked apart from them.
    methods: tuple[str, ...] = ()
    min_validity_days: int = 0
    #: Only products whose spec ``spec`` is at least ``min`` (e.g. battery capacity > 2 kWh).
    applies_if_spec: str | None = None
    applies_if_min: float | None = None
    applies_if_unit: str | None = None
    #: True: the requirement applies only above ``applies_if_min`` ("over 2 kWh"); False: at or above.
    applies_if_exclusive: bool = False
    effective_from: dt.date | None = None
    note: str | None = None
    #: A reference data entry (host ``[reference]``) with the date the requirement applies from,
    #: when the law ties it to an act whose date the source does not give; without it: undetermined.
    effective_from_reference: str | None = None
    #: Phrases the document's ``scope`` must state (case and spaces ignored; ``a|b`` for either).
    document_states: tuple[str, ...] = ()
    #: Only products whose field `applies_if_field` (``cpr_coverage``, ``exclusively_external_storage``)
    #: has one of `applies_if_values`; a product that does not state it: undetermined.
    applies_if_field: str | None = None
    applies_if_values: tuple[str | bool, ...] = ()
    #: What the item rests on: ``stated`` (its citation says it) or ``inferred`` (greentrade's reading
    #: of its source, explained in `note`; its gaps never decide more than `undetermined` on their own).
    basis: Literal["stated", "inferred"] = "stated"


@attrs.frozen
class Pathway:
    """A program the buyer accepts, and what it is good for (e.g. lead time)."""

    program: str
    purpose: str


@attrs.frozen
class BuyerProfile:
    id: str
    title: str
    buyer_type: BuyerType
    countries: tuple[str, ...]
    citation: Citation
    region: str | None = None
    requirements: tuple[Requirement, ...] = ()
    pathways: tuple[Pathway, ...] = ()
    note: str | None = None
    #: Country groups of the core's reference data (``greentrade.country-groups``: ``eu-27``,
    #: ``m49-035``...) whose countries the engine adds to `countries` when it loads the profile.
    country_groups: tuple[str, ...] = ()
