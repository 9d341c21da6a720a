"""greentrade.render: text and HTML of reports and assessments from Jinja2 templates.

The golden files under tests/data/render were written by the code before the templates
(Report.to_text, Assessment.to_text and to_html of 0.x; ``*.report.html`` is new with the
templates and is a snapshot of its first version): each case stores the public JSON form
(``*.report.json``, ``*.assessment.json``) and its expected renderings. They cover every status,
data errors, tenders, a program that is not loaded, control characters, bidi overrides, line
separators and HTML specials. Rewrite them only on purpose:
``GREENTRADE_REGENERATE_GOLDEN=1 pytest tests/test_render.py`` (then review the diff).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from greentrade import Engine, render
from greentrade.readiness import assess
from greentrade.testing import strategies as gts

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "render"
AS_OF = dt.date(2026, 7, 1)
FORMS = {
    "report.txt": ("report.json", render.report_text),
    "assessment.txt": ("assessment.json", render.assessment_text),
    "assessment.html": ("assessment.json", render.assessment_html),
    "report.html": ("report.json", render.report_html),  # new with the templates: a snapshot
}
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.suffix in {".txt", ".html"})
EXAMPLES = sorted(p for p in [*ROOT.glob("examples/*.json"), *ROOT.glob("plugins/*/examples/**/*.json")]
                  if not p.name.endswith(".expected.json"))


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # no newline translation: the bytes are the contract


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    case, form = name.split(".", 1)
    source, fn = FORMS[form]
    got = fn(json.loads(_text(GOLDEN / f"{case}.{source}")))
    if os.environ.get("GREENTRADE_REGENERATE_GOLDEN"):
        (GOLDEN / name).write_bytes(got.encode("utf-8"))
    assert got == _text(GOLDEN / name)


def test_goldens_cover_what_must_be_escaped() -> None:
    report = _text(GOLDEN / "escapes.report.txt")
    assert "\\x1b[2J" in report and "\\u202e" in report and "\\x0asecond" in report  # (wrapped after it)
    assert not any(c in report for c in "\x1b\x9b\u202e\u2028\u2066")
    page = _text(GOLDEN / "escapes.assessment.html")
    assert "&lt;i&gt;&quot;quoted&quot;&lt;/i&gt; &amp; &#x27;single&#x27;" in page and "<i>" not in page
    statuses = _text(GOLDEN / "statuses.assessment.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in statuses and "<script>" not in statuses
    assert "tender &lt;T-1&gt; asks for &quot;EPD&quot;" in statuses
    assert "NOT assessed" in _text(GOLDEN / "data-errors.assessment.txt")
    assert "program rules were NOT run" in _text(GOLDEN / "data-errors.report.txt")


@functools.cache
def _engine() -> Engine:
    engine = Engine(config=ROOT / "examples" / "greentrade.toml")
    engine.load_entry_points()
    return engine


def _same(source: bytes | dict[str, Any]) -> None:
    """The objects' methods give what render gives from their JSON (read back, not the dicts)."""
    engine = _engine()
    report = engine.validate(source)
    assert report.to_text() == render.report_text(json.loads(report.to_json()))
    assessment = assess(engine, source, as_of=AS_OF)
    data = json.loads(assessment.to_json())
    assert assessment.to_text() == render.assessment_text(data)
    assert assessment.to_html() == render.assessment_html(data)


@pytest.mark.parametrize("path", EXAMPLES, ids=[str(p.relative_to(ROOT)) for p in EXAMPLES])
def test_every_example_renders_the_same_through_its_json(path: Path) -> None:
    _same(path.read_bytes())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gts.dossier_json())
def test_drawn_dossiers_render_the_same_through_their_json(data: dict[str, Any]) -> None:
    _same(data)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gts.invalid_dossiers())
def test_drawn_invalid_dossiers_render_the_same_through_their_json(mutation: Any) -> None:
    _same(mutation.data)


def test_environments_are_built_once_and_html_alone_is_autoescaped() -> None:
    from greentrade.render import _environment

    assert _environment("html", "en") is _environment("html", "en")
    assert _environment("html", "zh-CN").autoescape("assessment.html") is True
    assert _environment("terminal", "en").autoescape("assessment.txt") is False


def test_a_missing_field_fails_the_render_instead_of_vanishing() -> None:
    data = json.loads(_text(GOLDEN / "statuses.report.json"))
    del data["input_sha256"]
    with pytest.raises(Exception, match="input_sha256"):
        render.report_text(data)


