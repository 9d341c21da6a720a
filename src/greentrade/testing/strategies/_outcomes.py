"""Dossiers with a chosen outcome, drawn from builders that plugins register.

A plugin's distribution registers its builders through the ``greentrade.strategies``
entry-point group (a callable without arguments that calls `register_outcome_builder`); they
are loaded the first time a builder is looked up, and a broken entry point only warns.
"""

from __future__ import annotations

import copy
import importlib.metadata
import inspect
import json
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from greentrade.rules._report import Outcome, Report

#: Entry-point group through which a plugin's distribution registers outcome builders: the
#: entry point names a callable taking no arguments that calls `register_outcome_builder`.
OUTCOME_BUILDER_GROUP = "greentrade.strategies"

OutcomeBuilder = Callable[..., st.SearchStrategy[dict[str, Any]]]
Judge = Callable[[Report, str], "Outcome | None"]
Key = tuple[str, str, "str | None"]
_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")


@attrs.frozen
class _Entry:
    builder: OutcomeBuilder
    config: Mapping[str, Any]
    needs: str | None
    plugins: tuple[str, ...]


@attrs.frozen
class _Subjects:
    kind: str  # "shipments" or "tenders": the collection whose ids are the outcome's subjects
    judge: Judge | None


# The registry of this process: builders are test fixtures, registered once per process by the
# entry points (or by a test suite's conftest), like Hypothesis's own type registry.
_BUILDERS: dict[Key, _Entry] = {}
_SUBJECTS: dict[str, _Subjects] = {}
_ENTRY_POINTS_LOADED: list[bool] = []


def register_outcome_builder(
    program: str,
    status: str,
    builder: OutcomeBuilder | None = None,
    *,
    reason: str | None = None,
    config: Mapping[str, Any] | None = None,
    needs: str | None = None,
    plugins: Sequence[str] | None = None,
) -> Any:
    """Register a builder: a function ``(**dossier_options) -> strategy of dossier JSON data``.

    Contract: for every drawn dossier, an engine with `plugins` (entry-point names; default:
    the program's name) and configuration `config`, at the default as-of date (each ship date),
    gives **every subject** (shipment, or tender for programs registered with
    `register_outcome_judge`) `status` for `program`. When the part of `reason` before any
    ``/`` is a rule id (``CN-GC-004``, ``CN-GC-001/exporter``), that rule is among the
    outcome's reasons; other reasons are labels (``effective-period``). `needs`, if given, is
    a text every such outcome's summary contains (what an ``undetermined`` outcome needs).
    The builder receives the options of `dossiers` the caller passed (counts, dates, leaves)
    and passes them on; `merge_options` combines them with the ones the outcome requires.
    Usable as a decorator: ``@register_outcome_builder("my-program", "eligible")``.
    Registering the same key again replaces the builder.
    """

    def add(fn: OutcomeBuilder) -> OutcomeBuilder:
        _BUILDERS[(program, str(status), reason)] = _Entry(
            fn, dict(config or {}), needs, tuple(plugins) if plugins is not None else (program,))
        return fn

    return add(builder) if builder is not None else add


def register_outcome_judge(program: str, judge: Judge, *, subjects: str = "tenders") -> None:
    """Declare how a pseudo-program's outcome is read from a report: ``judge(report, subject)``
    returns an `Outcome` (or None); `subjects` names the dossier collection (``"tenders"`` or
    ``"shipments"``) whose ids are the subjects. Programs without a judge read the report's
    outcomes per shipment."""
    if subjects not in ("shipments", "tenders"):
        raise ValueError(f"subjects must be 'shipments' or 'tenders', not {subjects!r}")
    _SUBJECTS[program] = _Subjects(subjects, judge)


def _load_entry_points() -> None:
    if _ENTRY_POINTS_LOADED:
        return
    _ENTRY_POINTS_LOADED.append(True)
    for ep in sorted(importlib.metadata.entry_points(group=OUTCOME_BUILDER_GROUP), key=lambda e: e.name):
        try:
            ep.load()()
        except Exception as exc:  # a broken plugin must not break unrelated test suites
            warnings.warn(f"outcome builders of entry point {ep.name!r} ({ep.value}) failed to load: "
                          f"{type(exc).__name__}: {exc}", stacklevel=2)


