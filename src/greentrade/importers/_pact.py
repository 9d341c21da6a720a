"""PACT ProductFootprints (Technical Specifications v2 and v3): the version the file states, the
fields every version requires, then the shared footprint mapping with PACT's exclusive ends."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from greentrade.importers._base import ImportError_, Source
from greentrade.importers._builder import Builder
from greentrade.importers._detect import pact_version, refusal
from greentrade.importers._pcf import map_footprint

__all__ = ["map_pact"]

Path_ = list[str | int]
_REQUIRED = ("id", "specVersion", "created", "companyName", "companyIds", "productIds", "productNameCompany", "pcf")


def map_pact(src: Source, root: Path_, b: Builder) -> None:
    pf = src.at(root)
    if not isinstance(pf, Mapping):
        raise ImportError_("not a PACT ProductFootprint (not an object)")
    other = refusal(pf, "pact")
    if other:
        raise ImportError_(other)
    version = pact_version(pf)
    if version is None:
        stated = pf.get("specVersion")
        raise ImportError_("not a PACT ProductFootprint: no specVersion" if stated is None else
                           f"specVersion {stated!r} is not a PACT version (x.y.z): the version is not guessed")
    major = version.split(".")[0]
    if major not in ("2", "3"):
        raise ImportError_(f"PACT Technical Specifications version {version} is not supported (2.x and 3.x are)")
    missing = [k for k in _REQUIRED if k not in pf]
    pcf: Mapping[str, Any] = pf["pcf"] if isinstance(pf.get("pcf"), Mapping) else {}
    unit_key, amount_key = (("declaredUnitOfMeasurement", "declaredUnitAmount") if major == "3"
                            else ("declaredUnit", "unitaryProductAmount"))
    missing += [f"pcf/{k}" for k in (unit_key, amount_key, "referencePeriodStart", "referencePeriodEnd")
                if k not in pcf]
    if missing:
        raise ImportError_(f"not a PACT {version} ProductFootprint: required {', '.join(missing)} missing")
    src.take([*root, "specVersion"])
    map_footprint(src, root, b, "pact", version, exclusive=True)
