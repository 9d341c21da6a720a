"""Tenders: a buyer's call for bids, the documents it asks for, and the exporter's offer and promises.
"""

from __future__ import annotations

import datetime as dt

import attrs

from greentrade.model import _codes
from greentrade.model._base import FieldError, code, literal, nonempty, positive
from greentrade.model._documents import DocumentType
from greentrade.model._standards import StandardDesignator

__all__ = [
    "Promise",
    "RequiredDocument",
    "Tender",
    "TenderItem",
]


@attrs.frozen
class TenderItem:
    """A product the exporter offers in a tender, with the quantity asked for."""

    product: str = attrs.field(validator=nonempty)
    quantity: float = attrs.field(validator=positive)
    unit: str = attrs.field(validator=nonempty)


@attrs.frozen
class RequiredDocument:
    """A document the buyer's tender asks for, with the standards as the buyer wrote them."""

    type: DocumentType = attrs.field(validator=literal(DocumentType))
    standards: tuple[StandardDesignator, ...] = ()
    products: tuple[str, ...] = ()
    note: str | None = None
    #: The tender states that the document must stay valid through this date (TENDER-004 then
    #: rests on it; without it, "valid through delivery" is greentrade's reading).
    valid_through: dt.date | None = None
    #: The tender states that the document must name the offered product as recorded (model,
    #: HS code, manufacturing site; TENDER-002 then rests on it, otherwise it is a reading).
    match_product: bool | None = None


@attrs.frozen
class Promise:
    """A delivery promise the exporter intends to make that relies on a program."""

    program: str = attrs.field(validator=nonempty)
    claim: str = attrs.field(validator=nonempty)


@attrs.frozen
class Tender:
    """A buyer's call for bids and the exporter's intended offer."""

    id: str = attrs.field(validator=nonempty)
    buyer: str = attrs.field(validator=nonempty)
    country: str = attrs.field(validator=code(_codes.check_country))
    bid_deadline: dt.date
    delivery_date: dt.date
    items: tuple[TenderItem, ...]
    required_documents: tuple[RequiredDocument, ...] = ()
    promises: tuple[Promise, ...] = ()
    shipment: str | None = None
    reference: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.delivery_date < self.bid_deadline:
            raise FieldError(
                "delivery_date",
                f"delivery_date ({self.delivery_date}) is before bid_deadline ({self.bid_deadline})",
            )
