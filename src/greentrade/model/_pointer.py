"""JSON Pointer (RFC 6901) tokens: the one escaping used for every pointer greentrade writes."""

from __future__ import annotations

__all__ = ["escape", "join", "unescape"]


def escape(token: str | int) -> str:
    """One reference token: ``~`` becomes ``~0`` and ``/`` becomes ``~1`` (in that order)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(*path: str | int) -> str:
    """The pointer suffix for `path`: ``join("specs", 0, "a/b") == "/specs/0/a~1b"``."""
    return "".join("/" + escape(p) for p in path)
