"""uvicorn's HTTP/1.1 protocols with the service's connection-level rules; every refusal at this
layer is a problem document (RFC 9457) with a request id, and is logged.

Two parsers carry the same rules: httptools (llhttp, in C: the default when it is installed,
``--http httptools``) and h11 (pure Python, ``--http h11``).

- **Request heads have a deadline**: a connection whose request head has not arrived
  ``header_timeout`` seconds after it opened (or after the previous answer) is closed; when part
  of a head had arrived, with a 408 problem document.
- **Heads are bounded**: a head that grows past ``max_header_bytes`` before it is complete is
  answered 431 (the application checks complete heads against the same limit).
- **Malformed HTTP** is answered 400 with a problem document, not uvicorn's plain text.
- **Connections are bounded** (``max_connections`` per worker): when a new connection would
  pass the limit, the connection that has waited longest for its request head (a slow or
  idle client) is closed to make room; when every connection is busy with a request, the new
  one is answered 503 with ``Retry-After``. Partial heads therefore cannot starve health
  checks or real requests.

An answer given at this layer is followed by a lingering close (the write side is shut, what
the client still sends is read and dropped for a moment), so that the client reads it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
import uuid
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from greentrade.server._openapi import PROBLEM, PROBLEM_BASE
from greentrade.server._ops import REFUSALS, now
from greentrade.server._settings import DEFAULTS, ENV_VAR, Settings

__all__ = ["ConnectionRules", "GreentradeH11Protocol", "protocol_class", "raw_problem"]

ACCESS_LOGGER = "greentrade.server.access"
_LINGER = 2.0


def raw_problem(status: int, reason: str, slug: str, title: str, detail: str, request_id: str,
                headers: dict[str, str] | None = None, **extra: Any) -> bytes:
    """A whole HTTP/1.1 answer carrying a problem document, written outside h11's state."""
    body = json.dumps({"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail,
                       **extra, "request_id": request_id}, separators=(",", ":")).encode() + b"\n"
    head = [f"HTTP/1.1 {status} {reason}", f"content-type: {PROBLEM}", f"content-length: {len(body)}",
            "connection: close", f"x-request-id: {request_id}"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def _settings() -> Settings:
    """The service's settings, from the environment `greentrade serve` sets (read once per worker)."""
    global _SETTINGS
    raw = os.environ.get(ENV_VAR)
    if _SETTINGS is None or _SETTINGS[0] != raw:
        _SETTINGS = (raw, Settings.from_env(raw) if raw else DEFAULTS)
    return _SETTINGS[1]


_SETTINGS: tuple[str | None, Settings] | None = None


def protocol_class(http: str) -> str:
    """uvicorn's ``http`` argument for ``--http`` (auto: httptools when it is installed, else h11)."""
    if http == "auto":
        try:
            import httptools  # noqa: F401
        except ImportError:  # pragma: no cover - httptools is in the server extra
            http = "h11"
        else:
            http = "httptools"
    if http == "httptools":
        return "greentrade.server._protocol_httptools:GreentradeHttpToolsProtocol"
    return "greentrade.server._protocol:GreentradeH11Protocol"


class ConnectionRules:
    """The connection-level rules, shared by both parsers' protocols: the head deadline, the head
    size while it arrives, the connection limit, and answers given outside the application.

    A subclass says when the connection waits for a request head (`_waiting_for_head`).
    """

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    connections: set[Any]
    client: tuple[str, int] | None

    def _init_rules(self) -> None:
        settings = _settings()
        self._header_timeout = settings.header_timeout
        self._max_header_bytes = settings.max_header_bytes
        self._max_connections = settings.max_connections
        self._head_timer: asyncio.TimerHandle | None = None
        self._waiting_since = time.monotonic()
        self._head_bytes = 0
        self._refused = False

    def _waiting_for_head(self) -> bool:
        raise NotImplementedError

    # the protocol's own methods run after these (the mixin comes first in the class bases)
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._opened()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def _opened(self) -> None:
        """The connection is made: the head deadline starts; past the connection limit, room is
        made (the connection waiting longest for its head is closed) or this one is refused."""
        self._waiting_since = time.monotonic()
        self._arm()
        if len(self.connections) > self._max_connections and not self._make_room():
            self._refuse(503, "Service Unavailable", "busy", "Busy",
                         f"this worker has {self._max_connections} connections open, each busy with a request; "
                         "retry shortly", "connection-limit", {"Retry-After": "1"}, limit=self._max_connections)

    def _answered(self) -> None:
        self._waiting_since = time.monotonic()
        self._head_bytes = 0

    def _malformed(self) -> None:
        self._refuse(400, "Bad Request", "bad-request", "Bad request",
                     "the request is not well-formed HTTP/1.1", "malformed")

    def _too_large(self) -> None:
        self._refuse(431, "Request Header Fields Too Large", "headers-too-large", "Request head too large",
                     f"the request head is larger than the limit of {self._max_header_bytes} bytes",
                     "headers-too-large", limit=self._max_header_bytes)

    # -- the head deadline and the connection limit
    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self._header_timeout, self._expired)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _expired(self) -> None:
        self._head_timer = None
        if self._waiting_for_head() and not self.transport.is_closing():
            self._give_up(f"the request head did not arrive within {self._header_timeout:g} s", "head-timeout")

    def _give_up(self, detail: str, reason: str) -> None:
        """Close a connection waiting for a head: 408 when part of one had arrived, else quietly."""
        if self._head_bytes:
            self._refuse(408, "Request Timeout", "timeout", "Request timeout", detail, reason)
        else:
            self._disarm()
            self.transport.close()

    def _make_room(self) -> bool:
        """Close the connection that has waited longest for a request head; False if none does."""
        waiting = [c for c in self.connections if isinstance(c, ConnectionRules) and c is not self
                   and not c._refused and c._waiting_for_head() and not c.transport.is_closing()]
        if not waiting:
            return False
        oldest = min(waiting, key=lambda c: c._waiting_since)
        oldest._give_up(f"the connection limit of {self._max_connections} was reached and this connection "
                        "had not sent a complete request head", "evicted")
        return True

    def _refuse(self, status: int, phrase: str, slug: str, title: str, detail: str, reason: str,
                headers: dict[str, str] | None = None, **extra: Any) -> None:
        self._disarm()
        self._refused = True
        request_id = str(uuid.uuid4())
        REFUSALS[reason] += 1
        logging.getLogger(ACCESS_LOGGER).info(json.dumps({
            "time": now(), "request_id": request_id, "method": None, "path": None, "status": status,
            "refused": reason, "client": self.client[0] if self.client else None,
        }, separators=(",", ":")))
        transport = self.transport
        if transport.is_closing():
            return
        transport.write(raw_problem(status, phrase, slug, title, detail, request_id, headers, **extra))
        if transport.can_write_eof():
            transport.write_eof()
            self.loop.call_later(_LINGER, transport.close)
        else:  # pragma: no cover - TLS transports
            transport.close()


class GreentradeH11Protocol(ConnectionRules, H11Protocol):
    """h11 (pure Python) with the connection rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_rules()

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # read and dropped until the lingering close ends
        if self._waiting_for_head():
            self._head_bytes += len(data)
        super().data_received(data)

    def handle_events(self) -> None:
        super().handle_events()
        if self._refused or self.transport.is_closing():
            self._disarm()
        elif self._waiting_for_head():
            self._arm()  # waiting for (the rest of) a request head
        else:
            self._disarm()
            self._head_bytes = 0

    def on_response_complete(self) -> None:
        self._answered()
        super().on_response_complete()

    def send_400_response(self, msg: str) -> None:
        """h11 refused the request: a head over the limit (431) or malformed HTTP (400)."""
        if len(self.conn.trailing_data[0]) > self._max_header_bytes:
            self._too_large()
        else:
            self._malformed()

    def _unsupported_upgrade_warning(self) -> None:
        """An Upgrade request is an ordinary request here (uvicorn would log that it cannot upgrade)."""

    def _waiting_for_head(self) -> bool:
        return self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete)
