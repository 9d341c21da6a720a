"""ILCD+EPD process data sets (the JSON form soda4LCA and Ökobaudat serve).

Values keep their magnitude: the declared unit is the reference flow's amount times the mean
value of its reference flow property (1.0 of a flow whose property is 1000 kg is 1000 kilogram);
GWP results are read in kg CO2e under any spelling of the unit table, by indicator: EN 15804+A1's
"GWP" and EN 15804+A2's "GWP-total", "-fossil", "-biogenic", "-luluc". ILCD names no manufacturer:
the data-set owner, the commissioner and the data generator become parties with those roles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from greentrade.importers._base import ImportError_, Source, pointer
from greentrade.importers._builder import Builder
from greentrade.importers._detect import refusal
from greentrade.importers._epd import finish, gwp_value
from greentrade.importers._pcf import standards_of
from greentrade.importers._units import declared_unit, gwp_unit

__all__ = ["map_ilcd"]

Path_ = list[str | int]
#: Indicator tag in the LCIA method's name -> (dossier indicator, EN 15804 edition).
_GWP = {"GWP-total": ("total", "EN 15804+A2"), "GWP-fossil": ("fossil", "EN 15804+A2"),
        "GWP-biogenic": ("biogenic", "EN 15804+A2"), "GWP-luluc": ("luluc", "EN 15804+A2"),
        "GWP": ("total", "EN 15804+A1")}
_MODULES = {"A1-A3", "A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "B5", "B6", "B7",
            "C1", "C2", "C3", "C4", "D", "C1-C4"}
_AVERAGE = ("average dataset", "representative dataset", "generic dataset", "template dataset")
_THIRD_PARTY = ("third party", "independent external review", "external review")


def _lang_text(src: Source, path: Path_, prefer: str = "en") -> str | None:
    """One text of an ILCD multi-language list: English if given, else the first. Other languages
    stay in the loss list."""
    items = src.at(path)
    if not isinstance(items, list):
        return None
    chosen = None
    for i, item in enumerate(items):
        usable = isinstance(item, Mapping) and isinstance(item.get("value"), str) and item["value"].strip()
        if usable and (chosen is None or item.get("lang") == prefer):
            chosen = i
            if item.get("lang") == prefer:
                break
    if chosen is None:
        return None
    src.take([*path, chosen, "lang"])
    return str(src.take([*path, chosen, "value"])).strip()


def _spellings(node: Any) -> list[str]:
    descs = node.get("shortDescription") if isinstance(node, Mapping) else None
    return [d["value"] for d in (descs if isinstance(descs, list) else [])
            if isinstance(d, Mapping) and isinstance(d.get("value"), str)]


def _names(node: Any) -> str:
    return " ".join(_spellings(node))


def _party(src: Source, b: Builder, path: Path_, role: str) -> str | None:
    name = _lang_text(src, [*path, "shortDescription"])
    return b.party(name, roles=(role,)) if name else None


def map_ilcd(src: Source, root: Path_, b: Builder) -> None:
    data = src.at(root)
    other = refusal(data, "ilcd-epd")
    if other:
        raise ImportError_(other)
    if not isinstance(data, Mapping) or not isinstance(data.get("processInformation"), Mapping):
        raise ImportError_("not an ILCD process data set (no processInformation)")
    info: Path_ = [*root, "processInformation", "dataSetInformation"]
    uuid = src.text([*info, "UUID"])
    version = src.text([*root, "version"])
    revision = src.text([*root, "administrativeInformation", "publicationAndOwnership", "dataSetVersion"])
    if b.duplicate("ilcd-epd", uuid, version, src.file, pointer(root), revision):
        src.mark(root)
        return
    method: Path_ = [*root, "modellingAndValidation", "LCIMethodAndAllocation"]
    kind = src.at([*method, "typeOfDataSet"])
    if kind is not None and kind != "EPD":
        src.info("GT-IMPORT-006", f"data set type is {kind!r}, not 'EPD'", [*method, "typeOfDataSet"])
    src.mark([*method, "typeOfDataSet"])
    adm: Path_ = [*root, "administrativeInformation"]
    pub: Path_ = [*adm, "publicationAndOwnership"]
    owner = _party(src, b, [*pub, "referenceToOwnershipOfDataSet"], "data-set-owner")
    holder = b.holder(owner)
    commissioners = src.at([*adm, "commissionerAndGoal", "referenceToCommissioner"])
    for i in range(len(commissioners) if isinstance(commissioners, list) else 0):
        _party(src, b, [*adm, "commissionerAndGoal", "referenceToCommissioner", i], "commissioner")
    makers = src.at([*adm, "dataGenerator", "referenceToPersonOrEntityGeneratingTheDataSet"])
    for i in range(len(makers) if isinstance(makers, list) else 0):
        _party(src, b, [*adm, "dataGenerator", "referenceToPersonOrEntityGeneratingTheDataSet", i],
               "lca-practitioner")
    sub_type = None
    anies = src.at([*method, "other", "anies"])
    for k, a in enumerate(anies if isinstance(anies, list) else []):
        if isinstance(a, Mapping) and a.get("name") == "subType" and isinstance(a.get("value"), str):
            sub_type = src.take([*method, "other", "anies", k, "value"])
            src.take([*method, "other", "anies", k, "name"])
    if isinstance(sub_type, str) and sub_type.strip().lower() in _AVERAGE:
        src.info("GT-IMPORT-006", f"this is an {sub_type} (not one manufacturer's product): the product has no "
                 "manufacturer", [*method, "other", "anies"])
    else:
        src.info("GT-IMPORT-006", "ILCD+EPD names no manufacturer: the product has none (the data-set owner "
                 "is the document's holder, with the role data-set-owner)", [*pub, "referenceToOwnershipOfDataSet"])
    product = {"name": _lang_text(src, [*info, "name", "baseName"]),
               "source": {"format": "ilcd-epd", "version": version, "id": uuid, "revision": revision}}
    pid = b.product("product-" + (uuid or "1"), product, (src.file, pointer(root)))
    epd: dict[str, Any] = {
        "registration_number": src.text([*pub, "registrationNumber"]),
        "programme_operator": _lang_text(src, [*pub, "referenceToRegistrationAuthority", "shortDescription"]),
        "declared_unit": _declared_unit(src, root),
    }
    gwp, editions = _gwp(src, root)
    epd["gwp"] = gwp
    if len(editions) == 1:
        epd["impact_method"] = editions[0]
    a1a3 = [g["value"] for g in gwp if g["indicator"] == "total" and g["module"] == "A1-A3"]
    epd["gwp_a1_a3_kg_co2e"] = a1a3[0] if a1a3 else None
    epd["verification"] = _review(src, root, b)
    names: list[tuple[Path_, str]] = []
    compliance = src.at([*root, "modellingAndValidation", "complianceDeclarations", "compliance"])
    for i in range(len(compliance) if isinstance(compliance, list) else 0):
        cp: Path_ = [*root, "modellingAndValidation", "complianceDeclarations", "compliance", i,
                     "referenceToComplianceSystem", "shortDescription"]
        descs = src.at(cp)
        for j, d in enumerate(descs if isinstance(descs, list) else []):
            if isinstance(d, Mapping) and isinstance(d.get("value"), str):
                names.append(([*cp, j, "value"], d["value"]))
    standards, _methods = standards_of(src, names)
    doc = {"type": "epd", "standards": standards, "holder": holder, "issue_date": _issue(src, root),
           "products": [{"product": pid}], "epd": epd}
    finish(src, root, b, doc, "epd-" + (uuid or "1"), "ilcd-epd", version, uuid, revision)


def _declared_unit(src: Source, root: Path_) -> dict[str, Any] | None:
    """The reference flow's amount times its reference flow property's mean value, in that property's unit."""
    exchanges = src.at([*root, "exchanges", "exchange"])
    for i, ex in enumerate(exchanges if isinstance(exchanges, list) else []):
        if not (isinstance(ex, Mapping) and ex.get("referenceFlow") is True):
            continue
        xp: Path_ = [*root, "exchanges", "exchange", i]
        props = ex.get("flowProperties")
        for j, prop in enumerate(props if isinstance(props, list) else []):
            if not (isinstance(prop, Mapping) and prop.get("referenceFlowProperty") is True):
                continue
            pp: Path_ = [*xp, "flowProperties", j]
            spelling = prop.get("referenceUnit")
            unit = declared_unit(spelling) if isinstance(spelling, str) else None
            if unit is None:
                src.warn("GT-IMPORT-004", f"declared unit: unit {spelling!r} is not one the dossier knows: "
                         "not imported", [*pp, "referenceUnit"])
                src.mark([*pp, "referenceUnit"])
                return None
            amount = src.number([*xp, "meanAmount"])
            factor = src.number([*pp, "meanValue"]) if prop.get("meanValue") is not None else 1
            if amount is None or factor is None or amount * factor <= 0:
                src.warn("GT-IMPORT-004", "declared unit: the reference flow's amount is not a positive number: "
                         "not imported", [*xp, "meanAmount"])
                return None
            value = amount * factor
            if ex.get("resultingflowAmount") == value:
                src.take([*xp, "resultingflowAmount"])
            for p in ([*xp, "referenceFlow"], [*pp, "referenceUnit"], [*pp, "referenceFlowProperty"]):
                src.take(p)
            return {"amount": value, "unit": unit}
        return None
    return None


