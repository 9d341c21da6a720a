"""Unit spellings that real exchange files use, as data: each maps to the dossier's unit or is refused.

Two tables. `DECLARED_UNITS` maps the spellings of declared (functional) units to the dossier's
declared-unit names; `GWP_UNITS` lists the spellings of "kilogram CO2 equivalent" that EPDs and
footprints write. A spelling that is in neither table is refused by the importer with a note that
names it. No table converts: a spelling for another magnitude (``t CO2e``, ``g``) is listed in
`REFUSED` with the reason, because greentrade converts only by a factor the source itself states
(an ILCD flow property's mean value, a reference flow's amount).

A unit library (pint 0.25.3) was measured for this and not taken: ``import pint`` took 196-275 ms
and import + ``UnitRegistry()`` + one conversion 1.5-2.3 s on the 2-core development machine
(``import greentrade`` takes about 150 ms), and pint does not know the CO2-equivalent spellings
(``kg CO2-Äqv.``, ``kg CO_(2) eqv.``) that are the problem here.
"""

from __future__ import annotations

import re

__all__ = ["DECLARED_UNITS", "GWP_UNITS", "REFUSED", "declared_unit", "gwp_unit", "normalise_unit"]

#: Declared-unit spellings (normalised: lower case, one space) -> the dossier's unit name.
DECLARED_UNITS: dict[str, str] = {
    "liter": "liter", "litre": "liter", "l": "liter", "liters": "liter", "litres": "liter",
    "kilogram": "kilogram", "kilograms": "kilogram", "kg": "kilogram",
    "cubic meter": "cubic meter", "cubic metre": "cubic meter", "cubic meters": "cubic meter",
    "m3": "cubic meter", "m^3": "cubic meter", "m³": "cubic meter", "cbm": "cubic meter",
    "kilowatt hour": "kilowatt hour", "kilowatt-hour": "kilowatt hour", "kwh": "kilowatt hour",
    "megajoule": "megajoule", "mj": "megajoule",
    "ton kilometer": "ton kilometer", "tonne kilometre": "ton kilometer", "tkm": "ton kilometer",
    "t*km": "ton kilometer", "t km": "ton kilometer",
    "square meter": "square meter", "square metre": "square meter", "square meters": "square meter",
    "m2": "square meter", "m^2": "square meter", "m²": "square meter", "qm": "square meter",
    "sqm": "square meter",
    "piece": "piece", "pieces": "piece", "piece(s)": "piece", "pcs": "piece", "pcs.": "piece",
    "pc": "piece", "pc.": "piece", "item": "piece", "items": "piece", "item(s)": "piece",
    "stück": "piece", "stk": "piece", "stk.": "piece", "unit": "piece", "units": "piece",
    "hour": "hour", "hours": "hour", "h": "hour",
    "megabit second": "megabit second",
}

#: Spellings of kilogram CO2 equivalent (normalised) that real files use.
GWP_UNITS: frozenset[str] = frozenset({
    "kg co2e", "kgco2e", "kg co2 e", "kg co2eq", "kg co2 eq", "kg co2 eq.", "kg co2-eq", "kg co2-eq.",
    "kg co2 eqv", "kg co2 eqv.", "kg co2-eqv", "kg co2-eqv.", "kg co2-equiv.", "kg co2 equiv.",
    "kg co2 equivalent", "kg co2-equivalent", "kg co2 equivalents", "kgco2eq", "kgco2-eq", "kgco2eq.",
    "kg co2-äq", "kg co2-äq.", "kg co2-äqv", "kg co2-äqv.", "kg co2 äqv.", "kg co2 äq.", "kg co2-äquiv.",
    "kg co2-aeq.", "kg co2-aequiv.", "kg co2 äquiv.", "kg co2 äquiv", "kg co2-äquiv",
})

#: Spellings that are units the dossier has, but of another magnitude: refused with the reason.
REFUSED: dict[str, str] = {
    "t co2e": "tonnes, not kilograms",
    "t co2 eq": "tonnes, not kilograms",
    "t co2-eq.": "tonnes, not kilograms",
    "tco2e": "tonnes, not kilograms",
    "g co2e": "grams, not kilograms",
    "g co2 eq": "grams, not kilograms",
    "t": "tonnes: the dossier's mass unit is the kilogram",
    "g": "grams: the dossier's mass unit is the kilogram",
    "kwh/kg": "a ratio, not a declared unit",
}

_SUBSCRIPT = str.maketrans({"₂": "2", "\u00a0": " "})


def normalise_unit(text: str) -> str:
    """Lower case, one space, subscript two and the ILCD ``CO_(2)`` / ``CO_2`` markup read as CO2."""
    s = text.translate(_SUBSCRIPT)
    s = re.sub(r"CO_?\(?2\)?", "CO2", s, flags=re.IGNORECASE)
    s = re.sub(r"CO\s*2", "CO2", s, flags=re.IGNORECASE)
    return " ".join(s.strip().split()).lower()


def declared_unit(text: str) -> str | None:
    """The dossier's declared-unit name for a spelling, or None."""
    return DECLARED_UNITS.get(normalise_unit(text))


def gwp_unit(text: object) -> str | None:
    """None when `text` spells kg CO2e; else the reason it is refused (naming the spelling)."""
    if not isinstance(text, str) or not text.strip():
        return "no unit is stated"
    s = normalise_unit(text)
    if s in GWP_UNITS:
        return None
    why = REFUSED.get(s)
    return f"unit {text!r} is {why}" if why else f"unit {text!r} is not one greentrade reads as kg CO2e"
