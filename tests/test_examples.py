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
