"""Documentation stays in step with the code."""

import inspect
import re
from pathlib import Path

import greentrade
from greentrade.plugin import hookspec

ROOT = Path(__file__).resolve().parent.parent


def hook_names():
    return sorted(n for n, f in inspect.getmembers(hookspec, inspect.isfunction) if n.startswith("greentrade_"))


def test_every_hook_is_documented_with_an_example():
    doc = (ROOT / "docs" / "hooks.md").read_text()
    sections = dict(re.findall(r"^## (greentrade_\w+)\n(.*?)(?=^## |\Z)", doc, flags=re.M | re.S))
    missing = [n for n in hook_names() if n not in sections]
    assert not missing, f"hooks without an entry in docs/hooks.md: {missing}"
    for name, body in sections.items():
        assert name in hook_names(), f"docs/hooks.md documents {name}, which is not a hook"
        assert f"`{name}(" in body, f"{name}: no signature line"
        assert "```python" in body, f"{name}: no example"


def test_every_hook_has_a_docstring():
    for name in hook_names():
        assert (getattr(hookspec, name).__doc__ or "").strip(), name


def test_changelog_has_unreleased_on_top():
    text = (ROOT / "CHANGELOG.md").read_text()
    first = re.search(r"^## (.+)$", text, flags=re.M)
    assert first and first.group(1).startswith("[Unreleased]")


def test_no_symlink_in_the_source_tree():
    """A symlink into the package (the old top-level ``schemas``) made the sdist store the schemas
    outside the package: every command of a wheel built from it failed (#21). The schemas live in
    src/greentrade/schemas only."""
    import os

    links = []
    for here, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("node_modules", "build", "dist")]
        links += [os.path.join(here, n) for n in [*dirs, *files] if os.path.islink(os.path.join(here, n))]
    assert links == []
    assert (Path(greentrade.__file__).parent / "schemas" / "dossier.schema.json").is_file()


def test_every_docs_page_the_code_names_exists():
    """Docstrings and messages send readers to docs/*.md; each such page exists."""
    root, docs = ROOT, ROOT / "docs"
    named = set()
    for path in [*root.joinpath("src").rglob("*.py"), *root.joinpath("plugins").glob("*/src/**/*.py")]:
        named |= {(m, path.name) for m in re.findall(r"docs/([A-Za-z0-9_-]+\.md)", path.read_text("utf-8"))}
    assert named, "the scan found no reference at all"
    missing = sorted((page, where) for page, where in named if not (docs / page).is_file())
    assert not missing, f"pages named in the code but missing from docs/: {missing}"
