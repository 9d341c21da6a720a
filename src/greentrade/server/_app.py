"""The ASGI application: API version 1 on Starlette, one engine per worker.

Evaluations run in a thread pool of ``max_concurrent`` threads so that the event loop keeps
answering (health checks, 503s, 408s) while a dossier is checked. A request holds one slot
from admission until its evaluation has really ended: an evaluation that overran its time
budget (408) cannot be interrupted, so it keeps its slot until it finishes and the worker
never runs more than ``max_concurrent`` evaluations.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import hashlib
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from greentrade._version import __version__
from greentrade.engine._engine import Engine
from greentrade.io._load import DossierReadError, parse_date
from greentrade.io._schemas import schema_names
from greentrade.readiness._assess import MarketError, assess
from greentrade.server._middleware import AccessLog, BearerAuth, log_json
from greentrade.server._openapi import JSONL, document, listings
from greentrade.server._problems import Problem, dumps, not_a_dossier, on_http, on_problem
from greentrade.server._schemas import bundle
from greentrade.server._settings import Settings, read_token

__all__ = ["build_engine", "create_app", "create_app_from_env"]


# -- the service -----------------------------------------------------------------------------------------
class _ClosingStream(StreamingResponse):
    """A stream whose generator is closed however the answer ends (its ``finally`` releases the
    evaluation slot): Starlette leaves it suspended when sending fails, until garbage collection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            aclose = getattr(self.body_iterator, "aclose", None)
            if aclose is not None:
                await aclose()


class _Slots:
    """A thread-safe counter of running evaluations."""

    def __init__(self, size: int) -> None:
        self.size, self.used, self._lock = size, 0, threading.Lock()

    def try_acquire(self) -> bool:
        with self._lock:
            if self.used >= self.size:
                return False
            self.used += 1
            return True

    def release(self, _future: object = None) -> None:
        with self._lock:
            self.used -= 1


