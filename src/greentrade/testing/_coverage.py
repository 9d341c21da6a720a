"""Rule-case coverage: for each rule of a plugin, which of its effects a passing case reaches.

A rule's *effects* are ``pass`` (a case expects it to find nothing but notes), and the kinds of
finding it yields: ``violation``, ``warning``, ``undetermined``, ``not_applicable``, ``note``.
Which of them a rule can yield is what it declares (``Rule.yields``, the ``yields`` key of a
rule in a plugin's data file) or, when it declares nothing, what its check function's code can
reach: the ``ctx.violation``/``ctx.warning``/``ctx.undetermined``/``ctx.not_applicable``/``ctx.note``
calls in it and in the functions of its module it refers to (``warn_unless_binding`` counts as
warning and violation, ``unstated`` as undetermined). A rule that cannot reach what its code
suggests declares what it yields.

Only what a case asserts counts: findings an expected finding matched, and ``pass`` from an
exact case whose rules under test found nothing of that rule but notes.
"""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from greentrade.rules._rules import YIELDS, Rule
from greentrade.testing._cases import CaseResult

__all__ = ["EFFECTS", "PluginCoverage", "RuleCoverage", "can_yield", "case_coverage", "finding_effect"]

#: Every effect a rule case can reach, in the order reports list them.
EFFECTS = YIELDS

_CTX = {"violation": "violation", "warning": "warning", "undetermined": "undetermined",
        "not_applicable": "not_applicable", "note": "note", "assume": "note"}
_HELPERS = {"warn_unless_binding": ("warning", "violation"), "unstated": ("undetermined",)}


def finding_effect(finding: Mapping[str, Any]) -> str:
    """The effect a finding (JSON form) shows: its effect, with a note of severity warning or
    error counted as ``warning``."""
    effect = str(finding["effect"])
    if effect == "note" and finding.get("severity") in ("warning", "error"):
        return "warning"
    return effect


@functools.cache
def _module_functions(module_name: str) -> Mapping[str, ast.AST]:
    import sys

    module = sys.modules.get(module_name)
    try:
        tree = ast.parse(inspect.getsource(module)) if module is not None else None
    except (OSError, TypeError):
        tree = None
    if tree is None:
        return {}
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def _code_effects(fn: Any) -> frozenset[str] | None:
    """What the code of `fn` and of its module's functions it refers to can yield, or None when
    its source cannot be read."""
    fn = inspect.unwrap(fn)
    module_name = getattr(fn, "__module__", None)
    name = getattr(fn, "__name__", "")
    functions = _module_functions(module_name) if module_name else {}
    if name in functions:
        start: ast.AST = functions[name]
    else:  # a lambda or a nested function: its own source
        try:
            start = ast.parse(textwrap.dedent(inspect.getsource(fn)).strip())
        except (OSError, TypeError, SyntaxError):
            return None
    found: set[str] = set()
    seen: set[int] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in _CTX:
                found.add(_CTX[sub.func.attr])
            elif isinstance(sub, ast.Name) and sub.id in _HELPERS:
                found.update(_HELPERS[sub.id])
            elif isinstance(sub, ast.Name) and sub.id in functions and functions[sub.id] is not node:
                todo.append(functions[sub.id])
    return frozenset(found)


def can_yield(rule: Rule) -> frozenset[str]:
    """The effects `rule` can yield: what it declares, else ``pass`` and what its code reaches."""
    if rule.yields:
        return frozenset(rule.yields)
    found = _code_effects(rule.check)
    return frozenset({"pass", *(found or ())})


@attrs.frozen
class RuleCoverage:
    rule: str
    expected: frozenset[str]
    reached: frozenset[str]
    #: Effects cases reached that the rule does not declare (a wrong ``yields``).
    undeclared: frozenset[str] = frozenset()

    @property
    def missing(self) -> frozenset[str]:
        return self.expected - self.reached


@attrs.frozen
class PluginCoverage:
    plugin: str
    rules: tuple[RuleCoverage, ...]

    @property
    def total(self) -> int:
        return sum(len(r.expected) for r in self.rules)

    @property
    def covered(self) -> int:
        return sum(len(r.expected & r.reached) for r in self.rules)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0

    def text(self, *, verbose: bool = False) -> str:
        lines = [f"{self.plugin}: {self.covered}/{self.total} rule effects reached by a case ({self.percent:.1f}%)"]
        for r in self.rules:
            if r.missing or r.undeclared or verbose:
                order = [e for e in EFFECTS if e in r.expected]
                parts = [f"{e} {'ok' if e in r.reached else 'MISSING'}" for e in order]
                if r.undeclared:
                    parts.append(f"reached but not declared: {', '.join(sorted(r.undeclared))}")
                lines.append(f"  {r.rule:<14} {', '.join(parts)}")
        return "\n".join(lines)


def case_coverage(results: Iterable[CaseResult], plugins: Iterable[str] | None = None) -> list[PluginCoverage]:
    """Coverage per plugin from passing case results (each with the engine that ran it).

    `plugins` limits the plugins reported; by default every plugin that owns a rule under test
    of some case. Every rule of such a plugin counts, including those no case tests."""
    rules: dict[str, Rule] = {}
    owner: dict[str, str] = {}
    reached: dict[str, set[str]] = {}
    tested_plugins: set[str] = set()
    for result in results:
        engine = result.engine
        if engine is None:
            continue
        for r in engine.rules:
            o = engine.rule_owner(r.id)
            if o != "greentrade":
                rules.setdefault(r.id, r)
                owner.setdefault(r.id, o)
        for rid in result.case.rules:
            if rid in owner:
                tested_plugins.add(owner[rid])
        if not result.passed:
            continue
        for f in result.matched:
            reached.setdefault(str(f["rule"]), set()).add(finding_effect(f))
        if result.case.match == "exact":
            found = {str(f["rule"]) for f in result.matched if finding_effect(f) != "note"}
            for rid in result.case.rules:
                if rid not in found:
                    reached.setdefault(rid, set()).add("pass")
    wanted = set(plugins) if plugins is not None else tested_plugins
    out = []
    for plugin in sorted(wanted):
        covs = []
        for rid in sorted(r for r, o in owner.items() if o == plugin):
            expected = can_yield(rules[rid])
            got = frozenset(reached.get(rid, ()))
            undeclared = (got - expected) if rules[rid].yields else frozenset()
            covs.append(RuleCoverage(rid, expected, got, undeclared))
        out.append(PluginCoverage(plugin, tuple(covs)))
    return out
