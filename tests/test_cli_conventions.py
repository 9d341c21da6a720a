"""Command-line conventions (#23), each through a real process: --version, python -m greentrade,
help on a bare call, exit 4 for usage errors, "did you mean", -o, JSON listings, completion,
the configuration found from the working directory, configuration errors with file and line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from greentrade import __version__

DATA = Path(__file__).parent / "data" / "core-dossier.json"


def gt(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("GREENTRADE_CONFIG", "NO_COLOR")}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "greentrade", *args], capture_output=True, text=True,
                          cwd=cwd, env=environ, timeout=120)


def test_version_and_python_dash_m() -> None:
    proc = gt("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"greentrade {__version__}"


def test_bare_command_prints_help_and_exit_codes() -> None:
    proc = gt()
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: greentrade") and "validate" in proc.stdout
    assert "4  usage error" in proc.stdout


@pytest.mark.parametrize("args, hint", [
    (["valdate", "x.json"], "did you mean 'validate'?"),
    (["validate", str(DATA), "--fromat", "json"], "did you mean '--format'?"),
    (["validate", str(DATA), "--format", "jsn"], "did you mean 'json'?"),
])
def test_usage_errors_exit_4_with_a_suggestion(args: list[str], hint: str) -> None:
    proc = gt(*args)
    assert proc.returncode == 4, proc.stderr
    assert hint in proc.stderr and "Traceback" not in proc.stderr


def test_a_malformed_date_is_a_usage_error() -> None:
    proc = gt("validate", str(DATA), "--as-of", "30/06/2026")
    assert proc.returncode == 4 and "expected YYYY-MM-DD" in proc.stderr


def test_short_output_option(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = gt("validate", str(DATA), "--format", "json", "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["findings"] is not None


@pytest.mark.parametrize("command", ["rules", "plugins", "categories", "standards"])
def test_listings_as_json_are_the_services(command: str, tmp_path: Path) -> None:
    from greentrade import Engine
    from greentrade.server._openapi import listings

    proc = gt(command, "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    engine = Engine()
    engine.load_entry_points()
    assert json.loads(proc.stdout) == json.loads(json.dumps(listings(engine)[command]))


def test_text_listings_are_short_lines(tmp_path: Path) -> None:
    for command in ("rules", "categories", "standards"):
        proc = gt(command, cwd=tmp_path)
        assert proc.returncode == 0
        assert max(map(len, proc.stdout.splitlines())) <= 120, command


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    proc = gt("completion", shell)
    assert proc.returncode == 0 and "validate" in proc.stdout and "--format" in proc.stdout


def test_bash_completion_script_is_valid_bash() -> None:
    script = gt("completion", "bash").stdout
    check = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True)
    assert check.returncode == 0, check.stderr


# -- configuration -------------------------------------------------------------------------------
def test_config_found_in_a_parent_directory(tmp_path: Path) -> None:
    (tmp_path / "greentrade.toml").write_text('[greentrade]\nas_of = 2026-07-01\n')
    below = tmp_path / "a" / "b"
    below.mkdir(parents=True)
    proc = gt("config", "--format", "json", cwd=below)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["source"] == {"path": str(tmp_path / "greentrade.toml"), "found_by": "greentrade.toml"}
    assert data["configuration"]["greentrade"]["as_of"] == "2026-07-01"
    report = gt("validate", str(DATA), "--format", "json", cwd=below)
    assert json.loads(report.stdout)["as_of"] == "2026-07-01"


def test_pyproject_tool_table_then_environment(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.greentrade.greentrade]\nstrict = true\n')
    proc = gt("config", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "pyproject.toml" in proc.stdout.splitlines()[0] and "strict = true" in proc.stdout
    other = tmp_path / "elsewhere"
    other.mkdir()
    named = tmp_path / "named.toml"
    named.write_text('[greentrade]\nunknown_keys = "warn"\n')
    (tmp_path / "pyproject.toml").unlink()
    proc = gt("config", "--format", "json", cwd=other, env={"GREENTRADE_CONFIG": str(named)})
    data = json.loads(proc.stdout)
    assert data["source"]["found_by"] == "GREENTRADE_CONFIG"
    assert data["configuration"]["greentrade"]["unknown_keys"] == "warn"


def test_explicit_config_wins(tmp_path: Path) -> None:
    (tmp_path / "greentrade.toml").write_text('[greentrade]\nstrict = true\n')
    named = tmp_path / "other.toml"
    named.write_text("")
    data = json.loads(gt("config", "--format", "json", "--config", str(named), cwd=tmp_path).stdout)
    assert data["source"]["found_by"] == "--config" and data["configuration"]["greentrade"]["strict"] is False


def test_config_errors_give_file_line_and_suggestion(tmp_path: Path) -> None:
    (tmp_path / "greentrade.toml").write_text('# host\n[greentrade]\nstrikt = true\n')
    proc = gt("validate", str(DATA), cwd=tmp_path)
    assert proc.returncode == 2
    assert "greentrade.toml, line 3" in proc.stderr and "did you mean 'strict'?" in proc.stderr
    (tmp_path / "greentrade.toml").write_text('[greentrade]\nas_of = "30/06/2026"\n')
    proc = gt("config", cwd=tmp_path)
    assert proc.returncode == 2 and "line 2" in proc.stderr
    assert "a date written YYYY-MM-DD" in proc.stderr and "[0-9]" not in proc.stderr


def test_unknown_plugin_section_suggests_the_plugin(tmp_path: Path) -> None:
    (tmp_path / "greentrade.toml").write_text('[plugins.cn-green-chanel]\npilot_ports = ["CNNGB"]\n')
    proc = gt("validate", str(DATA), cwd=tmp_path)
    assert proc.returncode == 2
    assert "did you mean 'cn-green-channel'?" in proc.stderr and "line 1" in proc.stderr
