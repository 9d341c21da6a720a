"""Typed entities of a dossier: parties, products, documents, shipments.

Every entity is a frozen, slotted attrs class validated when built: codes are checked
against their standards (ISO 3166-1, ISO 4217, UN/LOCODE syntax, HS 2022, GB 32100 and
ISO 17442 check characters), dates are real dates and date ranges are ordered. Entities
refer to each other by id; `Dossier` checks that the references resolve.

Dossier format 2 adds structured data that exchange formats carry (a declared unit as amount
and unit, PCF parts, verification, per-module GWP, battery footprints, product identifiers,
methods that are not standards, the `SourceRecord` of an imported entity) and makes optional
what a real source may lack (a document's issuer, holder, issue date and status, a party's
country, a product's HS code and category). Format-1 dossiers still require those: the
dossier schema of each format says which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, Literal

import attrs

from greentrade.model import _codes
from greentrade.model._standards import Method, StandardDesignator

__all__ = [
    "DECLARED_UNITS",
    "DOCUMENT_STATUSES",
    "DOCUMENT_TYPES",
    "GWP_INDICATORS",
    "GWP_MODULES",
    "PARTY_ROLES",
    "Accreditation",
    "BatteryFootprint",
    "CarbonFootprint",
    "CoveredProduct",
    "DeclaredUnit",
    "Document",
    "Dossier",
    "Epd",
    "FieldError",
    "GwpValue",
    "Identifier",
    "LifecycleStageValue",
    "Method",
    "Party",
    "Period",
    "Product",
    "ProductIdentifier",
    "Promise",
    "RequiredDocument",
    "Shipment",
    "ShipmentLine",
    "Site",
    "SourceRecord",
    "Spec",
    "Tender",
    "TenderItem",
    "Verification",
]

Role = Literal["exporter", "manufacturer", "buyer", "certification-body", "accreditation-body"]
PARTY_ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]
DocumentType = Literal[
    "carbon-footprint-declaration",
    "certificate",
    "epd",
    "test-report",
    "factory-audit",
    "declaration-of-conformity",
]
DOCUMENT_TYPES: tuple[str, ...] = DocumentType.__args__  # type: ignore[attr-defined]
DocumentStatus = Literal["valid", "suspended", "withdrawn"]
DOCUMENT_STATUSES: tuple[str, ...] = DocumentStatus.__args__  # type: ignore[attr-defined]
SystemBoundary = Literal["cradle-to-gate", "cradle-to-grave", "gate-to-gate", "cradle-to-gate-with-options"]
#: Declared units of PACT (Technical Specifications v2 and v3) and Catena-X.
DeclaredUnitName = Literal[
    "liter", "kilogram", "cubic meter", "kilowatt hour", "megajoule", "ton kilometer", "square meter",
    "piece", "hour", "megabit second",
]
DECLARED_UNITS: tuple[str, ...] = DeclaredUnitName.__args__  # type: ignore[attr-defined]
GwpIndicator = Literal["total", "fossil", "biogenic", "luluc"]
GWP_INDICATORS: tuple[str, ...] = GwpIndicator.__args__  # type: ignore[attr-defined]
#: EN 15804 life-cycle modules (and the usual aggregates A1-A3 and C1-C4).
GWP_MODULES: tuple[str, ...] = (
    "A1-A3", "A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "B5", "B6", "B7",
    "C1-C4", "C1", "C2", "C3", "C4", "D",
)
AssuranceLevel = Literal["limited", "reasonable"]


class FieldError(ValueError):
    """A validation error that names the offending field, so that it can be located."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _code(check: Callable[[str], str | None]) -> Callable[[Any, attrs.Attribute[Any], str], None]:
    def validate(_inst: Any, attr: attrs.Attribute[Any], value: str) -> None:
        if not isinstance(value, str):
            raise FieldError(attr.name, f"{attr.name} must be a string, got {type(value).__name__}")
        problem = check(value)
        if problem:
            raise FieldError(attr.name, problem)

    return validate


