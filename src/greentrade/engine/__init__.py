"""The engine: collecting and checking what plugins contribute, and the run of the rules.

Imports greentrade.model, .rules, .io and .plugin (see docs/architecture.md).
"""

from greentrade.engine._engine import ENTRY_POINT_GROUP, Engine, PluginConflictError, PluginError

__all__ = ["ENTRY_POINT_GROUP", "Engine", "PluginConflictError", "PluginError"]
