"""A downstream suite, outside the repository, against wheels of greentrade and its three
plugins installed in a fresh virtual environment with only the ``[testing]`` extra.

It uses ``st.from_type`` on every public entity, the outcome builders of all three plugins
(every registered key, and mixed dossiers), the public helpers, and rule cases through the
pytest plugin; plain scripts check both import orders (the strategies before Hypothesis, as
isort sorts them, and Hypothesis first). Dependencies come from pip's configured indexes and
cache; the wheels are built without build isolation (hatchling is in the dev extra).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = [ROOT, *(ROOT / "plugins" / p for p in ("cn-green-channel", "itc-green-export-pass", "buyer-profiles"))]
PLUGINS = ("cn-green-channel", "itc-green-export-pass", "buyer-profiles")

COMMON = """
import attrs, greentrade.model

def public_entities():
    \"\"\"The attrs classes of greentrade.model's public API (entities and standard designators).\"\"\"
    out = []
    for n in greentrade.model.__all__:
        obj = getattr(greentrade.model, n)
        if isinstance(obj, type) and attrs.has(obj):
            out.append(n)
    assert len(out) > 20, out
    return out
"""

SUITE = '''
"""What an ERP team's suite does with greentrade[testing] and the three plugins."""
import greentrade.testing.strategies as gts  # isort puts it before hypothesis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import greentrade
from greentrade import structure, unstructure
from greentrade.testing import (assert_valid_report, check_deterministic, check_input_not_mutated,
                                check_never_raises, engine_for, report_schema)
from common import public_entities

FAST = settings(max_examples=3, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PLUGINS = {plugins!r}


@pytest.mark.parametrize("name", public_entities())
def test_from_type(name):
    cls = getattr(greentrade.model, name)

    @FAST
    @given(st.from_type(cls))
    def check(value):
        assert isinstance(value, cls)
        if name not in ("StandardDesignator", "Amendment"):
            assert structure(unstructure(value), cls) == value

    check()


@pytest.mark.parametrize("key", [k for k in gts.outcome_builders() if k[0] in PLUGINS], ids=str)
def test_outcome_builders(key):
    engine = engine_for(*gts.outcome_plugins(*key), config=gts.outcome_config(*key))

    @FAST
    @given(gts.dossiers_with_outcome(*key))
    def check(data):
        report = engine.validate(data)
        assert_valid_report(report)
        gts.check_outcome(report, data, *key, needs=gts.outcome_needs(*key))

    check()


@pytest.mark.parametrize("program", PLUGINS)
def test_mixed(program):
    @FAST
    @given(gts.mixed_dossiers(program))
    def check(mixed):
        mixed.check(engine_for(*mixed.plugins, config=mixed.config).validate(mixed.data))

    check()


def test_every_plugin_offers_builders():
    assert {{k[0] for k in gts.outcome_builders()}} >= set(PLUGINS)


@FAST
@given(gts.dossier_json(max_shipments=3, leaves={{"quantity": gts.decimals(places=2).map(float)}}))
def test_helpers_on_our_engine(data):
    engine = engine_for(*PLUGINS)
    check_never_raises(engine, data)
    check_deterministic(engine, data)
    check_input_not_mutated(engine, data)
    assert report_schema()["type"] == "object"
'''

ORDER_SCRIPT = '''
{imports}
import sys
from hypothesis import find, given, settings, strategies as st
from common import public_entities
import greentrade
from greentrade.testing import engine_for
names = public_entities()
assert "Tender" in names and "Promise" in names and "TenderItem" in names
for name in names:
    cls = getattr(greentrade.model, name)
    @settings(max_examples=2, database=None, deadline=None)
    @given(st.from_type(cls))
    def check(value):
        assert isinstance(value, cls)
    check()
from greentrade.testing import strategies as gts
for program in {plugins!r}:
    key = next(k for k in gts.outcome_builders(program) if k[1] == "eligible")
    engine = engine_for(*gts.outcome_plugins(*key), config=gts.outcome_config(*key))
    @settings(max_examples=2, database=None, deadline=None)
    @given(gts.dossiers_with_outcome(*key))
    def eligible(data):
        gts.check_outcome(engine.validate(data), data, program, "eligible")
    eligible()
print("ok", len(names))
'''

CASE = '{"case": "an empty dossier has no schema finding", "rules": ["GT-SCHEMA-001"], "plugins": [], ' \
       '"dossier": {"format": "greentrade.dossier/1"}, "expect": {"findings": []}}'


def _run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=900,
                          check=False)


@pytest.fixture(scope="module")
def downstream(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(python of a fresh venv with the wheels and greentrade[testing], an empty work folder)."""
    base = tmp_path_factory.mktemp("downstream")
    wheels = base / "wheels"
    built = _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                 "-w", wheels, *PROJECTS, cwd=base)
    assert built.returncode == 0, built.stderr
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    installed = _run(python, "-m", "pip", "install", "--quiet", "--find-links", wheels, "greentrade[testing]",
                     *(f"greentrade-{p}" for p in PLUGINS), cwd=base)
    assert installed.returncode == 0, installed.stderr
    work = base / "erp-suite"
    work.mkdir()
    (work / "common.py").write_text(textwrap.dedent(COMMON), encoding="utf-8")
    return python, work


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "HYPOTHESIS", "PYTEST", "VIRTUAL_ENV"))}


def test_the_downstream_suite_passes(downstream: tuple[Path, Path]) -> None:
    python, work = downstream
    (work / "test_erp.py").write_text(SUITE.format(plugins=PLUGINS), encoding="utf-8")
    (work / "cases").mkdir()
    (work / "cases" / "empty.case.json").write_text(CASE, encoding="utf-8")
    result = _run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", ".", cwd=work, env=_clean_env())
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
    # the pytest plugin is active (it collected the case); -p no:greentrade turns it off
    cases = _run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "cases", "--co", cwd=work,
                 env=_clean_env())
    assert "empty.case.json" in cases.stdout, cases.stdout
    off = _run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:greentrade", "cases",
               cwd=work, env=_clean_env())
    assert off.returncode == 5, off.stdout  # no tests collected


@pytest.mark.parametrize("imports", [
    "import greentrade.testing.strategies\nimport hypothesis",
    "import hypothesis\nassert 'greentrade' not in __import__('sys').modules",
], ids=["strategies-first", "hypothesis-first"])
def test_any_import_order(downstream: tuple[Path, Path], imports: str) -> None:
    python, work = downstream
    script = work / "order.py"
    script.write_text(ORDER_SCRIPT.format(imports=imports, plugins=PLUGINS), encoding="utf-8")
    result = _run(python, script, cwd=work, env=_clean_env())
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.startswith("ok ")
