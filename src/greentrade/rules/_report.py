"""The report: a public contract (`schemas/report.schema.json`), in JSON and as text."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from greentrade import render
from greentrade.i18n import Message, arg_data
from greentrade.rules._rules import Args, Basis, Citation, Effect, Finding, Severity, Status, args_tuple

__all__ = ["REPORT_FORMAT", "REPORT_FORMATS", "Assumption", "Outcome", "PluginInfo", "Report", "RuleInfo"]

#: The report contract this version writes (docs/report.md has a migration note per version).
REPORT_FORMAT = "greentrade.report/2"
#: Every published report contract; `greentrade schema report --format-version N` prints each.
REPORT_FORMATS = ("greentrade.report/1", "greentrade.report/2")


@attrs.frozen
class PluginInfo:
    name: str
    version: str
    rules: int = 0
    #: False for a plugin that is installed but left out by the host's ``[greentrade] plugins``
    #: list: its programs were not judged (the report says so instead of staying silent).
    enabled: bool = True


@attrs.frozen
class RuleInfo:
    """A loaded rule as the report describes it: what its verdicts rest on."""

    id: str
    title: str
    plugin: str
    basis: str
    program: str | None = None
    #: The basis the rule declares; differs from `basis` when the host made it binding.
    declared_basis: str | None = None
    #: The rule's source (report/2: once here, not on every finding).
    citation: Citation | None = None
    #: What to do about the rule's findings (report/2: once here, not on every finding).
    remediation: str | None = None


@attrs.frozen
class Assumption:
    """A premise an outcome rests on: an ``inferred`` or ``practice`` reading that decided it."""

    rule: str
    basis: Basis
    text: str
    text_id: str
    args: Args = attrs.field(default=(), converter=args_tuple)
    #: What would decide it instead (configuration key or data).
    needs: str | None = None


@attrs.frozen
class Outcome:
    """A program's status for one shipment."""

    program: str
    subject: str
    status: Status
    as_of: dt.date
    summary: str
    reasons: tuple[str, ...] = ()
    #: report/2: the summary's template id and arguments (see docs/report.md).
    summary_id: str = "outcome.summary"
    summary_args: Args = attrs.field(default=(), converter=args_tuple)
    #: The inferred or practice premises an eligible or not_applicable status rests on.
    assumptions: tuple[Assumption, ...] = ()


_NUM = re.compile(r"([0-9]+)")


def _natural(pointer: str) -> tuple[Any, ...]:
    # Odd parts of the split are the ASCII digit runs ('²'.isdigit() is true, int('²') fails).
    return tuple(int(p) if i % 2 else p for i, p in enumerate(_NUM.split(pointer)))


def finding_key(f: Finding) -> tuple[Any, ...]:
    return (f.shipment or "", f.program or "", _natural(f.pointer), f.rule, f.message, f.subject or "")


def _citation(c: Citation) -> dict[str, Any]:
    # Written out, not generated: the published form puts `date` before `reference`, and cattrs'
    # generated functions write the keys without a default before the optional ones.
    d: dict[str, Any] = {"authority": c.authority, "title": c.title}
    if c.date is not None:
        d["date"] = c.date.isoformat()
    d["reference"] = c.reference
    if c.note:
        d["note"] = c.note
    return d


# -- the JSON form -----------------------------------------------------------------------------
# Written out by hand, one small function per class: the published key order (docs/report.md),
# the optional keys left out when empty, and report/2's rule-id defaults are easier to read here
# than as cattrs overrides, and these functions run for every finding of every report.


def _args(args: Args) -> dict[str, Any]:
    # A message or a join among the arguments is written as data (`i18n.arg_data`), so a stored
    # report renders it in another language; plain values as they are.
    out = dict(args)
    for k, v in args:
        if isinstance(v, Message):
            out[k] = arg_data(v)
    return out


def _plugin(p: PluginInfo) -> dict[str, Any]:
    if p.enabled:
        return {"name": p.name, "version": p.version}
    return {"name": p.name, "version": p.version, "enabled": False}


def _rule(r: RuleInfo, source: int | None) -> dict[str, Any]:
    d: dict[str, Any] = {"id": r.id, "title": r.title, "plugin": r.plugin, "basis": r.basis}
    if r.program:
        d["program"] = r.program
    if r.declared_basis and r.declared_basis != r.basis:
        d["declared_basis"] = r.declared_basis
    if source is not None:
        d["source"] = source
        if r.remediation:
            d["remediation"] = r.remediation
    return d


