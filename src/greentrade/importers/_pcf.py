"""The footprint mapping shared by PACT (Technical Specifications v2 and v3) and Catena-X PCF.

Both formats describe one product footprint: the data owner, the product, and a carbon
footprint per declared unit. Catena-X 4-8 are flat (PACT-like names, the footprint under
``pcf``); Catena-X 9 and 10 wrap every entity in a one-element list. The reader indexes the fields
by name wherever they sit, so one mapping serves every version; each version's aliases are listed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from greentrade.importers._base import Source, pointer
from greentrade.importers._builder import Builder, identifier_of
from greentrade.importers._units import declared_unit
from greentrade.model._standards import StandardDesignator, read_references

__all__ = ["map_footprint", "standards_of"]

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

    def end_date(self, name: str, exclusive: bool) -> Any:
        p = self.path(name)
        return self.src.end_date(p, exclusive=exclusive) if p else None

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


def identifiers(src: Source, items: list[tuple[Path_, str]], what: str, *, product: bool = True
                ) -> list[dict[str, str]]:
    """The identifiers of `items`; one that fails the dossier's check (a GTIN with a wrong check
    digit) is one warning with its pointer, and the others are imported."""
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for p, value in items:
        ident, problem = identifier_of(value, product=product)
        if ident is None:
            src.mark(p)  # reported as rejected, not as unmapped
            src.warn("GT-IMPORT-004", f"{what} {value!r}: {problem}: not imported", p)
            continue
        src.take(p)
        key = (ident["scheme"], ident["value"])
        if key not in seen:
            seen.add(key)
            out.append(ident)
    return out


#: Standards bodies whose designators the core knows; a designator of any other "body" is a name.
KNOWN_BODIES = frozenset({"ISO", "IEC", "ISO/IEC", "EN", "EN ISO", "EN IEC", "EN ISO/IEC", "CEN", "CEN/TS",
                          "GB", "GB/T", "GB/Z", "PAS", "BSI PAS", "ASTM", "JIS", "ANSI", "IEEE", "ITU-T"})
_NOT_A_STANDARD = ("is not a standard designator greentrade knows (ISO, IEC, EN, GB/T, PAS, ...) nor a "
                   "calculation method (GHG Protocol Product Standard, PACT, PEF, Catena-X Rulebook)")


def standards_of(src: Source, items: list[tuple[Path_, str]]) -> tuple[list[str], list[Any]]:
    """(standards, methods) that `items` name. A free-text name becomes a standard only when it parses
    as a designator of a known standards body; the rest stays in the loss list, saying why."""
    read: list[str] = []
    methods: list[Any] = []
    for p, name in items:
        standards, found, unread = read_references([name])
        if unread or not all(_known(d) for d in standards):
            src.leave(p, f"{name!r} {_NOT_A_STANDARD}")
            continue
        src.take(p)
        read.extend(str(d) for d in standards if str(d) not in read)  # canonical; the source keeps the spelling
        methods.extend(m for m in found if m not in methods)
    return read, methods


def _known(d: StandardDesignator) -> bool:
    body = f"{d.body}/{d.kind}" if d.kind and d.kind != "PAS" else d.body
    return d.body in KNOWN_BODIES or body in KNOWN_BODIES


def _carbon_footprint(f: _Fields, b: Builder, exclusive: bool) -> tuple[dict[str, Any], list[str], list[Any]]:
    """(carbon_footprint, standards, methods) of a PACT or Catena-X footprint."""
    src = f.src
    cf: dict[str, Any] = {}
    unit_path, amount_path = f.path("unit"), f.path("amount")
    unit_text = src.at(unit_path) if unit_path else None
    amount = src.number(amount_path) if amount_path else None
    unit = declared_unit(unit_text) if isinstance(unit_text, str) else None
    if unit and amount is not None and amount > 0 and unit_path:
        src.take(unit_path)
        cf["declared_unit"] = {"amount": amount, "unit": unit}
    elif unit_text is not None or amount is not None:
        why = (f"unit {unit_text!r} is not one the dossier knows" if unit is None
               else f"amount {amount!r} is not a positive number")
        if amount_path:
            src.mark(amount_path)
        src.warn("GT-IMPORT-004", f"declared unit: {why}: not imported", unit_path or amount_path or [])
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
    if mass is not None and mass < 0:
        src.warn("GT-IMPORT-004", f"product mass {mass} is negative: not imported", f.path("mass") or [])
        mass = None
    cf["product_mass_per_declared_unit_kg"] = mass
    factors = [(p, v) for p, v in f.strings("characterization") if v in ("AR4", "AR5", "AR6")]
    cf["characterization_factors"] = sorted(set(_take_strings(src, factors)))
    start, end = f.date("reference_start"), f.end_date("reference_end", exclusive)
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
        else:
            src.leave(f.path("boundary") or [], f"system boundary {boundary!r} is not one the dossier knows")
    read, methods = standards_of(src, f.strings("standards"))
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
        pid = src.text([*q, "providerId"])
        ids = identifiers(src, [([*q, "providerId"], pid)], "provider id", product=False) if pid else []
        name = src.text([*q, "providerName"])
        provider = b.party(name, ids, roles=("certification-body",)) if (name or ids) else None
        rule = src.at([*q, "standardName"])
        if isinstance(rule, str):
            _s, found, unread = read_references([rule])
            if found and not unread and not _s:
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


def _revision(src: Source, root: Path_, f: _Fields) -> str | None:
    """The footprint's own version (PACT v2's and Catena-X's ``version``), as text."""
    path = [*root, "version"] if src.at([*root, "version"]) is not None else f.idx.get("version")
    if path is None or (path != [*root, "version"] and "idAndVersion" not in path):
        return None
    value = src.at(path)
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip():
        return None
    src.take(path)
    return str(value).strip()


