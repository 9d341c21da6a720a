"""The run: a dossier's shipments and programs through the rules, each rule call isolated and
timed, its hits judged against its basis; the findings and outcomes that make a report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from greentrade.engine import _basis
from greentrade.engine import _contributions as boundary
from greentrade.engine._budget import Budget, RuleTimeout, raise_if_cancelled
from greentrade.engine._collect import Contributions
from greentrade.engine._faults import engine_finding, exc_summary, omission
from greentrade.errors import PluginError
from greentrade.i18n import Message, join, msg
from greentrade.io._bounds import Bounded
from greentrade.io._load import Loaded
from greentrade.model import Dossier, Shipment
from greentrade.rules._report import Assumption, Outcome, finding_key
from greentrade.rules._rules import Effect, Finding, Program, Rule, RuleContext, Severity, Status

__all__ = ["MAX_HITS_PER_CALL", "Run", "evaluate"]


def evaluate(c: Contributions, loaded: Loaded, as_of: dt.date | None, *, strict: bool,
             rule_time_budget: float, load_faults: Sequence[Finding],
             assumptions: str = "state") -> tuple[bool, list[Outcome], list[Finding]]:
    """Run the rules on a loaded dossier: (whether it was evaluated, outcomes, findings).
    A dossier with data errors is not evaluated: its findings are the reader's and the engine's."""
    raise_if_cancelled()
    found = Bounded()
    found.extend(load_faults)
    found.extend(c.faults)
    found.extend(loaded.findings)
    found.add_omitted(loaded.omitted)
    found.incomplete |= loaded.incomplete
    outcomes: list[Outcome] = []
    dossier = loaded.dossier
    evaluated = dossier is not None and not any(
        f.severity is Severity.ERROR for f in loaded.findings
    ) and not any(s is Severity.ERROR for _n, s in loaded.omitted.values())
    if dossier is not None and evaluated:
        run = Run(c, dossier, loaded.pointers, as_of, strict=strict, rule_time_budget=rule_time_budget,
                  assumptions=assumptions)
        with run.budget:
            for shipment in dossier.shipments:
                f, o = run.shipment(shipment)
                found.extend(f)
                outcomes.extend(o)
            dossier_findings = run.dossier_rules({(o.program, o.subject): o for o in outcomes})
            found.extend(dossier_findings)
            outcomes = _with_dossier_findings(outcomes, dossier_findings)
        if not dossier.shipments:  # an import's dossier: say so rather than give an empty all-clear
            found.append(engine_finding(
                "GT-ENGINE-010", msg("GT-ENGINE-010.no-shipment", "no shipment: nothing to judge (no program was "
                                     "applied); attach the documents to a shipment or merge them into a dossier "
                                     "with shipments (greentrade import --into DOSSIER), see docs/import.md"),
                effect=Effect.NOTE))
    elif c.rules:
        found.append(engine_finding(
            "GT-ENGINE-004", msg("GT-ENGINE-004.not-run", "program rules were not run because the dossier has data "
                                 "errors")))
    findings = [*found.kept, *(omission(rule, n, worst, found.cap, at_least=rule in found.incomplete)
                               for rule, (n, worst) in found.omitted.items())]
    return evaluated, outcomes, findings


#: A single call of a rule's check may yield at most this many hits (more is a rule fault).
MAX_HITS_PER_CALL = 100_000


class Run:
    """One validation: rules applied to one dossier."""

    def __init__(self, c: Contributions, dossier: Dossier, pointers: Mapping[int, str],
                 as_of: dt.date | None, *, strict: bool, rule_time_budget: float,
                 assumptions: str = "state") -> None:
        self.c, self.dossier, self.pointers, self.as_of = c, dossier, pointers, as_of
        self.strict = strict
        #: "state": assumptions are listed on the outcome; "undetermined": they make it undetermined.
        self.assume_undetermined = assumptions == "undetermined"
        self.memo: dict[Any, Any] = {}
        self.programs = sorted(c.programs.values(), key=lambda p: p.id)
        self.budget = Budget(rule_time_budget or None)

    def _context(self, as_of: dt.date, shipment: Shipment | None,
                 outcomes: Mapping[tuple[str, str], Outcome] | None = None) -> RuleContext:
        return RuleContext(
            dossier=self.dossier, as_of=as_of, shipment=shipment, settings=self.c.settings,
            reference=self.c.reference, categories=self.c.categories, catalog=self.c.catalog,
            pointers=self.pointers, profiles=self.c.profiles, outcomes=MappingProxyType(dict(outcomes or {})),
            programs=self.c.programs, memo=self.memo, required=self.c.required,
        )

    def _fault(self, rule: Rule, ctx: RuleContext, message: str) -> Finding:
        return engine_finding(
            "GT-ENGINE-003", message, rule.id, effect=Effect.UNDETERMINED,
            program=rule.program, shipment=ctx.shipment.id if ctx.shipment else None,
            pointer=self.pointers.get(id(ctx.shipment), "") if ctx.shipment else "")

    def _apply(self, rule: Rule, ctx: RuleContext) -> list[Finding]:
        """The findings of one call of `rule`; every fault of the rule (an exception, a bad
        hit, too much time) becomes one ``GT-ENGINE-003`` finding instead of its hits."""
        raise_if_cancelled()  # the host's cancellation (the service's gone client) ends the run here
        budget = self.budget
        if rule.id in budget.exhausted:
            return [self._fault(rule, ctx, msg("GT-ENGINE-003.not-run", "rule {rule} was not run: it used up its "
                                               "time budget of {seconds} s on this dossier", rule=rule.id,
                                               seconds=format(budget.seconds, "g")))]
        shipment = ctx.shipment.id if ctx.shipment else None
        required = self.c.required
        out: list[Finding] = []
        over = False
        try:
            try:
                budget.start(rule.id)
                for hit in rule.check(ctx):
                    finding = boundary.finding_from_hit(rule, hit, shipment, required)
                    # Only stated or host rules may yield violations (see _basis).
                    if finding.effect is Effect.VIOLATION and not finding.basis.binding:
                        j = _basis.judge(rule, finding, finding.basis, required, self.c.rule_owner.get(rule.id))
                        if j.fault is not None:
                            if self.strict:
                                raise PluginError(j.fault)
                            out.append(engine_finding("GT-ENGINE-006", j.fault, rule.id, effect=Effect.NOTE,
                                                       program=rule.program, shipment=shipment,
                                                       pointer=finding.pointer))
                        finding = j.finding
                    out.append(finding)
                    if len(out) > MAX_HITS_PER_CALL:
                        raise boundary.Rejected("", f"more than {MAX_HITS_PER_CALL} hits in one call")
            finally:
                over = budget.stop()
        except KeyboardInterrupt:
            raise
        except RuleTimeout:
            budget.stop()  # when the timeout came before the `finally` above could count the time
            message = msg("GT-ENGINE-003.stopped", "rule {rule} was stopped: it used up its time budget of "
                          "{seconds} s on this dossier", rule=rule.id, seconds=format(budget.seconds, "g"))
        except boundary.Rejected as exc:
            message = msg("GT-ENGINE-003.unusable", "rule {rule} yielded a value the engine cannot use: {problem}",
                          rule=rule.id, problem=str(exc))
        except BaseException as exc:  # SystemExit too: a rule never ends the host's process
            message = msg("GT-ENGINE-003.raised", "rule {rule} raised {exception}", rule=rule.id,
                          exception=exc_summary(exc))
        else:
            if not over:
                return out
            message = msg("GT-ENGINE-003.over-budget", "rule {rule} used up its time budget of {seconds} s on this "
                          "dossier; its result was discarded", rule=rule.id, seconds=format(budget.seconds, "g"))
        if self.strict:
            raise PluginError(message)
        return [self._fault(rule, ctx, message)]

    def dossier_rules(self, outcomes: Mapping[tuple[str, str], Outcome]) -> list[Finding]:
        # Without a host-given date, dossier rules are evaluated as of the latest ship date
        # (or, for a dossier without shipments, today): reports stay reproducible.
        dates = [s.ship_date for s in self.dossier.shipments]
        as_of = self.as_of or (max(dates) if dates else dt.date.today())
        ctx = self._context(as_of, None, outcomes)
        out: list[Finding] = []
        for rule in self.c.rules:
            if rule.scope == "dossier" and rule.effective.contains(as_of):
                out.extend(self._apply(rule, ctx))
        return out

    def shipment(self, shipment: Shipment) -> tuple[list[Finding], list[Outcome]]:
        as_of = self.as_of or shipment.ship_date
        ctx = self._context(as_of, shipment)
        findings: list[Finding] = []
        for rule in self.c.rules:
            if rule.scope == "shipment" and rule.program is None and rule.effective.contains(as_of):
                findings.extend(self._apply(rule, ctx))
        outcomes = []
        for program in self.programs:
            f, o = self._program(program, ctx, shipment, as_of)
            findings.extend(f)
            outcomes.append(o)
        return findings, outcomes

    def _program(self, program: Program, ctx: RuleContext, shipment: Shipment,
                 as_of: dt.date) -> tuple[list[Finding], Outcome]:
        def outcome(status: Status, summary: str, reasons: Sequence[str] = (), *, summary_id: str,
                    args: Mapping[str, Any] | None = None,
                    assumptions: Sequence[Finding] = ()) -> Outcome:
            if assumptions and self.assume_undetermined:
                needs = sorted({f.needs or f.rule for f in assumptions})
                said = msg("outcome.assumed", "rests on assumptions; needs: {needs}", needs=join(needs))
                return Outcome(program.id, shipment.id, Status.UNDETERMINED, as_of, said,
                               tuple(sorted({f.rule for f in assumptions})),
                               summary_id=said.id, summary_args=said.args,
                               assumptions=_assumptions(assumptions))
            return Outcome(program.id, shipment.id, status, as_of, summary, tuple(sorted(set(reasons))),
                           summary_id=summary_id, summary_args=args, assumptions=_assumptions(assumptions))

        if not program.effective.contains(as_of):
            start = program.effective.start.isoformat() if program.effective.start else msg("outcome.open", "open")
            end = program.effective.end.isoformat() if program.effective.end else msg("outcome.open", "open")
            said = msg("outcome.outside-period", "{as_of} is outside the program's effective period ({start} to {end})",
                       as_of=as_of.isoformat(), start=start, end=end)
            return [], outcome(Status.NOT_APPLICABLE, said, summary_id=said.id, args=said.args)
        rules = [r for r in self.c.by_program.get(program.id, ()) if r.effective.contains(as_of)]
        findings: list[Finding] = []
        for rule in rules:
            if rule.role == "scope":
                findings.extend(self._apply(rule, ctx))
        out_of_scope = [f for f in findings if f.effect is Effect.NOT_APPLICABLE]
        if out_of_scope:
            reasons: list[str] = [f.message for f in out_of_scope[:10]]
            if len(out_of_scope) > 10:
                reasons.append(msg("outcome.more", "and {count} more", count=len(out_of_scope) - 10))
            shown = join(reasons)
            said = msg("outcome.not-applicable", "{reasons}", reasons=shown)
            return findings, outcome(Status.NOT_APPLICABLE, said, [f.rule for f in out_of_scope],
                                     summary_id=said.id, args=said.args,
                                     assumptions=[f for f in findings if f.assumption])
        for why in self.c.broken.get(program.id, ()):
            findings.append(engine_finding(
                "GT-ENGINE-002", msg("GT-ENGINE-002.undecidable", "program {program!r} cannot be decided: {why}",
                                     program=program.id, why=why), program.id,
                effect=Effect.UNDETERMINED, program=program.id, shipment=shipment.id,
                pointer=self.pointers.get(id(shipment), ""), needs=why))
        for rule in rules:
            if rule.role == "check":
                findings.extend(self._apply(rule, ctx))
        errors = [f for f in findings if f.effect is Effect.VIOLATION and f.severity is Severity.ERROR]
        if errors:
            ids = sorted({f.rule for f in errors})
            said = msg("outcome.errors", "{count} error finding(s): {rules}", count=len(errors), rules=", ".join(ids))
            return findings, outcome(Status.NOT_ELIGIBLE, said, ids, summary_id=said.id, args=said.args)
        open_ = [f for f in findings if f.effect is Effect.UNDETERMINED]
        if open_:
            needs = sorted({f.needs or f.rule for f in open_})
            said = msg("outcome.needs", "needs: {needs}", needs=join(needs))
            return findings, outcome(Status.UNDETERMINED, said, [f.rule for f in open_], summary_id=said.id,
                                     args=said.args)
        eligible = Message(f"{program.id}.eligible", program.eligible_summary.replace("{", "{{").replace("}", "}}"), {})
        return findings, outcome(Status.ELIGIBLE, eligible,
                                 summary_id=f"{program.id}.eligible",
                                 assumptions=[f for f in findings if f.assumption])


def _with_dossier_findings(outcomes: list[Outcome], findings: Sequence[Finding]) -> list[Outcome]:
    """The outcomes after the dossier-scope rules: their error violations, faults (a rule that
    raised or ran out of time) and undetermined findings reach the outcomes of the program they
    belong to, for the finding's shipment or, without one, for every shipment. An error makes
    the outcome `not_eligible`; an open question makes an `eligible` one `undetermined`. A
    program that does not apply stays `not_applicable`."""
    telling = [f for f in findings if f.program and (
        f.effect is Effect.UNDETERMINED or (f.effect is Effect.VIOLATION and f.severity is Severity.ERROR))]
    if not telling:
        return outcomes
    out: list[Outcome] = []
    for o in outcomes:
        mine = [f for f in telling if f.program == o.program and f.shipment in (None, o.subject)]
        if not mine or o.status in (Status.NOT_APPLICABLE, Status.NOT_ELIGIBLE):
            out.append(o)
            continue
        errors = [f for f in mine if f.effect is Effect.VIOLATION]
        if errors:
            ids = sorted({f.rule for f in errors})
            said = msg("outcome.errors", "{count} error finding(s): {rules}", count=len(errors), rules=", ".join(ids))
            out.append(attrs.evolve(o, status=Status.NOT_ELIGIBLE, summary=said, reasons=tuple(ids),
                                    summary_id=said.id, summary_args=said.args, assumptions=()))
            continue
        if o.status is Status.ELIGIBLE:
            needs = sorted({f.needs or f.rule for f in mine})
            said = msg("outcome.needs", "needs: {needs}", needs=join(needs))
            out.append(attrs.evolve(o, status=Status.UNDETERMINED, summary=said,
                                    reasons=tuple(sorted({f.rule for f in mine})), summary_id=said.id,
                                    summary_args=said.args, assumptions=()))
            continue
        out.append(attrs.evolve(o, reasons=tuple(sorted({*o.reasons, *(f.rule for f in mine)}))))
    return out


def _assumptions(findings: Sequence[Finding]) -> tuple[Assumption, ...]:
    """The premises an outcome rests on, once each, in the order of the report's findings."""
    seen: dict[tuple[str, str], Assumption] = {}
    for f in sorted(findings, key=finding_key):
        key = (f.rule, f.message)
        if key not in seen:
            seen[key] = Assumption(rule=f.rule, basis=f.basis, text=f.message, text_id=f.message_id or f.rule,
                                   args=f.args, needs=f.needs)
    return tuple(seen.values())
