"""Issue #20, item 1: values intact, provably. For drawn source documents of every format:

- every mapped value is found in the dossier, with its unit (the only conversions are the ones a
  source states: an ILCD flow property's mean value, PACT's exclusive ends);
- every source field without a home (drawn extra fields, wherever they sit) is in the loss list;
- nothing in the dossier is absent from the source and the options: every number and text the
  import writes is one the source states (or an id, format name or code word of the importer).

The documents are drawn from each format's field lists (PACT v2/v3, Catena-X flat 7 and nested
10, openEPD, ILCD+EPD, Battery Pass CarbonFootprint 1.2.0), starting from the shipped fixtures.
"""

import contextlib
import copy
import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from greentrade.importers import (
    import_batterypass,
    import_catenax,
    import_ilcd,
    import_openepd,
    import_pact,
)
from greentrade.importers._units import DECLARED_UNITS, GWP_UNITS

FIX = Path(__file__).resolve().parent / "fixtures" / "interop"
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
amounts = st.floats(min_value=0.001, max_value=1e4, allow_nan=False, allow_infinity=False)
percent = st.floats(min_value=0, max_value=100, allow_nan=False)
days = st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2040, 12, 31))
times = st.sampled_from(["T00:00:00Z", "T12:30:00Z", "T23:59:59Z", "T00:00:00+08:00"])
names = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs")), min_size=2, max_size=20).map(
    lambda s: s.strip() or "x").filter(lambda s: len(s) >= 2)
extra_keys = st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8).map(lambda s: "zz" + s)
extra_values = st.one_of(names, st.integers(-1000, 1000), st.lists(names, min_size=1, max_size=2))
extras = st.dictionaries(extra_keys, extra_values, min_size=1, max_size=3)


def _load(path):
    return json.loads(path.read_text("utf-8"))


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    else:
        yield path, node


