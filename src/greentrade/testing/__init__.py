"""Test tools that ship with greentrade (extra ``greentrade[testing]``).

- `run_case`, `load_case`: rule cases for plugin authors (also collected by the pytest plugin).
- `greentrade.testing.strategies`: Hypothesis strategies for entities and whole dossiers.
"""

from greentrade.testing._cases import Case, CaseError, CaseResult, load_case, run_case

__all__ = ["Case", "CaseError", "CaseResult", "load_case", "run_case"]
