#!/usr/bin/env python3
"""Set up a virtual environment and run the project's jobs; needs only python3 (3.11+).

    python3 tasks.py demo    # set up, then validate the bundled example dossier
    python3 tasks.py test    # set up, then run every test (core and plugins)
    python3 tasks.py lint    # set up, then ruff, mypy (strict on core and plugins), lint-imports
    python3 tasks.py bench   # set up, then run the benchmarks (every performance target)
    python3 tasks.py catalogs  # extract the messages, update the .po files, compile the .mo files

The environment lives in .venv (override with GREENTRADE_VENV) and holds the core and every
plugin under plugins/, installed in editable mode.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("GREENTRADE_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
EXAMPLE = ROOT / "examples" / "zhejiang-solar-portfolio.json"


def run(*cmd: str | Path) -> int:
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT)


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py may be started by an older python3
        sys.exit(f"greentrade needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print(f"+ creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    plugins = sorted(p for p in (ROOT / "plugins").iterdir() if (p / "pyproject.toml").exists())
    args: list[str | Path] = [BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "-e", f"{ROOT}[dev]"]
    for p in plugins:
        args += ["-e", p]
    if run(*args) != 0:
        sys.exit("installation failed")


def main(argv: list[str]) -> int:
    job = argv[0] if argv else "help"
    if job not in {"demo", "test", "lint", "bench", "catalogs"}:
        print(__doc__)
        return 2
    setup()
    if job == "demo":
        # Exit status 0: no error findings; the report shows each shipment's outcome.
        return run(BIN / "greentrade", "--config", ROOT / "examples" / "greentrade.toml",
                   "validate", EXAMPLE, *argv[1:])
    if job == "test":
        return run(BIN / "python", "-m", "pytest", "-q", *argv[1:])
    if job == "catalogs":  # every domain: the core's and each first-party plugin's (docs/languages.md)
        return run(BIN / "python", "-c", "from greentrade.testing.catalogs import main; main()", *argv[1:])
    if job == "lint":
        return run(BIN / "ruff", "check", ".") or run(BIN / "mypy") or run(BIN / "lint-imports")
    return (run(BIN / "python", ROOT / "bench" / "bench_validate.py", *argv[1:])
            or run(BIN / "python", ROOT / "bench" / "bench_targets.py"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
