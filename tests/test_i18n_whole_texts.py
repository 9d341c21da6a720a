"""Every part of a finding's text is translated (#25): a message built from other messages keeps
their ids (never `str` concatenation or ``", ".join`` of messages, which leave the parts in
English), so the Chinese report of every rule case has no English phrase left in a finding, a
need or an outcome summary, both rendered by the engine and re-rendered from the stored JSON.

What may stay in English is data as published: the HS 2022 descriptions of subheadings (WCO's
nomenclature, shipped in English) and the prose of a plugin's standards data (edition notes);
ids, codes, designators and names are not phrases of four lowercase words.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from greentrade.render import localize_report
from greentrade.testing._cases import load_cases, run_case

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(ROOT.glob("plugins/*/cases/*.case.json")) + sorted((ROOT / "tests").glob("cases/**/*.case.json"))
#: Four or more lowercase words in a row: English prose (ids, codes and designators are not).
ENGLISH = re.compile(r"\b[a-z]{2,}(?: [a-z]{2,}){3,}\b")
#: ``HS 9405.49 (94054900) (Luminaires and light fittings; ...)``: the HS 2022 description, as published.
HS_DESCRIPTION = re.compile(r"HS \d{4}\.\d{2}(?: \(\d+\))? \((?:[^()]|\([^()]*\))*\)")


def _data_prose() -> list[str]:
    data = ROOT / "plugins/itc-green-export-pass/src/greentrade_itc_green_export_pass/data/standards.json"
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str) and " " in node:
            out.append(node)

    walk(json.loads(data.read_text("utf-8")))
    return sorted(out, key=len, reverse=True)


def _english_left(text: str, prose: list[str]) -> str | None:
    text = HS_DESCRIPTION.sub("", text)
    for p in prose:
        text = text.replace(p, "")
    m = ENGLISH.search(text)
    return m.group(0) if m else None


def test_the_chinese_report_of_every_rule_case_has_no_english_phrase():
    prose = _data_prose()
    left = []
    for path in CASES:
        for case in load_cases(path):
            result = run_case(case)
            stored = json.loads(result.report.to_json())
            zh = localize_report(stored, "zh-CN")
            texts = [(f["rule"], f.get("message_id"), f.get(k)) for f in zh["findings"] for k in ("message", "needs")]
            texts += [("outcome", o["summary_id"], o["summary"]) for o in zh["outcomes"]]
            for rule, mid, text in texts:
                phrase = _english_left(text or "", prose)
                if phrase:
                    left.append(f"{path.name}: {rule} {mid}: {phrase!r} in {text[:160]!r}")
    assert not left, f"{len(left)} texts keep English phrases:\n" + "\n".join(sorted(set(left))[:40])


@pytest.mark.parametrize("text", [
    "HS 9405.49 (94054900) (Luminaires and light fittings; electric, designed for other than use solely with LED)",
])
def test_the_check_allows_data_as_published(text):
    assert _english_left(text, []) is None
    assert _english_left("declaration X is not relied upon", []) == "is not relied upon"
