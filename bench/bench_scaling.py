#!/usr/bin/env python3
"""Benchmark: does the cost of `validate` grow linearly with the size of a dossier?

Two families of dossiers are built from the bundled example, with all first-party plugins:

* **shipments**: N copies of the example's shipments, each with its own products and its own
  documents (so every index a rule uses grows with N);
* **lines**: one shipment with N lines, each of a fresh product, covered by the example's
  documents (whose product lists grow with N).

Each size is timed as a ratio to ``json.loads`` of the same bytes (interleaved, medians), and
the log-log slope between 100 and 1,000 is printed next to its target (<= 1.05). The last
check validates one shipment with 10^5 lines of the example's products (target: under
10 s) and 2 x 10^5 lines (target: at most 2.2 x the time of 10^5).

    .venv/bin/python bench/bench_scaling.py [--rounds N] [--skip-large]
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from greentrade import Engine

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhejiang-solar-portfolio.json"
CONFIG = ROOT / "examples" / "greentrade.toml"


def _example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_bytes())
    return data


def with_shipments(n: int) -> bytes:
    """`n` shipments cycling over the example's, each with fresh products and documents."""
    base = _example()
    products: list[Any] = []
    documents: list[Any] = []
    shipments: list[Any] = []
    for i in range(n):
        sh = copy.deepcopy(base["shipments"][i % len(base["shipments"])])
        tag = f"-{i}"
        for p in base["products"]:
            q = copy.deepcopy(p)
            q["id"] += tag
            products.append(q)
        for doc_id in sh.get("documents", []):
            doc = copy.deepcopy(next(d for d in base["documents"] if d["id"] == doc_id))
            doc["id"] += tag
            for c in doc.get("products", []):
                c["product"] += tag
            documents.append(doc)
        sh["id"] += tag
        sh["documents"] = [d + tag for d in sh.get("documents", [])]
        for line in sh["lines"]:
            line["product"] += tag
        shipments.append(sh)
    out = {**base, "products": products, "documents": documents, "shipments": shipments}
    return json.dumps(out).encode()


def with_lines(n: int) -> bytes:
    """One shipment (the example's fourth: street and garden lights and PV modules, four
    documents) with `n` lines, each of a fresh product that the shipment's documents cover."""
    base = _example()
    sh = copy.deepcopy(base["shipments"][3])
    docs = {d["id"]: copy.deepcopy(d) for d in base["documents"]}
    attached = [docs[d] for d in sh["documents"]]
    templates = sh["lines"]
    products: list[Any] = []
    lines: list[Any] = []
    by_id = {p["id"]: p for p in base["products"]}
    for i in range(n):
        t = templates[i % len(templates)]
        p = copy.deepcopy(by_id[t["product"]])
        p["id"] = f"{p['id']}-{i}"
        products.append(p)
        line = {**t, "id": f"L{i + 1}", "product": p["id"]}
        lines.append(line)
        for doc in attached:
            entry = next((c for c in doc.get("products", []) if c["product"] == t["product"]), None)
            if entry is not None:
                doc.setdefault("_new", []).append({**entry, "product": p["id"]})
    for doc in attached:
        if "_new" in doc:
            doc["products"] = doc.pop("_new")
    sh["lines"] = lines
    out = {**base, "products": products + [p for p in base["products"]],
           "documents": list(docs.values()), "shipments": [sh]}
    return json.dumps(out).encode()


def with_repeated_lines(n: int) -> bytes:
    """One shipment with `n` lines cycling over the example's products (the #10 case: many
    lines of few products, all covered by the attached documents)."""
    base = _example()
    sh = copy.deepcopy(base["shipments"][3])
    templates = sh["lines"]
    sh["lines"] = [{**templates[i % len(templates)], "id": f"L{i + 1}"} for i in range(n)]
    return json.dumps({**base, "shipments": [sh]}).encode()


def once(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def per_call(fn: Any, inner: int) -> float:
    start = time.perf_counter()
    for _ in range(inner):
        fn()
    return (time.perf_counter() - start) / inner


def ratios(engine: Engine, build: Any, sizes: list[int], rounds: int) -> dict[int, float]:
    raws = {n: build(n) for n in sizes}
    for raw in raws.values():
        engine.validate(raw)  # warm-up
    samples: dict[int, list[float]] = {n: [] for n in sizes}
    for _ in range(rounds):
        for n, raw in raws.items():
            inner = max(1, 2000 // n)  # at least ~2,000 shipments' or lines' worth per sample
            base = per_call(lambda raw=raw: json.loads(raw), inner * 10)
            samples[n].append(per_call(lambda raw=raw: engine.validate(raw).to_json(), inner) / base)
    return {n: statistics.median(v) for n, v in samples.items()}


def seconds(engine: Engine, build: Any, sizes: list[int], rounds: int) -> dict[int, float]:
    """Medians of absolute times, per size (for the family where time itself matters)."""
    out: dict[int, list[float]] = {n: [] for n in sizes}
    for _ in range(rounds):
        for n in sizes:
            raw = build(n)
            out[n].append(once(lambda raw=raw: engine.validate(raw).to_json()))
    return {n: statistics.median(v) for n, v in out.items()}


def slope(small: int, t_small: float, large: int, t_large: float) -> float:
    return math.log(t_large / t_small) / math.log(large / small)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--skip-large", action="store_true", help="skip the 10^5-lines check")
    args = ap.parse_args(argv)
    engine = Engine(config=CONFIG)
    engine.load_entry_points()
    ok = True
    for name, build in (("shipments", with_shipments), ("lines", with_lines)):
        sizes = [100, 1000]
        r = ratios(engine, build, sizes, args.rounds)
        # time = ratio x json.loads time, and json.loads time grows with the bytes, so the
        # slope of time over N is the slope of the bytes plus the slope of the ratio.
        b = {n: len(build(n)) for n in sizes}
        s_bytes = slope(100, b[100], 1000, b[1000])
        s = s_bytes + slope(100, r[100], 1000, r[1000])
        ok &= s <= 1.05
        print(f"{name:<10} ratio to json.loads: N=100 {r[100]:.1f}x, N=1000 {r[1000]:.1f}x; "
              f"bytes slope {s_bytes:.3f}")
        print(f"RESULT log-log slope of time, {name} 100 -> 1,000 = {s:.3f} (target <= 1.05)"
              f"{'' if s <= 1.05 else '  NOT MET'}")
    if not args.skip_large:
        big = Engine(config=CONFIG, max_input_bytes=1 << 30)
        big.load_entry_points()
        t = seconds(big, with_repeated_lines, [100_000, 200_000], max(1, args.rounds // 2))
        ok &= t[100_000] < 10 and t[200_000] / t[100_000] <= 2.2
        print(f"RESULT 10^5 shipment lines = {t[100_000]:.2f} s (target < 10 s)")
        print(f"RESULT 2x10^5 / 10^5 lines = {t[200_000] / t[100_000]:.2f}x (target <= 2.2x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
