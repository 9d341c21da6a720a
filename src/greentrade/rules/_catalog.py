"""Standards catalogs contributed by plugins: current and superseded editions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

import attrs

from greentrade.model._standards import StandardDesignator
from greentrade.rules._rules import CatalogEntry

__all__ = ["Catalog", "EditionCheck"]


@attrs.frozen
class EditionCheck:
    """How a designator relates to the catalog."""

    status: Literal["current", "superseded", "unknown-edition", "not-in-catalog"]
    entry: CatalogEntry | None = None

    @property
    def current(self) -> StandardDesignator | None:
        return self.entry.designator if self.entry else None


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
        an edition the catalog does not know, or not in the catalog at all."""
        candidates = [
            e for e in self._by_family.get(designator.family, [])
            if program is None or e.program == program
        ]
        for e in candidates:
            if e.designator == designator or designator in e.also_current:
                return EditionCheck("current", e)
        for e in candidates:
            if designator in e.superseded:
                return EditionCheck("superseded", e)
        if candidates:
            return EditionCheck("unknown-edition", candidates[0])
        return EditionCheck("not-in-catalog")
