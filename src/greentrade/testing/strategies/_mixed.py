"""Mixed dossiers: parts drawn from several outcome builders, merged into one dossier in which
every subject carries the outcome label of its part; and the merging of dossier options."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from greentrade.testing.strategies._base import leaves_of
from greentrade.testing.strategies._outcomes import (
    Key,
    _lookup,
    check_outcome,
    dossiers_with_outcome,
    outcome_builders,
    outcome_subjects,
    subject_kind,
)

_LIST_OPTIONS = ("categories", "exporter_countries", "destination_countries", "ports", "document_types",
                 "document_statuses", "tender_programs")


def merge_options(given: Mapping[str, Any], required: Mapping[str, Any]) -> dict[str, Any]:
    """`dossiers` options: the caller's `given` ones combined with those an outcome `required`.

    Lists (categories, countries, ports, document types and statuses) are intersected, date
    ranges too, ``min_*`` take the larger and ``max_*`` the smaller bound; any other option
    must agree; a ``ship_date`` leaf keeps to the combined date range. Raises `ValueError`
    naming the option when they cannot be combined.
    """
    out = dict(given)
    for k, need in required.items():
        if k not in given or given[k] is None:
            out[k] = need
            continue
        have = given[k]
        if k in _LIST_OPTIONS:
            both = [x for x in need if x in have]
            if not both:
                raise ValueError(f"option {k}={list(have)!r} leaves nothing of what the outcome needs: {list(need)!r}")
            out[k] = both
        elif k == "ship_dates":
            lo, hi = max(have[0], need[0]), min(have[1], need[1])
            if lo > hi:
                raise ValueError(f"option ship_dates {have[0]} to {have[1]} is outside what the outcome needs: "
                                 f"{need[0]} to {need[1]}")
            out[k] = (lo, hi)
        elif k.startswith("min_"):
            out[k] = max(have, need)
        elif k.startswith("max_"):
            out[k] = min(have, need)
        elif have != need:
            raise ValueError(f"option {k}={have!r} contradicts the outcome, which needs {k}={need!r}")
    leaves = out.get("leaves")
    if leaves is not None and "ship_dates" in required:
        # A ship-date leaf must keep to the dates the outcome needs.
        leaf = leaves_of(leaves)
        if leaf.ship_date is not None:
            lo, hi = out["ship_dates"]
            out["leaves"] = attrs.evolve(leaf, ship_date=leaf.ship_date.filter(lambda d: lo <= d <= hi))
    return out


@attrs.frozen
class OutcomeLabel:
    """The outcome a subject of a mixed dossier must get."""

    status: str
    reason: str | None = None
    needs: str | None = None


@attrs.frozen
class MixedDossier:
    """A dossier whose subjects (shipments, or tenders) carry different expected outcomes."""

    program: str
    data: dict[str, Any]
    labels: Mapping[str, OutcomeLabel]
    config: Mapping[str, Any]
    plugins: tuple[str, ...]

    def check(self, report: Any) -> None:
        """Assert that every subject got the outcome of its label."""
        problems = []
        for subject, label in self.labels.items():
            try:
                check_outcome(report, {subject_kind(self.program): [{"id": subject}]}, self.program, label.status,
                              label.reason, label.needs)
            except AssertionError as exc:
                problems.append(str(exc).split("\n\n")[0])
        assert not problems, "\n".join(problems) + "\n\n" + report.to_text()


def _rename(data: dict[str, Any], p: str) -> dict[str, Any]:
    """The dossier with every id (and every reference to one) prefixed by `p`."""
    def r(x: str | None) -> str | None:
        return None if x is None else p + x

    out = dict(data)
    out["parties"] = [
        {**party, "id": r(party["id"]),
         **({"sites": [{**s, "id": r(s["id"])} for s in party["sites"]]} if "sites" in party else {}),
         **({"accreditations": [{**a, "accreditation_body": r(a["accreditation_body"])}
                                for a in party["accreditations"]]} if "accreditations" in party else {})}
        for party in data.get("parties", [])]
    out["products"] = [
        {**x, "id": r(x["id"]), "manufacturer": r(x["manufacturer"]),
         **({"manufacturing_site": r(x["manufacturing_site"])} if "manufacturing_site" in x else {})}
        for x in data.get("products", [])]
    docs = []
    for d in data.get("documents", []):
        d = {**d, "id": r(d["id"]), "issuer": r(d["issuer"]), "holder": r(d["holder"])}
        if "products" in d:
            d["products"] = [{**c, "product": r(c["product"])} for c in d["products"]]
        if "sites" in d:
            d["sites"] = [r(s) for s in d["sites"]]
        if d.get("carbon_footprint", {}).get("verifier") is not None:
            d["carbon_footprint"] = {**d["carbon_footprint"], "verifier": r(d["carbon_footprint"]["verifier"])}
        docs.append(d)
    out["documents"] = docs
    ships = []
    for s in data.get("shipments", []):
        s = {**s, "id": r(s["id"]), "exporter": r(s["exporter"]),
             "lines": [{**line, "product": r(line["product"])} for line in s["lines"]]}
        if "buyer" in s:
            s["buyer"] = r(s["buyer"])
        if "documents" in s:
            s["documents"] = [r(x) for x in s["documents"]]
        ships.append(s)
    out["shipments"] = ships
    tenders = []
    for t in data.get("tenders", []):
        t = {**t, "id": r(t["id"]), "buyer": r(t["buyer"]),
             "items": [{**i, "product": r(i["product"])} for i in t["items"]]}
        if "shipment" in t:
            t["shipment"] = r(t["shipment"])
        if "required_documents" in t:
            t["required_documents"] = [{**q, **({"products": [r(x) for x in q["products"]]} if "products" in q else {})}
                                       for q in t["required_documents"]]
        tenders.append(t)
    if tenders or "tenders" in data:
        out["tenders"] = tenders
    return {k: v for k, v in out.items() if v != [] or k in data}


def _merge_config(a: Mapping[str, Any], b: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        if k in out and isinstance(out[k], Mapping) and isinstance(v, Mapping):
            out[k] = _merge_config(out[k], v, f"{where}{k}.")
        elif k in out and out[k] != v:
            raise ValueError(f"the builders of a mixed dossier need different configuration at {where}{k}")
        else:
            out[k] = v
    return out


def mixed_dossiers(
    program: str,
    keys: Sequence[Key] | None = None,
    *,
    min_parts: int = 2,
    max_parts: int = 3,
    **dossier_options: Any,
) -> st.SearchStrategy[MixedDossier]:
    """Dossiers merged from 2 to 3 parts, each drawn from one builder of `program` (any of
    `keys`, default: all the program's builders), with each subject labelled with the outcome of
    its part. Parts of one dossier come from builders that share one host configuration
    (`MixedDossier.config`). Ids are prefixed per part (``m1.``, ``m2.``, ...), so parts never
    share an entity. `dossier_options` go to every part."""
    from greentrade.testing.strategies._outcomes import _BUILDERS

    chosen = list(keys) if keys is not None else outcome_builders(program)
    if not chosen:
        _lookup(program, "eligible", None)  # raises LookupError naming what is registered
    for key in chosen:
        _lookup(*key)
    # Only builders that share one configuration can share a dossier: group them by it.
    groups: dict[str, list[tuple[Key, st.SearchStrategy[dict[str, Any]]]]] = {}
    for k in chosen:
        config_key = json.dumps(_BUILDERS[k].config, sort_keys=True)
        groups.setdefault(config_key, []).append((k, dossiers_with_outcome(*k, **dossier_options)))
    by_config = [groups[c] for c in sorted(groups, key=lambda c: -len(groups[c]))]

    @st.composite
    def build(draw: st.DrawFn) -> MixedDossier:
        parts = by_config[draw(st.integers(0, len(by_config) - 1))]
        n = draw(st.integers(min_parts, max_parts))
        data: dict[str, Any] = {"format": "greentrade.dossier/1"}
        labels: dict[str, OutcomeLabel] = {}
        config: dict[str, Any] = {}
        plugins: list[str] = []
        for i in range(n):
            key, strategy = parts[draw(st.integers(0, len(parts) - 1))]
            entry = _BUILDERS[key]
            part = _rename(draw(strategy), f"m{i + 1}.")
            for name in ("parties", "products", "documents", "shipments", "tenders"):
                if part.get(name):
                    data.setdefault(name, []).extend(part[name])
            for subject in outcome_subjects(key[0], part):
                labels[subject] = OutcomeLabel(key[1], key[2], entry.needs)
            config = _merge_config(config, entry.config)
            plugins += [p for p in entry.plugins if p not in plugins]
        return MixedDossier(program, data, labels, config, tuple(plugins))

    return build()


__all__ = ["MixedDossier", "OutcomeLabel", "merge_options", "mixed_dossiers"]
