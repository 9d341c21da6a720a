"""Test helpers for a downstream suite: an engine with chosen plugins, report checks, and the
properties every engine must have, checked on the host's own engine and data.

None of these needs Hypothesis: they take values, so they work with any test generator.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from greentrade.engine._engine import Engine
from greentrade.io._load import DossierReadError
from greentrade.io._schemas import schema, validator
from greentrade.rules._report import Report

__all__ = [
    "assert_valid_report",
    "check_deterministic",
    "check_input_not_mutated",
    "check_never_raises",
    "engine_for",
    "report_schema",
]


def engine_for(*plugins: Any, config: Mapping[str, Any] | str | Path | None = None) -> Engine:
    """An `Engine` with exactly `plugins`: entry-point names of installed plugins
    (``"cn-green-channel"``) or plugin objects (modules or instances with hook implementations).

    A name that is not installed raises `LookupError` naming the installed plugins (instead
    of the ``GT-ENGINE-001`` finding a host would get).
    """
    from greentrade.testing._cases import installed_plugins

    engine = Engine(config=dict(config) if isinstance(config, Mapping) else config)
    names = [p for p in plugins if isinstance(p, str)]
    if names:
        installed = installed_plugins()
        missing = [n for n in names if n not in installed]
        if missing:
            raise LookupError(f"plugin(s) {', '.join(map(repr, missing))} not installed; installed: "
                              f"{', '.join(installed) or 'none'}")
        engine.load_entry_points(names)
    for p in plugins:
        if not isinstance(p, str):
            engine.register(p, name=getattr(p, "__name__", None) or type(p).__name__)
    return engine


def report_schema() -> dict[str, Any]:
    """The JSON Schema of a report's JSON form (a public contract: ``greentrade schema report``)."""
    return copy.deepcopy(dict(schema("report")))


def assert_valid_report(report: Report) -> None:
    """Assert that `report` keeps the report contract: its JSON matches the report schema, a
    report that was not evaluated says why (findings), and its JSON text reads back the same."""
    assert isinstance(report, Report), f"expected a Report, got {type(report).__name__}"
    data = report.to_dict()
    errors = sorted(validator("report").iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "the report does not match its schema: " + "; ".join(
        f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])
    if not report.evaluated:
        assert report.findings, "a report that was not evaluated must have findings that say why"
    assert json.loads(report.to_json()) == data


def check_never_raises(engine: Engine, value: Any, as_of: dt.date | None = None) -> Report | None:
    """Validate any input: the engine returns a valid report or raises `DossierReadError` with a
    message, never another exception. Returns the report (None for a read error)."""
    try:
        report = engine.validate(value, as_of=as_of)
    except DossierReadError as exc:
        assert str(exc), "a DossierReadError must say what is wrong"
        return None
    assert_valid_report(report)
    return report


def check_deterministic(engine: Engine, data: Any, as_of: dt.date | None = None) -> None:
    """The same input and date give the same report JSON, byte for byte, whether the dossier
    comes as data or as JSON text."""
    first = engine.validate(data, as_of=as_of).to_json()
    again = engine.validate(copy.deepcopy(data), as_of=as_of).to_json()
    assert first == again, "two validations of the same input differ"
    if isinstance(data, Mapping):
        text = engine.validate(json.dumps(data), as_of=as_of).to_dict()
        mine = json.loads(first)
        assert (mine["findings"], mine["outcomes"]) == (text["findings"], text["outcomes"]), \
            "data and its JSON text give different findings or outcomes"


def check_input_not_mutated(engine: Engine, data: Any, as_of: dt.date | None = None) -> None:
    """Validation leaves its input as it was."""
    before = copy.deepcopy(data)
    engine.validate(data, as_of=as_of)
    assert data == before, "validation changed its input"
