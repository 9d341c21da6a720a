"""The service's middleware: the access log (request ids, one JSON line per request, a 500
problem document for an unexpected error, slow clients given up) and bearer authentication."""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from greentrade.server._problems import Problem, problem_response

__all__ = ["ACCESS_LOGGER", "AccessLog", "BearerAuth", "log_json"]

ACCESS_LOGGER = "greentrade.server.access"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class AccessLog:
    """Outermost: gives each request an id, times it, answers an unexpected error with a 500
    problem document, and writes one JSON log line.

    The line has the request id, method, path, status, duration and the sha256 of the body of
    an evaluation request; never the body itself.

    Each part of an answer must be taken by the client within `send_timeout` seconds: a client
    that stops reading (a streamed batch) is given up, so that it cannot hold an evaluation
    slot forever.
    """

    def __init__(self, app: ASGIApp, log: Callable[[dict[str, Any]], None], send_timeout: float) -> None:
        self.app, self.log, self.send_timeout = app, log, send_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else str(uuid.uuid4())
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
            await self.app(scope, receive, send_wrapper)
        except _ClientTooSlow:
            # The server closes the connection (the answer is incomplete); the work is stopped.
            aborted.append(f"the client did not take the answer within {self.send_timeout:g} s")
        except Exception as exc:
            logging.getLogger("greentrade.server").error("internal error in request %s", request_id, exc_info=exc)
            if status[0]:
                raise  # the answer has begun (a stream): the connection is closed
            problem = Problem(500, "internal-error", "Internal error",
                              "the service failed to answer this request; its log has the details")
            await problem_response(Request(scope, receive), problem)(scope, receive, send_wrapper)
        finally:
            entry: dict[str, Any] = {
                "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "request_id": request_id, "method": scope["method"], "path": scope["path"],
                "status": status[0] or 499, "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            }
            if "dossier_sha256" in state:
                entry["dossier_sha256"] = state["dossier_sha256"]
            if "lines" in state:
                entry["lines"] = state["lines"]
            if aborted:
                entry["aborted"] = aborted[0]
            self.log(entry)


class _ClientTooSlow(Exception):
    """The client did not take part of the answer in time."""


class BearerAuth:
    """Every path but /healthz needs ``Authorization: Bearer TOKEN`` (compared in constant time)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.token = app, token.encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/healthz":
            await self.app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"authorization", b"")
        scheme, _, given = header.partition(b" ")
        if scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        problem = Problem(401, "unauthorized", "Unauthorized",
                          "this service needs an Authorization: Bearer token" if not header
                          else "the bearer token is wrong",
                          headers={"WWW-Authenticate": 'Bearer realm="greentrade"'})
        await problem_response(request, problem)(scope, receive, send)


def log_json(entry: dict[str, Any]) -> None:
    """Write an access-log entry as one JSON line to the ``greentrade.server.access`` logger."""
    logging.getLogger(ACCESS_LOGGER).info(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
