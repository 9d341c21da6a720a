"""Buyer-profile readiness: markets, requirements and the assessment matrix (`greentrade assess`).

Imports the engine and everything below it (see docs/architecture.md).
"""

from greentrade.readiness._assess import Assessment, MarketError, assess

__all__ = ["Assessment", "MarketError", "assess"]
