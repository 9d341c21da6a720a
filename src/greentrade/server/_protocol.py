"""uvicorn's HTTP/1.1 protocol with a deadline for the request headers.

uvicorn closes idle keep-alive connections, but a client that opens a connection and sends
its headers slowly (or not at all) would hold it forever. This protocol closes a connection
whose request head has not arrived ``header_timeout`` seconds after the connection opened
or the previous response ended. (Bodies have the request time budget of the application.)
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from greentrade.server._settings import DEFAULTS, ENV_VAR, Settings

__all__ = ["HeaderTimeoutH11Protocol"]


class HeaderTimeoutH11Protocol(H11Protocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        raw = os.environ.get(ENV_VAR)
        self._header_timeout = (Settings.from_env(raw) if raw else DEFAULTS).header_timeout
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self._arm()  # waiting for (the rest of) a request head
        else:
            self._disarm()

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self._header_timeout, self._expired)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _expired(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()
