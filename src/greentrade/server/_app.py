"""The ASGI application: API version 1 on Starlette, one engine per worker (see `_service`)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES
from starlette.routing import Route

from greentrade.engine._engine import Engine
from greentrade.server._middleware import AccessLog, BearerAuth, Capacity, Gzip, HostCheck, log_json
from greentrade.server._openapi import JSONL_TYPES
from greentrade.server._problems import Problem, on_http, on_problem
from greentrade.server._service import Service
from greentrade.server._settings import Settings, read_token

__all__ = ["build_engine", "create_app", "create_app_from_env"]


def create_app(engine: Engine, settings: Settings, *, token: str | None = None,
               access_log: Callable[[dict[str, Any]], None] = log_json) -> Starlette:
    """The application for an engine whose plugins are loaded. `token` enables bearer authentication."""
    service = Service(engine, settings, authenticated=token is not None)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        service.close()

    routes = [
        Route("/v1/validate", service.validate, methods=["POST"]),
        Route("/v1/assess", service.assess, methods=["POST"]),
        Route("/v1/validate-batch", service.validate_batch, methods=["POST"]),
        Route("/v1/rules", service.rules, methods=["GET"]),
        Route("/v1/plugins", service.plugins, methods=["GET"]),
        Route("/v1/categories", service.categories, methods=["GET"]),
        Route("/v1/standards", service.standards, methods=["GET"]),
        Route("/v1/schemas/{name}", service.schema, methods=["GET"]),
        Route("/healthz", service.healthz, methods=["GET"]),
        Route("/readyz", service.readyz, methods=["GET"]),
        Route("/metrics", service.metrics_text, methods=["GET"]),
        Route("/openapi.json", service.openapi_json, methods=["GET"]),
    ]
    stack = [
        # Outermost first.
        Middleware(AccessLog, log=access_log, send_timeout=settings.request_timeout, metrics=service.metrics,
                   max_header_bytes=settings.max_header_bytes),
        Middleware(Gzip, minimum_size=settings.gzip_min_bytes, compresslevel=5,
                   exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, *JSONL_TYPES)),
        Middleware(HostCheck, hosts=settings.hosts),
    ]
    if settings.cors_origins:
        stack.append(Middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"], max_age=600))
    stack.append(Middleware(Capacity, limit=settings.max_connections,
                            token=token.encode("utf-8") if token is not None else None))
    if token is not None:
        stack.append(Middleware(BearerAuth, token=token))
    app = Starlette(
        routes=routes,
        middleware=stack,
        exception_handlers={Problem: on_problem, HTTPException: on_http},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False  # on_http redirects with a relative reference instead
    app.state.service = service
    return app


def build_engine(settings: Settings) -> Engine:
    """The worker's engine with its plugins, every contribution computed now (not at the first request).

    Raises `ConfigError` or `PluginError` for a configuration the engine refuses.
    """
    engine = Engine(config=settings.config)
    engine.load_entry_points()
    engine.rules  # noqa: B018 - builds and checks the contributions (plugin settings, profiles)
    return engine


def create_app_from_env() -> Starlette:
    """uvicorn's app factory in each worker process: settings from the environment."""
    import os

    from greentrade.server._settings import ENV_VAR

    settings = Settings.from_env(os.environ[ENV_VAR])
    token = read_token(settings.token_file) if settings.token_file else None
    return create_app(build_engine(settings), settings, token=token)
