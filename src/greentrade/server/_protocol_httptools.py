"""uvicorn's httptools protocol (llhttp, in C) with the service's connection rules
(`greentrade.server._protocol`); imported by uvicorn only when httptools is used."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from greentrade.server._protocol import ConnectionRules

__all__ = ["GreentradeHttpToolsProtocol"]


class GreentradeHttpToolsProtocol(ConnectionRules, HttpToolsProtocol):
    """httptools (llhttp, in C) with the connection rules. llhttp has no limit of its own on the
    size of a head: the bytes of a head still incomplete are counted here (431 past the limit);
    a complete head is checked by the application."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_rules()
        self._heads = 0  # complete request heads on this connection
        self._done = 0  # answers completed
        self._in_head = False  # a request head has begun and is not complete

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._opened()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # read and dropped until the lingering close ends
        super().data_received(data)
        if self._refused or self.transport.is_closing():
            self._disarm()
        elif self._in_head:  # a head is arriving: every byte of this read up to now is part of it
            self._head_bytes += len(data)
            if self._head_bytes > self._max_header_bytes:
                self._too_large()
            else:
                self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._heads += 1
        self._disarm()
        super().on_headers_complete()
        if self.parser.should_upgrade() and self.cycle is not None:
            # The service speaks no other protocol: the request is answered as HTTP, and the answer
            # closes the connection (llhttp reads nothing more on a connection after an upgrade).
            self.cycle.keep_alive = False

    def _unsupported_upgrade_warning(self) -> None:
        """An Upgrade request is an ordinary request here (uvicorn would log that it cannot upgrade)."""

    def on_response_complete(self) -> None:
        self._done += 1
        self._answered()
        super().on_response_complete()
        if not self.transport.is_closing() and self._waiting_for_head():
            self._arm()

    def send_400_response(self, msg: str) -> None:
        """llhttp refused the request: malformed HTTP (400)."""
        self._malformed()

    def _waiting_for_head(self) -> bool:
        return self._in_head or self._heads == self._done