def _optional_code(check: Callable[[str], str | None]) -> Callable[[Any, attrs.Attribute[Any], str | None], None]:
    inner = _code(check)

    def validate(inst: Any, attr: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None:
            inner(inst, attr, value)

    return validate


def _nonempty(_inst: Any, attr: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise FieldError(attr.name, f"{attr.name} must be a non-empty string")


def _literal(lit: Any) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    allowed = lit.__args__

    def validate(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if value not in allowed:
            raise FieldError(attr.name, f"{attr.name} {value!r} is not one of {', '.join(allowed)}")

    return validate


def _each(check: Callable[[Any, attrs.Attribute[Any], Any], None]) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def validate(inst: Any, attr: attrs.Attribute[Any], values: Any) -> None:
        for v in values:
            check(inst, attr, v)

    return validate


def _positive(_inst: Any, attr: attrs.Attribute[Any], value: float) -> None:
    if not value > 0:
        raise FieldError(attr.name, f"{attr.name} must be greater than 0, got {value}")


def _non_negative(_inst: Any, attr: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not value >= 0:
        raise FieldError(attr.name, f"{attr.name} must not be negative, got {value}")


@attrs.frozen
class Period:
    """A closed date range; either end may be open (None)."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise FieldError("end", f"period ends ({self.end}) before it starts ({self.start})")

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@attrs.frozen
class Identifier:
    """A party identifier; ``uscc`` and ``lei`` values are checked with their algorithms."""

    scheme: str = attrs.field(validator=_nonempty)
    value: str = attrs.field(validator=_nonempty)

    def __attrs_post_init__(self) -> None:
        problem = _codes.check_identifier(self.scheme, self.value)
        if problem:
            raise FieldError("value", problem)


@attrs.frozen
class ProductIdentifier:
    """A product identifier (format 2): ``gtin`` and ``cas`` values are checked with their check
    digits, ``un-cpc`` as 1-5 digits, ``urn`` as RFC 8141 syntax; ``mpn`` and other schemes as text."""

    scheme: str = attrs.field(validator=_nonempty)
    value: str = attrs.field(validator=_nonempty)

    def __attrs_post_init__(self) -> None:
        problem = _codes.check_product_identifier(self.scheme, self.value)
        if problem:
            raise FieldError("value", problem)


@attrs.frozen
class Accreditation:
    """A certification body's accreditation by an accreditation body (a party id)."""

    accreditation_body: str = attrs.field(validator=_nonempty)
    standard: StandardDesignator
    valid_from: dt.date
    valid_until: dt.date
    iaf_mla_signatory: bool
    scope: str = ""
    number: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.valid_until < self.valid_from:
            raise FieldError(
                "valid_until", f"valid_until ({self.valid_until}) is before valid_from ({self.valid_from})"
            )

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until


@attrs.frozen
class Site:
    """A manufacturing site of a party."""

    id: str = attrs.field(validator=_nonempty)
    name: str = attrs.field(validator=_nonempty)
    country: str = attrs.field(validator=_code(_codes.check_country))
    region: str | None = None
    address: str | None = None


@attrs.frozen
class SourceRecord:
    """Where an imported entity came from (dossier format 2).

    ``unmapped`` holds the JSON Pointers (into the source file) of the fields that found no home
    in the dossier: the import is lossless for this entity when it is empty.
    """

    format: str = attrs.field(validator=_nonempty)
    version: str | None = None
    id: str | None = None
    unmapped: tuple[str, ...] = ()


@attrs.frozen
class Party:
    id: str = attrs.field(validator=_nonempty)
    #: Required in format 1; a source may lack it in format 2.
    name: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(_nonempty))
    #: Required in format 1; a source may lack it in format 2 (never guessed).
    country: str | None = attrs.field(default=None, kw_only=True, validator=_optional_code(_codes.check_country))
    roles: tuple[Role, ...] = attrs.field(default=(), validator=_each(_literal(Role)))
    identifiers: tuple[Identifier, ...] = ()
    accreditations: tuple[Accreditation, ...] = ()
    sites: tuple[Site, ...] = ()
    source: SourceRecord | None = None

    def has_role(self, role: str) -> bool:
        return role in self.roles


@attrs.frozen
class Spec:
    """A technical specification value with its unit, e.g. ``power 60 W``."""

    name: str = attrs.field(validator=_nonempty)
    value: float
    unit: str = attrs.field(validator=_nonempty)


@attrs.frozen
class Product:
    """A product; in format 2 only the id is required, the rest as far as a source states it."""

    id: str = attrs.field(validator=_nonempty)
    model: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(_nonempty))
    name: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(_nonempty))
    category: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(_nonempty))
    hs_code: str | None = attrs.field(default=None, kw_only=True, validator=_optional_code(_codes.check_hs_code))
    manufacturer: str | None = attrs.field(
        default=None, kw_only=True, validator=attrs.validators.optional(_nonempty)
    )
    manufacturing_site: str | None = None
    specs: tuple[Spec, ...] = ()
    identifiers: tuple[ProductIdentifier, ...] = ()
    description: str | None = None
    source: SourceRecord | None = None

    def spec(self, name: str) -> Spec | None:
        return next((s for s in self.specs if s.name == name), None)

    def quantity(self, name: str, unit: str, *, voltage: float | None = None) -> float | None:
        """The spec `name` converted to `unit` (W/kW/MW, Wh/kWh/MWh, Ah/mAh, V/kV), or None when
        the product has no such spec. Ah converts to energy only with `voltage` (V) or the
        product's ``nominal_voltage`` spec; unknown units raise `UnitError` (docs/quantities.md)."""
        from greentrade.model._quantity import spec_quantity  # small module; keeps _model free of it

        return spec_quantity(self, name, unit, voltage=voltage)


