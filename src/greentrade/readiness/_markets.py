"""Markets: the regions of the loaded buyer profiles, or ISO 3166-1 countries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from greentrade.errors import MarketError
from greentrade.model import _codes
from greentrade.readiness._values import Market
from greentrade.rules._profiles import BuyerProfile

__all__ = ["resolve_markets"]


def resolve_markets(profiles: Sequence[BuyerProfile], markets: Iterable[str] | None) -> list[Market]:
    """Markets by region name (case-insensitive) or ISO country code; default: every region, sorted."""
    regions = sorted({p.region for p in profiles if p.region})
    wanted = regions if markets is None else list(dict.fromkeys(markets))
    out: list[Market] = []
    for m in wanted:
        region = next((r for r in regions if r.lower() == m.strip().lower()), None)
        if region is not None:
            ps = [p for p in profiles if p.region == region]
            countries = sorted({c for p in ps for c in p.countries})
            out.append(Market(region, "region", tuple(countries), tuple(p.id for p in ps)))
            continue
        code = m.strip()
        if len(code) == 2 and code.upper() in _codes.countries():
            code = code.upper()
            ps = [p for p in profiles if code in p.countries]
            out.append(Market(code, "country", (code,), tuple(p.id for p in ps)))
            continue
        known = ", ".join(regions) or "none"
        raise MarketError(f"unknown market {m!r}: give a profile region ({known}) or an ISO 3166-1 alpha-2 code")
    return out
