"""Host configuration: from a mapping or a TOML file, checked against `config.schema.json`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from greentrade._schemas import validator

__all__ = ["ConfigError", "load_config"]


class ConfigError(Exception):
    """The host configuration is unreadable or invalid."""


def _plain(value: Any) -> Any:
    """TOML dates become ISO strings so that configuration is JSON-compatible."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def load_config(source: Mapping[str, Any] | str | Path | None) -> dict[str, Any]:
    """Read and check a configuration. A str or Path names a TOML file."""
    if source is None:
        return {}
    if isinstance(source, str | Path):
        import tomllib

        path = Path(source)
        try:
            data: Any = tomllib.loads(path.read_text("utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read configuration {str(path)!r}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"configuration {str(path)!r} is not valid TOML: {exc}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"configuration {str(path)!r} is not UTF-8 text") from None
    else:
        data = source
    data = _plain(data)
    if validator("config").is_valid(data):
        return dict(data)
    errors = sorted(validator("config").iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        e = errors[0]
        where = "/".join(map(str, e.absolute_path)) or "(top level)"
        raise ConfigError(f"configuration error at {where}: {e.message}")
    return dict(data)
