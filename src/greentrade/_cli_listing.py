"""``greentrade rules | plugins | categories | standards | config``: listings as text or JSON.

The JSON is the service's (``GET /v1/rules`` and the others: `greentrade.server._openapi.listings`),
so a script gets the same document from the command line and from the service. The text is a
short line per item, no longer than 100 columns where the values allow.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from greentrade._files import escape_controls

if TYPE_CHECKING:
    from greentrade.cli import Options
    from greentrade.engine._engine import Engine

__all__ = ["config", "listing"]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def listing(engine: Engine, command: str, form: str) -> str:
    from greentrade.server._openapi import listings

    data = listings(engine)[command]
    if form == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    lines: list[str] = []
    if command == "rules":
        basis = {rule.id: engine.rule_basis(rule) for rule in engine.rules}
        for r in data:
            start, end = r["effective"]["start"], r["effective"]["end"]
            period = f"{start or '…'} to {end or '…'}" if start or end else "always"
            lines.append(f"{r['id']:<16} {r['severity']:<8} {basis[r['id']]:<9} {r['program'] or '-':<24} {period}")
            lines.append(f"{'':<16} {_cut(r['title'], 80 - len(r['plugin']))} ({r['plugin']})")
            c = r["citation"]
            lines.append(f"{'':<16} source: {_cut(c['authority'] + ': ' + c['title'], 74)}")
    elif command == "plugins":
        for p in data:
            if p.get("enabled") is False:
                lines.append(f"{p['name']:<28} {p['version']:<12} installed, not enabled ([greentrade] plugins)")
                continue
            lines.append(f"{p['name']:<28} {p['version']:<12} {p['rules']} rule(s)")
            lines.extend(f"  refused: {_cut(f, 200)}" for f in p.get("faults", ()))
    elif command == "categories":
        lines = [f"{c['id']:<28} HS {_cut(', '.join(c['hs_codes']) or '-', 24):<24} {_cut(c['title'], 44)}"
                 for c in data]
    else:
        lines = _standards(data)
    return "".join(escape_controls(line) + "\n" for line in lines)


def _standards(data: list[dict[str, Any]]) -> list[str]:
    by_program: dict[str, list[dict[str, Any]]] = {}
    for e in data:
        by_program.setdefault(e["program"] or "-", []).append(e)
    if not by_program:
        return ["no standards catalog is loaded"]
    lines = []
    for pid, entries in sorted(by_program.items()):
        size = entries[0]["catalog_size"]
        lines.append(f"{pid}: {len(entries)} of {size} known" if size else f"{pid}: {len(entries)} known")
        for e in entries:
            lines.append(f"  {e['designator']:<28} {_cut(e['title'], 68)}")
            old = ", ".join(e["superseded"]) or "-"
            lines.append(f"  {'':<28} supersedes: {_cut(old, 56)}")
            import textwrap

            lines += textwrap.wrap(f"categories: {', '.join(e['categories']) or '-'}", width=100,
                                   initial_indent=" " * 31, subsequent_indent=" " * 43, break_on_hyphens=False)
            c = e["citation"]
            lines.append(f"  {'':<28} source: {_cut(c['authority'] + ': ' + c['title'], 60)}")
    return lines


# -- greentrade config -----------------------------------------------------------------------------
def _effective(engine: Engine, found: Any) -> dict[str, Any]:
    from greentrade.io._config import load_config

    given = load_config(found)
    section = dict(given.get("greentrade", {}))
    section.update(strict=engine.strict, unknown_keys=engine.unknown_keys, rule_time_budget=engine.rule_time_budget,
                   max_input_bytes=engine.max_input_bytes)
    section["as_of"] = engine.as_of.isoformat() if engine.as_of else None  # None: each shipment's ship date
    section["plugins"] = [p.name for p in engine.plugins]
    out: dict[str, Any] = {"greentrade": section}
    settings = engine._contributions().settings
    if settings:
        out["plugins"] = {name: _thaw(value) for name, value in sorted(settings.items())}
    for key in ("reference", "profiles"):
        if key in given:
            out[key] = given[key]
    return out


def _thaw(value: Any) -> Any:
    if hasattr(value, "items"):
        return {str(k): _thaw(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset):
        return [_thaw(v) for v in value]
    return value


def config(opts: Options, form: str, write: Callable[[str, str | None], None]) -> int:
    """Which file configures this run (and how it was found), then the effective configuration."""
    engine = opts.engine()
    effective = _effective(engine, opts.config)
    source = {"path": str(opts.found.path) if opts.found.path else None, "found_by": opts.found.how}
    if form == "json":
        write(json.dumps({"source": source, "configuration": effective}, indent=2, ensure_ascii=False) + "\n", None)
        return 0
    how = {"--config": "named by --config", "greentrade.toml": "found: the nearest greentrade.toml",
           "pyproject.toml": "found: [tool.greentrade] of the nearest pyproject.toml",
           "GREENTRADE_CONFIG": "named by $GREENTRADE_CONFIG"}
    head = (f"# configuration: {opts.found.path} ({how.get(opts.found.how, opts.found.how)})"
            if opts.found.path else "# configuration: none found (greentrade.toml, pyproject.toml [tool.greentrade], "
            "$GREENTRADE_CONFIG); the defaults apply")
    note = "" if engine.as_of else "\n# as_of is not set: each shipment is judged as of its ship date"
    text = head + "\n# effective configuration, defaults included:" + note + "\n" + toml(effective)
    write(escape_controls(text), None)
    return 0


def toml(data: dict[str, Any], prefix: str = "") -> str:
    """A small TOML writer for the configuration's shapes (tables, scalars, lists)."""
    plain = {k: v for k, v in data.items() if not isinstance(v, dict) and not _tables(v)}
    tables = {k: v for k, v in data.items() if k not in plain}
    out = ""
    if prefix and (plain or not tables):
        out += f"\n[{prefix}]\n"
    for k, v in plain.items():
        if v is not None:
            out += f"{_key(k)} = {_value(v)}\n"
    for k, v in tables.items():
        name = f"{prefix}.{_key(k)}" if prefix else _key(k)
        if isinstance(v, dict):
            out += toml(v, name)
        else:
            for item in v:
                out += f"\n[[{name}]]\n"
                out += "".join(f"{_key(a)} = {_value(b)}\n" for a, b in item.items() if b is not None)
    return out


def _tables(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _key(k: str) -> str:
    return k if k.replace("-", "").replace("_", "").isalnum() else json.dumps(k)


def _value(v: Any) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items() if x is not None) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)
