"""Parties (exporters, manufacturers, buyers, certification and accreditation bodies), their
identifiers, accreditations and manufacturing sites.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

from greentrade.model import _codes
from greentrade.model._base import FieldError, SourceRecord, code, each, literal, nonempty, optional_code
from greentrade.model._standards import StandardDesignator

__all__ = [
    "PARTY_ROLES",
    "Accreditation",
    "Identifier",
    "Party",
    "Role",
    "Site",
]


#: Party roles. ``data-set-owner``, ``commissioner`` and ``lca-practitioner`` are the roles an EPD
#: data set (ILCD+EPD) names: its owner, who commissioned it, who made the LCA (format 2).
Role = Literal["exporter", "manufacturer", "buyer", "certification-body", "accreditation-body",
               "data-set-owner", "commissioner", "lca-practitioner"]
PARTY_ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]


@attrs.frozen
class Identifier:
    """A party identifier; ``uscc`` and ``lei`` values are checked with their algorithms."""

    scheme: str = attrs.field(validator=nonempty)
    value: str = attrs.field(validator=nonempty)

    def __attrs_post_init__(self) -> None:
        problem = _codes.check_identifier(self.scheme, self.value)
        if problem:
            raise FieldError("value", problem)


@attrs.frozen
class Accreditation:
    """A certification body's accreditation by an accreditation body (a party id)."""

    accreditation_body: str = attrs.field(validator=nonempty)
    standard: StandardDesignator
    valid_from: dt.date
    valid_until: dt.date
    iaf_mla_signatory: bool
    scope: str = ""
    number: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.valid_until < self.valid_from:
            raise FieldError(
                "valid_until", f"valid_until ({self.valid_until}) is before valid_from ({self.valid_from})"
            )

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until


@attrs.frozen
class Site:
    """A manufacturing site of a party."""

    id: str = attrs.field(validator=nonempty)
    name: str = attrs.field(validator=nonempty)
    country: str = attrs.field(validator=code(_codes.check_country))
    region: str | None = None
    address: str | None = None


@attrs.frozen
class Party:
    id: str = attrs.field(validator=nonempty)
    #: Required in format 1; a source may lack it in format 2.
    name: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(nonempty))
    #: Required in format 1; a source may lack it in format 2 (never guessed).
    country: str | None = attrs.field(default=None, kw_only=True, validator=optional_code(_codes.check_country))
    roles: tuple[Role, ...] = attrs.field(default=(), validator=each(literal(Role)))
    identifiers: tuple[Identifier, ...] = ()
    accreditations: tuple[Accreditation, ...] = ()
    sites: tuple[Site, ...] = ()
    source: SourceRecord | None = None

    def has_role(self, role: str) -> bool:
        return role in self.roles
