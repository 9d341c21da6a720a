"""docs/buyer-profiles.md lists the first-party profiles exactly as the data says.

Regenerate the listing after changing data/profiles.json:
``.venv/bin/python plugins/buyer-profiles/tests/test_profiles_doc.py --write``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from greentrade import BuyerProfile, Citation, Requirement

import greentrade_buyer_profiles

DOC = Path(__file__).resolve().parents[3] / "docs" / "buyer-profiles.md"
MARK = "### `eu-green-public-procurement`"
NEWS = "News report of an announcement attributed to"


def _source(c: Citation) -> str:
    if c.authority.startswith(NEWS):  # a secondary report: who it attributes the announcement to, and when
        when = f" ({c.date.isoformat()})" if c.date else ""
        return f"news report{when} of an announcement attributed to{c.authority[len(NEWS):]}"
    return f"{c.title} ({c.reference})"


def _applies(r: Requirement) -> str:
    parts = []
    if r.applies_if_spec is not None and r.applies_if_min is not None:
        op = ">" if r.applies_if_exclusive else ">="
        parts.append(f"{r.applies_if_spec} {op} {r.applies_if_min:g} {r.applies_if_unit or ''}".rstrip())
    if r.effective_from_reference:
        floor = f" (not before {r.effective_from})" if r.effective_from else ""
        parts.append(f"from the host's date `{r.effective_from_reference}`{floor}")
    elif r.effective_from:
        parts.append(f"from {r.effective_from}")
    if r.document_states:
        parts.append("document states " + " and ".join(repr(p.split("|")[0]) for p in r.document_states))
    if r.min_validity_days:
        parts.append(f"valid >= {r.min_validity_days} days")
    return "; ".join(parts) or "-"


def _standards(r: Requirement) -> str:
    out = ", ".join(map(str, r.standards))
    if r.issuer_accreditations:
        acc = " or ".join(map(str, r.issuer_accreditations))
        out = f"{out}; issuer accredited to {acc}" if out else f"issuer accredited to {acc}"
    return out or "-"


def _profile(p: BuyerProfile) -> list[str]:
    lines = [f"### `{p.id}` — {p.title}", "",
             f"Region `{p.region}`, buyer type `{p.buyer_type}`, {len(p.countries)} countries: "
             f"{', '.join(p.countries)}.", ""]
    if p.note:
        lines += [p.note, ""]
    if p.pathways:
        ways = "; ".join(f"`{w.program}` ({w.purpose})" for w in p.pathways)
        lines += [f"Pathways: {ways}.", ""]
    lines += ["| requirement | category | document | standards / issuer | level | standing | applies | source |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in p.requirements:
        lines.append(f"| `{r.id}` | {r.category} | {r.document_type} | {_standards(r)} | {r.level} | "
                     f"{r.standing} | {_applies(r)} | {_source(r.citation)} |")
    return [*lines, ""]


def render() -> str:
    out: list[str] = []
    for p in greentrade_buyer_profiles._data.profiles():
        out += _profile(p)
    return "\n".join(out).rstrip("\n") + "\n"


def _current() -> tuple[str, str]:
    text = DOC.read_text("utf-8")
    i = text.index(MARK)
    return text[:i], text[i:]


def test_doc_lists_the_profiles_as_the_data_says() -> None:
    _head, listing = _current()
    assert listing == render(), f"docs/buyer-profiles.md is out of date: run python {__file__} --write"


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    head, _ = _current()
    DOC.write_text(head + render(), encoding="utf-8")
