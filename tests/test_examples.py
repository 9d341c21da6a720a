"""The bundled examples give the outcomes written beside them (examples/*.expected.json)."""

import json
from pathlib import Path

import pytest

from greentrade import Engine

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPECTED = sorted(EXAMPLES.glob("*.expected.json"))


@pytest.mark.parametrize("expected_file", EXPECTED, ids=[p.name for p in EXPECTED])
def test_example_outcomes(expected_file):
    expected = json.loads(expected_file.read_text())
    engine = Engine(config=EXAMPLES / expected["config"] if expected.get("config") else None)
    engine.load_entry_points()
    report = engine.validate((EXAMPLES / expected["dossier"]).read_bytes())
    got = [{"program": o.program, "subject": o.subject, "status": str(o.status)} for o in report.outcomes]
    assert got == expected["outcomes"]
    assert report.counts == expected["counts"]
    assert report.ok and report.evaluated  # the README's demo command exits 0


def test_there_is_a_main_example():
    assert (EXAMPLES / "zhejiang-solar-portfolio.expected.json") in EXPECTED
    data = json.loads((EXAMPLES / "zhejiang-solar-portfolio.json").read_text())
    assert sum(len(s["lines"]) for s in data["shipments"]) >= 20


def test_report_bytes_do_not_depend_on_the_hash_seed():
    import subprocess
    import sys

    outputs = set()
    for seed in ("1", "2", "12345"):
        proc = subprocess.run(
            [sys.executable, "-m", "greentrade.cli", "--config", str(EXAMPLES / "greentrade.toml"), "validate",
             str(EXAMPLES / "zhejiang-solar-portfolio.json"), "--format", "json"],
            capture_output=True, text=True, env={"PYTHONHASHSEED": seed, "PATH": ""},
        )
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1
