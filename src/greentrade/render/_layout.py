"""What the templates cannot say briefly: wrapping, colour, the outcome summary, numbered
sources, a matrix that fits the width, Markdown code spans in HTML.

Every text here is data of the report (ids, values, statuses): the page texts stay in the
templates, where `_` marks them for translation.
"""

from __future__ import annotations

import functools
import html
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from greentrade._files import escape_controls

__all__ = ["Shown", "Sources", "cells_summary", "code_spans", "matrix_lines", "outcome_summary", "paint", "wrap"]

#: Status order of the summaries: what needs action first.
STATUS_ORDER = ("not_eligible", "undetermined", "eligible", "not_applicable")
_ANSI = {
    "error": "1;31", "not_eligible": "1;31", "gaps": "31", "warning": "33", "expiring": "33", "mixed": "33",
    "undetermined": "35", "eligible": "32", "ready": "32", "info": "2", "not_applicable": "2",
    "no-shipment": "2", "no-requirements-known": "2", "optional-gaps": "36", "heading": "1",
}


class Styled(str):
    """Text already escaped for the terminal (and perhaps coloured): written as it is."""


def _escaped(value: Any) -> str:
    return value if isinstance(value, Styled) else escape_controls(str(value), keep_newlines=False)


def paint(value: Any, style: str, on: bool) -> Styled:
    """`value` escaped, in the ANSI colour of `style` when `on` (a status, severity or "heading")."""
    text = _escaped(value)
    code = _ANSI.get(style)
    return Styled(f"\x1b[{code}m{text}\x1b[0m" if on and code and text.strip() else text)


def wrap(value: Any, width: int, indent: int, first: int | None = None) -> Styled:
    """`value` escaped and wrapped at `width` columns, for a template that has placed the first
    line at column `first` (default: `indent`); the next lines are indented by `indent` spaces.
    Ids and pointers are never broken (no breaks inside words or at hyphens)."""
    text = _escaped(value)
    lead = indent if first is None else first
    short = text.rstrip(" ")
    if short.strip(" ") and lead + len(short) <= max(lead + 20, width) and text.isprintable():
        return Styled(short)  # fits on its line: what textwrap would return, without its cost
    return _wrapped(text, max(lead + 20, width), lead, indent)


@functools.lru_cache(maxsize=2048)
def _wrapped(text: str, width: int, lead: int, indent: int) -> Styled:
    """`wrap` of an escaped text that does not fit on its line; kept, as a remediation or title
    repeated by a thousand findings is wrapped once."""
    if text.isprintable():  # only spaces: the greedy fill textwrap does, without its generality
        lines = _fill(text, width, lead, indent)
    else:  # a tab or another whitespace control: textwrap's own handling
        lines = textwrap.TextWrapper(width=width, initial_indent=" " * lead, subsequent_indent=" " * indent,
                                     break_long_words=False, break_on_hyphens=False).wrap(text)
    lines = lines or [" " * lead]
    lines[0] = lines[0][lead:]
    return Styled("\n".join(lines))


_SPACES = re.compile(r"( +)")


def _fill(text: str, width: int, lead: int, indent: int) -> list[str]:
    """`textwrap.TextWrapper(width, initial_indent=" " * lead, subsequent_indent=" " * indent,
    break_long_words=False, break_on_hyphens=False).wrap(text)` for a printable text (whose only
    whitespace is the space): words and runs of spaces filled greedily; a run of spaces that
    starts a line after the first or ends a line is dropped; a word longer than the line gets
    a line of its own."""
    chunks = [c for c in _SPACES.split(text) if c]
    lines: list[str] = []
    i, n = 0, len(chunks)
    while i < n:
        pad = indent if lines else lead
        room = width - pad
        if lines and chunks[i][0] == " ":
            i += 1
        line: list[str] = []
        used = 0
        while i < n and used + len(chunks[i]) <= room:
            used += len(chunks[i])
            line.append(chunks[i])
            i += 1
        if not line and i < n:  # a word longer than the line
            line.append(chunks[i])
            i += 1
        if line and line[-1][0] == " ":
            line.pop()
        if line:
            lines.append(" " * pad + "".join(line))
    return lines


def outcome_summary(outcomes: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``{"total": [(status, n)...], "programs": [(program, [(status, n)...])...]}`` in STATUS_ORDER."""
    def ordered(c: Counter[str]) -> list[tuple[str, int]]:
        known = [(s, c[s]) for s in STATUS_ORDER if c[s]]
        return known + sorted((s, n) for s, n in c.items() if s not in STATUS_ORDER)

    total: Counter[str] = Counter(o["status"] for o in outcomes)
    per: dict[str, Counter[str]] = {}
    for o in outcomes:
        per.setdefault(o["program"], Counter())[o["status"]] += 1
    return {"total": ordered(total), "programs": [(p, ordered(c)) for p, c in sorted(per.items())]}


class Sources:
    """Each citation once, numbered in the order the shown findings first cite it."""

    def __init__(self, findings: Iterable[Mapping[str, Any]], text: Callable[[Mapping[str, Any]], str]) -> None:
        self._numbers: dict[str, int] = {}
        self._text = text
        self.items: list[tuple[int, str]] = []
        for f in findings:
            self.number(f)

    def number(self, finding: Mapping[str, Any]) -> int | None:
        citation = finding.get("citation")
        if not citation:
            return None
        key = self._text(citation)
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
            self.items.append((self._numbers[key], key))
        return self._numbers[key]


class Shown:
    """The findings of a report by severity, and which the text shows at a verbosity
    (-1: errors; 0: errors and warnings; 1: all)."""

    def __init__(self, findings: Sequence[Mapping[str, Any]], verbosity: int) -> None:
        self.by = {s: [f for f in findings if f["severity"] == s] for s in ("error", "warning", "info")}
        self.levels = ["error"] + (["warning"] if verbosity >= 0 else []) + (["info"] if verbosity >= 1 else [])
        self.hidden = [(s, len(self.by[s])) for s in ("warning", "info") if s not in self.levels and self.by[s]]
        self.findings = [f for s in self.levels for f in self.by[s]]


def cells_summary(a: Mapping[str, Any]) -> list[tuple[str, int]]:
    """The assessment's cell counts per status, in the order of its legend, without zeros."""
    return [(s["status"], a["counts"][s["status"]]) for s in a["statuses"] if a["counts"].get(s["status"])]


def matrix_lines(rows: Sequence[Sequence[str]], width: int, padded: Callable[[Sequence[Sequence[str]]], list[str]],
                 size: Callable[[str], int] = len) -> list[str]:
    """The matrix as padded columns when it fits `width`; otherwise one block per row: its first
    cells, then ``column: value`` pairs wrapped at `width` (never a line of hundreds of columns)."""
    lines = padded(rows)
    if max(map(size, lines)) <= width:
        return lines
    head, out = rows[0], []
    for row in rows[1:]:
        out.append("  " + " ".join(c for c in row[:2] if c))
        pairs = "; ".join(f"{h}: {v}" for h, v in zip(head[2:], row[2:], strict=True))
        out.extend(textwrap.wrap(pairs, width=max(20, width), initial_indent="    ", subsequent_indent="      ",
                                 break_long_words=False, break_on_hyphens=False))
    return out


_CODE = re.compile(r"`([^`\n]+)`")


def code_spans(value: Any) -> Any:
    """HTML: a value escaped, its Markdown code spans (`x`) as ``<code>x</code>``."""
    from markupsafe import Markup

    if isinstance(value, Markup):
        return value
    return Markup(_CODE.sub(r"<code>\1</code>", html.escape(str(value))))
