"""Properties of greentrade itself, checked with the strategies of greentrade.testing.

Run with the "ci" profile by default (see conftest.py and docs/testing.md).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from greentrade import Engine, Report, StandardDesignator, Status, structure, unstructure
from greentrade.testing import check_input_not_mutated, check_never_raises
from greentrade.testing import strategies as gts

CORE = Engine()
#: The cheap properties (no valid dossier to build) run many more examples than the profile's.
FAST = settings(max_examples=max(300, 10 * settings.default.max_examples))  # ci: 300 (was 1500: 34 s of the suite)
MEDIUM = settings(max_examples=4 * settings.default.max_examples)


def _validate_or_read_error(engine: Engine, value: Any) -> Report | None:
    # The public property check a downstream suite uses on its own engine.
    return check_never_raises(engine, value)


# -- any input gives a report or a DossierReadError, never another exception ----------------


@FAST
@given(gts.json_values())
def test_any_json_value(value: Any) -> None:
    _validate_or_read_error(CORE, value)


@FAST
@given(st.dictionaries(st.sampled_from(["format", "parties", "products", "documents", "shipments", "$schema",
                                        "extra"]), gts.json_values(max_leaves=6), max_size=5))
def test_any_top_level_object(value: dict[str, Any]) -> None:
    _validate_or_read_error(CORE, value)


@FAST
@given(st.one_of(st.binary(max_size=64), st.text(max_size=64),
                 gts.json_values().map(json.dumps), gts.json_values().map(lambda v: json.dumps(v).encode())))
def test_any_bytes_or_text(value: bytes | str) -> None:
    _validate_or_read_error(CORE, value)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def near_misses(draw: st.DrawFn) -> Any:
    """A valid dossier with one value replaced, removed, or a key added, anywhere."""
    data = draw(gts.dossier_json(max_shipments=1, max_documents=1))
    path = draw(st.sampled_from(_paths(data)[1:]))
    parent = data
    for p in path[:-1]:
        parent = parent[p]
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "delete":
        del parent[path[-1]]
    elif action == "add" and isinstance(parent[path[-1]], dict):
        parent[path[-1]][draw(st.text(max_size=6))] = draw(gts.json_values(max_leaves=4))
    else:
        parent[path[-1]] = draw(st.one_of(
            gts.json_values(max_leaves=4), st.text(max_size=12), st.integers(-5, 5),
            st.sampled_from(["", " ", "\x1c", "2026-02-29", "ZZ", "999999", "ISO 14067", "EN 1:2000+AC"]),
        ))
    return data


@MEDIUM
@given(near_misses())
def test_near_miss_dossiers(data: Any) -> None:
    _validate_or_read_error(CORE, data)


@MEDIUM
@given(near_misses())
def test_near_miss_dossiers_with_plugins(toy: Any, data: Any) -> None:
    _validate_or_read_error(toy.engine(toy.Plugin(), toy.Other()), data)


# -- determinism, no mutation, round trip -------------------------------------------------------


@given(gts.dossier_json(categories=["solar-street-light", "pv-module"], min_documents=1,
                        document_types=["carbon-footprint-declaration", "certificate"]),
       st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31))))
def test_reports_are_deterministic_whatever_the_plugin_order(toy: Any, data: dict[str, Any],
                                                             as_of: dt.date | None) -> None:
    a = toy.engine(toy.Plugin(), toy.Other()).validate(data, as_of=as_of).to_json()
    b = toy.engine(toy.Other(), toy.Plugin()).validate(data, as_of=as_of).to_json()
    c = toy.engine(toy.Other(), toy.Plugin()).validate(json.dumps(data, indent=1), as_of=as_of)
    assert a == b
    assert json.loads(a)["outcomes"] == c.to_dict()["outcomes"]
    assert json.loads(a)["findings"] == c.to_dict()["findings"]


@given(st.one_of(gts.dossier_json(), gts.invalid_dossiers().map(lambda m: m.data)))
def test_validation_does_not_change_its_input(toy: Any, data: dict[str, Any]) -> None:
    check_input_not_mutated(toy.engine(toy.Plugin(), toy.Other()), data)


@given(gts.dossier_json(max_shipments=3, max_products=3, max_documents=3, max_lines=3))
def test_json_entities_json_round_trip(data: dict[str, Any]) -> None:
    dossier = structure(data)
    assert unstructure(dossier) == data
    assert structure(unstructure(dossier)) == dossier


@given(gts.dossiers())
def test_entities_validate_like_their_json(dossier: Any) -> None:
    assert CORE.validate(dossier).to_dict()["findings"] == CORE.validate(unstructure(dossier)).to_dict()["findings"]


# -- monotonicity -------------------------------------------------------------------------------

_RANK = {Status.NOT_ELIGIBLE: 0, Status.UNDETERMINED: 1, Status.ELIGIBLE: 2}


def _engines(toy: Any) -> list[tuple[Engine, str, dt.date]]:
    """(engine, program, start date) for the test plugin and, if installed, cn-green-channel."""
    out = [(toy.engine(), toy.PROGRAM, toy.START)]
    try:
        import greentrade_cn_green_channel as cn
    except ImportError:
        return out
    engine = Engine(config=gts.outcome_config("cn-green-channel", "eligible"))
    engine.register(cn, name="cn-green-channel")
    start = next(p for p in engine.programs if p.id == "cn-green-channel").effective.start
    assert start is not None
    out.append((engine, "cn-green-channel", start))
    return out


def _outcome_dossiers() -> st.SearchStrategy[dict[str, Any]]:
    keys = gts.outcome_builders()
    return st.one_of(
        [gts.dossiers_with_outcome(*k) for k in keys if k[0] in ("toy-green-lane", "cn-green-channel")]
        + [gts.dossier_json(categories=["solar-street-light", "solar-garden-light", "pv-module"],
                            document_types=["carbon-footprint-declaration"], min_documents=1,
                            ship_dates=(dt.date(2025, 6, 1), dt.date(2027, 6, 1)))]
    )


def _statuses(engine: Engine, data: Any, program: str, as_of: dt.date | None = None) -> dict[str, Status]:
    report = engine.validate(data, as_of=as_of)
    assert report.evaluated, report.to_text()
    return {o.subject: o.status for o in report.outcomes if o.program == program}


def _worse_or_equal(after: Status, before: Status) -> bool:
    if after is Status.NOT_APPLICABLE or before is Status.NOT_APPLICABLE:
        return True  # scope is not an order of merit
    return _RANK[after] <= _RANK[before]


@given(_outcome_dossiers(), st.data())
def test_removing_a_document_never_improves_an_outcome(toy: Any, data: dict[str, Any], pick: st.DataObject) -> None:
    assume(data.get("documents"))
    doc_id = pick.draw(st.sampled_from([d["id"] for d in data["documents"]]))
    reduced = copy.deepcopy(data)
    reduced["documents"] = [d for d in reduced["documents"] if d["id"] != doc_id]
    for sh in reduced["shipments"]:
        if "documents" in sh:
            sh["documents"] = [x for x in sh["documents"] if x != doc_id]
            if not sh["documents"]:
                del sh["documents"]
    for engine, program, _start in _engines(toy):
        before, after = _statuses(engine, data, program), _statuses(engine, reduced, program)
        for shipment, status in after.items():
            assert _worse_or_equal(status, before[shipment]), (program, shipment, before[shipment], status)


@given(_outcome_dossiers(), st.data())
def test_unrelated_product_and_document_change_nothing(toy: Any, data: dict[str, Any], pick: st.DataObject) -> None:
    extended = copy.deepcopy(data)
    maker = next(p["id"] for p in data["parties"] if "manufacturer" in p.get("roles", []))
    taken = {p["id"] for p in data["products"]} | {d["id"] for d in data.get("documents", [])}
    new_id = pick.draw(gts.ids("NEW").filter(lambda i: i not in taken))
    product = pick.draw(gts.products(id=st.just(new_id), manufacturer=st.just(maker),
                                     category=gts.categories(sorted({p["category"] for p in data["products"]}))))
    extended["products"].append(unstructure(product))
    doc = pick.draw(gts.documents(id=st.just(new_id), issuer=st.just(maker), holder=st.just(maker),
                                  covers=[product]))
    extended.setdefault("documents", []).append(unstructure(doc))
    for engine, program, _start in _engines(toy):
        assert _statuses(engine, extended, program) == _statuses(engine, data, program)


@given(_outcome_dossiers(), st.integers(1, 3000))
def test_before_the_start_date_every_status_is_not_applicable(toy: Any, data: dict[str, Any], days: int) -> None:
    for engine, program, start in _engines(toy):
        as_of = start - dt.timedelta(days=days)
        statuses = _statuses(engine, data, program, as_of=as_of)
        assert set(statuses.values()) <= {Status.NOT_APPLICABLE}
        assert len(statuses) == len(data["shipments"])


# -- regressions of core bugs found by these properties ----------------------------------------


def test_en_corrigendum_round_trips() -> None:
    """Regression: '+AC' (EN corrigendum) was read as '+A'."""
    d = StandardDesignator.parse("EN 50549-1:2019+AC:2019")
    assert str(d) == "EN 50549-1:2019+AC:2019"


def test_schema_key_is_accepted() -> None:
    data = {"$schema": "https://greentrade.dev/schemas/v1/dossier.schema.json", "format": "greentrade.dossier/1"}
    assert CORE.validate(data).evaluated


def test_unknown_key_with_a_superscript_digit() -> None:
    _validate_or_read_error(CORE, {"0²": None})