def _gwp(src: Source, root: Path_) -> tuple[list[dict[str, Any]], list[str]]:
    gwp: list[dict[str, Any]] = []
    editions: list[str] = []
    results = src.at([*root, "LCIAResults", "LCIAResult"])
    for i, result in enumerate(results if isinstance(results, list) else []):
        rp: Path_ = [*root, "LCIAResults", "LCIAResult", i]
        names = _names(result.get("referenceToLCIAMethodDataSet") if isinstance(result, Mapping) else None)
        tags = re.findall(r"\((GWP[^)]*)\)", names)
        if not tags:
            continue
        tag = tags[-1]
        if tag not in _GWP:
            src.leave(rp, f"indicator {tag} is not one of EN 15804's GWP indicators the dossier holds "
                      "(+A1: GWP; +A2: GWP-total, -fossil, -biogenic, -luluc)")
            continue
        indicator, edition = _GWP[tag]
        anies = src.at([*rp, "other", "anies"])
        anies = anies if isinstance(anies, list) else []
        unit: Any = None
        for a in anies:
            if isinstance(a, Mapping) and a.get("name") == "referenceToUnitGroupDataSet":
                spellings = _spellings(a.get("value"))  # one per language: any of them may be in the table
                unit = next((u for u in spellings if gwp_unit(u) is None), spellings[0] if spellings else None)
        placed = False
        for k, a in enumerate(anies):
            if not (isinstance(a, Mapping) and "module" in a and "value" in a):
                continue
            vp: Path_ = [*rp, "other", "anies", k]
            module = str(a["module"])
            if "scenario" in a or module not in _MODULES:
                why = "a scenario's value" if "scenario" in a else f"module {module!r} is not an EN 15804 module"
                src.leave([*vp, "value"], f"{tag} {why}: the dossier holds one value per indicator and module")
                continue
            value = gwp_value(src, [*vp, "value"], unit, f"{tag} {module}")
            if value is not None:
                src.take([*vp, "module"])
                gwp.append({"indicator": indicator, "module": module, "value": value})
                placed = True
        if placed:
            src.mark([*rp, "referenceToLCIAMethodDataSet"])
            for k, a in enumerate(anies):
                if isinstance(a, Mapping) and a.get("name") == "referenceToUnitGroupDataSet":
                    src.mark([*rp, "other", "anies", k])
            if edition not in editions:
                editions.append(edition)
    if len(editions) > 1:
        src.warn("GT-IMPORT-004", "the data set has GWP indicators of both EN 15804+A1 and +A2: the edition of "
                 "its GWP values is not recorded", [*root, "LCIAResults"])
    return gwp, editions


