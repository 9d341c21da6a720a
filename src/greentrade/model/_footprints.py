"""What carbon footprint declarations and EPDs state (dossier format 2 structures most of it):
declared units, PCF parts, verification, per-module GWP values and battery footprints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import attrs

from greentrade.model._base import FieldError, Period, literal, non_negative, nonempty, optional_literal, positive

__all__ = [
    "DECLARED_UNITS",
    "GWP_INDICATORS",
    "GWP_MODULES",
    "AssuranceLevel",
    "BatteryFootprint",
    "CarbonFootprint",
    "DeclaredUnit",
    "DeclaredUnitName",
    "Epd",
    "GwpIndicator",
    "GwpValue",
    "LifecycleStageValue",
    "SystemBoundary",
    "Verification",
]


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


@attrs.frozen
class DeclaredUnit:
    """A declared unit as amount and unit, e.g. 1 kilogram (format 2)."""

    amount: float = attrs.field(validator=positive)
    unit: DeclaredUnitName = attrs.field(validator=literal(DeclaredUnitName))

    def __str__(self) -> str:
        return f"{self.amount:g} {self.unit}"


@attrs.frozen
class Verification:
    """Verification (assurance) of a footprint: who checked it, to what level, when (format 2)."""

    third_party: bool | None = None
    level: AssuranceLevel | None = attrs.field(default=None, validator=optional_literal(AssuranceLevel))
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
        default=None, kw_only=True, validator=optional_literal(SystemBoundary)
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
    product_mass_per_declared_unit_kg: float | None = attrs.field(default=None, validator=non_negative)
    verification: Verification | None = None


@attrs.frozen
class GwpValue:
    """One global-warming-potential result of an EPD: indicator, life-cycle module, kg CO2e."""

    indicator: GwpIndicator = attrs.field(validator=literal(GwpIndicator))
    module: str = attrs.field(validator=attrs.validators.in_(GWP_MODULES))
    value: float


@attrs.frozen
class Epd:
    """Content of an environmental product declaration (EN 15804 terms)."""

    programme_operator: str | None = attrs.field(
        default=None, kw_only=True, validator=attrs.validators.optional(nonempty)
    )
    pcr: str | None = attrs.field(default=None, kw_only=True, validator=attrs.validators.optional(nonempty))
    declared_unit: str | DeclaredUnit | None = attrs.field(default=None, kw_only=True)
    gwp_a1_a3_kg_co2e: float | None = attrs.field(default=None, kw_only=True)
    registration_number: str | None = None
    #: The impact assessment method, as the source names it (e.g. "EN 15804+A2 / EF 3.1", "TRACI 2.1").
    impact_method: str | None = None
    gwp: tuple[GwpValue, ...] = ()
    verification: Verification | None = None


@attrs.frozen
class LifecycleStageValue:
    """One life-cycle stage's share of a battery's footprint: per battery (``kg_co2e``) or per kWh
    of total energy over the service life (``kg_co2e_per_kwh``, as Battery Pass states it)."""

    stage: str = attrs.field(validator=nonempty)
    kg_co2e: float | None = None
    kg_co2e_per_kwh: float | None = None


@attrs.frozen
class BatteryFootprint:
    """A battery's carbon footprint (Regulation (EU) 2023/1542 Art. 7 and Annex II terms)."""

    kg_co2e_per_kwh: float | None = None
    kg_co2e_per_battery: float | None = None
    performance_class: str | None = None
    lifecycle_stages: tuple[LifecycleStageValue, ...] = ()
