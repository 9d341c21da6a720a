"""Shipments and their lines.
"""

from __future__ import annotations

import datetime as dt

import attrs

from greentrade.model import _codes
from greentrade.model._base import FieldError, code, non_negative, nonempty, optional_code, positive

__all__ = [
    "Shipment",
    "ShipmentLine",
]


@attrs.frozen
class ShipmentLine:
    id: str = attrs.field(validator=nonempty)
    product: str = attrs.field(validator=nonempty)
    quantity: float = attrs.field(validator=positive)
    unit: str = attrs.field(validator=nonempty)
    hs_code: str = attrs.field(validator=code(_codes.check_hs_code))
    value: float | None = attrs.field(default=None, validator=non_negative)
    currency: str | None = attrs.field(default=None, validator=optional_code(_codes.check_currency))

    def __attrs_post_init__(self) -> None:
        if (self.value is None) != (self.currency is None):
            missing = "currency" if self.currency is None else "value"
            raise FieldError(missing, "value and currency go together: give both or neither")


@attrs.frozen
class Shipment:
    id: str = attrs.field(validator=nonempty)
    exporter: str = attrs.field(validator=nonempty)
    port_of_export: str = attrs.field(validator=code(_codes.check_locode))
    destination_country: str = attrs.field(validator=code(_codes.check_country))
    ship_date: dt.date
    lines: tuple[ShipmentLine, ...]
    documents: tuple[str, ...] = ()
    buyer: str | None = None
