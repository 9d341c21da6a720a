"""Helpers shared by the engine's tests (test_engine.py, test_basis.py): the core test dossier
and a "demo" program whose plugin is built from the rules a test gives.

Importable as ``_helpers`` because pyproject.toml puts tests/ on pytest's ``pythonpath``.
"""

from __future__ import annotations

import datetime as dt
import json
import types
from pathlib import Path
from typing import Any

from greentrade import Citation, Period, Program, Rule, Severity, hookimpl

#: The core test dossier (tests/data/core-dossier.json) as JSON data; tests must not change it.
DOSSIER: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "core-dossier.json").read_text())
SHIPMENT: str = DOSSIER["shipments"][0]["id"]
CITE = Citation(authority="Test authority", title="Test rules", reference="a test publication")
PROGRAM = Program(id="demo", title="Demo", authority="Test", effective=Period(dt.date(2026, 6, 1)), citation=CITE,
                  eligible_summary="demo ok")


def make_plugin(*rules: Rule, programs: tuple[Program, ...] = (PROGRAM,), config_schema: Any = None,
                **extra: Any) -> types.SimpleNamespace:
    """A plugin object with the demo program (or `programs`), `rules`, an optional config schema
    (``{"demo": {...}}``) and any other hook implementations by name."""
    ns = types.SimpleNamespace(__version__="1.2.3")

    @hookimpl
    def greentrade_programs() -> list[Program]:
        return list(programs)

    @hookimpl
    def greentrade_rules() -> list[Rule]:
        return list(rules)

    ns.greentrade_programs = greentrade_programs
    ns.greentrade_rules = greentrade_rules
    if config_schema is not None:
        @hookimpl
        def greentrade_config_schema() -> Any:
            return config_schema
        ns.greentrade_config_schema = greentrade_config_schema
    for name, fn in extra.items():
        setattr(ns, name, hookimpl(fn))
    return ns


def rule(id: str, check: Any, **kw: Any) -> Rule:
    """A rule of the demo program (basis ``stated``, severity error unless `kw` says otherwise)."""
    kw.setdefault("program", "demo")
    kw.setdefault("basis", "stated")
    return Rule(id=id, title=id, severity=kw.pop("severity", Severity.ERROR), check=check, citation=CITE, **kw)
