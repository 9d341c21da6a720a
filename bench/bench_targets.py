#!/usr/bin/env python3
"""Benchmark: every performance target of greentrade, one line each, measured next to its target.

    .venv/bin/python bench/bench_targets.py            # all targets (a few minutes)
    .venv/bin/python bench/bench_targets.py --quick    # small sizes: checks that it runs

Ratios are to ``json.loads`` of the same bytes, measured in the same process, interleaved,
medians, in CPU time of the process (the machine is shared: wall time also counts the time
other processes hold the core). Cold-start figures are absolute CPU times (median of several
fresh processes), as are the throughput figures (dossiers per CPU-second, parent and
workers). Each line ends in ``met`` or ``NOT MET``; nothing is rounded in our favour.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _gen

from greentrade import Engine
from greentrade.engine import _batch

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhejiang-solar-portfolio.json"
CONFIG = ROOT / "examples" / "greentrade.toml"
PY = sys.executable
RESULTS: list[tuple[str, bool]] = []
#: In a child process of `--processes N`: print each figure as a JSON line for the parent.
EMIT = False


def _line(name: str, value: float, limit: float, unit: str, note: str, higher: bool) -> str:
    ok = value >= limit if higher else value <= limit
    digits = 0 if unit == " /s" else 2 if unit in ("", "slope", " s") else 1
    shown = f"{value:.{digits}f}"
    unit_ = "" if unit == "slope" else unit
    return (f"TARGET {name:<52} {shown:>8}{unit_:<4} (target {'>=' if higher else '<='} {limit:g}{unit_}) "
            f"{'met' if ok else 'NOT MET'}{'  ' + note if note else ''}")


def target(name: str, value: float, limit: float, unit: str = "x", note: str = "", *, higher: bool = False) -> None:
    ok = value >= limit if higher else value <= limit
    RESULTS.append((name, ok))
    if EMIT:
        print(json.dumps({"name": name, "value": value, "limit": limit, "unit": unit, "note": note,
                          "higher": higher}), flush=True)
        return
    print(_line(name, value, limit, unit, note, higher), flush=True)


def target_min(name: str, value: float, floor: float, unit: str, note: str = "") -> None:
    target(name, value, floor, " /s" if unit == "/s" else unit, note, higher=True)


def info(name: str, text: str) -> None:
    if not EMIT:
        print(f"INFO   {name:<52} {text}", flush=True)


def per_call(fn: Callable[[], object], inner: int) -> float:
    # CPU time of this process, not wall time: on a shared machine the wall clock also counts
    # the time other processes hold the core, which swamps the ratios.
    start = time.process_time()
    for _ in range(inner):
        fn()
    return (time.process_time() - start) / inner


def ratios(raw: bytes, fns: dict[str, Callable[[bytes], object]], rounds: int, inner: int) -> dict[str, float]:
    """Median time of each fn on `raw` divided by the median time of json.loads(raw), interleaved."""
    times: dict[str, list[float]] = {"json.loads": [], **{k: [] for k in fns}}
    for _ in range(rounds):
        times["json.loads"].append(per_call(lambda: json.loads(raw), inner))
        for k, fn in fns.items():
            times[k].append(per_call(lambda fn=fn: fn(raw), inner))
    base = statistics.median(times["json.loads"])
    return {k: statistics.median(v) / base for k, v in times.items()} | {"_base": base}


def engine_with(plugins: list[str]) -> Engine:
    """An engine with the named entry-point plugins and the example configuration's sections for them."""
    config = tomllib.loads(CONFIG.read_text())
    config["greentrade"]["plugins"] = plugins
    config["plugins"] = {k: v for k, v in config.get("plugins", {}).items() if k in plugins}
    engine = Engine(config=config)
    engine.load_entry_points()
    return engine


def e2e(engine: Engine) -> Callable[[bytes], object]:
    return lambda raw: engine.validate(raw).to_json()


