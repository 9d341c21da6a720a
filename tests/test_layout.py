"""The core's shape (docs/architecture.md): small modules in packages that show the layers."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "greentrade"
MAX_LINES = 400


def test_no_module_of_the_core_is_over_400_lines() -> None:
    sizes = {p.relative_to(SRC).as_posix(): len(p.read_text("utf-8").splitlines()) for p in SRC.rglob("*.py")}
    assert len(sizes) > 50, "the scan found the modules"
    over = {name: n for name, n in sorted(sizes.items()) if n > MAX_LINES}
    assert not over, f"modules over {MAX_LINES} lines (split them along a real seam): {over}"


def test_the_top_level_holds_only_the_public_face_and_the_hosts() -> None:
    flat = sorted(p.name for p in SRC.glob("*.py"))
    packages = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").is_file())
    assert {"model", "rules", "io", "plugin", "engine", "readiness", "testing"} <= set(packages)
    assert set(flat) <= {"__init__.py", "__main__.py", "errors.py", "cli.py", "_cli_batch.py", "_cli_listing.py",
                         "_cli_parse.py", "_cli_progress.py", "_cli_scaffold.py", "_cli_render.py", "_importcli.py",
                         "codes.py", "dask.py", "_files.py",
                         "_version.py",
                         "hookspec.py"}  # hookspec.py: deprecated alias of greentrade.plugin.hookspec (0.3 only), flat
