"""Rule cases: a dossier (or a patch of one), a date, and the findings and outcomes expected.

The format is documented in ``docs/testing.md`` (section "Rule cases and the pytest plugin") and
checked by ``rule-case.schema.json`` (``greentrade schema rule-case``). A file holds one case,
or several (``{"cases": [...]}`` with shared defaults; `load_cases`). A case expects exactly the
findings of its rules under test (``"match": "exact"``, the default) or at least the ones it
lists (``"match": "at-least"``).
`run_case` needs no pytest; the pytest plugin in `greentrade.testing.pytest_plugin` collects
``*.case.json`` files as tests with it.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.metadata
import itertools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from greentrade._files import InputError
from greentrade.engine._engine import ENTRY_POINT_GROUP, Engine
from greentrade.errors import CaseError
from greentrade.io._read import read_json
from greentrade.io._schemas import validator
from greentrade.rules._report import Report

__all__ = ["Case", "CaseError", "CaseResult", "load_case", "load_cases", "run_case"]

_FINDING_KEYS = ("rule", "severity", "effect", "basis", "pointer", "subject", "shipment", "program", "needs")


@attrs.frozen
class Case:
    path: Path
    name: str
    rules: tuple[str, ...]
    as_of: dt.date | None
    config: Mapping[str, Any]
    plugins: tuple[str, ...] | None
    dossier: Any
    expected_findings: tuple[Mapping[str, Any], ...]
    expected_outcomes: tuple[Mapping[str, Any], ...]
    message_contains: tuple[tuple[str, str], ...] = ()
    #: "exact": expected_findings are all the findings of `rules`; "at-least": some of them.
    match: str = "exact"


@attrs.frozen
class CaseResult:
    case: Case
    report: Report
    missing: tuple[Mapping[str, Any], ...]
    unexpected: tuple[Mapping[str, Any], ...]
    wrong_outcomes: tuple[tuple[Mapping[str, Any], str | None], ...]
    #: The actual findings (JSON form) of the rules under test that an expected finding matched.
    matched: tuple[Mapping[str, Any], ...] = ()
    #: The engine that ran the case (its rules are what coverage is counted against).
    engine: Engine | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def passed(self) -> bool:
        return not (self.missing or self.unexpected or self.wrong_outcomes)

    def explain(self) -> str:
        """A readable diff of expected against actual."""
        lines = [f"rule case {self.case.name!r} ({self.case.path})"]
        for f in self.missing:
            lines.append(f"- expected, not found: {_fmt(f)}")
        for f in self.unexpected:
            lines.append(f"+ found, not expected: {_fmt(f)}")
        programs = sorted({oc.program for oc in self.report.outcomes})
        subjects = sorted({oc.subject for oc in self.report.outcomes})
        for o, actual in self.wrong_outcomes:
            if actual is None:
                why = (f"program {o['program']!r} is not loaded (loaded programs: {', '.join(programs) or 'none'})"
                       if o["program"] not in programs else
                       f"no shipment {o['subject']!r} was judged (judged: {', '.join(subjects) or 'none'})")
                lines.append(f"! outcome {o['program']} for {o['subject']}: expected {o['status']}, got no "
                             f"outcome: {why}")
            else:
                lines.append(f"! outcome {o['program']} for {o['subject']}: expected {o['status']}, got {actual}")
        # Every finding, the rules under test first: a data finding (GT-SCHEMA-001, ...) often
        # explains why the rules under test found nothing.
        under_test = _actual(self.report, self.case.rules)
        others = [d for d in self.report.to_dict()["findings"] if d["rule"] not in set(self.case.rules)]
        lines.append(f"actual findings of the rules under test ({len(under_test)}):")
        for f in under_test:
            lines.append(f"    {_fmt(f)}  {f.get('message', '')}")
        lines.append(f"other findings ({len(others)}):")
        for f in others:
            lines.append(f"    {_fmt(f)}  {f.get('message', '')}")
        if not self.report.evaluated:
            lines.append("the program rules were NOT run: the data findings above stopped them")
        lines.append("actual outcomes:")
        for oc in self.report.outcomes:
            lines.append(f"    {oc.program} {oc.subject}: {oc.status} - {oc.summary}")
        return "\n".join(lines)


def _fmt(f: Mapping[str, Any]) -> str:
    return " ".join(f"{k}={f[k]}" for k in _FINDING_KEYS if k in f)


def _actual(report: Report, rules: Iterable[str]) -> list[dict[str, Any]]:
    wanted = set(rules)
    return [d for d in report.to_dict()["findings"] if d["rule"] in wanted]


def _json_patch(doc: Any, ops: list[Mapping[str, Any]], where: Path) -> Any:
    try:
        import jsonpatch
    except ImportError:
        raise CaseError(
            f"{where}: the case has a patch, and patches need the 'jsonpatch' package of greentrade's "
            "testing extra: pip install 'greentrade[testing]'"
        ) from None
    try:
        return jsonpatch.apply_patch(doc, ops)
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
        raise CaseError(f"{where}: the patch does not apply: {exc}") from None


def _read(path: Path) -> Any:
    try:  # through the one reader: a regular file, within the input limit, strict JSON
        return read_json(path).data
    except InputError as exc:
        raise CaseError(f"cannot read the case: {exc}") from None


def _check(raw: Any, where: str) -> None:
    errors = list(itertools.islice(validator("rule-case").iter_errors(raw), 1))
    if errors:
        e = errors[0]
        raise CaseError(f"{where}: /{'/'.join(map(str, e.absolute_path))}: {e.message}")


def _case(raw: Mapping[str, Any], path: Path, name: str | None = None) -> Case:
    if "dossier" in raw:
        dossier = raw["dossier"]
    else:
        base = (path.parent / raw["base"]).resolve()
        try:
            dossier = read_json(base).data
        except InputError as exc:
            raise CaseError(f"{path}: cannot read base dossier: {exc}") from None
        if raw.get("patch"):  # jsonpatch is needed only for a case that has a patch
            dossier = _json_patch(copy.deepcopy(dossier), raw["patch"], path)
    expect = raw["expect"]
    return Case(
        path=path,
        name=name or raw["case"],
        rules=tuple(raw["rules"]),
        as_of=dt.date.fromisoformat(raw["as_of"]) if raw.get("as_of") else None,
        config=raw.get("config", {}),
        plugins=tuple(raw["plugins"]) if "plugins" in raw else None,
        dossier=dossier,
        expected_findings=tuple(expect.get("findings", [])),
        expected_outcomes=tuple(expect.get("outcomes", [])),
        match=raw.get("match", "exact"),
    )


def load_cases(path: str | Path) -> list[Case]:
    """Every case of a case file: one, or each of ``{"cases": [...]}`` with the file's other
    keys as defaults (a case's own key replaces the default whole)."""
    path = Path(path)
    raw = _read(path)
    _check(raw, str(path))
    if not (isinstance(raw, Mapping) and "cases" in raw):
        return [_case(raw, path)]
    defaults = {k: v for k, v in raw.items() if k not in ("cases", "$schema")}
    out = []
    for i, entry in enumerate(raw["cases"]):
        merged = {**defaults, **entry}
        if "dossier" in entry:  # an inline dossier replaces a default base and patch
            merged = {k: v for k, v in merged.items() if k not in ("base", "patch") or k in entry}
        elif "base" in entry or "patch" in entry:
            merged.pop("dossier", None)
        _check(merged, f"{path} case {i + 1}")
        out.append(_case(merged, path))
    return out


def load_case(path: str | Path) -> Case:
    """The case of a file that holds one (`load_cases` reads a file of several)."""
    cases = load_cases(path)
    if len(cases) != 1:
        raise CaseError(f"{path}: the file holds {len(cases)} cases; read them with load_cases")
    return cases[0]


def installed_plugins() -> list[str]:
    """The names of the installed greentrade plugins (entry points of the ``greentrade`` group)."""
    return sorted({ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)})


