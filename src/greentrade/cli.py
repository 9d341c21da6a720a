"""The ``greentrade`` command line."""

from __future__ import annotations

import argparse
import builtins
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from greentrade import _cli_batch, _importcli
from greentrade._files import InputError, OutputError, escape_controls, read_bytes, refuse_overwrite, write_atomic
from greentrade.engine._engine import Engine, PluginError
from greentrade.io._config import ConfigError
from greentrade.io._load import DossierReadError, parse_date
from greentrade.io._schemas import schema, schema_names
from greentrade.readiness._assess import MarketError, assess
from greentrade.rules._rules import CatalogEntry
from greentrade.server import _cli as serve_cli

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def print(*values: object, sep: str = " ", end: str = "\n", file: TextIO | None = None) -> None:
    """`builtins.print` with control characters escaped: listings and messages show text from
    plugins and dossiers, which must not drive the terminal."""
    builtins.print(escape_controls(sep.join(map(str, values))), end=end, file=file)


def _date(text: str) -> object:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="greentrade", description="Check green-product export dossiers.")
    p.add_argument("--config", metavar="FILE", help="host configuration (TOML)")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="validate a dossier; exit 0 without errors, 1 with, 2 if unreadable")
    v.add_argument("dossier", metavar="DOSSIER.json",
                   help="the dossier file, a directory of them (batch mode), or - for standard input")
    v.add_argument("--as-of", type=_date, metavar="DATE", help="evaluation date (default: each ship date)")
    v.add_argument("--format", choices=("text", "json", "html"),
                   help="text (default), json or html (a self-contained page); batches are JSON Lines")
    v.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    v.add_argument("--config", metavar="FILE", dest="sub_config", help="host configuration (TOML)")
    _cli_batch.add_arguments(v)
    a = sub.add_parser(
        "assess",
        help="readiness matrix of the dossier's products against markets and programs; exit 0 when assessed, "
        "1 if the dossier has data errors, 2 if unreadable",
    )
    a.add_argument("dossier", metavar="DOSSIER.json")
    a.add_argument("--market", action="append", metavar="REGION|COUNTRY",
                   help="a buyer-profile region or an ISO 3166-1 country code; repeat for more "
                   "(default: every region of the loaded profiles)")
    a.add_argument("--as-of", type=_date, metavar="DATE", help="readiness date (default: today)")
    a.add_argument("--format", choices=("text", "json", "html"), default="text")
    a.add_argument("--output", metavar="FILE", help="write the assessment here instead of stdout")
    a.add_argument("--config", metavar="FILE", dest="sub_config", help="host configuration (TOML)")
    sub.add_parser("rules", help="list every loaded rule")
    sub.add_parser("plugins", help="list loaded plugins")
    sub.add_parser("categories", help="list the product category vocabulary")
    sub.add_parser("standards", help="list the standards catalogs of the loaded plugins")
    s = sub.add_parser("schema", help="print a JSON Schema")
    s.add_argument("name", choices=schema_names())
    s.add_argument("--format-version", type=int, metavar="N",
                   help="for `report`: the schema of report format N (1 or 2; default: the current one)")
    serve_cli.add_parser(sub)
    _importcli.register(sub)
    return p


def _engine(config: str | None) -> Engine:
    engine = Engine(config=config)
    engine.load_entry_points()
    return engine


