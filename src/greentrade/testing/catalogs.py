"""Building and checking the catalogs with Babel, for greentrade and for plugin authors: extract
the messages of a package, update its ``.po`` files, compile them to ``.mo`` (``python3 tasks.py
catalogs``; docs/languages.md).

What is extracted into a package's domain:

- ``msg("ID", "English template", ...)`` calls in its Python modules (``msgctxt`` = the id,
  ``msgid`` = the template), found by Babel's Python extractor with the keyword ``msg:1c,2``;
- for the core, the page texts of the templates (``_()`` and ``ngettext()`` calls, Babel's
  Jinja2 extractor), the status words (``status.<word>``) and the meanings of the readiness
  statuses;
- the title (``<RULE>.title``) and remediation (``<RULE>.remediation``) of each rule the package
  contributes, and for a program its outcome summary when eligible (``<PROGRAM>.eligible``),
  taken from the loaded rules (the data files keep their language-neutral ids).

The compiled ``.mo`` files are committed beside their ``.po`` (so editable installs, sdists and
wheels carry them without a build step); tests/test_i18n.py compiles every ``.po`` again and
fails when a committed ``.mo`` differs or a catalog misses a message.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from greentrade.i18n import SHIPPED
from greentrade.i18n._catalog import _DIR

__all__ = [
    "LANGUAGES", "compile_file", "compile_po", "domain_dir", "entries", "extract",
    "is_compiled", "main", "po_path", "read_po", "update",
]

#: The languages a catalog is kept for (English is the source: it has none).
LANGUAGES: tuple[str, ...] = SHIPPED[1:]
KEYWORDS = {"msg": ((1, "c"), 2), "_": None, "gettext": None, "ngettext": (1, 2)}

STATUS_WORDS: tuple[str, ...] = (
    # outcome statuses, severities, bases
    "eligible", "not_eligible", "undetermined", "not_applicable", "error", "warning", "info",
    "stated", "inferred", "practice", "host",
    # readiness: cell statuses, program cells, requirement levels and standing, gap kinds
    "gaps", "expiring", "optional-gaps", "ready", "no-requirements-known", "no-shipment", "mixed", "not-evaluated",
    "required", "preferred", "law", "published-pilot", "common-practice",
)  # and the gap kinds of the readiness assessment (readiness GAP_KINDS)


#: The document types (dossier schema), as the readiness gaps name them (``doctype.<type>``).
DOCUMENT_TYPES: tuple[str, ...] = (
    "carbon-footprint-declaration", "certificate", "epd", "test-report", "factory-audit", "declaration-of-conformity",
)

#: argparse's own texts of a help page (translated through its module's `_`, see greentrade.cli).
ARGPARSE_TEXTS: tuple[str, ...] = (
    "usage: ", "positional arguments", "options", "show this help message and exit",
    "show program's version number and exit", "the following arguments are required: %s",
)


#: The titles of the service's problem documents (greentrade.server: translated by Accept-Language).
SERVICE_TITLES: tuple[str, ...] = (
    "Answer too large", "Bad query parameter", "Batch timeout", "Batch too large", "Body too large", "Busy",
    "Host not allowed", "Internal error", "Not a dossier", "Not found", "Not ready", "Request head too large",
    "Request timeout", "Unauthorized", "Unsupported media type", "Method not allowed", "HTTP error",
)


def _help_texts() -> list[str]:
    """Every help text of the command line, as its modules write them (English)."""
    from greentrade import cli, i18n

    previous = i18n.use("en")
    try:
        parser = cli._parser()
    finally:
        i18n.use(previous)
    texts: list[str] = []
    cli.help_texts(parser, lambda t: texts.append(t) or t)  # type: ignore[func-returns-value]
    # A help text that names this machine (its cores) differs between machines: not catalogued.
    return [t for t in dict.fromkeys(texts) if not re.search(r"\bhere \d+\)", t)]


def domain_dir(domain: str) -> Path:
    """The package directory of a domain (an installed, importable package)."""
    return Path(str(resources.files(domain)))


def _python_messages(root: Path) -> Iterator[tuple[str | None, str, str, int]]:
    """(id, English template, file, line) of each ``msg`` call under `root`, and (None, text,
    file, line) of each ``_("text")`` call (the command line's texts, `greentrade.i18n.text`)."""
    from babel.messages.extract import extract_python

    for path in sorted(root.rglob("*.py")):
        with path.open("rb") as fp:
            for lineno, func, args, _comments in extract_python(fp, KEYWORDS, [], {}):
                where = str(path.relative_to(root.parent))
                if func == "msg" and isinstance(args, tuple) and len(args) >= 2 and args[0] and args[1]:
                    yield args[0], args[1], where, lineno
                elif func == "_" and isinstance(args, str) and args:
                    yield None, args, where, lineno


def _template_texts(root: Path) -> Iterator[tuple[str | tuple[str, str], str, int]]:
    from jinja2.ext import babel_extract

    for path in sorted((root / "render" / "templates").glob("*.*")):
        if path.suffix not in (".txt", ".html"):
            continue
        with path.open("rb") as fp:
            opts = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
            for lineno, func, args, _comments in babel_extract(fp, ("_", "gettext", "ngettext"), [], opts):
                where = str(path.relative_to(root.parent))
                if func == "ngettext" and isinstance(args, tuple) and args[0] and args[1]:
                    yield (args[0], args[1]), where, lineno
                elif isinstance(args, tuple) and isinstance(args[0], str) and args[0]:
                    yield args[0], where, lineno  # _("... %(x)s", x=...): the keywords extract as None
                elif isinstance(args, str) and args:
                    yield args, where, lineno


def _rule_texts(domain: str) -> Iterator[tuple[str, str]]:
    """(id, English) of the titles and remediation texts of the rules `domain` contributes, and
    of the programs' eligible summaries."""
    from importlib.metadata import entry_points

    from greentrade.engine import Engine

    engine = Engine(config=None)
    engine.load_entry_points()
    packages = {ep.name: ep.value.split(":")[0].split(".")[0] for ep in entry_points(group="greentrade")}

    def owned(owner: str) -> bool:
        return packages.get(owner, "greentrade") == domain

    from greentrade.engine._faults import ENGINE_RULES

    rules = [*engine.rules, *(ENGINE_RULES.values() if domain == "greentrade" else ())]
    for r in sorted(rules, key=lambda r: r.id):
        if r.id.startswith("GT-") and domain != "greentrade":
            continue
        if not r.id.startswith("GT-") and not owned(engine.rule_owner(r.id)):
            continue
        yield f"{r.id}.title", r.title
        if r.remediation:
            yield f"{r.id}.remediation", r.remediation
    rule_programs = {r.program: engine.rule_owner(r.id) for r in engine.rules if r.program}
    for p in sorted(engine.programs, key=lambda p: p.id):
        if p.id in rule_programs and owned(rule_programs[p.id]):
            yield f"{p.id}.eligible", p.eligible_summary


def _data_texts(domain: str) -> Iterator[tuple[str, str]]:
    """(id, English) of the data-file texts a plugin's findings quote (`greentrade.plugin.data_text`),
    from the package's optional ``greentrade_catalog_texts()``."""
    import importlib

    try:
        module = importlib.import_module(domain)
    except ImportError:
        return
    texts = getattr(module, "greentrade_catalog_texts", None)
    if callable(texts):
        yield from sorted(texts())


def extract(domain: str) -> Any:
    """The template catalog (a Babel `Catalog`, the ``.pot``) of a domain."""
    from babel.messages.catalog import Catalog

    root = domain_dir(domain)
    pot = Catalog(project=domain, version="1", fuzzy=False)
    for mid, template, where, lineno in _python_messages(root):
        if mid is None:
            pot.add(template, locations=[(where, lineno)])
        else:
            pot.add(template, context=mid, locations=[(where, lineno)], flags=("python-brace-format",))
    for rid, text in _rule_texts(domain):
        pot.add(text, context=rid)
    for tid, text in _data_texts(domain):
        pot.add(text.replace("{", "{{").replace("}", "}}"), context=tid)
    if domain == "greentrade":
        from greentrade.readiness._values import GAP_KINDS, STATUS_MEANING

        for word in dict.fromkeys((*STATUS_WORDS, *GAP_KINDS)):
            pot.add(word, context=f"status.{word}")
        for kind in DOCUMENT_TYPES:
            pot.add(kind, context=f"doctype.{kind}")
        for page, where, lineno in _template_texts(root):
            pot.add(page, locations=[(where, lineno)], flags=("python-format",))
        for meaning in STATUS_MEANING.values():
            pot.add(meaning)
        for heading in ARGPARSE_TEXTS:
            pot.add(heading, locations=[("argparse", 0)])
        for title in SERVICE_TITLES:
            pot.add(title, locations=[("greentrade/server", 0)])
        for text in _help_texts():
            if not pot.get(text):
                pot.add(text, locations=[("greentrade/cli (help)", 0)])
    return pot


def po_path(domain: str, lang: str) -> Path:
    return domain_dir(domain) / "locale" / _DIR[lang] / "LC_MESSAGES" / f"{domain}.po"


def read_po(path: Path, lang: str) -> Any:
    from babel.messages.pofile import read_po as babel_read_po

    with path.open("rb") as fp:
        return babel_read_po(fp, locale=_DIR[lang], domain=path.stem)


def update(domain: str, languages: Iterable[str] = LANGUAGES) -> list[Path]:
    """Write the domain's ``.pot``, bring each language's ``.po`` up to it (new messages empty,
    changed ones fuzzy, removed ones dropped) and compile the ``.mo``; the paths written."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    pot = extract(domain)
    root = domain_dir(domain) / "locale"
    root.mkdir(exist_ok=True)
    written = []
    with (root / f"{domain}.pot").open("wb") as fp:
        write_po(fp, pot, omit_header=False, sort_output=True, width=100)
    written.append(root / f"{domain}.pot")
    for lang in languages:
        path = po_path(domain, lang)
        if path.exists():
            po = read_po(path, lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            po = Catalog(locale=_DIR[lang], domain=domain, project=domain, version="1")
        po.update(pot, no_fuzzy_matching=True)
        po.obsolete.clear()
        with path.open("wb") as fp:
            write_po(fp, po, omit_header=False, sort_output=True, width=100, include_previous=False)
        mo = path.with_suffix(".mo")
        mo.write_bytes(compile_po(path, lang))
        written += [path, mo]
    return written


def compile_po(path: Path, lang: str) -> bytes:
    """The ``.mo`` bytes of a ``.po`` file (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo

    po = read_po(path, lang)
    out = io.BytesIO()
    write_mo(out, po, use_fuzzy=False)
    return out.getvalue()


def entries(mo: bytes) -> dict[Any, Any]:
    """What a compiled catalog holds, without its header: compare these, not the bytes (Babel
    versions lay the same entries out differently)."""
    import gettext

    held = dict(gettext.GNUTranslations(io.BytesIO(mo))._catalog)  # type: ignore[attr-defined]
    held.pop("", None)
    return held


def is_compiled(po: Path, lang: str) -> bool:
    """Whether the ``.mo`` beside `po` holds what compiling `po` gives."""
    mo = po.with_suffix(".mo")
    return mo.exists() and entries(mo.read_bytes()) == entries(compile_po(po, lang))


def compile_file(po: Path) -> Path:
    """Compile ``locale/<ll_CC>/LC_MESSAGES/<domain>.po`` to the ``.mo`` beside it; its path."""
    folder = po.parent.parent.name
    lang = next((tag for tag, name in _DIR.items() if name == folder), None)
    if lang is None:
        raise ValueError(f"{po}: {folder!r} is not the folder of a shipped language ({', '.join(_DIR.values())})")
    mo = po.with_suffix(".mo")
    mo.write_bytes(compile_po(po, lang))
    return mo


def main(argv: list[str] | None = None) -> None:
    """``python3 tasks.py catalogs [DOMAIN...]``: update the named domains (default: the core's
    and every installed plugin's that has a ``locale`` directory).
    ``python -m greentrade.testing.catalogs compile FILE.po...``: compile `.po` files only."""
    import sys

    from greentrade.i18n._catalog import _domains

    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["compile"]:
        for name in args[1:]:
            print(compile_file(Path(name)))
        return
    names = args or [
        d for d in _domains() if d == "greentrade" or (domain_dir(d) / "locale").is_dir()]
    for domain in names:
        for path in update(domain):
            print(path)


if __name__ == "__main__":
    main()
