"""The dossier helpers of greentrade.plugin the first-party plugins share: values a format-2
document lacks, an inferred rule's hit, a party on a host's list, what a carbon footprint
states, and how findings show HS codes, standards and parties."""

from __future__ import annotations

import datetime as dt

import pytest

from greentrade.model import (
    CarbonFootprint,
    DeclaredUnit,
    Document,
    Dossier,
    Identifier,
    Party,
    Product,
    Shipment,
    ShipmentLine,
    StandardDesignator,
)
from greentrade.plugin import (
    Basis,
    Effect,
    PartyMatch,
    RuleContext,
    Severity,
    as_written,
    declared_unit_text,
    footprint_values,
    hs_display,
    hs_label,
    line_products,
    match_party,
    party_label,
    unstated,
    warn_unless_binding,
)
from greentrade.rules._catalog import Catalog

S = StandardDesignator.parse
USCC = "91330281MA2H7Q3C2B"
PARTY = Party("P1", name="Ningbo Test Lab Co., Ltd.", country="CN", identifiers=(Identifier("uscc", USCC),))


def _ctx(doc: Document, required: frozenset[str] = frozenset()) -> RuleContext:
    dossier = Dossier(parties=(PARTY,), documents=(doc,))  # type: ignore[call-arg]
    return RuleContext(dossier, dt.date(2026, 7, 1), None, {}, {}, {}, Catalog([]),
                       pointers={id(doc): "/documents/0"}, required=required)


# -- unstated ----------------------------------------------------------------------------------
def test_unstated_names_each_missing_field_in_order() -> None:
    doc = Document("D1", "certificate", issuer="P1", status="valid")
    hits = unstated(_ctx(doc), doc, ("status", "issue_date", "holder"))
    assert [(h.effect, h.message, h.needs, h.pointer, h.subject) for h in hits] == [
        (Effect.UNDETERMINED, "document D1 (certificate) states no issue date; cannot tell",
         "issue_date of document D1", "/documents/0", "D1"),
        (Effect.UNDETERMINED, "document D1 (certificate) states no holder; cannot tell",
         "holder of document D1", "/documents/0", "D1"),
    ]


def test_unstated_with_a_label_and_nothing_missing() -> None:
    doc = Document("D1", "carbon-footprint-declaration", issuer="P1", holder="P1", status="valid",
                   issue_date=dt.date(2026, 1, 1))
    assert unstated(_ctx(doc), doc, ("issuer", "holder", "status", "issue_date")) == []
    bare = Document("D2", "carbon-footprint-declaration")
    (hit,) = unstated(_ctx(bare), bare, ("issuer",), label="declaration D2")
    assert hit.message == "declaration D2 states no issuer; cannot tell"


def test_unstated_refuses_a_field_documents_do_not_have() -> None:
    doc = Document("D1", "certificate")
    with pytest.raises(AttributeError, match="colour"):
        unstated(_ctx(doc), doc, ("colour",))


# -- warn_unless_binding ------------------------------------------------------------------------
def test_warn_unless_binding() -> None:
    doc = Document("D1", "certificate")
    warned = warn_unless_binding(_ctx(doc), "X-001", "odd holder", doc, "holder")
    assert (warned.effect, warned.severity, warned.pointer) == (Effect.NOTE, Severity.WARNING, "/documents/0/holder")
    bound = warn_unless_binding(_ctx(doc, frozenset({"X-001"})), "X-001", "odd holder", doc, "holder",
                                basis=Basis.HOST)
    assert (bound.effect, bound.severity, bound.basis) == (Effect.VIOLATION, None, Basis.HOST)
    other = warn_unless_binding(_ctx(doc, frozenset({"X-002"})), "X-001", "odd holder", doc)
    assert other.effect is Effect.NOTE


