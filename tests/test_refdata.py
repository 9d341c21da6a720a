"""Core reference data: country groups with citations, replaceable by the host only."""

from __future__ import annotations

from typing import Any

from greentrade import Engine, hookimpl
from greentrade.plugin import COUNTRY_GROUPS, country_group


def test_core_groups_with_citations() -> None:
    engine = Engine()
    data = engine.reference[COUNTRY_GROUPS]
    for g in data["groups"]:
        c = g["citation"]
        assert c["authority"] and c["title"] and c["reference"], g["id"]
    eu = country_group(engine.reference, "eu-27")
    assert eu is not None and len(eu) == 27 and "GB" not in eu and "HR" in eu
    assert next(g for g in data["groups"] if g["id"] == "eu-27")["since"] == "2020-02-01"
    sea = country_group(engine.reference, "m49-035")
    assert sea is not None and len(sea) == 11 and "TL" in sea
    assert country_group(engine.reference, "nowhere") is None
    assert country_group(None, "eu-27") == eu


def test_host_replaces_a_plugin_cannot() -> None:
    host = Engine(config={"reference": {COUNTRY_GROUPS: {"groups": [{"id": "eu-27", "countries": ["FR"]}]}}})
    assert country_group(host.reference, "eu-27") == frozenset({"FR"})

    class Meddler:
        @hookimpl
        def greentrade_reference_data(self) -> dict[str, Any]:
            return {COUNTRY_GROUPS: {"groups": []}}

    engine = Engine()
    engine.register(Meddler(), name="meddler")
    assert country_group(engine.reference, "eu-27") is not None
    faults = [f for f in engine.validate(b'{"format": "greentrade.dossier/1"}').findings if f.rule == "GT-ENGINE-002"]
    assert any(COUNTRY_GROUPS in f.message and "not applied" in f.message for f in faults)


def test_itc_regions_follow_the_host_override() -> None:
    from greentrade_itc_green_export_pass import _pilot

    engine = Engine(config={"reference": {COUNTRY_GROUPS: {"groups": [{"id": "m49-035", "countries": ["SG"]}]}}})
    engine.load_entry_points(["itc-green-export-pass"])
    found = _pilot.regions(engine.reference[_pilot.REGIONS], engine.reference)
    assert found is not None
    assert {r.id: r.countries for r in found}["southeast-asia"] == frozenset({"SG"})


def test_profiles_take_their_groups_from_the_reference_data() -> None:
    import pytest

    from greentrade import ConfigError

    engine = Engine()
    engine.load_entry_points(["buyer-profiles"])
    eu = next(p for p in engine.profiles if p.id == "eu-green-public-procurement")
    assert eu.country_groups == ("eu-27", "eu-outermost-regions") and len(eu.countries) == 33
    host = Engine(config={"reference": {COUNTRY_GROUPS: {"groups": [
        {"id": "eu-27", "countries": ["FR", "DE"]}, {"id": "eu-outermost-regions", "countries": ["RE"]}]}}})
    host.load_entry_points(["buyer-profiles"])
    eu = next(p for p in host.profiles if p.id == "eu-green-public-procurement")
    assert eu.countries == ("DE", "FR", "RE")
    bad = Engine(config={"profiles": [{
        "id": "host-x", "title": "X", "buyer_type": "distributor", "countries": [], "country_groups": ["nowhere"],
        "citation": {"authority": "host", "title": "own list", "reference": "host"}}]})
    with pytest.raises(ConfigError, match="country group 'nowhere'"):
        bad.profiles  # noqa: B018
