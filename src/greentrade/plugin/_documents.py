"""What a carbon footprint states, in the one form dossier format 1 and format 2 share."""

from __future__ import annotations

from greentrade.model import CarbonFootprint

__all__ = ["declared_unit_text", "footprint_values"]

#: The GHG values a carbon footprint may state: format 1 states ``ghg_kg_co2e``; format 2 may
#: state the PCF including and excluding biogenic CO2 uptake instead (kg CO2e per declared unit).
_FOOTPRINT_VALUES: tuple[str, ...] = ("ghg_kg_co2e", "pcf_including_biogenic", "pcf_excluding_biogenic")


def declared_unit_text(cf: CarbonFootprint) -> str:
    """The declared unit as text (format 1 writes text, format 2 may give amount and unit:
    ``"1 luminaire"``); empty when none is stated."""
    unit = cf.declared_unit
    return "" if unit is None else str(unit).strip()


def footprint_values(cf: CarbonFootprint) -> list[tuple[str, float]]:
    """The GHG values the footprint states, with their field names, in the order
    ``ghg_kg_co2e``, ``pcf_including_biogenic``, ``pcf_excluding_biogenic``."""
    return [(n, v) for n in _FOOTPRINT_VALUES if (v := getattr(cf, n, None)) is not None]
