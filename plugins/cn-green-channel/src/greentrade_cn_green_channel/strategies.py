"""Outcome builders of cn-green-channel for ``greentrade.testing.strategies``.

Registered through the ``greentrade.strategies`` entry point (see ``pyproject.toml``), so any
suite with this plugin and ``greentrade[testing]`` installed can draw, for example,
``dossiers_with_outcome("cn-green-channel", "not_eligible", "CN-GC-004")``.

Every builder starts from an eligible dossier and changes one thing. The targets are a table
keyed by rule id (`TARGETS`): when a rule's verdict changes, move or edit its line.
The port rule needs the host's list of pilot ports (the announcement does not name them); the
builders use an example configuration with two ports (`CONFIG`), so the rule finds a
port-count warning but no error.
Rules whose basis is ``inferred`` give warnings or ``undetermined`` by default; their
``not_eligible`` builders (reason ``<rule>/required``) carry a configuration in which the host
makes the rule binding (``require``), available from ``outcome_config``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from greentrade.testing.strategies import OutcomeTarget as Target
from greentrade.testing.strategies import register_targets

PROGRAM = "cn-green-channel"
PORTS = ("CNNGB", "CNSHA")
CONFIG: Mapping[str, Any] = {"plugins": {PROGRAM: {"pilot_ports": list(PORTS)}}}
START = dt.date(2026, 6, 5)
SOLAR = ["solar-street-light", "solar-garden-light"]

#: The options of `dossiers` every eligible dossier needs.
REQUIRED: Mapping[str, Any] = {
    "categories": SOLAR, "exporter_countries": ["CN"], "ports": list(PORTS),
    "ship_dates": (START, dt.date(2028, 12, 31)), "min_documents": 1, "max_documents": 1,
    "document_types": ["carbon-footprint-declaration"], "document_statuses": ["valid"],
}

Data = dict[str, Any]


def _complete(data: Data) -> Data:
    """One ISO 14067:2018 declaration by an accredited body, covering every product, attached
    to every shipment and held by the exporter."""
    d = copy.deepcopy(data)
    doc = d["documents"][0]
    doc["standards"] = ["ISO 14067:2018"]
    doc["products"] = [
        {k: p[k] for k in ("model", "hs_code", "specs") if k in p} | {"product": p["id"]} for p in d["products"]
    ]
    doc.pop("sites", None)
    footprint = doc["carbon_footprint"]
    footprint["declared_unit"] = "1 luminaire"
    footprint["ghg_kg_co2e"] = max(abs(footprint["ghg_kg_co2e"]), 1)
    doc["holder"] = d["shipments"][0]["exporter"]
    issuer = _party(d, doc["issuer"])
    for acc in issuer["accreditations"]:
        acc["standard"], acc["iaf_mla_signatory"] = "ISO 14065:2020", True
    for sh in d["shipments"]:
        sh["documents"] = [doc["id"]]
    return d


# -- changes that give one outcome ------------------------------------------------------------


def _party(d: Data, pid: str) -> Data:
    return next(p for p in d["parties"] if p["id"] == pid)


def _doc(d: Data) -> Data:
    doc: Data = d["documents"][0]
    return doc


def _each_shipment(**values: Any) -> Callable[[Data], None]:
    def change(d: Data) -> None:
        for sh in d["shipments"]:
            sh.update(values)
    return change


def _exporter_abroad(d: Data) -> None:
    _party(d, d["shipments"][0]["exporter"])["country"] = "VN"


def _detach(d: Data) -> None:
    for sh in d["shipments"]:
        sh.pop("documents", None)


def _standards(*designators: str) -> Callable[[Data], None]:
    def change(d: Data) -> None:
        _doc(d)["standards"] = list(designators)
    return change


def _issuer_accreditations(value: list[Any] | None) -> Callable[[Data], None]:
    def change(d: Data) -> None:
        issuer = _party(d, _doc(d)["issuer"])
        if value is None:
            issuer.pop("accreditations", None)
            return
        for acc in issuer["accreditations"]:
            acc["standard"] = value[0]
    return change


def _suspended(d: Data) -> None:
    _doc(d)["status"] = "suspended"


def _other_model(d: Data) -> None:
    for cov in _doc(d)["products"]:
        cov["model"] = cov["model"] + "-X"


def _held_by_issuer(d: Data) -> None:
    _doc(d)["holder"] = _doc(d)["issuer"]


def _no_footprint(d: Data) -> None:
    _doc(d).pop("carbon_footprint", None)


def _declared_hs_differs(d: Data) -> None:
    for cov in _doc(d)["products"]:
        cov["hs_code"] = "940542"


NO_PORTS: Mapping[str, Any] = {}
#: A recognized body of the host's list that issues none of the drawn documents (an example).
OTHER_BODY: Mapping[str, Any] = {"scheme": "uscc", "value": "91330000000000000X", "note": "another body"}


def _with(**settings: Any) -> Mapping[str, Any]:
    """`CONFIG` with more settings of the plugin's section."""
    return {"plugins": {PROGRAM: {**CONFIG["plugins"][PROGRAM], **settings}}}


