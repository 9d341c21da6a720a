"""The ``greentrade`` command line (also ``python -m greentrade``).

Exit status, for every command: 0 no error, 1 error findings (or data errors), 2 nothing could
be evaluated (unreadable input, bad configuration, an output that cannot be written), 4 a
usage error (the command line itself is wrong). The table is in docs/cli.md.
"""

from __future__ import annotations

import argparse
import builtins
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from greentrade import _cli_batch, _cli_parse, _cli_scaffold, _importcli, i18n
from greentrade._files import InputError, OutputError, escape_controls, read_bytes, refuse_overwrite, write_atomic
from greentrade.errors import ConfigError, DossierReadError, MarketError, PluginError
from greentrade.io._schemas import schema, schema_names
from greentrade.server import _cli as serve_cli

if TYPE_CHECKING:  # what a command needs is imported when it runs: `--version` and `--help` load no engine
    from greentrade.engine._engine import Engine
    from greentrade.io._configfile import Found

__all__ = ["main"]

_ = i18n.text  # the command line's texts in the language of the command (docs/languages.md)
_T = TypeVar("_T")

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, _cli_parse.EXIT_USAGE
EXIT_CODES = """exit status (every command):
  0  no error: the report has no error finding, the listing or file was written
  1  error findings (validate, import), or data errors (assess, migrate)
  2  nothing evaluated: unreadable input, bad configuration, an output that cannot be written
  4  usage error: an unknown command or option, a missing or malformed argument"""


def _exit_codes() -> str:
    return _("""exit status (every command):
  0  no error: the report has no error finding, the listing or file was written
  1  error findings (validate, import), or data errors (assess, migrate)
  2  nothing evaluated: unreadable input, bad configuration, an output that cannot be written
  4  usage error: an unknown command or option, a missing or malformed argument""")


def print(*values: object, sep: str = " ", end: str = "\n", file: TextIO | None = None) -> None:
    """`builtins.print` with control characters escaped: listings and messages show text from
    plugins and dossiers, which must not drive the terminal."""
    builtins.print(escape_controls(sep.join(map(str, values))), end=end, file=file)


def _date(text: str) -> object:
    from greentrade.io._load import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser() -> argparse.ArgumentParser:
    p = _cli_parse.Parser(prog="greentrade", description=_("Check green-product export dossiers."),
                          epilog=_exit_codes(), formatter_class=argparse.RawDescriptionHelpFormatter)
    _cli_parse.add_common(p, top=True)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_cli_parse.Parser)
    v = sub.add_parser("validate", help=_("validate a dossier; exit 0 without errors, 1 with, 2 if unreadable"))
    v.add_argument("dossier", metavar="DOSSIER.json",
                   help=_("the dossier file, a directory of them (batch mode), or - for standard input"))
    v.add_argument("--as-of", type=_date, metavar="DATE",
                   help=_("evaluation date (default: the configured [greentrade] as_of, else each ship date)"))
    v.add_argument("--format", choices=("text", "json", "html"),
                   help=_("text (default), json or html (a self-contained page); batches are JSON Lines"))
    v.add_argument("-o", "--output", metavar="FILE", help=_("write the report here instead of stdout"))
    _cli_batch.add_arguments(v)
    a = sub.add_parser(
        "assess",
        help=_("readiness matrix of the dossier's products against markets and programs; exit 0 when assessed, "
               "1 if the dossier has data errors, 2 if unreadable"),
    )
    a.add_argument("dossier", metavar="DOSSIER.json")
    a.add_argument("--market", action="append", metavar="REGION|COUNTRY",
                   help=_("a buyer-profile region or an ISO 3166-1 country code; repeat for more "
                          "(default: every region of the loaded profiles)"))
    a.add_argument("--as-of", type=_date, metavar="DATE",
                   help=_("readiness date (default: the configured [greentrade] as_of, else the earliest ship date)"))
    a.add_argument("--format", choices=("text", "json", "html"), default="text")
    a.add_argument("-o", "--output", metavar="FILE", help=_("write the assessment here instead of stdout"))
    for name, what in (("rules", _("list every loaded rule")), ("plugins", _("list the loaded plugins")),
                       ("categories", _("list the product category vocabulary")),
                       ("standards", _("list the standards catalogs of the loaded plugins"))):
        ls = sub.add_parser(name, help=what)
        ls.add_argument("--format", choices=("text", "json"), default="text",
                        help=_("text (default) or json (the same JSON as the service's GET /v1/%s)") % name)
    c = sub.add_parser("config", help=_("show which configuration file is used and the effective configuration"))
    c.add_argument("--format", choices=("toml", "json"), default="toml")
    s = sub.add_parser("schema", help=_("print a JSON Schema"))
    s.add_argument("name", choices=schema_names())
    s.add_argument("--format-version", type=int, metavar="N",
                   help=_("for `report`: the schema of report format N (1 or 2; default: the current one)"))
    s.add_argument("--bundled", action="store_true",
                   help=_("self-contained: the schemas it refers to under $defs, every $ref inside the document"))
    r = sub.add_parser("render", help=_("render a stored report or assessment (JSON) as text or HTML, in a language"),
                       description=_("Renders the JSON of a report (greentrade validate --format json) or of an "
                                     "assessment without running the engine: greentrade render report.json "
                                     "--lang zh-CN --format html"))
    r.add_argument("report", metavar="REPORT.json", help=_("the stored report or assessment, or - for standard input"))
    r.add_argument("--format", choices=("text", "html"), default="text")
    r.add_argument("-o", "--output", metavar="FILE", help=_("write the page here instead of stdout"))
    serve_cli.add_parser(sub)
    _importcli.register(sub)
    _cli_scaffold.register(sub)
    comp = sub.add_parser("completion", help=_("print a shell completion script"),
                          description=_("eval \"$(greentrade completion bash)\" in ~/.bashrc (zsh: the same with "
                                        "zsh; fish: greentrade completion fish > ~/.config/fish/completions/"
                                        "greentrade.fish)"))
    comp.add_argument("shell", choices=("bash", "zsh", "fish"))
    for command in sub.choices.values():
        _cli_parse.add_common(command)
        command.epilog = command.epilog or _exit_codes()
        command.formatter_class = argparse.RawDescriptionHelpFormatter
    help_texts(p, _)  # the help of commands registered by other modules, in the command's language
    return p


