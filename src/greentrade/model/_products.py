"""Products: their technical specifications (`Spec`) and identifiers (GTIN, CAS, ...).
"""

from __future__ import annotations

from typing import Literal

import attrs

from greentrade.model import _codes
from greentrade.model._base import FieldError, SourceRecord, nonempty, optional_code, optional_literal

__all__ = [
    "CprCoverage",
    "Product",
    "ProductIdentifier",
    "Spec",
]


@attrs.frozen
class Spec:
    """A technical specification value with its unit, e.g. ``power 60 W``."""

    name: str = attrs.field(validator=nonempty)
    value: float
    unit: str = attrs.field(validator=nonempty)


@attrs.frozen
class ProductIdentifier:
    """A product identifier (format 2): ``gtin`` and ``cas`` values are checked with their check
    digits, ``un-cpc`` as 1-5 digits, ``urn`` as RFC 8141 syntax; ``mpn`` and other schemes as text."""

    scheme: str = attrs.field(validator=nonempty)
    value: str = attrs.field(validator=nonempty)

    def __attrs_post_init__(self) -> None:
        problem = _codes.check_product_identifier(self.scheme, self.value)
        if problem:
            raise FieldError("value", problem)


#: Whether a construction product is covered by a harmonised standard or a European Assessment
#: Document (EU CPR; a declaration of performance is required only then), or by neither.
CprCoverage = Literal["harmonised-standard", "european-assessment-document", "none"]


@attrs.frozen
class Product:
    """A product; in format 2 only the id is required, the rest as far as a source states it."""

    id: str = attrs.field(validator=nonempty)
    model: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(nonempty))
    name: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(nonempty))
    category: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(nonempty))
    hs_code: str | None = attrs.field(default=None, kw_only=True, validator=optional_code(_codes.check_hs_code))
    manufacturer: str | None = attrs.field(
        default=None, kw_only=True, validator=attrs.validators.optional(nonempty)
    )
    manufacturing_site: str | None = None
    specs: tuple[Spec, ...] = ()
    identifiers: tuple[ProductIdentifier, ...] = ()
    description: str | None = None
    source: SourceRecord | None = None
    #: Format 2: what the product's source states about its coverage under the EU CPR (None: not
    #: stated, so whether a declaration of performance is required is undetermined).
    cpr_coverage: CprCoverage | None = attrs.field(default=None, kw_only=True,
                                                   validator=optional_literal(CprCoverage))
    #: Format 2: a rechargeable industrial battery with exclusively external storage (EU Battery
    #: Regulation Art. 7(1): a later application date, not an exemption); None: not stated.
    exclusively_external_storage: bool | None = attrs.field(default=None, kw_only=True)

    def spec(self, name: str) -> Spec | None:
        return next((s for s in self.specs if s.name == name), None)

    def quantity(self, name: str, unit: str, *, voltage: float | None = None) -> float | None:
        """The spec `name` converted to `unit` (W/kW/MW, Wh/kWh/MWh, Ah/mAh, V/kV), or None when
        the product has no such spec. Ah converts to energy only with `voltage` (V) or the
        product's ``nominal_voltage`` spec; unknown units raise `UnitError` (docs/quantities.md)."""
        from greentrade.model._quantity import spec_quantity  # small module; keeps _products free of it

        return spec_quantity(self, name, unit, voltage=voltage)
