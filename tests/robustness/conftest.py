"""Fixtures of the robustness suite: the faulty test plugin and the bundled example."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from greentrade import Engine, Report
from greentrade.io._schemas import validator

ROOT = Path(__file__).resolve().parents[2]


def _import_faulty() -> ModuleType:
    # A fresh module per test: the tests change its SLEEP, and nothing leaks between tests.
    name = "greentrade_robustness_faulty_plugin"
    spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / "faulty_plugin" / "__init__.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


@pytest.fixture
def faulty() -> ModuleType:
    """The faulty plugin package (tests/robustness/faulty_plugin), its slow rules set to 1 s."""
    module = _import_faulty()
    module.SLEEP = 1.0
    return module


@pytest.fixture
def example() -> Path:
    return ROOT / "examples" / "zhejiang-solar-portfolio.json"


@pytest.fixture
def example_config() -> Path:
    return ROOT / "examples" / "greentrade.toml"


@pytest.fixture
def first_party_engine(example_config: Path) -> Callable[..., Engine]:
    """A factory of engines with the example's configuration and the first-party plugins."""

    def make(*extra: tuple[str, Any], **kw: Any) -> Engine:
        engine = Engine(config=example_config, **kw)
        engine.load_entry_points()
        for name, plugin in extra:
            engine.register(plugin, name=name)
        return engine

    return make


def schema_errors(report: Report) -> list[str]:
    return [e.message for e in validator("report").iter_errors(report.to_dict())]


@pytest.fixture
def report_errors() -> Callable[[Report], list[str]]:
    """Messages of the report schema's errors for a report (empty when it validates)."""
    return schema_errors
