"""tasks.py installs only when a pyproject.toml changed or a job needs more extras (#23)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tasks(venv: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("GREENTRADE_VENV", str(venv))
    spec = importlib.util.spec_from_file_location("tasks_under_test", ROOT / "tasks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pip_runs_only_when_needed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")  # an existing environment (never run here)
    tasks = _tasks(venv, monkeypatch)
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(tasks, "run", lambda *cmd: calls.append(tuple(map(str, cmd))) or 0)
    tasks.setup(())                      # no stamp: demo installs the runtime and the plugins
    assert len(calls) == 1 and f"{ROOT}" in calls[0] and not any("[dev]" in c for c in calls[0])
    tasks.setup(())                      # nothing changed: no pip
    assert len(calls) == 1
    tasks.setup(("dev",))                # the test job needs more: pip with the dev extra
    assert len(calls) == 2 and f"{ROOT}[dev]" in calls[1]
    tasks.setup(())                      # dev includes what demo needs
    assert len(calls) == 2
    stamp = json.loads((venv / "greentrade-install.json").read_text())
    stamp["fingerprint"] = "a pyproject.toml changed"
    (venv / "greentrade-install.json").write_text(json.dumps(stamp))
    tasks.setup(())                      # keeps the extras it had
    assert len(calls) == 3 and f"{ROOT}[dev]" in calls[2]


def test_every_job_is_listed() -> None:
    text = (ROOT / "tasks.py").read_text("utf-8")
    for job in ("demo", "test", "lint", "bench", "catalogs"):
        assert f"python3 tasks.py {job}" in text
    assert sys.version_info >= (3, 11)
