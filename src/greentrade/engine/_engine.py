"""The engine: plugins in, report out. No global state: each engine has its own plugins."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
import pluggy

from greentrade._files import DEFAULT_MAX_INPUT_BYTES
from greentrade._version import __version__
from greentrade.engine import _basis
from greentrade.engine import _contributions as boundary
from greentrade.engine._budget import DEFAULT_RULE_BUDGET, Budget, RuleTimeout
from greentrade.engine._faults import ENGINE_RULES, engine_finding, exc_summary, omission
from greentrade.errors import PluginConflictError, PluginError
from greentrade.io._bounds import Bounded
from greentrade.io._config import ConfigError, load_config
from greentrade.io._load import CORE_RULES, Loaded, load, parse_date
from greentrade.io._schemas import SchemaValidator
from greentrade.model import _convert
from greentrade.model._entities import Dossier, Shipment
from greentrade.plugin import hookspec
from greentrade.rules._catalog import Catalog
from greentrade.rules._profiles import BuyerProfile
from greentrade.rules._refdata import core_reference, with_groups
from greentrade.rules._report import Outcome, PluginInfo, Report, RuleInfo
from greentrade.rules._rules import (
    Category,
    Effect,
    Finding,
    Program,
    Rule,
    RuleContext,
    Severity,
    Status,
)

__all__ = ["ENTRY_POINT_GROUP", "Engine", "PluginConflictError", "PluginError"]

ENTRY_POINT_GROUP = "greentrade"
_T = TypeVar("_T")

class _CorePlugin:
    """The core's own contributions: the base category vocabulary."""

    @hookspec.hookimpl
    def greentrade_categories(self) -> list[Category]:
        raw = json.loads(
            resources.files("greentrade").joinpath("data/categories.json").read_text("utf-8")
        )
        return [_convert.structure(c, Category) for c in raw["categories"]]


@attrs.frozen
class _Contributions:
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


