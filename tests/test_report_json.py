"""The report's JSON form is a public contract (schemas/report.schema.json, greentrade.report/2):
its bytes are those of `published_form` below, a second, independent writing of the contract
(docs/report.md): key order, left-out fields, enums as strings, ISO dates, each source once.

Checked on every bundled example dossier (with and without the host configuration beside it),
on drawn dossiers run through the first-party plugins (valid, mixed and defective ones), and on
drawn reports whose fields take the edge values (empty texts, a declared basis equal to the
basis, citations with and without date and note) that real runs rarely produce.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greentrade import Engine
from greentrade.i18n import Message, join, msg
from greentrade.rules import Basis, Citation, Effect, Finding, Outcome, PluginInfo, Report, RuleInfo, Severity, Status
from greentrade.rules._report import Assumption
from greentrade.testing import engine_for
from greentrade.testing import strategies as gts

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ("cn-green-channel", "itc-green-export-pass", "buyer-profiles")


# -- the reference: report/2 written out independently of greentrade's own code -------------------
def _citation(c: Citation) -> dict[str, Any]:
    d: dict[str, Any] = {"authority": c.authority, "title": c.title}
    if c.date is not None:
        d["date"] = c.date.isoformat()
    d["reference"] = c.reference
    if c.note:
        d["note"] = c.note
    return d


def _arg(v: Any) -> Any:
    # report/2: a nested message is written as its text, id and own arguments; a join as its parts
    # and separator (each part the same way); everything else as it is.
    parts = getattr(v, "parts", None)
    if parts is not None:
        return {"parts": [_arg(p) for p in parts], "sep": _arg(v.sep)}
    if isinstance(v, Message) and v.id:
        return {"id": v.id, "args": {k: _arg(x) for k, x in v.args.items()}}
    if isinstance(v, Message):
        return str(v)
    return v


def _args_form(args: Any) -> dict[str, Any]:
    return {k: _arg(v) for k, v in args}


def _finding(f: Finding) -> dict[str, Any]:
    d: dict[str, Any] = {
        "rule": f.rule,
        "severity": str(f.severity),
        "effect": str(f.effect),
        "message": f.message,
        "message_id": f.message_id or f.rule,
        "args": _args_form(f.args),
        "pointer": f.pointer,
        "basis": str(f.basis),
    }
    for key in ("subject", "program", "shipment", "needs"):
        value = getattr(f, key)
        if value:
            d[key] = value
    if f.needs and f.needs_id:
        d["needs_id"] = f.needs_id
    return d


def published_form(report: Report) -> dict[str, Any]:
    used = {f.rule for f in report.findings}
    for o in report.outcomes:
        used |= set(o.reasons) | {a.rule for a in o.assumptions}
    sources: list[dict[str, Any]] = []
    rules = []
    for r in report.rules:
        d: dict[str, Any] = {"id": r.id, "title": r.title, "plugin": r.plugin, "basis": r.basis}
        if r.program:
            d["program"] = r.program
        if r.declared_basis and r.declared_basis != r.basis:
            d["declared_basis"] = r.declared_basis
        if r.id in used:
            # A rule that names no citation (only possible for findings built outside the
            # engine) is cited as the greentrade documentation.
            c = _citation(r.citation) if r.citation is not None else {
                "authority": "greentrade", "title": "greentrade documentation",
                "reference": "greentrade documentation, docs/report.md"}
            if c not in sources:
                sources.append(c)
            d["source"] = sources.index(c)
            if r.remediation:
                d["remediation"] = r.remediation
        rules.append(d)
    return {
        "report_format": "greentrade.report/2",
        "greentrade_version": report.greentrade_version,
        "lang": report.lang,
        "plugins": [{"name": p.name, "version": p.version, **({} if p.enabled else {"enabled": False})}
                    for p in report.plugins],
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "input_sha256": report.input_sha256,
        "evaluated": report.evaluated,
        "counts": report.counts,
        "outcomes": [
            {
                "program": o.program,
                "subject": o.subject,
                "status": str(o.status),
                "as_of": o.as_of.isoformat(),
                "summary": o.summary,
                "summary_id": o.summary_id,
                "summary_args": _args_form(o.summary_args),
                "reasons": list(o.reasons),
                # each assumption refers to the first finding of its shipment and program that
                # states it (same rule, same text)
                "assumptions": [
                    {"rule": a.rule, "basis": str(a.basis),
                     "finding": next(i for i, f in enumerate(report.findings)
                                     if (f.shipment, f.program, f.rule, f.message)
                                     == (o.subject, o.program, a.rule, a.text))}
                    for a in o.assumptions
                ],
            }
            for o in report.outcomes
        ],
        "findings": [_finding(f) for f in report.findings],
        "rules": rules,
        "sources": sources,
    }


def assert_same_json(report: Report) -> None:
    expected = published_form(report)
    assert report.to_json() == json.dumps(expected, separators=(",", ":"), ensure_ascii=False) + "\n"
    assert report.to_json(indent=2) == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    got = report.to_dict()
    assert got == expected
    # Every rule a finding names is listed, with its source.
    listed = {r["id"]: r for r in got["rules"]}
    assert all("source" in listed[f["rule"]] for f in got["findings"])
    # Plain strings, not enum members: to_dict is JSON data, whatever a caller does with it.
    assert all(type(f[k]) is str for f in got["findings"] for k in ("severity", "effect", "basis"))
    assert all(type(o["status"]) is str for o in got["outcomes"])


# -- bundled examples -------------------------------------------------------------------------------
def _examples() -> list[tuple[Path, Path | None]]:
    out: list[tuple[Path, Path | None]] = []
    for folder in [ROOT / "examples", *sorted((ROOT / "plugins").glob("*/examples"))]:
        configs = sorted(folder.glob("*.toml"))
        for path in sorted(folder.rglob("*.json")):
            if not path.name.endswith(".expected.json"):
                out.append((path, configs[0] if configs else None))
    return out


EXAMPLES = _examples()


def test_every_example_folder_is_covered() -> None:
    folders = {p.parent for p, _ in EXAMPLES}
    assert ROOT / "examples" in folders
    assert {ROOT / "plugins" / name / "examples" for name in ("buyer-profiles", "cn-green-channel",
                                                              "itc-green-export-pass")} <= folders
    assert len(EXAMPLES) >= 20


@pytest.fixture(scope="module")
def engines() -> dict[Path | None, Engine]:
    out: dict[Path | None, Engine] = {}
    for config in {c for _, c in EXAMPLES} | {None}:
        engine = Engine(config=config)
        engine.load_entry_points()
        out[config] = engine
    return out


@pytest.mark.parametrize(("path", "config"), EXAMPLES, ids=[str(p.relative_to(ROOT)) for p, _ in EXAMPLES])
def test_examples_give_the_published_bytes(path: Path, config: Path | None, engines: dict[Path | None, Engine]) -> None:
    raw = path.read_bytes()
    reports = [engines[config].validate(raw), engines[None].validate(raw, as_of=dt.date(2026, 6, 1))]
    for report in reports:
        assert_same_json(report)


# -- drawn dossiers through the plugins -------------------------------------------------------------
@pytest.mark.parametrize("program", PLUGINS)
def test_drawn_mixed_dossiers_give_the_published_bytes(program: str) -> None:
    @settings(max_examples=15)
    @given(gts.mixed_dossiers(program))
    def check(mixed: gts.MixedDossier) -> None:
        report = engine_for(*mixed.plugins, config=mixed.config).validate(mixed.data)
        assert_same_json(report)

    check()


def test_drawn_defective_dossiers_give_the_published_bytes() -> None:
    engine = engine_for(*PLUGINS)

    @settings(max_examples=50)
    @given(gts.invalid_dossiers())
    def check(mutation: gts.Mutation) -> None:
        report = engine.validate(mutation.data)
        assert report.findings
        assert_same_json(report)

    check()


# -- drawn reports with edge values -----------------------------------------------------------------
_text = st.text(max_size=6)
_maybe_text = st.none() | _text  # "" included: the published form leaves empty texts out
_dates = st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31))
_citations = st.builds(Citation, authority=_text, title=_text, reference=_text,
                       date=st.none() | _dates, note=_maybe_text)
_bases = st.sampled_from([str(b) for b in Basis])
_plain = st.text(max_size=4) | st.integers() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False)
_nested = st.builds(lambda i, v: msg(i, "<{a}>", a=v), st.text(min_size=1, max_size=4), _plain)
_args = st.dictionaries(_text, _plain | _nested | st.lists(st.text(max_size=3) | _nested, max_size=2).map(join),
                        max_size=3)
_findings = st.builds(
    Finding, rule=_text, severity=st.sampled_from(Severity), effect=st.sampled_from(Effect), message=_text,
    pointer=_text, subject=_maybe_text, program=_maybe_text, shipment=_maybe_text, remediation=_maybe_text,
    needs=_maybe_text, citation=st.none() | _citations, basis=st.sampled_from(Basis),
    message_id=_maybe_text, args=_args, needs_id=_maybe_text,
)
_assumptions = st.builds(Assumption, rule=_text, basis=st.sampled_from(Basis), text=_text, text_id=_text,
                         args=_args, needs=_maybe_text)
_outcomes = st.builds(Outcome, program=_text, subject=_text, status=st.sampled_from(Status), as_of=_dates,
                      summary=_text, reasons=st.lists(_text, max_size=2).map(tuple), summary_id=_text,
                      summary_args=_args, assumptions=st.lists(_assumptions, max_size=2).map(tuple))
_rules = st.builds(RuleInfo, id=_text, title=_text, plugin=_text, basis=_bases, program=_maybe_text,
                   declared_basis=st.none() | st.just("") | _bases, citation=st.none() | _citations,
                   remediation=_maybe_text)
_plugins = st.builds(PluginInfo, name=_text, version=_text, rules=st.integers(0, 9), enabled=st.booleans())
_reports = st.builds(
    Report.build, version=_text, plugins=st.lists(_plugins, max_size=2), as_of=st.none() | _dates,
    sha256=_text, evaluated=st.booleans(), outcomes=st.lists(_outcomes, max_size=3),
    findings=st.lists(_findings, max_size=4), rules=st.lists(_rules, max_size=3),
)


@settings(max_examples=200)
@given(_reports)
def test_drawn_reports_give_the_published_bytes(report: Report) -> None:
    assert_same_json(report)


def test_sources_are_written_once_and_rules_refer_to_them() -> None:
    shared = Citation(authority="A", title="T", reference="R", date=dt.date(2026, 6, 5), note="n")
    other = Citation(authority="B", title="U", reference="S")
    rules = [RuleInfo(id=f"T-{i}", title="t", plugin="p", basis="stated", citation=(shared, other)[i % 2],
                      remediation="fix it" if i else None) for i in range(4)]
    findings = [Finding(rule=f"T-{i}", severity=Severity.INFO, effect=Effect.NOTE, message="m", pointer=f"/{i}",
                        citation=(shared, other)[i % 2]) for i in range(3)]
    findings.append(Finding(rule="X-9", severity=Severity.INFO, effect=Effect.NOTE, message="m", pointer="",
                            citation=shared, remediation="r"))
    report = Report.build(version="0", plugins=[], as_of=None, sha256="", evaluated=True, outcomes=[],
                          findings=findings, rules=rules)
    assert_same_json(report)
    d = report.to_dict()
    assert d["sources"] == [_citation(shared), _citation(other)]
    by_id = {r["id"]: r for r in d["rules"]}
    assert [by_id[f"T-{i}"].get("source") for i in range(4)] == [0, 1, 0, None]  # T-3 has no finding
    assert by_id["X-9"] == {"id": "X-9", "title": "X-9", "plugin": "greentrade", "basis": "stated", "source": 0,
                            "remediation": "r"}
    assert "remediation" not in by_id["T-0"] and "remediation" not in by_id["T-3"]
