#!/usr/bin/env python3
"""Benchmark: ``greentrade serve`` under bounded concurrent load, on loopback only.

For each worker count (default 1 and 2) it starts the real service on a free 127.0.0.1 port
with the examples' configuration, sends a fixed number of POST /v1/validate requests of the
bundled example with a fixed number in flight, and stops by itself (after the requests, or at
the time limit, whichever comes first). It reports requests/s and p50/p99 latency, and, as
the project measures performance against a baseline in the same process, the throughput as
a ratio to in-process validations per second (engine.validate + to_json, no HTTP, one
thread; median time of 30 calls, measured just before and after each load run).

    .venv/bin/python bench/bench_server.py [--requests 400] [--concurrency 8] [--workers 1,2]

The client runs on the same (2-core, shared) machine as the workers: quote the figures with
the machine's load in mind.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
                status = await asyncio.wait_for(conn.post("/v1/validate", raw), 60)
                latencies.append(time.perf_counter() - start)
                failures += status != 200
        finally:
            await conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(user() for _ in range(concurrency)))
    return latencies, failures, time.perf_counter() - started


def run(workers: int, args: argparse.Namespace, raw: bytes) -> dict[str, float]:
    port = free_port()
    url = f"http://{HOST}:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "greentrade.cli", "--config", str(CONFIG), "serve", "--host", HOST,
         "--port", str(port), "--workers", str(workers), "--max-concurrent", str(args.concurrency)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
    )
    try:
        ready = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > ready:
                raise SystemExit(f"the server with {workers} worker(s) did not start")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            time.sleep(0.1)
        # warm-up: every worker's first requests
        asyncio.run(load(port, raw, 4 * workers, workers, time.monotonic() + 30))
        latencies, failures, elapsed = asyncio.run(
            load(port, raw, args.requests, args.concurrency, time.monotonic() + args.time_limit))
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return {"done": len(latencies), "failures": failures, "rps": len(latencies) / elapsed,
            "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=400, help="requests per worker count (default 400)")
    ap.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    ap.add_argument("--workers", default="1,2", help="worker counts to measure (default 1,2)")
    ap.add_argument("--time-limit", type=float, default=120, help="stop sending after this many seconds")
    args = ap.parse_args(argv)
    raw = DOSSIER.read_bytes()
    engine = Engine(config=CONFIG)
    engine.load_entry_points()
    engine.validate(raw)
    print(f"dossier {DOSSIER.name} ({len(raw)} bytes); {args.requests} requests, {args.concurrency} in flight")
    for workers in [int(w) for w in args.workers.split(",")]:
        before = in_process_median(engine, raw)
        r = run(workers, args, raw)
        baseline = statistics.median([before, in_process_median(engine, raw)])
        print(f"in-process validate+to_json (mean of the medians just before and after): {baseline * 1000:.1f} ms")
        print(f"RESULT workers={workers} requests={r['done']:.0f} failures={r['failures']:.0f} "
              f"req/s={r['rps']:.1f} p50={r['p50'] * 1000:.1f}ms p99={r['p99'] * 1000:.1f}ms "
              f"throughput/in-process={r['rps'] * baseline:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
