"""The report: a public contract (`schemas/report.schema.json`), in JSON and as text."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import Any

import attrs

from greentrade import render
from greentrade.rules._rules import Citation, Finding, Severity, Status

__all__ = ["Outcome", "PluginInfo", "Report", "RuleInfo"]

REPORT_FORMAT = "greentrade.report/1"


@attrs.frozen
class PluginInfo:
    name: str
    version: str
    rules: int = 0


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


@attrs.frozen
class Outcome:
    """A program's status for one shipment."""

    program: str
    subject: str
    status: Status
    as_of: dt.date
    summary: str
    reasons: tuple[str, ...] = ()


_NUM = re.compile(r"([0-9]+)")


def _natural(pointer: str) -> tuple[Any, ...]:
    # Odd parts of the split are the ASCII digit runs ('²'.isdigit() is true, int('²') fails).
    return tuple(int(p) if i % 2 else p for i, p in enumerate(_NUM.split(pointer)))


def finding_key(f: Finding) -> tuple[Any, ...]:
    return (f.shipment or "", f.program or "", _natural(f.pointer), f.rule, f.message, f.subject or "")


def _citation(c: Citation) -> dict[str, Any]:
    d: dict[str, Any] = {"authority": c.authority, "title": c.title}
    if c.date is not None:
        d["date"] = c.date.isoformat()
    d["reference"] = c.reference
    if c.note:
        d["note"] = c.note
    return d


def _rule(r: RuleInfo) -> dict[str, Any]:
    d: dict[str, Any] = {"id": r.id, "title": r.title, "plugin": r.plugin, "basis": r.basis}
    if r.program:
        d["program"] = r.program
    if r.declared_basis and r.declared_basis != r.basis:
        d["declared_basis"] = r.declared_basis
    return d


def _finding(f: Finding) -> dict[str, Any]:
    d: dict[str, Any] = {
        "rule": f.rule,
        "severity": str(f.severity),
        "effect": str(f.effect),
        "message": f.message,
        "pointer": f.pointer,
        "basis": str(f.basis),
    }
    for key in ("subject", "program", "shipment", "remediation", "needs"):
        value = getattr(f, key)
        if value:
            d[key] = value
    if f.citation is not None:
        d["citation"] = _citation(f.citation)
    return d


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
    ) -> Report:
        return cls(
            greentrade_version=version,
            plugins=tuple(sorted(plugins, key=lambda p: p.name)),
            as_of=as_of,
            input_sha256=sha256,
            evaluated=evaluated,
            outcomes=tuple(sorted(outcomes, key=lambda o: (o.subject, o.program))),
            findings=tuple(sorted(set(findings), key=finding_key)),
            rules=tuple(sorted(rules, key=lambda r: r.id)),
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
        return {
            "report_format": REPORT_FORMAT,
            "greentrade_version": self.greentrade_version,
            "plugins": [{"name": p.name, "version": p.version} for p in self.plugins],
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "input_sha256": self.input_sha256,
            "evaluated": self.evaluated,
            "counts": self.counts,
            "outcomes": [
                {
                    "program": o.program,
                    "subject": o.subject,
                    "status": str(o.status),
                    "as_of": o.as_of.isoformat(),
                    "summary": o.summary,
                    "reasons": list(o.reasons),
                }
                for o in self.outcomes
            ],
            "findings": [_finding(f) for f in self.findings],
            "rules": [_rule(r) for r in self.rules],
        }

    def to_json(self, indent: int | None = None) -> str:
        """The JSON form; byte for byte the same for the same input, date, plugins and indent.

        Compact by default (the fast C encoder); ``indent=2`` for people (the CLI uses it).
        """
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """A readable form for people (`greentrade.render.report_text` of `to_dict()`)."""
        return render.report_text(self.to_dict())
