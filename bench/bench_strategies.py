#!/usr/bin/env python3
"""Benchmark: examples per second of each public strategy of ``greentrade.testing.strategies``,
as Hypothesis draws them in a test (generation only, no shrinking), with default settings
except the example count. CPU time of this process (``time.process_time``), so other load on
a shared machine counts less; each figure is the median of ``--rounds`` interleaved rounds.

The baseline, in the same process, is Hypothesis's own overhead per example
(``st.just(None)``): ``ratio`` is a strategy's examples per second divided by the baseline's,
the figure that carries over between machines.

    .venv/bin/python bench/bench_strategies.py [--examples N] [--rounds N] [--only NAME]

Also measured: shrinking "no shipment has more than 2 lines" to its minimal example (shrink
phase alone, and with Hypothesis's explain phase), and the cost of greentrade's Hypothesis
entry-point hook when Hypothesis is imported (in a fresh interpreter).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from greentrade.testing import strategies as gts


def _strategies() -> dict[str, Callable[[], st.SearchStrategy[Any]]]:
    out: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
        "baseline just(None)": lambda: st.just(None),
        "dossiers()": gts.dossiers,
        "dossier_json()": gts.dossier_json,
        "dossiers(10 shipments x 5 lines)": lambda: gts.dossiers(min_shipments=10, max_shipments=10, min_lines=5,
                                                                max_lines=5),
        "invalid_dossiers()": gts.invalid_dossiers,
        "json_values()": gts.json_values,
        "standard_designators()": gts.standard_designators,
    }
    for cls, strategy in sorted(gts.entity_strategies().items(), key=lambda kv: kv[0].__name__):
        if cls.__name__ != "Dossier":
            out[f"from_type({cls.__name__})"] = lambda s=strategy: s
    for program in ("cn-green-channel", "itc-green-export-pass", "buyer-profiles"):
        if any(k[0] == program for k in gts.outcome_builders()):
            out[f"dossiers_with_outcome({program!r}, 'eligible')"] = (
                lambda p=program: gts.dossiers_with_outcome(p, "eligible"))
            out[f"mixed_dossiers({program!r})"] = lambda p=program: gts.mixed_dossiers(p)
    return out


def rate(strategy: st.SearchStrategy[Any], examples: int) -> float:
    """Examples per second (CPU time) of one test run that only draws."""
    count = [0]

    @settings(max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def draw(_value: Any) -> None:
        count[0] += 1

    start = time.process_time()
    draw()
    return count[0] / (time.process_time() - start)


def shrink_seconds(explain: bool) -> tuple[float, str]:
    phases = [Phase.generate, Phase.shrink] + ([Phase.explain] if explain else [])
    start = time.process_time()
    d = find(gts.dossiers(max_lines=5), lambda d: any(len(s.lines) > 2 for s in d.shipments),
             settings=settings(database=None, max_examples=1000, phases=phases, derandomize=True))
    shape = (f"{len(d.parties)} party, {len(d.products)} product, {len(d.shipments)} shipment with "
             f"{[len(s.lines) for s in d.shipments]} lines, {len(d.documents)} documents")
    return time.process_time() - start, shape


HOOK = """
import os, time, importlib.metadata as md
os.environ["HYPOTHESIS_NO_PLUGINS"] = "1"
import hypothesis, sys
eps = [e for e in md.entry_points(group="hypothesis") if e.value.startswith("_greentrade_hypothesis")]
t = time.perf_counter(); eps[0].load()(); hook = time.perf_counter() - t
print(f"{hook * 1000:.2f} {'greentrade' in sys.modules}")
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--examples", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default=None, help="measure only strategies whose name contains this")
    ap.add_argument("--no-shrink", action="store_true")
    args = ap.parse_args(argv)
    table = {k: v for k, v in _strategies().items() if args.only is None or args.only in k or "baseline" in k}
    built = {k: make() for k, make in table.items()}
    samples: dict[str, list[float]] = {k: [] for k in built}
    for _ in range(args.rounds):
        for name, strategy in built.items():  # interleaved: a slow moment hits every strategy alike
            samples[name].append(rate(strategy, args.examples))
    base = statistics.median(samples["baseline just(None)"])
    width = max(map(len, samples))
    print(f"{'strategy':<{width}}  examples/s  ratio to baseline")
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"{name:<{width}}  {med:10.0f}  {med / base:.3f}")
    if not args.no_shrink:
        for explain in (False, True):
            seconds, shape = shrink_seconds(explain)
            label = "shrink + explain" if explain else "shrink"
            print(f"RESULT {label}: {seconds:.1f} s CPU to {shape}")
    out = subprocess.run([sys.executable, "-c", HOOK], capture_output=True, text=True, check=True).stdout.split()
    print(f"RESULT entry-point hook: {out[0]} ms when Hypothesis is imported; imports greentrade: {out[1]}")
    print(f"RESULT dossiers() = {statistics.median(samples.get('dossiers()', [0])):.0f} examples/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
