"""The service's settings and their defaults (docs/server.md, "Limits and defaults")."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import attrs

from greentrade.errors import SettingsError

__all__ = ["DEFAULTS", "ENV_VAR", "Settings", "SettingsError", "is_loopback", "read_token"]

#: The serve command hands its settings to uvicorn's worker processes in this variable
#: (settings only: the token itself stays in its file, which each worker reads).
ENV_VAR = "GREENTRADE_SERVE_SETTINGS"


@attrs.frozen
class Settings:
    """What one worker needs to build its engine and enforce the limits."""

    #: Host configuration (TOML) for the engine, as for ``greentrade --config``.
    config: str | None = None
    #: File holding the bearer token; None serves without authentication.
    token_file: str | None = None
    #: Largest request body accepted (413 above it).
    max_body_bytes: int = 16 * 1024 * 1024
    #: Time budget of a request, from its headers to its answer: body read and evaluation
    #: (408 past it). For validate-batch it applies to the body and to each line.
    request_timeout: float = 30.0
    #: Evaluations running at once in one worker (503 above it).
    max_concurrent: int = 4
    #: Time a client may take to send a request's headers before the connection is closed.
    header_timeout: float = 10.0
    #: Idle keep-alive connections are closed after this many seconds.
    keep_alive: int = 5

    def check(self) -> None:
        if self.max_body_bytes < 1:
            raise SettingsError(f"--max-body-bytes must be at least 1, not {self.max_body_bytes}")
        if self.max_concurrent < 1:
            raise SettingsError(f"--max-concurrent must be at least 1, not {self.max_concurrent}")
        for name, value in (("--request-timeout", self.request_timeout), ("--header-timeout", self.header_timeout)):
            if not value > 0:
                raise SettingsError(f"{name} must be a positive number of seconds, not {value}")

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
