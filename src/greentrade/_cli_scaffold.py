"""``greentrade new-plugin NAME``: a plugin folder to start from (docs/plugin-tutorial.md).

It writes the packaging (with the core range and the hook-API range it is written for), the
package (hooks, one rule whose texts are in a data file checked by its schema), an example
dossier, one passing and one failing rule case, a test that uses greentrade's testing kit, and
outcome builders (eligible, not eligible) for downstream suites with the test of their contract.
The templates are package data (``greentrade/data/scaffold``); the folder installs and passes
its tests as written (tests/test_scaffold.py).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

from greentrade._cli_parse import EXIT_USAGE
from greentrade._version import __version__

__all__ = ["core_range", "register", "render", "rule_prefix", "run"]

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\Z")

#: target path (with ``__MODULE__``, ``__SUFFIX__``) <- template file in data/scaffold
FILES = {
    "pyproject.toml": "pyproject.toml.tmpl",
    "src/__MODULE__/__init__.py": "__init__.py.tmpl",
    "src/__MODULE__/rules.py": "rules.py.tmpl",
    "src/__MODULE__/strategies.py": "strategies.py.tmpl",
    "src/__MODULE__/py.typed": None,
    "src/__MODULE__/data/program.json": "program.json.tmpl",
    "src/__MODULE__/data/program.schema.json": "program.schema.json.tmpl",
    "examples/eligible.json": "eligible.json.tmpl",
    "cases/001-pass-valued-lines.case.json": "001-pass.case.json.tmpl",
    "cases/001-fail-line-without-value.case.json": "001-fail.case.json.tmpl",
    "tests/test___SUFFIX__.py": "test_plugin.py.tmpl",
    "tests/test_builders.py": "test_builders.py.tmpl",
}


def rule_prefix(name: str) -> str:
    """``demo-port-hours`` -> ``DEMO-PH``: the first word, then the initials of the others."""
    first, *rest = name.split("-")
    return first.upper() + ("-" + "".join(w[0] for w in rest).upper() if rest else "")


def core_range(version: str = __version__) -> str:
    """The core releases a plugin generated now supports: this minor release and the next
    (``greentrade>=0.2,<0.4`` for 0.2.x; docs/compatibility.md)."""
    major, minor = (int(p) for p in re.findall(r"\d+", version)[:2])
    if major == 0:
        return f"greentrade>={major}.{minor},<{major}.{minor + 2}"
    return f"greentrade>={major}.{minor},<{major + 1}"


def render(name: str, prefix: str | None = None) -> dict[str, str]:
    """Relative path -> text of every file of the plugin `name`."""
    if not _NAME.match(name):
        raise ValueError(f"plugin name {name!r}: lower-case words joined by '-', such as 'demo-port-hours'")
    prefix = prefix or rule_prefix(name)
    if not _PREFIX.match(prefix):
        raise ValueError(f"rule prefix {prefix!r}: upper-case words joined by '-', such as 'DEMO-PH'")
    from greentrade.plugin import HOOK_API_VERSION  # here: the plugin API loads the entities and rules

    suffix = name.replace("-", "_")
    major = HOOK_API_VERSION.split(".")[0]
    tokens = {"__NAME__": name, "__MODULE__": f"greentrade_{suffix}", "__SUFFIX__": suffix, "__PREFIX__": prefix,
              "__CORE__": core_range(), "__HOOK_API__": f">={HOOK_API_VERSION},<{int(major) + 1}"}

    def fill(text: str) -> str:
        for token, value in tokens.items():
            text = text.replace(token, value)
        return text

    templates = resources.files("greentrade").joinpath("data/scaffold")
    return {fill(path): fill(templates.joinpath(t).read_text("utf-8")) if t else "" for path, t in FILES.items()}


def register(sub: Any) -> None:
    p = sub.add_parser("new-plugin", help="write a new plugin's folder to start from (docs/plugin-tutorial.md)")
    p.add_argument("name", metavar="NAME", help="the plugin's name, e.g. demo-port-hours")
    p.add_argument("--prefix", help="the rule id prefix (default: from the name, e.g. DEMO-PH)")
    p.add_argument("--directory", metavar="DIR", help="where to write it (default: ./NAME); must not exist or be empty")


def run(args: Any) -> int:
    """Write the folder; 0, or the usage exit status when the name or the folder is refused."""
    import sys

    try:
        files = render(args.name, args.prefix)
    except ValueError as exc:
        print(f"greentrade new-plugin: {exc}", file=sys.stderr)
        return EXIT_USAGE
    root = Path(args.directory or args.name)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        print(f"greentrade new-plugin: {root} exists and is not an empty folder; nothing written", file=sys.stderr)
        return EXIT_USAGE
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    print(f"wrote plugin {args.name} in {root}/ ({len(files)} files). Next:\n"
          f"  cd {root} && pip install -e . && pytest -q\n"
          "then follow docs/plugin-tutorial.md from Step 2.")
    return 0