def _ptr(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _in_loss_list(result, path):
    """The pointer, or a subtree that contains it, is in the loss list."""
    lost = {n.pointer for n in result.unmapped}
    p = _ptr(path)
    return any(p == q or p.startswith(q + "/") for q in lost)


def _nothing_invented(result, source, allowed=()):
    """Every number and text of the dossier is stated by the source (or is an importer's own word)."""
    stated_numbers, stated_texts = set(), set()
    for path, v in _leaves(source):
        stated_texts.update(k for k in path if isinstance(k, str))  # keys name things too (openEPD's methods)
        if isinstance(v, bool):
            continue
        if isinstance(v, int | float):
            stated_numbers.add(float(v))
        elif isinstance(v, str):
            stated_texts.add(v.strip())
            with contextlib.suppress(ValueError):
                stated_numbers.add(float(v))
    stated_numbers |= {float(a) for a in allowed if isinstance(a, int | float)}
    texts = " ".join(stated_texts)
    for path, v in _leaves(result.dossier):
        if path[-2:-1] == ("unmapped",) or (len(path) >= 2 and path[-2] == "source"):
            continue
        if isinstance(v, bool):
            continue
        if isinstance(v, int | float):
            assert float(v) in stated_numbers, (path, v)
        elif isinstance(v, str) and path[-1] not in ("id", "product", "holder", "issuer", "provider", "manufacturer",
                                                     "format"):
            ok = (v in stated_texts or v in texts or v in allowed or _is_day(v) or _vocabulary(path, v)
                  or (path[-2] == "standards" and _designator_stated(v, texts)))
            assert ok, (path, v)


def _designator_stated(v, texts):
    """A standard in canonical form ("ISO 14067") of a designator the source spells ("ISO Standard 14067")."""
    import re

    number = re.search(r"[0-9]{3,}", v)
    return number is not None and number.group(0) in texts


def _is_day(v):
    try:
        dt.date.fromisoformat(v)
    except ValueError:
        return False
    return len(v) == 10


_WORDS = {"carbon-footprint-declaration", "epd", "valid", "withdrawn", "total", "fossil", "biogenic", "luluc",
          "cradle-to-gate", "cradle-to-grave", "greentrade.dossier/2", "EN 15804+A1", "EN 15804+A2",
          "data-set-owner", "commissioner", "lca-practitioner", "certification-body", "manufacturer",
          "gtin", "urn", "other", "un-cpc", "sku", "web-domain", "eu-battery-art7", "ghg-protocol-product", "pact",
          "pef", "catenax-pcf-rulebook", "AR4", "AR5", "AR6", *DECLARED_UNITS.values()}


def _vocabulary(path, v):
    return v in _WORDS or path[-1] in ("scheme", "id", "module", "version")


def _end(day, time):
    """PACT's exclusive end as the dossier's last day."""
    return (day - dt.timedelta(days=1)) if time.startswith("T00:00:00") else day


# -- PACT -----------------------------------------------------------------------------------------------
@st.composite
def pact_footprints(draw):
    v3 = draw(st.booleans())
    pf = _load(FIX / "pact" / ("pact-v3-synthetic.json" if v3 else "pact-v2-synthetic.json"))
    unit_spelling = draw(st.sampled_from(["liter", "kilogram", "kilowatt hour", "piece", "square meter"]))
    values = {k: draw(numbers) for k in ("excl", "incl", "fossil")}
    amount = draw(amounts)
    start = draw(days)
    end, end_time = start + dt.timedelta(days=draw(st.integers(1, 2000))), draw(times)
    pcf = pf["pcf"]
    unit_key, amount_key = (("declaredUnitOfMeasurement", "declaredUnitAmount") if v3
                            else ("declaredUnit", "unitaryProductAmount"))
    pcf[unit_key], pcf[amount_key] = unit_spelling, repr(amount)
    excl, incl = ("pcfExcludingBiogenicUptake", "pcfIncludingBiogenicUptake") if v3 else \
        ("pCfExcludingBiogenic", "pCfIncludingBiogenic")
    pcf[excl], pcf[incl], pcf["fossilGhgEmissions"] = repr(values["excl"]), repr(values["incl"]), repr(values["fossil"])
    pcf["primaryDataShare"] = draw(percent)
    pcf["referencePeriodStart"] = start.isoformat() + "T00:00:00Z"
    pcf["referencePeriodEnd"] = end.isoformat() + end_time
    pf["validityPeriodStart"] = pf["created"] = start.isoformat() + "T00:00:00Z"
    pf["validityPeriodEnd"] = end.isoformat() + end_time
    pf["productNameCompany"], pf["companyName"] = draw(names), draw(names)
    top, inner = draw(extras), draw(extras)
    pf.update(top)
    pcf.update(inner)
    expected = {"declared_unit": {"amount": amount, "unit": unit_spelling}, "pcf_excluding_biogenic": values["excl"],
                "pcf_including_biogenic": values["incl"], "fossil_ghg_emissions": values["fossil"],
                "primary_data_share": pcf["primaryDataShare"],
                "reference_period": {"start": start.isoformat(), "end": _end(end, end_time).isoformat()}}
    lost = [(k,) for k in top] + [("pcf", k) for k in inner]
    return pf, expected, _end(end, end_time).isoformat(), lost


@SETTINGS
@given(pact_footprints())
def test_pact_values_intact(case):
    pf, expected, last_day, lost = case
    result = import_pact(copy.deepcopy(pf))
    assert result.ok, [str(n) for n in result.notes if n.severity == "error"]
    (doc,) = result.dossier["documents"]
    cf = doc["carbon_footprint"]
    assert {k: cf.get(k) for k in expected} == expected
    assert doc["valid_until"] == last_day
    assert all(_in_loss_list(result, p) for p in lost)
    _nothing_invented(result, pf)


# -- Catena-X -------------------------------------------------------------------------------------------
@st.composite
def catenax_footprints(draw):
    nested = draw(st.booleans())
    amount, excl, fossil = draw(amounts), draw(numbers), draw(numbers)
    unit = draw(st.sampled_from(["liter", "kilogram", "piece"]))
    if nested:
        data = _load(FIX / "synthetic" / "catenax-pcf-10-style.json")
        info = data["companyAndProductInformation"][0]["productInformation"][0]
        info["declaredUnitOfMeasurement"], info["declaredUnitAmount"] = unit, amount
        stage = data["productLifeCycleStagesAndEmissions"][0]["productionStage"][0]
        stage["pcfExcludingBiogenicUptake"], stage["fossilGhgEmissions"] = excl, fossil
        where = data["general"][0]
        lost_root: tuple = ("general", 0)
    else:
        data = _load(FIX / "synthetic" / "catenax-pcf-7-style.json")
        pcf = data["pcf"]
        pcf["declaredUnit"], pcf["unitaryProductAmount"] = unit, amount
        pcf["pcfExcludingBiogenic"], pcf["fossilGhgEmissions"] = excl, fossil
        where = pcf
        lost_root = ("pcf",)
    more = draw(extras)
    where.update(more)
    expected = {"declared_unit": {"amount": amount, "unit": unit}, "pcf_excluding_biogenic": excl,
                "fossil_ghg_emissions": fossil}
    return data, expected, [(*lost_root, k) for k in more]


@SETTINGS
@given(catenax_footprints())
def test_catenax_values_intact(case):
    data, expected, lost = case
    result = import_catenax(copy.deepcopy(data))
    assert result.ok, [str(n) for n in result.notes if n.severity == "error"]
    cf = result.dossier["documents"][0]["carbon_footprint"]
    assert {k: cf.get(k) for k in expected} == expected
    assert all(_in_loss_list(result, p) for p in lost)
    _nothing_invented(result, data)


# -- openEPD --------------------------------------------------------------------------------------------
@st.composite
def openepd_documents(draw):
    epd = _load(FIX / "openepd" / "epd.json")
    qty, gwp = draw(amounts), draw(numbers)
    unit = draw(st.sampled_from(["kg", "m3", "m2", "t"]))
    epd["declared_unit"] = {"qty": qty, "unit": unit}
    method = next(iter(epd["impacts"]))
    epd["impacts"][method]["gwp"]["A1A2A3"]["mean"] = gwp
    epd["impacts"][method]["gwp"]["A1A2A3"]["unit"] = draw(st.sampled_from(["kgCO2e", "kg CO2e"]))
    epd["product_name"] = draw(names)
    more = dict(draw(extras))
    epd.update(more)
    return epd, qty, unit, gwp, [(k,) for k in more]


@SETTINGS
@given(openepd_documents())
def test_openepd_values_intact(case):
    epd, qty, unit, gwp, lost = case
    result = import_openepd(copy.deepcopy(epd))
    assert result.ok, [str(n) for n in result.notes if n.severity == "error"]
    out = result.dossier["documents"][0]["epd"]
    name = DECLARED_UNITS.get(unit)
    assert out["declared_unit"] == ({"amount": qty, "unit": name} if name else f"{qty} {unit}")
    assert out["gwp"] == [{"indicator": "total", "module": "A1-A3", "value": gwp}]
    assert all(_in_loss_list(result, p) for p in lost)
    _nothing_invented(result, epd, allowed=(f"{qty} {unit}",))


# -- ILCD+EPD -------------------------------------------------------------------------------------------
@st.composite
def ilcd_data_sets(draw):
    data = _load(FIX / "synthetic" / "ilcd-epd-a1-tonne.json")
    mean_amount, factor = draw(amounts), draw(st.sampled_from([1.0, 1000.0, 0.5, 2.5]))
    ex = data["exchanges"]["exchange"][0]
    ex["meanAmount"] = mean_amount
    ex.pop("resultingflowAmount")
    spellings = [(k, v) for k, v in DECLARED_UNITS.items() if k in ("kg", "m3", "qm", "pcs.")]
    spelling, unit = draw(st.sampled_from(spellings))
    prop = ex["flowProperties"][1]
    prop["meanValue"], prop["referenceUnit"] = factor, spelling
    a2 = draw(st.booleans())
    result = data["LCIAResults"]["LCIAResult"][0]
    result["referenceToLCIAMethodDataSet"]["shortDescription"][0]["value"] = (
        "Global Warming Potential total (GWP-total)" if a2 else "Global warming potential (GWP)")
    result["other"]["anies"][0]["value"]["shortDescription"][0]["value"] = draw(st.sampled_from(sorted(GWP_UNITS)))
    modules = draw(st.lists(st.sampled_from(["A1-A3", "A4", "A5", "B1", "C1", "C2", "C3", "C4", "D"]), min_size=1,
                            max_size=5, unique=True))
    values = [draw(numbers) for _ in modules]
    result["other"]["anies"][1:] = [{"value": repr(v), "module": m} for m, v in zip(modules, values, strict=True)]
    more = draw(extras)
    data["processInformation"].update(more)
    gwp = [{"indicator": "total", "module": m, "value": v} for m, v in zip(modules, values, strict=True)]
    return data, {"amount": mean_amount * factor, "unit": unit}, gwp, "EN 15804+A2" if a2 else "EN 15804+A1", \
        [("processInformation", k) for k in more], mean_amount * factor


@SETTINGS
@given(ilcd_data_sets())
def test_ilcd_values_intact(case):
    data, declared, gwp, edition, lost, converted = case
    result = import_ilcd(copy.deepcopy(data))
    assert result.ok
    epd = result.dossier["documents"][0]["epd"]
    assert epd["declared_unit"] == declared  # the reference flow's amount x its property's stated factor
    assert epd["gwp"] == gwp and epd["impact_method"] == edition
    assert all(_in_loss_list(result, p) for p in lost)
    _nothing_invented(result, data, allowed=(converted,))


# -- Battery Pass -----------------------------------------------------------------------------------------
@st.composite
def battery_footprints(draw):
    data = _load(FIX / "synthetic" / "batterypass-carbonfootprint-values.json")
    per_kwh, absolute = draw(numbers), draw(numbers)
    data["batteryCarbonFootprint"], data["absoluteCarbonFootprint"] = per_kwh, absolute
    stages = [draw(numbers) for _ in data["carbonFootprintPerLifecycleStage"]]
    for item, v in zip(data["carbonFootprintPerLifecycleStage"], stages, strict=True):
        item["carbonFootprint"] = v
    data["carbonFootprintPerformanceClass"] = draw(st.sampled_from(["A", "B", "C"]))
    return data, per_kwh, absolute, stages


@SETTINGS
@given(battery_footprints())
def test_batterypass_values_intact(case):
    data, per_kwh, absolute, stages = case
    result = import_batterypass(copy.deepcopy(data))
    assert result.ok
    battery = result.dossier["documents"][0]["battery"]
    assert (battery["kg_co2e_per_kwh"], battery["kg_co2e_per_battery"]) == (per_kwh, absolute)
    assert [s["kg_co2e_per_kwh"] for s in battery["lifecycle_stages"]] == stages  # same unit as the total
    assert result.lossless
    _nothing_invented(result, data)
