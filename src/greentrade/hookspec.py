"""Deprecated: the hook specifications are `greentrade.plugin.hookspec`.

Kept for one release (0.3) so that plugins written for the 0.1 builds still load; each name
read from here gives a `DeprecationWarning`. Removed in 0.4 (docs/compatibility.md). A plugin
imports ``hookimpl`` from `greentrade.plugin`.
"""

from __future__ import annotations

import warnings
from typing import Any

from greentrade.plugin import hookspec as _hookspec


def __getattr__(name: str) -> Any:
    try:
        value = getattr(_hookspec, name)
    except AttributeError:
        raise AttributeError(f"module 'greentrade.hookspec' has no attribute {name!r}") from None
    warnings.warn(
        f"greentrade.hookspec is deprecated: import {name} from "
        f"{'greentrade.plugin' if name == 'hookimpl' else 'greentrade.plugin.hookspec'}; "
        "greentrade.hookspec is removed in greentrade 0.4",
        DeprecationWarning, stacklevel=2,
    )
    return value
