"""What a verdict rests on: the engine's enforcement of `Basis`.

Only a ``stated`` rule (its source says it) or a ``host`` rule (the host configured it) may
yield a violation, and so make a shipment not eligible. A host makes an ``inferred`` or
``practice`` rule binding with ``require = ["RULE-ID"]`` in a plugin's configuration section;
its findings then carry basis ``host``. A violation from any other rule is downgraded here
(an error to ``undetermined``, a warning to a warning note) and reported as a plugin fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from greentrade.i18n import msg
from greentrade.io._config import ConfigError
from greentrade.rules._rules import Basis, Effect, Finding, Rule, Severity

__all__ = ["REQUIRE_KEY", "Judged", "judge", "only_require", "required_rules", "without_require"]

#: The key of a ``[plugins.<section>]`` table that makes rules binding; read by the engine,
#: not by the plugin's configuration schema.
REQUIRE_KEY = "require"


def without_require(value: Any) -> Any:
    """A plugin section without the engine's ``require`` key (what the plugin's schema checks)."""
    if isinstance(value, Mapping) and REQUIRE_KEY in value:
        return {k: v for k, v in value.items() if k != REQUIRE_KEY}
    return value


def only_require(value: Any) -> bool:
    """A plugin section that holds nothing but the engine's ``require`` key."""
    return isinstance(value, Mapping) and set(value) == {REQUIRE_KEY}


def required_rules(plugins: Mapping[str, Any], plugin_rules: Iterable[str]) -> frozenset[str]:
    """The rule ids the host made binding, from every ``[plugins.<section>] require`` list.

    Raises `ConfigError` for a value that is not a list of rule ids of loaded plugins.
    """
    known = set(plugin_rules)
    out: set[str] = set()
    for section, value in sorted(plugins.items()):
        if not isinstance(value, Mapping) or REQUIRE_KEY not in value:
            continue
        ids = value[REQUIRE_KEY]
        if not isinstance(ids, list | tuple) or not all(isinstance(i, str) for i in ids):
            raise ConfigError(f"configuration error in [plugins.{section}] {REQUIRE_KEY}: "
                              "expected a list of rule ids, e.g. require = [\"CN-GC-010\"]")
        unknown = sorted(set(ids) - known)
        if unknown:
            raise ConfigError(
                f"configuration error in [plugins.{section}] {REQUIRE_KEY}: {', '.join(unknown)} "
                "is not a rule of a loaded plugin (see `greentrade rules`)")
        out.update(ids)
    return frozenset(out)


@attrs.frozen
class Judged:
    """A finding after the basis check, and the fault if its effect had to change."""

    finding: Finding
    fault: str | None = None


def applied(rule: Rule, hit_basis: Basis | None, required: frozenset[str]) -> Basis:
    """The basis a finding of `rule` rests on: the hit's own claim (a hit cannot claim
    ``stated`` for a rule that is not), ``host`` when the host made an inferred or practice
    rule binding."""
    basis = rule.basis
    if hit_basis is not None and (hit_basis is not Basis.STATED or rule.basis is Basis.STATED):
        basis = hit_basis
    if basis in (Basis.INFERRED, Basis.PRACTICE) and rule.id in required:
        basis = Basis.HOST
    return basis


def judge(rule: Rule, finding: Finding, hit_basis: Basis | None, required: frozenset[str],
          section: str | None = None) -> Judged:
    """The basis of a finding of `rule` (checked at the boundary, with the basis its hit
    claimed), and its effect once only binding rules may yield violations."""
    basis = applied(rule, hit_basis, required)
    if finding.effect is not Effect.VIOLATION or basis.binding:
        return Judged(attrs.evolve(finding, basis=basis) if basis is not finding.basis else finding)
    where = f"[plugins.{section}]" if section else "the plugin's [plugins.<section>]"
    decide = f'a source that states it, or the host making it binding ({where} require = ["{rule.id}"])'
    if finding.severity is Severity.ERROR:
        fault = msg("GT-ENGINE-006.undetermined", "rule {rule} has basis {basis} but yielded a violation; only "
                    "stated or host rules may make a shipment not eligible: reported as undetermined instead",
                    rule=rule.id, basis=str(basis))
        return Judged(attrs.evolve(finding, effect=Effect.UNDETERMINED, severity=Severity.WARNING,
                                   needs=decide, basis=basis), fault)
    fault = msg("GT-ENGINE-006.note", "rule {rule} has basis {basis} but yielded a violation; only stated or host "
                "rules may: reported as a note instead", rule=rule.id, basis=str(basis))
    return Judged(attrs.evolve(finding, effect=Effect.NOTE, basis=basis), fault)
