"""A ``stated`` rule quotes the announcement, verbatim (#19).

The two pilot plugins rest on secondary news reports (../shared/sources, beside the project's
root; CI has it). Each article holds an announcement (the sentences listed in
../shared/README.md as A1-A5 and B1-B4) and commentary ("Analysis shows...", "What deserves
closer attention...", "Companies should..."). A rule whose basis is ``stated`` must quote one of
the announcement sentences, word for word; a rule that rests on the commentary is ``inferred``
or ``practice``. A quote may join fragments of listed sentences with `` [...] ``; each fragment
must lie inside one listed sentence and inside the article text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from greentrade import Basis, Engine
from greentrade.rules import Rule

ROOT = Path(__file__).resolve().parent.parent


def _shared() -> Path:
    """../shared beside the project's root (a git worktree may sit deeper: the nearest ancestor's)."""
    for parent in ROOT.parents:
        if (parent / "shared" / "sources").is_dir():
            return parent / "shared"
    return ROOT.parent / "shared"


SHARED = _shared()
SOURCES = SHARED / "sources"

CN_ARTICLE = "000_60baef12698023c7.txt"
ITC_ARTICLE = "002_b68a4da8c2aba21e.txt"

#: The announcement sentences of each article (../shared/README.md), without the leading ellipsis.
ANNOUNCEMENT: dict[str, dict[str, str]] = {
    CN_ARTICLE: {
        "A1": "the General Administration of Customs and the Ministry of Ecology and Environment launched a "
              "pilot “green review channel” for solar lighting product exports on June 5, 2026.",
        "A2": "The pilot applies at 12 key ports nationwide.",
        "A3": "Where an exporter submits an ISO 14067 carbon footprint declaration issued by a recognized "
              "institution, customs clearance time is reduced to within 24 hours.",
        "A4": "The mechanism covers the full Solar Lighting category, including LED solar street lights and "
              "off-grid garden lights.",
        "A5": "the measure is expected to improve responsiveness to green procurement projects in Europe, "
              "Latin America, and the Middle East.",
    },
    ITC_ARTICLE: {
        "B1": "renewed their cooperation memorandum and launched a pilot mechanism for mutual recognition of "
              "green product trade standards under the Belt and Road framework.",
        "B2": "The first batch includes 37 key standards, among them ISO 50001, EN 15804, and GB/T 33761.",
        "B3": "the arrangement supports Chinese companies in obtaining faster access to target markets through "
              "the ITC “Green Export Pass.” It also indicates shorter factory audit cycles and lower compliance "
              "costs for buyers in the Middle East, Southeast Asia, and Latin America.",
        "B4": "For exporters of photovoltaic modules, energy storage batteries, green building materials, and "
              "smart grid equipment, the development matters",
    },
}
#: Which article each program rests on.
ARTICLE_OF = {"cn-green-channel": CN_ARTICLE, "itc-green-export-pass": ITC_ARTICLE}
QUOTE = re.compile(r"The report says: \u201c(?P<quote>.*)\u201d\Z", re.S)
SEPARATOR = " [...] "


def _norm(text: str) -> str:
    return " ".join(text.split())


def _article(name: str) -> str:
    path = SOURCES / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must provide ../shared beside the project")
        pytest.skip(f"{path} is not here (the shared material lives beside the project's root)")
    return _norm(path.read_text("utf-8"))


def _rules() -> list[Rule]:
    engine = Engine(config={})
    engine.load_entry_points(list(ARTICLE_OF))
    return [r for r in engine.rules if r.program in ARTICLE_OF]


def problems(quote: str, article: str, sentences: dict[str, str]) -> Iterator[str]:
    """Why `quote` is not a verbatim quote of one of `sentences` in `article` (nothing if it is)."""
    for part in quote.split(SEPARATOR):
        part = _norm(part)
        if part not in article:
            yield f"not in the article: {part!r}"
        elif not any(part in _norm(s) for s in sentences.values()):
            yield f"not one of the announcement sentences ({', '.join(sentences)}), so commentary: {part!r}"


@pytest.mark.parametrize("name", sorted(ANNOUNCEMENT))
def test_each_listed_sentence_is_in_its_article(name: str) -> None:
    article = _article(name)
    for key, sentence in ANNOUNCEMENT[name].items():
        assert _norm(sentence) in article, key


def test_the_list_is_the_shared_readme_list() -> None:
    readme = SHARED / "README.md"
    if not readme.exists():
        pytest.skip("../shared/README.md is not here")
    text = _norm(readme.read_text("utf-8"))
    for sentences in ANNOUNCEMENT.values():
        for key, sentence in sentences.items():
            assert f"{key} " in text
            assert _norm(sentence) in text, key


def test_every_stated_rule_quotes_the_announcement_verbatim() -> None:
    rules = _rules()
    assert {r.program for r in rules} == set(ARTICLE_OF)
    stated = [r for r in rules if r.basis is Basis.STATED]
    assert stated
    for rule in stated:
        assert rule.program is not None
        m = QUOTE.search(rule.citation.reference)
        assert m, f"{rule.id} has basis stated but its citation quotes no sentence of the report"
        article = _article(ARTICLE_OF[rule.program])
        found = list(problems(m["quote"], article, ANNOUNCEMENT[ARTICLE_OF[rule.program]]))
        assert not found, f"{rule.id}: {found}"


def test_a_quote_of_the_commentary_is_refused() -> None:
    article = _article(CN_ARTICLE)
    commentary = ("What deserves closer attention is whether exporters already have a valid ISO 14067 carbon "
                  "footprint declaration from a recognized body ready at the shipment stage")
    assert list(problems(commentary, article, ANNOUNCEMENT[CN_ARTICLE]))
    assert list(problems("The pilot applies at 12 key ports worldwide.", article, ANNOUNCEMENT[CN_ARTICLE]))
    assert not list(problems(ANNOUNCEMENT[CN_ARTICLE]["A2"], article, ANNOUNCEMENT[CN_ARTICLE]))


def test_rules_resting_on_commentary_are_not_stated() -> None:
    # The readings of the commentary that #19 took back from `stated`.
    basis = {r.id: r.basis for r in _rules()}
    for rule_id in ("CN-GC-006", "CN-GC-008", "ITC-GEP-001", "ITC-GEP-006"):
        assert basis[rule_id] is Basis.INFERRED, rule_id


def test_article_citations_say_publisher_and_date_are_unknown() -> None:
    for rule in _rules():
        if rule.citation.authority.startswith("News report"):
            note = rule.citation.note or ""
            assert "publisher" in note and "publication date" in note, rule.id
            assert "the date shown is the announcement's" in note, rule.id
