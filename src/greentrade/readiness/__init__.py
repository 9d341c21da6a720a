"""Buyer-profile readiness: markets, requirements and the assessment matrix (`greentrade assess`).

Imports the engine and everything below it (see docs/architecture.md).
"""

from greentrade.errors import MarketError
from greentrade.readiness._assess import assess
from greentrade.readiness._values import Assessment

__all__ = ["Assessment", "MarketError", "assess"]
