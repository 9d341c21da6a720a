"""``greentrade validate`` with many inputs: JSON Lines reports in input order, a summary on stderr.

Batch mode starts when more than one input is given, an input is a directory (its ``*.json``
files, recursively, in sorted order) or ``--jsonl`` is set (each line of a file, or of standard
input for ``-``, is one dossier). One report per dossier goes to stdout or ``--output`` as
one compact JSON line; a dossier that cannot be read or validated still gets its line (a
``GT-ENGINE-007``/``GT-ENGINE-008`` report), so line N of the output is input N.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from greentrade._cli_progress import progress
from greentrade._files import refuse_overwrite
from greentrade.engine._batch import BatchError, Item, Result, run, usable_cores
from greentrade.engine._engine import Engine
from greentrade.errors import OutputError

__all__ = ["add_arguments", "is_batch", "run_command"]

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
_LISTED = 10  # failures named in the summary; the rest are counted


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of jobs")
    return n


def _seconds(text: str) -> float:
    try:
        s = float(text)
    except ValueError:
        s = -1
    if not s >= 0 or s == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0: no limit)")
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


def _json_files(root: Path) -> Iterator[Path]:
    """``*.json`` files under `root`, in sorted path order (symbolic links to folders are not followed)."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _json_files(Path(entry.path))
        elif entry.name.endswith(".json"):
            yield Path(entry.path)


def _lines(stream: IO[bytes], label: str) -> Iterator[Item]:
    for number, line in enumerate(stream, 1):
        line = line.rstrip(b"\r\n")
        if line.strip():
            yield Item(f"{label}:{number}", line)


def _items(inputs: list[str], jsonl: bool) -> Iterator[Item]:
    for name in inputs:
        path = Path(name)
        if name == "-":
            if jsonl:
                yield from _lines(sys.stdin.buffer, "<stdin>")
            else:
                yield Item("<stdin>", sys.stdin.buffer.read())
        elif path.is_dir():
            for file in _json_files(path):
                yield Item(str(file), file)
        elif jsonl:
            try:
                stream = path.open("rb")
            except OSError:
                yield Item(name, path)  # reading it again gives the report its message
                continue
            with stream:
                yield from _lines(stream, name)
        else:
            yield Item(name, path)


def _count(inputs: list[str], jsonl: bool) -> int | None:
    """How many dossiers, when that is known without reading them (for the progress ETA)."""
    if jsonl or "-" in inputs:
        return None
    return sum(sum(1 for _ in _json_files(Path(n))) if Path(n).is_dir() else 1 for n in inputs)


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

    def text(self, jobs: int) -> str:
        seconds = time.perf_counter() - self.start
        rate = self.total / seconds if seconds > 0 else 0.0
        lines = [
            f"greentrade: {self.total} dossier(s) in {seconds:.2f} s ({rate:.0f}/s, {jobs} job(s)): "
            f"{self.clean} without errors, {self.with_errors} with errors, "
            f"{self.problems['unreadable']} unreadable, {self.problems['fault']} engine fault(s)"
        ]
        if self.statuses:
            lines.append("  outcomes: " + ", ".join(f"{s} {n}" for s, n in sorted(self.statuses.items())))
        lines.extend(f"  failed: {f}" for f in self.failures)
        if self.unlisted:
            lines.append(f"  ... and {self.unlisted} more")
        return "\n".join(lines) + "\n"

    def exit_status(self) -> int:
        if self.problems["unreadable"]:
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if self.total > self.clean else EXIT_OK


def run_command(engine: Engine, args: argparse.Namespace, config: str | None = None, *, verbosity: int = 0) -> int:
    """Run ``greentrade validate`` in batch mode; returns the exit status. `config` is the
    configuration file in use (never overwritten); verbosity -1 leaves out progress and summary."""
    if args.format in ("text", "html"):
        print(f"greentrade: several dossiers give JSON Lines reports; leave out --format {args.format}",
              file=sys.stderr)
        return EXIT_UNREADABLE
    inputs = [args.dossier, *args.more]
    if inputs.count("-") > 1:
        print("greentrade: standard input (-) can be read only once", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.output:
        try:
            refuse_overwrite(args.output, [*inputs, config])
        except OutputError as exc:
            print(f"greentrade: {exc}", file=sys.stderr)
            return EXIT_UNREADABLE
    jobs = args.jobs or usable_cores()
    timeout = args.timeout or None
    bar = progress(_count(inputs, args.jsonl), "dossier", enabled=not args.no_progress and verbosity >= 0)
    summary = _Summary()
    out: IO[str] = sys.stdout
    tmp: str | None = None
    results = run(engine, _items(inputs, args.jsonl), jobs=jobs, as_of=args.as_of, timeout=timeout, form="json")
    try:
        if args.output:
            target = Path(args.output)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
            out = os.fdopen(fd, "w", encoding="utf-8")
        for result in results:
            out.write(result.payload)
            summary.add(result)
            if bar is not None:
                bar.update()
        if tmp is not None:
            out.close()
            os.replace(tmp, args.output)
            tmp = None
        else:
            out.flush()
    except KeyboardInterrupt:
        print("greentrade: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise
    except (BatchError, OSError) as exc:
        print(f"greentrade: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        results.close()
        if bar is not None:
            bar.close()
        if tmp is not None:
            out.close()
            os.unlink(tmp)
    if verbosity >= 0:
        sys.stderr.write(summary.text(jobs))
    return summary.exit_status()
