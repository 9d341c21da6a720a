#!/usr/bin/env python3
"""Benchmark: does `greentrade import` grow linearly with its input? (#20)

Two families from the synthetic PACT v2 fixture: one footprint with N product ids (25,000, 50,000,
100,000) and one file with N footprints (750, 1,500, 3,000). Each size is the best of two runs;
the ratio for each doubling is printed (linear: about 2; the importers were quadratic in the
product ids before #20, 4.3 per doubling).

    .venv/bin/python bench/bench_import.py
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

from greentrade.importers import import_pact

BASE = json.loads((Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "interop" / "pact"
                   / "pact-v2-synthetic.json").read_text("utf-8"))


def many_ids(n: int) -> Any:
    d = copy.deepcopy(BASE)
    d["productIds"] = [f"urn:synthetic:product:{i}" for i in range(n)]
    return d


def many_footprints(n: int) -> Any:
    out = []
    for i in range(n):
        d = copy.deepcopy(BASE)
        d["id"] = f"f7a3c1d2-0000-4000-8000-{i:012d}"
        out.append(d)
    return out


def best(data: Any) -> float:
    times = []
    for _ in range(2):
        start = time.perf_counter()
        result = import_pact(data)
        times.append(time.perf_counter() - start)
        assert result.ok
    return min(times)


def main() -> None:
    for name, make, sizes in (("product ids", many_ids, (25_000, 50_000, 100_000)),
                              ("footprints", many_footprints, (750, 1_500, 3_000))):
        previous = None
        for n in sizes:
            seconds = best(make(n))
            ratio = f"  x{seconds / previous:.2f} for x2" if previous else ""
            print(f"{name:12} {n:>7}: {seconds:6.2f} s{ratio}")
            previous = seconds


if __name__ == "__main__":
    main()
