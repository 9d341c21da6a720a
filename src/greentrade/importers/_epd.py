"""openEPD and ILCD+EPD importers: environmental product declarations with per-module GWP."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from greentrade.importers._base import ImportError_, ImportNote, Source, declared_unit_name, pointer, slug
from greentrade.importers._builder import Builder
from greentrade.model._standards import read_references

__all__ = ["map_ilcd", "map_openepd"]

Path_ = list[str | int]

# openEPD life-cycle stage keys -> EN 15804 modules of the dossier
_OPENEPD_MODULES = {"A1A2A3": "A1-A3", "A1": "A1", "A2": "A2", "A3": "A3", "A4": "A4", "A5": "A5",
                    "B1": "B1", "B2": "B2", "B3": "B3", "B4": "B4", "B5": "B5", "B6": "B6", "B7": "B7",
                    "C1": "C1", "C2": "C2", "C3": "C3", "C4": "C4", "D": "D"}
_OPENEPD_GWP = {"gwp": "total", "gwp_fossil": "fossil", "gwp_biogenic": "biogenic", "gwp_luluc": "luluc"}


def _finish(src: Source, root: Path_, b: Builder, doc: dict[str, Any], did: str, fmt: str, version: str | None,
            source_id: str | None) -> None:
    unmapped = src.unmapped(root)
    doc["source"] = {"format": fmt, "version": version, "id": source_id, "unmapped": unmapped}
    did = b.document(did, doc)
    for p in unmapped:
        src.notes.append(ImportNote("GT-IMPORT-001", "info",
                                    f"no home in the dossier (document {did}): not imported", src.file, p))


def _gwp_value(src: Source, path: Path_, unit: Any) -> float | None:
    if not (isinstance(unit, str) and re.fullmatch(r"\s*kg\s*CO_?\(?2\)?\s*-?\s*(e|eq\.?|Äq\.?)\s*",
                                                   unit, re.IGNORECASE)):
        src.warn("GT-IMPORT-004", f"GWP unit {unit!r} is not kg CO2e: not imported", path)
        return None
    return src.number(path)


# -- openEPD ----------------------------------------------------------------------------------------
def _org(src: Source, path: Path_, b: Builder, orgs: Mapping[str, Mapping[str, Any]],
         role: str | None) -> str | None:
    org = src.at(path)
    if not isinstance(org, Mapping):
        return None
    domain = src.text([*path, "web_domain"])
    name = src.text([*path, "name"]) or (orgs.get(domain, {}).get("name") if domain else None)
    idents = [{"scheme": "web-domain", "value": domain}] if domain else []
    return b.party(name, idents, roles=(role,) if role else ())


def map_openepd(src: Source, root: Path_, b: Builder, orgs: Mapping[str, Mapping[str, Any]]) -> None:
    data = src.at(root)
    if not isinstance(data, Mapping):
        raise ImportError_(f"{src.file}: not an openEPD EPD (not an object)")
    if "doctype" not in data and "owner" in data:
        src.notes.append(ImportNote("GT-IMPORT-001", "info",
                                    "an openEPD Plant has no home in the dossier (a site needs a country code, "
                                    "which the plant's free-text address does not give): not imported",
                                    src.file, pointer(root)))
        return
    if str(data.get("doctype", "")).lower() != "openepd":
        raise ImportError_(f"{src.file}{pointer(root)}: not an openEPD EPD (doctype {data.get('doctype')!r})")
    try:
        from openepd.model.epd import Epd  # optional extra greentrade[openepd], imported only here
    except ImportError:
        raise ImportError_("reading openEPD needs the openepd package: pip install 'greentrade[openepd]'") from None
    try:
        Epd.model_validate(data)
    except Exception as exc:  # pydantic.ValidationError: the openepd package's own check
        errors = getattr(exc, "errors", None)
        for e in (errors() if callable(errors) else [{"loc": (), "msg": str(exc)}]):
            src.notes.append(ImportNote("GT-IMPORT-003", "error",
                                        f"does not conform to openEPD (openepd package): {e.get('msg')}",
                                        src.file, pointer([*root, *e.get("loc", ())])))
        return
    src.mark([*root, "doctype"])
    version = src.text([*root, "openepd_version"])
    epd_id = src.text([*root, "id"])
    maker = b.holder(_org(src, [*root, "manufacturer"], b, orgs, "manufacturer"))
    operator = _org(src, [*root, "program_operator"], b, orgs, None)
    verifier = _org(src, [*root, "third_party_verifier"], b, orgs, "certification-body")
    product: dict[str, Any] = {
        "name": src.text([*root, "product_name"]),
        "description": src.text([*root, "product_description"]),
        "manufacturer": maker,
        "identifiers": [{"scheme": "sku", "value": sku}] if (sku := src.text([*root, "product_sku"])) else [],
        "source": {"format": "openepd", "version": version, "id": epd_id},
    }
    base = epd_id or slug(product["name"] or "1")
    pid = b.product("product-" + base, product)
    epd: dict[str, Any] = {}
    if operator:
        party = b.parties[operator]
        epd["programme_operator"] = party.get("name") or party["identifiers"][0]["value"]
    pcr_name = src.text([*root, "pcr", "name"])
    epd["pcr"] = pcr_name or src.text([*root, "pcr", "id"])
    unit = src.at([*root, "declared_unit", "unit"])
    qty = src.number([*root, "declared_unit", "qty"]) if isinstance(unit, str) and unit.strip() else None
    name = declared_unit_name(unit) if isinstance(unit, str) else None
    if qty is not None and name and qty > 0:
        epd["declared_unit"] = {"amount": qty, "unit": name}
        src.take([*root, "declared_unit", "unit"])
    elif qty is not None:
        epd["declared_unit"] = f"{qty} {src.take([*root, 'declared_unit', 'unit'])}"
    impacts = src.at([*root, "impacts"])
    gwp: list[dict[str, Any]] = []
    if isinstance(impacts, Mapping) and impacts:
        method = next(iter(impacts))  # further methods stay in the loss list
        epd["impact_method"] = method
        mpath: Path_ = [*root, "impacts", method]
        for key, indicator in _OPENEPD_GWP.items():
            stages = src.at([*mpath, key])
            if not isinstance(stages, Mapping):
                continue
            for stage, module in _OPENEPD_MODULES.items():
                m = stages.get(stage)
                if isinstance(m, Mapping) and "mean" in m:
                    value = _gwp_value(src, [*mpath, key, stage, "mean"], m.get("unit"))
                    if value is not None:
                        src.take([*mpath, key, stage, "unit"])
                        gwp.append({"indicator": indicator, "module": module, "value": value})
    epd["gwp"] = gwp
    a1a3 = [g["value"] for g in gwp if g["indicator"] == "total" and g["module"] == "A1-A3"]
    epd["gwp_a1_a3_kg_co2e"] = a1a3[0] if a1a3 else None
    if verifier:
        epd["verification"] = {"third_party": True, "provider": verifier}
    doc = {
        "type": "epd",
        "holder": maker,
        "issue_date": _day(src, [*root, "date_of_issue"]),
        "valid_until": _day(src, [*root, "valid_until"]),
        "url": src.text([*root, "declaration_url"]),
        "products": [{"product": pid}],
        "epd": epd,
    }
    _finish(src, root, b, doc, "epd-" + base, "openepd", version, epd_id)


def _day(src: Source, path: Path_) -> str | None:
    day = src.date(path)
    return day.isoformat() if day else None


def openepd_orgs(data: Any) -> dict[str, Mapping[str, Any]]:
    """openEPD Org objects (files without a doctype that name a web domain), by web domain."""
    if isinstance(data, Mapping) and "doctype" not in data and isinstance(data.get("web_domain"), str) \
            and "owner" not in data:
        return {data["web_domain"]: data}
    return {}


# -- ILCD+EPD ---------------------------------------------------------------------------------------
_ILCD_GWP = (("GWP-total", "total"), ("GWP-fossil", "fossil"), ("GWP-biogenic", "biogenic"),
             ("GWP-luluc", "luluc"))
_ILCD_MODULES = {"A1-A3": "A1-A3", "A1": "A1", "A2": "A2", "A3": "A3", "A4": "A4", "A5": "A5", "B1": "B1",
                 "B2": "B2", "B3": "B3", "B4": "B4", "B5": "B5", "B6": "B6", "B7": "B7", "C1": "C1", "C2": "C2",
                 "C3": "C3", "C4": "C4", "D": "D", "C1-C4": "C1-C4"}


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


def map_ilcd(src: Source, root: Path_, b: Builder) -> None:
    data = src.at(root)
    if not isinstance(data, Mapping) or not isinstance(data.get("processInformation"), Mapping):
        raise ImportError_(f"{src.file}: not an ILCD process data set (no processInformation)")
    info: Path_ = [*root, "processInformation", "dataSetInformation"]
    uuid = src.text([*info, "UUID"])
    kind = src.at([*root, "modellingAndValidation", "LCIMethodAndAllocation", "typeOfDataSet"])
    if kind is not None and kind != "EPD":
        src.notes.append(ImportNote("GT-IMPORT-006", "info", f"data set type is {kind!r}, not 'EPD'", src.file,
                                    pointer([*root, "modellingAndValidation", "LCIMethodAndAllocation",
                                             "typeOfDataSet"])))
    src.mark([*root, "modellingAndValidation", "LCIMethodAndAllocation", "typeOfDataSet"])
    version = src.text([*root, "version"])
    pub: Path_ = [*root, "administrativeInformation", "publicationAndOwnership"]
    owner = _lang_text(src, [*pub, "referenceToOwnershipOfDataSet", "shortDescription"])
    holder = b.holder(b.party(owner, roles=("manufacturer",))) if owner else None
    product = {
        "name": _lang_text(src, [*info, "name", "baseName"]),
        "manufacturer": holder,
        "source": {"format": "ilcd-epd", "version": version, "id": uuid},
    }
    pid = b.product("product-" + (uuid or "1"), product)
    epd: dict[str, Any] = {
        "registration_number": src.text([*pub, "registrationNumber"]),
        "programme_operator": _lang_text(src, [*pub, "referenceToRegistrationAuthority", "shortDescription"]),
    }
    # declared unit: the reference flow's amount in its reference flow property's unit
    exchanges = src.at([*root, "exchanges", "exchange"])
    if isinstance(exchanges, list):
        for i, ex in enumerate(exchanges):
            if isinstance(ex, Mapping) and ex.get("referenceFlow") is True:
                xp: Path_ = [*root, "exchanges", "exchange", i]
                props = ex.get("flowProperties")
                for j, prop in enumerate(props if isinstance(props, list) else []):
                    if isinstance(prop, Mapping) and prop.get("referenceFlowProperty") is True:
                        unit = declared_unit_name(str(prop.get("referenceUnit", "")))
                        amount = ex.get("meanAmount")
                        if unit and isinstance(amount, int | float) and amount > 0:
                            epd["declared_unit"] = {"amount": src.number([*xp, "meanAmount"]), "unit": unit}
                            src.take([*xp, "referenceFlow"])
                            for key in ("referenceUnit", "referenceFlowProperty"):
                                src.take([*xp, "flowProperties", j, key])
                break
    gwp: list[dict[str, Any]] = []
    results = src.at([*root, "LCIAResults", "LCIAResult"])
    if isinstance(results, list):
        for i in range(len(results)):
            rp: Path_ = [*root, "LCIAResults", "LCIAResult", i]
            descs = src.at([*rp, "referenceToLCIAMethodDataSet", "shortDescription"])
            names = " ".join(d["value"] for d in (descs if isinstance(descs, list) else [])
                             if isinstance(d, Mapping) and isinstance(d.get("value"), str))
            indicator = next((ind for tag, ind in _ILCD_GWP if f"({tag})" in names), None)
            if indicator is None:
                continue
            anies = src.at([*rp, "other", "anies"])
            anies = anies if isinstance(anies, list) else []
            unit = None
            for a in anies:
                if isinstance(a, Mapping) and a.get("name") == "referenceToUnitGroupDataSet":
                    group = a.get("value")
                    descs = group.get("shortDescription") if isinstance(group, Mapping) else None
                    unit = next((d.get("value") for d in (descs if isinstance(descs, list) else [])
                                 if isinstance(d, Mapping)), None)
            for k, a in enumerate(anies):
                if isinstance(a, Mapping) and "module" in a and "value" in a and "scenario" not in a:
                    module = _ILCD_MODULES.get(str(a["module"]))
                    if module is None:
                        continue
                    value = _gwp_value(src, [*rp, "other", "anies", k, "value"], unit)
                    if value is not None:
                        src.take([*rp, "other", "anies", k, "module"])
                        gwp.append({"indicator": indicator, "module": module, "value": value})
            if any(g["indicator"] == indicator for g in gwp):
                src.mark([*rp, "referenceToLCIAMethodDataSet"])
                for k, a in enumerate(anies):
                    if isinstance(a, Mapping) and a.get("name") == "referenceToUnitGroupDataSet":
                        src.mark([*rp, "other", "anies", k])
    epd["gwp"] = gwp
    a1a3 = [g["value"] for g in gwp if g["indicator"] == "total" and g["module"] == "A1-A3"]
    epd["gwp_a1_a3_kg_co2e"] = a1a3[0] if a1a3 else None
    # verification: an "independent/accredited third party review" names its reviewer
    reviews = src.at([*root, "modellingAndValidation", "validation", "review"])
    if isinstance(reviews, list):
        for i, rv in enumerate(reviews):
            vp: list[str | int] = [*root, "modellingAndValidation", "validation", "review", i]
            kind_text = rv.get("type") if isinstance(rv, Mapping) else None
            if isinstance(kind_text, str) and "third party" in kind_text.lower():
                who = _lang_text(src, [*vp, "referenceToNameOfReviewerAndInstitution", 0, "shortDescription"])
                src.take([*vp, "type"])
                epd["verification"] = {
                    "third_party": True,
                    "coverage": kind_text,
                    "provider": b.party(who, roles=("certification-body",)) if who else None,
                }
                break
    standards: list[str] = []
    compliance = src.at([*root, "modellingAndValidation", "complianceDeclarations", "compliance"])
    if isinstance(compliance, list):
        for i in range(len(compliance)):
            cp: Path_ = [*root, "modellingAndValidation", "complianceDeclarations", "compliance", i,
                         "referenceToComplianceSystem", "shortDescription"]
            descs = src.at(cp)
            for j, d in enumerate(descs if isinstance(descs, list) else []):
                if isinstance(d, Mapping) and isinstance(d.get("value"), str):
                    found, _methods, unread = read_references([d["value"]])
                    if found and not unread:
                        src.take([*cp, j, "value"])
                        standards.extend(str(s) for s in found if str(s) not in standards)
    issue = None
    anies = src.at([*root, "processInformation", "time", "other", "anies"])
    if isinstance(anies, list):
        for k, a in enumerate(anies):
            if isinstance(a, Mapping) and a.get("name") == "publicationDateOfEPD" and isinstance(a.get("value"), int):
                stamp = a["value"]
                if stamp % 86_400_000 == 0:  # a date at midnight UTC, as soda4LCA writes it
                    issue = (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=stamp)).date().isoformat()
                    src.take([*root, "processInformation", "time", "other", "anies", k])
    doc = {
        "type": "epd",
        "standards": standards,
        "holder": holder,
        "issue_date": issue,
        "products": [{"product": pid}],
        "epd": epd,
    }
    _finish(src, root, b, doc, "epd-" + (uuid or "1"), "ilcd-epd", version, uuid)
