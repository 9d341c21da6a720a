"""pytest plugin (entry point ``pytest11``): collects ``*.case.json`` rule cases as tests.

Each case file becomes one test item; a failing case shows which expected findings are
missing, which are unexpected, which outcomes differ, and the actual findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from greentrade.testing._cases import CaseError, CaseResult, load_case, run_case

CASE_SUFFIX = ".case.json"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(CASE_SUFFIX):
        return RuleCaseFile.from_parent(parent, path=file_path)
    return None


class RuleCaseFile(pytest.File):
    def collect(self) -> Any:
        name = self.path.name.removesuffix(CASE_SUFFIX)
        yield RuleCaseItem.from_parent(self, name=name)


class RuleCaseFailure(Exception):
    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.explain())
        self.result = result


class RuleCaseItem(pytest.Item):
    def runtest(self) -> None:
        result = run_case(load_case(self.path))
        if not result.passed:
            raise RuleCaseFailure(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, RuleCaseFailure | CaseError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"rule case: {self.name}"
