#!/usr/bin/env python3
"""Benchmark: ``greentrade serve`` under bounded concurrent load, on loopback only.

For each worker count (default 1) it starts the real service on a free 127.0.0.1 port with the
examples' configuration and its default limits (slots, queue), then, for each number of
concurrent clients (default 1, 4 and 16), sends a fixed number of POST /v1/validate requests of
the bundled example, each client one request at a time on its own keep-alive connection, and
stops by itself (after the requests, or at the time limit, whichever comes first). Each level is
run twice:

1. alone: requests/s, p50/p99 latency and the error count (any answer but 200, or a failed
   connection); `throughput/in-process` is the wall-clock rate per worker against in-process
   validations (engine.validate + to_json, no HTTP, one thread) timed just before and after;
2. with a reference process alongside that runs the same in-process validations in a loop: the
   CPU time the service used per request (the server process and its workers, from /proc)
   against the reference's CPU time per validation over the same seconds. `per-core-ratio` is the
   service's throughput per core as a fraction of the in-process rate. Measured side by side,
   both see the same machine (its other jobs, this load generator, caches): on a shared machine
   a reference timed before and after the load swings far more than the service's own cost.

    .venv/bin/python bench/bench_server.py [--requests 400] [--clients 1,4,16] [--workers 1]

The client runs on the same (2-core, shared) machine as the workers: quote the figures with
the machine's load in mind.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from greentrade import Engine

ROOT = Path(__file__).resolve().parent.parent
DOSSIER = ROOT / "examples" / "zhejiang-solar-portfolio.json"
CONFIG = ROOT / "examples" / "greentrade.toml"
HOST = "127.0.0.1"  # loopback only, by design


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by process `pid` and its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
            used[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, todo = {pid}, [pid]
    while todo:
        parent = todo.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in tree:
                tree.add(child)
                todo.append(child)
    return sum(used.get(p, 0.0) for p in tree)


_REFERENCE = """
import sys, time
from greentrade import Engine
engine = Engine(config=sys.argv[1])
engine.load_entry_points()
raw = open(sys.argv[2], "rb").read()
for _ in range(3):
    engine.validate(raw).to_json(indent=2)
print("ready", flush=True)
while True:
    start = time.process_time()
    engine.validate(raw).to_json(indent=2)
    print(time.process_time() - start, flush=True)
"""


class Reference:
    """A process validating the example in a loop (engine.validate + to_json, as in process), for
    the CPU time of one validation measured alongside a load run."""

    def __enter__(self) -> Reference:
        self.proc = subprocess.Popen([sys.executable, "-c", _REFERENCE, str(CONFIG), str(DOSSIER)],
                                     stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit("the reference process did not start")
        return self

    def __exit__(self, *_exc: object) -> None:
        self.proc.terminate()
        out, _ = self.proc.communicate()
        times = [float(t) for t in out.split()[1:-1]]  # the first and last may be partial
        self.cpu = statistics.mean(times) if times else 0.0


def in_process_median(engine: Engine, raw: bytes, rounds: int = 30) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        engine.validate(raw).to_json(indent=2)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class Connection:
    """A minimal HTTP/1.1 keep-alive client: the load generator must cost little next to the
    service on a 2-core machine (httpx costs several ms per request here)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return int(status_line.split()[1])

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()


async def load(port: int, raw: bytes, requests: int, concurrency: int,
               deadline: float) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    failures = 0
    todo = iter(range(requests))

    async def user() -> None:
        nonlocal failures
        conn = Connection(port)
        try:
            for _ in todo:
                if time.monotonic() > deadline:
                    return
                start = time.perf_counter()
                try:
                    status = await asyncio.wait_for(conn.post("/v1/validate", raw), 60)
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError, IndexError):
                    failures += 1
                    await conn.close()
                    conn = Connection(port)
                    continue
                latencies.append(time.perf_counter() - start)
                failures += status != 200
        finally:
            await conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(user() for _ in range(concurrency)))
    return latencies, failures, time.perf_counter() - started


def run(workers: int, args: argparse.Namespace, raw: bytes, engine: Engine) -> None:
    port = free_port()
    url = f"http://{HOST}:{port}"
    extra = ["--max-concurrent", str(args.max_concurrent)] if args.max_concurrent else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "greentrade.cli", "--config", str(CONFIG), "serve", "--host", HOST,
         "--port", str(port), "--workers", str(workers), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
    )
    try:
        ready = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > ready:
                raise SystemExit(f"the server with {workers} worker(s) did not start")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                    break
            time.sleep(0.1)
        # warm-up: every worker's first requests
        asyncio.run(load(port, raw, 4 * workers, workers, time.monotonic() + 30))
        for clients in [int(c) for c in args.clients.split(",")]:
            before = in_process_median(engine, raw)
            latencies, failures, elapsed = asyncio.run(
                load(port, raw, args.requests, clients, time.monotonic() + args.time_limit))
            baseline = statistics.median([before, in_process_median(engine, raw)])
            cpu_before = cpu_seconds(proc.pid)
            with Reference() as reference:
                answered, more_failures, _ = asyncio.run(
                    load(port, raw, args.requests, clients, time.monotonic() + args.time_limit))
            service_cpu = (cpu_seconds(proc.pid) - cpu_before) / max(1, len(answered))
            rps = len(latencies) / elapsed
            print(f"in-process validate+to_json (median before and after): {baseline * 1000:.1f} ms; "
                  f"load average {os.getloadavg()[0]:.1f}")
            print(f"RESULT workers={workers} clients={clients} requests={len(latencies)} "
                  f"failures={failures + more_failures} req/s={rps:.1f} p50={percentile(latencies, 0.5) * 1000:.1f}ms "
                  f"p99={percentile(latencies, 0.99) * 1000:.1f}ms "
                  f"throughput/in-process={rps * baseline / workers:.2f}x per worker "
                  f"cpu/request={service_cpu * 1000:.1f}ms in-process={reference.cpu * 1000:.1f}ms "
                  f"per-core-ratio={reference.cpu / service_cpu if service_cpu else 0:.2f}x", flush=True)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=400, help="requests per client count (default 400)")
    ap.add_argument("--clients", default="1,4,16", help="concurrent clients to measure (default 1,4,16)")
    ap.add_argument("--workers", default="1", help="worker counts to measure (default 1)")
    ap.add_argument("--max-concurrent", type=int, default=0, help="the service's --max-concurrent (default: its own)")
    ap.add_argument("--time-limit", type=float, default=120, help="stop sending after this many seconds per level")
    args = ap.parse_args(argv)
    raw = DOSSIER.read_bytes()
    engine = Engine(config=CONFIG)
    engine.load_entry_points()
    engine.validate(raw)
    print(f"dossier {DOSSIER.name} ({len(raw)} bytes in, {len(engine.validate(raw).to_json(indent=2))} out); "
          f"{args.requests} requests per level")
    for workers in [int(w) for w in args.workers.split(",")]:
        run(workers, args, raw, engine)
    return 0


if __name__ == "__main__":
    sys.exit(main())
