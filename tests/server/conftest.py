"""Fixtures for the service's tests: real ``greentrade serve`` processes on free loopback ports."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "examples" / "greentrade.toml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A ``greentrade serve`` process; its standard error goes to a file (``.log()``)."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._err = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "greentrade.cli", *args, "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=self._err, cwd=ROOT, env={**os.environ, **(env or {})},
        )

    def wait_ready(self, timeout: float = 60.0) -> Server:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited with {self.proc.returncode}:\n{self.log()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            time.sleep(0.1)
        raise AssertionError(f"the server did not answer within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        self._err.seek(0)
        return self._err.read().decode("utf-8", "replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:  # pragma: no cover
                self.proc.kill()
                self.proc.wait()
        self._err.close()


@pytest.fixture
def launch() -> Iterator[Any]:
    """``launch(*args, env=None)`` starts a server (stopped after the test); not yet waited for."""
    started: list[Server] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Server:
        server = Server(list(args), env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One server for the session, with the examples' host configuration and every plugin."""
    s = Server(["--config", str(CONFIG), "serve"])
    try:
        yield s.wait_ready()
    finally:
        s.stop()
