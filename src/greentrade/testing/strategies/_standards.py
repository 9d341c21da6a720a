"""Standard designators and amendments, real ones and generated ones of every shape."""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from greentrade.model._standards import Amendment, StandardDesignator

#: Real designators (in canonical form) mixed into generated ones.
KNOWN_DESIGNATORS = (
    "ISO 14067:2018",
    "ISO/TS 14067:2013",
    "ISO 14065:2020",
    "ISO/IEC 17029:2019",
    "ISO 14026:2017",
    "ISO 50001:2018",
    "ISO 50001:2018/Amd 1:2024",
    "EN 15804:2012+A2:2019",
    "EN 50549-1:2019+AC:2019",
    "GB/T 33761-2024",
    "IEC 61215-1:2021",
)
_YEARS = st.one_of(st.none(), st.integers(1990, 2030))


@functools.cache
def amendments(style: str = "ISO") -> st.SearchStrategy[Amendment]:
    """Amendments: ISO style (``/Amd 1:2024``, ``/Cor 1``) or EN style (``+A2:2019``, ``+AC:2019``)."""
    if style == "EN":
        return st.builds(Amendment, kind=st.sampled_from(["A", "AC"]),
                         number=st.one_of(st.none(), st.integers(1, 9)), year=_YEARS)
    return st.builds(Amendment, kind=st.sampled_from(["Amd", "Cor"]), number=st.integers(1, 9), year=_YEARS)


_BODIES = st.sampled_from(["ISO", "IEC", "ISO/IEC", "EN", "BS EN", "GB", "GB/T", "IEEE"])
_NUMBER = st.builds(
    str.__add__, st.integers(1, 99999).map(str),
    st.one_of(st.just(""), st.integers(1, 99).map(lambda n: f".{n}")),
)


@st.composite
def _designator(draw: st.DrawFn) -> StandardDesignator:
    family = draw(_BODIES)
    kind = draw(st.sampled_from([None, None, "TS", "TR"])) if "/" not in family else None
    part = draw(st.one_of(st.none(), st.integers(1, 99).map(str)))
    year = draw(st.one_of(st.none(), st.integers(1950, 2030)))
    amds = draw(st.lists(amendments("EN" if "EN" in family else "ISO"), max_size=2)) if year else []
    return StandardDesignator(body=family, number=draw(_NUMBER), kind=kind, part=part, year=year,
                              amendments=tuple(amds))


@functools.cache
def standard_designators() -> st.SearchStrategy[StandardDesignator]:
    """Canonical standard designators: a few real ones and generated ones of every shape."""
    known = st.sampled_from(KNOWN_DESIGNATORS).map(StandardDesignator.parse)
    return st.one_of(known, _designator())
