"""The service's middleware, outermost first: the access log (request ids, one JSON line per
request, metrics, a 500 problem document for an unexpected error, slow readers given up), the
Host allow-list, CORS (when configured), the capacity share, bearer authentication and gzip."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from greentrade.server._ops import Metrics, now
from greentrade.server._problems import ClientGone, Problem, problem_response

__all__ = ["ACCESS_LOGGER", "OPEN_PATHS", "AccessLog", "BearerAuth", "Capacity", "Gzip", "HostCheck", "log_json",
           "route_of"]

ACCESS_LOGGER = "greentrade.server.access"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
#: Paths that never need the token: liveness and readiness probes.
OPEN_PATHS = frozenset({"/healthz", "/readyz"})
#: Paths of the health class: they are cheap and always get a share of the capacity.
HEALTH_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
_ROUTES = frozenset({"/v1/validate", "/v1/assess", "/v1/validate-batch", "/v1/rules", "/v1/plugins",
                     "/v1/categories", "/v1/standards", "/healthz", "/readyz", "/metrics", "/openapi.json"})


def route_of(path: str) -> str:
    """The route a path belongs to, for metrics labels (bounded: unknown paths are "other")."""
    if path in _ROUTES:
        return path
    return "/v1/schemas/{name}" if path.startswith("/v1/schemas/") and path.count("/") == 3 else "other"


def new_request_id(headers: list[tuple[bytes, bytes]]) -> str:
    given = dict(headers).get(b"x-request-id", b"").decode("latin-1")
    return given if _REQUEST_ID.match(given) else str(uuid.uuid4())


class AccessLog:
    """Outermost: gives each request an id, times it, counts it, answers an unexpected error with
    a 500 problem document, and writes one JSON log line.

    The line has the request id, method, path, status, duration and the sha256 of the body of
    an evaluation request; never the body itself.

    Each part of an answer must be taken by the client within `send_timeout` seconds: a client
    that stops reading (a streamed batch) is given up, so that it cannot hold a slot forever.
    """

    def __init__(self, app: ASGIApp, log: Callable[[dict[str, Any]], None], send_timeout: float,
                 metrics: Metrics, max_header_bytes: int) -> None:
        self.app, self.log, self.send_timeout, self.metrics = app, log, send_timeout, metrics
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id(scope["headers"])
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status = [0]
        aborted: list[str] = []

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            try:
                async with asyncio.timeout(self.send_timeout):
                    await send(message)
            except TimeoutError:
                raise _ClientTooSlow from None

        try:
            size = head_size(scope)
            if size > self.max_header_bytes:
                problem = Problem(431, "headers-too-large", "Request head too large",
                                  f"the request head is larger than the limit of {self.max_header_bytes} bytes",
                                  headers={"Connection": "close"}, limit=self.max_header_bytes)
                await problem_response(Request(scope, receive), problem)(scope, receive, send_wrapper)
            else:
                await self.app(scope, receive, send_wrapper)
        except _ClientTooSlow:
            # The server closes the connection (the answer is incomplete); the work is stopped.
            aborted.append(f"the client did not take the answer within {self.send_timeout:g} s")
        except ClientGone as exc:
            aborted.append(str(exc))
        except Exception as exc:
            logging.getLogger("greentrade.server").error("internal error in request %s", request_id, exc_info=exc)
            if status[0]:
                raise  # the answer has begun (a stream): the connection is closed
            problem = Problem(500, "internal-error", "Internal error",
                              "the service failed to answer this request; its log has the details")
            await problem_response(Request(scope, receive), problem)(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            code = status[0] or 499
            route = route_of(scope["path"])
            self.metrics.requests.labels(scope["method"], route, str(code)).inc()
            self.metrics.latency.labels(route).observe(elapsed)
            entry: dict[str, Any] = {
                "time": now(), "request_id": request_id, "method": scope["method"], "path": scope["path"],
                "status": code, "duration_ms": round(elapsed * 1000, 2),
            }
            if "dossier_sha256" in state:
                entry["dossier_sha256"] = state["dossier_sha256"]
            elif "body" in state:
                entry["dossier_sha256"] = hashlib.sha256(state["body"]).hexdigest()
            if "lines" in state:
                entry["lines"] = state["lines"]
            if aborted:
                entry["aborted"] = aborted[0]
            self.log(entry)


def head_size(scope: Scope) -> int:
    """The size of the request head as sent: request line and header lines."""
    line = len(scope["method"]) + len(scope.get("raw_path") or b"") + len(scope["query_string"]) + 12
    return line + sum(len(k) + len(v) + 4 for k, v in scope["headers"]) + 2


class _ClientTooSlow(Exception):
    """The client did not take part of the answer in time."""


def _host(headers: list[tuple[bytes, bytes]]) -> str:
    raw = dict(headers).get(b"host", b"").decode("latin-1").strip().lower()
    if raw.startswith("["):
        return raw[1:].partition("]")[0]
    return raw.rpartition(":")[0] if raw.count(":") == 1 else raw


class HostCheck:
    """400 for a Host header not in the allow-list (a DNS-rebinding page gets its own name)."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "*" in self.hosts or _host(scope["headers"]) in self.hosts:
            await self.app(scope, receive, send)
            return
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        problem = Problem(400, "bad-host", "Host not allowed",
                          f"this service does not answer to the host {host[:100]!r} (see --allowed-host)")
        await problem_response(Request(scope, receive), problem)(scope, receive, send)


