"""Parties (exporters, manufacturers, buyers, certification and accreditation bodies), their
identifiers, accreditations and manufacturing sites.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

from greentrade.i18n import msg
from greentrade.model import _codes
from greentrade.model._base import (
    FieldError,
    SourceRecord,
    code,
    each,
    literal,
    nonempty,
    optional_code,
    optional_literal,
)
from greentrade.model._standards import StandardDesignator

__all__ = [
    "ARRANGEMENTS",
    "PARTY_ROLES",
    "Accreditation",
    "Arrangement",
    "Identifier",
    "Party",
    "Role",
    "Site",
    "arrangement_bodies",
    "arrangement_for",
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


#: The two international recognition arrangements among accreditation bodies.
Arrangement = Literal["IAF MLA", "ILAC MRA"]
ARRANGEMENTS: tuple[str, ...] = Arrangement.__args__  # type: ignore[attr-defined]

# Which arrangement recognises accreditation to which conformity-assessment standard, by the
# standard's number and part (whatever the body prefix: ISO, ISO/IEC, EN ISO/IEC). Certification
# bodies (ISO/IEC 17065 products, ISO/IEC 17021-1 management systems) and validation and
# verification bodies (ISO/IEC 17029, ISO 14065) fall under the IAF MLA; testing laboratories
# (ISO/IEC 17025) and inspection bodies (ISO/IEC 17020) under the ILAC MRA.
_ARRANGEMENT_BY_STANDARD: dict[tuple[str, str | None], Arrangement] = {
    ("17065", None): "IAF MLA",
    ("17021", "1"): "IAF MLA",
    ("17021", None): "IAF MLA",
    ("17029", None): "IAF MLA",
    ("14065", None): "IAF MLA",
    ("17025", None): "ILAC MRA",
    ("17020", None): "ILAC MRA",
}

#: What the bodies accredited to each standard are, for messages.
_WHAT_BY_ARRANGEMENT: dict[str, str] = {
    "IAF MLA": msg("GT-DATA-002.iaf-bodies", "certification, validation and verification bodies"),
    "ILAC MRA": msg("GT-DATA-002.ilac-bodies", "testing laboratories and inspection bodies"),
}


def arrangement_for(standard: StandardDesignator) -> Arrangement | None:
    """The arrangement that recognises accreditation to `standard`, or None when the core does
    not know it (``ISO/IEC 17025:2017`` -> ``"ILAC MRA"``, ``ISO 14065:2020`` -> ``"IAF MLA"``)."""
    return _ARRANGEMENT_BY_STANDARD.get((standard.number, standard.part or None))


def arrangement_bodies(arrangement: str) -> str:
    """The kind of bodies `arrangement` covers, for messages."""
    return _WHAT_BY_ARRANGEMENT.get(arrangement) or msg("GT-DATA-002.bodies", "bodies")


@attrs.frozen
class Accreditation:
    """A conformity-assessment body's accreditation by an accreditation body (a party id).

    `arrangement` is the international recognition arrangement that the accreditation body signs
    for this scope, as the data states it (``"IAF MLA"``, ``"ILAC MRA"``, or None: not stated or
    not a signatory). Format 1 wrote it as the flag ``iaf_mla_signatory`` (true reads as
    ``"IAF MLA"``). Which arrangement fits the standard is `expected_arrangement`; a mark that
    does not fit (an "IAF MLA" laboratory) is a data finding (GT-DATA-002) and `recognised` is
    False for it.
    """

    accreditation_body: str = attrs.field(validator=nonempty)
    standard: StandardDesignator
    valid_from: dt.date
    valid_until: dt.date
    arrangement: Arrangement | None = attrs.field(default=None, validator=optional_literal(Arrangement))
    scope: str = ""
    number: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.valid_until < self.valid_from:
            raise FieldError(
                "valid_until", f"valid_until ({self.valid_until}) is before valid_from ({self.valid_from})"
            )

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until

    @property
    def expected_arrangement(self) -> Arrangement | None:
        """The arrangement that recognises accreditation to this standard (None: not known)."""
        return arrangement_for(self.standard)

    @property
    def arrangement_mismatch(self) -> bool:
        """True when the stated arrangement is not the one that covers this standard."""
        expected = self.expected_arrangement
        return self.arrangement is not None and expected is not None and self.arrangement != expected

    @property
    def recognised(self) -> bool:
        """The accreditation body signs the arrangement that covers this accreditation's standard
        (as stated; a mark of the wrong arrangement does not count)."""
        return self.arrangement is not None and not self.arrangement_mismatch

    @property
    def iaf_mla_signatory(self) -> bool:
        """Deprecated, kept for one release: format 1's flag read as `recognised` (the body signs
        the arrangement that covers this standard, the ILAC MRA for a laboratory). Use
        `arrangement`, `recognised` or `expected_arrangement`."""
        return self.recognised


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