# -- sections -------------------------------------------------------------------------------------
def section_ratios(args: argparse.Namespace, data: dict[str, Any], raw: bytes) -> None:
    plugins = sorted(ep.name for ep in __import__("importlib.metadata").metadata.entry_points(group="greentrade"))
    full = engine_with(plugins)
    core = Engine()
    fns: dict[str, Callable[[bytes], object]] = {"all plugins": e2e(full), "core only": e2e(core)}
    for p in plugins:
        fns[p] = e2e(engine_with([p]))
    for fn in fns.values():
        fn(raw)
    r = ratios(raw, fns, args.rounds, args.inner)
    info("example", f"{len(raw):,} bytes, {len(data['shipments'])} shipments; json.loads {r['_base'] * 1e6:.0f} us")
    target("end to end, all plugins (x json.loads)", r["all plugins"], 10, note="stretch <= 6x")
    target("core alone (x json.loads)", r["core only"], 4)
    one = _gen.small(data)[1]  # the PV/battery/grid shipment alone: every plugin has work
    r1 = ratios(one, {"v": fns["all plugins"]}, args.rounds, args.inner)
    target("one-shipment dossier, all plugins (x json.loads)", r1["v"], 8, note=f"({len(one):,} bytes)")
    for p in plugins:
        info(f"plugin {p} adds", f"+{r[p] - r['core only']:.1f}x (core + this plugin {r[p]:.1f}x)")