@attrs.frozen
class DeclaredUnit:
    """A declared unit as amount and unit, e.g. 1 kilogram (format 2)."""

    amount: float = attrs.field(validator=_positive)
    unit: DeclaredUnitName = attrs.field(validator=_literal(DeclaredUnitName))

    def __str__(self) -> str:
        return f"{self.amount:g} {self.unit}"


def _optional_literal(lit: Any) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    inner = _literal(lit)

    def validate(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            inner(inst, attr, value)

    return validate


@attrs.frozen
class Verification:
    """Verification (assurance) of a footprint: who checked it, to what level, when (format 2)."""

    third_party: bool | None = None
    level: AssuranceLevel | None = attrs.field(default=None, validator=_optional_literal(AssuranceLevel))
    coverage: str | None = None
    #: The verifying party (an id in the dossier).
    provider: str | None = None
    #: The standard or scheme the verification followed, as the source names it.
    standard: str | None = None
    completed: dt.date | None = None


_CHARACTERIZATION = ("AR4", "AR5", "AR6")


def _characterization(_inst: Any, attr: attrs.Attribute[Any], values: Any) -> None:
    for v in values:
        if v not in _CHARACTERIZATION:
            raise FieldError(attr.name, f"{v!r} is not an IPCC assessment report ({', '.join(_CHARACTERIZATION)})")


def _percent(_inst: Any, attr: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not 0 <= value <= 100:
        raise FieldError(attr.name, f"{attr.name} must be a percentage from 0 to 100, got {value}")


@attrs.frozen
class CarbonFootprint:
    """Content of a carbon footprint declaration (ISO 14067 terms).

    Format 1 requires the first four fields. Format 2 adds the structured fields below, each
    per declared unit in kg CO2e (carbon contents in kg C), and makes every field optional.
    """

    declared_unit: str | DeclaredUnit | None = attrs.field(default=None, kw_only=True)
    ghg_kg_co2e: float | None = attrs.field(default=None, kw_only=True)
    system_boundary: SystemBoundary | None = attrs.field(
        default=None, kw_only=True, validator=_optional_literal(SystemBoundary)
    )
    third_party_verified: bool | None = attrs.field(default=None, kw_only=True)
    reference_period: Period | None = None
    verifier: str | None = None
    pcf_excluding_biogenic: float | None = None
    pcf_including_biogenic: float | None = None
    fossil_ghg_emissions: float | None = None
    fossil_carbon_content: float | None = None
    biogenic_carbon_content: float | None = None
    biogenic_co2_uptake: float | None = None
    biogenic_non_co2_emissions: float | None = None
    land_use_change_ghg_emissions: float | None = None
    aircraft_ghg_emissions: float | None = None
    packaging_emissions_included: bool | None = None
    packaging_ghg_emissions: float | None = None
    characterization_factors: tuple[str, ...] = attrs.field(default=(), validator=_characterization)
    primary_data_share: float | None = attrs.field(default=None, validator=_percent)
    exempted_emissions_percent: float | None = attrs.field(default=None, validator=_percent)
    product_mass_per_declared_unit_kg: float | None = attrs.field(default=None, validator=_non_negative)
    verification: Verification | None = None


@attrs.frozen
class GwpValue:
    """One global-warming-potential result of an EPD: indicator, life-cycle module, kg CO2e."""

    indicator: GwpIndicator = attrs.field(validator=_literal(GwpIndicator))
    module: str = attrs.field(validator=attrs.validators.in_(GWP_MODULES))
    value: float


@attrs.frozen
class Epd:
    """Content of an environmental product declaration (EN 15804 terms)."""

    programme_operator: str | None = attrs.field(
        default=None, kw_only=True, validator=attrs.validators.optional(_nonempty)
    )
    pcr: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(_nonempty))
    declared_unit: str | DeclaredUnit | None = attrs.field(default=None, kw_only=True)
    gwp_a1_a3_kg_co2e: float | None = attrs.field(default=None, kw_only=True)
    registration_number: str | None = None
    #: The impact assessment method, as the source names it (e.g. "EN 15804+A2 / EF 3.1", "TRACI 2.1").
    impact_method: str | None = None
    gwp: tuple[GwpValue, ...] = ()
    verification: Verification | None = None


@attrs.frozen
class LifecycleStageValue:
    stage: str = attrs.field(validator=_nonempty)
    kg_co2e: float


@attrs.frozen
class BatteryFootprint:
    """A battery's carbon footprint (Regulation (EU) 2023/1542 Art. 7 and Annex II terms)."""

    kg_co2e_per_kwh: float | None = None
    kg_co2e_per_battery: float | None = None
    performance_class: str | None = None
    lifecycle_stages: tuple[LifecycleStageValue, ...] = ()


@attrs.frozen
class CoveredProduct:
    """A product a document covers, with the model, HS code and specs as the document states them."""

    product: str = attrs.field(validator=_nonempty)
    model: str | None = None
    hs_code: str | None = attrs.field(default=None, validator=_optional_code(_codes.check_hs_code))
    specs: tuple[Spec, ...] = ()

    def spec(self, name: str) -> Spec | None:
        return next((s for s in self.specs if s.name == name), None)


@attrs.frozen
class Document:
    id: str = attrs.field(validator=_nonempty)
    type: DocumentType = attrs.field(validator=_literal(DocumentType))
    standards: tuple[StandardDesignator, ...] = attrs.field(default=(), kw_only=True)
    #: Issuer, holder, issue date and status are required in format 1 and optional in format 2.
    issuer: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(_nonempty))
    holder: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(_nonempty))
    issue_date: dt.date | None = attrs.field(default=None, kw_only=True)
    status: DocumentStatus | None = attrs.field(
        default=None, kw_only=True, validator=_optional_literal(DocumentStatus)
    )
    products: tuple[CoveredProduct, ...] = ()
    valid_until: dt.date | None = None
    number: str | None = None
    scope: str | None = None
    sites: tuple[str, ...] = ()
    carbon_footprint: CarbonFootprint | None = None
    epd: Epd | None = None
    valid_from: dt.date | None = None
    url: str | None = attrs.field(default=None, validator=attrs.validators.optional(_nonempty))
    #: BCP 47 language tag of the document, e.g. "en", "de".
    language: str | None = attrs.field(default=None, validator=attrs.validators.optional(_nonempty))
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


