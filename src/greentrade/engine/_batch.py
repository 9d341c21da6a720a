"""Batches: many dossiers through one engine, reports in input order, optionally in worker processes.

`validate_many` is the engine of `Engine.validate_many` and of ``greentrade validate`` with
several inputs. It is a generator: it reads its input lazily and keeps at most a small window
of dossiers in flight, so memory stays flat on an unbounded stream.

With ``jobs >= 2`` (or a time limit) dossiers are validated in worker processes. Each worker
gets its engine once: forked from the caller's engine where the platform forks safely, else
rebuilt from an `EngineSpec` (the same plugins and configuration). A worker that crashes or
exceeds the per-dossier time limit is replaced, and only that dossier gets an engine-fault
report (``GT-ENGINE-008``); nothing else is lost and the order of the reports is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import pickle
import types
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from greentrade._version import __version__
from greentrade.engine._cores import usable_cores
from greentrade.engine._faults import ENGINE_RULE_INFOS, engine_finding, exc_summary
from greentrade.engine._gcpause import paused
from greentrade.errors import BatchError, PluginError
from greentrade.i18n import msg
from greentrade.io._load import DossierReadError
from greentrade.model import Dossier
from greentrade.rules._report import Report
from greentrade.rules._rules import Effect, Finding

if TYPE_CHECKING:
    from greentrade.engine._engine import Engine

__all__ = ["BatchError", "EngineSpec", "Item", "Result", "engine_spec", "usable_cores", "validate_many"]

Source = bytes | str | Path | Mapping[str, Any] | Dossier
Form = Literal["report", "json"]


# -- engine specs: the same engine in another process -----------------------------------------
@attrs.frozen
class EngineSpec:
    """What it takes to build an engine equal to another one in a fresh process.

    Plugins are named by module (an entry-point plugin is its module) or, for plugin objects,
    carried pickled. The target process must have the same plugins installed.
    """

    config: Mapping[str, Any]
    strict: bool
    unknown_keys: str
    #: (name, "module" | "object", module name or pickled object, version), in registration order.
    plugins: tuple[tuple[str, str, Any, str], ...]
    load_faults: tuple[Finding, ...] = ()
    #: The engine's class (pickled by reference): a host's subclass builds as itself.
    engine_class: type[Engine] | None = None

    def build(self) -> Engine:
        assert self.engine_class is not None, "EngineSpec is made by engine_spec()"
        engine = self.engine_class(config=dict(self.config), strict=self.strict, unknown_keys=self.unknown_keys)
        for name, kind, ref, version in self.plugins:
            plugin = importlib.import_module(ref) if kind == "module" else pickle.loads(ref)
            engine.register(plugin, name=name, version=version)
        engine._load_faults.extend(self.load_faults)
        engine._contributions()  # build once, now: the first dossier does not pay for it
        return engine


def engine_spec(engine: Engine) -> EngineSpec:
    """The `EngineSpec` of `engine`. Raises `BatchError` for a plugin that can be neither
    imported by module name nor pickled (define it at module level to use it in workers)."""
    plugins: list[tuple[str, str, Any, str]] = []
    for name, plugin in engine._pm.list_name_plugin():
        if name == "greentrade" or plugin is None:  # the core's own plugin is built by Engine()
            continue
        version = engine._versions.get(name, "unknown")
        if isinstance(plugin, types.ModuleType):
            plugins.append((name, "module", plugin.__name__, version))
            continue
        try:
            plugins.append((name, "object", pickle.dumps(plugin), version))
        except Exception as exc:
            raise BatchError(
                f"plugin {name!r} cannot be sent to worker processes: it is neither a module nor "
                f"picklable ({type(exc).__name__}: {exc}); register a module or a module-level object"
            ) from None
    return EngineSpec(
        config=dict(engine._config), strict=engine.strict, unknown_keys=engine.unknown_keys,
        plugins=tuple(plugins), load_faults=tuple(engine._load_faults), engine_class=type(engine),
    )


# -- one dossier --------------------------------------------------------------------------------
@attrs.frozen
class Item:
    """One input of a batch: a label for messages (a path, ``path:line``) and the source.

    `problem` says why an input cannot be read before anything is read (a directory that cannot
    be listed, a line over the input limit): such an item gets its ``GT-ENGINE-007`` report
    without being read."""

    label: str
    source: Source
    problem: str = ""


@attrs.frozen
class Result:
    """The outcome of one batch item, small enough to send between processes."""

    index: int
    label: str
    payload: Any  # a Report, or its JSON text
    ok: bool
    #: None, "unreadable", "not-a-dossier" or "fault".
    problem: str | None = None
    message: str = ""
    statuses: tuple[tuple[str, int], ...] = ()


def _digest(source: Any) -> str:
    """The sha256 of an item's bytes, for its problem report. A path is never read here: the
    item was refused, and reading it again could block (a FIFO) or never end (``/dev/zero``)."""
    if isinstance(source, str):
        source = source.encode("utf-8", "surrogatepass")
    if not isinstance(source, bytes | bytearray):
        source = b""
    return hashlib.sha256(bytes(source)).hexdigest()


#: The members of a dossier (any format): a JSON object with none of them is not a dossier.
DOSSIER_MEMBERS = frozenset({"$schema", "format", "parties", "products", "documents", "shipments", "tenders"})


def not_a_dossier(data: Any) -> str | None:
    """Why a JSON object read in a batch is not a dossier at all (None when it may be one)."""
    if not isinstance(data, Mapping) or data.keys() & DOSSIER_MEMBERS:
        return None
    if "report_format" in data:
        return "not a dossier: it is a greentrade report (it has report_format)"
    return ("not a dossier: a JSON object with none of a dossier's members "
            "(format, parties, products, documents, shipments, tenders)")


def problem_report(engine: Engine, rule_id: str, message: str, sha256: str,
                   as_of: dt.date | None) -> Report:
    """A report for a dossier that could not be validated: not evaluated, one engine finding."""
    effect = Effect.VIOLATION if rule_id == "GT-ENGINE-007" else Effect.UNDETERMINED
    c = engine._contributions()
    return Report.build(
        version=__version__,
        plugins=engine._report_plugins(),
        as_of=as_of, sha256=sha256, evaluated=False, outcomes=[],
        findings=[*engine._load_faults, *c.faults, engine_finding(rule_id, message, effect=effect)],
        known_rules=ENGINE_RULE_INFOS,
        lang=engine.lang,
    )


def _result(index: int, label: str, report: Report, form: Form, problem: str | None = None,
            message: str = "") -> Result:
    statuses = Counter(str(o.status) for o in report.outcomes)
    return Result(
        index=index, label=label, payload=report.to_json() if form == "json" else report,
        ok=report.ok, problem=problem, message=message, statuses=tuple(sorted(statuses.items())),
    )


def _one(engine: Engine, index: int, item: Item, as_of: dt.date | None, form: Form) -> Result:
    with paused():  # the report's JSON too: see greentrade.engine._gcpause
        return _one_unpaused(engine, index, item, as_of, form)


def _one_unpaused(engine: Engine, index: int, item: Item, as_of: dt.date | None, form: Form) -> Result:
    if item.problem:
        message = f"{item.label}: {item.problem}"
        report = problem_report(engine, "GT-ENGINE-007", message, _digest(b""), as_of)
        return _result(index, item.label, report, form, "unreadable", message)
    try:
        loaded = engine._load(item.source)
        why = not_a_dossier(loaded.data)
        if why is not None:
            message = f"{item.label}: {why}"
            report = problem_report(engine, "GT-ENGINE-007", message, loaded.sha256, as_of)
            return _result(index, item.label, report, form, "not-a-dossier", message)
        report = engine._evaluate(loaded, as_of)
    except DossierReadError as exc:
        message = f"{item.label}: {exc}"
        report = problem_report(engine, "GT-ENGINE-007", message, _digest(item.source), as_of)
        kind = "not-a-dossier" if str(exc).startswith("not a dossier") else "unreadable"
        return _result(index, item.label, report, form, kind, message)
    except PluginError:  # strict mode: the host asked for plugin faults to raise
        raise
    except Exception as exc:
        message = msg("GT-ENGINE-008.raised", "{label}: validation raised {error}", label=item.label,
                      error=exc_summary(exc))
        report = problem_report(engine, "GT-ENGINE-008", message, _digest(item.source), as_of)
        return _result(index, item.label, report, form, "fault", message)
    return _result(index, item.label, report, form)


def _as_item(i: int, source: Any) -> Item:
    if isinstance(source, Item):
        return source
    label = str(source) if isinstance(source, Path) else f"item {i}"
    return Item(label, source)


def run(engine: Engine, items: Iterable[Any], *, jobs: int = 1, as_of: dt.date | None = None,
        timeout: float | None = None, form: Form = "report", start: str | None = None) -> Generator[Result, None, None]:
    """`Result`s in input order. In-process when ``jobs == 1`` and there is no time limit.

    `start` forces the process start method ("fork" or "spawn"; default: fork where safe).
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be positive, not {timeout}")
    stream = (_as_item(i, s) for i, s in enumerate(items))
    if jobs == 1 and timeout is None:
        return (_one(engine, i, item, as_of, form) for i, item in enumerate(stream))
    from greentrade.engine._workers import parallel

    return parallel(engine, stream, jobs, as_of, timeout, form, start)


def validate_many(engine: Engine, sources: Iterable[Any], *, jobs: int = 1, as_of: dt.date | None = None,
                  timeout: float | None = None) -> Iterator[Report]:
    """Reports for `sources`, one each, in input order (see `Engine.validate_many`). Bad
    arguments raise here, not at the first report."""
    results = run(engine, sources, jobs=jobs, as_of=as_of, timeout=timeout, form="report")
    return (result.payload for result in results)
