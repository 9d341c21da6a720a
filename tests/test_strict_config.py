"""examples/greentrade-strict.toml: a host configuration that makes the commonly expected
inferred checks binding (#19). It loads, every rule it requires is a rule whose verdict would
otherwise be a reading (basis inferred, or inferred hits), each with a comment saying why, and it
turns such a finding into an error with basis host."""

from __future__ import annotations

import json
import re
from pathlib import Path

from greentrade import Basis, Effect, Engine

ROOT = Path(__file__).resolve().parents[1]
STRICT = ROOT / "examples" / "greentrade-strict.toml"
# Rules whose basis is stated but whose findings without a stated tender field are readings.
READINGS_OF_STATED_RULES = {"TENDER-002", "TENDER-004"}


def _required() -> list[tuple[str, str]]:
    """(rule id, comment) of every line of a require list."""
    return re.findall(r'^\s+"([A-Z]+-[A-Z0-9-]+)",\s*#\s*(\S.*)$', STRICT.read_text("utf-8"), re.MULTILINE)


def test_the_strict_configuration_loads_and_each_required_rule_says_why():
    engine = Engine(config=STRICT)
    engine.load_entry_points()
    listed = _required()
    assert len(listed) >= 8
    in_lists = re.findall(r'^\s+"([A-Z]+-[A-Z0-9-]+)",', STRICT.read_text("utf-8"), re.MULTILINE)
    assert [r for r, _why in listed] == in_lists  # every line has its comment
    rules = {r.id: r for r in engine.rules}
    for rule_id, why in listed:
        assert rule_id in rules, rule_id
        assert rules[rule_id].basis in (Basis.INFERRED, Basis.PRACTICE) or rule_id in READINGS_OF_STATED_RULES
        assert len(why) > 20
    assert engine.assumptions == "undetermined"


def test_the_strict_configuration_makes_a_reading_an_error_with_basis_host():
    data = json.loads((ROOT / "plugins" / "buyer-profiles" / "examples" / "portfolio.json").read_text())
    data["tenders"][0]["delivery_date"] = "2027-07-15"  # the declaration expires 2027-06-30
    default = Engine()
    default.load_entry_points()
    strict = Engine(config=STRICT)
    strict.load_entry_points()

    def tender004(engine):
        return [(f.effect, f.basis) for f in engine.validate(data).findings if f.rule == "TENDER-004"]

    assert tender004(default) == [(Effect.NOTE, Basis.INFERRED)]
    assert tender004(strict) == [(Effect.VIOLATION, Basis.HOST)]


def test_the_bundled_example_still_validates_under_it():
    engine = Engine(config=STRICT)
    engine.load_entry_points()
    report = engine.validate((ROOT / "examples" / "zhejiang-solar-portfolio.json").read_bytes())
    assert report.evaluated
    assert not [f for f in report.findings if f.rule.startswith("GT-ENGINE")
                and f.rule not in ("GT-ENGINE-009", "GT-ENGINE-010")]
