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
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from greentrade._files import escape_controls

if TYPE_CHECKING:
    import jinja2

__all__ = ["assessment_html", "assessment_text", "citation_text", "report_html", "report_text"]


def report_text(report: Mapping[str, Any], *, verbosity: int = 0, width: int = 100, color: bool = False) -> str:
    """The text form of a report (the dict of `Report.to_dict()`), for people at a terminal:
    the outcome summary, errors, warnings (`verbosity` 1 adds info findings, -1 shows errors
    only), then each source once; lines wrap at `width`; `color` adds ANSI colours."""
    return _render("report.txt", "terminal", report=report, verbosity=verbosity, width=width, color=color)


def assessment_text(assessment: Mapping[str, Any], *, width: int = 100, color: bool = False) -> str:
    """The text form of an assessment (the dict of `Assessment.to_dict()`)."""
    return _render("assessment.txt", "terminal", a=assessment, width=width, color=color)


def report_html(report: Mapping[str, Any], *, source: str | None = None) -> str:
    """A self-contained HTML page of a report (the dict of `Report.to_dict()`), for a browser or
    an e-mail; values are autoescaped. `source` names the input (a file name) in the title."""
    return _render("report.html", "html", report=report, source=source)


def assessment_html(assessment: Mapping[str, Any], *, source: str | None = None) -> str:
    """A self-contained HTML page of an assessment (the dict of `Assessment.to_dict()`)."""
    return _render("assessment.html", "html", a=assessment, source=source)


def citation_text(citation: Mapping[str, Any]) -> str:
    """A citation in one line: ``authority: title, date (reference)`` (as `Citation.__str__`)."""
    when = f", {citation['date']}" if citation.get("date") else ""
    return f"{citation['authority']}: {citation['title']}{when} ({citation['reference']})"


# -- helpers the templates use ---------------------------------------------------------------------
def _plugin_list(plugins: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(f"{p['name']} {p['version']}" for p in plugins) or "none"


def _padded(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as lines of left-aligned columns, two spaces apart, indented by two."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _matrix_rows(a: Mapping[str, Any]) -> list[list[str]]:
    """The readiness matrix: a header, then per product its market statuses and, per program, the
    status of each shipment carrying it."""
    rows = [["product", "category", *(m["id"] for m in a["markets"]), *(p["id"] for p in a["programs"])]]
    for row in a["products"]:
        programs = [", ".join(f"{s['shipment']}:{s['status']}" for s in p["shipments"]) or "no-shipment"
                    for p in row["programs"]]
        rows.append([f"{row['product']} {row['model']}", row["category"], *(c["status"] for c in row["cells"]),
                     *programs])
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
    return escape_controls(str(value), keep_newlines=False)


_FINALIZE: dict[str, Callable[[Any], Any] | None] = {
    "terminal": _terminal_value, "html": _html_value,
}


@functools.cache
def _environment(kind: str) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("greentrade.render", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        finalize=_FINALIZE[kind],
        undefined=jinja2.StrictUndefined,  # a misspelt field fails the render instead of vanishing
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(ljust=lambda s, width: str(s).ljust(width), plugin_list=_plugin_list,
                       citation=citation_text, padded=_padded)
    env.globals.update(matrix_rows=_matrix_rows, shipment_outcomes=_shipment_outcomes, sources=_sources)
    return env


def _render(template: str, kind: str, **context: Any) -> str:
    return _environment(kind).get_template(template).render(**context)
