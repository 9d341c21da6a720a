"""What a file looks like: its format and the version it states, read from the file, never guessed.

`looks_like` names the format of one parsed item (a footprint, an EPD, an aspect) from the
markers each format's published examples carry; each importer refuses an item that looks like
another format with a message naming it and the command to use. The version readers return the
version the file states (``specVersion``, the Catena-X data-model URN), or None.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["catenax_version", "looks_like", "pact_version", "refusal"]

_CX_URN = re.compile(r"^urn:io\.catenax\.pcf:datamodel:version:([0-9]+\.[0-9]+\.[0-9]+)$")
_SEMVER = re.compile(r"^([0-9]+)\.([0-9]+)\.([0-9]+)(?:-[0-9A-Za-z.-]+)?$")
#: Field names that only Catena-X writes (flat layouts 5-8 and nested 9-10).
_CX_MARKERS = ("extWBCSD_", "extTFS_", "distributionStage", "pcfLegalStatement", "catenaXSiteIds",
               "companyAndProductInformation", "scopeOfPcfForm", "pcfAssessmentAndMethodology",
               "productLifeCycleStagesAndEmissions")
_COMMANDS = {"pact": "pact", "catenax-pcf": "catenax", "openepd": "openepd", "ilcd-epd": "ilcd",
             "batterypass": "batterypass"}


def _keys(node: Any, depth: int = 3) -> set[str]:
    out: set[str] = set()
    if depth and isinstance(node, Mapping):
        for k, v in node.items():
            out.add(str(k))
            out |= _keys(v, depth - 1)
    elif depth and isinstance(node, list) and node:
        out |= _keys(node[0], depth - 1)
    return out


def _spec(data: Mapping[str, Any]) -> str | None:
    spec = data.get("specVersion")
    if isinstance(spec, list) and spec:
        spec = spec[0]
    scope = data.get("scopeOfPcfForm")
    if not isinstance(spec, str) and isinstance(scope, list) and scope and isinstance(scope[0], Mapping):
        spec = scope[0].get("specVersion")
    return spec if isinstance(spec, str) else None


def catenax_version(data: Mapping[str, Any]) -> str | None:
    """The Catena-X PCF data-model version the file states (its specVersion URN), or None."""
    spec = _spec(data)
    m = _CX_URN.match(spec.strip()) if spec else None
    return m.group(1) if m else None


def pact_version(data: Mapping[str, Any]) -> str | None:
    """The PACT Technical Specifications version (``specVersion``, semantic version), or None."""
    spec = data.get("specVersion")
    return spec.strip() if isinstance(spec, str) and _SEMVER.match(spec.strip()) else None


def looks_like(data: Any) -> tuple[str, str | None] | None:
    """(format, stated version) that one item looks like, or None when it looks like none."""
    if not isinstance(data, Mapping):
        return None
    if str(data.get("doctype", "")).lower() == "openepd":
        v = data.get("openepd_version")
        return "openepd", v if isinstance(v, str) else None
    if isinstance(data.get("processInformation"), Mapping):
        v = data.get("version")
        return "ilcd-epd", v if isinstance(v, str) else None
    if {"batteryCarbonFootprint", "carbonFootprintPerLifecycleStage", "batteryPassportIdentifier",
            "productIdentifier"} & set(data):
        return "batterypass", None
    cx = catenax_version(data)
    if cx:
        return "catenax-pcf", cx
    keys = _keys(data)
    if any(k.startswith(m) for k in keys for m in _CX_MARKERS):
        return "catenax-pcf", None
    if isinstance(data.get("pcf"), Mapping) and "specVersion" in data:
        return "pact", pact_version(data)
    return None


def refusal(data: Any, wanted: str) -> str | None:
    """A one-line refusal when the item looks like another format than `wanted`, else None."""
    seen = looks_like(data)
    if seen is None or seen[0] == wanted:
        return None
    fmt, version = seen
    names = {"pact": "PACT ProductFootprint", "catenax-pcf": "Catena-X PCF", "openepd": "openEPD EPD",
             "ilcd-epd": "ILCD+EPD process data set", "batterypass": "Battery Pass aspect"}
    what = f"{names[fmt]} {version}" if version else names[fmt]
    article = "an" if what[0] in "AEIOUaeiou" else "a"
    return f"this is {article} {what} file: use `greentrade import {_COMMANDS[fmt]}`"
