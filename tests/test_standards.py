import pytest

from greentrade import Amendment, DesignatorError, StandardDesignator

CANONICAL = [
    ("ISO 14067:2018", dict(body="ISO", number="14067", year=2018)),
    ("ISO/TS 14067:2013", dict(body="ISO", kind="TS", number="14067", year=2013)),
    ("EN 15804:2012+A2:2019", dict(body="EN", number="15804", year=2012, amendments=(Amendment("A", 2, 2019),))),
    ("GB/T 33761-2024", dict(body="GB/T", number="33761", year=2024)),
    ("ISO 50001:2018/Amd 1:2024", dict(body="ISO", number="50001", year=2018, amendments=(Amendment("Amd", 1, 2024),))),
    ("IEC 61215-1:2021", dict(body="IEC", number="61215", part="1", year=2021)),
    ("ISO/IEC 17029:2019", dict(body="ISO/IEC", number="17029", year=2019)),
    ("ISO/IEC 17021-1:2015", dict(body="ISO/IEC", number="17021", part="1", year=2015)),
    ("GB/T 2828.1-2012", dict(body="GB/T", number="2828.1", year=2012)),
    ("IEC 62443-3-3:2013", dict(body="IEC", number="62443", part="3-3", year=2013)),
    ("ISO 14065", dict(body="ISO", number="14065")),
]


@pytest.mark.parametrize(("text", "fields"), CANONICAL)
def test_parse_canonical(text, fields):
    d = StandardDesignator.parse(text)
    assert d == StandardDesignator(**fields)
    assert str(d) == text
    assert StandardDesignator.parse(str(d)) == d
    assert d.canonical


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("EN15804+A2", "EN 15804+A2"),
        ("GB/T33761—2024", "GB/T 33761-2024"),
        ("ISO 50001: 2018", "ISO 50001:2018"),
        ("iso 14067 : 2018", "ISO 14067:2018"),
        ("ISO 50001:2018/Amd.1:2024", "ISO 50001:2018/Amd 1:2024"),
        ("GB/T 33761:2024", "GB/T 33761-2024"),
        ("GB／T 33761－2024".replace("／", "/"), "GB/T 33761-2024"),
    ],
)
def test_lenient_forms_name_the_canonical_one(text, canonical):
    d = StandardDesignator.parse(text, lenient=True)
    assert str(d) == canonical
    assert d.written == text and not d.canonical
    with pytest.raises(DesignatorError, match="canonical"):
        StandardDesignator.parse(text)  # strict parsing refuses variants, naming the canonical form


@pytest.mark.parametrize("text", ["", "hello", "ISO", "ISO 14067:18", "14067:2018", "ISO 14067:2018 extra"])
def test_garbage_is_refused(text):
    with pytest.raises(DesignatorError):
        StandardDesignator.parse(text, lenient=True)


def test_family_and_equality_ignore_spelling():
    a = StandardDesignator.parse("ISO 50001:2018/Amd 1:2024")
    assert str(a.family) == "ISO 50001"
    assert StandardDesignator.parse("ISO 50001: 2018", lenient=True) == StandardDesignator.parse("ISO 50001:2018")
    assert StandardDesignator.parse("ISO/TS 14067:2013").family != StandardDesignator.parse("ISO 14067:2018").family


def test_year_out_of_range():
    with pytest.raises(ValueError):
        StandardDesignator(body="ISO", number="1", year=1800)


def test_en_corrigendum():
    d = StandardDesignator.parse("EN 15804:2012+A2:2019+AC:2021")
    assert [str(a) for a in d.amendments] == ["+A2:2019", "+AC:2021"]
    lenient = StandardDesignator.parse("EN 15804:2012+A2:2019/AC:2021", lenient=True)
    assert str(lenient) == "EN 15804:2012+A2:2019+AC:2021"


def test_catalog_editions():
    from greentrade import Catalog, CatalogEntry, Citation

    cite = Citation(authority="ISO", title="ISO 50001", reference="iso.org")
    entry = CatalogEntry(
        designator=StandardDesignator.parse("ISO 50001:2018"), title="EnMS", citation=cite,
        superseded=(StandardDesignator.parse("ISO 50001:2011"),),
        also_current=(StandardDesignator.parse("ISO 50001:2018/Amd 1:2024"),),
    )
    cat = Catalog([entry])
    check = lambda t: cat.check(StandardDesignator.parse(t, lenient=True)).status  # noqa: E731
    assert check("ISO 50001:2018") == "current"
    assert check("ISO 50001:2018/Amd 1:2024") == "current"
    assert check("ISO 50001: 2018") == "current"
    assert check("ISO 50001:2011") == "superseded"
    assert check("ISO 50001:2025") == "unknown-edition"
    assert check("ISO 14001:2015") == "not-in-catalog"
    assert cat.check(StandardDesignator.parse("ISO 50001:2011")).current == entry.designator
