"""The service's settings and their defaults (docs/server.md, "Limits and defaults")."""

from __future__ import annotations

import ipaddress
import json
import math
import os
from pathlib import Path
from typing import Any

import attrs

from greentrade.errors import SettingsError

__all__ = ["DEFAULTS", "ENV_VAR", "HTTP_PARSERS", "LOOPBACK_NAMES", "Settings", "SettingsError", "default_concurrency",
           "is_loopback", "read_token"]

#: The serve command hands its settings to uvicorn's worker processes in this variable
#: (settings only: the token itself stays in its file, which each worker reads).
ENV_VAR = "GREENTRADE_SERVE_SETTINGS"

#: Host names a service on loopback answers to by default (DNS rebinding gets another name).
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")

#: HTTP/1.1 parsers: httptools (llhttp, in C) when installed, else h11 (pure Python).
HTTP_PARSERS = ("auto", "httptools", "h11")


def default_concurrency(workers: int = 1, cores: int | None = None) -> int:
    """Evaluations at once per worker: the cores shared out among the workers, at least 2 (one
    evaluation runs Python while the other's answer is sent)."""
    cores = cores or os.cpu_count() or 1
    return max(2, math.ceil(cores / max(1, workers)))


def _optional_tuple(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


@attrs.frozen
class Settings:
    """What one worker needs to build its engine and enforce the limits."""

    #: Host configuration (TOML) for the engine, as for ``greentrade --config``.
    config: str | None = None
    #: File holding the bearer token; None serves without authentication.
    token_file: str | None = None
    #: Largest request body accepted (413 above it).
    max_body_bytes: int = 16 * 1024 * 1024
    #: Time budget of a request, from its headers to its answer: body read, queue and evaluation
    #: (408 past it). For validate-batch it applies to the body and to each line.
    request_timeout: float = 30.0
    #: Evaluations running at once in one worker; None: `default_concurrency` for one worker.
    max_concurrent: int | None = None
    #: Requests that may wait for an evaluation slot (503 beyond).
    max_queue: int = 64
    #: Longest wait in the queue (503 past it).
    queue_timeout: float = 10.0
    #: Time a client may take to send a request's headers before the connection is closed.
    header_timeout: float = 10.0
    #: Largest request head (request line and headers), in bytes (431 above).
    max_header_bytes: int = 64 * 1024
    #: Idle keep-alive connections are closed after this many seconds.
    keep_alive: int = 5
    #: Open connections per worker (503 problem documents above; a quarter of them is kept
    #: for health checks and authenticated requests).
    max_connections: int = 128
    #: validate-batch: most lines, total time and total answer size of one batch.
    max_batch_lines: int = 10_000
    batch_timeout: float = 300.0
    max_batch_output_bytes: int = 256 * 1024 * 1024
    #: Answers at least this large are gzip-compressed for clients that accept it.
    gzip_min_bytes: int = 1400
    #: Origins allowed to call the service from a browser (CORS); empty: CORS off.
    cors_origins: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    #: Host header values answered (without port); "*" answers any. None: the loopback names.
    allowed_hosts: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_tuple)
    #: Decision log: None (off), "-" (standard error) or a file path (appended to).
    decision_log: str | None = None
    #: Level of the service's and uvicorn's log lines.
    log_level: str = "info"
    #: HTTP/1.1 parser (`HTTP_PARSERS`); the connection rules are the same with each.
    http: str = "auto"

    @property
    def concurrency(self) -> int:
        return self.max_concurrent if self.max_concurrent is not None else default_concurrency()

    @property
    def hosts(self) -> frozenset[str]:
        """The Host names answered (lower case); contains "*" when any is."""
        names = LOOPBACK_NAMES if self.allowed_hosts is None else self.allowed_hosts
        return frozenset(n.lower().strip("[]") for n in names)

    def check(self) -> None:
        ints = (("--max-body-bytes", self.max_body_bytes, 1), ("--max-queue", self.max_queue, 0),
                ("--max-header-bytes", self.max_header_bytes, 1024), ("--max-connections", self.max_connections, 4),
                ("--max-batch-lines", self.max_batch_lines, 1),
                ("--max-batch-output-bytes", self.max_batch_output_bytes, 1),
                ("--gzip-min-bytes", self.gzip_min_bytes, 0))
        for name, value, least in ints:
            if value < least:
                raise SettingsError(f"{name} must be at least {least}, not {value}")
        if self.max_concurrent is not None and self.max_concurrent < 1:
            raise SettingsError(f"--max-concurrent must be at least 1, not {self.max_concurrent}")
        for name, seconds in (("--request-timeout", self.request_timeout), ("--header-timeout", self.header_timeout),
                              ("--queue-timeout", self.queue_timeout), ("--batch-timeout", self.batch_timeout)):
            if not (isinstance(seconds, int | float) and 0 < seconds <= 86_400):
                raise SettingsError(f"{name} must be a positive number of seconds up to 86400, not {seconds}")
        if self.http not in HTTP_PARSERS:
            raise SettingsError(f"--http must be one of {', '.join(HTTP_PARSERS)}, not {self.http!r}")
        if self.log_level not in LOG_LEVELS:
            raise SettingsError(f"--log-level must be one of {', '.join(LOG_LEVELS)}, not {self.log_level!r}")
        for origin in self.cors_origins:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise SettingsError(f"--cors-origin must be '*' or an origin such as https://erp.example, "
                                    f"not {origin!r}")

    def to_env(self) -> str:
        return json.dumps(attrs.asdict(self), sort_keys=True)

    @classmethod
    def from_env(cls, text: str) -> Settings:
        data: dict[str, Any] = json.loads(text)
        return cls(**data)


DEFAULTS = Settings()


def read_token(path: str) -> str:
    """The bearer token in `path` (surrounding whitespace removed); it must not be empty."""
    try:
        token = Path(path).read_text("utf-8").strip()
    except OSError as exc:
        raise SettingsError(f"cannot read the token file {path!r}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SettingsError(f"the token file {path!r} is not UTF-8 text") from None
    if not token:
        raise SettingsError(f"the token file {path!r} is empty")
    if any(c.isspace() or not c.isprintable() for c in token):
        raise SettingsError(f"the token in {path!r} must be one line of visible characters")
    return token


def is_loopback(host: str) -> bool:
    """True for localhost and addresses of the loopback range (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
