"""The service benchmark keeps working (a smoke run on loopback, not a timing)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_server_runs_and_stops_by_itself():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_server.py"), "--requests", "12", "--clients", "1,4",
         "--workers", "1", "--time-limit", "60"],
        capture_output=True, text=True, cwd=ROOT, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr
    results = re.findall(r"^RESULT workers=1 clients=(\d+) requests=(\d+) failures=(\d+) req/s=[0-9.]+ "
                         r"p50=[0-9.]+ms p99=[0-9.]+ms throughput/in-process=[0-9.]+x per worker "
                         r"cpu/request=[0-9.]+ms in-process=[0-9.]+ms per-core-ratio=[0-9.]+x$",
                         proc.stdout, flags=re.M)
    assert results == [("1", "12", "0"), ("4", "12", "0")], proc.stdout
