"""Outcome builders of itc-green-export-pass for ``greentrade.testing.strategies``.

Registered through the ``greentrade.strategies`` entry point (see ``pyproject.toml``), so any
suite with this plugin and ``greentrade[testing]`` installed can draw, for example,
``dossiers_with_outcome("itc-green-export-pass", "undetermined", "ITC-GEP-008")``.

The eligible dossier: products of the pilot's categories, made at one manufacturing site,
shipped to a target region after the pilot's start, with one certificate attached to every
shipment that cites GB/T 33761-2024 (evidence for every product it covers) and ISO 50001:2018
(evidence for the manufacturing sites it lists), held by the exporter and issued by a body
accredited to ISO/IEC 17065 by an IAF MLA signatory. Every other builder changes one thing;
the targets are a table keyed by rule id (`TARGETS`): when a rule's verdict changes, move or
edit its line. Rules whose basis is ``inferred`` give warnings or ``undetermined`` by
default; their ``not_eligible`` builders (reason ``<rule>/required``) carry a configuration in
which the host makes the rule binding (``require``), available from ``outcome_config``.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any

from greentrade.testing.strategies import OutcomeTarget as Target
from greentrade.testing.strategies import register_targets
from greentrade_itc_green_export_pass import _pilot

PROGRAM = _pilot.PROGRAM
START = dt.date(2026, 6, 16)
CONFIG: Mapping[str, Any] = {}
Data = dict[str, Any]


@functools.cache
def _target_countries() -> list[str]:
    return sorted({c for r in _pilot.regions_data()["regions"] for c in r["countries"]})


def required() -> dict[str, Any]:
    """The options of `dossiers` every eligible dossier needs."""
    return {
        "categories": list(_pilot.categories()), "exporter_countries": ["CN"],
        "destination_countries": _target_countries(), "ship_dates": (START, dt.date(2028, 12, 31)),
        "min_documents": 1, "max_documents": 1, "document_types": ["certificate"],
        "document_statuses": ["valid"], "manufacturing_sites": True,
    }


def _party(d: Data, pid: str) -> Data:
    return next(p for p in d["parties"] if p["id"] == pid)


def _doc(d: Data) -> Data:
    doc: Data = d["documents"][0]
    return doc


def _complete(data: Data) -> Data:
    d = copy.deepcopy(data)
    # One manufacturer and site for every product: a certificate listing the site of a product
    # that a shipment does not carry would name a site of a party foreign to it (ITC-GEP-009).
    first = d["products"][0]
    for p in d["products"]:
        p["manufacturer"] = first["manufacturer"]
        if "manufacturing_site" in first:
            p["manufacturing_site"] = first["manufacturing_site"]
    doc = _doc(d)
    doc["standards"] = ["GB/T 33761-2024", "ISO 50001:2018"]
    doc["products"] = [{"product": p["id"], "model": p["model"], "hs_code": p["hs_code"]} for p in d["products"]]
    sites = sorted({p["manufacturing_site"] for p in d["products"] if "manufacturing_site" in p})
    if sites:
        doc["sites"] = sites
    else:
        doc.pop("sites", None)
    doc["holder"] = d["shipments"][0]["exporter"]
    for acc in _party(d, doc["issuer"])["accreditations"]:
        acc["standard"], acc["iaf_mla_signatory"] = "ISO/IEC 17065:2012", True
    for sh in d["shipments"]:
        sh["documents"] = [doc["id"]]
    return d


# -- changes that give one outcome ------------------------------------------------------------


def _standards(*designators: str) -> Callable[[Data], None]:
    def change(d: Data) -> None:
        _doc(d)["standards"] = list(designators)
    return change


def _detach(d: Data) -> None:
    for sh in d["shipments"]:
        sh.pop("documents", None)


def _suspended(d: Data) -> None:
    _doc(d)["status"] = "suspended"


def _accreditation(**values: Any) -> Callable[[Data], None]:
    def change(d: Data) -> None:
        for acc in _party(d, _doc(d)["issuer"])["accreditations"]:
            acc.update(values)
    return change


def _no_sites_listed(d: Data) -> None:
    _doc(d).pop("sites", None)


def _held_by_issuer(d: Data) -> None:
    _doc(d)["holder"] = _doc(d)["issuer"]


def _unknown_standard_only(d: Data) -> None:
    _doc(d)["standards"] = ["IEC 61215-1:2021"]
    _doc(d).pop("sites", None)


#: Host reference data for the regions that is not what the rule expects (a string, not a list).
MALFORMED_REGIONS: Mapping[str, Any] = {"reference": {_pilot.REGIONS: {"regions": "Middle East"}}}
EXTRA = f"plugins.{_pilot.SECTION}.extra_standards"


def _with(**settings: Any) -> Mapping[str, Any]:
    """`CONFIG` with settings of the plugin's section."""
    return {**CONFIG, "plugins": {_pilot.SECTION: dict(settings)}}


