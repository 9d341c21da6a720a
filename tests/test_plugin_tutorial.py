"""The plugin tutorial works as written: its files, copied over the folder ``greentrade new-plugin
demo-port-hours`` writes, make a plugin that builds, installs, is found by the `greentrade`
command, validates its example and passes its rule cases, end-to-end tests and outcome-builder
tests.

Every ``<!-- file: PATH -->`` block of docs/plugin-tutorial.md is written to PATH (the tutorial
gives each file that changes whole). The plugin is installed (not editable, no dependencies: greentrade comes
from this environment) into a private target folder, so nothing leaks into the test environment.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "plugin-tutorial.md"
# The marker, an optional caption line ("`path`:") and the fenced block that holds the file.
_FILE = re.compile(r"<!-- file: (?P<path>\S+) -->\n(?:[^\n]*\n)*?```[a-z]*\n(?P<body>.*?)```", re.S)


def tutorial_files() -> dict[str, str]:
    files = {m.group("path"): m.group("body") for m in _FILE.finditer(TUTORIAL.read_text("utf-8"))}
    assert len(files) == len(_FILE.findall(TUTORIAL.read_text("utf-8"))), "a file is given twice"
    return files


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("tutorial")
    folder, site = root / "demo-port-hours", root / "site"
    from greentrade.cli import main

    assert main(["new-plugin", "demo-port-hours", "--directory", str(folder)]) == 0  # Step 1
    for rel, body in tutorial_files().items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, "utf-8")
    from greentrade.testing.catalogs import compile_file

    for po in folder.rglob("*.po"):  # Step 9b
        compile_file(po)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "--target", str(site), str(folder)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    env.pop("PYTEST_ADDOPTS", None)
    return folder, env


def _run(plugin: tuple[Path, dict[str, str]], *args: str) -> subprocess.CompletedProcess[str]:
    folder, env = plugin
    return subprocess.run([sys.executable, *args], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=600)


def test_the_tutorial_gives_every_file_of_the_plugin() -> None:
    files = tutorial_files()
    assert {"src/greentrade_demo_port_hours/__init__.py",
            "src/greentrade_demo_port_hours/rules.py", "src/greentrade_demo_port_hours/data/program.json",
            "src/greentrade_demo_port_hours/data/program.schema.json",
            "src/greentrade_demo_port_hours/strategies.py"} <= set(files)
    assert sum(p.startswith("cases/") for p in files) >= 5  # and the scaffold's two


def test_the_installed_plugin_is_found_with_its_three_rules(plugin: tuple[Path, dict[str, str]]) -> None:
    listed = _run(plugin, "-m", "greentrade.cli", "plugins")
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^demo-port-hours\s+0\.1\.0\s+3 rule\(s\)", listed.stdout, re.M), listed.stdout
    folder, _env = plugin
    assert not (folder / "src" / "greentrade_demo_port_hours" / "__pycache__").exists(), \
        "the plugin ran from its source folder, not from the installed distribution"


def test_the_example_is_eligible_with_the_host_configuration(plugin: tuple[Path, dict[str, str]]) -> None:
    done = _run(plugin, "-m", "greentrade.cli", "--config", "examples/host.toml", "validate",
                "--format", "json", "examples/eligible.json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    statuses = {o["program"]: o["status"] for o in report["outcomes"]}
    assert statuses.get("demo-port-hours") == "eligible", statuses
    without = _run(plugin, "-m", "greentrade.cli", "validate", "--format", "json", "examples/eligible.json")
    statuses = {o["program"]: o["status"] for o in json.loads(without.stdout)["outcomes"]}
    assert statuses.get("demo-port-hours") == "undetermined", statuses


def test_the_cases_and_tests_pass_against_the_installed_plugin(plugin: tuple[Path, dict[str, str]]) -> None:
    cases = _run(plugin, "-m", "pytest", "cases", "-q", "-p", "no:cacheprovider", "--greentrade-coverage")
    assert cases.returncode == 0, cases.stdout + cases.stderr
    assert re.search(r"\b7 passed\b", cases.stdout), cases.stdout
    assert "demo-port-hours: 7/7 rule effects reached by a case (100.0%)" in cases.stdout, cases.stdout
    everything = _run(plugin, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert everything.returncode == 0, everything.stdout + everything.stderr
    passed = int(re.search(r"\b(\d+) passed\b", everything.stdout).group(1))  # type: ignore[union-attr]
    assert passed == 17 and " failed" not in everything.stdout and "skipped" not in everything.stdout


def test_the_plugin_speaks_chinese(plugin: tuple[Path, dict[str, str]]) -> None:
    """Step 9b: the plugin's own catalog, compiled into the installed distribution."""
    done = _run(plugin, "-m", "greentrade.cli", "validate", "--format", "json", "--lang", "zh-CN",
                "examples/eligible.json")
    report = json.loads(done.stdout)
    mine = [f for f in report["findings"] if f["rule"].startswith("DEMO-PH-")]
    assert mine and all(f["message_id"].startswith("DEMO-PH-") for f in mine)
    assert any("宿主未设置上限" in f["message"] for f in mine), mine
    folder, _env = plugin
    assert (folder / "src/greentrade_demo_port_hours/locale/zh_CN/LC_MESSAGES/greentrade_demo_port_hours.mo").exists()
