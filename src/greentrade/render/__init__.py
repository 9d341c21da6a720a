"""Text and HTML for reports and assessments, from Jinja2 templates shipped with the package.

Every function here takes the PUBLIC JSON FORM of its subject: the dict of `Report.to_dict()`
(what ``schemas/report.schema.json`` describes) or of `Assessment.to_dict()`
(``schemas/assessment.schema.json``), never the Python objects. So `render` imports no other
layer of greentrade (it sits at the bottom, beside `errors` and `_files`), the objects call it
downward (``Report.to_text()`` is ``render.report_text(self.to_dict())``), and a host can render
a report it stored as JSON, or one a greentrade service sent it, without the engine:

    >>> import json
    >>> from greentrade import render
    >>> text = render.report_text(json.loads(stored_report_json))  # doctest: +SKIP

The templates (``templates/``) hold the layout; the few helpers below hold what a template
cannot say briefly (column widths of a padded table, the deduplicated source list). Escaping:

- ``report.txt``, ``assessment.txt``: every value is written through `escape_controls` with newlines escaped, so a
  value from the input or a plugin cannot move the terminal's cursor or fake a line.
- ``report.html``, ``assessment.html``: autoescaped; values are escaped the way `html.escape` does it (``&quot;``,
  ``&#x27;``), so the page keeps its bytes from before the templates.

Jinja2 is imported when a function is first called, not by ``import greentrade``; each kind of
environment is built once per process (`functools.cache`) and holds no user state.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from greentrade._files import escape_controls
from greentrade.i18n import DEFAULT, RTL, catalog, format_date, format_number, isolating, resolve, translate
from greentrade.render import _layout
from greentrade.render._localize import localize_assessment, localize_report, report_lang

if TYPE_CHECKING:
    import jinja2

__all__ = [
    "assessment_html", "assessment_text", "citation_text", "expand_report", "localize_assessment", "localize_report",
    "report_html",
    "report_text",
]


def expand_report(report: Mapping[str, Any]) -> dict[str, Any]:
    """A report's JSON form with each finding's ``citation`` and ``remediation`` copied in from
    its rule (the citation from ``sources``), as report/1 wrote them: the documented way, for
    one release, for readers of report/1 to read a report/2 (docs/report.md, "Migrating from
    report/1"). A report/1 dict is returned as it is (a shallow copy)."""
    out = dict(report)
    if report.get("report_format") == "greentrade.report/1":
        return out
    rules = {r["id"]: r for r in report.get("rules", ())}
    sources = report.get("sources", ())
    findings = []
    for f in report.get("findings", ()):
        rule = rules.get(f.get("rule"), {})
        g = dict(f)
        if rule.get("remediation") and "remediation" not in g:
            g["remediation"] = rule["remediation"]
        if "source" in rule and "citation" not in g:
            g["citation"] = sources[rule["source"]]
        findings.append(g)
    out["findings"] = findings
    out["outcomes"] = [_stated(o, findings) for o in report.get("outcomes", ())]
    return out


def _stated(outcome: Mapping[str, Any], findings: list[dict[str, Any]]) -> Mapping[str, Any]:
    """The outcome with each assumption's ``text`` (and ``needs``) copied in from the finding
    it refers to (report/2 ``"finding": index``)."""
    if not outcome.get("assumptions"):
        return outcome
    listed = []
    for a in outcome["assumptions"]:
        i = a.get("finding")
        if isinstance(i, int) and 0 <= i < len(findings) and "text" not in a:
            f = findings[i]
            a = {**a, "text": f.get("message", "")}
            if f.get("needs"):
                a["needs"] = f["needs"]
        listed.append(a)
    return {**outcome, "assumptions": listed}


def report_text(report: Mapping[str, Any], lang: str | None = None, *, verbosity: int = 0, width: int = 100,
                color: bool = False) -> str:
    """The text form of a report (the dict of `Report.to_dict()`), for people at a terminal, in
    `lang` (default: the language the report was written in, its ``lang``): the date, the outcome
    summary per program and status, then errors and warnings (`verbosity` -1: errors only; 1: info
    findings too, otherwise counted), each source once in a numbered list at the end. Lines wrap
    at `width` columns; `color` adds ANSI colours. Takes report/2 and, for one release, report/1."""
    lang = _lang(lang, report)
    # below verbosity 1, what the page hides is not translated
    only = _shown(report, verbosity) if verbosity < 1 and lang != report_lang(report) else None
    return _render("report.txt", "terminal", lang, report=expand_report(localize_report(report, lang, only=only)),
                   verbosity=verbosity, width=width, color=color)


def _shown(report: Mapping[str, Any], verbosity: int) -> tuple[set[int], set[int]]:
    """The indices of the findings and outcomes the text form shows at `verbosity` below 1 (as
    report.txt and `_layout.Shown` choose them): findings of the shown severities and those the
    listed outcomes' assumptions refer to; outcomes that are not not_applicable."""
    levels = ("error", "warning") if verbosity >= 0 else ("error",)
    findings = {i for i, f in enumerate(report.get("findings", ())) if f.get("severity") in levels}
    outcomes = set()
    for i, o in enumerate(report.get("outcomes", ())):
        if o.get("status") != "not_applicable":
            outcomes.add(i)
            findings.update(a["finding"] for a in o.get("assumptions") or () if isinstance(a.get("finding"), int))
    return findings, outcomes


def assessment_text(assessment: Mapping[str, Any], lang: str | None = None, *, width: int = 100,
                    color: bool = False) -> str:
    """The text form of an assessment (the dict of `Assessment.to_dict()`), in `lang`; lines fit
    `width` columns (the matrix becomes a block per product when it would not)."""
    lang = _lang(lang, None)
    return _render("assessment.txt", "terminal", lang, a=localize_assessment(assessment, lang), width=width,
                   color=color)


def report_html(report: Mapping[str, Any], lang: str | None = None, *, source: str | None = None) -> str:
    """A self-contained HTML page of a report (the dict of `Report.to_dict()`), for a browser or
    an e-mail; values are autoescaped. In `lang` (default: the report's ``lang``). `source` names
    the input (its file name) in the page's title."""
    lang = _lang(lang, report)
    with _isolating("html", lang):
        return _render("report.html", "html", lang, report=expand_report(localize_report(report, lang)),
                       source=source)


def assessment_html(assessment: Mapping[str, Any], lang: str | None = None, *, source: str | None = None) -> str:
    """A self-contained HTML page of an assessment (the dict of `Assessment.to_dict()`), in `lang`."""
    lang = _lang(lang, None)
    with _isolating("html", lang):
        return _render("assessment.html", "html", lang, a=localize_assessment(assessment, lang), source=source)


def citation_text(citation: Mapping[str, Any]) -> str:
    """A citation in one line: ``authority: title, date (reference)`` (as `Citation.__str__`)."""
    when = f", {citation['date']}" if citation.get("date") else ""
    return f"{citation['authority']}: {citation['title']}{when} ({citation['reference']})"


def _lang(lang: str | None, report: Mapping[str, Any] | None) -> str:
    """A shipped language: `lang` resolved (English for one not shipped), else the report's."""
    if lang is None:
        return report_lang(report) if report is not None else DEFAULT
    return resolve(lang)[0]


# -- helpers the templates use ---------------------------------------------------------------------
def _plugin_list(plugins: Sequence[Mapping[str, Any]], none: str = "none") -> str:
    return ", ".join(f"{p['name']} {p['version']}" for p in plugins if p.get("enabled", True)) or none


def _not_enabled(plugins: Sequence[Mapping[str, Any]]) -> str:
    """The plugins that are installed but not enabled, as a list ("" when none)."""
    return ", ".join(f"{p['name']} {p['version']}" for p in plugins if p.get("enabled", True) is False)


#: East Asian wide and full-width characters (Unicode's W and F classes, the common blocks):
#: two columns each on a terminal.
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")


def _width(text: str) -> int:
    """Columns a text takes on a terminal: wide and full-width characters (CJK) take two."""
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


def _ljust(text: Any, width: int, wide: bool) -> str:
    s = str(text)
    return s + " " * (width - _width(s)) if wide else s.ljust(width)


def _padded(rows: Sequence[Sequence[str]], wide: bool = False) -> list[str]:
    """Rows as lines of left-aligned columns, two spaces apart, indented by two (`wide`: CJK
    characters count two columns, for the languages other than English)."""
    size = _width if wide else len
    widths = [max(size(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(_ljust(c, w, wide) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _matrix_rows(a: Mapping[str, Any], status: Callable[[str], str] = str,
                 head: tuple[str, str] = ("product", "category")) -> list[list[str]]:
    """The readiness matrix: a header, then per product its market statuses and, per program, its
    status over the shipments carrying it (``mixed`` when they differ; the details follow)."""
    rows = [[*head, *(m["id"] for m in a["markets"]), *(p["id"] for p in a["programs"])]]
    for row in a["products"]:
        programs = [status(p["status"]) if p["shipments"] else status("no-shipment") for p in row["programs"]]
        rows.append([f"{row['product']} {row['model']}", row["category"],
                     *(status(c["status"]) for c in row["cells"]), *programs])
    return rows


def _shipment_outcomes(a: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """Each shipment's program status once: (shipment, program, destination, date, status, summary)."""
    return sorted({(s["shipment"], pc["program"], s["destination"], s["ship_date"], s["status"], s["summary"])
                   for row in a["products"] for pc in row["programs"] for s in pc["shipments"]})


def _sources(a: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """Each requirement's source once: (requirement, profile, standing, title, citation)."""
    return sorted({(r["requirement"], r["profile"], r["standing"], r["title"], citation_text(r["citation"]))
                   for row in a["products"] for c in row["cells"] for r in c["requirements"]})


def _html_value(value: Any) -> Any:
    from markupsafe import Markup

    # Markup (a macro's output) is already HTML; anything else is escaped as html.escape does.
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


def _terminal_value(value: Any) -> str:
    if isinstance(value, _layout.Styled):
        return value  # escaped (and coloured) by a filter of _layout
    return escape_controls(str(value), keep_newlines=False)


_FINALIZE: dict[str, Callable[[Any], Any] | None] = {
    "terminal": _terminal_value, "html": _html_value,
}


class _Texts:
    """The page texts and status words of one language, for the templates (`_`, ``status``)."""

    def __init__(self, kind: str, lang: str) -> None:
        self.kind, self.lang = kind, lang
        self.catalog = catalog(lang)
        self._words: dict[str, str] = {}

    def gettext(self, english: str, **values: Any) -> Any:
        text = self.catalog.text(english)
        return self._fill(text, values)

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> Any:
        text = (singular if n == 1 else plural) if self.lang == DEFAULT else self.catalog.text(singular, n)
        return self._fill(text, {"num": n, **values})

    def _fill(self, text: str, values: Mapping[str, Any]) -> Any:
        if self.kind == "html":
            from markupsafe import Markup

            # A page text is trusted text of the core's catalog, written into the page as it is
            # (a test holds the catalogs free of markup); the values are escaped.
            if self.lang in RTL:  # values keep their left-to-right order (ids, dates, numbers)
                values = {k: v if isinstance(v, Markup) else f"\u2066{v}\u2069" for k, v in values.items()}
            return Markup(text % {k: _html_value(v) for k, v in values.items()} if values else text)
        return text % values if values else text

    def status(self, word: Any) -> str:
        """A status, severity or basis word in this language (as written in English)."""
        text = str(word)
        if self.lang == DEFAULT:
            return text
        got = self._words.get(text)
        if got is None:
            got = self._words[text] = translate(f"status.{text}", {}, self.lang, default=text) or text
        return got

    def date(self, value: Any) -> str:
        return format_date(value, self.lang)

    def number(self, value: Any) -> str:
        return format_number(value, self.lang)


@functools.cache
def _environment(kind: str, lang: str) -> jinja2.Environment:
    import jinja2

    from greentrade.render._cache import TemplateCache, default_folder

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("greentrade.render", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        finalize=_FINALIZE[kind],
        undefined=jinja2.StrictUndefined,  # a misspelt field fails the render instead of vanishing
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
        # compiled once, kept in templates/__pycache__ like Python's bytecode (_cache.py)
        bytecode_cache=TemplateCache(default_folder(Path(__file__).parent / "templates")),
    )
    texts = _Texts(kind, lang)
    # The i18n extension's `_`, `gettext` and `ngettext`: page texts are written
    # ``_("Findings: %(errors)s error(s)", errors=...)``; values are escaped as the page's others.
    env.install_gettext_callables(texts.gettext, texts.ngettext, newstyle=False)  # type: ignore[attr-defined]
    wide = lang != DEFAULT
    env.filters.update(ljust=lambda s, width: _ljust(s, width, wide), plugin_list=_plugin_list,
                       not_enabled=_not_enabled,
                       citation=citation_text, padded=lambda rows: _padded(rows, wide), status=texts.status,
                       date=texts.date, number=texts.number, plain=lambda v: f"{v}")
    env.filters.update(wrap=_layout.wrap, paint=_layout.paint, code=_layout.code_spans)
    env.globals.update(matrix_rows=_matrix_rows, shipment_outcomes=_shipment_outcomes, sources=_sources,
                       lang=lang, rtl=lang in RTL, status=texts.status, summary=_layout.outcome_summary,
                       numbered_sources=lambda findings: _layout.Sources(findings, citation_text),
                       shown=_layout.Shown, cells_summary=_layout.cells_summary,
                       matrix_lines=lambda rows, width: _layout.matrix_lines(
                           rows, width, lambda r: _padded(r, wide), _width if wide else len))
    return env


def _render(template: str, kind: str, lang: str, **context: Any) -> str:
    return _environment(kind, lang).get_template(template).render(**context)


def _isolating(kind: str, lang: str) -> Any:
    """Left-to-right isolates around the values of messages in the HTML of a right-to-left language."""
    return isolating(kind == "html" and lang in RTL)