# -- match_party ------------------------------------------------------------------------------
@pytest.mark.parametrize(("entries", "expected"), [
    ([{"scheme": "uscc", "value": USCC.lower()}], PartyMatch(0, f"identifier uscc {USCC}")),
    ([{"scheme": "lei", "value": USCC}, {"name": "ningbo test lab co.,  LTD."}],
     PartyMatch(1, "name 'Ningbo Test Lab Co., Ltd.'")),
    # an identifier entry is matched by identifier only, even when it also names the party
    ([{"scheme": "uscc", "value": "91330000000000000X", "name": PARTY.name}], None),
    ([{"name": "Another Lab"}, "Ningbo Test Lab Co., Ltd.", 7], None),
    ("Ningbo Test Lab Co., Ltd.", None),
    (None, None),
    ([], None),
])
def test_match_party(entries: object, expected: PartyMatch | None) -> None:
    assert match_party(PARTY, entries) == expected


def test_match_party_without_a_name_or_identifiers() -> None:
    assert match_party(Party("P2"), [{"name": "P2"}, {"scheme": "uscc", "value": USCC}]) is None


# -- carbon footprint ---------------------------------------------------------------------------
def test_declared_unit_text() -> None:
    assert declared_unit_text(CarbonFootprint(declared_unit=" 1 luminaire ")) == "1 luminaire"
    assert declared_unit_text(CarbonFootprint(declared_unit=DeclaredUnit(1.0, "kilogram"))) == "1 kilogram"
    assert declared_unit_text(CarbonFootprint()) == ""


def test_footprint_values() -> None:
    assert footprint_values(CarbonFootprint(ghg_kg_co2e=12.5)) == [("ghg_kg_co2e", 12.5)]
    both = CarbonFootprint(pcf_excluding_biogenic=3.0, pcf_including_biogenic=2.0)
    assert footprint_values(both) == [("pcf_including_biogenic", 2.0), ("pcf_excluding_biogenic", 3.0)]
    assert footprint_values(CarbonFootprint(ghg_kg_co2e=0.0)) == [("ghg_kg_co2e", 0.0)]  # stated, if not positive
    assert footprint_values(CarbonFootprint()) == []


# -- display ------------------------------------------------------------------------------------
def test_hs_display_and_label() -> None:
    assert hs_display("940541") == "9405.41"
    assert hs_display("94054190") == "9405.41 (94054190)"
    assert hs_label("94054190") == ("HS 9405.41 (94054190) (Luminaires and light fittings; electric, "
                                    "photovoltaic, designed for use solely with light-emitting diode (LED) "
                                    "light sources)")
    assert hs_label("010110") == "HS 0101.10"  # not an HS 2022 subheading: no description


def test_as_written() -> None:
    assert as_written(S("GB/T 33761:2024", lenient=True)) == "GB/T 33761:2024"
    assert as_written(S("GB/T 33761-2024")) == "GB/T 33761-2024"


def test_party_label() -> None:
    dossier = Dossier(parties=(PARTY,))  # type: ignore[call-arg]
    assert party_label(dossier, "P1") == "P1 (Ningbo Test Lab Co., Ltd.)"
    assert party_label(dossier, "P9") == "P9"
    assert party_label(dossier, None) == "(not stated)"


# -- line_products ---------------------------------------------------------------------------------
def test_line_products_in_line_order_without_unknown_products() -> None:
    a = Product(id="A", model="M-A", name="a", category="c", hs_code="940541", manufacturer="P1")
    b = Product(id="B", model="M-B", name="b", category="c", hs_code="940541", manufacturer="P1")
    lines = tuple(ShipmentLine(lid, pid, 1, "pcs", "940541") for lid, pid in
                  (("L1", "B"), ("L2", "X"), ("L3", "A"), ("L4", "B")))
    shipment = Shipment("S1", "P1", "CNNGB", "DE", dt.date(2026, 7, 1), lines)
    dossier = Dossier(parties=(PARTY,), products=(a, b), shipments=(shipment,))  # type: ignore[call-arg]
    assert [(line.id, p.id) for line, p in line_products(dossier, shipment)] == [("L1", "B"), ("L3", "A"), ("L4", "B")]
