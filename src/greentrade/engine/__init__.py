"""The engine: collecting and checking what plugins contribute, and the run of the rules.

Imports greentrade.model, .rules, .io and .plugin (see docs/architecture.md). The names below
are imported on first use (PEP 562), so that a light part of the engine (such as
``greentrade.engine._cores``) can be imported without the whole of it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from greentrade.engine._engine import ENTRY_POINT_GROUP, Engine, PluginConflictError, PluginError

__all__ = ["ENTRY_POINT_GROUP", "Engine", "PluginConflictError", "PluginError"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'greentrade.engine' has no attribute {name!r}")
    from greentrade.engine import _engine

    value = getattr(_engine, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
