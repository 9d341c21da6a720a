"""Bounds on what a report holds: at most `MAX_FINDINGS_PER_RULE` findings per rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from greentrade.rules._rules import Finding, Severity

__all__ = ["MAX_FINDINGS_PER_RULE", "Bounded"]

MAX_FINDINGS_PER_RULE = 1000
_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Bounded:
    """Collects findings, keeping the first `cap` of each rule and counting the rest.

    Program statuses are derived before findings reach this collector, so leaving findings
    out of the report never changes an outcome.
    """

    def __init__(self, cap: int = MAX_FINDINGS_PER_RULE) -> None:
        self.cap = cap
        self.kept: list[Finding] = []
        self._counts: dict[str, int] = {}
        #: rule id -> (findings left out, the highest severity among them)
        self.omitted: dict[str, tuple[int, Severity]] = {}
        #: Rules whose findings were not all enumerated (the schema explanation stops after a
        #: bound): their count of omitted findings is a lower bound.
        self.incomplete: set[str] = set()

    def append(self, finding: Finding) -> None:
        n = self._counts.get(finding.rule, 0)
        self._counts[finding.rule] = n + 1
        if n < self.cap:
            self.kept.append(finding)
            return
        count, worst = self.omitted.get(finding.rule, (0, Severity.INFO))
        if _RANK[finding.severity] > _RANK[worst]:
            worst = finding.severity
        self.omitted[finding.rule] = (count + 1, worst)

    def extend(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            self.append(f)

    def add_omitted(self, omitted: Mapping[str, tuple[int, Severity]]) -> None:
        """Count findings another collector left out (e.g. the loader's)."""
        for rule, (count, severity) in omitted.items():
            n, worst = self.omitted.get(rule, (0, Severity.INFO))
            self.omitted[rule] = (n + count, severity if _RANK[severity] > _RANK[worst] else worst)
            self._counts[rule] = self._counts.get(rule, 0) + count
