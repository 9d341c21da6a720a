"""Strategies of the value types that dossier format 2 added (footprint details, product
identifiers, source records, methods): what ``st.from_type`` draws for them."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from greentrade.model import (
    BatteryFootprint,
    DeclaredUnit,
    GwpValue,
    LifecycleStageValue,
    ProductIdentifier,
    SourceRecord,
    Verification,
    _codes,
)
from greentrade.model._footprints import DECLARED_UNITS, GWP_INDICATORS, GWP_MODULES
from greentrade.model._standards import Method
from greentrade.testing.strategies._base import texts

__all__ = ["battery_footprints", "declared_units", "gwp_values", "lifecycle_stage_values", "methods",
           "product_identifiers", "source_records", "verifications"]

_METHOD_IDS = ("ghg-protocol-product", "pact", "pef", "catenax-pcf-rulebook", "eu-battery-art7")
_FORMATS = ("pact", "catenax", "batterypass", "openepd", "ilcd-epd")
_VERSIONS = st.none() | st.from_regex(r"[1-9]\.[0-9](\.[0-9])?", fullmatch=True)


def _values(min_value: float | None = None) -> st.SearchStrategy[float]:
    return st.floats(min_value=min_value, max_value=1e6, allow_nan=False, allow_infinity=False)


def declared_units() -> st.SearchStrategy[DeclaredUnit]:
    positive = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False, allow_infinity=False)
    return st.builds(DeclaredUnit, amount=positive, unit=st.sampled_from(DECLARED_UNITS))


def verifications() -> st.SearchStrategy[Verification]:
    return st.builds(
        Verification,
        third_party=st.none() | st.booleans(),
        level=st.sampled_from([None, "limited", "reasonable"]),
        coverage=st.none() | texts(24),
        provider=st.none() | texts(12),
        standard=st.none() | st.sampled_from(["ISO 14064-3:2019", "ISO 14067:2018", "ISAE 3410"]),
        completed=st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)),
    )


def gwp_values() -> st.SearchStrategy[GwpValue]:
    return st.builds(GwpValue, indicator=st.sampled_from(GWP_INDICATORS), module=st.sampled_from(GWP_MODULES),
                     value=_values(-1e6))


def lifecycle_stage_values() -> st.SearchStrategy[LifecycleStageValue]:
    stages = st.sampled_from(["raw material acquisition", "main production", "distribution", "end of life"])
    per_battery = st.builds(LifecycleStageValue, stage=stages | texts(16), kg_co2e=_values(0.0))
    per_kwh = st.builds(LifecycleStageValue, stage=stages | texts(16), kg_co2e_per_kwh=_values(0.0))
    return per_battery | per_kwh


def battery_footprints() -> st.SearchStrategy[BatteryFootprint]:
    return st.builds(
        BatteryFootprint,
        kg_co2e_per_kwh=st.none() | _values(0.0),
        kg_co2e_per_battery=st.none() | _values(0.0),
        performance_class=st.none() | st.sampled_from(["A", "B", "C", "D", "E"]),
        lifecycle_stages=st.lists(lifecycle_stage_values(), max_size=4).map(tuple),
    )


def _gtin(digits: str) -> str:
    return digits + _codes.gs1_check_digit(digits)


def _cas(head: str, mid: str) -> str:
    digits = (head + mid)[::-1]
    check = sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10
    return f"{head}-{mid}-{check}"


def product_identifiers() -> st.SearchStrategy[ProductIdentifier]:
    def make(scheme: str, value: str) -> ProductIdentifier:
        return ProductIdentifier(scheme=scheme, value=value)

    return st.one_of(
        st.from_regex(r"[0-9]{12}", fullmatch=True).map(lambda d: make("gtin", _gtin(d))),
        st.tuples(st.from_regex(r"[1-9][0-9]{1,6}", fullmatch=True), st.from_regex(r"[0-9]{2}", fullmatch=True))
        .map(lambda t: make("cas", _cas(*t))),
        st.from_regex(r"[0-9]{1,5}", fullmatch=True).map(lambda d: make("un-cpc", d)),
        st.from_regex(r"[A-Z0-9][A-Z0-9-]{0,15}", fullmatch=True).map(lambda v: make("mpn", v)),
    )


def source_records() -> st.SearchStrategy[SourceRecord]:
    pointers = st.lists(st.from_regex(r"(/[a-zA-Z0-9]{1,8}){1,3}", fullmatch=True), max_size=3, unique=True)
    return st.builds(SourceRecord, format=st.sampled_from(_FORMATS), version=_VERSIONS,
                     id=st.none() | st.uuids().map(str), unmapped=pointers.map(tuple))


def methods() -> st.SearchStrategy[Method]:
    return st.builds(Method, id=st.sampled_from(_METHOD_IDS), version=_VERSIONS)
