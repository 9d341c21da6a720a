"""The ``greentrade import`` and ``greentrade migrate`` commands (registered by cli.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from greentrade._files import InputError, OutputError, refuse_overwrite, write_atomic

__all__ = ["COMMANDS", "register", "run"]

COMMANDS = ("import", "migrate")
BUILTIN = ("pact", "catenax", "openepd", "ilcd", "batterypass")
EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


class _Formats(Sequence[str]):
    """The importers' format names (`importers()`), found when first asked for: the importers
    and their entry points are loaded by ``greentrade import``, not by every command's parser."""

    def __init__(self) -> None:
        self._names: list[str] | None = None

    def _get(self) -> list[str]:
        if self._names is None:
            from greentrade.importers import importers

            self._names = sorted(importers())
        return self._names

    def __getitem__(self, index: Any) -> Any:
        return self._get()[index]

    def __len__(self) -> int:
        return len(self._get())

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __contains__(self, name: object) -> bool:
        return name in self._get()


def register(sub: Any) -> None:
    """Add the subcommands to cli.py's subparsers."""
    i = sub.add_parser(
        "import",
        help="write a format-2 dossier from PACT, Catena-X, openEPD, ILCD+EPD or Battery Pass files; exit 0 "
        "when written, 1 if a file could not be imported, 2 if unreadable",
    )
    # The choices are set after add_argument, which formats the argument once to check it
    # (that would list the importers' entry points at every start of the command line).
    i.add_argument("format", help="the files' format").choices = _Formats()
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("--into", metavar="DOSSIER", help="merge into this dossier (format 1 or 2); nothing is "
                   "overwritten and no id is used twice")
    i.add_argument("--hs-code", metavar="CODE", help="HS code of the imported products (the sources state none)")
    i.add_argument("--category", metavar="ID", help="product category of the imported products")
    i.add_argument("--country", metavar="CC", help="ISO 3166-1 country of the footprints' and EPDs' holders")
    i.add_argument("--issuer", metavar="NAME", help="issuer of the imported documents (a party of that name)")
    i.add_argument("-o", "--output", metavar="FILE", help="write the dossier here instead of stdout")
    i.add_argument("--notes-format", choices=("text", "json"), default="text",
                   help="the notes and summary on standard error as text (default) or as one JSON object")
    i.add_argument("--notes", metavar="FILE", dest="notes_file",
                   help="also write the notes and summary as JSON to this file (for hosts that import in bulk)")
    i.add_argument("--config", metavar="FILE", dest="sub_config", help="host configuration (TOML)")
    m = sub.add_parser("migrate", help="rewrite a format-1 dossier as format 2 (checked; notes on stderr)")
    m.add_argument("dossier", metavar="DOSSIER.json")
    m.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (may be the input file)")


def run(args: argparse.Namespace, config: str | None) -> int:
    if args.command == "migrate":
        return _migrate(args)
    return _import(args, config)


