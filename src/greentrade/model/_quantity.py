"""Quantities with units: power (W, kW, MW), energy (Wh, kWh, MWh), charge (Ah, mAh) and
voltage (V, kV), converted by a fixed table of factors (these units are few and fixed).

Charge converts to energy only with a voltage (energy = charge x voltage): a battery's
capacity in Ah says nothing about its energy without the voltage it is rated at. Unit
symbols are matched without regard to case or surrounding space (``kwh``, ``KWh``); an
unknown unit, or a conversion between dimensions, is an error (`UnitError`).

The spec names greentrade and its first-party plugins read are listed per category in
docs/quantities.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from greentrade.errors import UnitError

if TYPE_CHECKING:
    from greentrade.model._products import Product

__all__ = ["UNITS", "UnitError", "convert", "dimension", "spec_quantity"]

#: unit (lower case) -> (dimension, factor to the base unit W, Wh, Ah or V)
UNITS: dict[str, tuple[str, float]] = {
    "w": ("power", 1.0), "kw": ("power", 1e3), "mw": ("power", 1e6),
    "wh": ("energy", 1.0), "kwh": ("energy", 1e3), "mwh": ("energy", 1e6),
    "ah": ("charge", 1.0), "mah": ("charge", 1e-3),
    "v": ("voltage", 1.0), "kv": ("voltage", 1e3),
}
_SHOWN = {"w": "W", "kw": "kW", "mw": "MW", "wh": "Wh", "kwh": "kWh", "mwh": "MWh", "ah": "Ah",
          "mah": "mAh", "v": "V", "kv": "kV"}

#: The spec a product may give its rated voltage in, for converting Ah to Wh.
VOLTAGE_SPEC = "nominal_voltage"


def _unit(unit: str) -> tuple[str, float]:
    found = UNITS.get(unit.strip().lower())
    if found is None:
        known = ", ".join(_SHOWN.values())
        raise UnitError(f"unknown unit {unit!r} (known: {known})")
    return found


def dimension(unit: str) -> str:
    """``power``, ``energy``, ``charge`` or ``voltage``; `UnitError` for an unknown unit."""
    return _unit(unit)[0]


def convert(value: float, unit: str, target: str, *, voltage: float | None = None) -> float:
    """`value` in `unit` expressed in `target`; charge to energy needs `voltage` (in V)."""
    (dim, factor), (to_dim, to_factor) = _unit(unit), _unit(target)
    base = value * factor
    if dim == "charge" and to_dim == "energy":
        if voltage is None:
            raise UnitError(f"{value:g} {unit} is a charge: converting it to {target} needs a voltage")
        base *= voltage
    elif dim != to_dim:
        raise UnitError(f"cannot convert {unit} ({dim}) to {target} ({to_dim})")
    return base / to_factor


def spec_quantity(product: Product, name: str, unit: str, *, voltage: float | None = None) -> float | None:
    """The product's spec `name` in `unit`, or None when the product has no such spec.

    A spec in Ah converts to Wh/kWh/MWh with `voltage` (V) or, without it, the product's
    ``nominal_voltage`` spec; with neither it is a `UnitError`.
    """
    spec = product.spec(name)
    if spec is None:
        return None
    if voltage is None and dimension(spec.unit) == "charge" and dimension(unit) == "energy":
        rated = product.spec(VOLTAGE_SPEC)
        if rated is not None:
            voltage = convert(rated.value, rated.unit, "V")
    try:
        return convert(spec.value, spec.unit, unit, voltage=voltage)
    except UnitError as exc:
        raise UnitError(f"product {product.id} spec {name!r}: {exc}") from None
