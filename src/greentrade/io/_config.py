"""Host configuration: from a mapping or a TOML file, checked against `config.schema.json`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from greentrade._files import DEFAULT_MAX_INPUT_BYTES, InputError, read_bytes
from greentrade.errors import ConfigError
from greentrade.io._schemas import validator

__all__ = ["ConfigError", "load_config"]


def _plain(value: Any) -> Any:
    """TOML dates become ISO strings so that configuration is JSON-compatible."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def load_config(source: Mapping[str, Any] | str | Path | None) -> dict[str, Any]:
    """Read and check a configuration. A str or Path names a TOML file (a regular file of
    at most 64 MiB)."""
    if source is None:
        return {}
    if isinstance(source, str | Path):
        import tomllib

        path = Path(source)
        try:
            # A byte order mark (as some Windows editors write) is not part of the TOML text.
            data: Any = tomllib.loads(read_bytes(path, DEFAULT_MAX_INPUT_BYTES).decode("utf-8-sig"))
        except InputError as exc:
            raise ConfigError(f"configuration: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"configuration {str(path)!r} is not valid TOML: {_short(str(exc))}") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"configuration {str(path)!r} is not UTF-8 text (byte {exc.start}: {exc.reason})") from None
        except RecursionError:
            raise ConfigError(f"configuration {str(path)!r} is nested too deeply") from None
    else:
        data = source
    try:
        data = _plain(data)
        if validator("config").is_valid(data):
            return dict(data)
        errors = sorted(validator("config").iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    except RecursionError:
        raise ConfigError("configuration is nested too deeply") from None
    if errors:
        e = errors[0]
        where = "/".join(map(str, e.absolute_path)) or "(top level)"
        raise ConfigError(f"configuration error at {_short(where, 200)}: {_short(e.message)}")
    return dict(data)
