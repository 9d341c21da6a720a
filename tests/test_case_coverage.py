"""Rule cases for people (issue #24 item 6): "at least these findings", several cases in one
file, and per-rule coverage of each rule's effects (``pytest --greentrade-coverage``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _helpers import CITE, rule

from greentrade import Rule, Severity
from greentrade.plugin import warn_unless_binding
from greentrade.testing import CaseError, case_coverage, load_case, load_cases, run_case
from greentrade.testing._coverage import can_yield

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zhejiang-solar-portfolio.json"
CONFIG = {"plugins": {"cn-green-channel": {"pilot_ports": ["CNNGB", "CNSHA"]}}}
NO_DOCS = [{"op": "replace", "path": "/shipments/0/documents", "value": []}]
ONE = {"rule": "CN-GC-004", "pointer": "/shipments/0/lines/0/product"}  # of the 4 findings
FAILS = {"program": "cn-green-channel", "subject": "HG-2606-NGB-AE", "status": "not_eligible"}


def _write(tmp_path: Path, data: dict, name: str = "demo.case.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _case(**kw) -> dict:
    return {"case": "no declaration attached", "rules": ["CN-GC-004"], "plugins": ["cn-green-channel"],
            "config": CONFIG, "base": str(EXAMPLE), "patch": NO_DOCS, **kw}


def test_at_least_accepts_more_findings_and_exact_does_not(tmp_path):
    expect = {"findings": [ONE], "outcomes": [FAILS]}
    exact = run_case(_write(tmp_path, _case(expect=expect)))
    assert not exact.passed and len(exact.unexpected) == 3
    at_least = run_case(_write(tmp_path, _case(expect=expect, match="at-least")))
    assert at_least.passed, at_least.explain()
    assert [f["pointer"] for f in at_least.matched] == [ONE["pointer"]]


def test_at_least_still_fails_on_a_missing_finding_or_outcome(tmp_path):
    missing = {**ONE, "pointer": "/shipments/0/lines/9/product"}
    result = run_case(_write(tmp_path, _case(match="at-least", expect={"findings": [missing]})))
    assert not result.passed and result.missing == (missing,)
    wrong = {**FAILS, "status": "eligible"}
    assert not run_case(_write(tmp_path, _case(match="at-least", expect={"outcomes": [wrong]}))).passed


def test_match_takes_only_its_two_values(tmp_path):
    with pytest.raises(CaseError, match="/match"):
        load_case(_write(tmp_path, _case(match="some", expect={})))


MULTI = {
    "rules": ["CN-GC-004"], "plugins": ["cn-green-channel"], "config": CONFIG, "base": str(EXAMPLE),
    "cases": [
        {"case": "the example passes", "expect": {"findings": []}},
        {"case": "without declarations it fails", "patch": NO_DOCS, "match": "at-least",
         "expect": {"findings": [ONE], "outcomes": [FAILS]}},
        {"case": "an inline dossier replaces the base", "rules": ["GT-SCHEMA-001"], "plugins": [],
         "config": {}, "dossier": {"format": "greentrade.dossier/1", "parties": "x"},
         "expect": {"findings": [{"rule": "GT-SCHEMA-001", "pointer": "/parties"}]}},
    ],
}


def test_a_file_may_hold_several_cases_with_shared_defaults(tmp_path):
    path = _write(tmp_path, MULTI)
    cases = load_cases(path)
    assert [c.name for c in cases] == [c["case"] for c in MULTI["cases"]]
    assert cases[0].config == CONFIG and cases[1].match == "at-least" and cases[2].plugins == ()
    assert cases[2].dossier == {"format": "greentrade.dossier/1", "parties": "x"}
    results = [run_case(c) for c in cases]
    assert all(r.passed for r in results), [r.explain() for r in results]
    with pytest.raises(CaseError, match="holds 3 cases; read them with load_cases"):
        load_case(path)


def test_each_case_of_a_file_is_checked_with_the_defaults(tmp_path):
    bad = {**MULTI, "cases": [{"case": "no expect"}]}
    with pytest.raises(CaseError, match=r"case 1: /: 'expect' is a required property"):
        load_cases(_write(tmp_path, bad))
    with pytest.raises(CaseError, match="/cases"):
        load_cases(_write(tmp_path, {**MULTI, "cases": []}))


# -- coverage ---------------------------------------------------------------------------------------

def _inferred(ctx):
    if ctx.shipment.lines:
        yield warn_unless_binding(ctx, "DEMO-002", "reading", ctx.shipment)
    yield from _helper(ctx)


def _helper(ctx):
    if not ctx.shipment.port_of_export:
        yield ctx.undetermined("no port", ctx.shipment, needs="port")


def test_what_a_rule_can_yield_is_read_from_its_code_or_declared():
    plain = rule("DEMO-002", _inferred, basis="inferred")
    assert can_yield(plain) == {"pass", "warning", "violation", "undetermined"}
    declared = rule("DEMO-002", _inferred, basis="inferred", yields=("pass", "warning"))
    assert can_yield(declared) == {"pass", "warning"}
    assert can_yield(rule("DEMO-003", lambda ctx: [ctx.note("n", ctx.shipment)])) == {"pass", "note"}
    with pytest.raises(ValueError, match="yields"):
        Rule(id="DEMO-004", title="t", severity=Severity.ERROR, check=_helper, citation=CITE, basis="stated",
             yields=("fail",))


def test_coverage_counts_what_passing_cases_assert(tmp_path):
    engine_cases = [
        _write(tmp_path, _case(expect={"findings": [
            {"rule": "CN-GC-004", "pointer": f"/shipments/0/lines/{i}/product"} for i in range(4)]}), "fail.case.json"),
        _write(tmp_path, {**_case(expect={"findings": []}), "patch": []}, "pass.case.json"),
    ]
    results = [run_case(p) for p in engine_cases]
    assert all(r.passed for r in results), [r.explain() for r in results]
    (cov,) = case_coverage(results)
    assert cov.plugin == "cn-green-channel"
    by_rule = {r.rule: r for r in cov.rules}
    assert {"pass", "violation"} <= by_rule["CN-GC-004"].reached
    assert "violation" not in by_rule["CN-GC-004"].missing
    assert by_rule["CN-GC-003"].reached == frozenset() and by_rule["CN-GC-003"].missing  # no case tests it
    assert 0 < cov.percent < 100 and "CN-GC-003" in cov.text()
    # A failing case counts for nothing; an at-least case never shows "pass".
    failing = run_case(_write(tmp_path, _case(expect={"findings": []}), "wrong.case.json"))
    assert not failing.passed
    (none,) = case_coverage([failing])
    assert none.covered == 0


def test_pytest_reports_coverage_and_fails_under_the_threshold(tmp_path):
    _write(tmp_path, MULTI | {"cases": MULTI["cases"][:2]}, "two.case.json")
    base = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", str(tmp_path)]
    proc = subprocess.run([*base, "-v", "--greentrade-coverage"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "two.case.json::two[1] PASSED" in proc.stdout and "two.case.json::two[2] PASSED" in proc.stdout
    assert "greentrade rule-case coverage" in proc.stdout and "cn-green-channel: " in proc.stdout
    assert "CN-GC-003" in proc.stdout and "MISSING" in proc.stdout
    proc = subprocess.run([*base, "-q", "--greentrade-coverage-fail-under=100"], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 1 and "FAIL: cn-green-channel coverage" in proc.stdout, proc.stdout
    assert "2 passed" in proc.stdout


# -- the gate for the first-party plugins -----------------------------------------------------------

FIRST_PARTY = ("cn-green-channel", "itc-green-export-pass", "buyer-profiles")
PLUGINS = Path(__file__).resolve().parent.parent / "plugins"


def test_the_first_party_cases_reach_every_effect_of_every_rule():
    """CI fails a first-party plugin below 100%: add a case, or declare what the rule yields."""
    paths = sorted(PLUGINS.glob("*/cases/*.case.json"))
    assert len(paths) > 100
    cases = [c for p in paths for c in load_cases(p)]
    assert all(c.match == "exact" for c in cases), "first-party cases list every finding (match exact)"
    results = [run_case(c) for c in cases]
    failing = [r.case.path.name for r in results if not r.passed]
    assert not failing, failing  # tests/test_rule_cases.py and the pytest plugin show why
    coverage = case_coverage(results, plugins=FIRST_PARTY)
    assert [c.plugin for c in coverage] == sorted(FIRST_PARTY)
    low = [c.text() for c in coverage if c.percent < 100]
    assert not low, "\n".join(low)
