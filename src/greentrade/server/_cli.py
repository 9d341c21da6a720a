"""``greentrade serve``: arguments, checks before the start, and uvicorn.

This module imports neither Starlette nor uvicorn at import time (``greentrade.cli`` imports
it to register the command); `serve` imports them.
"""

from __future__ import annotations

import argparse
import copy
import errno
import os
import socket
import sys
from typing import Any

from greentrade.server._settings import DEFAULTS, ENV_VAR, Settings, SettingsError, is_loopback, read_token

__all__ = ["add_parser", "serve"]

EXIT_CONFIG = 2


def add_parser(sub: Any) -> None:
    """Register ``serve`` on the subparsers of ``greentrade``."""
    d = DEFAULTS
    s = sub.add_parser(
        "serve", help="run the HTTP JSON service (needs the server extra; see docs/server.md)",
        description="Serve API v1 over HTTP: POST /v1/validate, /v1/assess, /v1/validate-batch; "
        "GET /v1/rules, /v1/plugins, /v1/categories, /v1/standards, /v1/schemas/NAME, /healthz, "
        "/openapi.json. Exit 2 if the configuration is unusable.",
    )
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    s.add_argument("--workers", type=int, default=1, help="worker processes, each with its own engine (default: 1)")
    s.add_argument("--config", metavar="FILE", dest="sub_config", help="host configuration (TOML)")
    s.add_argument("--token-file", metavar="FILE",
                   help="require 'Authorization: Bearer TOKEN' with the token in FILE (all paths but /healthz)")
    s.add_argument("--insecure-public", action="store_true",
                   help="allow a non-loopback --host without --token-file (warns on every start)")
    s.add_argument("--max-body-bytes", type=int, default=d.max_body_bytes, metavar="N",
                   help=f"largest request body; 413 above (default: {d.max_body_bytes})")
    s.add_argument("--request-timeout", type=float, default=d.request_timeout, metavar="SECONDS",
                   help=f"time budget of a request, body and evaluation; 408 past it (default: {d.request_timeout:g})")
    s.add_argument("--max-concurrent", type=int, default=d.max_concurrent, metavar="N",
                   help=f"evaluations at once per worker; 503 above (default: {d.max_concurrent})")
    s.add_argument("--header-timeout", type=float, default=d.header_timeout, metavar="SECONDS",
                   help=f"close a connection whose request headers take longer (default: {d.header_timeout:g})")


def _fail(message: str) -> int:
    print(f"greentrade serve: {message}", file=sys.stderr)
    return EXIT_CONFIG


def _check_port(host: str, port: int) -> str | None:
    """Why `host`:`port` cannot be listened on, or None."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"cannot resolve --host {host!r}: {exc.strerror}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            why = "the address is already in use" if exc.errno == errno.EADDRINUSE else exc.strerror
            return f"cannot listen on {host}:{port}: {why}"
    return None


def _log_config(uvicorn_config: dict[str, Any]) -> dict[str, Any]:
    """uvicorn's logging plus the access log: one JSON object per line on standard error."""
    config = copy.deepcopy(uvicorn_config)
    config["formatters"]["greentrade_json"] = {"format": "%(message)s"}
    config["handlers"]["greentrade_access"] = {
        "class": "logging.StreamHandler", "formatter": "greentrade_json", "stream": "ext://sys.stderr",
    }
    config["loggers"]["greentrade.server.access"] = {
        "handlers": ["greentrade_access"], "level": "INFO", "propagate": False,
    }
    config["loggers"]["greentrade.server"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def serve(args: argparse.Namespace, config: str | None) -> int:
    """Check everything that can be checked, build the engine, then run uvicorn until stopped."""
    settings = Settings(
        config=config, token_file=args.token_file, max_body_bytes=args.max_body_bytes,
        request_timeout=args.request_timeout, max_concurrent=args.max_concurrent,
        header_timeout=args.header_timeout,
    )
    try:
        settings.check()
        token = read_token(settings.token_file) if settings.token_file else None
    except SettingsError as exc:
        return _fail(str(exc))
    if args.workers < 1:
        return _fail(f"--workers must be at least 1, not {args.workers}")
    if not 0 <= args.port <= 65535:
        return _fail(f"--port must be 0 to 65535, not {args.port}")
    public = not is_loopback(args.host)
    if public and token is None and not args.insecure_public:
        return _fail(f"refusing to serve on {args.host!r} without authentication: give --token-file, "
                     "or --insecure-public to serve without it (then put the service behind a proxy "
                     "that authenticates)")
    try:
        import uvicorn
        from uvicorn.config import LOGGING_CONFIG

        from greentrade.server._app import build_engine, create_app
        from greentrade.server._protocol import HeaderTimeoutH11Protocol
    except ImportError as exc:
        return _fail(f"the server extra is not installed ({exc.name} is missing): "
                     "pip install 'greentrade[server]'")
    from greentrade.engine._engine import PluginError
    from greentrade.io._config import ConfigError

    try:
        engine = build_engine(settings)  # checks the configuration; the worker of --workers 1 uses it
    except (ConfigError, PluginError) as exc:
        return _fail(str(exc))
    problem = _check_port(args.host, args.port)
    if problem:
        return _fail(problem)
    if token is not None and settings.token_file and os.stat(settings.token_file).st_mode & 0o077:
        print(f"greentrade serve: WARNING: the token file {settings.token_file!r} can be read by other "
              "users; make it readable by the service's user only (chmod 600)", file=sys.stderr, flush=True)
    if public and args.insecure_public:
        how = "with bearer tokens in clear text" if token else "WITHOUT authentication"
        print(f"greentrade serve: WARNING: serving on {args.host}:{args.port}, which is not a loopback "
              f"address, {how} (--insecure-public); anyone who can reach it can use it. Put it behind a "
              "reverse proxy with TLS (docs/server.md).", file=sys.stderr, flush=True)
    os.environ[ENV_VAR] = settings.to_env()  # for the workers' app factory and the protocol
    common: dict[str, Any] = {
        "host": args.host, "port": args.port, "http": HeaderTimeoutH11Protocol, "lifespan": "on",
        "access_log": False, "log_config": _log_config(LOGGING_CONFIG), "server_header": False,
        "timeout_keep_alive": settings.keep_alive,
        "timeout_graceful_shutdown": max(1, int(settings.request_timeout)),
        # A backstop for connections; evaluations are limited (with problem documents) by the app.
        "limit_concurrency": 64 + 8 * settings.max_concurrent,
        "h11_max_incomplete_event_size": 64 * 1024,
    }
    if args.workers == 1:
        uvicorn.run(create_app(engine, settings, token=token), **common)
    else:
        del engine  # each worker builds its own
        uvicorn.run("greentrade.server._app:create_app_from_env", factory=True, workers=args.workers, **common)
    return 0
