"""The public API: what `greentrade` exports, what its packages export, and the error hierarchy."""

from __future__ import annotations

import importlib
import inspect

import pytest

import greentrade
from greentrade import errors

TOP = [
    "Assessment", "Basis", "ConfigError", "Dossier", "DossierReadError", "Engine", "Finding",
    "GreentradeError", "Outcome", "PluginError", "Report", "Severity", "Status", "__version__",
    "assess", "errors", "hookimpl", "load_config", "migrate", "model",
]
PACKAGES = ["greentrade.model", "greentrade.rules", "greentrade.io", "greentrade.plugin", "greentrade.engine",
            "greentrade.readiness", "greentrade.errors", "greentrade.codes", "greentrade.importers",
            "greentrade.testing"]


def test_the_top_level_exports_what_a_host_needs() -> None:
    assert sorted(greentrade.__all__) == sorted(TOP)
    for name in TOP:
        assert getattr(greentrade, name) is not None


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_exports_what_its_all_lists(package: str) -> None:
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"{package}.__all__ names missing attributes: {missing}"


def test_names_that_left_all_stay_importable_from_greentrade() -> None:
    # Existing hosts and plugins wrote `from greentrade import Rule, Product, ...`.
    from greentrade import CatalogEntry, Citation, Hit, Product, Program, Rule, RuleContext, structure  # noqa: F401

    assert greentrade.Rule is importlib.import_module("greentrade.rules").Rule
    assert greentrade.Product is greentrade.model.Product


def test_every_public_exception_derives_from_greentrade_error() -> None:
    classes = [obj for name in errors.__all__ if inspect.isclass(obj := getattr(errors, name))]
    assert len(classes) == len(errors.__all__)
    assert all(issubclass(cls, errors.GreentradeError) for cls in classes)


@pytest.mark.parametrize(("module", "name"), [
    ("greentrade.io._load", "DossierReadError"), ("greentrade.io", "ConfigError"),
    ("greentrade.engine", "PluginError"), ("greentrade.engine", "PluginConflictError"),
    ("greentrade.readiness", "MarketError"), ("greentrade.io", "MigrationError"),
    ("greentrade.plugin", "PluginDataError"), ("greentrade.model", "DesignatorError"),
    ("greentrade.testing", "CaseError"), ("greentrade.server._settings", "SettingsError"),
    ("greentrade.importers._base", "ImportError_"),
])
def test_exceptions_keep_their_old_import_locations(module: str, name: str) -> None:
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, errors.GreentradeError)
    assert cls is getattr(errors, name if name != "ImportError_" else "SourceImportError")


def test_value_errors_stay_value_errors() -> None:
    # Callers that caught ValueError for a bad market or designator keep working.
    assert issubclass(errors.MarketError, ValueError)
    assert issubclass(errors.DesignatorError, ValueError)


DOCUMENTED = ["greentrade", "greentrade.model", "greentrade.rules", "greentrade.io", "greentrade.plugin",
              "greentrade.engine", "greentrade.readiness", "greentrade.errors", "greentrade.codes"]


@pytest.mark.parametrize("package", DOCUMENTED)
def test_every_public_name_is_documented_in_api_md(package: str) -> None:
    """Like datasette's test for undocumented hooks: a name added to an ``__all__`` needs its line."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text("utf-8")
    module = importlib.import_module(package)
    missing = [n for n in module.__all__ if f"`{n}`" not in text and f"`{n}(" not in text]
    assert not missing, f"{package}: not documented in docs/api.md: {missing}"
