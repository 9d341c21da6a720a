"""uvicorn's httptools protocol (llhttp, in C) with the service's connection rules
(`greentrade.server._protocol`); imported by uvicorn only when httptools is used."""

from __future__ import annotations

from typing import Any

import httptools
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
        #: Bytes of an Upgrade request's body still to read by hand (None: not in one; -1: done).
        self._upgrade_left: int | None = None

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # read and dropped until the lingering close ends
        if self._upgrade_left is not None:  # the body of an Upgrade request, read by hand
            self._upgrade_body(data)
            return
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.send_400_response("Invalid HTTP request received.")
        except httptools.HttpParserUpgrade as exc:
            # llhttp stops right after the head of a request that asks for an upgrade (Java's
            # HttpClient asks for h2c on every plain-HTTP request, its body included); the service
            # speaks no other protocol, so the request is read and answered as HTTP/1.1: its body
            # (Content-Length bytes) is read here, and the answer closes the connection.
            # (llhttp has already called the request complete, without its body: it is not yet)
            self._upgrade_left = self._content_length()
            if self._upgrade_left and self.cycle is not None:
                self.cycle.more_body = True
            self._upgrade_body(data[exc.args[0]:])
        if self._refused or self.transport.is_closing():
            self._disarm()
        elif self._in_head:  # a head is arriving: every byte of this read up to now is part of it
            self._head_bytes += len(data)
            if self._head_bytes > self._max_header_bytes:
                self._too_large()
            else:
                self._arm()

    def _content_length(self) -> int:
        for name, value in self.headers or ():
            if name == b"content-length" and value.strip().isdigit():
                return int(value)
        return 0  # no body (a chunked body with an Upgrade is not read: the answer closes the connection)

    def _upgrade_body(self, data: bytes) -> None:
        left = self._upgrade_left
        if left is None or left < 0 or self.cycle is None:
            return
        if data and left:
            part = data[:left]
            self._upgrade_left = left = left - len(part)
            self.on_body(part)
        if not left:
            self._upgrade_left = -1  # done: anything after it is dropped (the connection closes)
            self.on_message_complete()

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
