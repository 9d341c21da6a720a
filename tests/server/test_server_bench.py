"""The service benchmark keeps working (a smoke run on loopback, not a timing)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_server_runs_and_stops_by_itself():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_server.py"), "--requests", "12", "--concurrency", "3",
         "--workers", "1", "--time-limit", "60"],
        capture_output=True, text=True, cwd=ROOT, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr
    result = re.search(r"^RESULT workers=1 requests=(\d+) failures=(\d+) req/s=[0-9.]+ p50=[0-9.]+ms p99=",
                       proc.stdout, flags=re.M)
    assert result, proc.stdout
    assert result.groups() == ("12", "0")
