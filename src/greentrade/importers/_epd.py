"""openEPD importer: environmental product declarations with per-module GWP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from greentrade.importers._base import ImportError_, ImportNote, Source, pointer
from greentrade.importers._builder import Builder, slug
from greentrade.importers._detect import refusal
from greentrade.importers._units import declared_unit, gwp_unit

__all__ = ["finish", "gwp_value", "map_openepd", "openepd_orgs"]

Path_ = list[str | int]

# openEPD life-cycle stage keys -> EN 15804 modules of the dossier
_OPENEPD_MODULES = {"A1A2A3": "A1-A3", "A1": "A1", "A2": "A2", "A3": "A3", "A4": "A4", "A5": "A5",
                    "B1": "B1", "B2": "B2", "B3": "B3", "B4": "B4", "B5": "B5", "B6": "B6", "B7": "B7",
                    "C1": "C1", "C2": "C2", "C3": "C3", "C4": "C4", "D": "D"}
_OPENEPD_GWP = {"gwp": "total", "gwp_fossil": "fossil", "gwp_biogenic": "biogenic", "gwp_luluc": "luluc"}


def finish(src: Source, root: Path_, b: Builder, doc: dict[str, Any], did: str, fmt: str, version: str | None,
           source_id: str | None, revision: str | None = None) -> str:
    unmapped = src.unmapped(root)
    doc["source"] = {"format": fmt, "version": version, "id": source_id, "revision": revision, "unmapped": unmapped}
    did = b.document(did, doc, (src.file, pointer(root)))
    b.remember(fmt, source_id, version, did, revision)
    src.loss_notes(unmapped, f"document {did}")
    return did


def gwp_value(src: Source, path: Path_, unit: Any, what: str) -> float | None:
    """A GWP value in kg CO2e; any other unit is one warning naming the spelling."""
    problem = gwp_unit(unit)
    if problem:
        src.mark(path)
        src.warn("GT-IMPORT-004", f"{what}: {problem}: not imported", path)
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
        raise ImportError_("not an openEPD EPD (not an object)")
    if "doctype" not in data and "owner" in data:
        src.notes.append(ImportNote("GT-IMPORT-001", "info",
                                    "an openEPD Plant has no home in the dossier (a site needs a country code, "
                                    "which the plant's free-text address does not give): not imported",
                                    src.file, pointer(root)))
        return
    other = refusal(data, "openepd")
    if other:
        raise ImportError_(other)
    if str(data.get("doctype", "")).lower() != "openepd":
        raise ImportError_(f"not an openEPD EPD (doctype {data.get('doctype')!r})")
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
    rev = src.at([*root, "version"])
    revision = str(src.take([*root, "version"])) if isinstance(rev, int | str) and not isinstance(rev, bool) \
        and str(rev).strip() else None
    if b.duplicate("openepd", epd_id, version, src.file, pointer(root), revision):
        src.mark(root)
        return
    maker = b.holder(_org(src, [*root, "manufacturer"], b, orgs, "manufacturer"))
    operator = _org(src, [*root, "program_operator"], b, orgs, None)
    verifier = _org(src, [*root, "third_party_verifier"], b, orgs, "certification-body")
    product: dict[str, Any] = {
        "name": src.text([*root, "product_name"]),
        "description": src.text([*root, "product_description"]),
        "manufacturer": maker,
        "identifiers": [{"scheme": "sku", "value": sku}] if (sku := src.text([*root, "product_sku"])) else [],
        "source": {"format": "openepd", "version": version, "id": epd_id, "revision": revision},
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
    name = declared_unit(unit) if isinstance(unit, str) else None
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
                    value = gwp_value(src, [*mpath, key, stage, "mean"], m.get("unit"), f"{key} {stage}")
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
    finish(src, root, b, doc, "epd-" + base, "openepd", version, epd_id, revision)


def _day(src: Source, path: Path_) -> str | None:
    day = src.date(path)
    return day.isoformat() if day else None


def openepd_orgs(data: Any) -> dict[str, Mapping[str, Any]]:
    """openEPD Org objects (files without a doctype that name a web domain), by web domain."""
    if isinstance(data, Mapping) and "doctype" not in data and isinstance(data.get("web_domain"), str) \
            and "owner" not in data:
        return {data["web_domain"]: data}
    return {}
