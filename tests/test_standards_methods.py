"""Methods that are not standards, ISO 14040/14044 written together, PACT's spellings, and
national adoptions of EN standards (issue #13)."""

import pytest

from greentrade import DesignatorError, StandardDesignator
from greentrade.model._standards import METHODS, Method, read_references

S = StandardDesignator


@pytest.mark.parametrize(
    ("text", "method", "version"),
    [
        ("GHG Protocol Product standard", "ghg-protocol-product", None),  # PACT v2's spelling
        ("GHG Protocol Product Life Cycle Accounting and Reporting Standard", "ghg-protocol-product", None),
        ("GHGP-Product", "ghg-protocol-product", None),  # PACT v3's spelling
        ("PACT Methodology 2.0", "pact", "2.0"),
        ("PACT-3.0", "pact", "3.0"),
        ("Pathfinder Framework Version 2.0", "pact", "2.0"),
        ("PEF", "pef", None),
        ("Catena-X Product Carbon Footprint Rulebook v4", "catenax-pcf-rulebook", "4"),
        ("Catena-X PCF Rulebook", "catenax-pcf-rulebook", None),
        ("EU Battery Regulation Art. 7", "eu-battery-art7", None),
        ("Regulation (EU) 2023/1542 Article 7", "eu-battery-art7", None),
    ],
)
def test_methods_are_recognised_and_refused_as_standards(text, method, version):
    assert Method.recognise(text) == Method(method, version)
    with pytest.raises(DesignatorError, match="method"):
        S.parse(text, lenient=True)
    with pytest.raises(DesignatorError, match="method"):
        S.parse(text)
    assert read_references([text]) == ([], [Method(method, version)], [])


def test_method_titles_name_the_publication():
    assert str(Method("pact", "3.0")) == "PACT Methodology 3.0"
    assert set(METHODS) == {"ghg-protocol-product", "pact", "pef", "catenax-pcf-rulebook", "eu-battery-art7"}
    with pytest.raises(ValueError):
        Method("iso-14067")


def test_iso_14040_44_is_two_standards_not_a_part():
    with pytest.raises(DesignatorError, match="two standards"):
        S.parse("ISO14040-44", lenient=True)
    standards, methods, unread = read_references(["ISO14040-44", "ISO 14040/14044"])
    assert standards == [S("ISO", "14040"), S("ISO", "14044")]
    assert (methods, unread) == ([], [])
    # a real part number stays a part
    assert S.parse("IEC 62443-3-3:2013").part == "3-3"


@pytest.mark.parametrize("text", ["ISO Standard 14067", "ISO standard 14067", "ISO14067"])
def test_pact_spellings_of_iso_14067(text):
    d = S.parse(text, lenient=True)
    assert d == S("ISO", "14067") and d.written == text


@pytest.mark.parametrize(
    ("text", "national", "en"),
    [
        ("DIN EN 15804+A2", "DIN", "EN 15804+A2"),
        ("BS EN 15804:2012+A2:2019", "BS", "EN 15804:2012+A2:2019"),
        ("NF EN 15804+A2", "NF", "EN 15804+A2"),
    ],
)
def test_national_adoptions_are_the_en_standard(text, national, en):
    d = S.parse(text)  # canonical as written
    assert d.national == national and d.body == "EN"
    assert d == S.parse(en) and hash(d) == hash(S.parse(en))
    assert str(d) == text and S.parse(str(d)) == d
    assert str(d.family) == "EN 15804"


def test_unknown_names_are_returned_unread():
    standards, methods, unread = read_references(["ISO 14067", "our in-house rules"])
    assert standards == [S("ISO", "14067")] and methods == [] and unread == ["our in-house rules"]