def outcome_builders(program: str | None = None) -> list[Key]:
    """The registered (program, status, reason) keys, sorted; only `program`'s if given."""
    _load_entry_points()
    keys = sorted(_BUILDERS, key=lambda k: (k[0], k[1], k[2] or ""))
    return [k for k in keys if program is None or k[0] == program]


def _entries(program: str, status: str, reason: str | None) -> list[tuple[Key, _Entry]]:
    _load_entry_points()
    status = str(status)
    if reason is not None:
        key = (program, status, reason)
        return [(key, _BUILDERS[key])] if key in _BUILDERS else []
    return [(k, _BUILDERS[k]) for k in outcome_builders(program) if k[1] == status]


def _lookup(program: str, status: str, reason: str | None) -> list[tuple[Key, _Entry]]:
    found = _entries(program, status, reason)
    if not found:
        known = ", ".join(f"{p}/{s}/{r or '-'}" for p, s, r in outcome_builders()) or "none"
        raise LookupError(f"no outcome builder for {program}/{status}/{reason or '-'}; registered: {known}")
    return found


def _setups(found: Sequence[tuple[Key, _Entry]]) -> dict[str, list[Key]]:
    """The distinct (configuration, plugins) setups of builders, each with the keys needing it."""
    out: dict[str, list[Key]] = {}
    for key, entry in found:
        out.setdefault(json.dumps([entry.config, entry.plugins], sort_keys=True), []).append(key)
    return out


def _one_setup(program: str, status: str, found: Sequence[tuple[Key, _Entry]], what: str) -> None:
    """Raise `ValueError` when the builders of (program, status) need different setups: a draw
    without a reason could then be judged with the wrong configuration."""
    setups = _setups(found)
    if len(setups) > 1:
        groups = "; ".join(", ".join(k[2] or "-" for k in keys) for keys in setups.values())
        raise ValueError(
            f"{what}: the builders of {program}/{status} need {len(setups)} different host configurations "
            f"or plugins (builders by setup: {groups}). Name a reason, or draw "
            f"outcome_dossiers({program!r}, {status!r}), whose draws carry their configuration and plugins")


def outcome_config(program: str, status: str = "eligible", reason: str | None = None) -> dict[str, Any]:
    """The host configuration registered with the builders of (program, status, reason).

    Without `reason`, the one configuration all builders of the status share; `ValueError` when
    they need different ones (name the reason, or draw `outcome_dossiers`).
    """
    found = _entries(program, status, reason)
    if reason is None:
        _one_setup(program, status, found, "outcome_config without a reason")
    return copy.deepcopy(dict(found[0][1].config)) if found else {}


def outcome_plugins(program: str, status: str = "eligible", reason: str | None = None) -> tuple[str, ...]:
    """The plugins (entry-point names) the builders of (program, status, reason) need."""
    plugins: list[str] = []
    for _key, entry in _lookup(program, status, reason):
        plugins += [p for p in entry.plugins if p not in plugins]
    return tuple(plugins)


def outcome_needs(program: str, status: str, reason: str | None = None) -> str | None:
    """The `needs` text registered with the builder of (program, status, reason), if any."""
    found = _entries(program, status, reason)
    return found[0][1].needs if len(found) == 1 else None


