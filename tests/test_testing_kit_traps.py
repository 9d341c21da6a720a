"""The testing kit's traps (issue #24 item 8): outcome draws that carry their configuration,
the engine profile, ``from_type`` registered by hand, and self-contained (bundled) schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from hypothesis import Phase, given, settings

import greentrade.testing.strategies as gts
from greentrade.cli import main
from greentrade.io._schemas import schema_names, validator

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zhejiang-solar-portfolio.json"


# -- draws with their configuration -------------------------------------------------------------

def test_a_draw_without_reason_is_refused_when_builders_need_different_configurations():
    with pytest.raises(ValueError, match=r"cn-green-channel/not_eligible need \d different host configurations"
                                         r".*outcome_dossiers\('cn-green-channel', 'not_eligible'\)"):
        gts.dossiers_with_outcome("cn-green-channel", "not_eligible")
    with pytest.raises(ValueError, match="outcome_config without a reason"):
        gts.outcome_config("cn-green-channel", "not_eligible")
    # With a reason, or for a status whose builders share one setup, as before.
    gts.dossiers_with_outcome("cn-green-channel", "not_eligible", "CN-GC-007/required")
    gts.dossiers_with_outcome("cn-green-channel", "eligible")
    assert gts.outcome_config("cn-green-channel", "eligible") == gts.outcome_config(
        "cn-green-channel", "eligible", None)


@pytest.mark.parametrize(("program", "status"), [("cn-green-channel", "not_eligible"),
                                                 ("itc-green-export-pass", "undetermined")])
def test_an_outcome_dossier_carries_what_judging_it_needs(program, status):
    seen = set()

    @settings(gts.ENGINE_SETTINGS, max_examples=12, deadline=None, database=None)
    @given(gts.outcome_dossiers(program, status))
    def check(draw):
        assert (draw.program, draw.status) == (program, status)
        assert draw.config == gts.outcome_config(program, status, draw.reason)
        assert draw.plugins == gts.outcome_plugins(program, status, draw.reason)
        draw.check(draw.engine().validate(draw.data))
        seen.add(draw.reason)

    check()
    assert len(seen) >= 2  # builders with different configurations were drawn


# -- the engine profile -----------------------------------------------------------------------

def test_the_engine_profile_has_no_explain_phase_and_a_deadline():
    profile = settings.get_profile(gts.ENGINE_PROFILE)
    assert Phase.explain not in profile.phases and Phase.shrink in profile.phases
    assert profile.deadline == timedelta(seconds=5) and profile.max_examples == 50
    assert gts.ENGINE_SETTINGS.phases == profile.phases


# -- from_type by hand --------------------------------------------------------------------------

def test_from_type_registered_by_hand_without_the_entry_point():
    script = (
        "import sys\n"
        "import greentrade, greentrade.testing.strategies as gts\n"
        "from hypothesis import given, settings, strategies as st\n"
        "assert '_greentrade_hypothesis' not in sys.modules  # the entry point did not run\n"
        "gts.register_type_strategies()\n"
        "gts.register_type_strategies()  # twice is harmless\n"
        # no deadline, as in the suite's profiles: the first example imports the engine and its
        # plugins (`import greentrade` loads its names on first use)
        "@settings(max_examples=10, database=None, deadline=None)\n"
        "@given(st.from_type(greentrade.Party), st.from_type(greentrade.Dossier))\n"
        "def t(party, dossier):\n"
        "    assert isinstance(party, greentrade.Party) and party.id\n"
        "    assert greentrade.Engine().validate(dossier).ok\n"
        "t()\n"
        "print('ok')\n"
    )
    env = {**os.environ, "HYPOTHESIS_NO_PLUGINS": "1"}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-3000:]


# -- bundled schemas ----------------------------------------------------------------------------

def _bundled(name: str, capsys) -> dict:
    assert main(["schema", name, "--bundled"]) == 0
    return json.loads(capsys.readouterr().out)


def _refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


@pytest.mark.parametrize("name", schema_names())
def test_a_bundled_schema_is_self_contained(name, capsys):
    doc = _bundled(name, capsys)
    jsonschema.Draft202012Validator.check_schema(doc)
    assert all(ref.startswith("#") for ref in _refs(doc)), name
    # Resolvable by a validator that knows no other document (no registry at all).
    jsonschema.Draft202012Validator(doc).is_valid({})


def test_a_bundled_schema_judges_like_the_registry(capsys):
    bundled = jsonschema.Draft202012Validator(_bundled("dossier", capsys))
    good = json.loads(EXAMPLE.read_text("utf-8"))
    bad = json.loads(EXAMPLE.read_text("utf-8"))
    bad["shipments"][0]["lines"][0]["quantity"] = "12"
    bad["parties"][0]["id"] = 7
    for data in (good, bad):
        assert bundled.is_valid(data) is validator("dossier").is_valid(data)
        assert sorted(e.json_path for e in bundled.iter_errors(data)) == sorted(
            e.json_path for e in validator("dossier").iter_errors(data))
    assert not bundled.is_valid(bad)


def test_hypothesis_jsonschema_resolves_a_bundled_schema_and_not_the_plain_one(capsys):
    resolve = pytest.importorskip("hypothesis_jsonschema._resolve").resolve_all_refs
    from greentrade.io._schemas import schema

    with pytest.raises(Exception, match="remote references"):
        resolve(json.loads(json.dumps(schema("dossier"))))
    for name in ("dossier", "report", "rule-case"):
        doc = _bundled(name, capsys)
        if name == "report":
            # report/2's arguments are recursive (a nested message has arguments of its own);
            # hypothesis-jsonschema resolves no recursive reference, so a user gives it the
            # arguments as plain objects (docs/testing.md): everything else resolves.
            with pytest.raises(RecursionError):
                resolve(json.loads(json.dumps(doc)))
            doc["$defs"]["args"] = {"type": "object"}
        body = {k: v for k, v in resolve(doc).items() if k != "$defs"}
        assert not list(_refs(body)), name
