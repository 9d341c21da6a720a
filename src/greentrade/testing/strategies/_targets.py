"""Outcome builders from a table of targets: an eligible dossier, and one change per outcome.

What every plugin's ``strategies.py`` would otherwise write for itself (the table's row type,
drawing the eligible dossier with a row's options, applying the row's change, registering
each row). It knows no plugin: the plugin hands over its options, completion and table.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
from hypothesis import strategies as st

from greentrade.testing.strategies._dossiers import dossier_json
from greentrade.testing.strategies._mixed import merge_options
from greentrade.testing.strategies._outcomes import register_outcome_builder

__all__ = ["OutcomeTarget", "register_targets"]

Data = dict[str, Any]


@attrs.frozen
class OutcomeTarget:
    """An outcome a plugin's builders reach: `change` applied to an eligible dossier (drawn with
    `options` replacing the eligible ones) gives every subject `status`, for `reason`.
    `config` and `plugins` default to those given to `register_targets`."""

    status: str
    reason: str | None = None
    change: Callable[[Data], None] | None = None
    options: Mapping[str, Any] = attrs.field(factory=dict)
    needs: str | None = None
    config: Mapping[str, Any] | None = None
    plugins: tuple[str, ...] | None = None


def _changed(change: Callable[[Data], None], data: Data) -> Data:
    d = copy.deepcopy(data)
    change(d)
    return d


def _build(required: Mapping[str, Any], complete: Callable[[Data], Data], target: OutcomeTarget,
           **options: Any) -> st.SearchStrategy[Data]:
    base = dossier_json(**merge_options(options, {**required, **target.options})).map(complete)
    return base if target.change is None else base.map(functools.partial(_changed, target.change))


def register_targets(program: str, targets: Iterable[OutcomeTarget], *, required: Mapping[str, Any],
                     complete: Callable[[Data], Data], config: Mapping[str, Any] | None = None,
                     plugins: tuple[str, ...] | None = None) -> None:
    """Register one outcome builder per target (`register_outcome_builder`), in order.

    Each draws `dossier_json` with the caller's options combined (`merge_options`) with
    `required` (the options every eligible dossier needs) updated by the target's `options`,
    makes it eligible with `complete` (which returns a new dossier), then applies the target's
    `change` to a copy. An ``OutcomeTarget("eligible")`` registers the eligible dossier itself.
    """
    for t in targets:
        register_outcome_builder(
            program, t.status, functools.partial(_build, required, complete, t), reason=t.reason,
            config=t.config if t.config is not None else config, needs=t.needs,
            plugins=t.plugins if t.plugins is not None else plugins)
