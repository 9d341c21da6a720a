"""Test tools that ship with greentrade (extra ``greentrade[testing]``).

- `run_case`, `load_case`, `load_cases`: rule cases for plugin authors (also collected by the
  pytest plugin); `case_coverage`: which effects of each rule the cases reach.
- `engine_for`, `assert_valid_report`, `report_schema` and the property checks
  `check_never_raises`, `check_deterministic`, `check_input_not_mutated`: for a downstream
  suite, on its own engine and data (no Hypothesis needed).
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

__all__ = [
    "Case",
    "CaseError",
    "CaseResult",
    "PluginCoverage",
    "RuleCoverage",
    "assert_valid_report",
    "case_coverage",
    "check_deterministic",
    "check_input_not_mutated",
    "check_never_raises",
    "engine_for",
    "installed_plugins",
    "load_case",
    "load_cases",
    "report_schema",
    "run_case",
]
