"""Documents (certificates, test reports, footprint declarations, EPDs, ...) and the products
they cover.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

from greentrade.model import _codes
from greentrade.model._base import FieldError, SourceRecord, literal, nonempty, optional_code, optional_literal
from greentrade.model._footprints import BatteryFootprint, CarbonFootprint, Epd
from greentrade.model._products import Spec
from greentrade.model._standards import Method, StandardDesignator

__all__ = [
    "DOCUMENT_STATUSES",
    "DOCUMENT_TYPES",
    "FORMAT1_DOCUMENT_TYPES",
    "CoveredProduct",
    "Document",
    "DocumentStatus",
    "DocumentType",
]


DocumentType = Literal[
    "carbon-footprint-declaration",
    "certificate",
    "epd",
    "test-report",
    "factory-audit",
    "declaration-of-conformity",
    # Format 2: a declaration of performance (EU CPR Article 4) and a battery passport (EU Battery
    # Regulation Article 77), which are neither certificates nor declarations of conformity.
    "declaration-of-performance",
    "battery-passport",
]
DOCUMENT_TYPES: tuple[str, ...] = DocumentType.__args__  # type: ignore[attr-defined]
#: The document types dossier format 1 knows (format 2 adds the last two).
FORMAT1_DOCUMENT_TYPES: tuple[str, ...] = DOCUMENT_TYPES[:6]
DocumentStatus = Literal["valid", "suspended", "withdrawn"]
DOCUMENT_STATUSES: tuple[str, ...] = DocumentStatus.__args__  # type: ignore[attr-defined]


@attrs.frozen
class CoveredProduct:
    """A product a document covers, with the model, HS code and specs as the document states them."""

    product: str = attrs.field(validator=nonempty)
    model: str | None = None
    hs_code: str | None = attrs.field(default=None, validator=optional_code(_codes.check_hs_code))
    specs: tuple[Spec, ...] = ()

    def spec(self, name: str) -> Spec | None:
        return next((s for s in self.specs if s.name == name), None)


@attrs.frozen
class Document:
    id: str = attrs.field(validator=nonempty)
    type: DocumentType = attrs.field(validator=literal(DocumentType))
    standards: tuple[StandardDesignator, ...] = attrs.field(default=(), kw_only=True)
    #: Issuer, holder, issue date and status are required in format 1 and optional in format 2.
    issuer: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(nonempty))
    holder: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(nonempty))
    issue_date: dt.date | None = attrs.field(default=None, kw_only=True)
    status: DocumentStatus | None = attrs.field(
        default=None, kw_only=True, validator=optional_literal(DocumentStatus)
    )
    products: tuple[CoveredProduct, ...] = ()
    valid_until: dt.date | None = None
    number: str | None = None
    scope: str | None = None
    sites: tuple[str, ...] = ()
    carbon_footprint: CarbonFootprint | None = None
    epd: Epd | None = None
    valid_from: dt.date | None = None
    url: str | None = attrs.field(default=None, validator=attrs.validators.optional(nonempty))
    #: BCP 47 language tag of the document, e.g. "en", "de".
    language: str | None = attrs.field(default=None, validator=attrs.validators.optional(nonempty))
    #: Calculation methods that are not standards (PACT Methodology, PEF, ...).
    methods: tuple[Method, ...] = ()
    battery: BatteryFootprint | None = None
    source: SourceRecord | None = None

    def __attrs_post_init__(self) -> None:
        if self.valid_until is not None and self.issue_date is not None and self.valid_until < self.issue_date:
            raise FieldError(
                "valid_until", f"valid_until ({self.valid_until}) is before issue_date ({self.issue_date})"
            )
        if self.valid_until is not None and self.valid_from is not None and self.valid_until < self.valid_from:
            raise FieldError(
                "valid_until", f"valid_until ({self.valid_until}) is before valid_from ({self.valid_from})"
            )

    def covers(self, product_id: str) -> CoveredProduct | None:
        return next((c for c in self.products if c.product == product_id), None)

    def valid_on(self, day: dt.date) -> bool:
        """Issued on or before `day`, not expired on `day`, and status ``valid``.

        False when the issue date or status is not known (format 2): validity is then not shown.
        """
        return (
            self.status == "valid"
            and self.issue_date is not None
            and self.issue_date <= day
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )
