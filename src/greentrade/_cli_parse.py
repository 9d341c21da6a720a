"""The command line's parser: argparse with the conventions people expect.

argparse (standard library, 1.5 ms of its own to import) rather than click (37 ms measured
with -X importtime on the shared machine, and a new dependency): the commands already register
on argparse subparsers (``serve``, ``import``), and what argparse lacks is small, so it is
added here:

- a usage error exits 4 (2 means unreadable input; pytest uses 4 the same way) and names the
  nearest command or option ("did you mean"), found with `difflib`;
- options shared by every command (`common`) are accepted before or after the command, with
  ``SUPPRESS`` defaults so that a subcommand's value does not hide the global one;
- `completion` prints a shell completion script (bash, zsh, fish) from the parser itself.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

from greentrade import i18n

_ = i18n.text  # help texts in the command's language (greentrade.cli sets it)

__all__ = ["EXIT_USAGE", "Parser", "add_common", "completion", "suggest"]

EXIT_USAGE = 4


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the nearest of `choices`, or ``""``."""
    import difflib  # here: about 9 ms to import, needed only for a mistake

    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return _(" (did you mean %s?)") % repr(near[0]) if near else ""


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [s for a in parser._actions for s in a.option_strings if s.startswith("--")]


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit 4 with a "did you mean" where one is near."""

    def error(self, message: str) -> NoReturn:
        hint = ""
        if m := re.search(r"invalid choice: '([^']*)'", message):
            action_choices = re.search(r"\(choose from (.*)\)", message)
            known = re.findall(r"'([^']*)'", action_choices.group(1)) if action_choices else []
            hint = suggest(m.group(1), known)
        elif m := re.match(r"unrecognized arguments: (.*)", message):
            unknown = [w.split("=", 1)[0] for w in m.group(1).split() if w.startswith("-")]
            options = _options(self) + [o for p in _subparsers(self).values() for o in _options(p)]
            hints = [suggest(w, options) for w in unknown]
            hint = next((h for h in hints if h), "")
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _("%(prog)s: error: %(message)s") % {"prog": self.prog, "message": message + hint} + "\n")


def add_common(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    """Options every command accepts, before or after the command's name (an option the command
    already has, such as its own ``--config``, is left as it is)."""
    have = {s for a in p._actions for s in a.option_strings}
    s = argparse.SUPPRESS

    def add(*names: str, **kw: Any) -> None:
        if not have.intersection(names):
            p.add_argument(*names, default=s, **kw)

    add("--config", metavar="FILE",
        help=_("host configuration (TOML); default: greentrade.toml or [tool.greentrade] in pyproject.toml "
               "in this directory or the nearest parent that has one, else $GREENTRADE_CONFIG"))
    add("-q", "--quiet", action="store_const", const=-1, dest="verbosity",
        help=_("less output: no progress or notes on stderr; only errors in the text report"))
    add("-v", "--verbose", action="store_const", const=1, dest="verbosity",
        help=_("more output: info findings and assumptions in the text report"))
    add("--color", choices=("auto", "always", "never"),
        help=_("colour in text output (default auto: on a terminal, unless NO_COLOR is set)"))
    add("--lang", metavar="LANG",
        help=_("language of the output: en, zh-CN, es, pt-BR or ar (default: [greentrade] lang, else "
               "LC_ALL, LC_MESSAGES or LANG; docs/languages.md)"))
    if top:
        from greentrade._version import __version__

        p.add_argument("--version", action="version", version=f"greentrade {__version__}")


# -- shell completion ------------------------------------------------------------------------------
def _words(parser: argparse.ArgumentParser) -> tuple[list[str], dict[str, list[str]]]:
    commands = _subparsers(parser)
    return _options(parser), {name: _options(p) + _positional_choices(p) for name, p in commands.items()}


def _positional_choices(parser: argparse.ArgumentParser) -> list[str]:
    return [str(c) for a in parser._actions if not a.option_strings and a.choices
            and not isinstance(a, argparse._SubParsersAction) for c in a.choices]


def completion(parser: argparse.ArgumentParser, shell: str) -> str:
    """A completion script for `shell` (bash, zsh or fish): commands, then each command's options."""
    top, per = _words(parser)
    if shell == "fish":
        lines = [f"complete -c greentrade -f -n __fish_use_subcommand -a {name}" for name in per]
        lines += [f"complete -c greentrade -n '__fish_seen_subcommand_from {name}' -a '{' '.join(words)}'"
                  for name, words in per.items() if words]
        lines += [f"complete -c greentrade -l {o[2:]}" for o in top]
        return "\n".join(lines) + "\n"
    cases = "\n".join(f"        {name}) words='{' '.join(words)}' ;;" for name, words in per.items())
    script = f"""_greentrade() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} cmd=${{COMP_WORDS[1]}} words
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W '{' '.join(per)} {' '.join(top)}' -- "$cur"))
        return
    fi
    case "$cmd" in
{cases}
        *) words='' ;;
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    [ ${{#COMPREPLY[@]}} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))
}}
complete -o filenames -F _greentrade greentrade
"""
    if shell == "zsh":
        script = "autoload -U +X bashcompinit && bashcompinit\n" + script
    return script