def _stating(o: Outcome, a: Assumption) -> tuple[str, str, str, str]:
    """The key of the finding that states assumption `a` of outcome `o` (`Report` keeps one)."""
    return (o.subject, o.program, a.rule, a.text)


def _outcome(o: Outcome, where: Mapping[tuple[str, str, str, str], int]) -> dict[str, Any]:
    # An assumption refers to the finding that states it (text, arguments, needs), by index.
    return {
        "program": o.program, "subject": o.subject, "status": str(o.status), "as_of": o.as_of.isoformat(),
        "summary": o.summary, "summary_id": o.summary_id, "summary_args": _args(o.summary_args),
        "reasons": list(o.reasons),
        "assumptions": [{"rule": a.rule, "basis": str(a.basis), "finding": where[_stating(o, a)]}
                        for a in o.assumptions],
    }


def _finding(f: Finding) -> dict[str, Any]:
    d: dict[str, Any] = {
        "rule": f.rule, "severity": str(f.severity), "effect": str(f.effect), "message": f.message,
        "message_id": f.message_id or f.rule, "args": _args(f.args), "pointer": f.pointer,
        "basis": str(f.basis),
    }
    if f.subject:
        d["subject"] = f.subject
    if f.program:
        d["program"] = f.program
    if f.shipment:
        d["shipment"] = f.shipment
    if f.needs:
        d["needs"] = f.needs
        if f.needs_id:
            d["needs_id"] = f.needs_id
    return d


#: The citation of a rule that names none (a finding built outside the engine's rules).
_NO_CITATION = Citation(authority="greentrade", title="greentrade documentation",
                        reference="greentrade documentation, docs/report.md")


def _report(r: Report) -> dict[str, Any]:
    # The rules the report speaks of (a finding, an outcome's reason or assumption names them)
    # carry their source, as an index into `sources` (each distinct citation once, in order of
    # first use), and their remediation; the other loaded rules are listed by id, title and basis.
    used = {f.rule for f in r.findings}
    for o in r.outcomes:
        used.update(o.reasons)
        used.update(a.rule for a in o.assumptions)
    sources: list[dict[str, Any]] = []
    index: dict[Citation, int] = {}
    rules = []
    for x in r.rules:
        source = None
        if x.id in used:
            c = x.citation if x.citation is not None else _NO_CITATION
            source = index.get(c)
            if source is None:
                source = index[c] = len(sources)
                sources.append(_citation(c))
        rules.append(_rule(x, source))
    where: dict[tuple[str, str, str, str], int] = {}
    if any(o.assumptions for o in r.outcomes):
        for i, f in enumerate(r.findings):
            where.setdefault((f.shipment, f.program, f.rule, f.message), i)  # type: ignore[arg-type]
    return {
        "report_format": REPORT_FORMAT,
        "greentrade_version": r.greentrade_version,
        "lang": r.lang,
        "plugins": [_plugin(p) for p in r.plugins],
        "as_of": r.as_of.isoformat() if r.as_of else None,
        "input_sha256": r.input_sha256,
        "evaluated": r.evaluated,
        "counts": r.counts,
        "outcomes": [_outcome(o, where) for o in r.outcomes],
        "findings": [_finding(f) for f in r.findings],
        "rules": rules,
        "sources": sources,
    }


def _referenced(rules: Iterable[RuleInfo], findings: Iterable[Finding],
                known: Mapping[str, RuleInfo]) -> tuple[RuleInfo, ...]:
    """`rules`, plus an entry for every rule a finding names that is not among them (engine
    rules, a rule of a refused contribution): report/2 looks citations up by rule id."""
    out = {r.id: r for r in rules}
    for f in findings:
        if f.rule not in out:
            k = known.get(f.rule)
            out[f.rule] = k if k is not None else RuleInfo(
                id=f.rule, title=f.rule, plugin="greentrade", basis=str(f.basis),
                citation=f.citation, remediation=f.remediation)
    return tuple(sorted(out.values(), key=lambda r: r.id))


def _published(r: Report) -> dict[str, Any]:
    """The JSON form with its texts in the report's language (`render.localize_report` of the
    English form: the message ids and arguments stay, the texts are translated)."""
    d = _report(r)
    if r.lang == "en":
        return d
    d["lang"] = "en"
    return dict(render.localize_report(d, r.lang, in_place=True))


