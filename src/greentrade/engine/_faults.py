"""The engine's own rules (GT-ENGINE-*): the findings it reports about plugins, rules and input.

Both the engine and batches report them; this module holds their texts and builds their findings.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from greentrade.i18n import Message, msg
from greentrade.rules._report import RuleInfo
from greentrade.rules._rules import Citation, Effect, Finding, Rule, Severity

_ENGINE = Citation(
    authority="greentrade",
    title="greentrade engine: plugin and rule faults",
    reference="greentrade documentation, chapter 'The engine', section on plugin and rule faults",
)
ENGINE_RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            id="GT-ENGINE-001", title="Plugins load", severity=Severity.ERROR,
            check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            basis="stated",
            remediation="Fix or uninstall the plugin, or leave it out of the [greentrade] plugins allowlist.",
        ),
        Rule(
            id="GT-ENGINE-002", title="Plugin hooks return valid contributions", severity=Severity.ERROR,
            check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            basis="stated",
            remediation="Report the problem to the plugin's authors; its other contributions still work.",
        ),
        Rule(
            id="GT-ENGINE-003", title="Rule checks run without raising", severity=Severity.ERROR,
            check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            basis="stated",
            remediation=(
                "Report the problem to the rule's plugin; the program's status is undetermined until it is fixed."
            ),
        ),
        Rule(
            id="GT-ENGINE-004", title="Program rules run only on a structurally valid dossier",
            severity=Severity.INFO, check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            basis="stated",
            remediation="Fix the data findings; program rules then run.",
        ),
        Rule(
            id="GT-ENGINE-005", title="A report holds at most 1,000 findings per rule",
            severity=Severity.INFO, check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            basis="stated",
            remediation="Fix the findings that are shown and validate again to see the rest.",
        ),
        Rule(
            id="GT-ENGINE-006", title="Only stated or host rules yield violations",
            severity=Severity.WARNING, check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            basis="stated",
            remediation=("Report the problem to the rule's plugin: an inferred or practice rule must yield a "
                         "warning or undetermined, unless the host makes it binding (require = [\"RULE-ID\"])."),
        ),
        Rule(
            id="GT-ENGINE-007", title="Every input of a batch is a readable dossier", severity=Severity.ERROR,
            check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            basis="stated",
            remediation="Make the input a JSON object (one per line with --jsonl), in UTF-8.",
        ),
        Rule(
            id="GT-ENGINE-008", title="Each dossier of a batch is validated without a crash and in time",
            severity=Severity.ERROR, check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            basis="stated",
            remediation="Validate the dossier alone to see the fault; raise the time limit if it is large.",
        ),
        Rule(
            id="GT-ENGINE-009", title="Plugins use no deprecated part of the plugin API",
            severity=Severity.INFO, check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data",
            basis="stated",
            remediation=("Report it to the plugin's authors: what it uses still works in this release and is "
                         "removed in a later one (docs/compatibility.md)."),
        ),
        Rule(
            id="GT-ENGINE-010", title="A dossier has shipments to judge", severity=Severity.INFO,
            check=lambda _ctx: (), citation=_ENGINE, scope="dossier", role="data", basis="stated",
            remediation=("Attach the documents to a shipment (docs/import.md shows the path: import, attach, "
                         "validate), or import into a dossier that has shipments with `greentrade import ... "
                         "--into DOSSIER`, and validate again."),
        ),
    )
}


def engine_finding(rule_id: str, message: str, subject: str | None = None, **kw: Any) -> Finding:
    rule = ENGINE_RULES[rule_id]
    if isinstance(message, Message) and message.id:  # a `msg`: its id and arguments go with it
        kw.setdefault("message_id", message.id)
        kw.setdefault("args", message.args)
    return Finding(
        rule=rule_id, severity=rule.severity, effect=kw.pop("effect", Effect.VIOLATION),
        message=message, pointer=kw.pop("pointer", ""), subject=subject,
        remediation=rule.remediation, citation=rule.citation, **kw,
    )


#: The engine's rules as a report lists them (report/2 cites each rule once, in `rules`).
ENGINE_RULE_INFOS: dict[str, RuleInfo] = {
    r.id: RuleInfo(id=r.id, title=r.title, plugin="greentrade", basis=str(r.basis),
                   citation=r.citation, remediation=r.remediation or None)
    for r in ENGINE_RULES.values()
}


def exc_summary(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({Path(frame[0].filename).name}:{frame[0].lineno})" if frame else ""
    try:
        text = str(exc)
    except Exception:  # a hostile __str__
        text = "(unprintable)"
    text = text if len(text) <= 300 else text[:297] + "..."
    return f"{type(exc).__name__}: {text}{where}"


def omission(rule_id: str, count: int, worst: Severity, cap: int, *, at_least: bool = False) -> Finding:
    rule = ENGINE_RULES["GT-ENGINE-005"]
    if at_least:  # the explanation stopped: the count is a lower bound
        return Finding(
            rule=rule.id, severity=worst, effect=Effect.NOTE, subject=rule_id, pointer="",
            message=msg("GT-ENGINE-005.omitted-at-least", "at least {count} more finding(s) of rule {rule} were left "
                        "out of the report (at most {cap} per rule; the explanation of the input stopped there)",
                        count=count, rule=rule_id, cap=cap),
            message_id="GT-ENGINE-005.omitted-at-least", args={"count": count, "rule": rule_id, "cap": cap},
            remediation=rule.remediation, citation=rule.citation,
        )
    return Finding(
        rule=rule.id, severity=worst, effect=Effect.NOTE, subject=rule_id, pointer="",
        message=msg("GT-ENGINE-005.omitted", "{count} more finding(s) of rule {rule} were left out of the report "
                    "(at most {cap} per rule; the outcomes count all of them)", count=count, rule=rule_id, cap=cap),
        message_id="GT-ENGINE-005.omitted", args={"count": count, "rule": rule_id, "cap": cap},
        remediation=rule.remediation, citation=rule.citation,
    )
