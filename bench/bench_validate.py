#!/usr/bin/env python3
"""Benchmark: validate the bundled example dossier end to end (parse to JSON report) with all
installed first-party plugins, as a ratio to ``json.loads`` of the same bytes, measured in the
same process. The machine is shared and noisy: we interleave the timings and quote medians.

    python3 tasks.py bench            # or: .venv/bin/python bench/bench_validate.py [--rounds N]

Also reported, to show where the time goes: the reference `jsonschema` validator alone, the
fast-path validity check alone, and structuring to entities alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from greentrade import Engine
from greentrade.io import _registry, _schemas
from greentrade.model import Dossier, _convert

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "examples" / "zhejiang-solar-portfolio.json"
CONFIG = ROOT / "examples" / "greentrade.toml"


def per_call(fn: Callable[[], object], inner: int) -> float:
    # CPU time of this process, not wall time: on a shared machine the wall clock also counts
    # the time other processes hold the core, which swamps the ratios.
    start = time.process_time()
    for _ in range(inner):
        fn()
    return (time.process_time() - start) / inner


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dossier", nargs="?", default=str(DEFAULT))
    ap.add_argument("--rounds", type=int, default=31)
    ap.add_argument("--inner", type=int, default=20)
    args = ap.parse_args(argv)

    raw = Path(args.dossier).read_bytes()
    data = json.loads(raw)
    engine = Engine(config=CONFIG if CONFIG.exists() else None)
    engine.load_entry_points()
    report = engine.validate(raw)  # warm-up: plugins, schemas, code lists
    lines = sum(len(s["lines"]) for s in data.get("shipments", []))
    reference = _schemas.validator("dossier")._reference

    core = Engine()  # no plugins: the core pipeline alone (data checks, report)
    core.validate(raw)
    timings: dict[str, list[float]] = {k: [] for k in
                                       ("json.loads", "validate+to_json", "core only", "jsonschema",
                                        "fast is_valid", "structure")}
    for _ in range(args.rounds):
        timings["json.loads"].append(per_call(lambda: json.loads(raw), args.inner))
        timings["validate+to_json"].append(per_call(lambda: engine.validate(raw).to_json(), args.inner))
        timings["core only"].append(per_call(lambda: core.validate(raw).to_json(), args.inner))
        timings["jsonschema"].append(per_call(lambda: reference.is_valid(data), max(1, args.inner // 4)))
        timings["fast is_valid"].append(per_call(lambda: _schemas.validator("dossier").is_valid(data), args.inner))
        timings["structure"].append(per_call(lambda: _convert.structure_trusted(data, Dossier), args.inner))

    base = statistics.median(timings["json.loads"])
    print(f"dossier: {args.dossier} ({len(raw):,} bytes, {len(data.get('shipments', []))} shipments, {lines} lines)")
    print(f"plugins: {', '.join(f'{p.name} {p.version}' for p in engine.plugins) or 'none'}; "
          f"findings {len(report.findings)}, outcomes {len(report.outcomes)}")
    print(f"fast path: {'jsonschema-rs' if _registry.accelerator() is not None else 'none (reference jsonschema)'}")
    print(f"medians of {args.rounds} rounds x {args.inner} calls, as a ratio to json.loads of the same bytes:")
    for name, values in timings.items():
        med = statistics.median(values)
        print(f"  {name:<18} {med * 1e6:9.1f} us  {med / base:6.1f}x")
    ratio = statistics.median(timings["validate+to_json"]) / base
    print(f"RESULT end-to-end validate = {ratio:.1f}x json.loads (target <= 10x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
