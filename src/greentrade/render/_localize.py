"""The texts of a report's or an assessment's JSON form in another language (greentrade.i18n).

A report/2 carries, beside each rendered text, its message id and arguments (findings:
``message_id``, ``args``, ``needs_id``; outcomes: ``summary_id``, ``summary_args``, assumptions'
``text_id`` and ``args``; rules: their titles and remediation, keyed ``<RULE>.title`` and
``<RULE>.remediation``), so a stored report renders in any shipped language without the engine.
A text without a translation keeps the stored one; a finding whose ``message_id`` is its rule id
with no arguments was not given an id, and keeps its stored text.

An assessment is translated where it is built (`Message` values carry their ids); its JSON
form carries the English texts.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

from greentrade.i18n import DEFAULT, Message, translate, translate_stored

__all__ = ["localize_assessment", "localize_report", "report_lang"]


def report_lang(report: Mapping[str, Any]) -> str:
    """The language of a report's stored texts (report/1 and English reports: ``en``)."""
    lang = report.get("lang")
    return lang if isinstance(lang, str) and lang else DEFAULT


_EMPTY: Mapping[str, Any] = {}


def _text(id: Any, args: Any, lang: str, current: Any) -> Any:
    if not isinstance(id, str) or not id:
        return current
    values = args if isinstance(args, Mapping) else {}
    got = translate(id, values, lang, default=None)
    return current if got is None else got


def localize_report(report: Mapping[str, Any], lang: str, *, in_place: bool = False,
                    only: tuple[Container[int], Container[int]] | None = None) -> Mapping[str, Any]:
    """The report's JSON form with its texts in `lang` (the same dict when they already are);
    `in_place`: the findings' dicts are changed rather than copied (for a form just built);
    `only`: the indices of the findings and of the outcomes a page shows (the text form at its
    verbosity): the messages and summaries of the others keep their stored texts (needs are
    always translated: outcome summaries are made of them)."""
    if lang == report_lang(report):
        return report
    out = dict(report)
    out["lang"] = lang
    findings = []
    wanted, listed = only if only is not None else (None, None)
    for i, f in enumerate(report.get("findings", ())):
        g = f if in_place else dict(f)
        mid = f.get("message_id")
        args = f.get("args") or _EMPTY
        needs_id = f.get("needs_id") if "needs" in f else None
        if wanted is not None and i not in wanted:
            mid = None  # not shown: its message is not translated
        if mid and (args or mid != f.get("rule")):
            got = translate_stored(mid, args, lang, f.get("message") or "")
            if got is not None:
                g["message"] = got
        if needs_id:
            got = translate_stored(needs_id, args, lang, f.get("needs") or "")
            if got is not None:
                g["needs"] = got
        if "remediation" in f:  # report/1, or a report/2 expanded (render.expand_report)
            g["remediation"] = _text(f"{f['rule']}.remediation", {}, lang, f["remediation"])
        findings.append(g)
    out["findings"] = findings
    outcomes = []
    by_subject: dict[tuple[Any, Any], list[dict[str, Any]]] | None = None  # made when a summary needs it
    for i, o in enumerate(report.get("outcomes", ())):
        p = dict(o)
        if o.get("summary_id") and (listed is None or i in listed):
            args = None
            if o["summary_id"] in _COMPOSITE:
                if by_subject is None:
                    by_subject = {}
                    for g in findings:
                        by_subject.setdefault((g.get("shipment"), g.get("program")), []).append(g)
                args = _composite(o, by_subject.get((o.get("subject"), o.get("program")), []))
            args = args or o.get("summary_args")
            p["summary"] = _text(o["summary_id"], args, lang, o.get("summary"))
        outcomes.append(p)
    out["outcomes"] = outcomes
    rules = []
    for r in report.get("rules", ()):
        s = dict(r)
        s["title"] = _text(f"{r['id']}.title", {}, lang, r.get("title"))
        if r.get("remediation"):
            s["remediation"] = _text(f"{r['id']}.remediation", {}, lang, r["remediation"])
        rules.append(s)
    out["rules"] = rules
    return out


#: The summaries the engine joins from its findings' texts (`_composite`).
_COMPOSITE = frozenset({"outcome.not-applicable", "outcome.needs", "outcome.assumed"})


def _composite(outcome: Mapping[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any] | None:
    # `findings`: those of the outcome's shipment and program
    """The arguments of a summary the engine joined from its findings' texts (the reasons a
    program does not apply, what an undetermined outcome needs), joined again from the findings
    in the new language; None for any other summary, or when the findings do not tell."""
    sid = outcome["summary_id"]
    if sid not in _COMPOSITE:
        return None
    reasons = set(outcome.get("reasons", ()))
    mine = [f for f in findings if f.get("rule") in reasons]
    if sid == "outcome.not-applicable":
        texts = [f["message"] for f in mine if f.get("effect") == "not_applicable"]
        if not texts:
            return None
        shown = "; ".join(texts[:10]) + (f"; ... +{len(texts) - 10}" if len(texts) > 10 else "")
        return {"reasons": shown}
    wanted = "undetermined" if sid == "outcome.needs" else "note"
    needs = sorted({f.get("needs") or f["rule"] for f in mine if f.get("effect") == wanted})
    return {"needs": "; ".join(needs)} if needs else None


def localize_assessment(value: Any, lang: str) -> Any:
    """The assessment's JSON form (or any part of it) with each `Message` in `lang`."""
    if lang == DEFAULT:
        return value
    return _walk(value, lang)


#: Values `_walk` passes as they are without a call (most of an assessment's leaves).
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _walk(value: Any, lang: str) -> Any:
    kind = type(value)
    if kind is dict:
        return {k: v if type(v) in _LEAVES else _walk(v, lang) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _LEAVES else _walk(v, lang) for v in value]
    if isinstance(value, Message):
        return value.translated(lang)
    if isinstance(value, dict):
        return {k: _walk(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, lang) for v in value]
    return value
