"""The hook-API version a plugin states it was written for (``GREENTRADE_HOOK_API``).

A plugin module (or object) may carry ``GREENTRADE_HOOK_API = ">=1.0,<2"``: a comma-separated
list of comparisons (``>=``, ``>``, ``<=``, ``<``, ``==``, ``!=``, ``~=``) with dotted numeric
versions, as in PEP 440 version specifiers. The engine compares it with the core's
`greentrade.plugin.HOOK_API_VERSION` when the plugin is registered (docs/hooks.md).
"""

from __future__ import annotations

import re

__all__ = ["ATTRIBUTE", "HookApiRangeError", "accepts"]

#: The attribute a plugin module or object states its range in.
ATTRIBUTE = "GREENTRADE_HOOK_API"

_CLAUSE = re.compile(r"\s*(>=|<=|==|!=|~=|>|<)\s*(\d+(?:\.\d+)*)\s*\Z")


class HookApiRangeError(ValueError):
    """The stated range is not a list of comparisons with versions."""


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def _pad(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    n = max(len(a), len(b))
    return a + (0,) * (n - len(a)), b + (0,) * (n - len(b))


def accepts(spec: object, version: str) -> bool:
    """Whether `version` (``MAJOR.MINOR``) is in the range `spec`; raises `HookApiRangeError`
    for a range that cannot be read."""
    if not isinstance(spec, str) or not spec.strip():
        raise HookApiRangeError(f"expected a string such as '>=1.0,<2', got {spec!r:.60}")
    have = _version(version)
    for clause in spec.split(","):
        m = _CLAUSE.match(clause)
        if m is None:
            raise HookApiRangeError(f"cannot read {clause.strip()!r:.60} (expected e.g. '>=1.0,<2')")
        op, raw = m.groups()
        mine, theirs = _pad(have, _version(raw))
        if op == "~=":  # compatible release: >= X.Y and == X.*
            prefix = _version(raw)[:-1] or _version(raw)
            if not (mine >= theirs and have[: len(prefix)] == prefix):
                return False
            continue
        ok = {">=": mine >= theirs, ">": mine > theirs, "<=": mine <= theirs, "<": mine < theirs,
              "==": mine == theirs, "!=": mine != theirs}[op]
        if not ok:
            return False
    return True