def _required(rule: str, **settings: Any) -> Mapping[str, Any]:
    """`CONFIG` in which the host makes the inferred `rule` binding (``require``)."""
    return _with(require=[rule], **settings)


TARGETS = (
    # not_applicable: outside the program's period or scope
    Target("not_applicable", "effective-period",
           options={"ship_dates": (dt.date(2024, 1, 1), START - dt.timedelta(days=1))}),
    Target("not_applicable", "CN-GC-001/exporter", _exporter_abroad),
    Target("not_applicable", "CN-GC-001/no-solar-line",
           options={"categories": ["pv-module", "energy-storage-battery"]}),
    # not_eligible: one error per rule that can fail a shipment. The inferred rules CN-GC-007,
    # 008, 009, 010 and 012 fail a shipment only when the host makes them binding (`require`),
    # CN-GC-006 only after a transition end date the host configured; CN-GC-002 (HS code) only
    # warns and CN-GC-011 only says undetermined, so they have no not_eligible builder.
    Target("not_eligible", "CN-GC-003", _each_shipment(port_of_export="VNSGN")),
    Target("not_eligible", "CN-GC-004", _detach),
    Target("not_eligible", "CN-GC-005", _standards("ISO 14064-1:2018")),
    Target("not_eligible", "CN-GC-005/host-list", _standards("GB/T 24067-2024"),
           config=_with(accepted_as_iso_14067=[])),
    Target("not_eligible", "CN-GC-006/transition-ended", _standards("ISO/TS 14067:2013"),
           config=_with(transition_ends={"ISO/TS 14067:2013": "2026-01-01"})),
    Target("not_eligible", "CN-GC-007/required", config=_required("CN-GC-007", recognized_bodies=[OTHER_BODY])),
    Target("not_eligible", "CN-GC-008/required", _suspended, config=_required("CN-GC-008")),
    Target("not_eligible", "CN-GC-009/required", _other_model, config=_required("CN-GC-009")),
    Target("not_eligible", "CN-GC-010/required", _held_by_issuer, config=_required("CN-GC-010")),
    Target("not_eligible", "CN-GC-012/required", _declared_hs_differs, config=_required("CN-GC-012")),
    # undetermined: what the data or the host configuration does not say
    Target("undetermined", "CN-GC-003/no-port-list", config=NO_PORTS, needs="plugins.cn-green-channel.pilot_ports"),
    Target("undetermined", "CN-GC-003/port-not-listed", _each_shipment(port_of_export="CNTAO"),
           needs="plugins.cn-green-channel.pilot_ports"),
    Target("undetermined", "CN-GC-005", _standards("ISO 14067:2030"), needs="the edition of ISO 14067"),
    Target("undetermined", "CN-GC-005/gb-t-24067", _standards("GB/T 24067-2024"),
           needs="plugins.cn-green-channel.accepted_as_iso_14067"),
    Target("undetermined", "CN-GC-006", _standards("ISO/TS 14067:2013"),
           needs="plugins.cn-green-channel.transition_ends"),
    Target("undetermined", "CN-GC-007", _issuer_accreditations(None),
           needs="plugins.cn-green-channel.recognized_bodies"),
    Target("undetermined", "CN-GC-007/testing-laboratory", _issuer_accreditations(["ISO/IEC 17025:2017"]),
           needs="plugins.cn-green-channel.recognized_bodies"),
    Target("undetermined", "CN-GC-008", _suspended, needs="CN-GC-008"),
    Target("undetermined", "CN-GC-011", _no_footprint, needs="carbon_footprint of document"),
    Target("undetermined", "CN-GC-007/not-on-list", config=_with(recognized_bodies=[OTHER_BODY]),
           needs="plugins.cn-green-channel.recognized_bodies"),
)


def register() -> None:
    """Register the builders (the ``greentrade.strategies`` entry point calls this)."""
    register_targets(PROGRAM, (Target("eligible"), *TARGETS), required=REQUIRED, complete=_complete, config=CONFIG)
