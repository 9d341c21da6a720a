"""Batches in worker processes: each worker gets its engine once, validates what it is sent in
order, and is replaced when it crashes or runs late (only that dossier gets a ``GT-ENGINE-008``
report). A worker never outlives the process that started it, however that process ends.

Dossiers go to a worker in chunks and their results come back in chunks: one message per
chunk, not per dossier. The per-dossier time limit still holds per dossier: each worker
writes the index of the dossier it is validating into a shared slot (-1 between dossiers),
and the parent times each index from when it first sees it there.
"""

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
from greentrade.i18n import msg

if TYPE_CHECKING:
    from greentrade.engine._engine import Engine

__all__ = ["parallel", "window"]


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


#: A worker sends the results it holds once they reach this many bytes of reports, or once it
#: has held them this long, or when it has nothing more to validate: the parent sees progress
#: at least this often and never holds more than a few chunks of reports.
_FLUSH_BYTES = 256 * 1024
_FLUSH_SECONDS = 0.1


def _worker_main(conn: multiprocessing.connection.Connection, engine: Any, as_of: dt.date | None,
                 form: Form, parent: int, running: Any) -> None:
    """A worker process: build (or inherit) the engine once, then validate the chunks it is
    sent, in the order sent. Messages are plain tuples: cheaper to pickle than objects.
    `running` is the shared slot where the index of the dossier being validated is written."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C and ends the workers
    _end_with_parent(parent)
    try:
        if isinstance(engine, EngineSpec):
            engine = engine.build()
    except BaseException as exc:
        conn.send(("fail", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    out: list[tuple[Any, ...]] = []
    size, since, spent = 0, time.monotonic(), 0.0
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        for index, label, source in chunk:
            started = time.monotonic()
            if not out:
                since = started
            running.value = index
            try:
                r = _one(engine, index, Item(label, source), as_of, form)
            except Exception as exc:  # PluginError in strict mode; the parent raises it
                running.value = -1
                if out:
                    conn.send(("done", out, spent))
                conn.send(("raise", (type(exc).__name__, str(exc))))
                out, size, spent = [], 0, 0.0
                continue
            running.value = -1
            out.append((r.index, r.label, r.payload, r.ok, r.problem, r.message, r.statuses))
            now = time.monotonic()
            spent += now - started
            size += len(r.payload) if isinstance(r.payload, str) else 4096
            if size >= _FLUSH_BYTES or now - since >= _FLUSH_SECONDS:
                conn.send(("done", out, spent))
                out, size, spent = [], 0, 0.0
        if out:  # the chunk is done: the parent gets all it waits for, then sends the next
            conn.send(("done", out, spent))
            out, size, spent = [], 0, 0.0


def _use_fork() -> bool:
    """Fork only where it is safe: Linux, and no other thread that a fork could break."""
    return (sys.platform.startswith("linux") and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


#: A chunk goes only to a worker that has sent back every result it owed: that worker is
#: reading, so the parent never blocks on sending while the worker blocks on sending reports
#: back, whatever their sizes. (It idles for one round trip per chunk: no CPU time.)
#: The most dossiers in one chunk, and the most bytes of dossiers in one (a larger dossier
#: goes alone; a path counts as small).
_CHUNK_MAX = 64
_CHUNK_BYTES = 256 * 1024
#: Chunks aim at this much work (seconds, estimated from the dossiers validated so far), so the
#: last chunks of a batch end close together. A worker's first chunk is one dossier, and each
#: next one at most twice the last: a short batch still spreads over the workers.
_CHUNK_SECONDS = 0.1
#: Filling a chunk stops when reading the input has taken this long: a slow stream (a pipe
#: that gets a line now and then) is validated as it comes, not held back to fill a chunk.
_FILL_SECONDS = 0.01


def _size(item: Item) -> int:
    """The bytes of a dossier, as far as is known without reading it (a mapping or a `Dossier`
    counts as large: it goes alone)."""
    if isinstance(item.source, bytes | str):
        return len(item.source)
    if isinstance(item.source, Path):
        try:
            return item.source.stat().st_size  # a FIFO or a device counts as small: never read here
        except OSError:
            return 0
    return _CHUNK_BYTES


def window(jobs: int) -> tuple[int, int, int]:
    """Dossiers taken from the input and not yet yielded: always up to the first figure, up to
    the second while they hold fewer bytes than the third (memory stays bounded)."""
    return 4 * jobs, max(4 * jobs, 128), 2 * jobs * _CHUNK_BYTES


def _slot(ctx: Any) -> Any:
    """A shared signed 64-bit integer (``.value``), set to -1. Forked workers share an anonymous
    mapping (no file: a file-size limit or a full disk does not stop a batch); spawned workers
    need multiprocessing's file-backed shared memory."""
    if ctx.get_start_method() == "fork":
        import ctypes
        import mmap

        slot = ctypes.c_int64.from_buffer(mmap.mmap(-1, 8))
        slot.value = -1
        return slot
    return ctx.RawValue("q", -1)


