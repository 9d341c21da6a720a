"""The endpoints of API version 1: one `Service` per application, one engine per worker.

An evaluation request goes through: its whole body read and bounded (413, 408, no slot held),
admission (a slot, or a place in the bounded queue: 503 past it), the evaluation in the thread
pool (408 past the request's time budget). Once its client has gone or its time is up, the
evaluation is cancelled: the engine stops before its next rule call (`cancel_check`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import hashlib
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from greentrade import i18n
from greentrade._version import __version__
from greentrade.engine._budget import Cancelled, cancel_check
from greentrade.engine._engine import Engine
from greentrade.io._load import DossierReadError, parse_date
from greentrade.io._schemas import schema_names
from greentrade.readiness._assess import MarketError, assess
from greentrade.render import localize_assessment
from greentrade.rules._report import Report
from greentrade.server._admission import Admission, QueueFull, QueueTimeout
from greentrade.server._openapi import JSONL, JSONL_TYPES, METRICS, document, listings
from greentrade.server._ops import DecisionLog, Metrics, decision
from greentrade.server._problems import ClientGone, Problem, dumps, not_a_dossier
from greentrade.server._schemas import bundle
from greentrade.server._settings import Settings

__all__ = ["Service"]

T = TypeVar("T")


class _ClosingStream(StreamingResponse):
    """A stream whose generator is closed however the answer ends (its ``finally`` cancels the
    evaluation): Starlette leaves it suspended when sending fails, until garbage collection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            aclose = getattr(self.body_iterator, "aclose", None)
            if aclose is not None:
                await aclose()


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


