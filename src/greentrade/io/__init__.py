"""Reading dossiers (strict), the JSON schemas, host configuration and format migration.

Imports greentrade.model and greentrade.rules (see docs/architecture.md).
"""

from greentrade.io._config import ConfigError, load_config
from greentrade.io._load import DossierReadError, parse_date
from greentrade.io._migrate import MigrationError, migrate
from greentrade.io._read import read
from greentrade.io._schemas import schema, schema_names

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
