"""Packaging that installs (#21 item 7): the source distribution, a wheel built from it (the path
``python -m build`` takes by default), installed into a fresh virtual environment, runs.

The old top-level ``schemas`` symlink made the sdist store the schemas outside the package, and
every command of such an install died with ``FileNotFoundError: .../greentrade/schemas``.

Marked ``packaging``; it runs with the rest of the suite in CI (``python3 tasks.py test``). It
works offline: the fresh environment gets greentrade from the wheel, its dependencies from the
test environment's site-packages (appended to its path, after its own).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "src" / "greentrade" / "schemas"

pytestmark = pytest.mark.packaging


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def test_sdist_then_wheel_then_a_fresh_venv_runs_greentrade(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    dist = tmp_path / "dist"
    _run(sys.executable, "-c", f"from hatchling.build import build_sdist; print(build_sdist({str(dist)!r}))",
         cwd=ROOT)
    (sdist,) = dist.glob("greentrade-*.tar.gz")
    with tarfile.open(sdist) as tar:
        members = tar.getmembers()
        assert not [m.name for m in members if m.issym() or m.islnk()], "no links in the sdist"
        names = {m.name.split("/", 1)[1] for m in members if "/" in m.name}
        assert {f"src/greentrade/schemas/{p.name}" for p in SCHEMAS.iterdir()} <= names
        tar.extractall(tmp_path / "unpacked", filter="data")
    (source,) = (tmp_path / "unpacked").iterdir()
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", dist, source)
    (wheel,) = dist.glob("greentrade-*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    assert {f"greentrade/schemas/{p.name}" for p in SCHEMAS.iterdir()} <= inside

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    with zipfile.ZipFile(wheel) as z:  # a wheel is installed by unpacking it (pip is not in the fresh venv)
        z.extractall(site)
    # The dependencies, offline: the test environment's site-packages, after the venv's own entries.
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONNOUSERSITE": "1"}
    where = _run(python, "-c", "import greentrade; print(greentrade.__file__)", env=env, cwd=tmp_path)
    assert where.startswith(str(site)), where
    config = tmp_path / "core-only.toml"  # the first-party plugins are not installed in the fresh venv
    config.write_text("[greentrade]\nplugins = []\n")
    example = ROOT / "examples" / "zhejiang-solar-portfolio.json"
    out = _run(python, "-m", "greentrade", "--config", config, "validate", example, "--format", "json",
               env=env, cwd=tmp_path)
    assert '"evaluated":true' in out.replace(" ", "")
    schema = _run(python, "-m", "greentrade", "schema", "dossier", env=env, cwd=tmp_path)
    assert "greentrade.dossier" in schema