@attrs.frozen
class ShipmentLine:
    id: str = attrs.field(validator=_nonempty)
    product: str = attrs.field(validator=_nonempty)
    quantity: float = attrs.field(validator=_positive)
    unit: str = attrs.field(validator=_nonempty)
    hs_code: str = attrs.field(validator=_code(_codes.check_hs_code))
    value: float | None = attrs.field(default=None, validator=_non_negative)
    currency: str | None = attrs.field(default=None, validator=_optional_code(_codes.check_currency))

    def __attrs_post_init__(self) -> None:
        if (self.value is None) != (self.currency is None):
            missing = "currency" if self.currency is None else "value"
            raise FieldError(missing, "value and currency go together: give both or neither")


@attrs.frozen
class Shipment:
    id: str = attrs.field(validator=_nonempty)
    exporter: str = attrs.field(validator=_nonempty)
    port_of_export: str = attrs.field(validator=_code(_codes.check_locode))
    destination_country: str = attrs.field(validator=_code(_codes.check_country))
    ship_date: dt.date
    lines: tuple[ShipmentLine, ...]
    documents: tuple[str, ...] = ()
    buyer: str | None = None


@attrs.frozen
class TenderItem:
    """A product the exporter offers in a tender, with the quantity asked for."""

    product: str = attrs.field(validator=_nonempty)
    quantity: float = attrs.field(validator=_positive)
    unit: str = attrs.field(validator=_nonempty)


