"""The rule-case runner and its pytest plugin, as plugin authors use them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from greentrade.testing import CaseError, load_case, run_case

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zhejiang-solar-portfolio.json"


def write_case(tmp_path: Path, expect: dict, name: str = "demo.case.json") -> Path:
    case = {
        "case": "a solar shipment without its declarations is not eligible",
        "rules": ["CN-GC-004"],
        "plugins": ["cn-green-channel"],
        "config": {"plugins": {"cn-green-channel": {"pilot_ports": ["CNNGB", "CNSHA"]}}},
        "base": str(EXAMPLE),
        "patch": [{"op": "replace", "path": "/shipments/0/documents", "value": []}],
        "expect": expect,
    }
    path = tmp_path / name
    path.write_text(json.dumps(case))
    return path


GOOD = {
    "findings": [
        {"rule": "CN-GC-004", "severity": "error", "pointer": f"/shipments/0/lines/{i}/product",
         "shipment": "HG-2606-NGB-AE"}
        for i in range(4)
    ],
    "outcomes": [{"program": "cn-green-channel", "subject": "HG-2606-NGB-AE", "status": "not_eligible"}],
}


def test_a_passing_case(tmp_path):
    result = run_case(write_case(tmp_path, GOOD))
    assert result.passed, result.explain()


def test_a_failing_case_explains_itself(tmp_path):
    wrong = {
        "findings": [{"rule": "CN-GC-004", "pointer": "/shipments/0/lines/9"}],
        "outcomes": [{"program": "cn-green-channel", "subject": "HG-2606-NGB-AE", "status": "eligible"}],
    }
    result = run_case(write_case(tmp_path, wrong))
    assert not result.passed
    text = result.explain()
    assert "- expected, not found: rule=CN-GC-004 pointer=/shipments/0/lines/9" in text
    assert text.count("+ found, not expected: rule=CN-GC-004") == 4
    assert "! outcome cn-green-channel for HG-2606-NGB-AE: expected eligible, got not_eligible" in text


def test_the_base_file_is_not_changed_by_the_patch(tmp_path):
    before = EXAMPLE.read_bytes()
    run_case(write_case(tmp_path, GOOD))
    assert EXAMPLE.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "cannot read the case"),
        ('{"case": "x", "rules": [], "expect": {}, "dossier": {}}', "/rules"),
        ('{"case": "x", "rules": ["A-1"], "expect": {}}', "is not valid under any of the given schemas"),
    ],
)
def test_malformed_cases_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.case.json"
    path.write_text(content)
    with pytest.raises(CaseError, match=message):
        load_case(path)


def test_a_patch_that_does_not_apply(tmp_path):
    path = write_case(tmp_path, GOOD)
    case = json.loads(path.read_text())
    case["patch"] = [{"op": "remove", "path": "/shipments/99"}]
    path.write_text(json.dumps(case))
    with pytest.raises(CaseError, match="the patch does not apply"):
        load_case(path)


def test_the_pytest_plugin_collects_cases_and_shows_the_diff(tmp_path):
    write_case(tmp_path, GOOD, "good.case.json")
    write_case(tmp_path, {"findings": [], "outcomes": []}, "bad.case.json")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 failed, 1 passed" in proc.stdout
    assert "+ found, not expected: rule=CN-GC-004" in proc.stdout
    assert "Traceback" not in proc.stdout
