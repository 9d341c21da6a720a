"""Cold start (#22, #23): what `import greentrade` and the light commands import.

No timing here (the figures are in bench/bench_targets.py): each test runs a fresh interpreter
and checks `sys.modules`, so that a heavy import moved back to the top of a module fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import greentrade

#: Libraries that `import greentrade` and the command line's help must not load.
HEAVY = ("attr", "attrs", "cattrs", "pluggy", "jsonschema", "jsonschema_rs", "referencing", "jinja2", "babel",
         "tqdm", "dask", "distributed", "starlette", "uvicorn", "hypothesis", "pydantic", "importlib.metadata")
#: Parts of greentrade that hold the entities, the rules and the engine.
OURS = ("greentrade.model", "greentrade.rules", "greentrade.io._load", "greentrade.engine._engine",
        "greentrade.engine._batch", "greentrade.plugin", "greentrade.render", "greentrade.importers",
        "greentrade.readiness")


def _modules(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules for n in names if m == n or m.startswith(n + "."))


def test_import_greentrade_loads_nothing_heavy() -> None:
    modules = _modules("import greentrade")
    assert _loaded(modules, HEAVY + OURS) == []
    assert "typing" not in modules  # about 8 ms of its own


@pytest.mark.parametrize("argv", [["--version"], ["--help"], [], ["validate", "--help"], ["schema", "dossier"]])
def test_light_commands_load_no_engine(argv: list[str]) -> None:
    code = ("from greentrade.cli import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass")
    loaded = _loaded(_modules(code), HEAVY + OURS)
    # attrs: the service's settings give `serve --help` its defaults. (The importers' names,
    # entry points included, are listed when `import` is used: `import --help` loads them.)
    assert [m for m in loaded if m.split(".")[0] not in ("attr", "attrs")] == []


def test_the_engine_path_loads_no_renderer_or_service() -> None:
    example = Path(__file__).parents[1] / "examples" / "zhejiang-solar-portfolio.json"
    modules = _modules("import pathlib\nfrom greentrade import Engine\ne = Engine(); e.load_entry_points()\n"
                       f"e.validate(pathlib.Path({str(example)!r})).to_json()")
    assert _loaded(modules, ("jinja2", "babel", "tqdm", "dask", "starlette", "uvicorn", "hypothesis",
                             "jsonschema", "referencing")) == []


def test_every_name_of_the_package_resolves() -> None:
    assert set(greentrade.__all__) <= set(dir(greentrade))
    for name, (module, attr) in greentrade._LAZY.items():
        target = __import__(module, fromlist=["_"])
        assert getattr(greentrade, name) is (target if attr is None else getattr(target, attr)), name
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        greentrade.nonexistent  # noqa: B018


# -- compiled templates kept between runs (greentrade.render._cache) ---------------------------
def test_a_cached_template_is_the_compiled_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    source = "{{ a }}\n{% for x in xs %}[{{ x }}]{% endfor %}<{{ '<&>' }}>"
    (tmp_path / "t.html").write_text(source, "utf-8")
    import jinja2

    def env(cache: Path | None) -> Any:
        from greentrade.render._cache import TemplateCache

        return jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), trim_blocks=True,
                                  autoescape=jinja2.select_autoescape(enabled_extensions=("html",)),
                                  bytecode_cache=None if cache is None else TemplateCache(cache))

    cache = tmp_path / "cache"
    expected = env(None).get_template("t.html").render(a=1, xs=[1, 2])
    assert env(cache).get_template("t.html").render(a=1, xs=[1, 2]) == expected  # compiled, then written
    (entry,) = cache.glob("*.j2c")
    assert env(cache).get_template("t.html").render(a=1, xs=[1, 2]) == expected  # loaded from the entry
    # other options (no autoescape) compile differently: another entry, not the first one
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), trim_blocks=True,
                               bytecode_cache=env(cache).bytecode_cache)
    assert plain.get_template("t.html").render(a=1, xs=[]) == "1\n<<&>>"
    assert len(list(cache.glob("*.j2c"))) == 2
    # a damaged entry is compiled anew and replaced; a changed template is never served stale
    entry.write_bytes(entry.read_bytes()[:20])
    assert env(cache).get_template("t.html").render(a=1, xs=[1, 2]) == expected
    (tmp_path / "t.html").write_text(source + "!", "utf-8")
    assert env(cache).get_template("t.html").render(a=1, xs=[1, 2]) == expected + "!"


def test_the_cache_writes_nothing_without_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # PYTHONDONTWRITEBYTECODE
    (tmp_path / "t.txt").write_text("{{ a }}", "utf-8")
    import jinja2

    from greentrade.render._cache import TemplateCache

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path),
                             bytecode_cache=TemplateCache(tmp_path / "cache"))
    assert env.get_template("t.txt").render(a=1) == "1"
    assert not (tmp_path / "cache").exists()
