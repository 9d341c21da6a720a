"""How findings show codes, standards and parties, the same in every plugin."""

from __future__ import annotations

from greentrade.i18n import msg
from greentrade.model import Dossier
from greentrade.model._codes import hs_description
from greentrade.model._standards import StandardDesignator

__all__ = ["as_written", "hs_display", "hs_label", "party_label"]


def hs_display(code: str) -> str:
    """An HS code as customs write it: ``940541`` -> ``9405.41``; a national extension is shown
    after the subheading: ``94054190`` -> ``9405.41 (94054190)``."""
    six = f"{code[:4]}.{code[4:6]}"
    return six if len(code) == 6 else f"{six} ({code})"


def hs_label(code: str) -> str:
    """``HS 9405.41`` with the HS 2022 description of the subheading when it is known."""
    desc = hs_description(code)
    return f"HS {hs_display(code)}" + (f" ({desc})" if desc else "")


def as_written(d: StandardDesignator) -> str:
    """A standard as the document writes it (``written``), else its canonical form."""
    return d.written if d.written is not None else str(d)


def party_label(dossier: Dossier, party_id: str | None) -> str:
    """``P1 (Name)`` for a party of the dossier, the bare id for an unknown one, and
    ``(not stated)`` when there is no id."""
    if party_id is None:
        return msg("label.not-stated", "(not stated)")
    party = dossier.party(party_id)
    return f"{party_id} ({party.name})" if party is not None else party_id
