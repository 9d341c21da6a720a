"""Batches in worker processes: each worker gets its engine once, validates what it is sent in
order, and is replaced when it crashes or runs late (only that dossier gets a ``GT-ENGINE-008``
report). A worker never outlives the process that started it, however that process ends."""

from __future__ import annotations

import collections
import datetime as dt
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from greentrade.engine._batch import EngineSpec, Form, Item, Result, _digest, _one, _result, engine_spec, problem_report
from greentrade.errors import BatchError, PluginError

if TYPE_CHECKING:
    from greentrade.engine._engine import Engine

__all__ = ["parallel"]


def _end_with_parent(parent: int) -> None:
    """Make this worker end when its parent does, however the parent ends (SIGKILL included):
    the kernel's parent-death signal on Linux, and a watcher thread everywhere."""
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, signal.SIG_DFL)  # a forked worker must not run the parent's handler
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the watcher below suffices
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(0.5)

    if os.getppid() != parent:  # the parent ended before the signal was armed
        os._exit(1)
    threading.Thread(target=watch, name="greentrade-parent-watch", daemon=True).start()


def _worker_main(conn: multiprocessing.connection.Connection, engine: Any, as_of: dt.date | None,
                 form: Form, parent: int) -> None:
    """A worker process: build (or inherit) the engine once, then validate what it is sent,
    in the order sent. Messages are plain tuples: cheaper to pickle than objects."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C and ends the workers
    _end_with_parent(parent)
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
        self.process = ctx.Process(target=_worker_main, args=(child, engine, as_of, form, os.getpid()),
                                   daemon=True)
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


def parallel(engine: Engine, items: Iterator[Item], jobs: int, as_of: dt.date | None,
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
                        if pending[1].problem:  # refused before reading: its report is made here
                            done[pending[0]] = _one(engine, pending[0], pending[1], as_of, form)
                            pending = None
                            continue
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


