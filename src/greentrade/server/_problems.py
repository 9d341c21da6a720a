"""Problem documents (RFC 9457): the service's error answers and the handlers that send them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from greentrade.errors import DossierReadError
from greentrade.i18n import catalog, negotiate
from greentrade.server._openapi import PROBLEM, PROBLEM_BASE

__all__ = ["ClientGone", "Problem", "dumps", "not_a_dossier", "on_http", "on_problem", "problem_response",
           "relative_redirect"]


class Problem(Exception):
    """An error answer (RFC 9457); raised by the handlers, turned into a response by the app."""

    def __init__(self, status: int, slug: str, title: str, detail: str, *,
                 headers: Mapping[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.headers = dict(headers or {})
        self.extra = extra

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"type": PROBLEM_BASE + self.slug, "title": self.title,
                               "status": self.status, "detail": self.detail}
        out.update(self.extra)
        if request_id:
            out["request_id"] = request_id
        return out


class ClientGone(Exception):
    """The client closed the connection: nothing can be answered (logged with status 499)."""


def dumps(data: Any) -> bytes:
    """Compact JSON in UTF-8, as every JSON answer is sent."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def problem_response(request: Request, problem: Problem) -> Response:
    request_id = request.scope.get("state", {}).get("request_id")
    body = problem.body(request_id)
    # The title in the language the request accepts (the detail stays as written: it names values).
    lang = negotiate(request.headers.get("accept-language")) or "en"
    if lang != "en":
        body["title"] = catalog(lang).text(problem.title)
    return Response(dumps(body) + b"\n", status_code=problem.status, media_type=PROBLEM,
                    headers={**problem.headers, "Content-Language": lang})


async def on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return problem_response(request, exc)


_HTTP_SLUGS = {404: ("not-found", "Not found"), 405: ("method-not-allowed", "Method not allowed")}


def relative_redirect(request: Request) -> Response | None:
    """For a path with a trailing slash whose form without it is a route: a redirect there with a
    relative reference (``../rules`` from ``/v1/rules/``), right behind any proxy or prefix."""
    path = request.url.path
    if len(path) < 2 or not path.endswith("/"):
        return None
    target = path.rstrip("/")
    if not target:
        return None
    scope = {**request.scope, "path": target}
    if all(route.matches(scope)[0].name == "NONE" for route in request.app.router.routes):
        return None
    location = "../" + target.rsplit("/", 1)[1]
    if request.url.query:
        location += "?" + request.url.query
    return Response(b"", status_code=307, headers={"Location": location})


async def on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404 and (redirect := relative_redirect(request)) is not None:
        return redirect
    slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", "HTTP error"))
    generic = not exc.detail or exc.detail.lower() == title.lower()
    detail = f"{request.method} {request.url.path}: {title.lower()}" if generic else exc.detail
    return problem_response(request, Problem(exc.status_code, slug, title, detail, headers=exc.headers))


def not_a_dossier(exc: DossierReadError) -> Problem:
    """The 400 answer for a body that is not a dossier."""
    return Problem(400, "not-a-dossier", "Not a dossier", str(exc), pointer="")
