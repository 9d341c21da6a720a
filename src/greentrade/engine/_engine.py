"""The engine: plugins in, report out. No global state: each engine has its own plugins."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from greentrade import i18n
from greentrade._files import DEFAULT_MAX_INPUT_BYTES, check_max_bytes
from greentrade._version import __version__
from greentrade.engine import _contributions as boundary
from greentrade.engine import _hookapi as hookapi
from greentrade.engine._budget import DEFAULT_RULE_BUDGET, MAX_RULE_BUDGET
from greentrade.engine._collect import Contributions, CorePlugin, collect
from greentrade.engine._faults import ENGINE_RULE_INFOS, ENGINE_RULES, engine_finding, exc_summary
from greentrade.engine._gcpause import paused
from greentrade.engine._run import evaluate
from greentrade.errors import PluginConflictError, PluginError
from greentrade.i18n import msg
from greentrade.io._config import ConfigError, load_config
from greentrade.io._datarules import CORE_RULES
from greentrade.io._describe import did_you_mean
from greentrade.io._load import Loaded, load, parse_date
from greentrade.model import Dossier
from greentrade.plugin import hookspec
from greentrade.plugin.hookspec import HOOK_API_VERSION
from greentrade.rules._catalog import Catalog
from greentrade.rules._profiles import BuyerProfile
from greentrade.rules._report import PluginInfo, Report, RuleInfo
from greentrade.rules._rules import Category, Finding, Program, Rule

if TYPE_CHECKING:
    from greentrade.readiness import Assessment

__all__ = ["ENTRY_POINT_GROUP", "Engine", "PluginConflictError", "PluginError"]

ENTRY_POINT_GROUP = "greentrade"


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
        lang: str | None = None,
    ) -> None:
        self._pm = pluggy.PluginManager("greentrade")
        self._pm.add_hookspecs(hookspec)
        self._pm.register(CorePlugin(), name="greentrade")
        self._versions: dict[str, str] = {}
        self._load_faults: list[Finding] = []
        self._not_enabled: list[str] = []
        self._not_enabled_versions: dict[str, str] = {}
        self._config = load_config(config)
        flag = self._config.get("greentrade", {}).get("strict")
        self.strict = bool(strict if strict is not None else flag)
        #: "reject" (default): unknown keys are errors; "warn": warnings, and the keys are ignored.
        self.unknown_keys = unknown_keys or self._config.get("greentrade", {}).get("unknown_keys", "reject")
        if self.unknown_keys not in ("reject", "warn"):
            raise ConfigError(f"unknown_keys must be 'reject' or 'warn', not {boundary.short(self.unknown_keys)}")
        section = self._config.get("greentrade", {})
        #: The language of the reports' texts (a shipped BCP 47 tag, `greentrade.i18n.SHIPPED`):
        #: `lang`, else ``[greentrade] lang``, else English. One not shipped is English, and
        #: `lang_note` says so.
        self.lang, self.lang_note = i18n.resolve(lang if lang is not None else section.get("lang"))
        #: Whether the language was chosen (by `lang` or the configuration), not the default.
        self.lang_chosen = lang is not None or bool(section.get("lang"))
        #: Seconds each rule may run per dossier (summed over its calls); 0 disables the budget.
        budget = rule_time_budget if rule_time_budget is not None else section.get("rule_time_budget",
                                                                                    DEFAULT_RULE_BUDGET)
        if type(budget) not in (int, float) or not 0 <= budget <= MAX_RULE_BUDGET:
            raise ConfigError(f"rule_time_budget must be a number of seconds from 0 to {MAX_RULE_BUDGET:g}, "
                              f"not {boundary.short(budget)}")
        self.rule_time_budget = float(budget)
        #: The largest input `validate` reads, in bytes.
        try:
            self.max_input_bytes = check_max_bytes(
                max_input_bytes if max_input_bytes is not None
                else section.get("max_input_bytes", DEFAULT_MAX_INPUT_BYTES))
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        #: ``state`` (default): an outcome that rests on an inferred or practice premise lists it
        #: under ``assumptions``; ``undetermined``: such an outcome is undetermined instead
        #: (``[greentrade] assumptions``).
        self.assumptions: str = section.get("assumptions", "state")
        if self.assumptions not in ("state", "undetermined"):
            raise ConfigError(f"assumptions must be 'state' or 'undetermined', not {boundary.short(self.assumptions)}")
        #: The evaluation date when `validate` is given none (``[greentrade] as_of``).
        try:
            self.as_of: dt.date | None = parse_date(section["as_of"]) if "as_of" in section else None
        except ValueError as exc:
            raise ConfigError(f"configuration error at greentrade/as_of: {exc}", keys=("greentrade", "as_of")) from None
        self._cache: Contributions | None = None
        #: The report's rule list, built once per collection of the contributions.
        self._infos: tuple[Contributions, tuple[RuleInfo, ...]] | None = None
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
        """Register a plugin object or module explicitly; returns its name.

        A plugin whose ``GREENTRADE_HOOK_API`` range excludes this core's
        `greentrade.plugin.HOOK_API_VERSION` is not registered: it becomes a ``GT-ENGINE-001``
        finding on every report (strict mode raises `PluginError`)."""
        name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        with self._collecting:
            if self._pm.has_plugin(name):
                raise PluginConflictError(f"a plugin named {name!r} is already registered")
            refusal = _hook_api_refusal(plugin, name)
            if refusal is not None:  # not registered: a GT-ENGINE-001 finding (PluginError in strict mode)
                self._fault(PluginError(refusal), "GT-ENGINE-001", refusal, name)
                return name
            self._pm.register(plugin, name=name)
            self._versions[name] = version or str(getattr(plugin, "__version__", "unknown"))
            self._cache = None
        return name

    def load_entry_points(self, allow: Iterable[str] | None = None) -> list[str]:
        """Load plugins of the ``greentrade`` entry-point group.

        `allow` (or, if None, the ``[greentrade] plugins`` list of the configuration) limits
        loading to the named entry points; None loads every installed plugin. A plugin that
        fails to import becomes a ``GT-ENGINE-001`` finding on every report (strict mode
        raises `PluginError` instead). A name in the configuration's list that is not installed
        raises `ConfigError` with the nearest installed name (a name in `allow` that is not
        installed is a ``GT-ENGINE-001`` finding); installed plugins left out are listed by
        `not_enabled`. Returns the names registered.
        """
        import importlib.metadata  # here, not at import time: it costs more than 20 ms to import

        configured = allow is None
        if allow is None:
            allow = self._config.get("greentrade", {}).get("plugins")
        allowed = None if allow is None else set(allow)
        loaded: list[str] = []
        eps = sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
        seen = {ep.name for ep in eps}
        for missing in sorted((allowed or set()) - seen):
            near = did_you_mean(missing, seen)
            if configured:  # a misspelt name in the configuration: an error, never a silently missing program
                raise ConfigError(f"configuration error at greentrade/plugins: plugin {missing!r} is not installed"
                                  f"{near} (installed: {', '.join(sorted(seen)) or 'none'})",
                                  keys=("greentrade", "plugins"))
            said = msg("GT-ENGINE-001.not-installed", "plugin {plugin!r} is allowed but not installed{near}",
                       plugin=missing, near=near)
            self._fault(PluginError(said), "GT-ENGINE-001", said, missing)
        for ep in eps:
            if allowed is not None and ep.name not in allowed:
                if ep.name not in self._not_enabled:
                    self._not_enabled.append(ep.name)
                    self._not_enabled_versions[ep.name] = getattr(ep.dist, "version", None) or "unknown"
                continue
            if self._pm.has_plugin(ep.name):
                continue
            try:
                plugin = ep.load()
            except Exception as exc:
                self._fault(exc, "GT-ENGINE-001", msg("GT-ENGINE-001.failed", "plugin {plugin!r} failed to load: "
                                                      "{exception}", plugin=ep.name, exception=exc_summary(exc)),
                            ep.name)
                continue
            version = ep.dist.version if ep.dist is not None else None
            loaded.append(self.register(plugin, name=ep.name, version=version))
        return loaded

    @property
    def not_enabled(self) -> tuple[str, ...]:
        """Installed plugins that `load_entry_points` left out (not in its allowlist): installed, not enabled."""
        return tuple(sorted(self._not_enabled))

    def _report_plugins(self) -> list[PluginInfo]:
        """The report's plugins: those loaded, and those installed but not enabled."""
        return [*(PluginInfo(n, v) for n, v in self._versions.items()),
                *(PluginInfo(n, v, enabled=False) for n, v in self._not_enabled_versions.items()
                  if n not in self._versions)]

    def plugin_faults(self) -> dict[str, list[str]]:
        """Per plugin, what of it was refused or failed (``GT-ENGINE-001``/``-002`` messages), for
        ``greentrade plugins``: a plugin whose contributions were refused says so."""
        out: dict[str, list[str]] = {}
        for f in [*self._load_faults, *self._contributions().faults]:
            if f.rule in ("GT-ENGINE-001", "GT-ENGINE-002") and f.subject:
                out.setdefault(f.subject, []).append(f.message)
        return out

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
    def _contributions(self) -> Contributions:
        cache = self._cache
        if cache is not None:
            return cache
        with self._collecting:
            if self._cache is None:
                self._cache = collect(self._pm, self._config, strict=self.strict)
            return self._cache

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

    def _rule_infos(self) -> tuple[RuleInfo, ...]:
        c = self._contributions()
        cached = self._infos
        if cached is not None and cached[0] is c:
            return cached[1]
        infos = tuple(RuleInfo(id=r.id, title=r.title, plugin=self.rule_owner(r.id), program=r.program,
                               basis=self.rule_basis(r), declared_basis=str(r.basis), citation=r.citation,
                               remediation=r.remediation or None) for r in self.rules)
        self._infos = (c, infos)
        return infos

    # -- deprecated ------------------------------------------------------------------------
    def assess(self, source: bytes | str | Path | Mapping[str, Any] | Dossier, *,
               markets: Iterable[str] | None = None, as_of: dt.date | None = None) -> Assessment:
        """Deprecated: call ``greentrade.assess(engine, source, markets=..., as_of=...)`` (same
        result). Removed in 0.2, back as a warning shim in 0.3, removed again in 0.4."""
        warnings.warn(
            "Engine.assess() is deprecated: call greentrade.assess(engine, source, markets=..., as_of=...), "
            "which gives the same result; Engine.assess() is removed in greentrade 0.4",
            DeprecationWarning, stacklevel=2,
        )
        # The readiness layer builds on the engine: imported by name at call time, so that the
        # engine keeps no import of it (the layers contract) for the one release of this shim.
        readiness = importlib.import_module("greentrade.readiness")
        assessment: Assessment = readiness.assess(self, source, markets=markets, as_of=as_of)
        return assessment

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
        with paused():
            return self._evaluate(self._load(source), as_of)

    def _load(self, source: bytes | str | Path | Mapping[str, Any] | Dossier) -> Loaded:
        """Read and check a dossier with this engine's vocabulary and settings."""
        return load(source, frozenset(self._contributions().categories), unknown_keys=self.unknown_keys,
                    max_bytes=self.max_input_bytes)

    def _evaluate(self, loaded: Loaded, as_of: dt.date | None) -> Report:
        as_of = as_of if as_of is not None else self.as_of
        evaluated, outcomes, findings = evaluate(
            self._contributions(), loaded, as_of, strict=self.strict,
            rule_time_budget=self.rule_time_budget, load_faults=self._load_faults,
            assumptions=self.assumptions)
        return Report.build(
            version=__version__,
            plugins=self._report_plugins(),
            rules=self._rule_infos(),
            known_rules=ENGINE_RULE_INFOS,
            as_of=as_of,
            sha256=loaded.sha256,
            evaluated=evaluated,
            outcomes=outcomes,
            findings=findings,
            lang=self.lang,
        )


def _hook_api_refusal(plugin: object, name: str) -> str | None:
    """Why `plugin` is refused for the hook-API range it states, or None."""
    spec = getattr(plugin, hookapi.ATTRIBUTE, None)
    if spec is None:
        return None
    try:
        if hookapi.accepts(spec, HOOK_API_VERSION):
            return None
    except hookapi.HookApiRangeError as exc:
        return msg("GT-ENGINE-001.hook-api-unreadable", "plugin {plugin!r} states an unreadable hook API range "
                   "{attribute}: {problem}; not loaded", plugin=name, attribute=hookapi.ATTRIBUTE, problem=str(exc))
    return msg("GT-ENGINE-001.hook-api", "plugin {plugin!r} is written for hook API {spec} and this greentrade "
               "{version} provides hook API {api}; not loaded (install a version of the plugin written for it)",
               plugin=name, spec=str(spec), version=__version__, api=HOOK_API_VERSION)
