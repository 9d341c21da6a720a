#!/usr/bin/env python3
"""Set up a virtual environment and run the project's jobs; needs only python3 (3.11+).

    python3 tasks.py demo    # set up the runtime and plugins, then validate the bundled example dossier
    python3 tasks.py test    # set up with the dev tools, then run every test (core and plugins)
    python3 tasks.py lint    # set up with the dev tools, then ruff, mypy (strict on core and plugins), lint-imports
    python3 tasks.py bench   # set up with the dev tools, then run the benchmarks (every performance target)
    python3 tasks.py catalogs  # extract the messages, update the .po files, compile the .mo files

The environment lives in .venv (override with GREENTRADE_VENV) and holds the core and every
plugin under plugins/, installed in editable mode. `demo` installs only what the command line
needs (the runtime and the plugins); the other jobs add the `dev` extra (test, lint and
benchmark tools). pip runs only when a pyproject.toml changed since the last installation, or
when a job needs more than is installed: a stamp in the environment records a hash of every
pyproject.toml and the extras installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("GREENTRADE_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / "greentrade-install.json"
EXAMPLE = ROOT / "examples" / "zhejiang-solar-portfolio.json"
JOBS = {"demo": (), "test": ("dev",), "lint": ("dev",), "bench": ("dev",), "catalogs": ("dev",)}


def run(*cmd: str | Path) -> int:
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT)


def _plugins() -> list[Path]:
    return sorted(p for p in (ROOT / "plugins").iterdir() if (p / "pyproject.toml").exists())


def _fingerprint() -> str:
    """A hash of what decides the installation: every pyproject.toml, the Python version and the venv."""
    h = hashlib.sha256(f"{sys.version_info[:2]} {VENV}".encode())
    for project in [ROOT, *_plugins()]:
        h.update(str(project.relative_to(ROOT)).encode() + b"\0" + (project / "pyproject.toml").read_bytes())
    return h.hexdigest()


def _installed() -> tuple[str, set[str]]:
    try:
        stamp = json.loads(STAMP.read_text("utf-8"))
        return str(stamp["fingerprint"]), set(stamp["extras"])
    except (OSError, ValueError, KeyError, TypeError):
        return "", set()


def setup(extras: tuple[str, ...]) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py may be started by an older python3
        sys.exit(f"greentrade needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print(f"+ creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
        STAMP.unlink(missing_ok=True)
    fingerprint = _fingerprint()
    done, have = _installed()
    if done == fingerprint and set(extras) <= have:
        return  # nothing changed since the last installation
    wanted = sorted(set(extras) | have)  # what is installed stays up to date too
    core = f"{ROOT}[{','.join(wanted)}]" if wanted else str(ROOT)
    args: list[str | Path] = [BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "-e", core]
    for p in _plugins():
        args += ["-e", p]
    STAMP.unlink(missing_ok=True)  # an interrupted installation leaves no stamp
    if run(*args) != 0:
        sys.exit("installation failed")
    STAMP.write_text(json.dumps({"fingerprint": fingerprint, "extras": wanted}) + "\n", "utf-8")


def _workers(args: list[str]) -> list[str]:
    """pytest-xdist's options for the test job: one worker per usable core (tests are handed out
    one by one, a free worker takes over the queue of a busy one), unless the arguments choose
    (``-n``, ``-p no:xdist``) or there is one core. Every test still runs (docs/testing.md)."""
    chosen = any(a in ("-n", "--numprocesses", "no:xdist") or a.startswith(("-n", "--numprocesses=", "--dist"))
                 for a in args)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return [] if chosen or cores < 2 else ["-n", str(cores), "--dist", "worksteal"]


def main(argv: list[str]) -> int:
    job = argv[0] if argv else "help"
    if job not in JOBS:
        print(__doc__)
        return 2
    setup(JOBS[job])
    if job == "demo":
        # Exit status 0: no error findings; the report shows each shipment's outcome.
        return run(BIN / "greentrade", "--config", ROOT / "examples" / "greentrade.toml",
                   "validate", EXAMPLE, *argv[1:])
    if job == "test":
        return run(BIN / "python", "-m", "pytest", "-q", *_workers(argv[1:]), *argv[1:])
    if job == "catalogs":  # every domain: the core's and each first-party plugin's (docs/languages.md)
        return run(BIN / "python", "-c", "from greentrade.testing.catalogs import main; main()", *argv[1:])
    if job == "lint":
        return run(BIN / "ruff", "check", ".") or run(BIN / "mypy") or run(BIN / "lint-imports")
    return (run(BIN / "python", ROOT / "bench" / "bench_validate.py", *argv[1:])
            or run(BIN / "python", ROOT / "bench" / "bench_targets.py"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