def map_footprint(src: Source, root: Path_, b: Builder, fmt: str, version: str | None, *,
                  exclusive: bool) -> None:
    """One footprint into `b`. `exclusive`: the source's period ends are exclusive (PACT)."""
    f = _Fields(src, root)
    pf_id = f.text("id") or ""
    revision = _revision(src, root, f)
    if b.duplicate(fmt, pf_id, version, src.file, pointer(root), revision):
        src.mark(root)
        return
    company = f.text("company_name")
    company_ids = identifiers(src, f.strings("company_ids"), "company id", product=False)
    holder = b.holder(b.party(company, company_ids, source={"format": fmt, "version": version}))
    product: dict[str, Any] = {
        "name": f.text("product_name"),
        "description": f.text("product_description"),
        "identifiers": identifiers(src, f.strings("product_ids"), "product id"),
        "source": {"format": fmt, "version": version, "id": pf_id or None, "revision": revision},
    }
    for p, value in f.strings("product_classifications"):
        ident, _problem = identifier_of(value)
        if ident and ident["scheme"] not in ("other", "urn"):
            src.take(p)
            if ident not in product["identifiers"]:
                product["identifiers"].append(ident)
        else:
            src.leave(p, f"classification {value!r} is not a GTIN or UN CPC code (a class, not the product's id)")
    cpc_path = f.path("product_cpc")
    cpc = f.text("product_cpc")
    if cpc is not None and cpc_path is not None:
        if re.fullmatch(r"[0-9]{1,5}", cpc.strip()):
            product["identifiers"].append({"scheme": "un-cpc", "value": cpc.strip()})
        else:
            src.leave(cpc_path, f"{cpc!r} is not a UN CPC code (1 to 5 digits)")
    cf, standards, methods = _carbon_footprint(f, b, exclusive)
    origin = (src.file, pointer(root))
    pid = b.product("product-" + (pf_id or "1"), product, origin)
    status = f.text("status")
    doc: dict[str, Any] = {
        "type": "carbon-footprint-declaration",
        "standards": standards,
        "methods": [{"id": m.id, "version": m.version} for m in methods],
        "holder": holder,
        "issue_date": _iso(f.date("created")),
        "valid_from": _iso(f.date("validity_start")),
        "valid_until": _iso(f.end_date("validity_end", exclusive)),
        "status": _STATUS.get(status.lower()) if status else None,
        "products": [{"product": pid}],
        "carbon_footprint": cf,
    }
    if status and status.lower() not in _STATUS:
        src.leave(f.path("status") or [], f"status {status!r} is not one the dossier knows")
    if doc["valid_from"] and doc["valid_until"] and doc["valid_until"] < doc["valid_from"]:
        src.warn("GT-IMPORT-004", "validity period ends before it starts: end not imported",
                 f.path("validity_end") or [])
        doc["valid_until"] = None
    if doc["issue_date"] and doc["valid_until"] and doc["valid_until"] < doc["issue_date"]:
        src.warn("GT-IMPORT-004", "validity ends before the footprint was created: end not imported",
                 f.path("validity_end") or [])
        doc["valid_until"] = None
    lost = src.unmapped(root)
    doc["source"] = {"format": fmt, "version": version, "id": pf_id or None, "revision": revision, "unmapped": lost}
    did = b.document(("pcf-" if fmt == "pact" else "cx-pcf-") + (pf_id or "1"), doc, origin)
    b.remember(fmt, pf_id, version, did, revision)
    src.loss_notes(lost, f"document {did}")