def help_texts(parser: argparse.ArgumentParser, change: Callable[[str], str]) -> None:
    """Apply `change` to every help text, description and epilog of `parser` and its commands
    (translation; `greentrade.testing.catalogs` collects them with it for the catalogs)."""
    for owner in (parser,):
        if owner.description:
            owner.description = change(owner.description)
        if owner.epilog:
            owner.epilog = change(owner.epilog)
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            action.help = change(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for pseudo in action._choices_actions:
                if pseudo.help:
                    pseudo.help = change(pseudo.help)
            for command in action.choices.values():
                help_texts(command, change)


class Options:
    """What every command may use: the configuration found, verbosity, colour, width."""

    def __init__(self, args: argparse.Namespace) -> None:
        from greentrade.io._configfile import find_config

        self.found: Found = find_config(getattr(args, "sub_config", None) or getattr(args, "config", None))
        self.config = str(self.found.path) if self.found.path is not None else None
        self.verbosity: int = getattr(args, "verbosity", 0)
        #: ``--lang`` as given (None without it); `engine` settles the language.
        self.lang_flag: str | None = getattr(args, "lang", None)
        self.lang = i18n.resolve(self.lang_flag if self.lang_flag is not None else i18n.from_environment())[0]
        color = getattr(args, "color", "auto")
        output = getattr(args, "output", None)
        tty = not output and sys.stdout.isatty()
        self.color = color == "always" or (color == "auto" and tty and not os.environ.get("NO_COLOR"))
        if tty:
            import shutil

            self.width = max(40, shutil.get_terminal_size().columns)
        else:
            self.width = 100

    def engine(self) -> Engine:
        """The engine, in the command's language: ``--lang``, else ``[greentrade] lang``, else
        the locale's; one note on standard error when the language asked for is not shipped."""
        # (called with the configuration alone when no --lang is given: hosts and tests replace
        # `_engine` with a one-argument factory)
        engine = _engine(self.config) if self.lang_flag is None else _engine(self.config, self.lang_flag)
        if not engine.lang_chosen:
            requested = i18n.from_environment()
            engine.lang, engine.lang_note = i18n.resolve(requested)
        self.lang = engine.lang
        i18n.use(self.lang)
        self.note(engine.lang_note)
        return engine

    def note(self, text: str | None) -> None:
        """A note on standard error (not with --quiet)."""
        if text and self.verbosity >= 0:
            print(f"greentrade: {_('note:')} {text}", file=sys.stderr)

    def where(self, exc: ConfigError) -> str:
        """The message of a configuration error, with the file and line when they are known."""
        from greentrade.io._configfile import at_line

        text = str(exc)
        if exc.keys and self.found.path is not None and str(self.found.path) not in text:
            text = f"{at_line(self.found.path, exc.keys)}: {text}"
        return text


def _engine(config: str | None, lang: str | None = None) -> Engine:
    from greentrade.engine._engine import Engine

    engine = Engine(config=config, lang=lang)
    engine.load_entry_points()
    return engine


def _write(text: str, output: str | None, *, protect: Sequence[str | None] = ()) -> None:
    """Write to `output` atomically (never over a file named in `protect`), or to stdout."""
    if output:
        write_atomic(output, text.encode("utf-8"), protect=protect)
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


def _lang_flag(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` on the command line (the last one), before it is parsed: the help
    pages are built in that language."""
    found = None
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif word.startswith("--lang="):
            found = word.split("=", 1)[1]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command in the language it asks for (``--lang``, else the configuration's
    ``[greentrade] lang``, else ``LC_ALL``/``LC_MESSAGES``/``LANG``; docs/languages.md)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    flag = _lang_flag(argv)
    lang, _note = i18n.resolve(flag if flag is not None else i18n.from_environment())
    previous = i18n.use(lang)
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = i18n.text  # type: ignore[attr-defined]  # argparse's own help headings
    try:
        return _main(argv)
    finally:
        i18n.use(previous)
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _main(argv: list[str]) -> int:
    parser = _parser()
    if not argv:
        parser.print_help()
        return EXIT_OK
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    if args.command == "completion":
        _write(_cli_parse.completion(parser, args.shell), None)
        return EXIT_OK
    if args.command == "new-plugin":
        return _cli_scaffold.run(args)
    if args.command == "schema":
        name = args.name
        if args.format_version is not None:
            if name != "report" or args.format_version not in (1, 2):
                parser.error("--format-version applies to `schema report`, with 1 or 2")
            name = "report" if args.format_version == 2 else "report-1"
        if args.bundled:
            from greentrade.server._schemas import bundle  # the service's /v1/schemas form

            _write(json.dumps(bundle(name), indent=2) + "\n", None)
            return EXIT_OK
        _write(json.dumps(schema(name), indent=2) + "\n", None)
        return EXIT_OK
    opts = Options(args)
    try:
        if args.command == "render":
            from greentrade import _cli_render

            return _cli_render.render_command(args, opts, _write)
        if args.command == "serve":
            return serve_cli.serve(args, opts.config)
        if args.command in _importcli.COMMANDS:
            return _importcli.run(args, opts.config)
        if args.command == "config":
            from greentrade import _cli_listing

            return _cli_listing.config(opts, args.format, _write)
        engine = opts.engine()
        if args.command == "validate" and _cli_batch.is_batch(args):
            return _cli_batch.run_command(engine, args, opts.config, verbosity=opts.verbosity)
        if args.command == "validate":
            return _validate(engine, args, opts)
        if args.command == "assess":
            return _assess_command(engine, args, opts)
        from greentrade import _cli_listing

        _write(_cli_listing.listing(engine, args.command, args.format), None)
        return EXIT_OK
    except ConfigError as exc:
        print(f"greentrade: {opts.where(exc)}", file=sys.stderr)
        return EXIT_UNREADABLE
    except (DossierReadError, PluginError, MarketError, InputError, OutputError) as exc:
        print(f"greentrade: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenPipeError:  # pragma: no cover
        return EXIT_OK


def _named(name: str, work: Callable[[], _T]) -> _T:
    """`work()`, with a `DossierReadError` that names the file it is about (once)."""
    try:
        return work()
    except DossierReadError as exc:
        label = "standard input" if name == "-" else name
        if label in str(exc):
            raise
        raise DossierReadError(f"{label}: {exc}") from None


def _validate(engine: Engine, args: argparse.Namespace, opts: Options) -> int:
    if args.output:  # before the work: never over the input or the configuration
        refuse_overwrite(args.output, (args.dossier, opts.config))
    report = _named(args.dossier, lambda: engine.validate(_source(engine, args.dossier), as_of=args.as_of))
    forms: dict[str | None, Callable[[], str]] = {
        "json": lambda: report.to_json(indent=2),
        "html": lambda: _html(report.to_dict(), args.dossier),
    }
    text = forms[args.format]() if args.format in forms else _text(report.to_dict(), opts)
    _write(text, args.output, protect=(args.dossier, opts.config))
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _text(report: dict[str, Any], opts: Options) -> str:
    from greentrade import render

    return render.report_text(report, verbosity=opts.verbosity, width=opts.width, color=opts.color)


def _html(report: dict[str, Any], name: str) -> str:
    from greentrade import render

    return render.report_html(report, source="standard input" if name == "-" else Path(name).name)


def _assess_command(engine: Engine, args: argparse.Namespace, opts: Options) -> int:
    from greentrade import render
    from greentrade.readiness._assess import assess

    if args.output:  # before the work: never over the input or the configuration
        refuse_overwrite(args.output, (args.dossier, opts.config))
    source = _source(engine, args.dossier)
    if isinstance(source, Path):  # read here, within the input limit (never a FIFO or a device)
        source = read_bytes(source, engine.max_input_bytes)
    assessment = _named(args.dossier, lambda: assess(engine, source, markets=args.market, as_of=args.as_of))
    name = "standard input" if args.dossier == "-" else Path(args.dossier).name
    forms: dict[str, Callable[[], str]] = {
        "json": assessment.to_json,
        "html": lambda: render.assessment_html(assessment.to_dict(), engine.lang, source=name),
        "text": lambda: render.assessment_text(assessment.to_dict(), engine.lang, width=opts.width, color=opts.color),
    }
    _write(forms[args.format](), args.output, protect=(args.dossier, opts.config))
    return EXIT_OK if assessment.evaluated else EXIT_FINDINGS


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
