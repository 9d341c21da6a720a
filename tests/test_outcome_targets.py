"""`register_targets` and `OutcomeTarget`: a plugin's table of outcomes becomes its builders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, settings

from greentrade.testing import strategies as gts
from greentrade.testing.strategies import _outcomes

PROGRAM = "demo-targets"
REQUIRED = {"ports": ["CNNGB"], "min_shipments": 1, "max_shipments": 1}
CONFIG = {"plugins": {PROGRAM: {"limit": 5}}}
QUICK = settings(database=None, max_examples=20, phases=[Phase.generate], suppress_health_check=list(HealthCheck))


def _complete(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "completed": True}


def _far(d: dict[str, Any]) -> None:
    for sh in d["shipments"]:
        sh["port_of_export"] = "CNTAO"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[Any, Any]:
    """A copy of the process's registry, dropped after the test (other tests check every key)."""
    copy = dict(_outcomes._BUILDERS)
    monkeypatch.setattr(_outcomes, "_BUILDERS", copy)
    gts.register_targets(PROGRAM, (
        gts.OutcomeTarget("eligible"),
        gts.OutcomeTarget("not_eligible", "DEMO-001", _far),
        gts.OutcomeTarget("not_applicable", "effective-period",
                          options={"ship_dates": (dt.date(2020, 1, 1), dt.date(2020, 12, 31))}),
        gts.OutcomeTarget("undetermined", "DEMO-002", config={}, needs="plugins.demo-targets.limit",
                          plugins=(PROGRAM, "other")),
    ), required=REQUIRED, complete=_complete, config=CONFIG)
    return copy


def test_every_target_is_registered_in_order_with_its_defaults(registry: dict[Any, Any]) -> None:
    keys = [k for k in registry if k[0] == PROGRAM]
    assert keys == [(PROGRAM, "eligible", None), (PROGRAM, "not_eligible", "DEMO-001"),
                    (PROGRAM, "not_applicable", "effective-period"), (PROGRAM, "undetermined", "DEMO-002")]
    assert registry[(PROGRAM, "eligible", None)].config == CONFIG
    assert registry[(PROGRAM, "eligible", None)].plugins == (PROGRAM,)
    open_ = registry[(PROGRAM, "undetermined", "DEMO-002")]
    assert (open_.config, open_.needs, open_.plugins) == ({}, "plugins.demo-targets.limit", (PROGRAM, "other"))


def test_a_target_draws_the_completed_dossier_with_its_change_and_options(registry: dict[Any, Any]) -> None:
    eligible = find(registry[(PROGRAM, "eligible", None)].builder(), lambda d: True, settings=QUICK)
    assert eligible["completed"] and [sh["port_of_export"] for sh in eligible["shipments"]] == ["CNNGB"]
    far = find(registry[(PROGRAM, "not_eligible", "DEMO-001")].builder(), lambda d: True, settings=QUICK)
    assert far["completed"] and [sh["port_of_export"] for sh in far["shipments"]] == ["CNTAO"]
    early = find(registry[(PROGRAM, "not_applicable", "effective-period")].builder(), lambda d: True, settings=QUICK)
    assert all(sh["ship_date"] < "2021-01-01" for sh in early["shipments"])


def test_the_callers_options_combine_with_the_required_ones(registry: dict[Any, Any]) -> None:
    build = registry[(PROGRAM, "eligible", None)].builder
    two = find(build(ports=["CNSHA", "CNNGB"], max_lines=1), lambda d: True, settings=QUICK)
    assert all(len(sh["lines"]) == 1 and sh["port_of_export"] == "CNNGB" for sh in two["shipments"])
    with pytest.raises(ValueError, match="ports"):
        build(ports=["CNSHA"])