class _Worker:
    def __init__(self, ctx: Any, engine: Any, as_of: dt.date | None, form: Form) -> None:
        parent, child = ctx.Pipe()
        self.running = _slot(ctx)
        self.process = ctx.Process(target=_worker_main,
                                   args=(child, engine, as_of, form, os.getpid(), self.running), daemon=True)
        self.process.start()
        child.close()
        self.conn: multiprocessing.connection.Connection = parent
        self.ready = False
        self.jobs: collections.OrderedDict[int, Item] = collections.OrderedDict()  # sent, no result yet
        self.chunks = 0  # chunks sent so far (the first ones are small)
        self.seen = -1  # the index last seen in `running`, and since when
        self.seen_since = 0.0

    def send(self, chunk: list[tuple[int, Item]]) -> None:
        self.conn.send([(index, item.label, item.source) for index, item in chunk])
        self.jobs.update(chunk)
        self.chunks += 1

    def look(self, now: float) -> int:
        """The index this worker is validating (-1: none), timed from when it was first seen."""
        current = int(self.running.value)
        if current != self.seen:
            self.seen, self.seen_since = current, now
        return current if current in self.jobs else -1

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
    # The parent looks at what each worker is validating at least this often, so a dossier
    # is stopped after at least `timeout` seconds and at most this much more.
    look_every = float("inf") if timeout is None else min(0.5, max(0.01, timeout / 20))
    workers = [_Worker(ctx, payload, as_of, form) for _ in range(jobs)]
    at_least, at_most, most_bytes = window(jobs)
    chunk_max = max(1, min(_CHUNK_MAX, at_most // (2 * jobs)))
    sizes: dict[int, int] = {}  # the bytes of each dossier taken and not yet yielded
    held = 0  # their sum
    done: dict[int, Result] = {}
    retry: collections.deque[tuple[int, Item]] = collections.deque()  # sent to a worker that ended
    pending: tuple[int, Item] | None = None  # taken from the input, not sent yet
    next_in = next_out = 0
    exhausted = False
    validated, spent = 0, 0.0  # dossiers whose results came back, and the workers' seconds for them

    def take() -> tuple[int, Item] | None:
        """The next dossier to send (None: none now), its report made here if it was refused."""
        nonlocal pending, next_in, exhausted, held
        while pending is None:
            if retry:
                pending = retry.popleft()
            elif exhausted or next_in - next_out >= at_most or (next_in - next_out >= at_least
                                                                 and held >= most_bytes):
                return None
            else:
                try:
                    pending = (next_in, next(items))
                except StopIteration:
                    exhausted = True
                    return None
                held += sizes.setdefault(pending[0], 0 if pending[1].problem else _size(pending[1]))
                next_in += 1
                if pending[1].problem:  # refused before reading: its report is made here
                    done[pending[0]] = _one(engine, pending[0], pending[1], as_of, form)
                    pending = None
        return pending

    def fill(w: _Worker) -> list[tuple[int, Item]]:
        nonlocal pending
        per = spent / validated if validated else _CHUNK_SECONDS
        most = max(1, min(chunk_max, 2 ** min(w.chunks, 16), int(_CHUNK_SECONDS / per) if per > 0 else chunk_max))
        chunk: list[tuple[int, Item]] = []
        used = 0
        started = time.monotonic()
        while len(chunk) < most:
            nxt = take()
            if nxt is None:
                break
            size = sizes[nxt[0]]
            if chunk and used + size > _CHUNK_BYTES:
                break
            chunk.append(nxt)
            pending = None
            used += size
            if time.monotonic() - started > _FILL_SECONDS:
                break
        return chunk

    try:
        while True:
            while next_out in done:
                held -= sizes.pop(next_out)
                yield done.pop(next_out)
                next_out += 1
            if exhausted and pending is None and not retry and not done and not any(w.jobs for w in workers):
                return
            for w in workers:
                if w.ready and not w.jobs:
                    chunk = fill(w)
                    if chunk:
                        w.send(chunk)
            waiting = [w for w in workers if w.jobs or not w.ready]
            if not waiting:
                continue
            now = time.monotonic()
            wake = float("inf")
            for w in waiting:
                if w.jobs and w.look(now) >= 0:
                    wake = min(wake, w.seen_since + limit, now + look_every)
                elif w.jobs:
                    wake = min(wake, now + look_every)
            ready = multiprocessing.connection.wait(
                [w.conn for w in waiting] + [w.process.sentinel for w in waiting],
                None if wake == float("inf") else max(0.0, wake - time.monotonic()))
            for k, w in enumerate(workers):
                got_message = False
                if w.conn in ready or w.process.sentinel in ready:
                    try:
                        while w.conn.poll():
                            message = w.conn.recv()
                            kind, body = message[0], message[1]
                            got_message = True
                            if kind == "ready":
                                w.ready = True
                            elif kind == "done":
                                for r in body:
                                    del w.jobs[r[0]]
                                    done[r[0]] = Result(*r)
                                validated += len(body)
                                spent += message[2]
                            elif kind == "fail":
                                raise BatchError(f"a worker process could not build its engine: {body}")
                            elif kind == "raise":
                                raise PluginError(f"{body[0]}: {body[1]}")
                    except (EOFError, OSError):
                        pass
                if got_message and w.process.is_alive():
                    continue
                now = time.monotonic()
                current = w.look(now)
                crashed = w.process.sentinel in ready or not w.process.is_alive()
                late = current >= 0 and now >= w.seen_since + limit
                if not (crashed or late):
                    continue
                if not w.jobs:
                    w.process.join(timeout=5)
                    raise BatchError(f"a worker process ended before it was ready (exit code {w.process.exitcode})")
                if current < 0:
                    current = next(iter(w.jobs))
                item = w.jobs.pop(current)  # the dossier it was validating
                w.stop(kill=True)
                if late and not crashed:
                    message = msg("GT-ENGINE-008.late", "{label}: the worker exceeded the time limit of {seconds} s "
                                  "per dossier and was stopped; the dossier was not validated", label=item.label,
                                  seconds=f"{timeout:g}")
                else:
                    message = msg("GT-ENGINE-008.crashed", "{label}: the worker process ended unexpectedly (exit code "
                                  "{code}); the dossier was not validated", label=item.label,
                                  code=str(w.process.exitcode))
                report = problem_report(engine, "GT-ENGINE-008", message, _digest(item.source), as_of)
                done[current] = _result(current, item.label, report, form, "fault", message)
                # validated but not yet sent back, or not started: another worker takes them, in order
                retry.extend(w.jobs.items())
                workers[k] = _Worker(ctx, payload, as_of, form)
    finally:
        for w in workers:
            w.stop(kill=bool(w.jobs))
