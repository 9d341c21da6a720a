"""The benchmark script keeps working (a smoke run, not a timing: timings live in bench/)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runs():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_validate.py"), "--rounds", "1", "--inner", "1"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "RESULT end-to-end validate =" in proc.stdout
    assert "20 lines" in proc.stdout


def test_targets_benchmark_runs_and_prints_every_target():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_targets.py"), "--quick"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    targets = [line for line in proc.stdout.splitlines() if line.startswith("TARGET ")]
    for name in ("end to end", "core alone", "one-shipment dossier", "report size / input size, example",
                 "slope", "lines, fresh products", "lines sharing a site", "one schema error",
                 "every HS code malformed", "not in HS 2022", "import greentrade", "first validate",
                 "greentrade validate example", "memory", "in process", "validate --jsonl", "--jobs 1",
                 "--jobs 2", "RSS flat"):
        assert any(name in line for line in targets), name
    assert all(re.search(r"\(target [<>]= [0-9.]+[^)]*\) (met|NOT MET)\b", line) for line in targets), targets
    assert "SUMMARY" in proc.stdout


def test_strategies_benchmark_runs():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_strategies.py"), "--examples", "3", "--rounds", "1",
         "--only", "dossiers()", "--no-shrink"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "RESULT dossiers() =" in proc.stdout and "imports greentrade: False" in proc.stdout
