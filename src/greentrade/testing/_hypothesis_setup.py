"""Hypothesis entry point: ``st.from_type(<entity>)`` yields valid greentrade entities.

Declared in greentrade's ``pyproject.toml``::

    [project.entry-points.hypothesis]
    _ = "greentrade.testing._hypothesis_setup:_hypothesis_setup_hook"

Hypothesis calls `_hypothesis_setup_hook` when it is imported, in any project that has
greentrade installed, so downstream suites need no import of ours to draw entities with
``st.from_type(greentrade.Party)`` or ``st.builds(MyThing)`` with entity-typed fields.
Set ``HYPOTHESIS_NO_PLUGINS=1`` to turn this (and every other Hypothesis plugin) off.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from greentrade.testing.strategies import entity_strategies

    for cls, strategy in entity_strategies().items():
        st.register_type_strategy(cls, strategy)