def _review(src: Source, root: Path_, b: Builder) -> dict[str, Any] | None:
    """A third-party review ("Accredited third party review", "Independent external review") and its reviewer."""
    reviews = src.at([*root, "modellingAndValidation", "validation", "review"])
    for i, rv in enumerate(reviews if isinstance(reviews, list) else []):
        vp: Path_ = [*root, "modellingAndValidation", "validation", "review", i]
        kind = rv.get("type") if isinstance(rv, Mapping) else None
        if isinstance(kind, str) and any(t in kind.lower() for t in _THIRD_PARTY):
            who = _lang_text(src, [*vp, "referenceToNameOfReviewerAndInstitution", 0, "shortDescription"])
            src.take([*vp, "type"])
            return {"third_party": True, "coverage": kind,
                    "provider": b.party(who, roles=("certification-body",)) if who else None}
    return None


def _issue(src: Source, root: Path_) -> str | None:
    anies = src.at([*root, "processInformation", "time", "other", "anies"])
    for k, a in enumerate(anies if isinstance(anies, list) else []):
        if isinstance(a, Mapping) and a.get("name") == "publicationDateOfEPD" and isinstance(a.get("value"), int) \
                and not isinstance(a.get("value"), bool):
            stamp = a["value"]
            if stamp % 86_400_000 == 0 and abs(stamp) < 10**14:  # a date at midnight UTC, as soda4LCA writes it
                src.take([*root, "processInformation", "time", "other", "anies", k])
                return (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=stamp)).date().isoformat()
    return None