def _required(rule: str) -> Mapping[str, Any]:
    """`CONFIG` in which the host makes the inferred `rule` binding (``require``)."""
    return _with(require=[rule])

TARGETS = (
    # not_applicable: outside the program's period or scope
    Target("not_applicable", "effective-period",
           options={"ship_dates": (dt.date(2024, 1, 1), START - dt.timedelta(days=1))}),
    Target("not_applicable", "ITC-GEP-001", options={"categories": ["solar-street-light", "solar-garden-light"]}),
    Target("not_applicable", "ITC-GEP-002/host-markets", options={"destination_countries": ["DE", "FR", "US", "JP"]},
           config=_with(pilot_markets=["SA", "AE"])),
    # not_eligible: one error per rule that can fail a shipment. The inferred rules (ITC-GEP-006,
    # 007, 008, 009) fail a shipment only when the host makes them binding (`require`); a superseded
    # edition (ITC-GEP-003) only once the host's transition end for it has passed; ITC-GEP-005
    # only for a shipment whose documents cite no standard at all.
    Target("not_eligible", "ITC-GEP-003/transition-ended", _standards("GB/T 33761-2017", "ISO 50001:2018"),
           config=_with(transition_ends={"GB/T 33761-2017": "2026-01-31"})),
    Target("not_eligible", "ITC-GEP-005", _detach),
    Target("not_eligible", "ITC-GEP-006/required", _suspended, config=_required("ITC-GEP-006")),
    Target("not_eligible", "ITC-GEP-007/required", _accreditation(standard="ISO/IEC 17025:2017"),
           config=_required("ITC-GEP-007")),
    Target("not_eligible", "ITC-GEP-008/required", _no_sites_listed, config=_required("ITC-GEP-008")),
    Target("not_eligible", "ITC-GEP-009/required", _held_by_issuer, config=_required("ITC-GEP-009")),
    # undetermined: what the data, the host configuration or the unpublished catalog do not say
    Target("undetermined", "ITC-GEP-002", config=MALFORMED_REGIONS, needs=f'reference."{_pilot.REGIONS}"'),
    Target("undetermined", "ITC-GEP-002/outside-regions", options={"destination_countries": ["DE", "FR", "US", "JP"]},
           needs=f"plugins.{_pilot.SECTION}.pilot_markets"),
    Target("undetermined", "ITC-GEP-003/superseded", _standards("GB/T 33761-2017", "ISO 50001:2018"),
           needs=f'plugins.{_pilot.SECTION}.transition_ends."GB/T 33761-2017"'),
    Target("undetermined", "ITC-GEP-003/newer", _standards("GB/T 33761-2030", "ISO 50001:2018"), needs=EXTRA),
    Target("undetermined", "ITC-GEP-005", _unknown_standard_only, options={"manufacturing_sites": False},
           needs="unpublished standards"),
    Target("undetermined", "ITC-GEP-006", _suspended, needs="ITC-GEP-006"),
    Target("undetermined", "ITC-GEP-007", _accreditation(iaf_mla_signatory=False),
           needs=f"plugins.{_pilot.SECTION}.accept_non_iaf_mla_accreditation"),
    Target("undetermined", "ITC-GEP-007/wrong-accreditation", _accreditation(standard="ISO/IEC 17025:2017"),
           needs="the host making ITC-GEP-007 binding"),
    Target("undetermined", "ITC-GEP-008", options={"manufacturing_sites": False},
           needs="manufacturing_site of product"),
)


def register() -> None:
    """Register the builders (the ``greentrade.strategies`` entry point calls this)."""
    register_targets(PROGRAM, (Target("eligible"), *TARGETS), required=required(), complete=_complete,
                     config=CONFIG)
