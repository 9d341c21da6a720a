"""Helpers of the service's in-process tests (tests/server): an httpx client over ASGI, a slow
plugin, the problem-document check."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from greentrade import Citation, Engine, Hit, Program, Rule, RuleContext, Severity, hookimpl
from greentrade.server import Settings, create_app

PROBLEM = "application/problem+json"
MINIMAL = b'{"format": "greentrade.dossier/1"}'


class SlowPlugin:
    """A made-up program whose only rule waits until the test releases it."""

    __version__ = "0"

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def _wait(self, _ctx: RuleContext) -> Iterator[Hit]:
        self.entered.set()
        self.release.wait(30)
        return iter(())

    @hookimpl
    def greentrade_programs(self) -> list[Program]:
        c = Citation(authority="greentrade test suite", title="slow program (test fixture)", reference="tests")
        return [Program(id="slow", title="slow", authority="test", effective=__import__("greentrade").Period(),
                        citation=c)]

    @hookimpl
    def greentrade_rules(self) -> list[Rule]:
        c = Citation(authority="greentrade test suite", title="slow rule (test fixture)", reference="tests")
        return [Rule(id="SLOW-001", title="waits", severity=Severity.ERROR, check=self._wait, citation=c,
                     program="slow", scope="dossier", basis="stated")]


def core_engine(config: Path | None = None) -> Engine:
    engine = Engine(config=config)
    engine.load_entry_points()
    return engine


async def _media(request: httpx.Request) -> None:
    """The Content-Type a client of the API sends, unless the test gives one."""
    if request.method == "POST" and "content-type" not in request.headers:
        batch = request.url.path.endswith("-batch")
        request.headers["Content-Type"] = "application/x-ndjson" if batch else "application/json"


class Api:
    """An httpx client for an app; `log` collects the access log entries."""

    def __init__(self, engine: Engine, settings: Settings | None = None, token: str | None = None) -> None:
        self.log: list[dict[str, Any]] = []
        self.app = create_app(engine, settings or Settings(), token=token, access_log=self.log.append)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://127.0.0.1",
                                 event_hooks={"request": [_media]})

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            async with self.client() as c:
                return await c.request(method, path, **kw)

        return asyncio.run(go())


def problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"https://greentrade.dev/problems/{slug}"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body
