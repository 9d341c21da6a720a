"""The ``greentrade import`` and ``greentrade migrate`` commands (registered by cli.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from greentrade._files import write_atomic
from greentrade.model import _codes

__all__ = ["COMMANDS", "register", "run"]

COMMANDS = ("import", "migrate")
EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def register(sub: Any) -> None:
    """Add the subcommands to cli.py's subparsers."""
    from greentrade.importers import importers

    i = sub.add_parser(
        "import",
        help="write a format-2 dossier from PACT, Catena-X, openEPD, ILCD+EPD or Battery Pass files; exit 0 "
        "when written, 1 if a file could not be imported, 2 if unreadable",
    )
    i.add_argument("format", choices=sorted(importers()), help="the files' format")
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("--into", metavar="DOSSIER", help="merge into this dossier (format 1 or 2); nothing is "
                   "overwritten and no id is used twice")
    i.add_argument("--hs-code", metavar="CODE", help="HS code of the imported products (the sources state none)")
    i.add_argument("--category", metavar="ID", help="product category of the imported products")
    i.add_argument("--country", metavar="CC", help="ISO 3166-1 country of the footprints' and EPDs' holders")
    i.add_argument("--issuer", metavar="NAME", help="issuer of the imported documents (a party of that name)")
    i.add_argument("-o", "--output", metavar="FILE", help="write the dossier here instead of stdout")
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
        print(f"greentrade: {exc}", file=sys.stderr)
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


def _write(text: str, output: str | None) -> None:
    """Replace `output` atomically (it may be the file that was read: `migrate`, `--into`), or
    write to stdout. A failed write leaves the previous file whole (`OutputError`, exit 2)."""
    if output:
        write_atomic(output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)


def _import(args: argparse.Namespace, config: str | None) -> int:
    import json

    from greentrade.engine._engine import Engine
    from greentrade.importers import ImportOptions, importers, merge
    from greentrade.io._load import DossierReadError, read

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
    result = importers()[args.format](*args.files, options=options)
    notes = list(result.notes)
    dossier = result.dossier
    if args.into:
        try:
            base, _ = read(Path(args.into))
            dossier, merged = merge(base, dossier)
        except DossierReadError as exc:
            print(f"greentrade: {args.into}: {exc}", file=sys.stderr)
            return EXIT_UNREADABLE
        except Exception as exc:  # MigrationError: the base is not a valid dossier
            print(f"greentrade: {args.into}: {exc}", file=sys.stderr)
            for p in getattr(exc, "problems", ()):
                print(f"  {p}", file=sys.stderr)
            return EXIT_FINDINGS
        notes += merged
    for n in notes:
        print(str(n), file=sys.stderr)
    lost = sum(1 for n in notes if n.code == "GT-IMPORT-001")
    print(f"greentrade import: {len(dossier.get('documents', []))} document(s), {len(dossier.get('products', []))} "
          f"product(s), {len(dossier.get('parties', []))} party(ies); {lost} source field(s) without a home"
          f"{' (lossless)' if not lost else ''}", file=sys.stderr)
    if not result.ok:
        print("greentrade: nothing written: a file could not be imported (errors above)", file=sys.stderr)
        return EXIT_FINDINGS
    _write(json.dumps(dossier, indent=2, ensure_ascii=False) + "\n", args.output)
    return EXIT_OK
