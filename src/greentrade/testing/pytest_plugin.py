"""pytest plugin (entry point ``pytest11``): collects ``*.case.json`` rule cases as tests.

Each case becomes one test item (a file of several cases, ``{"cases": [...]}``, gives one item
per case, named ``file[N]``); a failing case shows which expected findings are missing, which
are unexpected, which outcomes differ, and the actual findings.

``pytest --greentrade-coverage`` reports, per plugin whose rules the cases test, which effects
of each rule a passing case reaches (`greentrade.testing._coverage`);
``--greentrade-coverage-fail-under=PERCENT`` fails the run when a plugin is below it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from greentrade.testing._cases import Case, CaseError, CaseResult, load_cases, run_case

CASE_SUFFIX = ".case.json"

_RESULTS = pytest.StashKey[list[CaseResult]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("greentrade", "greentrade rule cases")
    group.addoption("--greentrade-coverage", action="store_true", default=False,
                    help="report, per plugin, which effects of each rule the rule cases reach")
    group.addoption("--greentrade-coverage-fail-under", type=float, default=None, metavar="PERCENT",
                    help="with --greentrade-coverage (implied): fail when a plugin's coverage is below PERCENT")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_RESULTS] = []


def _coverage_on(config: pytest.Config) -> bool:
    return bool(config.getoption("--greentrade-coverage", False)
                or config.getoption("--greentrade-coverage-fail-under", None) is not None)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(CASE_SUFFIX):
        return RuleCaseFile.from_parent(parent, path=file_path)
    return None


class RuleCaseFile(pytest.File):
    def collect(self) -> Any:
        name = self.path.name.removesuffix(CASE_SUFFIX)
        try:
            cases = load_cases(self.path)
        except CaseError:  # reported by the item, as a failing test with the message
            yield RuleCaseItem.from_parent(self, name=name)
            return
        if len(cases) == 1:
            yield RuleCaseItem.from_parent(self, name=name, case=cases[0])
            return
        for i, case in enumerate(cases, 1):
            yield RuleCaseItem.from_parent(self, name=f"{name}[{i}]", case=case)


class RuleCaseFailure(Exception):
    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.explain())
        self.result = result


class RuleCaseItem(pytest.Item):
    def __init__(self, *, case: Case | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.case = case

    def runtest(self) -> None:
        result = run_case(self.case if self.case is not None else load_cases(self.path)[0])
        if _coverage_on(self.config):
            self.config.stash[_RESULTS].append(result)
        if not result.passed:
            raise RuleCaseFailure(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, RuleCaseFailure | CaseError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"rule case: {self.name}"


def _coverage(config: pytest.Config) -> list[Any]:
    from greentrade.testing._coverage import case_coverage

    results: list[CaseResult] = config.stash.get(_RESULTS, [])
    return case_coverage(results)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not _coverage_on(config):
        return
    terminalreporter.section("greentrade rule-case coverage")
    covs = _coverage(config)
    if not covs:
        terminalreporter.write_line("no rule case of a plugin ran")
    for cov in covs:
        terminalreporter.write_line(cov.text(verbose=config.getoption("verbose", 0) > 0))
    under = config.getoption("--greentrade-coverage-fail-under", None)
    if under is not None:
        low = [c for c in covs if c.percent < under]
        for c in low:
            terminalreporter.write_line(f"FAIL: {c.plugin} coverage {c.percent:.1f}% is below {under:g}%")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    under = config.getoption("--greentrade-coverage-fail-under", None)
    if under is None or exitstatus != 0:
        return
    if any(c.percent < under for c in _coverage(config)):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
