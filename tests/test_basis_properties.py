"""Truthful verdicts as a property: on drawn dossiers, including ones drawn for a chosen outcome,
no rule of an installed plugin whose basis is ``inferred`` or ``practice`` ever yields a violation,
and no plugin needs the engine's downgrade (``GT-ENGINE-006``) to keep it so.

Also: no citation shown for any rule of any installed plugin is a repository path."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greentrade import Basis, Effect, Engine, Report
from greentrade.testing import strategies as gts

# The pilots' example host settings: ports (cn-green-channel has no list without them).
CONFIG: dict[str, Any] = {"plugins": {"cn-green-channel": {"pilot_ports": ["CNNGB", "CNSHA", "CNSZX"]}}}


def _engine(config: dict[str, Any] | None = None) -> Engine:
    engine = Engine(config=config if config is not None else CONFIG)
    engine.load_entry_points()
    return engine


ENGINE = _engine()
WEAK = {r.id for r in ENGINE.rules if r.basis in (Basis.INFERRED, Basis.PRACTICE)}
CATEGORIES = [c.id for c in ENGINE.categories]
DOC_TYPES = ["carbon-footprint-declaration", "certificate", "epd", "test-report", "factory-audit",
             "declaration-of-conformity"]


def _binding(config: dict[str, Any]) -> bool:
    """Whether the host configuration makes inferred verdicts binding: rules it requires
    (``[plugins.<section>] require``) or transition ends it sets for superseded editions.
    Violations of such rules then carry basis ``host``."""
    return any(isinstance(section, dict) and (section.get("require") or section.get("transition_ends"))
               for section in config.get("plugins", {}).values())


def _assert_truthful(report: Report, binding: bool = False) -> None:
    faults = [f.message for f in report.findings if f.rule == "GT-ENGINE-006"]
    assert not faults, faults
    bad = [(f.rule, f.message) for f in report.findings
           if f.effect is Effect.VIOLATION and f.basis in (Basis.INFERRED, Basis.PRACTICE)]
    assert not bad, bad
    # An inferred or practice rule violates only where the host made it binding, with basis host.
    weak = [(f.rule, f.basis, f.message) for f in report.findings
            if f.rule in WEAK and f.effect is Effect.VIOLATION and not (binding and f.basis is Basis.HOST)]
    assert not weak, weak


# -- perturbations that reach the inferred and practice branches (each keeps the dossier valid) ---------------

def _docs(d: dict[str, Any]) -> list[dict[str, Any]]:
    return list(d.get("documents", []))


def _other_holder(d: dict[str, Any], i: int) -> None:
    docs, parties = _docs(d), d["parties"]
    if docs:
        doc = docs[i % len(docs)]
        doc["holder"] = parties[i % len(parties)]["id"]


def _other_model(d: dict[str, Any], i: int) -> None:
    for doc in _docs(d):
        for cov in doc.get("products", [])[:1]:
            cov["model"] = f"{cov.get('model', 'M')}-X{i}"


def _other_hs(d: dict[str, Any], i: int) -> None:
    codes = ["940549", "940542", "940521", "854143", "850760"]
    target = [d["products"][0], *(ln for sh in d["shipments"] for ln in sh["lines"])][i % 3:][:1]
    for x in target:
        x["hs_code"] = codes[i % len(codes)]
    for doc in _docs(d):
        for cov in doc.get("products", [])[:1]:
            cov["hs_code"] = codes[(i + 1) % len(codes)]


def _weak_accreditation(d: dict[str, Any], i: int) -> None:
    for party in d["parties"]:
        for acc in party.get("accreditations", []):
            if i % 3 == 0:
                acc["standard"] = "ISO/IEC 17025:2017"
            elif i % 3 == 1:
                acc["iaf_mla_signatory"] = False
            else:
                acc["standard"] = "ISO 14065:2013"


def _old_editions(d: dict[str, Any], i: int) -> None:
    old = ["GB/T 33761-2017", "ISO 50001:2011", "EN 15804:2012+A1:2013", "ISO/TS 14067:2013", "EN15804+A2",
           "ISO 50001: 2018", "GB/T 33761-2020"]
    for doc in _docs(d):
        doc["standards"] = [old[i % len(old)], *doc.get("standards", [])[:1]]


def _other_sites(d: dict[str, Any], i: int) -> None:
    sites = [s["id"] for p in d["parties"] for s in p.get("sites", [])]
    for doc in _docs(d):
        if sites:
            doc["sites"] = [sites[i % len(sites)]]


def _other_spec(d: dict[str, Any], i: int) -> None:
    for doc in _docs(d):
        for cov in doc.get("products", []):
            for spec in cov.get("specs", [])[:1]:
                spec["value"] = spec["value"] + 1 + i


def _destination(d: dict[str, Any], i: int) -> None:
    for sh in d["shipments"]:
        sh["destination_country"] = ["DE", "SA", "VN", "BR", "GF", "US", "JP"][i % 7]


PERTURB = [_other_holder, _other_model, _other_hs, _weak_accreditation, _old_editions, _other_sites, _other_spec,
           _destination]


def _perturbed(base: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    import copy

    picks = st.lists(st.tuples(st.sampled_from(PERTURB), st.integers(0, 20)), max_size=3)

    def apply(pair: tuple[dict[str, Any], list[Any]]) -> dict[str, Any]:
        d = copy.deepcopy(pair[0])
        for fn, i in pair[1]:
            fn(d, i)
        return d

    return st.tuples(base, picks).map(apply)


def test_the_installed_plugins_have_inferred_and_practice_rules() -> None:
    # Otherwise the properties below would check nothing.
    assert {"CN-GC-002", "CN-GC-007", "CN-GC-009", "CN-GC-010", "CN-GC-012", "ITC-GEP-003", "ITC-GEP-004",
            "ITC-GEP-007", "ITC-GEP-008", "ITC-GEP-009", "TENDER-008"} <= WEAK


@settings(max_examples=max(40, settings.default.max_examples))
@given(_perturbed(gts.dossier_json(categories=CATEGORIES, document_types=DOC_TYPES, min_documents=1,
                                   max_documents=3, ship_dates=(dt.date(2026, 6, 1), dt.date(2027, 6, 30)),
                                   document_statuses=("valid", "valid", "suspended"))))
def test_drawn_dossiers_get_no_violation_from_an_inferred_or_practice_rule(data: dict[str, Any]) -> None:
    report = ENGINE.validate(data)
    assert report.evaluated, [f.message for f in report.findings][:3]
    _assert_truthful(report)


_KEYS = [k for k in gts.outcome_builders() if k[0] in {p.id for p in ENGINE.programs}]


def test_there_are_outcome_builders_for_the_installed_programs() -> None:
    assert _KEYS


@pytest.mark.parametrize("key", _KEYS, ids=lambda k: "/".join(map(str, k)))
def test_outcome_targeted_dossiers_get_no_violation_from_an_inferred_or_practice_rule(
        key: tuple[str, str, str | None]) -> None:
    program, status, reason = key
    config = gts.outcome_config(program, status, reason)
    binding = _binding(config)  # a builder may reach not_eligible through verdicts the host makes binding
    engines = {}
    for extra in ({}, {"recognized_bodies": [{"name": "Some Other Body"}]}):
        cfg = {**CONFIG, **config, "plugins": {**config.get("plugins", {})}}
        cfg["plugins"]["cn-green-channel"] = {**cfg["plugins"].get("cn-green-channel", {}), **extra}
        engines[bool(extra)] = _engine(cfg)

    @settings(max_examples=max(20, settings.default.max_examples // 2))
    @given(gts.dossiers_with_outcome(program, status, reason))
    def as_drawn(data: dict[str, Any]) -> None:
        report = engines[False].validate(data)
        assert {str(o.status) for o in report.outcomes if o.program == program} == {status}
        _assert_truthful(report, binding)

    @settings(max_examples=max(30, settings.default.max_examples))
    @given(_perturbed(gts.dossiers_with_outcome(program, status, reason)), st.booleans())
    def perturbed(data: dict[str, Any], listed: bool) -> None:
        report = engines[listed].validate(data)
        assert report.evaluated, [f.message for f in report.findings][:3]
        _assert_truthful(report, binding)

    as_drawn()
    perturbed()


# -- citations name publications, never repository paths -------------------------------------------------

_URL = re.compile(r"https?://\S+")
_PATH = re.compile(
    r"(?<![\w.])(?:shared|src|data|docs|plugins|tests|examples|schemas)/"  # a repository folder
    r"|\b[\w-]+\.(?:json|py|txt|md|toml|csv)\b"  # a file name
)


def _paths(text: str) -> list[str]:
    return _PATH.findall(_URL.sub(" ", text))


@pytest.mark.parametrize("text, found", [
    ("shared/sources/000_60baef12698023c7.txt (secondary report)", True),
    ("data/standards.json (each entry cites its edition source)", True),
    ("src/greentrade/model/_standards.py (StandardDesignator)", True),
    ("ISO/IEC 17029:2019; GB/T 33761-2024; https://eur-lex.europa.eu/eli/reg/2023/1542/oj", False),
    ("EUR-Lex CELEX 32023R1542, https://www.iso.org/standard/71206.html", False),
])
def test_path_detector(text: str, found: bool) -> None:
    assert bool(_paths(text)) is found


def test_no_rule_citation_of_an_installed_plugin_is_a_path() -> None:
    offenders = []
    for rule in ENGINE.rules:
        c = rule.citation
        for field in (c.authority, c.title, c.reference, c.note or ""):
            if _paths(field):
                offenders.append((rule.id, _paths(field), field[:120]))
    assert not offenders, offenders
    for program in ENGINE.programs:
        assert not _paths(str(program.citation)), program.id
    for entry in ENGINE.catalog:
        assert not _paths(str(entry.citation)) and not _paths(entry.note or ""), str(entry.designator)
    for profile in ENGINE.profiles:
        assert not _paths(str(profile.citation)), profile.id
        for req in profile.requirements:
            assert not _paths(str(req.citation)), req.id
