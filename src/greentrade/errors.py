"""Every exception greentrade raises to its callers, all derived from `GreentradeError`.

A host catches ``greentrade.errors.GreentradeError`` for "greentrade refused this input or
setup"; the subclasses say what. Each class is also importable from the module that raises it
(``greentrade.io.DossierReadError`` and so on). This module imports nothing from greentrade:
it is the bottom layer (docs/architecture.md).
"""

from __future__ import annotations

__all__ = [
    "BatchError",
    "CaseError",
    "ConfigError",
    "DesignatorError",
    "DossierReadError",
    "GreentradeError",
    "InputError",
    "MarketError",
    "MigrationError",
    "OutputError",
    "PluginConflictError",
    "PluginDataError",
    "PluginError",
    "RuleDataError",
    "SettingsError",
    "SourceImportError",
    "UnitError",
]


class GreentradeError(Exception):
    """The base class of every exception greentrade raises on purpose."""


class InputError(GreentradeError):
    """The input cannot be read (not a regular file, too large, unreadable)."""


class OutputError(GreentradeError):
    """The output cannot be written; the message starts with ``cannot write``."""


class DesignatorError(GreentradeError, ValueError):
    """Raised for text that is not a standard designator."""


class DossierReadError(GreentradeError):
    """The input cannot be read as a dossier (not JSON, or not a JSON object)."""


class ConfigError(GreentradeError):
    """The host configuration is unreadable or invalid. `keys` names the offending entry (as
    ``("greentrade", "as_of")``) when one is to blame, so that a caller who read the
    configuration from a file can point at its line (`greentrade.io.locate_config_error`)."""

    def __init__(self, message: str, keys: tuple[str | int, ...] | None = None) -> None:
        super().__init__(message)
        self.keys = keys


class MigrationError(GreentradeError):
    """The input is not a valid format-1 dossier (or the migration would lose something)."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class PluginDataError(GreentradeError):
    """A plugin's data file is unreadable or does not match its schema."""


class PluginError(GreentradeError):
    """A plugin fault raised in strict mode."""


class PluginConflictError(PluginError):
    """Two plugins contribute the same id (a rule, program, category or catalog entry)."""


class MarketError(GreentradeError, ValueError):
    """A market given to `assess` is neither a profile region nor an ISO 3166-1 country code."""


class SourceImportError(GreentradeError):
    """A file cannot be imported at all (unreadable, not the format, unsupported version)."""


class SettingsError(GreentradeError):
    """A setting of ``greentrade serve`` is unusable; the service does not start (exit status 2)."""


class CaseError(GreentradeError):
    """A rule-case file is unreadable or malformed."""


class UnitError(GreentradeError, ValueError):
    """An unknown unit, or a conversion the units do not allow (``Product.quantity``)."""


class RuleDataError(GreentradeError, ValueError):
    """A plugin's rule data and its check functions do not fit together (``rules_from_data``)."""


class BatchError(GreentradeError):
    """A batch cannot run at all (e.g. a worker process cannot build its engine)."""
