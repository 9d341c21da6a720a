"""rules_from_data: rule texts from data bound to check functions; every mismatch fails at load
time with a message naming both sides."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from greentrade import Basis, Citation, Hit, Period, RuleContext, Severity
from greentrade.plugin import RuleDataError, rules_from_data

CITE = {"authority": "Test authority", "title": "Test notice", "reference": "https://example.org/notice"}
DATA: dict[str, Any] = {
    "citations": {"notice": CITE},
    "rules": [
        {"id": "XX-001", "title": "In scope", "severity": "info", "role": "scope", "basis": "stated",
         "citation": "notice", "quote": "The pilot covers lamps.", "description": "d", "remediation": ""},
        {"id": "XX-002", "title": "Labelled", "severity": "error", "basis": "inferred", "description": "d",
         "remediation": "Label it.", "citation_note": "Our reading.",
         "effective": {"start": "2026-01-01", "end": "2026-12-31"}},
    ],
}


def scope(ctx: RuleContext) -> Iterator[Hit]:
    yield from ()


def label(ctx: RuleContext) -> Iterator[Hit]:
    yield from ()


def test_binds_texts_citations_and_periods() -> None:
    program_cite = Citation(authority="P", title="Program", reference="https://example.org/p", note="n")
    rules = rules_from_data(DATA, {"XX-001": scope, "XX-002": label}, program="xx",
                            effective=Period(start=dt.date(2025, 1, 1)), citation=program_cite,
                            quote_intro="The notice says")
    one, two = rules
    assert (one.id, one.role, one.severity, one.basis, one.program) == ("XX-001", "scope", Severity.INFO,
                                                                        Basis.STATED, "xx")
    assert one.check is scope and two.check is label
    assert one.citation.reference == "https://example.org/notice. The notice says: \u201cThe pilot covers lamps.\u201d"
    assert one.effective == Period(start=dt.date(2025, 1, 1))
    assert two.citation.title == "Program" and two.citation.note == "n Our reading."
    assert two.effective == Period(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert two.role == "check" and two.scope == "shipment"


def test_rule_without_check_names_both_sides() -> None:
    with pytest.raises(RuleDataError, match=r"rule XX-002 in plugin/data.json has no check function"):
        rules_from_data(DATA, {"XX-001": scope}, citation=None, source="plugin/data.json")


def test_check_without_rule_names_function_and_data() -> None:
    with pytest.raises(RuleDataError, match=r"check function label is registered for rule XX-003, which "
                                            r"plugin/data.json does not declare"):
        rules_from_data(DATA, {"XX-001": scope, "XX-002": label, "XX-003": label},
                        source="plugin/data.json")


def test_bad_field_names_rule_and_pointer() -> None:
    data = copy.deepcopy(DATA)
    data["rules"][1]["severity"] = "fatal"
    with pytest.raises(RuleDataError, match=r"/rules/1/severity \(rule XX-002\)"):
        rules_from_data(data, {"XX-001": scope, "XX-002": label})


def test_unknown_citation_key_and_missing_default() -> None:
    data = copy.deepcopy(DATA)
    data["rules"][0]["citation"] = "other"
    with pytest.raises(RuleDataError, match=r"rule XX-001 cites 'other', which is not a key of its citations"):
        rules_from_data(data, {"XX-001": scope, "XX-002": label})
    with pytest.raises(RuleDataError, match=r"rule XX-002 names no citation"):
        rules_from_data(DATA, {"XX-001": scope, "XX-002": label})


def test_duplicate_rule_ids() -> None:
    data = copy.deepcopy(DATA)
    data["rules"].append(copy.deepcopy(data["rules"][0]))
    with pytest.raises(RuleDataError, match=r"declares rule\(s\) XX-001 more than once"):
        rules_from_data(data, {"XX-001": scope, "XX-002": label})
