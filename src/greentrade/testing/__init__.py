"""Test tools that ship with greentrade (extra ``greentrade[testing]``).

- `run_case`, `load_case`, `load_cases`: rule cases for plugin authors (also collected by the
  pytest plugin); `case_coverage`: which effects of each rule the cases reach.
- `engine_for`, `assert_valid_report`, `report_schema` and the property checks
  `check_never_raises`, `check_deterministic`, `check_input_not_mutated`: for a downstream
  suite, on its own engine and data (no Hypothesis needed).
- `check_more_evidence` (with `extra_documents`, `with_document`), `check_identical_adoptions`,
  `check_order_and_ids`, `check_no_inferred_verdict`: metamorphic properties of truthful
  verdicts, for a plugin's suite to run over its outcome builders (docs/testing.md).
- `greentrade.testing.strategies`: Hypothesis strategies for entities, whole dossiers, invalid
  input and dossiers with a chosen outcome (imported separately: it needs Hypothesis).
"""

from greentrade.testing._cases import Case, CaseError, CaseResult, installed_plugins, load_case, load_cases, run_case
from greentrade.testing._coverage import PluginCoverage, RuleCoverage, case_coverage
from greentrade.testing._helpers import (
    assert_valid_report,
    check_deterministic,
    check_input_not_mutated,
    check_never_raises,
    engine_for,
    report_schema,
)
from greentrade.testing._metamorphic import (
    STATUS_RANK,
    check_identical_adoptions,
    check_more_evidence,
    check_no_inferred_verdict,
    check_order_and_ids,
    extra_documents,
    outcome_statuses,
    with_document,
)

__all__ = [
    "STATUS_RANK",
    "Case",
    "CaseError",
    "CaseResult",
    "PluginCoverage",
    "RuleCoverage",
    "assert_valid_report",
    "case_coverage",
    "check_deterministic",
    "check_identical_adoptions",
    "check_input_not_mutated",
    "check_more_evidence",
    "check_never_raises",
    "check_no_inferred_verdict",
    "check_order_and_ids",
    "engine_for",
    "extra_documents",
    "installed_plugins",
    "load_case",
    "load_cases",
    "outcome_statuses",
    "report_schema",
    "run_case",
    "with_document",
]
