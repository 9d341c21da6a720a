"""An ERP team's suite written against greentrade 0.2.0's API (a compatibility fixture).

It uses what 0.2.0 documented for hosts and test suites: the Engine, reports and their statuses,
the testing kit's helpers and strategies, ``st.from_type`` and rule cases. It must keep passing
on later releases, with at most deprecation warnings (docs/compatibility.md).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import greentrade
import greentrade.testing.strategies as gts
from greentrade import Engine, Severity, Status
from greentrade.testing import (
    assert_valid_report,
    check_deterministic,
    check_input_not_mutated,
    check_never_raises,
    engine_for,
    run_case,
)

CASES = Path(__file__).parent.parent / "plugin" / "cases"  # the plugin's own rule cases
BATTERY = json.loads((CASES / "battery.json").read_text("utf-8"))
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


def erp_release(report: greentrade.Report, shipment: str) -> str:
    """The ERP's decision: release only what the battery lane finds eligible."""
    return "release" if report.status("compat-battery", shipment) is Status.ELIGIBLE else "hold"


def test_the_plugin_is_found_through_its_entry_point() -> None:
    engine = Engine(config={"plugins": {"compat-battery": {"max_units": 100}}})
    assert "compat-battery" in engine.load_entry_points(["compat-battery"])
    assert {p.name: p.rules for p in engine.plugins}["compat-battery"] == 2
    assert {r.id for r in engine.rules} >= {"CB-001", "CB-002"}


def test_a_battery_shipment_within_the_limit_is_released() -> None:
    engine = engine_for("compat-battery", config={"plugins": {"compat-battery": {"max_units": 100}}})
    report = engine.validate(BATTERY)
    assert report.ok and report.evaluated
    assert_valid_report(report)
    assert erp_release(report, "S1") == "release"


def test_over_the_limit_is_held_with_a_located_error() -> None:
    engine = engine_for("compat-battery", config={"plugins": {"compat-battery": {"max_units": 10}}})
    report = engine.validate(json.dumps(BATTERY).encode())
    (finding,) = report.findings_for(rule="CB-002")
    assert finding.severity is Severity.ERROR and finding.pointer == "/shipments/0/lines"
    assert finding.citation is not None and finding.citation.authority.startswith("Example Battery Office")
    assert erp_release(report, "S1") == "hold" and not report.ok


def test_without_the_limit_the_report_says_what_is_needed() -> None:
    report = engine_for("compat-battery").validate(BATTERY)
    (outcome,) = [o for o in report.outcomes if o.program == "compat-battery"]
    assert outcome.status is Status.UNDETERMINED and "plugins.compat-battery.max_units" in outcome.summary


def test_the_rule_cases_pass() -> None:
    for path in sorted(CASES.glob("*.case.json")):
        result = run_case(path)
        assert result.passed, result.explain()


@SETTINGS
@given(gts.dossier_json(max_shipments=2) | gts.invalid_dossiers().map(lambda m: m.data))
def test_any_input_gets_a_report(data: dict) -> None:
    engine = engine_for("compat-battery", config={"plugins": {"compat-battery": {"max_units": 100}}})
    check_never_raises(engine, data)
    check_deterministic(engine, data)
    check_input_not_mutated(engine, data)


@SETTINGS
@given(st.from_type(greentrade.Shipment), st.from_type(greentrade.Party))
def test_entities_by_type(shipment: greentrade.Shipment, party: greentrade.Party) -> None:
    assert shipment.id and party.id
    assert greentrade.structure(greentrade.unstructure(party), greentrade.Party) == party


@SETTINGS
@given(gts.dossier_json(categories=["energy-storage-battery"], max_shipments=1,
                        ship_dates=(dt.date(2026, 3, 1), dt.date(2027, 12, 31))))
def test_batteries_are_in_scope(data: dict) -> None:
    report = engine_for("compat-battery", config={"plugins": {"compat-battery": {"max_units": 10**9}}}).validate(data)
    statuses = {o.status for o in report.outcomes if o.program == "compat-battery"}
    assert Status.NOT_APPLICABLE not in statuses