def section_slopes(args: argparse.Namespace, data: dict[str, Any]) -> None:
    engine = engine_with(sorted(ep.name for ep in __import__("importlib.metadata").metadata
                                .entry_points(group="greentrade")))
    sizes = (args.small_n, args.large_n)
    for label, make in (("shipments", _gen.shipments), ("lines, fresh products", _gen.fresh_lines),
                        ("lines sharing a site and documents", _gen.shared_site_lines)):
        times = []
        ratio_at = []
        for n in sizes:
            raw = make(data, n)
            engine.validate(raw)
            inner = max(1, 2000 // n) if n < 1000 else 1
            r = ratios(raw, {"v": e2e(engine)}, max(3, args.rounds // 5), inner)
            times.append(r["v"] * r["_base"])
            ratio_at.append(r["v"])
        slope = math.log(times[1] / times[0]) / math.log(sizes[1] / sizes[0])
        target(f"slope {sizes[0]}->{sizes[1]} {label}", slope, 1.05, "slope",
               note=f"({ratio_at[0]:.1f}x -> {ratio_at[1]:.1f}x json.loads)")


def section_invalid(args: argparse.Namespace, data: dict[str, Any]) -> None:
    engine = engine_with(sorted(ep.name for ep in __import__("importlib.metadata").metadata
                                .entry_points(group="greentrade")))
    for label, raw in (("invalid: one schema error", _gen.one_schema_error(data)),
                       ("invalid: every HS code malformed", _gen.every_hs_code_wrong(data)),
                       ("invalid: one HS code not in HS 2022", _gen.code_list_failure(data, every=False)),
                       ("invalid: every HS code not in HS 2022", _gen.code_list_failure(data, every=True))):
        report = engine.validate(raw)
        r = ratios(raw, {"v": e2e(engine)}, args.rounds, max(1, args.inner // 2))
        target(f"{label} (x json.loads)", r["v"], 15, note=f"({report.counts['error']} error findings)")


def _in_fresh(code: str, runs: int) -> float:
    values = []
    for _ in range(runs):
        out = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
        values.append(float(out.strip().splitlines()[-1]))
    return statistics.median(values)


def section_cold(args: argparse.Namespace) -> None:
    runs = args.cold_runs
    t_import = _in_fresh("import time; t=time.process_time(); import greentrade; "
                         "print(time.process_time()-t)", runs)
    target("cold: import greentrade (CPU)", t_import * 1e3, 100, " ms")
    # `import greentrade` loads its names on first use (PEP 562): what a host pays before its
    # first Engine is this line's figure.
    t_engine = _in_fresh("import time; t=time.process_time(); from greentrade import Engine; "
                         "print(time.process_time()-t)", runs)
    info("cold: from greentrade import Engine (CPU)", f"{t_engine * 1e3:.1f} ms")
    t_first = _in_fresh(
        "import time, pathlib; from greentrade import Engine\n"
        f"e = Engine(config={str(CONFIG)!r}); e.load_entry_points()\n"
        f"raw = pathlib.Path({str(EXAMPLE)!r}).read_bytes()\n"
        "t=time.process_time(); e.validate(raw); print(time.process_time()-t)", runs)
    target("cold: first validate after load_entry_points (CPU)", t_first * 1e3, 25, " ms")
    cpu = []
    cli = [str(Path(PY).parent / "greentrade"), "--config", str(CONFIG), "validate", str(EXAMPLE)]
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cli, capture_output=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    target("cold: greentrade validate example (CPU)", statistics.median(cpu), 0.25, " s")
    cpu = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([cli[0], "--version"], capture_output=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    target("cold: greentrade --version (CPU)", statistics.median(cpu), 0.25, " s")


def section_memory(args: argparse.Namespace) -> None:
    code = (
        "import json, tracemalloc, pathlib, sys\n"
        "sys.path.insert(0, 'bench'); import _gen\n"
        "from greentrade import Engine\n"
        f"e = Engine(config={str(CONFIG)!r}); e.load_entry_points()\n"
        f"data = json.loads(pathlib.Path({str(EXAMPLE)!r}).read_bytes())\n"
        f"raw = _gen.shipments(data, {args.large_n}); e.validate(_gen.small(data)[0])\n"
        "tracemalloc.start(); parsed = json.loads(raw); size = tracemalloc.get_traced_memory()[0]\n"
        "del parsed; tracemalloc.reset_peak(); base = tracemalloc.get_traced_memory()[0]\n"
        "j = e.validate(raw).to_json(); peak = tracemalloc.get_traced_memory()[1] - base\n"
        "print(peak / size)\n"
    )
    ratio = _in_fresh(code, 1)
    target(f"memory: peak of validate + to_json / parsed input, {args.large_n} shipments", ratio, 2.5)


def section_size(args: argparse.Namespace, data: dict[str, Any], raw: bytes) -> None:
    engine = engine_with(sorted(ep.name for ep in __import__("importlib.metadata").metadata
                                .entry_points(group="greentrade")))
    for label, source in (("example", raw), (f"{args.large_n} shipments", _gen.shipments(data, args.large_n))):
        out = engine.validate(source).to_json().encode()
        target(f"report size / input size, {label}", len(out) / len(source), 1,
               note=f"({len(out):,} of {len(source):,} bytes, compact JSON)")


def section_throughput(args: argparse.Namespace, data: dict[str, Any]) -> None:
    engine = engine_with(sorted(ep.name for ep in __import__("importlib.metadata").metadata
                                .entry_points(group="greentrade")))
    small = _gen.small(data)
    n = args.throughput_n
    items = [small[i % len(small)] for i in range(n)]
    for item in items[:50]:
        engine.validate(item).to_json()
    c0 = time.process_time()
    for item in items:
        engine.validate(item).to_json()
    target_min("throughput: small dossiers/s per core, in process", n / (time.process_time() - c0), 2000, "/s",
               note="(Engine.validate + to_json)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    stream = b"".join(item + b"\n" for item in items)
    cli = [str(Path(PY).parent / "greentrade"), "--config", str(CONFIG), "validate", "--jsonl", "-",
           "--output", os.devnull]
    subprocess.run(cli, input=stream, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cli_cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    target_min("throughput: greentrade validate --jsonl, per core", n / cli_cpu, 1500, "/s",
               note=f"(CLI process and its workers, {cli_cpu:.1f} CPU-s for {n} dossiers; stretch 3000/s)")
    list(_batch.run(engine, items[:50], form="json"))
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in _batch.run(engine, items, jobs=1, form="json"):
        pass
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    target_min("throughput: small dossiers/s per core, batch --jobs 1", n / cpu, 2000, "/s",
               note=f"(wall {n / wall:.0f}/s, {len(small[0]):,}-byte one-shipment dossiers)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in _batch.run(engine, items * 2, jobs=2, form="json"):
        pass
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    target_min("throughput: small dossiers/s per core, batch --jobs 2", 2 * n / (cpu + child_cpu), 1500, "/s",
               note=f"(wall {2 * n / wall:.0f}/s on {_batch.usable_cores()} shared cores; per CPU-second "
               f"of parent {cpu:.1f} s + workers {child_cpu:.1f} s)")


def _feed(proc: subprocess.Popen[bytes], line: bytes, n: int) -> None:
    assert proc.stdin is not None
    try:
        for _ in range(n):
            proc.stdin.write(line)
        proc.stdin.close()
    except BrokenPipeError:  # pragma: no cover
        pass


def section_rss(args: argparse.Namespace, data: dict[str, Any]) -> None:
    line = _gen.small(data)[0] + b"\n"
    code = (
        "import resource, sys\nfrom greentrade.cli import main\n"
        f"rc = main(['--config', {str(CONFIG)!r}, 'validate', '--jsonl', '-', '--jobs', '2', "
        "'--output', '/dev/null'])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)\n"
    )
    peaks = []
    for n in args.rss_sizes:
        t0 = time.perf_counter()
        with tempfile.TemporaryFile() as errors:
            proc = subprocess.Popen([PY, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=errors, cwd=ROOT)
            feeder = threading.Thread(target=_feed, args=(proc, line, n))
            feeder.start()
            assert proc.stdout is not None
            out = proc.stdout.read()
            proc.wait()
            feeder.join()
            errors.seek(0)
            summary = errors.read().decode()
        wall = time.perf_counter() - t0
        if f"greentrade: {n} dossier(s)" not in summary:
            raise SystemExit(f"the stream run did not validate {n} dossiers: {summary}")
        self_kb, child_kb, rc = out.decode().split()
        peaks.append((int(self_kb), int(child_kb)))
        info(f"stream of {n:,} dossiers (--jobs 2)", f"peak RSS: main {int(self_kb) / 1024:.0f} MiB, largest worker "
             f"{int(child_kb) / 1024:.0f} MiB; {n / wall:.0f} dossiers/s; exit {rc}")
    if len(peaks) >= 2:
        grow = max(peaks[-1][0] / peaks[0][0], peaks[-1][1] / peaks[0][1])
        target(f"RSS flat: {args.rss_sizes[-1]:,} vs {args.rss_sizes[0]:,} dossiers", grow, 1.1,
               note="(largest growth of main or worker peak RSS)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes and few rounds: a smoke run")
    ap.add_argument("--only", nargs="*",
                    help="sections: ratios size slopes invalid cold memory throughput rss")
    ap.add_argument("--processes", type=int, default=1,
                    help="run the sections in N fresh processes and print each figure's median (default 1)")
    ap.add_argument("--emit", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.processes > 1:
        return _median_of_processes(sys.argv[1:] if argv is None else argv, args.processes)
    global EMIT
    EMIT = args.emit
    quick = args.quick
    args.rounds, args.inner = (3, 2) if quick else (21, 10)
    args.small_n, args.large_n = (10, 30) if quick else (100, 1000)
    args.cold_runs = 1 if quick else 5
    args.throughput_n = 60 if quick else 3000
    args.rss_sizes = [200, 400] if quick else [10_000, 100_000]
    data = json.loads(EXAMPLE.read_bytes())
    raw = EXAMPLE.read_bytes()
    sections: dict[str, Callable[[], None]] = {
        "ratios": lambda: section_ratios(args, data, raw),
        "size": lambda: section_size(args, data, raw),
        "slopes": lambda: section_slopes(args, data),
        "invalid": lambda: section_invalid(args, data),
        "cold": lambda: section_cold(args),
        "memory": lambda: section_memory(args),
        "throughput": lambda: section_throughput(args, data),
        "rss": lambda: section_rss(args, data),
    }
    if not EMIT:
        print(f"greentrade targets ({'quick smoke run' if quick else 'full run'}; python {sys.version.split()[0]}, "
              f"{os.cpu_count()} cores)", flush=True)
    for name in args.only or sections:
        sections[name]()
    if not EMIT:
        met = sum(ok for _, ok in RESULTS)
        print(f"SUMMARY {met} of {len(RESULTS)} targets met", flush=True)
    return 0


def _median_of_processes(argv: list[str], n: int) -> int:
    """Each figure as the median over `n` fresh processes (each runs the same sections)."""
    rest = [a for i, a in enumerate(argv) if a != "--processes" and (i == 0 or argv[i - 1] != "--processes")]
    runs: dict[str, list[dict[str, Any]]] = {}
    for i in range(n):
        out = subprocess.run([PY, __file__, *rest, "--emit"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("{"):
                fig = json.loads(line)
                runs.setdefault(fig["name"], []).append(fig)
        print(f"# process {i + 1} of {n} done", flush=True)
    print(f"greentrade targets: medians of {n} fresh processes (python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores)", flush=True)
    met = 0
    for name, figs in runs.items():
        value = statistics.median(f["value"] for f in figs)
        f = figs[0]
        ok = value >= f["limit"] if f["higher"] else value <= f["limit"]
        met += ok
        spread = f"[{min(x['value'] for x in figs):.3g}..{max(x['value'] for x in figs):.3g}]"
        print(_line(name, value, f["limit"], f["unit"], f"{spread} {f['note']}".strip(), f["higher"]), flush=True)
    print(f"SUMMARY {met} of {len(runs)} targets met (medians of {n} processes)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