@attrs.frozen
class RequiredDocument:
    """A document the buyer's tender asks for, with the standards as the buyer wrote them."""

    type: DocumentType = attrs.field(validator=_literal(DocumentType))
    standards: tuple[StandardDesignator, ...] = ()
    products: tuple[str, ...] = ()
    note: str | None = None


@attrs.frozen
class Promise:
    """A delivery promise the exporter intends to make that relies on a program."""

    program: str = attrs.field(validator=_nonempty)
    claim: str = attrs.field(validator=_nonempty)


@attrs.frozen
class Tender:
    """A buyer's call for bids and the exporter's intended offer."""

    id: str = attrs.field(validator=_nonempty)
    buyer: str = attrs.field(validator=_nonempty)
    country: str = attrs.field(validator=_code(_codes.check_country))
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


@attrs.frozen
class Dossier:
    """The unit of validation: everything a host hands to the engine at once."""

    parties: tuple[Party, ...] = ()
    products: tuple[Product, ...] = ()
    documents: tuple[Document, ...] = ()
    shipments: tuple[Shipment, ...] = ()
    tenders: tuple[Tender, ...] = ()
    format: str = "greentrade.dossier/1"
    _index: dict[str, dict[str, Any]] = attrs.field(init=False, eq=False, repr=False, alias="_index")

    def __attrs_post_init__(self) -> None:
        index: dict[str, dict[str, Any]] = {}
        for kind in ("parties", "products", "documents", "shipments", "tenders"):
            index[kind] = {e.id: e for e in getattr(self, kind)}
        index["sites"] = {s.id: s for p in self.parties for s in p.sites}
        object.__setattr__(self, "_index", index)

    def party(self, id: str) -> Party | None:
        return self._index["parties"].get(id)

    def product(self, id: str) -> Product | None:
        return self._index["products"].get(id)

    def document(self, id: str) -> Document | None:
        return self._index["documents"].get(id)

    def shipment(self, id: str) -> Shipment | None:
        return self._index["shipments"].get(id)

    def tender(self, id: str) -> Tender | None:
        return self._index["tenders"].get(id)

    def site(self, id: str) -> Site | None:
        return self._index["sites"].get(id)

    def shipment_documents(self, shipment: Shipment) -> Iterator[Document]:
        for doc_id in shipment.documents:
            doc = self.document(doc_id)
            if doc is not None:
                yield doc
