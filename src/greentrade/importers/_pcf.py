"""PACT (Technical Specifications v2 and v3) and Catena-X PCF (data model 7, 8 and 9) importers.

Both formats describe one product footprint: the data owner, the product, and a carbon
footprint per declared unit. Catena-X 7 and 8 are flat (PACT-like names, the footprint under
``pcf``); Catena-X 9 wraps every entity in a one-element list. The reader indexes the fields by
name wherever they sit, so one mapping serves every version; each version's aliases are listed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from greentrade.importers._base import (
    ImportError_,
    ImportNote,
    Source,
    bundled_schema,
    declared_unit_name,
    pointer,
    schema_notes,
)
from greentrade.importers._builder import Builder, identifiers_from
from greentrade.model._standards import read_references

__all__ = ["catenax_version", "map_catenax", "map_pact", "pact_version"]

Path_ = list[str | int]

# canonical field -> names used by PACT v2 / v3 and Catena-X 7 / 8 / 9
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "created": ("created",),
    "status": ("status", "extWBCSD_pfStatus"),
    "validity_start": ("validityPeriodStart",),
    "validity_end": ("validityPeriodEnd",),
    "company_name": ("companyName",),
    "company_ids": ("companyIds",),
    "product_name": ("productNameCompany", "productName"),
    "product_description": ("productDescription",),
    "product_ids": ("productIds",),
    "product_classifications": ("productClassifications",),
    "product_cpc": ("productCategoryCpc", "extWBCSD_productCodeCpc"),
    "boundary": ("partialFullPcf",),
    "unit": ("declaredUnitOfMeasurement", "declaredUnit"),
    "amount": ("declaredUnitAmount", "unitaryProductAmount"),
    "mass": ("productMassPerDeclaredUnit",),
    "pcf_excluding_biogenic": ("pcfExcludingBiogenicUptake", "pCfExcludingBiogenic", "pcfExcludingBiogenic"),
    "pcf_including_biogenic": ("pcfIncludingBiogenicUptake", "pCfIncludingBiogenic", "pcfIncludingBiogenic"),
    "fossil_ghg_emissions": ("fossilGhgEmissions",),
    "fossil_carbon_content": ("fossilCarbonContent",),
    "biogenic_carbon_content": ("biogenicCarbonContent",),
    # PACT v3 and Catena-X 8 renamed these; the v3 specification lists the old names as replaced.
    "biogenic_co2_uptake": ("biogenicCO2Uptake", "biogenicCarbonWithdrawal"),
    "biogenic_non_co2_emissions": ("biogenicNonCO2Emissions", "biogenicCarbonEmissionsOtherThanCO2"),
    "land_use_change_ghg_emissions": ("landUseChangeGhgEmissions", "dLucGhgEmissions", "dlucGhgEmissions"),
    "aircraft_ghg_emissions": ("aircraftGhgEmissions",),
    "packaging_emissions_included": ("packagingEmissionsIncluded",),
    "packaging_ghg_emissions": ("packagingGhgEmissions",),
    "characterization": ("ipccCharacterizationFactors", "characterizationFactors",
                         "extWBCSD_characterizationFactors", "ipccCharacterizationFactorsSources"),
    "primary_data_share": ("primaryDataShare",),
    "exempted_emissions_percent": ("exemptedEmissionsPercent",),
    "reference_start": ("referencePeriodStart",),
    "reference_end": ("referencePeriodEnd",),
    "standards": ("crossSectoralStandards", "crossSectoralStandardsUsed"),
    "assurance": ("verification", "assurance"),
    "attestation": ("attestationOfConformance",),
}
_WHOLE = {"assurance", "verification", "attestationOfConformance", "precedingPfIds", "extensions",
          "productOrSectorSpecificRules", "secondaryEmissionFactorSources", "dqi", "dataQualityRating",
          "crossSectoralStandards", "crossSectoralStandardsUsed"}
_STATUS = {"active": "valid", "deprecated": "withdrawn"}
_BOUNDARY = {"cradle-to-gate": "cradle-to-gate", "cradle-to-grave": "cradle-to-grave"}


def index_fields(node: Any, path: Path_, idx: dict[str, Path_]) -> dict[str, Path_]:
    """Field name -> path, for every field wherever it sits (entity lists: their first item)."""
    if isinstance(node, Mapping):
        for k, v in node.items():
            p: Path_ = [*path, k]
            if k in _WHOLE:
                idx.setdefault(k, p)
            elif isinstance(v, Mapping):
                index_fields(v, p, idx)
            elif isinstance(v, list) and v and all(isinstance(x, Mapping) for x in v):
                index_fields(v[0], [*p, 0], idx)
            else:
                idx.setdefault(k, p)
    return idx


class _Fields:
    def __init__(self, src: Source, root: Path_) -> None:
        self.src = src
        self.idx = index_fields(src.at(root), root, {})

    def path(self, name: str) -> Path_ | None:
        for alias in ALIASES[name]:
            if alias in self.idx:
                return self.idx[alias]
        return None

    def text(self, name: str) -> str | None:
        p = self.path(name)
        return self.src.text(p) if p else None

    def number(self, name: str) -> float | None:
        p = self.path(name)
        return self.src.number(p) if p else None

    def date(self, name: str) -> Any:
        p = self.path(name)
        return self.src.date(p) if p else None

    def boolean(self, name: str) -> bool | None:
        p = self.path(name)
        return self.src.boolean(p) if p else None

    def strings(self, name: str) -> list[tuple[Path_, str]]:
        """(path, text) of a string or list of strings (items of objects: their one string value)."""
        p = self.path(name)
        if p is None:
            return []
        value = self.src.at(p)
        if isinstance(value, str):
            return [(p, value)]
        out: list[tuple[Path_, str]] = []
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    out.append(([*p, i], item))
                elif isinstance(item, Mapping) and len(item) == 1 and isinstance(next(iter(item.values())), str):
                    k = next(iter(item))
                    out.append(([*p, i, k], item[k]))
        return out


def _take_strings(src: Source, items: list[tuple[Path_, str]]) -> list[str]:
    for p, _ in items:
        src.take(p)
    return [v for _, v in items]


def _carbon_footprint(f: _Fields, b: Builder, fmt: str) -> tuple[dict[str, Any], list[str], list[Any]]:
    """(carbon_footprint, standards, methods) of a PACT or Catena-X footprint."""
    src = f.src
    cf: dict[str, Any] = {}
    unit_path, amount_path = f.path("unit"), f.path("amount")
    unit_text = src.at(unit_path) if unit_path else None
    amount = src.number(amount_path) if amount_path else None
    unit = declared_unit_name(unit_text) if isinstance(unit_text, str) else None
    if unit and amount is not None and amount > 0 and unit_path:
        src.take(unit_path)
        cf["declared_unit"] = {"amount": amount, "unit": unit}
    elif unit_text is not None or amount is not None:
        src.warn("GT-IMPORT-004", f"declared unit {amount!r} {unit_text!r} is not one the dossier knows: "
                 "not imported", unit_path or amount_path or [])
    for key in ("pcf_excluding_biogenic", "pcf_including_biogenic", "fossil_ghg_emissions",
                "fossil_carbon_content", "biogenic_carbon_content", "biogenic_co2_uptake",
                "biogenic_non_co2_emissions", "land_use_change_ghg_emissions", "aircraft_ghg_emissions",
                "packaging_ghg_emissions"):
        cf[key] = f.number(key)
    cf["packaging_emissions_included"] = f.boolean("packaging_emissions_included")
    for key in ("primary_data_share", "exempted_emissions_percent"):
        value = f.number(key)
        if value is not None and not 0 <= value <= 100:
            src.warn("GT-IMPORT-004", f"{value} is not a percentage: not imported", f.path(key) or [])
            value = None
        cf[key] = value
    mass = f.number("mass")
    cf["product_mass_per_declared_unit_kg"] = mass if mass is None or mass >= 0 else None
    factors = [(p, v) for p, v in f.strings("characterization") if v in ("AR4", "AR5", "AR6")]
    cf["characterization_factors"] = sorted(set(_take_strings(src, factors)))
    start, end = f.date("reference_start"), f.date("reference_end")
    if start or end:
        if start and end and end < start:
            src.warn("GT-IMPORT-004", "reference period ends before it starts: not imported",
                     f.path("reference_end") or [])
        else:
            cf["reference_period"] = {"start": start.isoformat() if start else None,
                                      "end": end.isoformat() if end else None}
    boundary = f.text("boundary")
    if boundary is not None:
        mapped = _BOUNDARY.get(boundary.strip().lower())
        if mapped:
            cf["system_boundary"] = mapped
        else:  # keep it in the loss list
            src._taken.discard(pointer(f.path("boundary") or []))
    names = f.strings("standards")
    read: list[str] = []
    methods: list[Any] = []
    for p, name in names:
        standards, found, unread = read_references([name])
        if unread:
            continue
        src.take(p)
        read.extend(str(s) for s in standards if str(s) not in read)  # canonical; the source keeps the spelling
        methods.extend(found)
    cf["verification"] = _verification(f, b, methods)
    return cf, read, methods


def _verification(f: _Fields, b: Builder, methods: list[Any]) -> dict[str, Any] | None:
    src = f.src
    p = f.path("assurance")
    if p is not None and isinstance(src.at(p), Mapping):
        a = src.at(p)
        if a.get("assurance") is False:  # PACT v2: "not assured"
            src.take([*p, "assurance"])
            return None
        if a.get("assurance") is True:
            src.take([*p, "assurance"])
        provider = None
        name = src.text([*p, "providerName"])
        if name:
            provider = b.party(name, roles=("certification-body",))
        level = a.get("level")
        v = {
            "level": src.take([*p, "level"]) if level in ("limited", "reasonable") else None,
            "coverage": src.text([*p, "coverage"]),
            "provider": provider,
            "standard": src.text([*p, "standardName"]),
            "completed": _iso(src.date([*p, "completedAt"])),
        }
        return v if any(x is not None for x in v.values()) else None
    p = f.path("attestation")
    items = src.at(p) if p is not None else None
    if p is not None and isinstance(items, list) and items and isinstance(items[0], Mapping):
        q: Path_ = [*p, 0]
        ids = identifiers_from([src.text([*q, "providerId"])] if src.at([*q, "providerId"]) else [])
        name = src.text([*q, "providerName"])
        provider = b.party(name, ids, roles=("certification-body",)) if (name or ids) else None
        rule = src.at([*q, "standardName"])
        if isinstance(rule, str):
            _s, found, unread = read_references([rule])
            if found and not unread:
                src.take([*q, "standardName"])
                methods.extend(m for m in found if m not in methods)
        v = {
            "coverage": src.text([*q, "attestationType"]),
            "provider": provider,
            "standard": src.text([*q, "attestationStandard"]),
            "completed": _iso(src.date([*q, "completedAt"])),
        }
        return v if any(x is not None for x in v.values()) else None
    return None


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def _map_footprint(src: Source, root: Path_, b: Builder, fmt: str, version: str) -> None:
    f = _Fields(src, root)
    pf_id = f.text("id") or ""
    company = f.text("company_name")
    company_ids = identifiers_from(_take_strings(src, f.strings("company_ids")))
    holder = b.holder(b.party(company, company_ids, source={"format": fmt, "version": version}))
    product: dict[str, Any] = {
        "name": f.text("product_name"),
        "description": f.text("product_description"),
        "identifiers": identifiers_from(_take_strings(src, f.strings("product_ids"))),
        "source": {"format": fmt, "version": version, "id": pf_id or None},
    }
    for p, value in f.strings("product_classifications"):
        ident = identifiers_from([value])
        if ident and ident[0]["scheme"] != "other":
            src.take(p)
            product["identifiers"] += [i for i in ident if i not in product["identifiers"]]
    cpc = f.text("product_cpc")
    if cpc is not None:
        if re.fullmatch(r"[0-9]{1,5}", cpc.strip()):
            product["identifiers"].append({"scheme": "un-cpc", "value": cpc.strip()})
        else:
            src._taken.discard(pointer(f.path("product_cpc") or []))
    cf, standards, methods = _carbon_footprint(f, b, fmt)
    pid = b.product("product-" + (pf_id or "1"), product)
    status = f.text("status")
    doc: dict[str, Any] = {
        "type": "carbon-footprint-declaration",
        "standards": standards,
        "methods": [{"id": m.id, "version": m.version} for m in methods],
        "holder": holder,
        "issue_date": _iso(f.date("created")),
        "valid_from": _iso(f.date("validity_start")),
        "valid_until": _iso(f.date("validity_end")),
        "status": _STATUS.get(status.lower()) if status else None,
        "products": [{"product": pid}],
        "carbon_footprint": cf,
    }
    if status and status.lower() not in _STATUS:
        src._taken.discard(pointer(f.path("status") or []))
    if doc["valid_from"] and doc["valid_until"] and doc["valid_until"] < doc["valid_from"]:
        src.warn("GT-IMPORT-004", "validity period ends before it starts: end not imported",
                 f.path("validity_end") or [])
        doc["valid_until"] = None
    if doc["issue_date"] and doc["valid_until"] and doc["valid_until"] < doc["issue_date"]:
        src.warn("GT-IMPORT-004", "validity ends before the footprint was created: end not imported",
                 f.path("validity_end") or [])
        doc["valid_until"] = None
    lost = src.unmapped(root)
    doc["source"] = {"format": fmt, "version": version, "id": pf_id or None, "unmapped": lost}
    did = b.document(("pcf-" if fmt == "pact" else "cx-pcf-") + (pf_id or "1"), doc)
    for q in lost:
        src.notes.append(ImportNote("GT-IMPORT-001", "info",
                                    f"no home in the dossier (document {did}): not imported", src.file, q))


# -- PACT -------------------------------------------------------------------------------------------
_PACT_REQUIRED = ("id", "specVersion", "created", "companyName", "companyIds", "productIds",
                  "productNameCompany", "pcf")


def pact_version(pf: Mapping[str, Any]) -> str:
    spec = pf.get("specVersion")
    if isinstance(spec, str) and re.match(r"^[0-9]+\.[0-9]+", spec):
        return spec
    pcf = pf.get("pcf")
    if isinstance(pcf, Mapping):
        if "declaredUnitOfMeasurement" in pcf:
            return "3"
        if "declaredUnit" in pcf:
            return "2"
    raise ImportError_("not a PACT ProductFootprint: no specVersion and no declared unit")


def map_pact(src: Source, root: Path_, b: Builder) -> None:
    pf = src.at(root)
    if not isinstance(pf, Mapping):
        raise ImportError_(f"{src.file}{pointer(root)}: not a PACT ProductFootprint (not an object)")
    version = pact_version(pf)
    major = version.split(".")[0]
    if major not in ("2", "3"):
        raise ImportError_(f"{src.file}: PACT Technical Specifications version {version} is not supported "
                           "(versions 2.x and 3.x are)")
    missing = [k for k in _PACT_REQUIRED if k not in pf]
    pcf: Mapping[str, Any] = pf["pcf"] if isinstance(pf.get("pcf"), Mapping) else {}
    unit_key, amount_key = (("declaredUnitOfMeasurement", "declaredUnitAmount") if major == "3"
                            else ("declaredUnit", "unitaryProductAmount"))
    missing += [f"pcf/{k}" for k in (unit_key, amount_key, "referencePeriodStart", "referencePeriodEnd")
                if k not in pcf]
    if missing:
        raise ImportError_(f"{src.file}{pointer(root)}: not a PACT {major}.x ProductFootprint: required "
                           f"{', '.join(missing)} missing")
    src.take([*root, "specVersion"])
    _map_footprint(src, root, b, "pact", version)


# -- Catena-X ---------------------------------------------------------------------------------------
_CX_SCHEMAS = {"8.0.0": "catenax-pcf-8.0.0.schema.json", "9.0.0": "catenax-pcf-9.0.0.schema.json"}


def catenax_version(data: Mapping[str, Any]) -> str:
    specs: list[Any] = []
    spec = data.get("specVersion")
    specs += spec if isinstance(spec, list) else [spec]
    scope = data.get("scopeOfPcfForm")
    if isinstance(scope, list) and scope and isinstance(scope[0], Mapping):
        specs.append(scope[0].get("specVersion"))
    for s in specs:
        m = re.search(r"version:([0-9]+\.[0-9]+\.[0-9]+)", s) if isinstance(s, str) else None
        if m:
            return m.group(1)
    if "companyAndProductInformation" in data:
        return "9"
    if isinstance(data.get("pcf"), Mapping):
        return "8"
    raise ImportError_("not a Catena-X PCF: no specVersion, and neither the flat (8) nor the nested (9) layout")


def map_catenax(src: Source, root: Path_, b: Builder) -> None:
    data = src.at(root)
    if not isinstance(data, Mapping):
        raise ImportError_(f"{src.file}{pointer(root)}: not a Catena-X PCF (not an object)")
    version = catenax_version(data)
    major = version.split(".")[0]
    if major not in ("7", "8", "9"):
        raise ImportError_(f"{src.file}: Catena-X PCF data model {version} is not supported (7, 8 and 9 are)")
    schema_file = _CX_SCHEMAS.get(version)
    if schema_file:
        errors = schema_notes(data, bundled_schema(schema_file), src.file, f"Catena-X PCF {version}")
        if errors:
            src.notes.extend(errors)
            return
    else:
        src.notes.append(ImportNote("GT-IMPORT-006", "info",
                                    f"no published schema for Catena-X PCF {version} is shipped: read without "
                                    "schema validation", src.file))
    for p in (["specVersion"], ["scopeOfPcfForm", 0, "specVersion"]):
        src.mark([*root, *p])
    _map_footprint(src, root, b, "catenax-pcf", version)

