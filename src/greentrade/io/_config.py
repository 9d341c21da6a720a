"""Host configuration: from a mapping or a TOML file, checked against `config.schema.json`."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from greentrade._files import DEFAULT_MAX_INPUT_BYTES, InputError, read_bytes
from greentrade.errors import ConfigError
from greentrade.io._configfile import at_line, table_prefix, where
from greentrade.io._describe import describe
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
    at most 64 MiB); in a ``pyproject.toml`` the configuration is its ``[tool.greentrade]`` table.
    Errors name the file, the line and the key, and say in words what is expected."""
    if source is None:
        return {}
    path: Path | None = None
    text = ""
    if isinstance(source, str | Path):
        import tomllib

        path = Path(source)
        try:
            # A byte order mark (as some Windows editors write) is not part of the TOML text.
            text = read_bytes(path, DEFAULT_MAX_INPUT_BYTES).decode("utf-8-sig")
            data: Any = tomllib.loads(text)
        except InputError as exc:
            raise ConfigError(f"configuration: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"configuration {str(path)!r} is not valid TOML: {_toml_message(str(exc))}") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"configuration {str(path)!r} is not UTF-8 text (byte {exc.start}: {exc.reason})") from None
        except RecursionError:
            raise ConfigError(f"configuration {str(path)!r} is nested too deeply") from None
        for key in table_prefix(path):
            data = data.get(key, {}) if isinstance(data, Mapping) else {}
    else:
        data = source
    try:
        data = _plain(data)
        if validator("config").is_valid(data):
            return dict(data)
        # The first errors only (bounded work for a huge file); the one nearest the top is shown.
        errors = sorted(itertools.islice(validator("config").iter_errors(data), 100),
                        key=lambda e: list(map(str, e.absolute_path)))
    except RecursionError:
        raise ConfigError("configuration is nested too deeply") from None
    if errors:
        e = errors[0]
        keys: tuple[str | int, ...] = tuple(e.absolute_path)
        if e.validator == "additionalProperties" and isinstance(e.instance, Mapping):
            allowed = set(e.schema.get("properties", {})) if isinstance(e.schema, Mapping) else set()
            keys += tuple(sorted(set(map(str, e.instance)) - allowed))[:1]
        if path is None:
            place = f"at {_short(where(keys), 200)}"
        else:
            place = f"in {at_line(path, keys)}: {_short(where([*table_prefix(path), *keys]), 200)}"
        raise ConfigError(f"configuration error {place}: {_short(describe(e))}", keys=keys)
    return dict(data)


def _toml_message(message: str) -> str:
    """tomllib's message, as ``line 3, column 9: invalid value`` with a hint for the usual slips."""
    m = re.match(r"(.*) \(at line (\d+), column (\d+)\)$", message)
    if not m:
        return _short(message)
    what, line, column = m.groups()
    hint = ""
    if what.lower() in ("invalid value", "invalid statement", "expected newline or end of document after a statement"):
        hint = " (text needs quotes: key = \"value\"; a date is written 2026-06-30, a list [\"a\", \"b\"])"
    return f"line {line}, column {column}: {_short(what[:1].lower() + what[1:])}{hint}"
