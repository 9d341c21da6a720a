"""Whether a party is on a list the host configured (recognized bodies, approved suppliers...)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from greentrade.model import Party
from greentrade.rules._evidence import model_key

__all__ = ["PartyMatch", "match_party"]


class PartyMatch(NamedTuple):
    """Where the party is on the host's list, and by what: ``"identifier uscc 9133..."`` or
    ``"name 'Acme Ltd'"``."""

    position: int
    how: str


def match_party(party: Party, entries: Any) -> PartyMatch | None:
    """The first entry of a host-configured list that names `party`, or None.

    An entry is a table with ``scheme`` and ``value`` (matched against the party's identifiers)
    or with ``name`` (matched against its name); values and names are compared with spaces
    removed and case folded (`model_key`). Anything else in the list, or a list that is not a
    list, matches nothing: the host's schema reports malformed configuration.
    """
    if not isinstance(entries, list | tuple):
        return None
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            continue
        scheme, value, name = entry.get("scheme"), entry.get("value"), entry.get("name")
        if isinstance(scheme, str) and isinstance(value, str):
            for ident in party.identifiers:
                if ident.scheme == scheme and model_key(ident.value) == model_key(value):
                    return PartyMatch(i, f"identifier {scheme} {ident.value}")
        elif isinstance(name, str) and party.name is not None and model_key(name) == model_key(party.name):
            return PartyMatch(i, f"name {party.name!r}")
    return None
