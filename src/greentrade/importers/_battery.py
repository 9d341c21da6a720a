"""Battery Pass importer: the carbon-footprint aspect (io.BatteryPass.CarbonFootprint 1.x) and the
general product information aspect (io.BatteryPass.GeneralProductInformation 1.x).

The carbon-footprint aspect carries the values of the carbon footprint declaration of
Regulation (EU) 2023/1542 (the schema's own description says so), so the imported document
records the Art. 7 method. Battery Pass publishes its examples in UTF-16 with generated values
such as -1.7976931348623157E308: those are rejected as sentinels, never imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from greentrade.importers._base import ImportError_, ImportNote, Source, bundled_schema, pointer, schema_notes
from greentrade.importers._builder import Builder
from greentrade.importers._detect import refusal
from greentrade.importers._pcf import identifiers

__all__ = ["map_batterypass"]

Path_ = list[str | int]
_CF_KEYS = {"batteryCarbonFootprint", "absoluteCarbonFootprint", "carbonFootprintPerformanceClass",
            "carbonFootprintPerLifecycleStage", "carbonFootprintStudy"}
_GPI_KEYS = {"productIdentifier", "batteryPassportIdentifier", "manufacturerInformation", "batteryCategory"}


def map_batterypass(src: Source, root: Path_, b: Builder, products: list[str]) -> None:
    data = src.at(root)
    if not isinstance(data, Mapping):
        raise ImportError_("not a Battery Pass aspect (not an object)")
    other = refusal(data, "batterypass")
    if other:
        raise ImportError_(other)
    if _GPI_KEYS & set(data):
        _general(src, root, b, products)
    elif _CF_KEYS & set(data):
        _carbon(src, root, b, products)
    else:
        raise ImportError_("not a Battery Pass carbon-footprint or general-product-information aspect")


def _general(src: Source, root: Path_, b: Builder, products: list[str]) -> None:
    maker_path: Path_ = [*root, "manufacturerInformation"]
    ident = src.text([*maker_path, "identifier"])
    maker = (b.holder(b.party(None, [{"scheme": "other", "value": ident}], roles=("manufacturer",)))
             if ident else None)
    pid_text = src.text([*root, "productIdentifier"])
    if b.duplicate("batterypass", pid_text, None, src.file, pointer(root)):
        src.mark(root)
        return
    passport = src.text([*root, "batteryPassportIdentifier"])
    unmapped = src.unmapped(root)
    product: dict[str, Any] = {
        "model": pid_text,
        "manufacturer": maker,
        "identifiers": identifiers(src, [([*root, "batteryPassportIdentifier"], passport)], "battery passport id")
        if passport else [],
        "source": {"format": "batterypass", "id": pid_text, "unmapped": unmapped},
    }
    pid = b.product("battery-" + (pid_text or passport or "1"), product, (src.file, pointer(root)))
    b.remember("batterypass", pid_text, None, pid)
    for p in unmapped:
        src.notes.append(ImportNote("GT-IMPORT-001", "info", f"no home in the dossier (product {pid}): not imported",
                                    src.file, p))
    products.append(pid)


def _carbon(src: Source, root: Path_, b: Builder, products: list[str]) -> None:
    errors = schema_notes(src.at(root), bundled_schema("batterypass-carbonfootprint-1.2.0.schema.json"), src.file,
                          "Battery Pass CarbonFootprint 1.2.0")
    if errors:
        src.notes.extend(errors)
        return
    stages = []
    items = src.at([*root, "carbonFootprintPerLifecycleStage"])
    if isinstance(items, list):
        for i, item in enumerate(items):
            sp: Path_ = [*root, "carbonFootprintPerLifecycleStage", i]
            value = src.number([*sp, "carbonFootprint"])
            if value is not None and isinstance(item.get("lifecycleStage"), str):
                # the stages share the battery's footprint per kWh (the schema's description): same unit
                stages.append({"stage": src.take([*sp, "lifecycleStage"]), "kg_co2e_per_kwh": value})
            elif value is None:
                src.mark([*sp, "lifecycleStage"])  # its value was rejected: the stage name goes with it
    battery = {
        "kg_co2e_per_kwh": src.number([*root, "batteryCarbonFootprint"]),
        "kg_co2e_per_battery": src.number([*root, "absoluteCarbonFootprint"]),
        "performance_class": src.text([*root, "carbonFootprintPerformanceClass"]),
        "lifecycle_stages": stages,
    }
    doc: dict[str, Any] = {
        "type": "carbon-footprint-declaration",
        "methods": [{"id": "eu-battery-art7"}],
        "url": src.text([*root, "carbonFootprintStudy"]),
        "products": [{"product": p} for p in products],
        "battery": battery,
    }
    unmapped = src.unmapped(root)
    doc["source"] = {"format": "batterypass", "unmapped": unmapped}
    did = b.document("battery-cf-" + (products[0] if products else "1"), doc)
    for p in unmapped:
        src.notes.append(ImportNote("GT-IMPORT-001", "info", f"no home in the dossier (document {did}): not imported",
                                    src.file, p))
