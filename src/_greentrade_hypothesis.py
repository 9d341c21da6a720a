"""Hypothesis entry point of greentrade: ``st.from_type(<entity>)`` yields valid entities.

Declared in greentrade's ``pyproject.toml``::

    [project.entry-points.hypothesis]
    _ = "_greentrade_hypothesis:_hypothesis_setup_hook"

Hypothesis calls `_hypothesis_setup_hook` when it is imported, in any project that has
greentrade installed. This is a top-level module of greentrade's distribution, outside the
``greentrade`` package, because importing anything inside the package first imports the whole
package. The hook is cheap and lazy: it imports nothing of greentrade. If
greentrade is already imported it registers a deferred strategy for every entity type at
once; otherwise it waits for ``import greentrade`` (a one-shot import hook) and registers
then. The strategies themselves (`greentrade.testing.strategies`) are imported at the first
draw, so either import order works, and an error here never breaks ``import hypothesis``:
it becomes a warning. ``HYPOTHESIS_NO_PLUGINS=1`` turns this (and every other Hypothesis
plugin) off.
"""

from __future__ import annotations

import importlib.abc  # already imported by importlib.metadata, which Hypothesis uses
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

    from hypothesis.strategies import SearchStrategy

#: The public entity types (names in ``greentrade``) that ``st.from_type`` resolves.
ENTITY_NAMES = (
    "Accreditation", "Amendment", "BatteryFootprint", "CarbonFootprint", "CoveredProduct", "DeclaredUnit",
    "Document", "Dossier", "Epd", "GwpValue", "Identifier", "LifecycleStageValue", "Method", "Party",
    "Period", "Product", "ProductIdentifier", "Promise", "RequiredDocument", "Shipment", "ShipmentLine",
    "Site", "SourceRecord", "Spec", "StandardDesignator", "Tender", "TenderItem", "Verification",
)


def _warn(exc: BaseException) -> None:
    import warnings

    warnings.warn(f"greentrade could not register its Hypothesis strategies: {type(exc).__name__}: {exc}",
                  stacklevel=3)


def _strategy(cls: type) -> SearchStrategy[Any]:
    from greentrade.testing.strategies import strategy_for

    return strategy_for(cls)


def _deferred(cls: type) -> SearchStrategy[Any]:
    from hypothesis import strategies as st

    def definition() -> SearchStrategy[Any]:
        return _strategy(cls)

    return st.deferred(definition)


def register(package: ModuleType) -> None:
    """Register a deferred strategy for every entity type of the imported `package`."""
    from hypothesis import strategies as st

    for name in ENTITY_NAMES:
        st.register_type_strategy(getattr(package, name), _deferred(getattr(package, name)))


class _AfterImport(importlib.abc.MetaPathFinder):
    """A one-shot meta path finder: registers the strategies once ``greentrade`` is imported."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None,
                  /) -> ModuleSpec | None:
        if fullname != "greentrade":
            return None
        self.remove()
        import importlib.util

        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader)
        return spec

    def remove(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)


class _Loader(importlib.abc.Loader):
    def __init__(self, inner: importlib.abc.Loader) -> None:
        self.inner = inner

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.inner.exec_module(module)
        try:
            register(module)
        except Exception as exc:
            _warn(exc)

    def __getattr__(self, name: str) -> Any:  # resource readers, get_data, ... of the real loader
        return getattr(self.inner, name)


def _hypothesis_setup_hook() -> None:
    try:
        package = sys.modules.get("greentrade")
        if package is not None and all(hasattr(package, n) for n in ENTITY_NAMES):
            register(package)
        elif package is None and not any(isinstance(f, _AfterImport) for f in sys.meta_path):
            sys.meta_path.insert(0, _AfterImport())
        # else greentrade is half imported: it never imports Hypothesis itself, so this is a
        # host's own import hook; `from_type` then falls back to Hypothesis's defaults.
    except Exception as exc:  # never break `import hypothesis`
        _warn(exc)