class Capacity:
    """Requests in progress, with a share kept for health checks and authenticated clients.

    Health requests (/healthz, /readyz, /metrics) always pass. Other requests may fill
    `limit`; those not authenticated by a token (every request, when the service has none)
    only three quarters of it, so that unauthenticated or hostile traffic cannot take it all.
    """

    def __init__(self, app: ASGIApp, limit: int, token: bytes | None) -> None:
        self.app, self.limit, self.token = app, limit, token
        self.open_limit = max(1, limit * 3 // 4)
        self.in_progress = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in HEALTH_PATHS:
            await self.app(scope, receive, send)
            return
        limit = self.limit if self.token is not None and _authorized(scope, self.token) else self.open_limit
        if self.in_progress >= limit:
            problem = Problem(503, "busy", "Busy", f"{self.in_progress} requests are in progress; retry shortly",
                              headers={"Retry-After": "1", "Connection": "close"}, limit=limit)
            await problem_response(Request(scope, receive), problem)(scope, receive, send)
            return
        self.in_progress += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_progress -= 1


def _authorized(scope: Scope, token: bytes) -> bool:
    header = dict(scope["headers"]).get(b"authorization", b"")
    scheme, _, given = header.partition(b" ")
    return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), token)


class BearerAuth:
    """Every path but /healthz and /readyz needs ``Authorization: Bearer TOKEN`` (compared in
    constant time). CORS preflights are answered outside (the CORS middleware)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.token = app, token.encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS or _authorized(scope, self.token):
            await self.app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"authorization", b"")
        problem = Problem(401, "unauthorized", "Unauthorized",
                          "this service needs an Authorization: Bearer token" if not header
                          else "the bearer token is wrong",
                          headers={"WWW-Authenticate": 'Bearer realm="greentrade"'})
        await problem_response(Request(scope, receive), problem)(scope, receive, send)


class Gzip(GZipMiddleware):
    """Starlette's gzip for clients that accept it (answers of at least `minimum_size` bytes);
    the answers of other clients pass untouched, without a wrapper around their sending."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"accept-encoding" and b"gzip" in value:
                    await super().__call__(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def log_json(entry: dict[str, Any]) -> None:
    """Write an access-log entry as one JSON line to the ``greentrade.server.access`` logger."""
    logging.getLogger(ACCESS_LOGGER).info(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
