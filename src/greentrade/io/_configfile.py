"""Where the host configuration comes from, and errors that point at its line.

`find_config` looks, unless a file is named: from the current directory up to the root, the
nearest directory with ``greentrade.toml`` (first) or a ``pyproject.toml`` with a
``[tool.greentrade]`` table gives the file (the way pytest, ruff and mypy find theirs); with
none, ``$GREENTRADE_CONFIG`` names it. In a ``pyproject.toml`` the configuration is the
``[tool.greentrade]`` table (``[tool.greentrade.greentrade]``, ``[tool.greentrade.plugins.X]``).

`locate` finds the line of a key in the TOML text, so that a configuration error reads
``greentrade.toml, line 3: [greentrade] strikt: unknown key (did you mean 'strict'?)``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

__all__ = ["ENV_VAR", "Found", "find_config", "locate", "table_prefix"]

ENV_VAR = "GREENTRADE_CONFIG"
NAME = "greentrade.toml"
_TOOL = re.compile(rb"^\s*\[\s*tool\s*\.\s*greentrade\s*[\].]", re.M)


@attrs.frozen
class Found:
    """The configuration file in use (None: no file, the defaults) and how it was chosen."""

    path: Path | None
    how: str  # "--config", "greentrade.toml", "pyproject.toml", ENV_VAR or "none"


def find_config(explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None,
                environ: Mapping[str, str] | None = None) -> Found:
    """The configuration file: `explicit` if given, else the nearest greentrade.toml or
    pyproject.toml with ``[tool.greentrade]`` from `cwd` upwards, else ``$GREENTRADE_CONFIG``."""
    if explicit:
        return Found(Path(explicit), "--config")
    start = (cwd or Path.cwd()).absolute()
    for folder in [start, *start.parents]:
        own = folder / NAME
        if own.is_file():
            return Found(own, NAME)
        project = folder / "pyproject.toml"
        if project.is_file() and _has_tool_table(project):
            return Found(project, "pyproject.toml")
    env = (os.environ if environ is None else environ).get(ENV_VAR)
    if env:
        return Found(Path(env), ENV_VAR)
    return Found(None, "none")


def _has_tool_table(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(1 << 20)
    except OSError:
        return False
    return _TOOL.search(head) is not None


def table_prefix(path: Path | str) -> tuple[str, ...]:
    """The table that holds greentrade's configuration in this file."""
    return ("tool", "greentrade") if Path(path).name == "pyproject.toml" else ()


# -- finding a key's line --------------------------------------------------------------------------
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("([^"]*)"|'([^']*)'|[A-Za-z0-9_-]+)\s*=""")


def _split(header: str) -> list[str]:
    parts = re.findall(r"""\s*("[^"]*"|'[^']*'|[^.\s]+)\s*(?:\.|$)""", header)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def locate(text: str, keys: Sequence[str | int]) -> int | None:
    """The 1-based line of the entry `keys` (table names, then the key; list indexes are
    skipped) in the TOML `text`, or of the nearest table that holds it; None if not found."""
    names = [k for k in keys if isinstance(k, str)]
    best: tuple[int, int] | None = None  # (depth matched, line)
    table: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if m := _HEADER.match(line):
            table = _split(m.group(1))
            depth = _common(table, names)
            if depth == len(table) and (best is None or depth > best[0]):
                best = (depth, number)
            continue
        if m := _KEY.match(line):
            key = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(1)
            full = [*table, key]
            depth = _common(full, names)
            if depth == len(full) and (best is None or depth > best[0]):
                best = (depth, number)
    return best[1] if best else None


def _common(a: Sequence[str], b: Sequence[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def where(keys: Sequence[str | int]) -> str:
    """Keys as a reader of the TOML file sees them: ``[plugins.cn-green-channel] pilot_ports[0]``."""
    out, names = "", [k for k in keys if isinstance(k, str)]
    if len(names) > 1:
        out = f"[{'.'.join(names[:-1])}] "
    last_name = len(keys) - 1 - [isinstance(k, str) for k in reversed(keys)].index(True) if names else -1
    out += "".join(f"[{k}]" if isinstance(k, int) else k for k in keys[last_name:]) if names else ""
    return out.strip() or "(top level)"


def at_line(path: Path | str, keys: Sequence[str | int]) -> str:
    """``FILE, line N`` for the entry `keys` of the configuration in `path` (``FILE`` alone
    when the line cannot be found)."""
    full = [*table_prefix(path), *keys]
    try:
        line = locate(Path(path).read_text("utf-8", errors="replace"), full)
    except OSError:
        line = None
    return f"{path}, line {line}" if line else str(path)