def _check_installed(case: Case) -> None:
    installed = installed_plugins()
    missing = [p for p in case.plugins or () if p not in installed]
    if missing:
        names = ", ".join(repr(p) for p in missing)
        raise CaseError(
            f"{case.path}: the case's plugins name {names}, which {'is' if len(missing) == 1 else 'are'} not "
            f"installed (installed plugins: {', '.join(installed) or 'none'}); check the spelling or install "
            "the plugin's distribution"
        )


def run_case(case: Case | str | Path, engine: Engine | None = None) -> CaseResult:
    """Run a case with `engine`, or with a new engine that loads the installed plugins."""
    if not isinstance(case, Case):
        case = load_case(case)
    if engine is None:
        if case.plugins is not None:
            _check_installed(case)
        engine = Engine(config=dict(case.config))
        engine.load_entry_points(case.plugins)
    report = engine.validate(case.dossier, as_of=case.as_of)
    actual = _actual(report, case.rules)
    remaining = list(actual)
    missing = []
    for exp in case.expected_findings:
        match = next(
            (a for a in remaining
             if all(a.get(k) == v for k, v in exp.items() if k != "message_contains")
             and str(exp.get("message_contains", "")) in a["message"]),
            None,
        )
        if match is None:
            missing.append(exp)
        else:
            remaining.remove(match)
    matched = tuple(a for a in actual if not any(a is r for r in remaining))
    unexpected = [] if case.match == "at-least" else [{k: a[k] for k in _FINDING_KEYS if k in a} for a in remaining]
    wrong = []
    for o in case.expected_outcomes:
        status = report.status(o["program"], o["subject"])
        if status is None or str(status) != o["status"]:
            wrong.append((o, None if status is None else str(status)))
    return CaseResult(case, report, tuple(missing), tuple(unexpected), tuple(wrong), matched, engine)
