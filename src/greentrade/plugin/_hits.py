"""Hits every plugin makes the same way: a document value a source left out, and an inferred
rule that warns unless the host made it binding."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from greentrade.model import Document
from greentrade.rules._rules import Hit, RuleContext

__all__ = ["unstated", "warn_unless_binding"]


def unstated(ctx: RuleContext, doc: Document, fields: Iterable[str], *, label: str | None = None) -> list[Hit]:
    """One `undetermined` per named field (``issuer``, ``issue_date``, ``status``, ``holder``...)
    the document does not state (dossier format 2 lets a source leave them out), in the order
    given; empty when every one is stated.

    The message is ``"<label> states no issue date; cannot tell"`` (`label` defaults to
    ``"document <id> (<type>)"``) and the hit needs ``"issue_date of document <id>"``."""
    what = label if label is not None else f"document {doc.id} ({doc.type})"
    return [
        ctx.undetermined(f"{what} states no {name.replace('_', ' ')}; cannot tell", doc,
                         needs=f"{name} of document {doc.id}")
        for name in fields if getattr(doc, name) is None
    ]


def warn_unless_binding(ctx: RuleContext, rule_id: str, message: str, at: object, *path: str | int,
                        **kw: Any) -> Hit:
    """What an ``inferred`` (or ``practice``) rule reports: a warning, or a violation when the
    host made `rule_id` binding (``require = ["RULE-ID"]``, `RuleContext.binding`). The
    arguments are those of `RuleContext.warning`."""
    if ctx.binding(rule_id):
        return ctx.violation(message, at, *path, **kw)
    return ctx.warning(message, at, *path, **kw)
