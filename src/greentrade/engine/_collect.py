"""Collecting what plugins contribute through pluggy, and checking it at the boundary.

Each hook is called one plugin at a time, so that a plugin's fault stays with that plugin
(``GT-ENGINE-002``) and the other plugins' contributions still count. The values are checked
against their annotations by `greentrade.engine._contributions`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
import pluggy

from greentrade.engine import _basis, _loud
from greentrade.engine import _contributions as boundary
from greentrade.engine._faults import ENGINE_RULES, engine_finding, exc_summary
from greentrade.errors import PluginConflictError, PluginError
from greentrade.i18n import msg
from greentrade.io._config import ConfigError
from greentrade.io._datarules import CORE_RULES
from greentrade.io._describe import describe, did_you_mean
from greentrade.io._schemas import SchemaValidator
from greentrade.model import _convert
from greentrade.plugin import hookspec
from greentrade.rules._catalog import Catalog
from greentrade.rules._profiles import BuyerProfile
from greentrade.rules._refdata import core_reference, with_groups
from greentrade.rules._rules import Category, Effect, Finding, Program, Rule

__all__ = ["Contributions", "CorePlugin", "collect"]

_T = TypeVar("_T")


class CorePlugin:
    """The core's own contributions: the base category vocabulary."""

    @hookspec.hookimpl
    def greentrade_categories(self) -> list[Category]:
        raw = json.loads(
            resources.files("greentrade").joinpath("data/categories.json").read_text("utf-8")
        )
        return [_convert.structure(c, Category) for c in raw["categories"]]


@attrs.frozen
class Contributions:
    """What the plugins and the host contribute, checked; collected once per engine."""

    programs: Mapping[str, Program]
    rules: tuple[Rule, ...]
    categories: Mapping[str, Category]
    reference: Mapping[str, Any]
    catalog: Catalog
    config_schemas: Mapping[str, Mapping[str, Any]]
    faults: tuple[Finding, ...]
    rule_owner: Mapping[str, str]
    settings: Mapping[str, Any]
    profiles: Mapping[str, BuyerProfile]
    #: Shipment-scope rules per program id, in rule id order.
    by_program: Mapping[str, tuple[Rule, ...]]
    #: Programs that cannot be decided because a rule of theirs was rejected, with the reasons.
    broken: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: Rules the host made binding ([plugins.<section>] require).
    required: frozenset[str] = frozenset()


def collect(pm: pluggy.PluginManager, config: Mapping[str, Any], *, strict: bool) -> Contributions:
    """Call every contribution hook of `pm` and check the results against the host's `config`.
    In `strict` mode a plugin's fault raises `PluginError`; otherwise it becomes a finding."""
    return _Collection(pm, config, strict).collect()


