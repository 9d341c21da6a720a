"""Mistakes are loud: what a plugin author or a host gets wrong is said, never silently ignored.

- `unknown_hooks`: an implementation of a hook greentrade does not have (``greentrade_rule`` for
  ``greentrade_rules``), as pluggy's ``check_pending()`` finds it, with a "did you mean".
- `programs_without_rules`: a program no rule belongs to cannot be decided (it is never
  `eligible`).
- `check_reference_overrides`: a ``[reference]`` name the host gives must be a data set of the
  core or of a loaded plugin (or one a loaded buyer profile reads), and its value must be of the
  same kind (a table, a list, text, a number) as the data set it replaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pluggy

from greentrade.errors import ConfigError
from greentrade.i18n import msg
from greentrade.io._describe import did_you_mean
from greentrade.rules._profiles import BuyerProfile
from greentrade.rules._rules import Program, Rule

__all__ = ["check_reference_overrides", "programs_without_rules", "unknown_hooks"]


def unknown_hooks(pm: pluggy.PluginManager) -> Iterator[tuple[str, str]]:
    """(plugin, message) for each implementation of a hook with no specification (optional hooks
    excepted), the way ``pm.check_pending()`` judges them."""
    try:
        pm.check_pending()
        return
    except pluggy.PluginValidationError:
        pass
    known = sorted(n for n in dir(pm.hook) if not n.startswith("_") and getattr(pm.hook, n).has_spec())
    for name in sorted(n for n in dir(pm.hook) if not n.startswith("_")):
        caller = getattr(pm.hook, name)
        if caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if impl.optionalhook:
                continue
            yield impl.plugin_name, msg(
                "GT-ENGINE-002.unknown-hook", "plugin {plugin!r} implements {hook!r}, which is not a greentrade "
                "hook, so it is never called{near}; its contributions are missing (mark a hook of your own with "
                "optionalhook=True)", plugin=impl.plugin_name, hook=name, near=did_you_mean(name, known))


def programs_without_rules(programs: Mapping[str, Program], rules: Iterable[Rule]) -> list[str]:
    """Ids of the programs that no rule belongs to."""
    used = {r.program for r in rules}
    return sorted(pid for pid in programs if pid not in used)


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "null" if value is None else type(value).__name__


def _profile_keys(profiles: Iterable[BuyerProfile]) -> set[str]:
    return {req.effective_from_reference for p in profiles for req in p.requirements
            if req.effective_from_reference}


def check_reference_overrides(given: Mapping[str, Any], contributed: Mapping[str, Any],
                              profiles: Iterable[BuyerProfile]) -> None:
    """`ConfigError` for a ``[reference]`` name that nothing reads, or a value that is not of the
    kind of the data set it replaces."""
    read = _profile_keys(profiles)
    for name, value in given.items():
        if name in contributed:
            want, got = _kind(contributed[name]), _kind(value)
            if want != got:
                raise ConfigError(f"configuration error in [reference] {name!r}: expected {want} like the data "
                                  f"set it replaces, not {got}", keys=("reference", name))
            continue
        if name in read:
            continue
        short = name if len(name) <= 80 else name[:77] + "..."
        known = sorted({*contributed, *read})
        raise ConfigError(
            f"configuration error in [reference]: {short!r} is not a data set of greentrade or of a loaded "
            f"plugin{did_you_mean(name, known)}; it would be ignored (known: {', '.join(known) or 'none'})",
            keys=("reference", name))
