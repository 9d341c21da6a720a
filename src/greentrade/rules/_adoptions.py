"""Adoptions of international standards (``EN ISO 14067:2018`` is ``ISO 14067:2018``), from the
core's data (``greentrade/data/adoptions.json``, each entry with its source).

An identical adoption is the same standard under another designator; a related standard that
is not an identical adoption (``GB/T 24067-2024`` draws on ISO 14067) is not, and whether a
program accepts it is undetermined unless its source says so. `adoption_of` answers for one
designator; `Catalog.check` uses it, so that a rule asking the catalog treats an identical
adoption as the standard it adopts.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, Literal

import attrs

from greentrade.i18n import msg
from greentrade.model._standards import StandardDesignator
from greentrade.rules._rules import Citation

__all__ = ["Adoption", "adoption_of", "adoptions"]

Degree = Literal["IDT", "related", "unconfirmed"]


@attrs.frozen
class Adoption:
    """`designator` adopts `of`: identically (``degree == "IDT"``) or not, or not confirmed."""

    designator: StandardDesignator
    of: StandardDesignator
    degree: Degree
    citation: Citation
    note: str | None = None

    @property
    def identical(self) -> bool:
        return self.degree == "IDT"

    def describe(self) -> str:
        """One line for a finding: ``EN ISO 14067:2018 is an identical adoption of ISO 14067:2018``
        (a message: translated with the finding that holds it)."""
        d, of = str(self.designator), str(self.of)
        if self.identical:
            return msg("adoption.identical", "{designator} is an identical adoption of {of}", designator=d, of=of)
        if self.degree == "unconfirmed" and self.of.year is None:
            return msg("adoption.edition-unknown", "{designator} adopts an edition of {of}; which one is not in "
                       "greentrade's data", designator=d, of=of)
        if self.degree == "unconfirmed":
            return msg("adoption.unconfirmed", "{designator} adopts {of}, but whether identically is not confirmed "
                       "in greentrade's data", designator=d, of=of)
        return msg("adoption.draws-on", "{designator} draws on {of} but is not an identical adoption of it",
                   designator=d, of=of)


def _citation(d: dict[str, Any]) -> Citation:
    return Citation(authority=d["authority"], title=d["title"], reference=d["reference"], note=d.get("note"))


@functools.cache
def _data() -> tuple[dict[StandardDesignator, Adoption], tuple[tuple[str, str, Citation], ...]]:
    raw = json.loads(resources.files("greentrade").joinpath("data", "adoptions.json").read_text("utf-8"))
    table: dict[StandardDesignator, Adoption] = {}
    for e in raw["adoptions"]:
        d = StandardDesignator.parse(e["designator"])
        table[d] = Adoption(d, StandardDesignator.parse(e["of"]), e["degree"], _citation(e["citation"]), e.get("note"))
    generic = tuple((g["prefix"], g["adopts"], _citation(g["citation"])) for g in raw["generic"])
    return table, generic


def adoptions() -> tuple[Adoption, ...]:
    """The adoptions the core's data lists (not the generic rule for undated designators)."""
    return tuple(_data()[0].values())


def adoption_of(designator: StandardDesignator) -> Adoption | None:
    """How `designator` adopts an international standard, or None when it is not an adoption the
    core knows. A national adoption of an EN standard (``DIN EN ISO 14067:2018``) is the EN
    standard. An undated ``EN ISO``, ``EN ISO/IEC`` or ``EN IEC`` designator is the identical
    adoption of the undated international standard (both mean the current edition); a dated one
    that the data does not list adopts an edition the core does not know (``unconfirmed``)."""
    table, generic = _data()
    plain = attrs.evolve(designator, written=None, national=None)
    found = table.get(plain)
    if found is not None:
        return found
    for prefix, adopts, citation in generic:
        if designator.body == prefix:
            international = attrs.evolve(plain, body=adopts)
            if designator.year is None and not designator.amendments:
                return Adoption(plain, international, "IDT", citation)
            return Adoption(plain, international.family, "unconfirmed", citation,
                            f"which edition of {international.family} {plain} adopts is not in greentrade's data")
    return None
