"""``greentrade serve``: the library as an HTTP JSON service (docs/server.md).

Needs the ``server`` extra (``pip install 'greentrade[server]'``: Starlette and uvicorn). This
package's ``__init__`` imports neither, so that ``greentrade.cli`` can register the command
without them; `create_app` imports Starlette when it is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from greentrade.server._settings import Settings

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from greentrade.engine._engine import Engine

__all__ = ["Settings", "create_app"]


def create_app(engine: Engine, settings: Settings | None = None, **kw: Any) -> Starlette:
    """The ASGI application serving `engine` (see `greentrade.server._app.create_app`)."""
    from greentrade.server._app import create_app as _create

    return _create(engine, settings or Settings(), **kw)
