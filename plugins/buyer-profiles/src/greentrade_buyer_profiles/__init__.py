"""greentrade plugin: regional buyer profiles and tender readiness rules.

- ``greentrade_buyer_profiles``: first-party profiles for Europe, the Middle East, Southeast
  Asia and Latin America (``data/profiles.json``, each requirement with its standing and
  source). Hosts add or replace profiles through the ``profiles`` list of their configuration.
- ``greentrade_rules``: dossier-scope rules TENDER-001 to TENDER-008 that check a tender's
  required documents and delivery promises (``data/rules.json``; checks in `rules`).
"""

from __future__ import annotations

from collections.abc import Sequence

from greentrade.plugin import BuyerProfile, Rule, hookimpl

from greentrade_buyer_profiles import _data
from greentrade_buyer_profiles.rules import rules

__version__ = "0.3.0"
#: The hook-API versions this plugin is written for (docs/hooks.md, "Hook API version").
GREENTRADE_HOOK_API = ">=1.0,<2"

__all__ = ["GREENTRADE_HOOK_API", "__version__", "greentrade_buyer_profiles", "greentrade_rules"]


@hookimpl
def greentrade_buyer_profiles() -> Sequence[BuyerProfile]:
    return _data.profiles()


@hookimpl
def greentrade_rules() -> Sequence[Rule]:
    return rules()
