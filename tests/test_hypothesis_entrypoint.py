"""``st.from_type(<entity>)`` works through Hypothesis's ``hypothesis`` entry-point group, in any
import order, cheaply, and an error in the hook never breaks ``import hypothesis``."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import os
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import _greentrade_hypothesis as hook
import greentrade
from greentrade import structure, unstructure
from greentrade.testing.strategies import entity_strategies

HOOK = "_greentrade_hypothesis:_hypothesis_setup_hook"


def _public_entities() -> set[type]:
    """Every attrs class of greentrade.model's public API (entities and value types)."""
    out = set()
    for name in greentrade.model.__all__:
        obj = getattr(greentrade.model, name)
        if inspect.isclass(obj) and attrs.has(obj):
            out.add(obj)
    return out


def test_every_public_entity_has_a_strategy_and_is_registered() -> None:
    public = _public_entities()
    modules = [importlib.import_module(f"greentrade.model.{m.name}")
               for m in pkgutil.iter_modules(greentrade.model.__path__)]
    model = {obj for module in modules for obj in vars(module).values()
             if inspect.isclass(obj) and attrs.has(obj) and obj.__module__ == module.__name__}
    assert len(model) > 25 and model <= public  # every attrs class of every model module is public
    assert {greentrade.Tender, greentrade.TenderItem, greentrade.Promise, greentrade.RequiredDocument} <= public
    assert set(entity_strategies()) == public
    assert {getattr(greentrade, n) for n in hook.ENTITY_NAMES} == public


def test_the_entry_point_is_declared() -> None:
    assert any(ep.value == HOOK for ep in importlib.metadata.entry_points(group="hypothesis"))


@pytest.mark.parametrize("cls", sorted(entity_strategies(), key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_from_type_draws_valid_entities(cls: type) -> None:
    hook._hypothesis_setup_hook()

    @settings(max_examples=5)
    @given(st.from_type(cls))
    def check(value: Any) -> None:
        assert isinstance(value, cls)
        if cls not in (greentrade.StandardDesignator, greentrade.Amendment):
            assert structure(unstructure(value), cls) == value

    check()


def test_an_error_in_the_hook_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(package: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(hook, "register", broken)
    with pytest.warns(UserWarning, match="could not register its Hypothesis strategies: RuntimeError: boom"):
        hook._hypothesis_setup_hook()


CHECK_ALL = """
import sys
from hypothesis import given, settings, strategies as st, find
import greentrade
names = {names!r}
for name in names:
    cls = getattr(greentrade, name)

    @settings(max_examples=3, database=None, deadline=None)
    @given(st.from_type(cls))
    def check(value):
        assert isinstance(value, cls), (name, value)

    check()

@settings(max_examples=3, database=None, deadline=None)  # a loaded CI machine is slow, not wrong
@given(st.from_type(greentrade.Dossier))
def evaluated(dossier):
    report = greentrade.Engine().validate(dossier)
    assert report.evaluated and not report.findings, report.to_text()

evaluated()
with_tender = find(st.from_type(greentrade.Dossier), lambda d: len(d.tenders) > 0,
                   settings=settings(database=None, max_examples=200))
assert with_tender.tenders[0].buyer in {{p.id for p in with_tender.parties}}
print("ok", len(names))
"""

ORDERS = {
    # ruff and isort sort imports into this order: the strategies before hypothesis
    "strategies-first": "import greentrade.testing.strategies\nimport hypothesis\n",
    "hypothesis-first": ("import sys\nimport hypothesis\n"
                         "assert 'greentrade' not in sys.modules, 'import hypothesis imported greentrade'\n"),
    "greentrade-first": "import greentrade\nimport hypothesis\n",
}


@pytest.mark.parametrize("order", sorted(ORDERS))
def test_from_type_in_a_fresh_interpreter_in_any_import_order(tmp_path: Path, order: str) -> None:
    script = tmp_path / "downstream_test.py"
    script.write_text(ORDERS[order] + textwrap.dedent(CHECK_ALL).format(names=hook.ENTITY_NAMES), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok {len(hook.ENTITY_NAMES)}"