def _migrate(args: argparse.Namespace) -> int:
    from greentrade.io._load import DossierReadError
    from greentrade.io._migrate import MigrationError, migrate_text

    notes: list[str] = []
    try:
        text = migrate_text(Path(args.dossier), notes)
    except DossierReadError as exc:
        print(f"greentrade: {_named(args.dossier, exc)}", file=sys.stderr)
        return EXIT_UNREADABLE
    except MigrationError as exc:
        print(f"greentrade: {exc}", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return EXIT_FINDINGS
    _write(text, args.output)
    for note in notes:
        print(f"greentrade: note: {note}", file=sys.stderr)
    return EXIT_OK


def _named(name: str, exc: BaseException) -> str:
    """An error message that names its file once."""
    text = str(exc)
    return text if name in text else f"{name}: {text}"


def _write(text: str, output: str | None, protect: Sequence[str | None] = ()) -> None:
    """Write `output` through the one writer (`_files.Output`), never over a file in `protect`
    (the sources of an import), or to stdout. The file that was read (`migrate`, `--into`) may
    be the output: it is replaced as a whole. A failed write leaves the previous file whole
    (`OutputError`, exit 2)."""
    if output:
        write_atomic(output, text.encode("utf-8"), protect=protect)
    else:
        sys.stdout.write(text)


def _import(args: argparse.Namespace, config: str | None) -> int:
    import json

    from greentrade.engine._engine import Engine
    from greentrade.importers import ImportOptions, importers, merge
    from greentrade.io._load import DossierReadError
    from greentrade.io._read import Document, read, read_json
    from greentrade.model import _codes

    problems = []
    if args.hs_code and _codes.check_hs_code(args.hs_code):
        problems.append(f"--hs-code: {_codes.check_hs_code(args.hs_code)}")
    if args.country and _codes.check_country(args.country):
        problems.append(f"--country: {_codes.check_country(args.country)}")
    if args.issuer is not None and not args.issuer.strip():
        problems.append("--issuer: give the issuer's name")
    engine = Engine(config=config)
    engine.load_entry_points()
    if args.category and args.category not in {c.id for c in engine.categories}:
        known = ", ".join(sorted(c.id for c in engine.categories))
        problems.append(f"--category: {args.category!r} is not in the vocabulary ({known})")
    if problems:
        for p in problems:
            print(f"greentrade: {p}", file=sys.stderr)
        return EXIT_UNREADABLE
    options = ImportOptions(hs_code=args.hs_code, category=args.category, country=args.country,
                            issuer=args.issuer.strip() if args.issuer else None)
    if args.output:  # before any work: the output may not be one of the sources
        refuse_overwrite(args.output, args.files)
    if args.notes_file:  # nor may the notes file be a source, the base dossier or the output
        refuse_overwrite(args.notes_file, [*args.files, args.into, args.output])
        if args.output and Path(args.notes_file).resolve() == Path(args.output).resolve():
            raise OutputError(f"cannot write {args.notes_file!r}: it is the --output file")
    documents: list[Any] = []
    for name in args.files:  # through the one reader: regular files, the input limit, strict JSON
        try:
            doc = read_json(name, max_bytes=engine.max_input_bytes, utf16=True)
        except InputError as exc:
            print(f"greentrade: {_named(name, exc)}", file=sys.stderr)
            return EXIT_UNREADABLE
        # The built-in importers take the document as read; a plugin's importer takes its JSON data.
        documents.append(Document(Path(name).name, doc.data, doc.sha256) if args.format in BUILTIN else doc.data)
    result = importers()[args.format](*documents, options=options)
    notes = list(result.notes)
    dossier = result.dossier
    if args.into and result.ok:
        try:
            base, _ = read(Path(args.into), engine.max_input_bytes)
            dossier, merged = merge(base, dossier)
        except DossierReadError as exc:
            print(f"greentrade: {_named(args.into, exc)}", file=sys.stderr)
            return EXIT_UNREADABLE
        except Exception as exc:  # MigrationError: the base is not a valid dossier
            print(f"greentrade: {args.into}: {exc}", file=sys.stderr)
            for p in getattr(exc, "problems", ()):
                print(f"  {p}", file=sys.stderr)
            return EXIT_FINDINGS
        notes += merged
    summary = _summary(result, notes, len(args.files), bool(args.into))
    _report_notes(notes, summary, args)
    if not result.ok:
        return EXIT_FINDINGS
    _write(json.dumps(dossier, indent=2, ensure_ascii=False) + "\n", args.output, protect=args.files)
    return EXIT_OK


def _summary(result: Any, notes: list[Any], files: int, into: bool) -> dict[str, Any]:
    """What this command imported (not the merged dossier): counts, losses, whether it was lossless."""
    lost = sum(1 for n in notes if n.code == "GT-IMPORT-001")
    rejected = sum(1 for n in notes if n.code in ("GT-IMPORT-002", "GT-IMPORT-004"))
    return {"files": files, **result.counts(), "given_twice": result.duplicates, "without_home": lost,
            "rejected": rejected, "ok": result.ok, "lossless": result.lossless, "written": result.ok,
            "merged_into_dossier": into and result.ok}


def _summary_text(s: dict[str, Any]) -> str:
    text = (f"greentrade import: imported {s['documents']} document(s), {s['products']} product(s), "
            f"{s['parties']} party(ies) from {s['files']} file(s)")
    if s["given_twice"]:
        text += f" ({s['given_twice']} given twice: merged)"
    text += f"; {s['without_home']} source field(s) without a home, {s['rejected']} value(s) not imported"
    if s["lossless"]:
        text += " (lossless)"
    return text


def _report_notes(notes: list[Any], summary: dict[str, Any], args: argparse.Namespace) -> None:
    import json

    data = {"notes": [n.to_dict() for n in notes], "summary": summary}
    if args.notes_file:
        write_atomic(args.notes_file, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
                     protect=[*args.files, args.into, args.output])
    if args.notes_format == "json":
        print(json.dumps(data, ensure_ascii=False), file=sys.stderr)
        return
    for n in notes:
        print(str(n), file=sys.stderr)
    print(_summary_text(summary), file=sys.stderr)
    if not summary["ok"]:
        print("greentrade: nothing written: a file could not be imported (errors above)", file=sys.stderr)
