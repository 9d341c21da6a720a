"""Quantities with units: Product.quantity converts among W/kW/MW, Wh/kWh/MWh, Ah to energy only
with a voltage; unknown units are an error."""

from __future__ import annotations

import pytest

from greentrade import Product, Spec
from greentrade.plugin import UnitError, convert


def _battery(*specs: Spec) -> Product:
    return Product(id="B1", model="ESS-5", name="battery", category="energy-storage-battery", hs_code="850760",
                   manufacturer="m", specs=specs)


@pytest.mark.parametrize(("value", "unit", "target", "expected"), [
    (640, "Wh", "kWh", 0.64), (2, "MWh", "kWh", 2000), (0.08, "kW", "W", 80), (1.5, "MW", "kW", 1500),
    (5, "kwh", "Wh", 5000), (60, " W ", "W", 60), (230, "V", "kV", 0.23),
])
def test_convert(value: float, unit: str, target: str, expected: float) -> None:
    assert convert(value, unit, target) == pytest.approx(expected)


def test_quantity_of_a_spec() -> None:
    p = _battery(Spec("capacity", 5120, "Wh"), Spec("power", 2.5, "kW"))
    assert p.quantity("capacity", "kWh") == pytest.approx(5.12)
    assert p.quantity("power", "W") == pytest.approx(2500)
    assert p.quantity("energy", "kWh") is None


def test_ah_needs_a_voltage() -> None:
    p = _battery(Spec("capacity", 100, "Ah"))
    with pytest.raises(UnitError, match="needs a voltage"):
        p.quantity("capacity", "kWh")
    assert p.quantity("capacity", "kWh", voltage=51.2) == pytest.approx(5.12)
    rated = _battery(Spec("capacity", 100, "Ah"), Spec("nominal_voltage", 51.2, "V"))
    assert rated.quantity("capacity", "Wh") == pytest.approx(5120)
    assert rated.quantity("capacity", "Ah") == pytest.approx(100)


@pytest.mark.parametrize(("unit", "target", "message"), [
    ("kWh", "kW", "cannot convert kWh"), ("hp", "W", "unknown unit 'hp'"), ("W", "BTU", "unknown unit 'BTU'"),
    ("kW", "Ah", "cannot convert"),
])
def test_errors(unit: str, target: str, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        convert(1, unit, target)
