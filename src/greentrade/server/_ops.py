"""Operations: Prometheus metrics, the decision log, and log lines as JSON.

Metrics use ``prometheus-client`` (the ``server`` extra). Each application has its own
registry; with several workers, ``greentrade serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` before
the workers start, and ``/metrics`` then sums the values of every worker (the client's
multiprocess mode).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import threading
from collections import Counter
from typing import Any

from prometheus_client import CollectorRegistry, Gauge, Histogram, generate_latest
from prometheus_client import Counter as PCounter
from prometheus_client.multiprocess import MultiProcessCollector

from greentrade.rules._report import Report

__all__ = ["REFUSALS", "DecisionLog", "JsonFormatter", "Metrics", "decision", "now"]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: Refusals at the connection layer (`_protocol`), by reason; /metrics reports them.
REFUSALS: Counter[str] = Counter()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Metrics:
    """The service's metrics (names under ``greentrade_``)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.multiprocess = bool(os.environ.get(MULTIPROC_ENV))
        r = self.registry
        self._refusals_seen: dict[str, int] = {}
        self.requests = PCounter("greentrade_http_requests", "HTTP requests answered, by route and status",
                                 ["method", "route", "status"], registry=r)
        self.latency = Histogram("greentrade_http_request_duration_seconds", "Time to answer, by route",
                                 ["route"], registry=r,
                                 buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60))
        self.refusals = PCounter("greentrade_refusals", "Requests refused before the application (connection "
                                 "limit, malformed HTTP, head too large or too slow), by reason", ["reason"],
                                 registry=r)
        self.running = Gauge("greentrade_evaluations_running", "Evaluations running now", registry=r,
                             multiprocess_mode="livesum")
        self.queued = Gauge("greentrade_queue_length", "Requests waiting for an evaluation slot", registry=r,
                            multiprocess_mode="livesum")
        self.slots = Gauge("greentrade_evaluation_slots", "Evaluation slots (all workers)", registry=r,
                           multiprocess_mode="livesum")
        self.queue_wait = Histogram("greentrade_queue_wait_seconds", "Time waited for an evaluation slot",
                                    registry=r, buckets=(.001, .005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10))
        self.outcomes = PCounter("greentrade_outcomes", "Program outcomes of the validated dossiers",
                                 ["program", "status"], registry=r)
        self.faults = PCounter("greentrade_engine_faults", "GT-ENGINE findings of the validated dossiers "
                               "(plugin faults, time-outs, refused contributions)", ["rule"], registry=r)
        self._outcome_children: dict[tuple[str, Any], Any] = {}
        self.cancelled = PCounter("greentrade_evaluations_cancelled", "Evaluations stopped because the client "
                                  "went away or the request ran out of time", registry=r)

    def report(self, report: Report) -> None:
        """Count the outcomes and engine faults of one report (each label set looked up once)."""
        counts = Counter((o.program, o.status) for o in report.outcomes)
        for key, n in counts.items():
            child = self._outcome_children.get(key)
            if child is None:
                child = self._outcome_children[key] = self.outcomes.labels(key[0], str(key[1]))
            child.inc(n)
        for f in report.findings:
            if f.rule.startswith("GT-ENGINE-"):
                self.faults.labels(f.rule).inc()

    def close(self) -> None:
        """The worker stops: its live gauges leave the sum over the workers."""
        if self.multiprocess:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

    def render(self) -> bytes:
        for reason, count in REFUSALS.items():  # the protocol's counts, brought up to date
            seen = self._refusals_seen.get(reason, 0)
            if count > seen:
                self.refusals.labels(reason).inc(count - seen)
                self._refusals_seen[reason] = count
        if self.multiprocess:
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)


def decision(report: Report, *, request_id: str, path: str, as_of: dt.date | None,
             line: int | None = None) -> dict[str, Any]:
    """The decision log entry of one validation: what was decided, on what, by which rules."""
    counts: dict[str, Counter[str]] = {}
    for o in report.outcomes:
        counts.setdefault(o.program, Counter())[str(o.status)] += 1
    entry: dict[str, Any] = {
        "time": now(), "request_id": request_id, "path": path, "input_sha256": report.input_sha256,
        "as_of": as_of.isoformat() if as_of else None,
        "outcome_dates": sorted({o.as_of.isoformat() for o in report.outcomes}),
        "greentrade_version": report.greentrade_version,
        "plugins": {p.name: p.version for p in report.plugins},
        "evaluated": report.evaluated,
        "findings": {str(k): v for k, v in sorted(Counter(f.severity for f in report.findings).items())},
        "outcomes": {p: dict(sorted(c.items())) for p, c in sorted(counts.items())},
    }
    if line is not None:
        entry["line"] = line
    return entry


class DecisionLog:
    """One JSON line per validation, to standard error (``"-"``) or appended to a file.

    Each line is written with one ``write`` on a descriptor opened with ``O_APPEND``, so the
    lines of several workers do not interleave.
    """

    def __init__(self, target: str) -> None:
        self.target = target
        self._lock = threading.Lock()
        if target == "-":
            self._fd = sys.stderr.fileno()
        else:
            self._fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)

    def write(self, entry: dict[str, Any]) -> None:
        data = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        with self._lock:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view):]

    def close(self) -> None:
        if self.target != "-":
            os.close(self._fd)


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger and message (and the exception).

    A message that is already a JSON object (the access log's lines) is written as it is.
    """

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name == "greentrade.server.access" and message.startswith("{"):
            return message
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(), "logger": record.name, "message": message,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
