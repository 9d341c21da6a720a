"""``greentrade new-plugin NAME`` writes a plugin that installs and passes its tests as written
(issue #24 item 7); the tutorial starts from it (tests/test_plugin_tutorial.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib

import pytest

from greentrade import __version__
from greentrade._cli_scaffold import core_range, render, rule_prefix
from greentrade.cli import main
from greentrade.plugin import HOOK_API_VERSION


def test_names_prefixes_and_the_core_range():
    assert rule_prefix("demo-port-hours") == "DEMO-PH" and rule_prefix("acme") == "ACME"
    assert core_range("0.2.0") == "greentrade>=0.2,<0.4" and core_range("1.4.2") == "greentrade>=1.4,<2"
    assert core_range() == core_range(__version__)
    for bad in ("Demo", "demo_port", "-demo", "demo--x", ""):
        with pytest.raises(ValueError, match="lower-case words"):
            render(bad)
    with pytest.raises(ValueError, match="upper-case words"):
        render("demo", prefix="demo")


def test_the_files_name_the_plugin_its_core_range_and_hook_api():
    files = render("acme-lane")
    project = tomllib.loads(files["pyproject.toml"])["project"]
    assert project["name"] == "greentrade-acme-lane" and project["dependencies"] == [core_range()]
    assert project["entry-points"]["greentrade"] == {"acme-lane": "greentrade_acme_lane"}
    init = files["src/greentrade_acme_lane/__init__.py"]
    assert f'GREENTRADE_HOOK_API = ">={HOOK_API_VERSION},<' in init
    assert json.loads(files["src/greentrade_acme_lane/data/program.json"])["rules"][0]["id"] == "ACME-L-001"
    cases = [p for p in files if p.startswith("cases/")]
    assert len(cases) == 2 and {"pass", "fail"} == {re.search(r"(pass|fail)", c).group(1) for c in cases}
    assert "greentrade.testing" in files["tests/test_acme_lane.py"]
    assert "src/greentrade_acme_lane/py.typed" in files


def test_an_existing_folder_with_files_is_refused(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("x")
    assert main(["new-plugin", "demo-x", "--directory", str(tmp_path)]) == 4
    assert "not an empty folder" in capsys.readouterr().err and not (tmp_path / "pyproject.toml").exists()
    assert main(["new-plugin", "Demo"]) == 4


def test_the_plugin_installs_and_passes_its_tests_as_written(tmp_path, capsys):
    folder, site = tmp_path / "demo-port-hours", tmp_path / "site"
    assert main(["new-plugin", "demo-port-hours", "--directory", str(folder)]) == 0
    assert "wrote plugin demo-port-hours" in capsys.readouterr().out
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "--target", str(site), str(folder)],
                   check=True, capture_output=True, text=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    env.pop("PYTEST_ADDOPTS", None)
    listed = subprocess.run([sys.executable, "-m", "greentrade.cli", "plugins"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=300)
    assert re.search(r"^demo-port-hours\s+0\.1\.0\s+1 rule\(s\)", listed.stdout, re.M), listed.stdout + listed.stderr
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=folder, env=env,
                           capture_output=True, text=True, timeout=600)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert re.search(r"\b7 passed\b", tests.stdout) and "warning" not in tests.stdout.lower(), tests.stdout
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--select", "E,F,W,I,UP",
                           "--line-length", "120", "."], cwd=folder, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
