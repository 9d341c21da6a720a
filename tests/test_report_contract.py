"""report/2 (issues #19, #22, #24, #25): assumptions on outcomes, message ids and arguments,
each source once, every published report schema available by its format version."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _helpers import DOSSIER, SHIPMENT, make_plugin, rule

from greentrade import Basis, ConfigError, Engine, Status
from greentrade.io._schemas import schema, validator
from greentrade.render import expand_report, localize_report
from greentrade.rules._report import REPORT_FORMAT, REPORT_FORMATS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _engine(*rules, config=None):
    e = Engine(config=config)
    schema_ = {"type": "object", "additionalProperties": False, "properties": {}}
    e.register(make_plugin(*rules, config_schema={"demo": schema_}), name="demo")
    return e


def _assumes(ctx):
    yield ctx.assume("the issuer's accreditation is taken as its recognition", ctx.shipment,
                     needs="plugins.demo.recognized_bodies", message_id="DEMO-001.recognition-assumed",
                     args={"issuer": "CB-1"})


def test_an_outcome_lists_the_premises_it_rests_on():
    report = _engine(rule("DEMO-001", _assumes, basis="inferred")).validate(DOSSIER)
    assert report.status("demo", SHIPMENT) is Status.ELIGIBLE
    (outcome,) = [o for o in report.to_dict()["outcomes"] if o["program"] == "demo"]
    # report/2 refers to the finding that states the premise (its text, arguments and needs)
    assert outcome["assumptions"] == [{"rule": "DEMO-001", "basis": "inferred", "finding": 0}]
    (finding,) = report.to_dict()["findings"]
    assert (finding["severity"], finding["effect"], finding["message_id"]) == ("info", "note",
                                                                               "DEMO-001.recognition-assumed")
    assert (finding["message"], finding["args"], finding["needs"]) == (
        "the issuer's accreditation is taken as its recognition", {"issuer": "CB-1"}, "plugins.demo.recognized_bodies")
    # the readers' form copies the text back in
    (expanded,) = [o for o in expand_report(report.to_dict())["outcomes"] if o["program"] == "demo"]
    assert expanded["assumptions"][0]["text"] == "the issuer's accreditation is taken as its recognition"
    assert not list(validator("report").iter_errors(report.to_dict()))


def test_a_host_can_make_assumed_outcomes_undetermined():
    config = {"greentrade": {"assumptions": "undetermined"}}
    report = _engine(rule("DEMO-001", _assumes, basis="inferred"), config=config).validate(DOSSIER)
    assert report.status("demo", SHIPMENT) is Status.UNDETERMINED
    (outcome,) = [o for o in report.outcomes if o.program == "demo"]
    assert outcome.reasons == ("DEMO-001",)
    assert "plugins.demo.recognized_bodies" in outcome.summary and outcome.summary_id == "outcome.assumed"
    assert len(outcome.assumptions) == 1


def test_assumptions_setting_is_checked():
    with pytest.raises(ConfigError):
        Engine(config={"greentrade": {"assumptions": "maybe"}})


def test_an_undetermined_or_not_eligible_outcome_does_not_list_assumptions():
    def check(ctx):
        yield from _assumes(ctx)
        yield ctx.violation("broken", ctx.shipment)

    report = _engine(rule("DEMO-001", check, basis="stated")).validate(DOSSIER)
    (outcome,) = [o for o in report.outcomes if o.program == "demo"]
    assert outcome.status is Status.NOT_ELIGIBLE and outcome.assumptions == ()
    assert outcome.summary_id == "outcome.errors" and dict(outcome.summary_args) == {"count": 1, "rules": "DEMO-001"}


def test_a_hit_without_an_id_gets_its_rule_id_and_bad_args_are_a_rule_fault():
    def plain(ctx):
        yield ctx.note("plain text", ctx.shipment)

    def bad(ctx):
        yield ctx.note("bad args", ctx.shipment, args={"x": object()})

    report = _engine(rule("DEMO-001", plain, basis="stated"), rule("DEMO-002", bad, basis="stated")).validate(DOSSIER)
    d = report.to_dict()
    (plain_f,) = [f for f in d["findings"] if f["rule"] == "DEMO-001"]
    assert (plain_f["message_id"], plain_f["args"]) == ("DEMO-001", {})
    (fault,) = report.findings_for(rule="GT-ENGINE-003")
    assert "args" in fault.message and fault.subject == "DEMO-002"
    assert report.status("demo", SHIPMENT) is Status.UNDETERMINED
    rules = {r["id"]: r for r in d["rules"]}
    # Every rule a finding names is listed with its source, the engine's rule included.
    assert {f["rule"] for f in d["findings"]} <= {r for r, x in rules.items() if "source" in x}
    assert d["sources"][rules["GT-ENGINE-003"]["source"]]["authority"] == "greentrade"


def test_every_published_report_format_has_its_schema():
    assert REPORT_FORMAT == REPORT_FORMATS[-1] == "greentrade.report/2"
    assert schema("report")["properties"]["report_format"] == {"const": "greentrade.report/2"}
    assert schema("report-1")["properties"]["report_format"] == {"const": "greentrade.report/1"}
    for version, expected in ((1, "greentrade.report/1"), (2, "greentrade.report/2")):
        out = subprocess.run([sys.executable, "-m", "greentrade.cli", "schema", "report", "--format-version",
                              str(version)], capture_output=True, text=True, check=True).stdout
        assert json.loads(out)["properties"]["report_format"]["const"] == expected
    bad = subprocess.run([sys.executable, "-m", "greentrade.cli", "schema", "dossier", "--format-version", "1"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "--format-version" in bad.stderr


def test_a_report1_reader_gets_the_findings_expanded():
    from greentrade import render

    def check(ctx):
        yield ctx.warning("look", ctx.shipment)

    report = _engine(rule("DEMO-001", check, basis="stated")).validate(DOSSIER)
    d = report.to_dict()
    assert "citation" not in d["findings"][0]
    expanded = render.expand_report(d)
    f = next(f for f in expanded["findings"] if f["rule"] == "DEMO-001")
    assert f["citation"] == d["sources"][0]
    assert f["citation"]["title"] == report.findings_for(rule="DEMO-001")[0].citation.title
    assert Basis.STATED == "stated"


def test_text_and_html_show_the_assumptions_under_their_outcome():
    report = _engine(rule("DEMO-001", _assumes, basis="inferred")).validate(DOSSIER)
    text = report.to_text()
    line = next(x for x in text.splitlines() if "rests on DEMO-001" in x)
    assert "(basis: inferred): the issuer's accreditation is taken as its recognition" in line
    assert text.index("\nOutcomes\n") < text.index("rests on DEMO-001")  # under the outcomes
    html = report.to_html()
    assert "rests on DEMO-001 (basis: inferred): the issuer&#x27;s accreditation" in html


def test_the_report_schema_is_self_contained():
    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for v in node.values():
                yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    assert all(r.startswith("#/$defs/") for r in refs(schema("report")))


def test_an_installed_plugin_left_out_is_named_in_the_report():
    engine = Engine(config={"greentrade": {"plugins": ["cn-green-channel"]}})
    engine.load_entry_points()
    report = engine.validate(DOSSIER)
    plugins = report.to_dict()["plugins"]
    assert {"name": "cn-green-channel", "version": plugins[0]["version"]} in plugins
    left_out = [p for p in plugins if p.get("enabled") is False]
    assert {p["name"] for p in left_out} == {"itc-green-export-pass", "buyer-profiles"}
    assert not list(validator("report").iter_errors(report.to_dict()))
    line = next(x for x in report.to_text().splitlines() if x.startswith("installed, not enabled"))
    assert "itc-green-export-pass" in line and "buyer-profiles" in line
    assert "installed, not enabled" in report.to_html()


def test_a_stored_report_renders_nested_parts_in_another_language():
    """report/2 stores a part of a text that is itself a message by id and arguments, so the
    stored report renders it in the reader's language (it rendered the English part before)."""
    engine = Engine(config=str(EXAMPLES / "greentrade.toml"))
    engine.load_entry_points()
    stored = json.loads(engine.validate((EXAMPLES / "zhejiang-solar-portfolio.json").read_bytes()).to_json())
    (f,) = [f for f in stored["findings"] if f["rule"] == "CN-GC-007"][:1]
    assert f["args"]["held"]["id"] == "CN-GC.holds-evidence-competence-but"
    assert "evidence of competence" in f["message"]
    zh = localize_report(stored, "zh-CN")
    (g,) = [g for g in zh["findings"] if g["rule"] == "CN-GC-007"][:1]
    assert "evidence of competence" not in g["message"] and "能力佐证" in g["message"]
    # the same as rendering in Chinese in the engine (no stored English part left)
    direct = Engine(config=str(EXAMPLES / "greentrade.toml"), lang="zh-CN")
    direct.load_entry_points()
    live = direct.validate((EXAMPLES / "zhejiang-solar-portfolio.json").read_bytes()).to_dict()
    assert [x["message"] for x in zh["findings"]] == [x["message"] for x in live["findings"]]


def test_a_nested_part_no_catalog_knows_leaves_the_stored_text():
    stored = {"report_format": REPORT_FORMAT, "lang": "en", "outcomes": [], "rules": [], "sources": [],
              "findings": [{"rule": "X-1", "message": "outer inner", "message_id": "CN-GC-003.foreign-port",
                            "args": {"port": {"id": "no.such.id", "args": {}}}}]}
    assert localize_report(stored, "zh-CN")["findings"][0]["message"] == "outer inner"