class Service:
    def __init__(self, engine: Engine, settings: Settings, authenticated: bool) -> None:
        self.engine, self.settings = engine, settings
        slots = settings.concurrency
        self.admission = Admission(slots, settings.max_queue, settings.queue_timeout)
        self.executor = concurrent.futures.ThreadPoolExecutor(slots, thread_name_prefix="greentrade-eval")
        self.metrics = Metrics()
        self.metrics.slots.set(slots)
        self.decisions = DecisionLog(settings.decision_log) if settings.decision_log else None
        self.ready = True
        # Every JSON answer ends with a newline, as the reports do.
        self.openapi = dumps(document(engine, settings, authenticated=authenticated)) + b"\n"
        self.listings = {k: dumps(v) + b"\n" for k, v in listings(engine).items()}
        self.schemas = {name: json.dumps(bundle(name), indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
                        for name in schema_names()}
        self.health = dumps({"status": "ok", "greentrade_version": __version__,
                              "plugins": [p.name for p in engine.plugins]}) + b"\n"

    def close(self) -> None:
        self.ready = False
        self.metrics.close()
        self.executor.shutdown(wait=False, cancel_futures=True)
        if self.decisions is not None:
            self.decisions.close()

    # -- problems
    def _busy(self, why: str) -> Problem:
        return Problem(503, "busy", "Busy", f"{why}; retry shortly", headers={"Retry-After": "1"},
                       limit=self.settings.concurrency)

    def _timeout(self, what: str) -> Problem:
        return Problem(408, "timeout", "Request timeout",
                       f"{what} within the request time budget of {self.settings.request_timeout:g} s",
                       headers={"Connection": "close"}, limit=self.settings.request_timeout)

    def language(self, request: Request) -> str:
        """The language of the answer's texts: the shipped one the request's Accept-Language
        prefers (greentrade.i18n.negotiate), else the engine's (``[greentrade] lang``); the
        answer says it in Content-Language."""
        return i18n.negotiate(request.headers.get("accept-language")) or self.engine.lang

    # -- the request's parts
    @staticmethod
    def require_media(request: Request, accepted: Sequence[str]) -> None:
        """415 unless the body's Content-Type is one of `accepted` (a browser's simple cross-origin
        POST, text/plain or a form, never reaches the engine)."""
        media = _media_type(request)
        ok = media in accepted or (accepted[0] == "application/json" and media.startswith("application/")
                                   and media.endswith("+json"))
        charset = request.headers.get("content-type", "").lower().partition("charset=")[2].strip(' "')
        if not ok or (charset and charset.split(";")[0] not in ("utf-8", "utf8")):
            given = request.headers.get("content-type")
            raise Problem(415, "unsupported-media-type", "Unsupported media type",
                          f"the body must be {accepted[0]} (UTF-8), not "
                          + (repr(given) if given else "without a Content-Type"),
                          headers={"Accept-Post": ", ".join(accepted)})

    async def read_body(self, request: Request, deadline: float) -> bytes:
        """The whole body, within the size limit and the time budget, before any slot is taken."""
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
            raise ClientGone("the client closed the connection before sending the whole body") from None
        body = b"".join(chunks)
        request.state.body = body  # its sha256 goes to the access log (the report's, when there is one)
        return body

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

    # -- admission and evaluation
    async def admit(self, deadline: float, *, overflow: bool = False) -> None:
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        self.metrics.queued.inc()
        try:
            await self.admission.acquire(min(self.settings.queue_timeout, deadline - loop.time()), overflow=overflow)
        except QueueFull:
            raise self._busy(f"{self.admission.size} evaluations are running and {self.settings.max_queue} "
                             "requests are waiting") from None
        except QueueTimeout:
            if loop.time() >= deadline:
                raise self._timeout("no evaluation slot came free") from None
            raise self._busy(f"no evaluation slot came free within {self.settings.queue_timeout:g} s") from None
        finally:
            self.metrics.queued.dec()
        self.metrics.queue_wait.observe(time.perf_counter() - started)

    async def run(self, fn: Callable[[], T], deadline: float, gone: asyncio.Future[Any] | None) -> T:
        """Run `fn` in the pool with a slot already taken; the slot is given back when `fn` has
        ended. Past `deadline` (408) or once the client has gone, `fn` is cancelled."""
        cancel = threading.Event()
        metrics = self.metrics

        def call() -> T | None:
            metrics.running.inc()
            try:
                with cancel_check(cancel.is_set):
                    return fn()
            except Cancelled:
                metrics.cancelled.inc()
                return None
            finally:
                metrics.running.dec()

        future = self.executor.submit(call)
        future.add_done_callback(lambda _f: self.admission.release())
        waited = asyncio.wrap_future(future)
        loop = asyncio.get_running_loop()
        try:
            done, _ = await asyncio.wait([waited, *([gone] if gone else [])], timeout=max(0.0, deadline - loop.time()),
                                         return_when=asyncio.FIRST_COMPLETED)
            if waited in done:
                result = waited.result()
                assert result is not None
                return result
            cancel.set()
            if gone is not None and gone in done:
                raise ClientGone("the client closed the connection before the answer")
            raise self._timeout("the evaluation did not finish")
        except BaseException:
            cancel.set()
            raise

    async def evaluate(self, request: Request, work: Callable[[bytes], T]) -> T:
        """Body (413, 408), admission (503), evaluation (408); what `work` returns."""
        deadline = asyncio.get_running_loop().time() + self.settings.request_timeout
        body = await self.read_body(request, deadline)
        gone = asyncio.ensure_future(_disconnected(request.receive))
        try:
            if self.admission.try_acquire():
                self.metrics.queue_wait.observe(0.0)
            else:  # every slot taken: the queue
                admitted = asyncio.ensure_future(self.admit(deadline))
                await asyncio.wait([admitted, gone], return_when=asyncio.FIRST_COMPLETED)
                if not admitted.done():
                    admitted.cancel()
                    raise ClientGone("the client closed the connection while the request waited for a slot")
                admitted.result()
            return await self.run(lambda: work(body), deadline, gone)
        finally:
            gone.cancel()

    def _validated(self, request: Request, report: Report, as_of: dt.date | None, line: int | None = None) -> None:
        self.metrics.report(report)
        if self.decisions is not None:
            self.decisions.write(decision(report, request_id=request.state.request_id, path=request.url.path,
                                          as_of=as_of, line=line))

    # -- endpoints
    async def validate(self, request: Request) -> Response:
        as_of = self.as_of(self.query(request, ["as_of"]))
        self.require_media(request, ["application/json"])

        lang = self.language(request)

        def work(body: bytes) -> bytes:
            try:
                report = self.engine.validate(body, as_of=as_of)
            except DossierReadError as exc:
                raise not_a_dossier(exc) from None
            request.state.dossier_sha256 = report.input_sha256  # the sha256 of the body, computed once
            if report.lang != lang:
                report = attrs.evolve(report, lang=lang)
            out = report.to_json(indent=2).encode("utf-8")
            self._validated(request, report, as_of)
            return out

        return Response(await self.evaluate(request, work), media_type="application/json",
                        headers={"Content-Language": lang})

    async def assess(self, request: Request) -> Response:
        params = self.query(request, ["as_of", "market"], repeated=["market"])
        as_of = self.as_of(params)
        markets = params.get("market")
        self.require_media(request, ["application/json"])

        lang = self.language(request)

        def work(body: bytes) -> bytes:
            try:
                done = assess(self.engine, body, markets=markets, as_of=as_of)
                return (json.dumps(localize_assessment(done.to_dict(), lang), indent=2, ensure_ascii=False)
                        + "\n").encode("utf-8")
            except DossierReadError as exc:
                raise not_a_dossier(exc) from None
            except MarketError as exc:
                raise Problem(400, "bad-parameter", "Bad query parameter", str(exc), parameter="market") from None

        return Response(await self.evaluate(request, work), media_type="application/json",
                        headers={"Content-Language": lang})

    async def validate_batch(self, request: Request) -> Response:
        as_of = self.as_of(self.query(request, ["as_of"]))
        self.require_media(request, JSONL_TYPES)
        loop = asyncio.get_running_loop()
        body = await self.read_body(request, loop.time() + self.settings.request_timeout)
        request.state.dossier_sha256 = hashlib.sha256(body).hexdigest()  # now: the body is not kept
        del request.state.body
        lines = [(n, line) for n, line in enumerate(body.split(b"\n"), 1) if line.strip()]
        request.state.lines = len(lines)
        limit = self.settings.max_batch_lines
        if len(lines) > limit:
            raise Problem(413, "too-many-lines", "Batch too large",
                          f"the batch has {len(lines)} dossiers, more than the limit of {limit}", limit=limit)
        return _ClosingStream(self._batch(request, lines, as_of), media_type=JSONL,
                              headers={"Content-Language": self.language(request)})

    async def _batch(self, request: Request, lines: list[tuple[int, bytes]],
                     as_of: dt.date | None) -> AsyncIterator[bytes]:
        """One answer line per input line, in order, each sent when ready; each line takes a slot
        through the queue like any request (batches do not starve single requests). A line over
        its time budget, the batch's total time or its total answer size ends the stream with a
        problem line."""
        loop = asyncio.get_running_loop()
        s = self.settings
        end = loop.time() + s.batch_timeout
        sent = 0
        for number, text in lines:
            deadline = min(loop.time() + s.request_timeout, end)
            try:
                await self.admit(deadline, overflow=True)
                answer = await self.run(functools.partial(self._line, request, number, text, as_of), deadline, None)
            except Problem as exc:
                problem = exc
                if loop.time() >= end and problem.status == 408:
                    problem = Problem(408, "timeout", "Batch timeout", f"the batch did not finish within its time "
                                      f"budget of {s.batch_timeout:g} s", limit=s.batch_timeout)
                problem.extra["line"] = number
                yield dumps(problem.body(request.state.request_id)) + b"\n"
                return  # the remaining lines are not evaluated; the stream ends here
            sent += len(answer)
            if sent > s.max_batch_output_bytes:
                problem = Problem(413, "too-large", "Answer too large", f"the batch's answer would be larger than "
                                  f"the limit of {s.max_batch_output_bytes} bytes", limit=s.max_batch_output_bytes,
                                  line=number)
                yield dumps(problem.body(request.state.request_id)) + b"\n"
                return
            yield answer

    def _line(self, request: Request, number: int, text: bytes, as_of: dt.date | None) -> bytes:
        """The compact report of one batch line, or a problem document naming the line for text
        that is not a dossier. (When the engine gets a batch API, ``Engine.validate_many``, it
        can replace this per-line call.)"""
        try:
            report = self.engine.validate(text, as_of=as_of)
        except DossierReadError as exc:
            problem = not_a_dossier(exc)
            problem.extra["line"] = number
            return dumps(problem.body()) + b"\n"
        lang = self.language(request)
        out = (report if report.lang == lang else attrs.evolve(report, lang=lang)).to_json().encode("utf-8")
        self._validated(request, report, as_of, line=number)
        return out

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

    async def readyz(self, _request: Request) -> Response:
        a = self.admission
        body = {"status": "ready" if self.ready else "not-ready", "evaluations": a.used, "queued": a.queued,
                "max_concurrent": a.size, "max_queue": a.max_queue}
        if not self.ready:
            body["reason"] = "shutting down"
            raise Problem(503, "not-ready", "Not ready", "the worker is shutting down", headers={"Retry-After": "1"})
        return Response(dumps(body) + b"\n", media_type="application/json")

    async def metrics_text(self, _request: Request) -> Response:
        return Response(self.metrics.render(), media_type=METRICS)

    async def openapi_json(self, _request: Request) -> Response:
        return Response(self.openapi, media_type="application/json")


async def _disconnected(receive: Receive) -> None:
    """Returns when the client has gone (the body has been read: the next message says so)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
