"""Compatibility in CI (issue #24 item 9): a third-party-style plugin and a downstream-style
suite written against greentrade 0.2.0 (tests/compat/), installed from wheels, keep passing.

The wheels of greentrade and of the plugin are built without build isolation and installed,
without dependencies, into a private folder put first on PYTHONPATH (the dependencies come
from this environment), so the suite runs against the built wheel, not the source tree. A
change that breaks the suite needs a deprecation path or a major release (docs/compatibility.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPAT = ROOT / "tests" / "compat"


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args, "--quiet", "--disable-pip-version-check"],
                   check=True, capture_output=True, text=True, timeout=600)


def test_the_0_2_plugin_and_suite_pass_against_the_wheels(tmp_path: Path) -> None:
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "compat"
    shutil.copytree(COMPAT / "plugin", work / "plugin")
    shutil.copytree(COMPAT / "downstream", work / "downstream")
    _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT), str(work / "plugin"))
    built = sorted(p.name for p in wheels.glob("*.whl"))
    assert len(built) == 2 and built[0].startswith("greentrade-") and "compat_battery" in built[1], built
    _pip("install", "--no-deps", "--target", str(site), *map(str, wheels.glob("*.whl")))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    env.pop("PYTEST_ADDOPTS", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "always::DeprecationWarning",
         "downstream", "plugin/cases"],
        cwd=work, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
    assert re.search(r"\b10 passed\b", proc.stdout), proc.stdout
    where = subprocess.run([sys.executable, "-c", "import greentrade; print(greentrade.__file__)"], cwd=work,
                           env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site)), where  # the wheel's greentrade, not the source tree
