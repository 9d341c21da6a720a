"""``greentrade validate`` with many inputs: JSON Lines reports in input order, a summary on stderr.

Batch mode starts when more than one input is given, an input is a directory (its ``*.json``
files, recursively, in sorted order; symbolic links to folders followed once) or ``--jsonl`` is
set (each line of a file, or of standard input for ``-``, is one dossier). One report per
dossier goes to stdout or ``--output`` as one compact JSON line; a dossier that cannot be read
or validated still gets its line (a ``GT-ENGINE-007``/``GT-ENGINE-008`` report), and so does a
directory that cannot be listed, so line N of the output is input N.

Everything is read through the one reader (`greentrade._files`: regular files and standard
input only, within the input limit) and written through the one writer (`_files.Output`).
SIGINT, SIGTERM and SIGHUP end a batch alike: the workers are stopped, a partial ``--output``
is removed (the previous file stays), and on standard output a last line says the output is
incomplete.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

from greentrade._cli_progress import progress
from greentrade._files import InputError, Output, OutputError, check_stream, open_input, read_bytes, read_lines
from greentrade.engine._cores import usable_cores
from greentrade.errors import BatchError

if TYPE_CHECKING:  # the batch machinery is imported when a batch runs: `greentrade --help` needs none of it
    from greentrade.engine._batch import Item, Result
    from greentrade.engine._engine import Engine

__all__ = ["add_arguments", "is_batch", "run_command"]

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
_LISTED = 10  # failures named in the summary; the rest are counted
MAX_JOBS = 512
MAX_TIMEOUT = 1_000_000.0  # seconds (11.6 days): beyond it the OS's timers overflow


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number of jobs from 1 to {MAX_JOBS}")
    return n


def _seconds(text: str) -> float:
    try:
        s = float(text)
    except ValueError:
        s = -1
    if not 0 <= s <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number of seconds from 0 to {MAX_TIMEOUT:g} "
                                         "(0: no limit)")
    return s


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("more", nargs="*", metavar="MORE",
                   help="more dossier files or directories: batch mode, one JSON report per line, in input order")
    p.add_argument("--jsonl", action="store_true",
                   help="the files (or - for standard input) are JSON Lines, one dossier per line (batch mode)")
    p.add_argument("--jobs", type=_jobs, metavar="N",
                   help=f"batch mode: worker processes (default: the usable cores, here {usable_cores()})")
    p.add_argument("--timeout", type=_seconds, default=60.0, metavar="SECONDS",
                   help="batch mode: time limit per dossier, then the worker is replaced (default 60; 0: none)")
    p.add_argument("--no-progress", action="store_true",
                   help="batch mode: no progress on stderr (default: a bar on a terminal, else a line every "
                   "10 s or 10%%)")


def is_batch(args: argparse.Namespace) -> bool:
    return bool(args.more or args.jsonl or (args.dossier != "-" and Path(args.dossier).is_dir()))


class _Inputs:
    """The items of a batch, read lazily, with what the reading found along the way."""

    def __init__(self, inputs: list[str], jsonl: bool, max_bytes: int, output: Output | None) -> None:
        from greentrade.io._walk import Walk

        self.inputs, self.jsonl, self.max_bytes = inputs, jsonl, max_bytes
        self.walk = Walk(output.name if output else None, output.identity if output else None)
        self.empty: list[str] = []  # directories without a *.json file

    def __iter__(self) -> Iterator[Item]:
        from greentrade.engine._batch import Item

        for name in self.inputs:
            if name == "-":
                yield from self._stdin()
            elif Path(name).is_dir():
                found = 0
                for f in self.walk.files(Path(name)):
                    found += 1
                    yield Item(str(f.path), f.path, problem=f.problem)
                if not found:
                    self.empty.append(name)
            elif self.jsonl:
                try:
                    stream = open_input(name)
                except InputError as exc:
                    yield Item(name, b"", problem=str(exc))
                    continue
                with stream:
                    yield from self._lines(stream, name)
            else:
                yield Item(name, Path(name))

    def _stdin(self) -> Iterator[Item]:
        from greentrade.engine._batch import Item

        try:
            if self.jsonl:
                check_stream(sys.stdin.buffer)
                yield from self._lines(sys.stdin.buffer, "<stdin>")
                return
            yield Item("<stdin>", read_bytes(sys.stdin.buffer, self.max_bytes))
        except InputError as exc:
            yield Item("<stdin>", b"", problem=str(exc))

    def _lines(self, stream: IO[bytes], label: str) -> Iterator[Item]:
        from greentrade.engine._batch import Item

        try:
            for number, line in read_lines(stream, self.max_bytes):  # type: ignore[arg-type]
                if isinstance(line, InputError):
                    yield Item(f"{label}:{number}", b"", problem=str(line))
                else:
                    yield Item(f"{label}:{number}", line)
        except OSError as exc:
            yield Item(label, b"", problem=f"cannot read: {exc.strerror}")


def _count(inputs: list[str], jsonl: bool) -> int | None:
    """How many dossiers, when that is known without reading them (for the progress ETA)."""
    if jsonl or "-" in inputs:
        return None
    from greentrade.io._walk import Walk

    walk = Walk()
    return sum(sum(1 for _ in walk.files(Path(n))) if Path(n).is_dir() else 1 for n in inputs)


class _Summary:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.total = self.clean = self.with_errors = 0
        self.problems: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.failures: list[str] = []
        self.unlisted = 0

    def add(self, r: Result) -> None:
        self.total += 1
        self.statuses.update(dict(r.statuses))
        if r.problem:
            self.problems[r.problem] += 1
        elif r.ok:
            self.clean += 1
        else:
            self.with_errors += 1
        if not r.ok:
            if len(self.failures) < _LISTED:
                self.failures.append(r.message or f"{r.label}: error findings")
            else:
                self.unlisted += 1

    def text(self, jobs: int, notes: list[str], interrupted: str = "") -> str:
        seconds = time.perf_counter() - self.start
        rate = self.total / seconds if seconds > 0 else 0.0
        p = self.problems
        lines = [
            f"greentrade: {self.total} dossier(s) in {seconds:.2f} s ({rate:.0f}/s, {jobs} job(s)): "
            f"{self.clean} without errors, {self.with_errors} with errors, "
            f"{p['unreadable']} unreadable, {p['not-a-dossier']} not a dossier, {p['fault']} engine fault(s)"
            + (f", {len(notes)} skipped" if notes else "")
        ]
        if interrupted:
            lines.insert(0, f"greentrade: {interrupted}")
        if self.statuses:
            lines.append("  outcomes: " + ", ".join(f"{s} {n}" for s, n in sorted(self.statuses.items())))
        lines.extend(f"  failed: {f}" for f in self.failures)
        if self.unlisted:
            lines.append(f"  ... and {self.unlisted} more")
        lines.extend(f"  skipped: {n}" for n in notes)
        return "\n".join(lines) + "\n"

    def exit_status(self) -> int:
        if self.problems["unreadable"] or self.problems["not-a-dossier"]:
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if self.total > self.clean else EXIT_OK


class _Interrupted(BaseException):
    """SIGTERM or SIGHUP: the batch ends as on ^C (KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, _frame: FrameType | None) -> None:
    raise _Interrupted(signum)


_SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)


@contextlib.contextmanager
def _signals_end_the_batch() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # a host calling from another thread keeps its own signal handling
        return
    previous = {s: signal.signal(s, _raise) for s in _SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _say(text: str) -> None:
    with contextlib.suppress(OSError):  # a closed terminal (SIGHUP) must not hide the exit status
        sys.stderr.write(text)
        sys.stderr.flush()


def run_command(engine: Engine, args: argparse.Namespace, config: str | None = None, *, verbosity: int = 0) -> int:
    """Run ``greentrade validate`` in batch mode; returns the exit status. `config` is the
    configuration file in use (never overwritten); verbosity -1 leaves out the progress."""
    if args.format in ("text", "html"):
        print(f"greentrade: several dossiers give JSON Lines reports; leave out --format {args.format}",
              file=sys.stderr)
        return EXIT_UNREADABLE
    inputs = [args.dossier, *args.more]
    if inputs.count("-") > 1:
        print("greentrade: standard input (-) can be read only once", file=sys.stderr)
        return EXIT_UNREADABLE
    from greentrade.engine._batch import run

    jobs = args.jobs or usable_cores()
    summary = _Summary()
    output: Output | None = None
    items: _Inputs | None = None
    bar = None
    results = None
    interrupted = ""
    try:
        with _signals_end_the_batch():
            try:
                if args.output:
                    output = Output(args.output, protect=[*inputs, config])
                items = _Inputs(inputs, args.jsonl, engine.max_input_bytes, output)
                bar = progress(_count(inputs, args.jsonl), "dossier", enabled=not args.no_progress and verbosity >= 0)
                results = run(engine, iter(items), jobs=jobs, as_of=args.as_of, timeout=args.timeout or None,
                              form="json")
                for result in results:
                    if output is not None:
                        output.write(result.payload.encode("utf-8"))
                    else:
                        _stdout(result.payload)
                    summary.add(result)
                    if bar is not None:
                        bar.update()
                results.close()
                for name in items.empty:
                    print(f"greentrade: no dossier found in {name} (looked for *.json)", file=sys.stderr)
                if items.empty and output is not None:
                    output.abort()  # nothing to replace the previous output with
                elif output is not None:
                    output.commit()
                else:
                    _stdout("", flush=True)
            except (KeyboardInterrupt, _Interrupted) as exc:
                for s in _SIGNALS:  # cleaning up is not interrupted again
                    signal.signal(s, signal.SIG_IGN)
                name = signal.Signals(exc.signum).name if isinstance(exc, _Interrupted) else "SIGINT"
                interrupted = _interrupted(name, summary.total, output, results)
                return 128 + (exc.signum if isinstance(exc, _Interrupted) else signal.SIGINT)
            finally:
                if results is not None:
                    results.close()
                if output is not None:
                    output.abort()  # after commit() a no-op; otherwise the previous file stays
                if bar is not None:
                    bar.close()
                if interrupted:
                    _say(summary.text(jobs, items.walk.notes if items else [], interrupted))
    except BrokenPipeError:
        raise
    except (BatchError, OutputError) as exc:
        _say(f"greentrade: {exc}\n")
        return EXIT_UNREADABLE
    except OSError as exc:  # standard output
        _say(f"greentrade: cannot write to standard output: {exc.strerror or exc}\n")
        return EXIT_UNREADABLE
    assert items is not None
    _say(summary.text(jobs, items.walk.notes))
    if items.empty:
        return EXIT_UNREADABLE
    return summary.exit_status()


def _stdout(text: str, *, flush: bool = False) -> None:
    sys.stdout.write(text)
    if flush:
        sys.stdout.flush()


def _interrupted(name: str, done: int, output: Output | None, results: Any) -> str:
    """End an interrupted batch: workers stopped, the output left as it was (a file) or marked
    incomplete (standard output); returns the summary's first line."""
    if results is not None:
        results.close()  # stops the workers
    if output is not None:
        output.abort()
        return f"interrupted by {name} after {done} report(s); {output.name!r} was left as it was"
    with contextlib.suppress(OSError):
        sys.stdout.flush()  # the reports written so far end with a whole line
        sys.stdout.write(json.dumps({"incomplete": True, "message": f"greentrade: interrupted by {name} after "
                                     f"{done} report(s); this output is incomplete"}) + "\n")
        sys.stdout.flush()
    return f"interrupted by {name} after {done} report(s); the output is incomplete"
