"""``greentrade render REPORT.json``: a stored report or assessment as text or HTML, in a language."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from greentrade import i18n
from greentrade._files import InputError, escape_controls

if TYPE_CHECKING:
    from greentrade.cli import Options

__all__ = ["render_command"]

_ = i18n.text


def render_command(args: argparse.Namespace, opts: Options, write: Callable[..., None]) -> int:
    """``greentrade render REPORT.json``: a stored report's (or assessment's) text or page in the
    language asked for (``--lang``, else the configuration's, else the locale's), no engine."""
    from greentrade import render
    from greentrade.io._config import load_config

    lang = opts.lang_flag
    if lang is None and opts.found.path is not None:
        lang = (load_config(opts.found.path).get("greentrade") or {}).get("lang")
    lang, note = i18n.resolve(lang if lang is not None else i18n.from_environment())
    i18n.use(lang)
    opts.note(note)
    from greentrade.io._read import read_json

    # Through the one reader: a regular file or standard input, strict JSON, one-line errors.
    data = read_json(sys.stdin.buffer if args.report == "-" else Path(args.report), max_bytes=1 << 30,
                     name="standard input" if args.report == "-" else args.report).data
    kind = str(data.get("report_format") or data.get("assessment_format") or "") if isinstance(data, dict) else ""
    fn: Callable[[Any, str | None], str]
    if kind.startswith("greentrade.assessment/"):
        fn = render.assessment_html if args.format == "html" else render.assessment_text
    elif kind.startswith("greentrade.report/"):
        fn = render.report_html if args.format == "html" else render.report_text
    else:
        raise InputError(_("%(name)s is neither a greentrade report nor an assessment") % {"name": args.report})
    try:
        page = fn(data, lang)
    except Exception as exc:  # a stored file that does not follow its schema
        problem = {"name": args.report, "problem": exc}
        raise InputError(_("%(name)s cannot be rendered: %(problem)s") % problem) from None
    text = page if args.format == "html" else escape_controls(page, keep_newlines=True)
    write(text, args.output, protect=(args.report, opts.config))
    return 0
