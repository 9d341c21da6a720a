"""The engine: plugins in, report out. No global state: each engine has its own plugins."""

from __future__ import annotations

import datetime as dt
import json
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pluggy

from greentrade import _convert, hookspec
from greentrade._catalog import Catalog
from greentrade._config import ConfigError, load_config
from greentrade._load import CORE_RULES, Loaded, load
from greentrade._model import Dossier, Shipment
from greentrade._profiles import BuyerProfile
from greentrade._report import Outcome, PluginInfo, Report
from greentrade._rules import (
    CatalogEntry,
    Category,
    Citation,
    Effect,
    Finding,
    Hit,
    Program,
    Rule,
    RuleContext,
    Severity,
    Status,
)
from greentrade._schemas import SchemaValidator
from greentrade._version import __version__

if TYPE_CHECKING:
    from greentrade._assess import Assessment

__all__ = ["ENTRY_POINT_GROUP", "Engine", "PluginConflictError", "PluginError"]

ENTRY_POINT_GROUP = "greentrade"
_T = TypeVar("_T")

_ENGINE = Citation(
    authority="greentrade",
    title="greentrade engine: plugin and rule faults",
    reference="docs/engine.md",
)
ENGINE_RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            id="GT-ENGINE-001", title="Plugins load", severity=Severity.ERROR,
            check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            remediation="Fix or uninstall the plugin, or leave it out of the [greentrade] plugins allowlist.",
        ),
        Rule(
            id="GT-ENGINE-002", title="Plugin hooks return valid contributions", severity=Severity.ERROR,
            check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            remediation="Report the problem to the plugin's authors; its other contributions still work.",
        ),
        Rule(
            id="GT-ENGINE-003", title="Rule checks run without raising", severity=Severity.ERROR,
            check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            remediation=(
                "Report the problem to the rule's plugin; the program's status is undetermined until it is fixed."
            ),
        ),
        Rule(
            id="GT-ENGINE-004", title="Program rules run only on a structurally valid dossier",
            severity=Severity.INFO, check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            remediation="Fix the data findings; program rules then run.",
        ),
        Rule(
            id="GT-ENGINE-005", title="Every input of a batch is a readable dossier", severity=Severity.ERROR,
            check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            remediation="Make the input a JSON object (one per line with --jsonl), in UTF-8.",
        ),
        Rule(
            id="GT-ENGINE-006", title="Each dossier of a batch is validated without a crash and in time",
            severity=Severity.ERROR, check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            remediation="Validate the dossier alone to see the fault; raise the time limit if it is large.",
        ),
    )
}


class PluginError(Exception):
    """A plugin fault raised in strict mode."""


class PluginConflictError(PluginError):
    """Two plugins contribute the same rule or program id."""


def _engine_finding(rule_id: str, message: str, subject: str | None = None, **kw: Any) -> Finding:
    rule = ENGINE_RULES[rule_id]
    return Finding(
        rule=rule_id, severity=rule.severity, effect=kw.pop("effect", Effect.VIOLATION),
        message=message, pointer=kw.pop("pointer", ""), subject=subject,
        remediation=rule.remediation, citation=rule.citation, **kw,
    )