class _Service:
    def __init__(self, engine: Engine, settings: Settings, authenticated: bool) -> None:
        self.engine, self.settings = engine, settings
        self.slots = _Slots(settings.max_concurrent)
        self.executor = concurrent.futures.ThreadPoolExecutor(settings.max_concurrent,
                                                              thread_name_prefix="greentrade-eval")
        # Every JSON answer ends with a newline, as the reports do.
        self.openapi = dumps(document(engine, settings, authenticated=authenticated)) + b"\n"
        self.listings = {k: dumps(v) + b"\n" for k, v in listings(engine).items()}
        self.schemas = {name: json.dumps(bundle(name), indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
                        for name in schema_names()}
        self.health = dumps({"status": "ok", "greentrade_version": __version__,
                              "plugins": [p.name for p in engine.plugins]}) + b"\n"

    # -- request handling helpers
    def _busy(self) -> Problem:
        return Problem(503, "busy", "Busy",
                       f"{self.settings.max_concurrent} evaluations are already running; retry shortly",
                       headers={"Retry-After": "1"}, limit=self.settings.max_concurrent)

    def _timeout(self, what: str) -> Problem:
        return Problem(408, "timeout", "Request timeout",
                       f"{what} within the request time budget of {self.settings.request_timeout:g} s",
                       headers={"Connection": "close"}, limit=self.settings.request_timeout)

    async def read_body(self, request: Request, deadline: float) -> bytes:
        limit = self.settings.max_body_bytes
        too_large = Problem(413, "too-large", "Body too large",
                            f"the request body is larger than the limit of {limit} bytes",
                            headers={"Connection": "close"}, limit=limit)
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout_at(deadline):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > limit:
                        raise too_large
                    chunks.append(chunk)
        except TimeoutError:
            raise self._timeout("the request body did not arrive") from None
        except ClientDisconnect:
            raise Problem(400, "disconnected", "Client disconnected",
                          "the client closed the connection before sending the whole body") from None
        body = b"".join(chunks)
        request.state.dossier_sha256 = hashlib.sha256(body).hexdigest()
        return body

    async def run(self, fn: Callable[[], bytes], deadline: float) -> bytes:
        """Run `fn` in the pool and wait for it until `deadline` (408 past it).

        The request's slot is released when `fn` has ended, even after a 408.
        """
        future = self.executor.submit(fn)
        future.add_done_callback(self.slots.release)
        try:
            async with asyncio.timeout_at(deadline):
                return await asyncio.wrap_future(future)
        except TimeoutError:
            raise self._timeout("the evaluation did not finish") from None

    def query(self, request: Request, allowed: Sequence[str], repeated: Sequence[str] = ()) -> dict[str, list[str]]:
        params = request.query_params
        out: dict[str, list[str]] = {}
        for key in params:
            if key not in allowed:
                raise Problem(400, "bad-parameter", "Bad query parameter",
                              f"unknown query parameter {key!r}; this endpoint takes: {', '.join(allowed)}",
                              parameter=key)
            values = params.getlist(key)
            if len(values) > 1 and key not in repeated:
                raise Problem(400, "bad-parameter", "Bad query parameter",
                              f"query parameter {key!r} is given {len(values)} times", parameter=key)
            out[key] = values
        return out

    @staticmethod
    def as_of(params: Mapping[str, list[str]]) -> dt.date | None:
        if "as_of" not in params:
            return None
        try:
            return parse_date(params["as_of"][0])
        except ValueError as exc:
            raise Problem(400, "bad-parameter", "Bad query parameter", f"as_of: {exc}", parameter="as_of") from None

    async def evaluate(self, request: Request, work: Callable[[bytes], bytes]) -> bytes:
        """Admission (503), body (413, 408), evaluation in the pool (408); the answer's bytes."""
        deadline = asyncio.get_running_loop().time() + self.settings.request_timeout
        if not self.slots.try_acquire():
            raise self._busy()
        handed_over = False
        try:
            body = await self.read_body(request, deadline)
            handed_over = True
            return await self.run(lambda: work(body), deadline)
        finally:
            if not handed_over:
                self.slots.release()

    # -- endpoints
    async def validate(self, request: Request) -> Response:
        as_of = self.as_of(self.query(request, ["as_of"]))

        def work(body: bytes) -> bytes:
            try:
                report = self.engine.validate(body, as_of=as_of)
            except DossierReadError as exc:
                raise not_a_dossier(exc) from None
            return report.to_json(indent=2).encode("utf-8")

        return Response(await self.evaluate(request, work), media_type="application/json")

    async def assess(self, request: Request) -> Response:
        params = self.query(request, ["as_of", "market"], repeated=["market"])
        as_of = self.as_of(params)
        markets = params.get("market")

        def work(body: bytes) -> bytes:
            try:
                return assess(self.engine, body, markets=markets, as_of=as_of).to_json().encode("utf-8")
            except DossierReadError as exc:
                raise not_a_dossier(exc) from None
            except MarketError as exc:
                raise Problem(400, "bad-parameter", "Bad query parameter", str(exc), parameter="market") from None

        return Response(await self.evaluate(request, work), media_type="application/json")

    async def validate_batch(self, request: Request) -> Response:
        as_of = self.as_of(self.query(request, ["as_of"]))
        loop = asyncio.get_running_loop()
        if not self.slots.try_acquire():
            raise self._busy()
        try:
            body = await self.read_body(request, loop.time() + self.settings.request_timeout)
        except BaseException:
            self.slots.release()
            raise
        lines = [(n, line) for n, line in enumerate(body.split(b"\n"), 1) if line.strip()]
        request.state.lines = len(lines)
        return _ClosingStream(self._batch(lines, as_of), media_type=JSONL)

    async def _batch(self, lines: list[tuple[int, bytes]], as_of: dt.date | None) -> AsyncIterator[bytes]:
        """One answer line per input line, in order, each sent when ready.

        The answers come from the synchronous iterator `batch_answers`, advanced one answer at a
        time in the pool, each within its own time budget. The slot is held until the last
        evaluation has really ended.
        """
        loop = asyncio.get_running_loop()
        answers = batch_answers(self.engine, lines, as_of)
        pending: concurrent.futures.Future[bytes | None] | None = None
        try:
            for number, _text in lines:
                pending = self.executor.submit(next, answers, None)
                try:
                    async with asyncio.timeout_at(loop.time() + self.settings.request_timeout):
                        answer = await asyncio.wrap_future(pending)
                except TimeoutError:
                    problem = self._timeout(f"line {number} was not evaluated")
                    problem.extra["line"] = number
                    yield dumps(problem.body()) + b"\n"
                    return  # the remaining lines are not evaluated; the stream ends here
                pending = None
                if answer is None:  # pragma: no cover - batch_answers gives one answer per line
                    return
                yield answer
        finally:
            if pending is not None:
                pending.add_done_callback(self.slots.release)
            else:
                self.slots.release()

    async def rules(self, _request: Request) -> Response:
        return Response(self.listings["rules"], media_type="application/json")

    async def plugins(self, _request: Request) -> Response:
        return Response(self.listings["plugins"], media_type="application/json")

    async def categories(self, _request: Request) -> Response:
        return Response(self.listings["categories"], media_type="application/json")

    async def standards(self, _request: Request) -> Response:
        return Response(self.listings["standards"], media_type="application/json")

    async def schema(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.schemas:
            raise Problem(404, "not-found", "Not found",
                          f"no schema named {name!r}; known: {', '.join(self.schemas)}")
        return Response(self.schemas[name], media_type="application/schema+json")

    async def healthz(self, _request: Request) -> Response:
        return Response(self.health, media_type="application/json")

    async def openapi_json(self, _request: Request) -> Response:
        return Response(self.openapi, media_type="application/json")


def batch_answers(engine: Engine, lines: Sequence[tuple[int, bytes]], as_of: dt.date | None) -> Iterator[bytes]:
    """One answer per (line number, text), in order: the compact report, or a problem document
    naming the line for text that is not a dossier.

    The one place where a batch is evaluated; lines are validated one after another with
    `Engine.validate`. When the engine gets a batch API (``Engine.validate_many``), it replaces
    this loop and the service streams its results unchanged.
    """
    for number, text in lines:
        try:
            yield engine.validate(text, as_of=as_of).to_json().encode("utf-8")
        except DossierReadError as exc:
            problem = not_a_dossier(exc)
            problem.extra["line"] = number
            yield dumps(problem.body()) + b"\n"


def create_app(engine: Engine, settings: Settings, *, token: str | None = None,
               access_log: Callable[[dict[str, Any]], None] = log_json) -> Starlette:
    """The application for an engine whose plugins are loaded. `token` enables bearer authentication."""
    service = _Service(engine, settings, authenticated=token is not None)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        service.executor.shutdown(wait=False, cancel_futures=True)

    routes = [
        Route("/v1/validate", service.validate, methods=["POST"]),
        Route("/v1/assess", service.assess, methods=["POST"]),
        Route("/v1/validate-batch", service.validate_batch, methods=["POST"]),
        Route("/v1/rules", service.rules, methods=["GET"]),
        Route("/v1/plugins", service.plugins, methods=["GET"]),
        Route("/v1/categories", service.categories, methods=["GET"]),
        Route("/v1/standards", service.standards, methods=["GET"]),
        Route("/v1/schemas/{name}", service.schema, methods=["GET"]),
        Route("/healthz", service.healthz, methods=["GET"]),
        Route("/openapi.json", service.openapi_json, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={Problem: on_problem, HTTPException: on_http},
        lifespan=lifespan,
    )
    if token is not None:
        app.add_middleware(BearerAuth, token=token)
    app.add_middleware(AccessLog, log=access_log, send_timeout=settings.request_timeout)
    app.state.service = service
    return app


def build_engine(settings: Settings) -> Engine:
    """The worker's engine with its plugins, every contribution computed now (not at the first request).

    Raises `ConfigError` or `PluginError` for a configuration the engine refuses.
    """
    engine = Engine(config=settings.config)
    engine.load_entry_points()
    engine.rules  # noqa: B018 - builds and checks the contributions (plugin settings, profiles)
    return engine


def create_app_from_env() -> Starlette:
    """uvicorn's app factory in each worker process: settings from the environment."""
    import os

    from greentrade.server._settings import ENV_VAR

    settings = Settings.from_env(os.environ[ENV_VAR])
    token = read_token(settings.token_file) if settings.token_file else None
    return create_app(build_engine(settings), settings, token=token)
