"""The testing kit as a downstream suite uses it: shrinking, health, leaf overrides, dossier
options for outcome builders, rule cases that explain themselves, and the public helpers."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from greentrade import Dossier, Engine, Report, unstructure
from greentrade.testing import (
    CaseError,
    assert_valid_report,
    check_deterministic,
    check_input_not_mutated,
    check_never_raises,
    engine_for,
    report_schema,
    run_case,
)
from greentrade.testing import strategies as gts

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zhejiang-solar-portfolio.json"


# -- shrinking and health ---------------------------------------------------------------------


def test_a_failing_example_shrinks_to_the_fewest_entities() -> None:
    """'No shipment has more than 2 lines' fails at: 1 party, 1 product, 1 shipment, 3 lines."""
    # Shrinking alone: Hypothesis's explain phase (on by default) then tries up to 500 more
    # examples to report which parts could vary; docs/testing.md gives both timings.
    d = find(gts.dossiers(max_lines=5), lambda d: any(len(s.lines) > 2 for s in d.shipments),
             settings=settings(database=None, max_examples=1000, phases=[Phase.generate, Phase.shrink]))
    assert (len(d.parties), len(d.products), len(d.shipments), len(d.documents), len(d.tenders)) == (1, 1, 1, 0, 0)
    assert len(d.shipments[0].lines) == 3
    assert [p.id for p in d.parties] == ["P1"] and d.products[0].id == "PR1"


def test_large_dossiers_pass_the_health_checks_with_default_settings() -> None:
    """10 shipments of 5 lines per example, with Hypothesis's default health checks."""

    @settings(max_examples=5, database=None, suppress_health_check=(), deadline=None)
    @given(gts.dossiers(min_shipments=10, max_shipments=10, min_lines=5, max_lines=5))
    def check(d: Dossier) -> None:
        assert len(d.shipments) == 10 and all(len(s.lines) == 5 for s in d.shipments)

    check()


@settings(max_examples=10)
@given(gts.dossiers(min_tenders=1, max_tenders=2, min_documents=1))
def test_dossiers_hold_tenders_whose_references_resolve(d: Dossier) -> None:
    assert 1 <= len(d.tenders) <= 2
    product_ids = {p.id for p in d.products}
    for t in d.tenders:
        assert d.party(t.buyer) is not None and "buyer" in d.party(t.buyer).roles  # type: ignore[union-attr]
        assert {i.product for i in t.items} <= product_ids
        assert t.shipment is None or d.shipment(t.shipment) is not None
    report = Engine().validate(d)
    assert report.evaluated and not report.findings, report.to_text()


# -- leaf overrides ---------------------------------------------------------------------------


_ERP_LEAVES = gts.Leaves(
    id=lambda prefix, i: st.just(f"ERP-{prefix}-{i:04d}"),
    name=st.sampled_from(["Acme Solar Co., Ltd.", "Ningbo Lighting"]),
    quantity=gts.decimals(places=2, max_value="999"),
    ship_date=st.dates(dt.date(2027, 1, 1), dt.date(2027, 1, 31)),
)


@settings(max_examples=10)
@given(gts.dossiers(min_tenders=1, leaves=_ERP_LEAVES))
def test_leaves_can_be_overridden(d: Dossier) -> None:
    assert all(p.id.startswith("ERP-P-") and len(p.id) == 10 for p in d.parties)
    assert {p.name for p in d.parties} <= {"Acme Solar Co., Ltd.", "Ningbo Lighting"}
    for s in d.shipments:
        assert dt.date(2027, 1, 1) <= s.ship_date <= dt.date(2027, 1, 31)
        for line in s.lines:
            assert isinstance(line.quantity, Decimal) and line.quantity.as_tuple().exponent == -2
    for t in d.tenders:
        assert all(isinstance(i.quantity, Decimal) for i in t.items)


@settings(max_examples=10)
@given(gts.dossier_json(leaves=attrs.evolve(_ERP_LEAVES, quantity=gts.decimals(places=3).map(float))))
def test_decimal_quantities_as_json_numbers_validate(data: dict[str, Any]) -> None:
    for s in data["shipments"]:
        assert all(Decimal(str(line["quantity"])).as_tuple().exponent >= -3 for line in s["lines"])
    report = Engine().validate(data)
    assert report.evaluated and not report.findings, report.to_text()


def test_leaves_from_a_mapping_and_unknown_leaves() -> None:
    assert gts.dossiers(leaves={"model": st.just("M-1")}) is not None
    with pytest.raises(ValueError, match="unknown leaves"):
        gts.dossiers(leaves={"colour": st.just("red")})


@settings(max_examples=20)
@given(gts.dossier_json(leaves=gts.Leaves(id=gts.indexed_ids(tails=True))))
def test_ids_with_tails_stay_unique(data: dict[str, Any]) -> None:
    ids = [p["id"] for p in data["parties"]] + [p["id"] for p in data["products"]]
    assert len(ids) == len(set(ids))
    assert Engine().validate(data).evaluated


# -- outcome builders with dossier options ------------------------------------------------------


@settings(max_examples=5)
@given(gts.dossiers_with_outcome("cn-green-channel", "eligible", min_shipments=3, max_shipments=3,
                                 ship_dates=(dt.date(2027, 1, 1), dt.date(2027, 6, 30))))
