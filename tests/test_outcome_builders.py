"""The outcome builders of the first-party plugins keep their contract: every subject of every
drawn dossier gets the builder's status (and reason, and needs) with the builder's plugins and
configuration; mixed dossiers give every subject its own label."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from greentrade.testing import assert_valid_report, engine_for
from greentrade.testing import strategies as gts

PROGRAMS = ("cn-green-channel", "itc-green-export-pass", "buyer-profiles")
KEYS = [k for k in gts.outcome_builders() if k[0] in PROGRAMS]


def test_every_plugin_registers_builders_through_its_entry_point() -> None:
    assert {k[0] for k in KEYS} == set(PROGRAMS)
    for program in PROGRAMS:
        statuses = {k[1] for k in KEYS if k[0] == program}
        assert {"eligible", "not_eligible", "undetermined"} <= statuses, program


@pytest.mark.parametrize("key", KEYS, ids=lambda k: "/".join(x or "-" for x in k))
def test_builder_gives_its_outcome(key: tuple[str, str, str | None]) -> None:
    program, status, reason = key
    engine = engine_for(*gts.outcome_plugins(*key), config=gts.outcome_config(*key))
    needs = gts.outcome_needs(*key)

    @settings(max_examples=6)
    @given(gts.dossiers_with_outcome(program, status, reason))
    def check(data: dict[str, Any]) -> None:
        report = engine.validate(data)
        assert report.evaluated, report.to_text()
        assert_valid_report(report)
        gts.check_outcome(report, data, program, status, reason, needs)

    check()


@pytest.mark.parametrize("program", PROGRAMS)
def test_mixed_dossiers_label_every_subject(program: str) -> None:
    @settings(max_examples=6)
    @given(gts.mixed_dossiers(program))
    def check(mixed: gts.MixedDossier) -> None:
        report = engine_for(*mixed.plugins, config=mixed.config).validate(mixed.data)
        assert report.evaluated, report.to_text()
        assert set(mixed.labels) == set(gts.outcome_subjects(program, mixed.data))
        mixed.check(report)

    check()
