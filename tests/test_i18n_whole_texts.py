"""Every part of a finding's text is translated (#25): a message built from other messages keeps
their ids (never `str` concatenation or ``", ".join`` of messages, which leave the parts in
English), so the Chinese report of every rule case has no English phrase left in a finding, a
need or an outcome summary, both rendered by the engine and re-rendered from the stored JSON.

What may stay in English is data as published: the HS 2022 descriptions of subheadings (WCO's
nomenclature, shipped in English); ids, codes, designators and names are not phrases of four
lowercase words. A plugin's data texts that findings quote are translated too
(`greentrade.plugin.data_text`, the package's ``greentrade_catalog_texts()``).
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
#: Four or more lowercase words in a row: English prose (ids, codes and designators are not). Not
#: `\b`: in Python a Chinese character is a word character, so a phrase glued to one has none.
ENGLISH = re.compile(r"(?<![A-Za-z0-9_.-])[a-z]+(?: [a-z]+){3,}(?![A-Za-z0-9_-])")
#: ``HS 9405.49 (94054900) (Luminaires and light fittings; ...)``: the HS 2022 description, as published.
HS_DESCRIPTION = re.compile(r"HS \d{4}\.\d{2}(?: \(\d+\))? \((?:[^()]|\([^()]*\))*\)")


def _english_left(text: str) -> str | None:
    m = ENGLISH.search(HS_DESCRIPTION.sub("", text))
    return m.group(0) if m else None


def test_the_chinese_report_of_every_rule_case_has_no_english_phrase():
    left = []
    for path in CASES:
        for case in load_cases(path):
            result = run_case(case)
            stored = json.loads(result.report.to_json())
            zh = localize_report(stored, "zh-CN")
            texts = [(f["rule"], f.get("message_id"), f.get(k)) for f in zh["findings"] for k in ("message", "needs")]
            texts += [("outcome", o["summary_id"], o["summary"]) for o in zh["outcomes"]]
            for rule, mid, text in texts:
                phrase = _english_left(text or "")
                if phrase:
                    left.append(f"{path.name}: {rule} {mid}: {phrase!r} in {text[:160]!r}")
    assert not left, f"{len(left)} texts keep English phrases:\n" + "\n".join(sorted(set(left))[:40])


@pytest.mark.parametrize("text", [
    "HS 9405.49 (94054900) (Luminaires and light fittings; electric, designed for other than use solely with LED)",
])
def test_the_check_allows_data_as_published(text):
    assert _english_left(text) is None
    assert _english_left("declaration X is not relied upon") == "is not relied upon"
    assert _english_left("该声明meets them on a reading of ours") == "meets them on a reading of ours"