def _stated(outcomes: Iterable[Outcome], findings: Iterable[Finding]) -> list[Finding]:
    """A finding for each assumption of `outcomes` that no finding of `findings` states (the
    engine writes one for each; a report put together by hand may not have)."""
    have = {(f.shipment, f.program, f.rule, f.message) for f in findings}
    out = []
    for o in outcomes:
        for a in o.assumptions:
            key = _stating(o, a)
            if key not in have:
                have.add(key)
                out.append(Finding(rule=a.rule, severity=Severity.INFO, effect=Effect.NOTE, message=a.text, pointer="",
                                   basis=a.basis, shipment=o.subject, program=o.program, message_id=a.text_id,
                                   args=a.args, needs=a.needs, assumption=True))
    return out


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@attrs.frozen
class Report:
    greentrade_version: str
    plugins: tuple[PluginInfo, ...]
    as_of: dt.date | None
    input_sha256: str
    evaluated: bool
    outcomes: tuple[Outcome, ...]
    findings: tuple[Finding, ...]
    rules: tuple[RuleInfo, ...] = ()
    #: The language of the rendered texts (BCP 47); report/2.
    lang: str = "en"

    def __attrs_post_init__(self) -> None:
        # Every assumption of an outcome is stated by a finding (report/2 refers to it by index).
        missing = _stated(self.outcomes, self.findings)
        if missing:
            object.__setattr__(self, "findings", (*self.findings, *missing))

    @classmethod
    def build(
        cls,
        *,
        version: str,
        plugins: Iterable[PluginInfo],
        as_of: dt.date | None,
        sha256: str,
        evaluated: bool,
        outcomes: Iterable[Outcome],
        findings: Iterable[Finding],
        rules: Iterable[RuleInfo] = (),
        known_rules: Mapping[str, RuleInfo] | None = None,
        lang: str = "en",
    ) -> Report:
        """The report, sorted as published; every rule a finding names is in `rules` (from
        `known_rules` when it is not among `rules`, else described from the finding)."""
        outcomes = tuple(outcomes)
        found = set(findings)
        found.update(_stated(outcomes, found))
        findings = tuple(sorted(found, key=finding_key))
        return cls(
            greentrade_version=version,
            plugins=tuple(sorted(plugins, key=lambda p: p.name)),
            as_of=as_of,
            input_sha256=sha256,
            evaluated=evaluated,
            outcomes=tuple(sorted(outcomes, key=lambda o: (o.subject, o.program))),
            findings=findings,
            rules=_referenced(rules, findings, known_rules or {}),
            lang=lang,
        )

    # -- queries -------------------------------------------------------------------------
    @property
    def counts(self) -> dict[str, int]:
        counts = {str(s): 0 for s in Severity}
        for f in self.findings:
            counts[str(f.severity)] += 1
        return counts

    @property
    def ok(self) -> bool:
        """True when there is no error finding (the CLI's exit status 0)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def status(self, program: str, shipment: str) -> Status | None:
        for o in self.outcomes:
            if o.program == program and o.subject == shipment:
                return o.status
        return None

    def findings_for(self, *, rule: str | None = None, shipment: str | None = None) -> list[Finding]:
        return [
            f for f in self.findings
            if (rule is None or f.rule == rule) and (shipment is None or f.shipment == shipment)
        ]

    # -- forms -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON form as Python data (`schemas/report.schema.json`, report/2)."""
        return _published(self)

    def to_json(self, indent: int | None = None) -> str:
        """The JSON form; byte for byte the same for the same input, date, plugins and indent.

        Compact by default (the fast C encoder); ``indent=2`` for people (the CLI uses it).
        """
        if indent is None:
            return _ENCODE(_published(self)) + "\n"
        return json.dumps(_published(self), indent=indent, ensure_ascii=False) + "\n"

    def to_text(self, lang: str | None = None) -> str:
        """A readable form for people (`greentrade.render.report_text` of `to_dict()`), in `lang`
        (a BCP 47 tag of a shipped language, `greentrade.i18n.SHIPPED`; default: the report's)."""
        return render.report_text(self.to_dict(), lang)

    def to_html(self, lang: str | None = None) -> str:
        """A self-contained HTML page (`greentrade.render.report_html` of `to_dict()`), in `lang`."""
        return render.report_html(self.to_dict(), lang)