def test_outcome_builders_take_dossier_options(data: dict[str, Any]) -> None:
    assert len(data["shipments"]) == 3
    assert all("2027-01-01" <= s["ship_date"] <= "2027-06-30" for s in data["shipments"])
    engine = engine_for("cn-green-channel", config=gts.outcome_config("cn-green-channel"))
    gts.check_outcome(engine.validate(data), data, "cn-green-channel", "eligible")


def test_options_that_contradict_the_outcome_are_refused() -> None:
    with pytest.raises(ValueError, match="categories"):
        gts.merge_options({"categories": ["pv-module"]}, {"categories": ["solar-street-light"]})
    with pytest.raises(ValueError, match="ship_dates"):
        gts.merge_options({"ship_dates": (dt.date(2020, 1, 1), dt.date(2020, 2, 1))},
                          {"ship_dates": (dt.date(2026, 6, 5), dt.date(2028, 1, 1))})
    merged = gts.merge_options({"max_shipments": 5, "min_documents": 0, "categories": ["a", "b"]},
                               {"max_shipments": 2, "min_documents": 1, "categories": ["b", "c"]})
    assert merged == {"max_shipments": 2, "min_documents": 1, "categories": ["b"]}

    @settings(max_examples=1)
    @given(gts.dossiers_with_outcome("cn-green-channel", "eligible", categories=["pv-module"]))
    def draw(data: dict[str, Any]) -> None:
        raise AssertionError("unreachable")

    with pytest.raises(ValueError, match="leaves nothing of what the outcome needs"):
        draw()


# -- rule cases ---------------------------------------------------------------------------------


def _case(tmp_path: Path, **fields: Any) -> Path:
    case = {"case": "demo", "rules": ["CN-GC-004"], "expect": {"findings": []}, **fields}
    path = tmp_path / "demo.case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return path


def test_a_failing_case_shows_every_finding_rules_under_test_first(tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    data["shipments"][0]["lines"][0]["quantity"] = "12"  # a schema error hides the rule's findings
    path = _case(tmp_path, dossier=data, plugins=["cn-green-channel"],
                 expect={"findings": [{"rule": "CN-GC-004"}]})
    text = run_case(path).explain()
    assert text.index("actual findings of the rules under test (0)") < text.index("other findings (")
    assert "GT-SCHEMA-001" in text and "NOT run" in text


def test_a_misspelt_plugin_is_named(tmp_path: Path) -> None:
    path = _case(tmp_path, dossier={"format": "greentrade.dossier/1"}, plugins=["cn-green-chanel"])
    with pytest.raises(CaseError, match=r"'cn-green-chanel', which is not installed \(installed plugins: .*"
                                        r"cn-green-channel"):
        run_case(path)


def test_a_case_without_a_patch_needs_no_jsonpatch(tmp_path: Path) -> None:
    """In a fresh interpreter where jsonpatch cannot be imported."""
    plain = _case(tmp_path, base=str(EXAMPLE), rules=["GT-SCHEMA-001"], plugins=[])
    patched = tmp_path / "patched.case.json"
    patched.write_text(json.dumps({**json.loads(plain.read_text()), "patch": [
        {"op": "remove", "path": "/shipments/0/buyer"}]}), encoding="utf-8")
    script = (
        "import sys; sys.modules['jsonpatch'] = None\n"
        "from greentrade.testing import run_case, CaseError\n"
        f"assert run_case({str(plain)!r}).passed\n"
        "try:\n"
        f"    run_case({str(patched)!r})\n"
        "except CaseError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert "pip install 'greentrade[testing]'" in out.stdout and "has a patch" in out.stdout


# -- helpers ------------------------------------------------------------------------------------


def test_engine_for_loads_exactly_the_named_plugins() -> None:
    engine = engine_for("itc-green-export-pass")
    assert [p.id for p in engine.programs] == ["itc-green-export-pass"]
    with pytest.raises(LookupError, match=r"'no-such-plugin' not installed; installed: .*cn-green-channel"):
        engine_for("no-such-plugin")


def test_report_helpers() -> None:
    report = Engine().validate(EXAMPLE)
    assert_valid_report(report)
    assert report_schema()["title"]
    with pytest.raises(AssertionError):
        assert_valid_report("not a report")  # type: ignore[arg-type]


@settings(max_examples=10)
@given(st.one_of(gts.json_values(), gts.dossier_json(), gts.invalid_dossiers().map(lambda m: m.data)))
def test_property_checks_hold_for_the_core_engine(value: Any) -> None:
    engine = Engine()
    report = check_never_raises(engine, value)
    assert report is None or isinstance(report, Report)
    if isinstance(value, dict):
        check_deterministic(engine, value)
        check_input_not_mutated(engine, value)


def test_property_checks_catch_a_mutating_engine() -> None:
    class Mutating(Engine):
        def validate(self, dossier: Any, *args: Any, **kw: Any) -> Report:
            if isinstance(dossier, dict):
                dossier["touched"] = True
            return super().validate({"format": "greentrade.dossier/1"})

    data = unstructure(Dossier())
    with pytest.raises(AssertionError, match="changed its input"):
        check_input_not_mutated(Mutating(), data)





@settings(max_examples=5)
@given(gts.dossiers_with_outcome("cn-green-channel", "eligible",
                                 leaves={"ship_date": st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))}))
def test_a_ship_date_leaf_keeps_to_the_dates_the_outcome_needs(data: dict[str, Any]) -> None:
    assert all("2026-06-05" <= s["ship_date"] <= "2026-12-31" for s in data["shipments"])