class _Collection:
    """One collection of an engine's contributions."""

    def __init__(self, pm: pluggy.PluginManager, config: Mapping[str, Any], strict: bool) -> None:
        self._pm, self._config, self.strict = pm, config, strict
        #: (plugin, hook) pairs whose call raised
        self._hook_failed: set[tuple[str, str]] = set()
        #: Reference data of the core and the plugins, before the host's overrides.
        self._contributed: dict[str, Any] = {}

    def _call(self, hook_name: str, faults: list[Finding]) -> Iterator[tuple[str, Any]]:
        hook = getattr(self._pm.hook, hook_name)
        # get_hookimpls() lists implementations in registration order, wrappers last (pluggy
        # calls them in reverse). Each plugin's implementation is called alone, so that a fault
        # stays with its plugin, but through pluggy's hook execution with every wrapper: hosts'
        # wrappers (wrapper=True / hookwrapper=True) wrap each plugin's call, and pluggy's tracing
        # and call monitoring (`plugin_manager`) see it. `subset_hook_caller` would do the same
        # but needs hashable plugin objects; `_hookexec` is what every pluggy 1.x HookCaller calls.
        impls = hook.get_hookimpls()
        wrappers = [i for i in impls if i.hookwrapper or i.wrapper]
        for impl in impls:
            if impl.hookwrapper or impl.wrapper:
                continue
            try:
                results = self._pm._hookexec(hook_name, [impl, *wrappers], {}, False)
                result = results[0] if isinstance(results, list) and results else None
                if result is not None and not isinstance(result, Mapping | list | tuple):
                    result = list(result)  # a generator runs here, inside the isolation
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # SystemExit too: a plugin never ends the host's process
                message = msg("GT-ENGINE-002.hook-raised", "plugin {plugin!r} hook {hook} raised {exception}",
                              plugin=impl.plugin_name, hook=hook_name, exception=exc_summary(exc))
                if self.strict:
                    raise PluginError(message) from exc
                faults.append(engine_finding("GT-ENGINE-002", message, impl.plugin_name))
                self._hook_failed.add((impl.plugin_name, hook_name))
                continue
            if result is not None:
                yield impl.plugin_name, result

    def _reject(self, faults: list[Finding], owner: str, message: str) -> None:
        if self.strict:
            raise PluginError(message)
        faults.append(engine_finding("GT-ENGINE-002", message, owner))

    def _items(self, hook_name: str, check: Callable[[Any], _T], what: str,
               faults: list[Finding]) -> Iterator[tuple[str, _T | None, Any]]:
        """(owner, checked item or None if rejected, raw item) for each contributed item."""
        for owner, result in self._call(hook_name, faults):
            items = result if isinstance(result, list | tuple) else [result]
            for item in items:
                try:
                    checked = check(item)
                except boundary.Rejected as exc:
                    if exc.field:
                        ident = boundary.short(getattr(item, "id", None) or getattr(item, "designator", None))
                        message = msg("GT-ENGINE-002.rejected-field", "plugin {plugin!r} hook {hook}: {what} {item} "
                                      "rejected: field {field}: {problem}", plugin=owner, hook=hook_name, what=what,
                                      item=ident, field=exc.field, problem=exc.problem)
                    else:
                        expected = exc.problem.split(", got ")[0]  # "expected Rule, got str"
                        message = msg("GT-ENGINE-002.returned", "plugin {plugin!r} hook {hook} returned {type}, "
                                      "{expected}", plugin=owner, hook=hook_name, type=type(item).__name__,
                                      expected=expected)
                    self._reject(faults, owner, message)
                    yield owner, None, item
                    continue
                yield owner, checked, item

    def _first_by_id(self, hook_name: str, check: Callable[[Any], _T], what: str,
                     faults: list[Finding]) -> dict[str, _T]:
        """Contributions keyed by id; a duplicate id keeps the first and is reported."""
        found: dict[str, _T] = {}
        for owner, item, _raw in self._items(hook_name, check, what, faults):
            if item is None:
                continue
            key = item.id  # type: ignore[attr-defined]
            if key in found:
                faults.append(engine_finding(
                    "GT-ENGINE-002", msg("GT-ENGINE-002.duplicate", "{what} {key!r} from {plugin!r} is already "
                                         "defined; kept the first", what=what, key=key, plugin=owner), owner))
                continue
            found[key] = item
        return found

    def collect(self) -> Contributions:
        faults: list[Finding] = []
        for owner, message in _loud.unknown_hooks(self._pm):  # a misspelt hook: its contributions are missing
            self._reject(faults, owner, message)
        programs: dict[str, Program] = {}
        program_owner: dict[str, str] = {}
        for owner, p, _raw in self._items("greentrade_programs", boundary.check_program, "program", faults):
            if p is None:
                continue
            if p.id in programs:
                raise PluginConflictError(f"program id {p.id!r} is defined twice (again by {owner!r})")
            programs[p.id] = p
            program_owner[p.id] = owner
        rules: list[Rule] = []
        owners: dict[str, str] = {r: "greentrade" for r in (*CORE_RULES, *ENGINE_RULES)}
        #: program id -> why it cannot be decided (a rule of it was rejected)
        broken: dict[str, list[str]] = {}

        def break_programs(owner: str, program: object, why: str) -> None:
            targets = [program] if isinstance(program, str) and program in programs else (
                [] if isinstance(program, str) else [p for p, o in program_owner.items() if o == owner])
            for pid in targets:
                broken.setdefault(str(pid), []).append(why)

        for owner, r, raw in self._items("greentrade_rules", boundary.check_rule, "rule", faults):
            if r is None:
                rid = getattr(raw, "id", None)
                why = (msg("GT-ENGINE-002.rule-rejected", "rule {rule} of plugin {plugin!r} was rejected",
                           rule=boundary.short(rid), plugin=owner) if isinstance(rid, str) else
                       msg("GT-ENGINE-002.value-rejected", "a {type} value of plugin {plugin!r} was rejected",
                           type=type(raw).__name__, plugin=owner))
                break_programs(owner, getattr(raw, "program", None), why)
                continue
            if r.id in owners:
                raise PluginConflictError(
                    f"rule id {r.id!r} is contributed by both {owners[r.id]!r} and {owner!r}"
                )
            owners[r.id] = owner
            if r.program is not None and r.program not in programs:
                faults.append(engine_finding(
                    "GT-ENGINE-002",
                    msg("GT-ENGINE-002.unknown-program", "rule {rule!r} of plugin {plugin!r} belongs to unknown "
                        "program {program!r}; not run", rule=r.id, plugin=owner, program=r.program),
                    owner))
                continue
            rules.append(r)
        no_basis: dict[str, list[str]] = {}
        for r in rules:
            if r.no_basis:
                no_basis.setdefault(owners[r.id], []).append(r.id)
        for owner, ids in sorted(no_basis.items()):
            faults.append(engine_finding(
                "GT-ENGINE-009",
                msg("GT-ENGINE-009.no-basis", "plugin {plugin!r}: {count} rule(s) declare no basis and are read as "
                    "basis 'inferred' ({rules}); a Rule without basis= is deprecated since greentrade 0.3 and "
                    "refused from 0.4 on", plugin=owner, count=len(ids),
                    rules=", ".join(ids[:10]) + (", ..." if len(ids) > 10 else "")), owner, effect=Effect.NOTE))
        for owner, hook in sorted(self._hook_failed):
            if hook == "greentrade_rules":  # the plugin's rules are unknown: its programs cannot be decided
                break_programs(owner, None, msg("GT-ENGINE-002.rules-not-loaded", "the rules of plugin {plugin!r} "
                                                "could not be loaded", plugin=owner))
        for pid in _loud.programs_without_rules(programs, rules):
            if pid not in broken:  # a program no rule belongs to is never eligible
                broken[pid] = [msg("GT-ENGINE-002.no-rule", "no rule of plugin {plugin!r} belongs to it",
                                   plugin=program_owner[pid])]
        categories: dict[str, Category] = self._first_by_id(
            "greentrade_categories", boundary.check_category, "category", faults)
        entries = [e for _o, e, _r in self._items(
            "greentrade_standards", boundary.check_catalog_entry, "catalog entry", faults) if e is not None]
        schemas: dict[str, Mapping[str, Any]] = {}
        sections: dict[str, set[str]] = {}
        for owner, data in self._call("greentrade_config_schema", faults):
            if not isinstance(data, Mapping):
                self._reject(faults, owner, msg("GT-ENGINE-002.config-schema-type", "plugin {plugin!r} hook "
                                                "greentrade_config_schema returned {type}, expected a mapping of "
                                                "section names to JSON Schemas", plugin=owner,
                                                type=type(data).__name__))
                continue
            for section, schema in data.items():
                try:
                    checked = boundary.check_config_schema(section, schema)
                except boundary.Rejected as exc:
                    self._reject(faults, owner, msg("GT-ENGINE-002.config-schema-section", "plugin {plugin!r} hook "
                                                    "greentrade_config_schema: section {section} rejected: {problem}",
                                                    plugin=owner, section=boundary.short(section), problem=str(exc)))
                    continue
                if section in schemas:
                    raise PluginConflictError(f"configuration section {section!r} is declared twice ({owner!r})")
                schemas[section] = checked
                sections.setdefault(owner, set()).add(section)
        reference = self._reference(faults, sections)
        settings = self._check_settings(schemas)
        required = _basis.required_rules(self._config.get("plugins", {}), (r.id for r in rules))
        profiles: dict[str, BuyerProfile] = self._first_by_id(
            "greentrade_buyer_profiles", boundary.check_profile, "buyer profile", faults
        )
        for i, raw in enumerate(self._config.get("profiles", [])):
            try:
                profile = _convert.structure(raw, BuyerProfile)
            except Exception as exc:
                raise ConfigError(f"configuration error in profiles[{i}]: {boundary.short(str(exc), 300)}") from None
            profiles[profile.id] = profile
        for pid, profile in list(profiles.items()):  # country groups from the reference data
            try:
                profiles[pid] = with_groups(profile, reference)
            except ValueError as exc:
                if any(raw.get("id") == pid for raw in self._config.get("profiles", []) if isinstance(raw, Mapping)):
                    raise ConfigError(f"configuration error in profiles: {exc}") from None
                del profiles[pid]
                self._reject(faults, pid, msg("GT-ENGINE-002.profile", "{problem}; the profile is not loaded",
                                              problem=str(exc)))
        _loud.check_reference_overrides(self._config.get("reference", {}), self._contributed, profiles.values())
        ordered = tuple(sorted(rules, key=lambda r: r.id))
        return Contributions(
            programs=MappingProxyType(programs),
            rules=ordered,
            categories=MappingProxyType(categories),
            reference=reference,
            catalog=Catalog(entries),
            config_schemas=MappingProxyType(schemas),
            faults=tuple(faults),
            rule_owner={r.id: owners[r.id] for r in rules},
            settings=settings,
            profiles=MappingProxyType(dict(sorted(profiles.items()))),
            by_program={
                pid: tuple(r for r in ordered if r.program == pid and r.scope == "shipment")
                for pid in programs
            },
            broken={pid: tuple(sorted(set(why))) for pid, why in broken.items()},
            required=required,
        )

    def _reference(self, faults: list[Finding], sections: Mapping[str, set[str]]) -> Mapping[str, Any]:
        """Reference data: each plugin's under its own prefix (its name or a configuration
        section it declares, then a dot), then the host's ``[reference]`` overrides. The core's
        own data sets (``greentrade.*``, see `_refdata`) come first; only the host may replace them."""
        reference: dict[str, Any] = {k: boundary.freeze(v, k) for k, v in core_reference().items()}
        prefixes: dict[str, str] = {}  # prefix -> the plugin it belongs to
        for name in self._pm.list_name_plugin():
            prefixes[name[0]] = name[0]
        for owner, owned in sections.items():
            for section in owned:
                prefixes[section] = owner

        def owner_of(key: str) -> str | None:
            for prefix, plugin in sorted(prefixes.items(), key=lambda p: -len(p[0])):
                if key == prefix or key.startswith(prefix + "."):
                    return plugin
            return None

        for owner, data in self._call("greentrade_reference_data", faults):
            if not isinstance(data, Mapping):
                self._reject(faults, owner, msg("GT-ENGINE-002.reference-type", "plugin {plugin!r} "
                                                "greentrade_reference_data returned {type}, expected a mapping",
                                                plugin=owner, type=type(data).__name__))
                continue
            for key, value in data.items():
                if type(key) is not str:
                    self._reject(faults, owner, msg("GT-ENGINE-002.reference-name", "plugin {plugin!r} "
                                                    "greentrade_reference_data: name {name} is not a string; not "
                                                    "applied", plugin=owner, name=boundary.short(key)))
                    continue
                holder = owner_of(key)
                if holder != owner:
                    whose = (msg("GT-ENGINE-002.reference-whose", "belongs to plugin {plugin!r}", plugin=holder)
                             if holder else msg("GT-ENGINE-002.reference-unowned",
                                                "is not under the plugin's own prefix"))
                    own = ", ".join(sorted(f"{p}." for p, o in prefixes.items() if o == owner))
                    self._reject(faults, owner, msg("GT-ENGINE-002.reference-foreign", "plugin {plugin!r} "
                                                    "greentrade_reference_data: data set {name} {whose} (its own "
                                                    "prefixes: {own}); not applied (only the host's [reference] may "
                                                    "override another plugin's data)", plugin=owner,
                                                    name=boundary.short(key), whose=whose, own=own))
                    continue
                try:
                    reference[key] = boundary.freeze(value, key)
                except boundary.Rejected as exc:
                    self._reject(faults, owner, msg("GT-ENGINE-002.reference-value", "plugin {plugin!r} "
                                                    "greentrade_reference_data: {problem}; not applied", plugin=owner,
                                                    problem=str(exc)))
        self._contributed = dict(reference)  # before the host's overrides, which are checked against it
        for key, value in self._config.get("reference", {}).items():
            try:
                reference[key] = boundary.freeze(value, key)
            except boundary.Rejected as exc:  # pragma: no cover - configuration is JSON-like by construction
                raise ConfigError(f"configuration error in [reference]: {exc}") from None
        return MappingProxyType(reference)

    def _check_settings(self, schemas: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any]:
        given: Mapping[str, Any] = self._config.get("plugins", {})
        for section, value in given.items():
            if section not in schemas and _basis.only_require(value):
                continue  # a plugin without settings may still have rules the host requires
            if section not in schemas:
                known = ", ".join(sorted(schemas)) or "none"
                raise ConfigError(
                    f"configuration section [plugins.{section if len(section) <= 100 else section[:97] + '...'}] "
                    f"belongs to no loaded plugin{did_you_mean(section, schemas)} "
                    f"(sections of loaded plugins: {known})", keys=("plugins", section)
                )
            check = SchemaValidator(schemas[section])
            plain = _basis.without_require(value)
            errors = [] if check.is_valid(plain) else list(itertools.islice(check.iter_errors(plain), 1))
            if errors:
                e = errors[0]
                where = "/".join(map(str, e.absolute_path))
                raise ConfigError(
                    f"configuration error in [plugins.{section}] {where}: {boundary.short(describe(e), 300)}",
                    keys=("plugins", section, *e.absolute_path))
        settings: dict[str, Any] = {}
        for section, schema in schemas.items():
            value = dict(_basis.without_require(given.get(section, {})))
            # Top-level defaults of the plugin's schema apply when the host leaves a key out.
            for key, prop in (schema.get("properties") or {}).items():
                if isinstance(prop, Mapping) and "default" in prop and key not in value:
                    value[key] = prop["default"]
            settings[section] = value
        # Read-only for rules: a rule that changed its settings would change every later run.
        return boundary.freeze(settings)  # type: ignore[no-any-return]
