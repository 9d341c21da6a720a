"""docs/server.md: every console example is answered exactly as shown, by a real server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "server.md"
DOC_URL = "http://127.0.0.1:8000"


def examples() -> list[tuple[str, str]]:
    """(command, expected output) of each ``$ `` line of the doc's console blocks."""
    out = []
    for block in re.findall(r"^```console\n(.*?)^```", DOC.read_text("utf-8"), flags=re.M | re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, expected = chunk.partition("\n")
            out.append((command, expected))
    return out


EXAMPLES = examples()


def test_the_doc_has_curl_examples_of_every_kind() -> None:
    commands = " ".join(c for c, _ in EXAMPLES)
    for path in ("/healthz", "/v1/plugins", "/v1/validate", "/v1/assess", "/v1/validate-batch"):
        assert f"{DOC_URL}{path}" in commands, path
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_console_example(server: Any, command: str, expected: str) -> None:
    if command.startswith("greentrade "):
        proc = subprocess.run([sys.executable, "-m", "greentrade.cli", *command.split()[1:]], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert proc.stdout + proc.stderr == expected
        return
    assert shutil.which("curl"), "the documented examples use curl"
    assert DOC_URL in command
    proc = subprocess.run(["bash", "-c", command.replace(DOC_URL, server.url)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected


def test_the_figures_are_recorded() -> None:
    text = DOC.read_text("utf-8")
    assert "FIGURES" not in text
    for clients in (1, 4, 16):  # bench_server.py's levels
        assert re.search(rf"^\| 1 \| {clients} \|", text, flags=re.M), clients


def test_the_embedding_example_builds_an_app() -> None:
    blocks = [b for b in re.findall(r"^```python\n(.*?)^```", DOC.read_text("utf-8"), flags=re.M | re.S)
              if "create_app" in b]
    assert len(blocks) == 1
    namespace: dict[str, Any] = {}
    exec(blocks[0].replace('"greentrade.toml"', repr(str(ROOT / "examples" / "greentrade.toml"))), namespace)
    from starlette.applications import Starlette

    assert isinstance(namespace["app"], Starlette)
    assert namespace["app"].state.service.settings.max_concurrent == 8