class Engine:
    """Validates dossiers with the rules of the plugins registered on this engine.

    >>> engine = Engine()                    # core only; add plugins:
    >>> engine.register(my_plugin)           # doctest: +SKIP
    >>> engine.load_entry_points(["cn-green-channel"])  # doctest: +SKIP
    >>> report = engine.validate(Path("dossier.json"))  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        config: Mapping[str, Any] | str | Path | None = None,
        strict: bool | None = None,
        unknown_keys: str | None = None,
        rule_time_budget: float | None = None,
        max_input_bytes: int | None = None,
    ) -> None:
        self._pm = pluggy.PluginManager("greentrade")
        self._pm.add_hookspecs(hookspec)
        self._pm.register(_CorePlugin(), name="greentrade")
        self._versions: dict[str, str] = {}
        self._load_faults: list[Finding] = []
        self._config = load_config(config)
        flag = self._config.get("greentrade", {}).get("strict")
        self.strict = bool(strict if strict is not None else flag)
        #: "reject" (default): unknown keys are errors; "warn": warnings, and the keys are ignored.
        self.unknown_keys = unknown_keys or self._config.get("greentrade", {}).get("unknown_keys", "reject")
        if self.unknown_keys not in ("reject", "warn"):
            raise ConfigError(f"unknown_keys must be 'reject' or 'warn', not {boundary.short(self.unknown_keys)}")
        section = self._config.get("greentrade", {})
        #: Seconds each rule may run per dossier (summed over its calls); 0 disables the budget.
        self.rule_time_budget = float(
            rule_time_budget if rule_time_budget is not None
            else section.get("rule_time_budget", DEFAULT_RULE_BUDGET)
        )
        if not self.rule_time_budget >= 0 or self.rule_time_budget == float("inf"):
            raise ConfigError(f"rule_time_budget must be a number of seconds >= 0, not {self.rule_time_budget!r}")
        #: The largest input `validate` reads, in bytes.
        self.max_input_bytes = int(
            max_input_bytes if max_input_bytes is not None
            else section.get("max_input_bytes", DEFAULT_MAX_INPUT_BYTES)
        )
        if self.max_input_bytes < 1:
            raise ConfigError(f"max_input_bytes must be a positive number of bytes, not {self.max_input_bytes}")
        #: The evaluation date when `validate` is given none (``[greentrade] as_of``).
        try:
            self.as_of: dt.date | None = parse_date(section["as_of"]) if "as_of" in section else None
        except ValueError as exc:
            raise ConfigError(f"configuration error at greentrade/as_of: {exc}") from None
        self._cache: _Contributions | None = None
        self._hook_failed: set[tuple[str, str]] = set()
        # Contributions are collected once, by one thread: hosts share an engine across threads.
        self._collecting = threading.RLock()

    # -- plugins -------------------------------------------------------------------------
    @property
    def plugin_manager(self) -> pluggy.PluginManager:
        """This engine's own pluggy plugin manager, for tracing (``pm.trace.root.setwriter``)
        and call monitoring (``pm.add_hookcall_monitoring``). Register plugins with `register`
        or `load_entry_points`, which also record versions and refuse duplicate names."""
        return self._pm

    def register(self, plugin: object, name: str | None = None, version: str | None = None) -> str:
        """Register a plugin object or module explicitly; returns its name."""
        name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        with self._collecting:
            if self._pm.has_plugin(name):
                raise PluginConflictError(f"a plugin named {name!r} is already registered")
            self._pm.register(plugin, name=name)
            self._versions[name] = version or str(getattr(plugin, "__version__", "unknown"))
            self._cache = None
        return name

    def load_entry_points(self, allow: Iterable[str] | None = None) -> list[str]:
        """Load plugins of the ``greentrade`` entry-point group.

        `allow` (or, if None, the ``[greentrade] plugins`` list of the configuration) limits
        loading to the named entry points; None loads every installed plugin. A plugin that
        fails to import becomes a ``GT-ENGINE-001`` finding on every report (strict mode
        raises `PluginError` instead). Returns the names registered.
        """
        import importlib.metadata  # here, not at import time: it costs more than 20 ms to import

        if allow is None:
            allow = self._config.get("greentrade", {}).get("plugins")
        allowed = None if allow is None else set(allow)
        loaded: list[str] = []
        eps = sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
        seen = {ep.name for ep in eps}
        for missing in sorted((allowed or set()) - seen):
            self._fault(PluginError(f"plugin {missing!r} is allowed in the configuration but not installed"),
                        "GT-ENGINE-001", f"plugin {missing!r} is allowed but not installed", missing)
        for ep in eps:
            if allowed is not None and ep.name not in allowed:
                continue
            if self._pm.has_plugin(ep.name):
                continue
            try:
                plugin = ep.load()
            except Exception as exc:
                self._fault(exc, "GT-ENGINE-001",
                            f"plugin {ep.name!r} failed to load: {exc_summary(exc)}", ep.name)
                continue
            version = ep.dist.version if ep.dist is not None else None
            loaded.append(self.register(plugin, name=ep.name, version=version))
        return loaded

    def _fault(self, exc: BaseException, rule_id: str, message: str, subject: str | None) -> None:
        if self.strict:
            raise PluginError(message) from exc
        self._load_faults.append(engine_finding(rule_id, message, subject))

    @property
    def plugins(self) -> list[PluginInfo]:
        c = self._contributions()
        counts: dict[str, int] = {}
        for owner in c.rule_owner.values():
            counts[owner] = counts.get(owner, 0) + 1
        return sorted(
            (PluginInfo(name, self._versions[name], counts.get(name, 0)) for name in self._versions),
            key=lambda p: p.name,
        )

    # -- contributions -------------------------------------------------------------------
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
                message = f"plugin {impl.plugin_name!r} hook {hook_name} raised {exc_summary(exc)}"
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
                        message = (f"plugin {owner!r} hook {hook_name}: {what} {ident} rejected: "
                                   f"field {exc.field}: {exc.problem}")
                    else:
                        expected = exc.problem.split(", got ")[0]  # "expected Rule, got str"
                        message = f"plugin {owner!r} hook {hook_name} returned {type(item).__name__}, {expected}"
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
                    "GT-ENGINE-002", f"{what} {key!r} from {owner!r} is already defined; kept the first", owner))
                continue
            found[key] = item
        return found

    def _contributions(self) -> _Contributions:
        cache = self._cache
        if cache is not None:
            return cache
        with self._collecting:
            if self._cache is not None:
                return self._cache
            return self._collect()

    def _collect(self) -> _Contributions:
        faults: list[Finding] = []
        self._hook_failed = set()
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
                name = f"rule {boundary.short(rid)}" if isinstance(rid, str) else f"a {type(raw).__name__} value"
                break_programs(owner, getattr(raw, "program", None), f"{name} of plugin {owner!r} was rejected")
                continue
            if r.id in owners:
                raise PluginConflictError(
                    f"rule id {r.id!r} is contributed by both {owners[r.id]!r} and {owner!r}"
                )
            owners[r.id] = owner
            if r.program is not None and r.program not in programs:
                faults.append(engine_finding(
                    "GT-ENGINE-002",
                    f"rule {r.id!r} of plugin {owner!r} belongs to unknown program {r.program!r}; not run",
                    owner))
                continue
            rules.append(r)
        for owner, hook in sorted(self._hook_failed):
            if hook == "greentrade_rules":  # the plugin's rules are unknown: its programs cannot be decided
                break_programs(owner, None, f"the rules of plugin {owner!r} could not be loaded")
        categories: dict[str, Category] = self._first_by_id(
            "greentrade_categories", boundary.check_category, "category", faults)
        entries = [e for _o, e, _r in self._items(
            "greentrade_standards", boundary.check_catalog_entry, "catalog entry", faults) if e is not None]
        schemas: dict[str, Mapping[str, Any]] = {}
        sections: dict[str, set[str]] = {}
        for owner, data in self._call("greentrade_config_schema", faults):
            if not isinstance(data, Mapping):
                self._reject(faults, owner, f"plugin {owner!r} hook greentrade_config_schema returned "
                             f"{type(data).__name__}, expected a mapping of section names to JSON Schemas")
                continue
            for section, schema in data.items():
                try:
                    checked = boundary.check_config_schema(section, schema)
                except boundary.Rejected as exc:
                    self._reject(faults, owner, f"plugin {owner!r} hook greentrade_config_schema: section "
                                 f"{boundary.short(section)} rejected: {exc}")
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
                self._reject(faults, pid, f"{exc}; the profile is not loaded")
        ordered = tuple(sorted(rules, key=lambda r: r.id))
        self._cache = _Contributions(
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
        return self._cache

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
                self._reject(faults, owner, f"plugin {owner!r} greentrade_reference_data returned "
                             f"{type(data).__name__}, expected a mapping")
                continue
            for key, value in data.items():
                if type(key) is not str:
                    self._reject(faults, owner, f"plugin {owner!r} greentrade_reference_data: name "
                                 f"{boundary.short(key)} is not a string; not applied")
                    continue
                holder = owner_of(key)
                if holder != owner:
                    whose = f"belongs to plugin {holder!r}" if holder else "is not under the plugin's own prefix"
                    own = ", ".join(sorted(f"{p}." for p, o in prefixes.items() if o == owner))
                    self._reject(faults, owner, f"plugin {owner!r} greentrade_reference_data: data set "
                                 f"{boundary.short(key)} {whose} (its own prefixes: {own}); not applied "
                                 "(only the host's [reference] may override another plugin's data)")
                    continue
                try:
                    reference[key] = boundary.freeze(value, key)
                except boundary.Rejected as exc:
                    self._reject(faults, owner, f"plugin {owner!r} greentrade_reference_data: {exc}; not applied")
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
                    "belongs to no loaded plugin "
                    f"(sections of loaded plugins: {known})"
                )
            check = SchemaValidator(schemas[section])
            plain = _basis.without_require(value)
            errors = [] if check.is_valid(plain) else list(check.iter_errors(plain))
            if errors:
                e = errors[0]
                where = "/".join(map(str, e.absolute_path))
                raise ConfigError(
                    f"configuration error in [plugins.{section}] {where}: {boundary.short(e.message, 300)}")
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

    @property
    def rules(self) -> list[Rule]:
        """Every rule: the core's data rules, then plugin rules, by id."""
        return [*CORE_RULES.values(), *ENGINE_RULES.values(), *self._contributions().rules]

    @property
    def programs(self) -> list[Program]:
        return sorted(self._contributions().programs.values(), key=lambda p: p.id)

    @property
    def categories(self) -> list[Category]:
        return sorted(self._contributions().categories.values(), key=lambda c: c.id)

    @property
    def profiles(self) -> list[BuyerProfile]:
        """Buyer profiles of the plugins and the host configuration, by id."""
        return list(self._contributions().profiles.values())

    @property
    def catalog(self) -> Catalog:
        return self._contributions().catalog

    @property
    def reference(self) -> Mapping[str, Any]:
        return self._contributions().reference

    def rule_owner(self, rule_id: str) -> str:
        return self._contributions().rule_owner.get(rule_id, "greentrade")

    def rule_basis(self, rule: Rule) -> str:
        """The rule's basis as applied: ``host`` for an inferred or practice rule the host requires."""
        required = self._contributions().required
        binding = rule.id in required and rule.basis in ("inferred", "practice")
        return "host" if binding else str(rule.basis)

    def _rule_infos(self) -> list[RuleInfo]:
        return [RuleInfo(id=r.id, title=r.title, plugin=self.rule_owner(r.id), program=r.program,
                         basis=self.rule_basis(r), declared_basis=str(r.basis)) for r in self.rules]

    # -- validation ------------------------------------------------------------------------
    def validate_many(self, sources: Iterable[bytes | str | Path | Mapping[str, Any] | Dossier], *,
                      jobs: int = 1, as_of: dt.date | None = None,
                      timeout: float | None = None) -> Iterator[Report]:
        """Validate many dossiers; yields one report per source, in input order.

        `sources` is read lazily (an unbounded stream is fine). With ``jobs >= 2`` or a
        per-dossier `timeout` (seconds), worker processes validate them; a worker that crashes
        or runs late is replaced and that dossier gets a ``GT-ENGINE-008`` report. Unreadable
        input gets a ``GT-ENGINE-007`` report instead of raising. See docs/scale.md.
        """
        from greentrade.engine._batch import validate_many

        return validate_many(self, sources, jobs=jobs, as_of=as_of, timeout=timeout)

    def validate(self, source: bytes | str | Path | Mapping[str, Any] | Dossier, *,
                 as_of: dt.date | None = None) -> Report:
        """Validate a dossier and return the report.

        `source` is JSON text (bytes or str), a path to a JSON file, JSON-compatible data or
        a `Dossier`. `as_of` is the evaluation date; by default each shipment is evaluated as
        of its ship date. Raises `DossierReadError` only for input that is not a JSON object.
        """
        return self._evaluate(self._load(source), as_of)

    def _load(self, source: bytes | str | Path | Mapping[str, Any] | Dossier) -> Loaded:
        """Read and check a dossier with this engine's vocabulary and settings."""
        return load(source, frozenset(self._contributions().categories), unknown_keys=self.unknown_keys,
                    max_bytes=self.max_input_bytes)

    def _evaluate(self, loaded: Loaded, as_of: dt.date | None) -> Report:
        c = self._contributions()
        as_of = as_of if as_of is not None else self.as_of
        found = Bounded()
        found.extend(self._load_faults)
        found.extend(c.faults)
        found.extend(loaded.findings)
        found.add_omitted(loaded.omitted)
        outcomes: list[Outcome] = []
        dossier = loaded.dossier
        evaluated = dossier is not None and not any(
            f.severity is Severity.ERROR for f in loaded.findings
        ) and not any(s is Severity.ERROR for _n, s in loaded.omitted.values())
        if dossier is not None and evaluated:
            run = _Run(self, c, dossier, loaded.pointers, as_of)
            with run.budget:
                for shipment in dossier.shipments:
                    f, o = run.shipment(shipment)
                    found.extend(f)
                    outcomes.extend(o)
                found.extend(run.dossier_rules({(o.program, o.subject): o for o in outcomes}))
        elif c.rules:
            found.append(engine_finding(
                "GT-ENGINE-004", "program rules were not run because the dossier has data errors"))
        findings = [*found.kept, *(omission(rule, n, worst, found.cap) for rule, (n, worst) in found.omitted.items())]
        return Report.build(
            version=__version__,
            plugins=[PluginInfo(n, v) for n, v in self._versions.items()],
            rules=self._rule_infos(),
            as_of=as_of,
            sha256=loaded.sha256,
            evaluated=evaluated,
            outcomes=outcomes,
            findings=findings,
        )


