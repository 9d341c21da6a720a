"""Reading dossiers (strict), the JSON schemas, host configuration and format migration.

Imports greentrade.model and greentrade.rules (see docs/architecture.md). The names below are
imported on first use (PEP 562): the command line reads the schema names and the configuration
file without loading the dossier reader and the entities.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from greentrade.io._config import ConfigError, load_config
    from greentrade.io._load import DossierReadError, parse_date
    from greentrade.io._migrate import MigrationError, migrate
    from greentrade.io._read import read
    from greentrade.io._schemas import schema, schema_names

#: Each name and the module it comes from.
_LAZY = {
    "ConfigError": "greentrade.io._config",
    "load_config": "greentrade.io._config",
    "DossierReadError": "greentrade.io._load",
    "parse_date": "greentrade.io._load",
    "MigrationError": "greentrade.io._migrate",
    "migrate": "greentrade.io._migrate",
    "read": "greentrade.io._read",
    "schema": "greentrade.io._schemas",
    "schema_names": "greentrade.io._schemas",
}

__all__ = [
    "ConfigError",
    "DossierReadError",
    "MigrationError",
    "load_config",
    "migrate",
    "parse_date",
    "read",
    "schema",
    "schema_names",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'greentrade.io' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