def _write(text: str, output: str | None, *, protect: Sequence[str | None] = ()) -> None:
    """Write to `output` atomically (never over a file named in `protect`), or to stdout."""
    if output:
        refuse_overwrite(output, protect)
        write_atomic(output, text.encode("utf-8"))
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:  # e.g. standard output redirected to a full disk
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _source(engine: Engine, dossier: str) -> bytes | Path:
    """Standard input (read within the engine's input limit) or the dossier's path."""
    return read_bytes(sys.stdin.buffer, engine.max_input_bytes) if dossier == "-" else Path(dossier)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    config = getattr(args, "sub_config", None) or args.config
    try:
        if args.command == "serve":
            return serve_cli.serve(args, config)
        if args.command == "schema":
            name = args.name
            if args.format_version is not None:
                if name != "report" or args.format_version not in (1, 2):
                    parser.error("--format-version applies to `schema report`, with 1 or 2")
                name = "report" if args.format_version == 2 else "report-1"
            _write(json.dumps(schema(name), indent=2) + "\n", None)
            return EXIT_OK
        if args.command in _importcli.COMMANDS:
            return _importcli.run(args, config)
        engine = _engine(config)
        if args.command == "validate" and _cli_batch.is_batch(args):
            return _cli_batch.run_command(engine, args)
        if args.command == "validate":
            report = engine.validate(_source(engine, args.dossier), as_of=args.as_of)
            forms = {"json": lambda: report.to_json(indent=2), "html": report.to_html}
            _write(forms.get(args.format, report.to_text)(), args.output, protect=(args.dossier, config))
            return EXIT_OK if report.ok else EXIT_FINDINGS
        if args.command == "assess":
            return _assess_command(engine, args)
        if args.command == "rules":
            for r in engine.rules:
                period = f"{r.effective.start or '…'} to {r.effective.end or '…'}"
                print(f"{r.id:<16} {r.severity!s:<8} {engine.rule_basis(r):<9} {r.program or '-':<24} "
                      f"{period:<26} {engine.rule_owner(r.id)}: {r.title}")
                print(f"{'':<16} source: {r.citation}")
            return EXIT_OK
        if args.command == "plugins":
            for p in engine.plugins:
                print(f"{p.name:<28} {p.version:<12} {p.rules} rule(s)")
            return EXIT_OK
        if args.command == "categories":
            for c in engine.categories:
                hs = ", ".join(c.hs_codes) or "-"
                print(f"{c.id:<28} HS {hs:<16} {c.title}")
            return EXIT_OK
        if args.command == "standards":
            return _standards(engine)
    except (DossierReadError, ConfigError, PluginError, MarketError, InputError, OutputError) as exc:
        print(f"greentrade: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenPipeError:  # pragma: no cover
        return EXIT_OK
    raise AssertionError(args.command)  # pragma: no cover


def _assess_command(engine: Engine, args: argparse.Namespace) -> int:
    source = _source(engine, args.dossier)
    if isinstance(source, Path):  # read here, within the input limit (never a FIFO or a device)
        source = read_bytes(source, engine.max_input_bytes)
    assessment = assess(engine, source, markets=args.market, as_of=args.as_of)
    forms: dict[str, Callable[[], str]] = {"json": assessment.to_json, "html": assessment.to_html,
                                           "text": lambda: escape_controls(assessment.to_text())}
    _write(forms[args.format](), args.output, protect=(args.dossier, getattr(args, "sub_config", None) or args.config))
    return EXIT_OK if assessment.evaluated else EXIT_FINDINGS


def _standards(engine: Engine) -> int:
    programs = {p.id: p for p in engine.programs}
    by_program: dict[str, list[CatalogEntry]] = {}
    for e in engine.catalog:
        by_program.setdefault(e.program or "-", []).append(e)
    if not by_program:
        print("no standards catalog is loaded")
    for pid, entries in sorted(by_program.items()):
        program = programs.get(pid)
        size = getattr(program, "catalog_size", None)
        known = f"{len(entries)} of {size} known" if size else f"{len(entries)} known"
        print(f"{pid}: {known}")
        for e in entries:
            d = e.designator
            old = ", ".join(map(str, e.superseded)) or "-"
            cats = ", ".join(e.categories) or "-"
            print(f"  {d!s:<28} {e.title}")
            print(f"  {'':<28} supersedes: {old}; categories: {cats}")
            print(f"  {'':<28} source: {e.citation}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
