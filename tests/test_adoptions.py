"""Identical adoptions are the same standard; an undated designator is the current edition;
a related standard that is not an identical adoption is undetermined (#19)."""

from __future__ import annotations

import pytest

from greentrade import Engine
from greentrade.model import StandardDesignator
from greentrade.rules import adoption_of
from greentrade.rules._adoptions import adoptions
from greentrade.rules._evidence import standard_match


def _d(text: str) -> StandardDesignator:
    return StandardDesignator.parse(text, lenient=True)


@pytest.fixture(scope="module")
def catalog():
    engine = Engine()
    engine.load_entry_points()
    return engine.catalog


@pytest.mark.parametrize(("text", "status", "current", "undated", "degree"), [
    ("ISO 14067:2018", "current", "ISO 14067:2018", False, None),
    ("ISO 14067", "current", "ISO 14067:2018", True, None),
    ("EN ISO 14067:2018", "current", "ISO 14067:2018", False, "IDT"),
    ("DIN EN ISO 14067:2018", "current", "ISO 14067:2018", False, "IDT"),
    ("EN ISO 14067", "current", "ISO 14067:2018", True, "IDT"),
    ("EN ISO 50001:2018", "current", "ISO 50001:2018", False, "IDT"),
    ("ISO/TS 14067:2013", "superseded", "ISO 14067:2018", False, None),
    ("ISO/TS 14067", "superseded", "ISO 14067:2018", True, None),
    ("GB/T 24067-2024", "unknown-edition", "ISO 14067:2018", False, "related"),
    ("GB/T 23331-2020", "unknown-edition", "ISO 50001:2018", False, "unconfirmed"),
    ("EN ISO 14067:2019", "unknown-edition", "ISO 14067:2018", False, "unconfirmed"),
    ("ISO 9001:2015", "not-in-catalog", None, False, None),
])
def test_catalog_check_reads_adoptions_and_undated_designators(catalog, text, status, current, undated, degree):
    check = catalog.check(_d(text))
    assert check.status == status
    assert (str(check.current) if check.current else None) == current
    assert check.undated is undated
    assert (check.adoption.degree if check.adoption else None) == degree
    assert check.equivalence_undetermined is (degree in ("related", "unconfirmed"))


def test_every_adoption_names_its_source():
    assert adoptions()
    for a in adoptions():
        assert a.citation.title and a.citation.reference
        assert a.describe()
    assert adoption_of(_d("GB/T 24067-2024")).describe() == (
        "GB/T 24067-2024 draws on ISO 14067:2018 but is not an identical adoption of it")


@pytest.mark.parametrize(("want", "have", "verdict"), [
    ("ISO 14067:2018", "EN ISO 14067:2018", "satisfies"),
    ("EN ISO 14067:2018", "ISO 14067:2018", "satisfies"),
    ("ISO 50001:2018", "BS EN ISO 50001:2018", "satisfies"),
    ("ISO 14067:2018", "GB/T 24067-2024", "adoption-undetermined"),
    ("ISO 50001:2018", "GB/T 23331-2020", "adoption-undetermined"),
    ("ISO 14067:2018", "ISO/TS 14067:2013", "superseded"),
    ("ISO 14067", "EN ISO 14067:2018", "satisfies"),
    ("ISO 14067:2018", "ISO 9001:2015", "other-standard"),
])
def test_standard_match_treats_identical_adoptions_as_the_same(catalog, want, have, verdict):
    m = standard_match(_d(want), _d(have), catalog)
    assert m.verdict == verdict
    assert m.related is (verdict != "other-standard")