def _call(builder: OutcomeBuilder, options: Mapping[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    if options and not any(p.kind is inspect.Parameter.VAR_KEYWORD
                           for p in inspect.signature(builder).parameters.values()):
        raise TypeError(f"outcome builder {builder.__qualname__} takes no dossier options "
                        f"(given: {', '.join(sorted(options))})")
    return builder(**options)


def dossiers_with_outcome(
    program: str, status: str, reason: str | None = None, **dossier_options: Any
) -> st.SearchStrategy[dict[str, Any]]:
    """Dossier JSON data for which every subject (shipment) gets `status` for `program`.

    With `reason`, only the builder registered for that reason; without, any builder for the
    status, provided they all need the same configuration and plugins (`outcome_config`):
    otherwise `ValueError` (name the reason, or draw `outcome_dossiers`, whose draws carry their
    configuration). `dossier_options` are options of `dossiers` (``max_shipments=10``,
    ``leaves=...``); an option that contradicts the outcome raises `ValueError`. Raises
    `LookupError` naming the registered builders when none fits.
    """
    found = _lookup(program, status, reason)
    if reason is None:
        _one_setup(program, status, found, "dossiers_with_outcome without a reason")
    options = dict(dossier_options)
    return st.one_of([_deferred(entry.builder, options) for _k, entry in found])


@attrs.frozen
class OutcomeDossier:
    """A drawn dossier with what judging it needs: the builder's key, host configuration,
    plugins and `needs` text. ``draw.check(draw.engine().validate(draw.data))`` asserts the
    outcome of every subject."""

    program: str
    status: str
    reason: str | None
    data: dict[str, Any]
    config: Mapping[str, Any]
    plugins: tuple[str, ...]
    needs: str | None = None

    def engine(self) -> Any:
        """An engine with the draw's plugins and configuration (one per setup, reused)."""
        key = json.dumps([self.config, self.plugins], sort_keys=True)
        if key not in _ENGINES:
            from greentrade.testing._helpers import engine_for

            _ENGINES[key] = engine_for(*self.plugins, config=copy.deepcopy(dict(self.config)))
        return _ENGINES[key]

    def check(self, report: Report) -> None:
        """Assert that every subject got the draw's status (and reason, needs)."""
        check_outcome(report, self.data, self.program, self.status, self.reason, self.needs)


_ENGINES: dict[str, Any] = {}


def outcome_dossiers(
    program: str, status: str, reason: str | None = None, **dossier_options: Any
) -> st.SearchStrategy[OutcomeDossier]:
    """Like `dossiers_with_outcome`, but each draw is an `OutcomeDossier` that carries the
    configuration and plugins of the builder it came from, so any builder of the status may be
    drawn even when they need different configurations."""
    found = _lookup(program, status, reason)
    options = dict(dossier_options)

    def one(key: Key, entry: _Entry) -> st.SearchStrategy[OutcomeDossier]:
        return _deferred(entry.builder, options).map(
            lambda data: OutcomeDossier(key[0], key[1], key[2], data, copy.deepcopy(dict(entry.config)),
                                        entry.plugins, entry.needs))

    return st.one_of([one(k, e) for k, e in found])


def _deferred(builder: OutcomeBuilder, options: Mapping[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    def build() -> st.SearchStrategy[dict[str, Any]]:
        return _call(builder, options)

    return st.deferred(build)


# -- reading outcomes back ------------------------------------------------------------------------


def subject_kind(program: str) -> str:
    """The dossier collection whose ids are `program`'s subjects: ``shipments`` or ``tenders``."""
    _load_entry_points()
    return _SUBJECTS[program].kind if program in _SUBJECTS else "shipments"


def outcome_subjects(program: str, data: Mapping[str, Any]) -> list[str]:
    """The ids of the dossier's subjects for `program` (shipments, or tenders)."""
    return [x["id"] for x in data.get(subject_kind(program), [])]


def outcome_of(report: Report, program: str, subject: str) -> Outcome | None:
    """`program`'s outcome for `subject` in `report` (through the program's judge, if any)."""
    _load_entry_points()
    spec = _SUBJECTS.get(program)
    if spec is not None and spec.judge is not None:
        return spec.judge(report, subject)
    return next((o for o in report.outcomes if o.program == program and o.subject == subject), None)


def outcome_problem(report: Report, program: str, subject: str, status: str,
                    reason: str | None = None, needs: str | None = None) -> str | None:
    """Why `subject` does not have the expected outcome, or None when it does."""
    o = outcome_of(report, program, subject)
    if o is None:
        return f"no outcome of {program} for {subject}"
    if str(o.status) != str(status):
        return f"{program} {subject}: expected {status}, got {o.status} ({o.summary})"
    rule = (reason or "").split("/")[0]
    if _RULE_ID.match(rule) and rule not in o.reasons:
        return f"{program} {subject}: {o.status} as expected, but for {list(o.reasons)}, not {rule}"
    if needs is not None and needs not in o.summary:
        return f"{program} {subject}: {o.status} as expected, but the summary does not name {needs!r}: {o.summary}"
    return None


def check_outcome(report: Report, data: Mapping[str, Any], program: str, status: str,
                  reason: str | None = None, needs: str | None = None) -> None:
    """Assert that every subject of `data` has `status` (and `reason`, `needs`) for `program`."""
    subjects = outcome_subjects(program, data)
    assert subjects, f"the dossier has no subject for {program}"
    problems = [p for s in subjects if (p := outcome_problem(report, program, s, status, reason, needs))]
    assert not problems, "\n".join(problems) + "\n\n" + report.to_text()
