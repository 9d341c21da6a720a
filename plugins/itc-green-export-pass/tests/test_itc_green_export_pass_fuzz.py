"""Property test: mutated dossiers never make an itc-green-export-pass rule raise."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import greentrade_itc_green_export_pass as plugin
from hypothesis import given, settings
from hypothesis import strategies as st

from greentrade import Engine

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.json"))
BASES = [json.loads(p.read_text("utf-8")) for p in EXAMPLES]
DESIGNATORS = [
    "ISO 50001", "ISO 50001:2011", "ISO 50001:2018/Amd 1", "EN15804+A2", "EN 15804+A3:2030",
    "GB/T 33761-2017", "gb/t33761：2024", "GB/T 33761", "IEC 61215-2:2021", "ISO/IEC 17065:2012",
]
ENGINE = Engine()
ENGINE.register(plugin, name="itc-green-export-pass")


@st.composite
def dossiers(draw: st.DrawFn) -> Any:
    d = copy.deepcopy(draw(st.sampled_from(BASES)))
    for doc in d["documents"]:
        if draw(st.booleans()):
            doc["standards"] = [draw(st.sampled_from(DESIGNATORS))]
        doc["status"] = draw(st.sampled_from(["valid", "valid", "suspended", "withdrawn"]))
        if draw(st.booleans()):
            doc.pop("sites", None)
        if draw(st.booleans()):
            doc["type"] = draw(st.sampled_from(["certificate", "epd", "test-report", "factory-audit",
                                                "declaration-of-conformity"]))
            doc.pop("epd", None)
    sh = d["shipments"][0]
    if draw(st.booleans()):
        sh["documents"] = draw(st.permutations(sh["documents"]))[: draw(st.integers(0, 3))]
    if draw(st.booleans()):
        d["products"][0].pop("manufacturing_site", None)
    for party in d["parties"]:
        for acc in party.get("accreditations", []):
            if d["format"] == "greentrade.dossier/1":
                acc["iaf_mla_signatory"] = draw(st.booleans())
            else:
                acc["arrangement"] = draw(st.sampled_from([None, "IAF MLA", "ILAC MRA"]))
    return d


@settings(max_examples=60, deadline=None)
@given(dossiers())
def test_rules_never_raise(d: Any) -> None:
    report = ENGINE.validate(d)
    assert report.evaluated
    assert not [f for f in report.findings if f.rule.startswith("GT-ENGINE")]
    assert report.status("itc-green-export-pass", d["shipments"][0]["id"]) is not None
