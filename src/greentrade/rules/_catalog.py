"""Standards catalogs contributed by plugins: current and superseded editions, read through the
core's adoptions (an identical adoption is the standard it adopts) and the rule that an undated
designator means the current edition."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

import attrs

from greentrade.model._standards import StandardDesignator
from greentrade.rules._adoptions import Adoption, adoption_of
from greentrade.rules._rules import CatalogEntry

__all__ = ["Catalog", "EditionCheck"]


@attrs.frozen
class EditionCheck:
    """How a designator relates to the catalog.

    ``current``: the current edition (an undated designator means it: `undated` is then True);
    ``superseded``: an edition the catalog lists as replaced; ``unknown-edition``: the catalog has
    the standard but cannot tell the edition, or the designator is a related national or European
    standard whose equivalence is not established (`adoption` says which; undetermined, never a
    verdict on its own); ``not-in-catalog``. An identical adoption (``EN ISO 14067:2018``) is
    checked as the standard it adopts, with `adoption` saying so.
    """

    status: Literal["current", "superseded", "unknown-edition", "not-in-catalog"]
    entry: CatalogEntry | None = None
    #: How the designator adopts the standard it was checked as (None: it was checked as written).
    adoption: Adoption | None = None
    #: True when an undated designator was read as the current edition.
    undated: bool = False

    @property
    def current(self) -> StandardDesignator | None:
        return self.entry.designator if self.entry else None

    @property
    def equivalence_undetermined(self) -> bool:
        """The designator is related to a catalog standard, but not an established identical
        adoption of it (``GB/T 24067-2024`` next to ISO 14067): undetermined."""
        return self.adoption is not None and not self.adoption.identical


class Catalog:
    """An immutable index of catalog entries by standard family (designator without edition)."""

    def __init__(self, entries: Iterable[CatalogEntry] = ()) -> None:
        self._entries = tuple(sorted(entries, key=lambda e: (e.program or "", str(e.designator))))
        self._by_family: dict[StandardDesignator, list[CatalogEntry]] = {}
        for e in self._entries:
            for d in (e.designator, *e.also_current, *e.superseded):
                bucket = self._by_family.setdefault(d.family, [])
                if e not in bucket:
                    bucket.append(e)

    def __iter__(self) -> Iterator[CatalogEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def for_program(self, program: str) -> list[CatalogEntry]:
        return [e for e in self._entries if e.program == program]

    def check(self, designator: StandardDesignator, program: str | None = None) -> EditionCheck:
        """Whether `designator` is the current edition of a catalog standard, a superseded one,
        an edition the catalog does not know, or not in the catalog at all.

        An undated designator of a catalog standard means its current edition. A designator the
        catalog does not hold is read through the core's adoptions: an identical adoption
        (``EN ISO 14067:2018``, ``DIN EN ISO 14067:2018``) is checked as the standard it adopts; a
        related standard that is not one (``GB/T 24067-2024``) or whose degree is not confirmed
        is ``unknown-edition`` with `adoption` set (undetermined).
        """
        found = self._check(designator, program)
        if found.status != "not-in-catalog":
            return found
        adoption = adoption_of(designator)
        if adoption is None:
            return found
        if adoption.identical:
            return attrs.evolve(self._check(adoption.of, program), adoption=adoption)
        related = self._check(adoption.of, program)
        if related.status == "not-in-catalog":
            return found
        return EditionCheck("unknown-edition", related.entry, adoption=adoption)

    def _check(self, designator: StandardDesignator, program: str | None) -> EditionCheck:
        candidates = [
            e for e in self._by_family.get(designator.family, [])
            if program is None or e.program == program
        ]
        if designator.year is None and not designator.amendments:
            for e in candidates:
                if designator.family in (e.designator.family, *(d.family for d in e.also_current)):
                    return EditionCheck("current", e, undated=True)
            for e in candidates:
                if designator.family in (d.family for d in e.superseded):
                    return EditionCheck("superseded", e, undated=True)
        for e in candidates:
            if e.designator == designator or designator in e.also_current:
                return EditionCheck("current", e)
        for e in candidates:
            if designator in e.superseded:
                return EditionCheck("superseded", e)
        if candidates:
            return EditionCheck("unknown-edition", candidates[0])
        return EditionCheck("not-in-catalog")