#: A single call of a rule's check may yield at most this many hits (more is a rule fault).
MAX_HITS_PER_CALL = 100_000


class _Run:
    """One validation: rules applied to one dossier."""

    def __init__(self, engine: Engine, c: _Contributions, dossier: Dossier,
                 pointers: Mapping[int, str], as_of: dt.date | None) -> None:
        self.engine, self.c, self.dossier, self.pointers, self.as_of = engine, c, dossier, pointers, as_of
        self.memo: dict[Any, Any] = {}
        self.budget = Budget(engine.rule_time_budget or None)

    def _context(self, as_of: dt.date, shipment: Shipment | None,
                 outcomes: Mapping[tuple[str, str], Outcome] | None = None) -> RuleContext:
        return RuleContext(
            dossier=self.dossier, as_of=as_of, shipment=shipment, settings=self.c.settings,
            reference=self.c.reference, categories=self.c.categories, catalog=self.c.catalog,
            pointers=self.pointers, profiles=self.c.profiles, outcomes=MappingProxyType(dict(outcomes or {})),
            programs=self.c.programs, memo=self.memo, required=self.c.required,
        )

    def _fault(self, rule: Rule, ctx: RuleContext, message: str) -> Finding:
        return engine_finding(
            "GT-ENGINE-003", message, rule.id, effect=Effect.UNDETERMINED,
            program=rule.program, shipment=ctx.shipment.id if ctx.shipment else None,
            pointer=self.pointers.get(id(ctx.shipment), "") if ctx.shipment else "")

    def _apply(self, rule: Rule, ctx: RuleContext) -> list[Finding]:
        """The findings of one call of `rule`; every fault of the rule (an exception, a bad
        hit, too much time) becomes one ``GT-ENGINE-003`` finding instead of its hits."""
        budget = self.budget
        if rule.id in budget.exhausted:
            return [self._fault(rule, ctx, f"rule {rule.id} was not run: it used up its time budget of "
                                           f"{budget.seconds:g} s on this dossier")]
        shipment = ctx.shipment.id if ctx.shipment else None
        out: list[Finding] = []
        over = False
        try:
            try:
                budget.start(rule.id)
                for hit in rule.check(ctx):
                    finding = boundary.finding_from_hit(rule, hit, shipment)
                    # Only stated or host rules may yield violations (see _basis).
                    j = _basis.judge(rule, finding, boundary.hit_basis(hit), self.c.required,
                                     self.c.rule_owner.get(rule.id))
                    if j.fault is not None:
                        if self.engine.strict:
                            raise PluginError(j.fault)
                        out.append(engine_finding("GT-ENGINE-006", j.fault, rule.id, effect=Effect.NOTE,
                                                   program=rule.program, shipment=shipment,
                                                   pointer=finding.pointer))
                    out.append(j.finding)
                    if len(out) > MAX_HITS_PER_CALL:
                        raise boundary.Rejected("", f"more than {MAX_HITS_PER_CALL} hits in one call")
            finally:
                over = budget.stop()
        except KeyboardInterrupt:
            raise
        except RuleTimeout:
            budget.stop()  # when the timeout came before the `finally` above could count the time
            message = (f"rule {rule.id} was stopped: it used up its time budget of {budget.seconds:g} s "
                       "on this dossier")
        except boundary.Rejected as exc:
            message = f"rule {rule.id} yielded a value the engine cannot use: {exc}"
        except BaseException as exc:  # SystemExit too: a rule never ends the host's process
            message = f"rule {rule.id} raised {exc_summary(exc)}"
        else:
            if not over:
                return out
            message = (f"rule {rule.id} used up its time budget of {budget.seconds:g} s on this dossier; "
                       "its result was discarded")
        if self.engine.strict:
            raise PluginError(message)
        return [self._fault(rule, ctx, message)]

    def dossier_rules(self, outcomes: Mapping[tuple[str, str], Outcome]) -> list[Finding]:
        # Without a host-given date, dossier rules are evaluated as of the latest ship date
        # (or, for a dossier without shipments, today): reports stay reproducible.
        dates = [s.ship_date for s in self.dossier.shipments]
        as_of = self.as_of or (max(dates) if dates else dt.date.today())
        ctx = self._context(as_of, None, outcomes)
        out: list[Finding] = []
        for rule in self.c.rules:
            if rule.scope == "dossier" and rule.effective.contains(as_of):
                out.extend(self._apply(rule, ctx))
        return out

    def shipment(self, shipment: Shipment) -> tuple[list[Finding], list[Outcome]]:
        as_of = self.as_of or shipment.ship_date
        ctx = self._context(as_of, shipment)
        findings: list[Finding] = []
        for rule in self.c.rules:
            if rule.scope == "shipment" and rule.program is None and rule.effective.contains(as_of):
                findings.extend(self._apply(rule, ctx))
        outcomes = []
        for program in sorted(self.c.programs.values(), key=lambda p: p.id):
            f, o = self._program(program, ctx, shipment, as_of)
            findings.extend(f)
            outcomes.append(o)
        return findings, outcomes

    def _program(self, program: Program, ctx: RuleContext, shipment: Shipment,
                 as_of: dt.date) -> tuple[list[Finding], Outcome]:
        def outcome(status: Status, summary: str, reasons: Sequence[str] = ()) -> Outcome:
            return Outcome(program.id, shipment.id, status, as_of, summary, tuple(sorted(set(reasons))))

        if not program.effective.contains(as_of):
            start = program.effective.start.isoformat() if program.effective.start else "open"
            end = program.effective.end.isoformat() if program.effective.end else "open"
            return [], outcome(Status.NOT_APPLICABLE,
                               f"{as_of.isoformat()} is outside the program's effective period ({start} to {end})")
        rules = [r for r in self.c.by_program.get(program.id, ()) if r.effective.contains(as_of)]
        findings: list[Finding] = []
        for rule in rules:
            if rule.role == "scope":
                findings.extend(self._apply(rule, ctx))
        out_of_scope = [f for f in findings if f.effect is Effect.NOT_APPLICABLE]
        if out_of_scope:
            shown = "; ".join(f.message for f in out_of_scope[:10])
            if len(out_of_scope) > 10:
                shown += f"; and {len(out_of_scope) - 10} more"
            return findings, outcome(Status.NOT_APPLICABLE, shown, [f.rule for f in out_of_scope])
        for why in self.c.broken.get(program.id, ()):
            findings.append(engine_finding(
                "GT-ENGINE-002", f"program {program.id!r} cannot be decided: {why}", program.id,
                effect=Effect.UNDETERMINED, program=program.id, shipment=shipment.id,
                pointer=self.pointers.get(id(shipment), ""), needs=why))
        for rule in rules:
            if rule.role == "check":
                findings.extend(self._apply(rule, ctx))
        errors = [f for f in findings if f.effect is Effect.VIOLATION and f.severity is Severity.ERROR]
        if errors:
            ids = sorted({f.rule for f in errors})
            return findings, outcome(Status.NOT_ELIGIBLE,
                                     f"{len(errors)} error finding(s): {', '.join(ids)}", ids)
        open_ = [f for f in findings if f.effect is Effect.UNDETERMINED]
        if open_:
            needs = sorted({f.needs or f.rule for f in open_})
            return findings, outcome(Status.UNDETERMINED, "needs: " + "; ".join(needs),
                                     [f.rule for f in open_])
        return findings, outcome(Status.ELIGIBLE, program.eligible_summary)
