"""``st.from_type(<entity>)`` works through Hypothesis's ``hypothesis`` entry-point group."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import greentrade
from greentrade import structure, unstructure
from greentrade.testing._hypothesis_setup import _hypothesis_setup_hook
from greentrade.testing.strategies import entity_strategies

ENTITIES = sorted(entity_strategies(), key=lambda c: c.__name__)
HOOK = "greentrade.testing._hypothesis_setup:_hypothesis_setup_hook"


def test_every_public_entity_has_a_strategy() -> None:
    public = {getattr(greentrade, n) for n in (
        "Accreditation", "CarbonFootprint", "CoveredProduct", "Document", "Dossier", "Epd", "Identifier",
        "Party", "Period", "Product", "Shipment", "ShipmentLine", "Site", "Spec", "StandardDesignator",
        "Amendment")}
    assert public <= set(ENTITIES)


@pytest.mark.parametrize("cls", ENTITIES, ids=lambda c: c.__name__)
def test_hook_registers_from_type_in_process(cls: type) -> None:
    _hypothesis_setup_hook()

    @settings(max_examples=5)
    @given(st.from_type(cls))
    def check(value: Any) -> None:
        assert isinstance(value, cls)
        if cls not in (greentrade.StandardDesignator, greentrade.Amendment):
            assert structure(unstructure(value), cls) == value

    check()


def _declared() -> bool:
    return any(ep.value == HOOK for ep in importlib.metadata.entry_points(group="hypothesis"))


SCRIPT = textwrap.dedent(
    """
    import sys
    from hypothesis import given, settings, strategies as st
    import greentrade  # the entities only: no import of greentrade.testing

    assert "greentrade.testing.strategies" in sys.modules, "the entry point did not run"
    names = [
        "Accreditation", "CarbonFootprint", "CoveredProduct", "Document", "Dossier", "Epd",
        "Identifier", "Party", "Period", "Product", "Shipment", "ShipmentLine", "Site", "Spec",
        "StandardDesignator",
    ]
    for name in names:
        cls = getattr(greentrade, name)

        @settings(max_examples=3, database=None)
        @given(st.from_type(cls))
        def check(value):
            assert isinstance(value, cls)

        check()

    @settings(max_examples=3, database=None)
    @given(st.from_type(greentrade.Dossier))
    def evaluated(dossier):
        report = greentrade.Engine().validate(dossier)
        assert report.evaluated and not report.findings, report.to_text()

    evaluated()
    print("ok", len(names))
    """
)


@pytest.mark.skipif(not _declared(), reason=(
    "the hypothesis entry point is not installed yet: add "
    f'[project.entry-points.hypothesis] _ = "{HOOK}" to pyproject.toml and reinstall'))
def test_from_type_works_in_a_project_that_only_installs_greentrade(tmp_path: Path) -> None:
    script = tmp_path / "downstream_test.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok 15"