def _exc_summary(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({Path(frame[0].filename).name}:{frame[0].lineno})" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"


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
            raise ConfigError(f"unknown_keys must be 'reject' or 'warn', not {self.unknown_keys!r}")
        self._cache: _Contributions | None = None

    # -- plugins -------------------------------------------------------------------------
    def register(self, plugin: object, name: str | None = None, version: str | None = None) -> str:
        """Register a plugin object or module explicitly; returns its name."""
        name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
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
                            f"plugin {ep.name!r} failed to load: {_exc_summary(exc)}", ep.name)
                continue
            version = ep.dist.version if ep.dist is not None else None
            loaded.append(self.register(plugin, name=ep.name, version=version))
        return loaded

    def _fault(self, exc: BaseException, rule_id: str, message: str, subject: str | None) -> None:
        if self.strict:
            raise PluginError(message) from exc
        self._load_faults.append(_engine_finding(rule_id, message, subject))

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
        # get_hookimpls() lists implementations in registration order (pluggy calls them
        # in reverse); we call each one alone so that a fault stays with its plugin.
        for impl in hook.get_hookimpls():
            try:
                result = impl.function()
            except Exception as exc:
                message = f"plugin {impl.plugin_name!r} hook {hook_name} raised {_exc_summary(exc)}"
                if self.strict:
                    raise PluginError(message) from exc
                faults.append(_engine_finding("GT-ENGINE-002", message, impl.plugin_name))
                continue
            if result is not None:
                yield impl.plugin_name, result

    def _items(self, hook_name: str, kind: type, faults: list[Finding]) -> Iterator[tuple[str, Any]]:
        for owner, result in self._call(hook_name, faults):
            items = result if isinstance(result, list | tuple) else [result]
            for item in items:
                if isinstance(item, kind):
                    yield owner, item
                else:
                    message = (f"plugin {owner!r} hook {hook_name} returned {type(item).__name__}, "
                               f"expected {kind.__name__}")
                    if self.strict:
                        raise PluginError(message)
                    faults.append(_engine_finding("GT-ENGINE-002", message, owner))

    def _first_by_id(self, hook_name: str, kind: type[_T], what: str, faults: list[Finding]) -> dict[str, _T]:
        """Contributions keyed by id; a duplicate id keeps the first and is reported."""
        found: dict[str, _T] = {}
        for owner, item in self._items(hook_name, kind, faults):
            key = item.id
            if key in found:
                faults.append(_engine_finding(
                    "GT-ENGINE-002", f"{what} {key!r} from {owner!r} is already defined; kept the first", owner))
                continue
            found[key] = item
        return found

    def _contributions(self) -> _Contributions:
        if self._cache is not None:
            return self._cache
        faults: list[Finding] = []
        programs: dict[str, Program] = {}
        for owner, p in self._items("greentrade_programs", Program, faults):
            if p.id in programs:
                raise PluginConflictError(f"program id {p.id!r} is defined twice (again by {owner!r})")
            programs[p.id] = p
        rules: list[Rule] = []
        owners: dict[str, str] = {r: "greentrade" for r in (*CORE_RULES, *ENGINE_RULES)}
        for owner, r in self._items("greentrade_rules", Rule, faults):
            if r.id in owners:
                raise PluginConflictError(
                    f"rule id {r.id!r} is contributed by both {owners[r.id]!r} and {owner!r}"
                )
            owners[r.id] = owner
            if r.program is not None and r.program not in programs:
                faults.append(_engine_finding(
                    "GT-ENGINE-002",
                    f"rule {r.id!r} of plugin {owner!r} belongs to unknown program {r.program!r}; not run",
                    owner))
                continue
            rules.append(r)
        categories: dict[str, Category] = self._first_by_id("greentrade_categories", Category, "category", faults)
        reference: dict[str, Any] = {}
        for owner, data in self._call("greentrade_reference_data", faults):
            if not isinstance(data, Mapping):
                faults.append(_engine_finding(
                    "GT-ENGINE-002", f"plugin {owner!r} greentrade_reference_data returned "
                    f"{type(data).__name__}, expected a mapping", owner))
                continue
            reference.update(data)
        reference.update(self._config.get("reference", {}))
        entries = [e for _o, e in self._items("greentrade_standards", CatalogEntry, faults)]
        schemas: dict[str, Mapping[str, Any]] = {}
        for owner, data in self._call("greentrade_config_schema", faults):
            for section, schema in dict(data).items():
                if section in schemas:
                    raise PluginConflictError(f"configuration section {section!r} is declared twice ({owner!r})")
                schemas[section] = schema
        settings = self._check_settings(schemas)
        profiles: dict[str, BuyerProfile] = self._first_by_id(
            "greentrade_buyer_profiles", BuyerProfile, "buyer profile", faults
        )
        for i, raw in enumerate(self._config.get("profiles", [])):
            try:
                profile = _convert.structure(raw, BuyerProfile)
            except Exception as exc:
                raise ConfigError(f"configuration error in profiles[{i}]: {exc}") from None
            profiles[profile.id] = profile
        self._cache = _Contributions(
            programs=programs,
            rules=tuple(sorted(rules, key=lambda r: r.id)),
            categories=categories,
            reference=reference,
            catalog=Catalog(entries),
            config_schemas=schemas,
            faults=tuple(faults),
            rule_owner={r.id: owners[r.id] for r in rules},
            settings=settings,
            profiles=dict(sorted(profiles.items())),
            by_program={
                pid: tuple(r for r in sorted(rules, key=lambda r: r.id) if r.program == pid and r.scope == "shipment")
                for pid in programs
            },
        )
        return self._cache

    def _check_settings(self, schemas: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        given: Mapping[str, Any] = self._config.get("plugins", {})
        for section, value in given.items():
            if section not in schemas:
                known = ", ".join(sorted(schemas)) or "none"
                raise ConfigError(
                    f"configuration section [plugins.{section}] belongs to no loaded plugin "
                    f"(sections of loaded plugins: {known})"
                )
            check = SchemaValidator(schemas[section])
            errors = [] if check.is_valid(value) else list(check.iter_errors(value))
            if errors:
                e = errors[0]
                where = "/".join(map(str, e.absolute_path))
                raise ConfigError(f"configuration error in [plugins.{section}] {where}: {e.message}")
        settings: dict[str, Any] = {}
        for section, schema in schemas.items():
            value = dict(given.get(section, {}))
            # Top-level defaults of the plugin's schema apply when the host leaves a key out.
            for key, prop in (schema.get("properties") or {}).items():
                if isinstance(prop, Mapping) and "default" in prop and key not in value:
                    value[key] = prop["default"]
            settings[section] = value
        return settings

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

    def assess(self, source: bytes | str | Path | Mapping[str, Any] | Dossier, *,
               markets: Sequence[str] | None = None, as_of: dt.date | None = None) -> Assessment:
        """The readiness matrix of the dossier's products against markets and programs
        (see `greentrade.assess` and docs/assess.md)."""
        from greentrade._assess import assess

        return assess(self, source, markets=markets, as_of=as_of)

    # -- validation ------------------------------------------------------------------------
    def validate_many(self, sources: Iterable[bytes | str | Path | Mapping[str, Any] | Dossier], *,
                      jobs: int = 1, as_of: dt.date | None = None,
                      timeout: float | None = None) -> Iterator[Report]:
        """Validate many dossiers; yields one report per source, in input order.

        `sources` is read lazily (an unbounded stream is fine). With ``jobs >= 2`` or a
        per-dossier `timeout` (seconds), worker processes validate them; a worker that crashes
        or runs late is replaced and that dossier gets a ``GT-ENGINE-006`` report. Unreadable
        input gets a ``GT-ENGINE-005`` report instead of raising. See docs/scale.md.
        """
        from greentrade._batch import validate_many

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
        return load(source, frozenset(self._contributions().categories), unknown_keys=self.unknown_keys)

    def _evaluate(self, loaded: Loaded, as_of: dt.date | None) -> Report:
        c = self._contributions()
        findings: list[Finding] = [*self._load_faults, *c.faults, *loaded.findings]
        outcomes: list[Outcome] = []
        dossier = loaded.dossier
        evaluated = dossier is not None and not any(f.severity is Severity.ERROR for f in loaded.findings)
        if dossier is not None and evaluated:
            run = _Run(self, c, dossier, loaded.pointers, as_of)
            for shipment in dossier.shipments:
                f, o = run.shipment(shipment)
                findings.extend(f)
                outcomes.extend(o)
            findings.extend(run.dossier_rules({(o.program, o.subject): o for o in outcomes}))
        elif c.rules:
            findings.append(_engine_finding(
                "GT-ENGINE-004", "program rules were not run because the dossier has data errors"))
        return Report.build(
            version=__version__,
            plugins=[PluginInfo(n, v) for n, v in self._versions.items()],
            as_of=as_of,
            sha256=loaded.sha256,
            evaluated=evaluated,
            outcomes=outcomes,
            findings=findings,
        )


class _Run:
    """One validation: rules applied to one dossier."""

    def __init__(self, engine: Engine, c: _Contributions, dossier: Dossier,
                 pointers: Mapping[int, str], as_of: dt.date | None) -> None:
        self.engine, self.c, self.dossier, self.pointers, self.as_of = engine, c, dossier, pointers, as_of
        self.memo: dict[Any, Any] = {}

    def _context(self, as_of: dt.date, shipment: Shipment | None,
                 outcomes: Mapping[tuple[str, str], Outcome] | None = None) -> RuleContext:
        return RuleContext(
            dossier=self.dossier, as_of=as_of, shipment=shipment, settings=self.c.settings,
            reference=self.c.reference, categories=self.c.categories, catalog=self.c.catalog,
            pointers=self.pointers, profiles=self.c.profiles, outcomes=outcomes or {},
            programs=self.c.programs, memo=self.memo,
        )

    def _apply(self, rule: Rule, ctx: RuleContext) -> list[Finding]:
        try:
            hits = list(rule.check(ctx))
        except Exception as exc:
            message = f"rule {rule.id} raised {_exc_summary(exc)}"
            if self.engine.strict:
                raise PluginError(message) from exc
            return [_engine_finding(
                "GT-ENGINE-003", message, rule.id, effect=Effect.UNDETERMINED,
                program=rule.program, shipment=ctx.shipment.id if ctx.shipment else None,
                pointer=ctx.pointer(ctx.shipment) if ctx.shipment else "")]
        out = []
        for hit in hits:
            if not isinstance(hit, Hit):
                message = f"rule {rule.id} yielded {type(hit).__name__}, expected Hit"
                if self.engine.strict:
                    raise PluginError(message)
                out.append(_engine_finding("GT-ENGINE-003", message, rule.id, effect=Effect.UNDETERMINED,
                                           program=rule.program))
                continue
            severity = hit.severity or (
                rule.severity if hit.effect is Effect.VIOLATION
                else Severity.WARNING if hit.effect is Effect.UNDETERMINED
                else Severity.INFO
            )
            out.append(Finding(
                rule=rule.id, severity=severity, effect=hit.effect, message=hit.message,
                pointer=hit.pointer, subject=hit.subject, program=rule.program,
                shipment=ctx.shipment.id if ctx.shipment else None,
                remediation=rule.remediation or None, needs=hit.needs, citation=rule.citation,
            ))
        return out

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
            return findings, outcome(Status.NOT_APPLICABLE, "; ".join(f.message for f in out_of_scope),
                                     [f.rule for f in out_of_scope])
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

