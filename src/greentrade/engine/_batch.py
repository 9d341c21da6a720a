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

import collections
import datetime as dt
import hashlib
import importlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import threading
import time
import types
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from greentrade._version import __version__
from greentrade.engine._faults import ENGINE_RULE_INFOS, engine_finding, exc_summary
from greentrade.errors import BatchError, PluginError
from greentrade.io._load import DossierReadError
from greentrade.model import Dossier
from greentrade.rules._report import PluginInfo, Report
from greentrade.rules._rules import Effect, Finding

if TYPE_CHECKING:
    from greentrade.engine._engine import Engine

__all__ = ["BatchError", "EngineSpec", "Item", "Result", "engine_spec", "usable_cores", "validate_many"]

Source = bytes | str | Path | Mapping[str, Any] | Dossier
Form = Literal["report", "json"]


def usable_cores() -> int:
    """The number of cores this process may run on (its CPU affinity where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


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
    """One input of a batch: a label for messages (a path, ``path:line``) and the source."""

    label: str
    source: Source


@attrs.frozen
class Result:
    """The outcome of one batch item, small enough to send between processes."""

    index: int
    label: str
    payload: Any  # a Report, or its JSON text
    ok: bool
    #: None, "unreadable" or "fault".
    problem: str | None = None
    message: str = ""
    statuses: tuple[tuple[str, int], ...] = ()


def _digest(source: Any) -> str:
    if isinstance(source, Path):
        try:
            source = source.read_bytes()
        except OSError:
            source = b""
    if isinstance(source, str):
        source = source.encode("utf-8", "surrogatepass")
    if not isinstance(source, bytes | bytearray):
        source = b""
    return hashlib.sha256(bytes(source)).hexdigest()


def problem_report(engine: Engine, rule_id: str, message: str, sha256: str,
                   as_of: dt.date | None) -> Report:
    """A report for a dossier that could not be validated: not evaluated, one engine finding."""
    effect = Effect.VIOLATION if rule_id == "GT-ENGINE-007" else Effect.UNDETERMINED
    c = engine._contributions()
    return Report.build(
        version=__version__,
        plugins=[PluginInfo(n, v) for n, v in engine._versions.items()],
        as_of=as_of, sha256=sha256, evaluated=False, outcomes=[],
        findings=[*engine._load_faults, *c.faults, engine_finding(rule_id, message, effect=effect)],
        known_rules=ENGINE_RULE_INFOS,
    )


def _result(index: int, label: str, report: Report, form: Form, problem: str | None = None,
            message: str = "") -> Result:
    statuses = Counter(str(o.status) for o in report.outcomes)
    return Result(
        index=index, label=label, payload=report.to_json() if form == "json" else report,
        ok=report.ok, problem=problem, message=message, statuses=tuple(sorted(statuses.items())),
    )


def _one(engine: Engine, index: int, item: Item, as_of: dt.date | None, form: Form) -> Result:
    try:
        report = engine.validate(item.source, as_of=as_of)
    except DossierReadError as exc:
        message = f"{item.label}: {exc}"
        report = problem_report(engine, "GT-ENGINE-007", message, _digest(item.source), as_of)
        return _result(index, item.label, report, form, "unreadable", message)
    except PluginError:  # strict mode: the host asked for plugin faults to raise
        raise
    except Exception as exc:
        message = f"{item.label}: validation raised {exc_summary(exc)}"
        report = problem_report(engine, "GT-ENGINE-008", message, _digest(item.source), as_of)
        return _result(index, item.label, report, form, "fault", message)
    return _result(index, item.label, report, form)


def _as_item(i: int, source: Any) -> Item:
    if isinstance(source, Item):
        return source
    label = str(source) if isinstance(source, Path) else f"item {i}"
    return Item(label, source)


# -- worker processes ---------------------------------------------------------------------------
def _worker_main(conn: multiprocessing.connection.Connection, engine: Any, as_of: dt.date | None,
                 form: Form) -> None:
    """A worker process: build (or inherit) the engine once, then validate what it is sent,
    in the order sent. Messages are plain tuples: cheaper to pickle than objects."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C and ends the workers
    try:
        if isinstance(engine, EngineSpec):
            engine = engine.build()
    except BaseException as exc:
        conn.send(("fail", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, label, source = message
        try:
            r = _one(engine, index, Item(label, source), as_of, form)
        except Exception as exc:  # PluginError in strict mode; the parent raises it
            conn.send(("raise", (type(exc).__name__, str(exc))))
            continue
        conn.send(("done", (r.index, r.label, r.payload, r.ok, r.problem, r.message, r.statuses)))


def _use_fork() -> bool:
    """Fork only where it is safe: Linux, and no other thread that a fork could break."""
    return (sys.platform.startswith("linux") and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


#: Dossiers sent to a worker ahead of its results: the next one waits in the pipe while the
#: current one is validated, so the worker never idles on a round trip to the parent.
_DEPTH = 2
#: Only a small dossier (or a path) is sent ahead: it fits in the pipe's buffer, so the parent
#: never blocks on it while the worker blocks on sending a large report back.
_AHEAD_BYTES = 16 * 1024


def _small(item: Item) -> bool:
    return isinstance(item.source, Path) or (
        isinstance(item.source, bytes | str) and len(item.source) <= _AHEAD_BYTES)


class _Worker:
    def __init__(self, ctx: Any, engine: Any, as_of: dt.date | None, form: Form) -> None:
        parent, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, engine, as_of, form), daemon=True)
        self.process.start()
        child.close()
        self.conn: multiprocessing.connection.Connection = parent
        self.ready = False
        self.jobs: collections.deque[tuple[int, Item]] = collections.deque()
        self.head_since = 0.0  # when the worker started on jobs[0]

    def send(self, index: int, item: Item, now: float) -> None:
        self.conn.send((index, item.label, item.source))
        if not self.jobs:
            self.head_since = now
        self.jobs.append((index, item))

    def stop(self, *, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                kill = True
        if kill:
            self.process.kill()
        self.process.join(timeout=None if kill else 2)
        if self.process.is_alive():  # pragma: no cover - a worker that ignores the stop message
            self.process.kill()
            self.process.join()
        self.conn.close()


def _parallel(engine: Engine, items: Iterator[Item], jobs: int, as_of: dt.date | None,
              timeout: float | None, form: Form, start: str | None) -> Generator[Result, None, None]:
    fork = _use_fork() if start is None else start == "fork"
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    engine._contributions()  # conflicts surface here, and forked workers start warm
    payload: Any = engine if fork else engine_spec(engine)
    limit = float("inf") if timeout is None else timeout
    workers = [_Worker(ctx, payload, as_of, form) for _ in range(jobs)]
    window = jobs * _DEPTH * 2  # dossiers sent or waiting to be yielded: memory stays bounded
    done: dict[int, Result] = {}
    retry: collections.deque[tuple[int, Item]] = collections.deque()  # sent to a worker that died
    pending: tuple[int, Item] | None = None  # taken from the input, not sent yet
    next_in = next_out = 0
    exhausted = False
    try:
        while True:
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if exhausted and pending is None and not retry and not done and not any(w.jobs for w in workers):
                return
            now = time.monotonic()
            for w in workers:
                while w.ready and len(w.jobs) < _DEPTH and (not w.jobs or pending is None or _small(pending[1])):
                    if pending is None and retry:
                        pending = retry.popleft()
                    elif pending is None:
                        if exhausted or next_in - next_out >= window:
                            break
                        try:
                            pending = (next_in, next(items))
                        except StopIteration:
                            exhausted = True
                            break
                        next_in += 1
                    if w.jobs and not _small(pending[1]):
                        break  # a large dossier waits for an idle worker
                    w.send(*pending, now)
                    pending = None
            waiting = [w for w in workers if w.jobs or not w.ready]
            if not waiting:
                continue
            deadlines = [w.head_since + limit for w in waiting if w.jobs]
            wait_for = min(deadlines, default=float("inf")) - time.monotonic()
            ready = multiprocessing.connection.wait(
                [w.conn for w in waiting] + [w.process.sentinel for w in waiting],
                None if wait_for == float("inf") else max(0.0, wait_for))
            for k, w in enumerate(workers):
                got_message = False
                if w.conn in ready or w.process.sentinel in ready:
                    try:
                        while w.conn.poll():
                            kind, body = w.conn.recv()
                            got_message = True
                            if kind == "ready":
                                w.ready = True
                            elif kind == "done":
                                w.jobs.popleft()
                                w.head_since = time.monotonic()
                                done[body[0]] = Result(*body)
                            elif kind == "fail":
                                raise BatchError(f"a worker process could not build its engine: {body}")
                            elif kind == "raise":
                                raise PluginError(f"{body[0]}: {body[1]}")
                    except (EOFError, OSError):
                        pass
                if got_message and w.process.is_alive():
                    continue
                crashed = w.process.sentinel in ready or not w.process.is_alive()
                late = bool(w.jobs) and time.monotonic() >= w.head_since + limit
                if not (crashed or late):
                    continue
                if not w.jobs:
                    w.process.join(timeout=5)
                    raise BatchError(f"a worker process ended before it was ready (exit code {w.process.exitcode})")
                index, item = w.jobs.popleft()  # the dossier it was validating
                w.stop(kill=True)
                if late and not crashed:
                    why = f"the worker exceeded the time limit of {timeout:g} s per dossier and was stopped"
                else:
                    why = f"the worker process ended unexpectedly (exit code {w.process.exitcode})"
                message = f"{item.label}: {why}; the dossier was not validated"
                report = problem_report(engine, "GT-ENGINE-008", message, _digest(item.source), as_of)
                done[index] = _result(index, item.label, report, form, "fault", message)
                retry.extend(w.jobs)  # sent after it, not started: another worker takes them
                workers[k] = _Worker(ctx, payload, as_of, form)
    finally:
        for w in workers:
            w.stop(kill=bool(w.jobs))


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
    return _parallel(engine, stream, jobs, as_of, timeout, form, start)


def validate_many(engine: Engine, sources: Iterable[Any], *, jobs: int = 1, as_of: dt.date | None = None,
                  timeout: float | None = None) -> Iterator[Report]:
    """Reports for `sources`, one each, in input order (see `Engine.validate_many`). Bad
    arguments raise here, not at the first report."""
    results = run(engine, sources, jobs=jobs, as_of=as_of, timeout=timeout, form="report")
    return (result.payload for result in results)
