"""``greentrade serve``: arguments, checks before the start, and uvicorn.

This module imports neither Starlette nor uvicorn at import time (``greentrade.cli`` imports
it to register the command); `serve` imports them.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from typing import Any

from greentrade.server._settings import (
    DEFAULTS,
    ENV_VAR,
    HTTP_PARSERS,
    LOG_LEVELS,
    LOOPBACK_NAMES,
    Settings,
    SettingsError,
    default_concurrency,
    is_loopback,
    read_token,
)

__all__ = ["add_parser", "serve"]

EXIT_CONFIG = 2


def add_parser(sub: Any) -> None:
    """Register ``serve`` on the subparsers of ``greentrade``."""
    d = DEFAULTS
    s = sub.add_parser(
        "serve", help="run the HTTP JSON service (needs the server extra; see docs/server.md)",
        description="Serve API v1 over HTTP: POST /v1/validate, /v1/assess, /v1/validate-batch; "
        "GET /v1/rules, /v1/plugins, /v1/categories, /v1/standards, /v1/schemas/NAME, /healthz, /readyz, "
        "/metrics, /openapi.json. Exit 2 if the configuration is unusable.",
    )
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    s.add_argument("--workers", type=int, default=1, help="worker processes, each with its own engine (default: 1)")
    s.add_argument("--config", metavar="FILE", dest="sub_config", help="host configuration (TOML)")
    s.add_argument("--token-file", metavar="FILE",
                   help="require 'Authorization: Bearer TOKEN' with the token in FILE (all paths but /healthz "
                   "and /readyz)")
    s.add_argument("--insecure-public", action="store_true",
                   help="allow a non-loopback --host without --token-file (warns on every start)")
    s.add_argument("--allowed-host", action="append", metavar="NAME", dest="allowed_hosts",
                   help="a Host header value to answer (repeat; '*' for any; default: localhost, 127.0.0.1, ::1 "
                   "and --host)")
    s.add_argument("--cors-origin", action="append", metavar="ORIGIN", dest="cors_origins", default=[],
                   help="allow browser calls from ORIGIN, e.g. https://erp.example (repeat; default: CORS off)")
    s.add_argument("--max-body-bytes", type=int, default=d.max_body_bytes, metavar="N",
                   help=f"largest request body; 413 above (default: {d.max_body_bytes})")
    s.add_argument("--request-timeout", type=float, default=d.request_timeout, metavar="SECONDS",
                   help=f"time budget of a request: body, queue, evaluation; 408 past it (default: "
                   f"{d.request_timeout:g})")
    s.add_argument("--max-concurrent", type=int, default=None, metavar="N",
                   help="evaluations at once per worker (default: the cores shared out among the workers, at "
                   "least 2)")
    s.add_argument("--max-queue", type=int, default=d.max_queue, metavar="N",
                   help=f"requests waiting for an evaluation slot per worker; 503 above (default: {d.max_queue})")
    s.add_argument("--queue-timeout", type=float, default=d.queue_timeout, metavar="SECONDS",
                   help=f"longest wait for an evaluation slot; 503 past it (default: {d.queue_timeout:g})")
    s.add_argument("--max-connections", type=int, default=d.max_connections, metavar="N",
                   help=f"open connections per worker (default: {d.max_connections})")
    s.add_argument("--header-timeout", type=float, default=d.header_timeout, metavar="SECONDS",
                   help=f"close a connection whose request head takes longer (default: {d.header_timeout:g})")
    s.add_argument("--max-header-bytes", type=int, default=d.max_header_bytes, metavar="N",
                   help=f"largest request head; 431 above (default: {d.max_header_bytes})")
    s.add_argument("--max-batch-lines", type=int, default=d.max_batch_lines, metavar="N",
                   help=f"most dossiers in one validate-batch request (default: {d.max_batch_lines})")
    s.add_argument("--batch-timeout", type=float, default=d.batch_timeout, metavar="SECONDS",
                   help=f"time budget of a whole batch (default: {d.batch_timeout:g})")
    s.add_argument("--max-batch-output-bytes", type=int, default=d.max_batch_output_bytes, metavar="N",
                   help=f"largest answer of one batch (default: {d.max_batch_output_bytes})")
    s.add_argument("--gzip-min-bytes", type=int, default=d.gzip_min_bytes, metavar="N",
                   help=f"compress answers from this size for clients that accept gzip (default: {d.gzip_min_bytes})")
    s.add_argument("--decision-log", metavar="FILE",
                   help="write one JSON line per validation to FILE (appended), or '-' for standard error "
                   "(default: off)")
    s.add_argument("--log-level", default=d.log_level, choices=LOG_LEVELS,
                   help=f"level of the service's log lines (default: {d.log_level})")
    s.add_argument("--http", default=d.http, choices=HTTP_PARSERS,
                   help="HTTP/1.1 parser: httptools (in C) or h11 (pure Python); auto: httptools when it is "
                   "installed (default: auto)")


def _fail(message: str) -> int:
    print(f"greentrade serve: {message}", file=sys.stderr)
    return EXIT_CONFIG


def _check_port(host: str, port: int) -> str | None:
    """Why `host`:`port` cannot be listened on, or None."""
    import socket  # here: every command's parser imports this module

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


def _log_config(level: str) -> dict[str, Any]:
    """Every log line as one JSON object on standard error: uvicorn's, the service's and the
    access log (whose lines are JSON already)."""
    formatter = {"()": "greentrade.server._ops.JsonFormatter"}
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    upper = level.upper()
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"json": formatter},
        "handlers": {"json": handler},
        "loggers": {
            "uvicorn": {"handlers": ["json"], "level": upper, "propagate": False},
            "uvicorn.error": {"level": upper},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "greentrade.server": {"handlers": ["json"], "level": upper, "propagate": False},
            "greentrade.server.access": {"handlers": ["json"], "level": upper, "propagate": False},
        },
    }


def _check_engine() -> int:
    """In a child process (``python -c``): build the engine as a worker will, with the settings
    in `ENV_VAR`; print what is wrong and return 2, or return 0."""
    from greentrade.engine._engine import PluginError
    from greentrade.io._config import ConfigError
    from greentrade.server._app import build_engine

    try:
        build_engine(Settings.from_env(os.environ[ENV_VAR]))
    except (ConfigError, PluginError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONFIG
    return 0


def _run(target: Any, workers: int, **common: Any) -> None:
    """uvicorn with `target`: the app itself (one worker) or the app factory's import path.

    With several workers, the parent only supervises: it builds no engine, and on SIGTERM or
    SIGINT it closes its listening socket before stopping the workers, so that new connections
    are refused at once while the requests in progress finish.
    """
    import uvicorn

    if workers == 1:
        uvicorn.run(target, **common)
        return
    from uvicorn.supervisors import Multiprocess

    class Supervisor(Multiprocess):
        def terminate_all(self) -> None:
            for sock in self.sockets:
                sock.close()
            super().terminate_all()

    config = uvicorn.Config(target, factory=True, workers=workers, **common)
    Supervisor(config, sockets=[config.bind_socket()]).run()


def serve(args: argparse.Namespace, config: str | None) -> int:
    """Check everything that can be checked, then run uvicorn until stopped."""
    hosts = args.allowed_hosts
    if hosts is None:
        bound = args.host.lower().strip("[]")
        hosts = [*LOOPBACK_NAMES, *([bound] if bound not in ("0.0.0.0", "::", "") else [])]
    settings = Settings(
        config=config, token_file=args.token_file, max_body_bytes=args.max_body_bytes,
        request_timeout=args.request_timeout, header_timeout=args.header_timeout,
        max_concurrent=args.max_concurrent if args.max_concurrent is not None
        else default_concurrency(max(1, args.workers)),
        max_queue=args.max_queue, queue_timeout=args.queue_timeout, max_connections=args.max_connections,
        max_header_bytes=args.max_header_bytes, max_batch_lines=args.max_batch_lines,
        batch_timeout=args.batch_timeout, max_batch_output_bytes=args.max_batch_output_bytes,
        gzip_min_bytes=args.gzip_min_bytes, cors_origins=args.cors_origins, allowed_hosts=hosts,
        decision_log=args.decision_log, log_level=args.log_level, http=args.http,
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
        import prometheus_client  # noqa: F401 - the server extra
        import uvicorn  # noqa: F401
    except ImportError as exc:
        return _fail(f"the server extra is not installed ({exc.name} is missing): "
                     "pip install 'greentrade[server]'")
    if settings.decision_log and settings.decision_log != "-":
        try:
            with open(settings.decision_log, "a", encoding="utf-8"):
                pass
        except OSError as exc:
            return _fail(f"cannot write the decision log {settings.decision_log!r}: {exc.strerror}")
    engine = None
    if args.workers == 1:
        from greentrade.engine._engine import PluginError
        from greentrade.io._config import ConfigError
        from greentrade.server._app import build_engine

        try:
            engine = build_engine(settings)  # checks the configuration; the one worker uses it
        except (ConfigError, PluginError) as exc:
            return _fail(str(exc))
    else:  # the workers build their engines; the parent checks the configuration in a child
        import subprocess

        check = subprocess.run(
            [sys.executable, "-c", "import sys; from greentrade.server._cli import _check_engine; "
             "sys.exit(_check_engine())"],
            env={**os.environ, ENV_VAR: settings.to_env()}, capture_output=True, text=True, check=False)
        if check.returncode:
            return _fail(check.stderr.strip().splitlines()[-1] if check.stderr.strip() else
                         f"the engine could not be built (exit status {check.returncode})")
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
    multiproc_dir = None
    if args.workers > 1:  # one set of metrics over the workers (prometheus-client's multiprocess mode)
        import tempfile

        multiproc_dir = tempfile.TemporaryDirectory(prefix="greentrade-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = multiproc_dir.name
    from greentrade.server._protocol import protocol_class

    common: dict[str, Any] = {
        "host": args.host, "port": args.port, "http": protocol_class(settings.http),
        "lifespan": "on", "access_log": False, "log_config": _log_config(settings.log_level),
        "log_level": settings.log_level, "server_header": False, "timeout_keep_alive": settings.keep_alive,
        "timeout_graceful_shutdown": max(1, int(settings.request_timeout)),
        # Connections and requests are limited by the protocol and the app, with problem documents.
        "limit_concurrency": None, "h11_max_incomplete_event_size": settings.max_header_bytes,
        "backlog": 2048, "ws": "none",  # no WebSocket endpoint: an Upgrade request is answered as HTTP
    }
    try:
        if engine is not None:
            from greentrade.server._app import create_app

            _run(create_app(engine, settings, token=token), 1, **common)
        else:
            _run("greentrade.server._app:create_app_from_env", args.workers, **common)
    finally:
        if multiproc_dir is not None:
            os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
            multiproc_dir.cleanup()
    return 0
