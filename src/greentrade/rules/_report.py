"""The report: a public contract (`schemas/report.schema.json`), in JSON and as text."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import cattrs
from cattrs.fns import identity
from cattrs.gen import make_dict_unstructure_fn, override

from greentrade import render
from greentrade.rules._rules import Basis, Citation, Effect, Finding, Severity, Status

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
    # Written out, not generated: the published form puts `date` before `reference`, and cattrs'
    # generated functions write the keys without a default before the optional ones.
    d: dict[str, Any] = {"authority": c.authority, "title": c.title}
    if c.date is not None:
        d["date"] = c.date.isoformat()
    d["reference"] = c.reference
    if c.note:
        d["note"] = c.note
    return d


# -- the JSON form through cattrs --------------------------------------------------------------
# cattrs generates each class's function (make_dict_unstructure_fn); the overrides say what the
# published form leaves out. A generated function writes the keys without a default first, then
# the optional ones, each in attribute order: that is the published key order of `Finding`,
# `Outcome`, `PluginInfo` and `RuleInfo`. The report's own keys and `Citation` are written out.

_OPTIONAL_TEXT = override(omit_if_default=True, unstruct_hook=identity)  # str | None, no dispatch


def _without_empty(base: Callable[[Any], dict[str, Any]], *names: str) -> Callable[[Any], dict[str, Any]]:
    """`base`, also leaving out the optional texts in `names` when they are empty."""

    def unstructure(obj: Any) -> dict[str, Any]:
        d = base(obj)
        for name in names:
            if d.get(name) == "":
                del d[name]
        return d

    return unstructure


def _rule_info(base: Callable[[Any], dict[str, Any]]) -> Callable[[RuleInfo], dict[str, Any]]:
    def unstructure(r: RuleInfo) -> dict[str, Any]:
        d = base(r)
        if not r.program:
            d.pop("program", None)
        if not r.declared_basis or r.declared_basis == r.basis:
            d.pop("declared_basis", None)
        return d

    return unstructure


@functools.cache
def _converter() -> cattrs.Converter:
    conv = cattrs.Converter()
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    for enum in (Severity, Effect, Basis, Status):
        conv.register_unstructure_hook(enum, str)  # plain strings, as the schema says
    conv.register_unstructure_hook(Citation, _citation)
    conv.register_unstructure_hook(PluginInfo, make_dict_unstructure_fn(PluginInfo, conv, rules=override(omit=True)))
    conv.register_unstructure_hook(Outcome, make_dict_unstructure_fn(Outcome, conv))
    finding = make_dict_unstructure_fn(
        Finding, conv, subject=_OPTIONAL_TEXT, program=_OPTIONAL_TEXT, shipment=_OPTIONAL_TEXT,
        remediation=_OPTIONAL_TEXT, needs=_OPTIONAL_TEXT,
        citation=override(omit_if_default=True, unstruct_hook=_citation),
    )
    texts = ("subject", "program", "shipment", "remediation", "needs")
    conv.register_unstructure_hook(Finding, _without_empty(finding, *texts))
    conv.register_unstructure_hook(
        RuleInfo, _rule_info(make_dict_unstructure_fn(RuleInfo, conv, program=_OPTIONAL_TEXT,
                                                      declared_basis=_OPTIONAL_TEXT)),
    )
    plugins = conv.get_unstructure_hook(tuple[PluginInfo, ...])
    outcomes = conv.get_unstructure_hook(tuple[Outcome, ...])
    findings = conv.get_unstructure_hook(tuple[Finding, ...])
    rules = conv.get_unstructure_hook(tuple[RuleInfo, ...])

    def head(r: Report) -> dict[str, Any]:
        # Written out: `report_format` and `counts` are not fields, and they sit among them.
        return {
            "report_format": REPORT_FORMAT,
            "greentrade_version": r.greentrade_version,
            "plugins": plugins(r.plugins),
            "as_of": r.as_of.isoformat() if r.as_of else None,
            "input_sha256": r.input_sha256,
            "evaluated": r.evaluated,
            "counts": r.counts,
            "outcomes": outcomes(r.outcomes),
        }

    def report(r: Report) -> dict[str, Any]:
        d = head(r)
        d["findings"] = findings(r.findings)
        d["rules"] = rules(r.rules)
        return d

    conv.register_unstructure_hook(Report, report)
    return conv


def _compact_json(r: Report) -> str:
    """``json.dumps(r.to_dict(), ensure_ascii=False)``, byte for byte, with each distinct
    citation encoded once: a finding's citation is its rule's, and encoding them was about a
    third of the encoder's time. The findings' citations are first written as their index
    (``"citation": 0``), then replaced by the citation's JSON. Inside a JSON string every
    ``"`` is escaped, so ``"citation": 0`` followed by ``,`` or ``}`` is always the key itself.
    Tests compare the two forms."""
    d = _converter().unstructure(r)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    index: dict[int, int] = {}
    distinct: list[Any] = []
    for f, fd in zip(r.findings, d["findings"], strict=True):
        if "citation" in fd:
            i = index.get(id(f.citation))
            if i is None:
                i = index[id(f.citation)] = len(distinct)
                distinct.append(fd["citation"])
            fd["citation"] = i
    cited = [encode(c) for c in distinct]
    return _CITED.sub(lambda m: f'"citation": {cited[int(m[1])]}', encode(d))


_CITED = re.compile(r'"citation": ([0-9]+)(?=[,}])')


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
        """The JSON form as Python data (`schemas/report.schema.json`): through `_converter`."""
        d: dict[str, Any] = _converter().unstructure(self)
        return d

    def to_json(self, indent: int | None = None) -> str:
        """The JSON form; byte for byte the same for the same input, date, plugins and indent.

        Compact by default (the fast C encoder); ``indent=2`` for people (the CLI uses it).
        """
        if indent is None:
            return _compact_json(self) + "\n"
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False) + "\n"

    def to_text(self, lang: str | None = None) -> str:
        """A readable form for people (`greentrade.render.report_text` of `to_dict()`), in `lang`
        (a BCP 47 tag of a shipped language, `greentrade.i18n.SHIPPED`; default: the report's)."""
        return render.report_text(self.to_dict(), lang)

    def to_html(self, lang: str | None = None) -> str:
        """A self-contained HTML page (`greentrade.render.report_html` of `to_dict()`), in `lang`."""
        return render.report_html(self.to_dict(), lang)
