"""Hits every plugin makes the same way: a document value a source left out, and an inferred
rule that warns unless the host made it binding."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from greentrade.i18n import msg
from greentrade.model import Document
from greentrade.rules._rules import Hit, RuleContext

__all__ = ["unstated", "warn_unless_binding"]

#: The words for the document fields a source may leave out (`unstated`), as messages.
_FIELDS = {
    "issuer": msg("hits.field.issuer", "issuer"),
    "issue_date": msg("hits.field.issue-date", "issue date"),
    "status": msg("hits.field.status", "status"),
    "holder": msg("hits.field.holder", "holder"),
    "valid_from": msg("hits.field.valid-from", "valid from"),
    "valid_until": msg("hits.field.valid-until", "valid until"),
}


def unstated(ctx: RuleContext, doc: Document, fields: Iterable[str], *, label: str | None = None) -> list[Hit]:
    """One `undetermined` per named field (``issuer``, ``issue_date``, ``status``, ``holder``...)
    the document does not state (dossier format 2 lets a source leave them out), in the order
    given; empty when every one is stated.

    The message is ``"<label> states no issue date; cannot tell"`` (`label` defaults to
    ``"document <id> (<type>)"``) and the hit needs ``"issue_date of document <id>"``."""
    what = label if label is not None else msg("hits.document", "document {document} ({document_type})",
                                               document=doc.id, document_type=doc.type)
    return [
        ctx.undetermined(msg("hits.states-no", "{what} states no {field}; cannot tell", what=what,
                             field=_FIELDS.get(name) or name.replace("_", " ")), doc,
                         needs=msg("hits.field-of-document", "{field_name} of document {document}", field_name=name,
                                   document=doc.id))
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