def test_an_optional_member_given_as_null_renders_as_when_it_is_absent() -> None:
    report = json.loads(_text(GOLDEN / "cn-expired.report.json"))
    for f in report["findings"]:
        for key in ("subject", "program", "shipment", "remediation", "needs", "citation"):
            f.setdefault(key, None)
    assert render.report_text(report) == _text(GOLDEN / "cn-expired.report.txt")
    assessment = json.loads(_text(GOLDEN / "statuses.assessment.json"))
    for row in assessment["products"]:
        for cell in row["cells"]:
            cell.setdefault("earliest_expiry", None)
            for r in cell["requirements"]:
                r.setdefault("document", None)
    assert render.assessment_text(assessment) == _text(GOLDEN / "statuses.assessment.txt")


def test_import_greentrade_does_not_import_jinja2() -> None:
    code = "import sys, greentrade; assert 'jinja2' not in sys.modules and 'markupsafe' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_templates_are_package_data() -> None:
    from importlib.resources import files

    names = {p.name for p in files("greentrade.render").joinpath("templates").iterdir()}
    assert {"report.txt", "report.html", "assessment.txt", "assessment.html", "page.css"} <= names


def test_assessment_text_escapes_controls_like_the_report_text() -> None:
    """A value cannot move a terminal's cursor or fake a line, whether the text is printed by the
    command line or by a host that calls `Assessment.to_text()` itself."""
    data = json.loads(_text(GOLDEN / "escapes.assessment.json"))
    text = render.assessment_text(data)
    assert "\x1b" not in text and "\x07" not in text and "\\x1b]0;owned\\x07" in text
    assert "'single'\\x0anext (solar-street-light)" in text


class _Page(HTMLParser):
    """Collects the page's text and checks that every table element it opens is closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in {"table", "thead", "tbody", "tr", "td", "th", "h1", "h2", "p", "div", "span", "code"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
        elif tag in {"table", "thead", "tbody", "tr", "td", "th", "h1", "h2", "p", "div", "span", "code"}:
            raise AssertionError(f"</{tag}> closes {self.open[-1:]}")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("case", sorted(p.name.split(".")[0] for p in GOLDEN.glob("*.report.json")))
def test_report_html_shows_every_outcome_and_finding_and_escapes_values(case: str) -> None:
    data = json.loads(_text(GOLDEN / f"{case}.report.json"))
    page = _Page()
    page.feed(render.report_html(data))
    page.close()
    assert not page.open, f"unclosed elements: {page.open}"
    text = "".join(page.text)
    for o in data["outcomes"]:
        assert o["subject"] in text and o["summary"] in text
    for f in data["findings"]:
        assert f["rule"] in text and f["message"] in text  # the value comes back as written
    # Values never become markup: the only tags are the template's.
    assert set(page.tags) <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "b", "table",
                              "thead", "tbody", "tr", "th", "td", "span", "br", "code", "div", "details", "summary",
                              "ol", "li", "a"}


def test_report_html_escapes_markup_in_values() -> None:
    data = json.loads(_text(GOLDEN / "statuses.report.json"))
    data["findings"][0]["message"] = '<script>alert("x")</script> & <b onclick=1>'
    page = render.report_html(data)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b onclick=1&gt;" in page


def test_report_to_html_and_the_cli(tmp_path: Path) -> None:
    from greentrade.cli import main

    engine = Engine()
    engine.load_entry_points()
    example = ROOT / "examples" / "zhejiang-solar-portfolio.json"
    report = engine.validate(example)
    assert report.to_html() == render.report_html(report.to_dict())
    out = tmp_path / "report.html"
    main(["validate", "--format", "html", "--output", str(out), str(example)])
    assert out.read_text("utf-8") == render.report_html(report.to_dict(), source=example.name)
    assert f"<title>greentrade report: {example.name}</title>" in out.read_text("utf-8")
    assert main(["validate", "--format", "html", str(example), str(example)]) == 2  # batches are JSON Lines


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab 漢é-/."), max_size=120), st.integers(1, 40), st.integers(0, 12),
       st.integers(0, 12))
def test_wrapping_fills_lines_as_textwrap_does(text: str, width: int, lead: int, indent: int) -> None:
    """The greedy fill of `_layout.wrap` (for printable text) is textwrap's, line for line."""
    import textwrap

    from greentrade.render import _layout

    width = lead + 20 + width
    expected = textwrap.TextWrapper(width=width, initial_indent=" " * lead, subsequent_indent=" " * indent,
                                    break_long_words=False, break_on_hyphens=False).wrap(text)
    assert _layout._fill(text, width, lead, indent) == expected
    got = _layout.wrap(text, width, indent, lead)
    assert got == ("\n".join(expected or [" " * lead]))[lead:]
