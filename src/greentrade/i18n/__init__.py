"""Messages in the reader's language: message ids, gettext catalogs, language choice.

A user-visible message is a `Message`: an English template with named arguments and a stable
id, made with `msg`:

    >>> from greentrade.i18n import msg
    >>> m = msg("CN-GC-003.foreign-port", "port of export {port} is not a Chinese UN/LOCODE", port="VNSGN")
    >>> str(m), m.id, m.args
    ('port of export VNSGN is not a Chinese UN/LOCODE', 'CN-GC-003.foreign-port', {'port': 'VNSGN'})

A `Message` *is* its English text (a `str`), so code that treats messages as text keeps working
and English output is the template filled in, byte for byte. The report stores ``message_id``
and ``args`` beside the text; `translate` renders them in another language from the catalogs.

Catalogs are gettext ``.mo`` files, one domain per package (the core's and each plugin's), read
with the standard library's `gettext` (`_catalog`); Babel formats dates and numbers (`_format`)
and builds the catalogs (``python3 tasks.py catalogs``). Both are imported when a language other
than English is first used, not by ``import greentrade``. docs/languages.md has the layout.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import json
import re
import string
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from greentrade.i18n._catalog import Catalog, catalog, english_template
from greentrade.i18n._choose import DEFAULT, RTL, SHIPPED, from_environment, negotiate, normalize, resolve
from greentrade.i18n._format import _Formatter, format_date, format_number

__all__ = [
    "DEFAULT",
    "RTL",
    "SHIPPED",
    "ArgValue",
    "Catalog",
    "Message",
    "arg_data",
    "catalog",
    "data_text",
    "format_date",
    "format_number",
    "from_environment",
    "isolating",
    "join",
    "msg",
    "negotiate",
    "normalize",
    "placeholders",
    "resolve",
    "text",
    "translate",
    "translate_all",
    "translate_stored",
    "use",
]


ArgValue = str | int | float | bool
#: The types of plain arguments: kept as they are by `msg`; a translation of plain arguments is
#: kept (`Catalog.done`).
_PLAIN = frozenset({str, int, float, bool})


def _arg(value: Any) -> ArgValue:
    if isinstance(value, Message):  # a part of the text: translated with it (in-process; JSON keeps its text)
        return value
    if isinstance(value, str | int | float | bool):
        return value if type(value) in (str, int, float, bool) else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class Message(str):
    """An English text that remembers its message id, its template and its arguments.

    Made with `msg`. Equal to (and hashed as) its English text. Pickles with its id."""

    id: str
    template: str
    args: Mapping[str, ArgValue]

    def __new__(cls, id: str, template: str, args: Mapping[str, Any]) -> Message:
        values = {k: _arg(v) for k, v in args.items()}
        self = super().__new__(cls, template.format_map(values))
        self.__dict__ = {"id": id, "template": template, "args": values}
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.id, self.template, dict(self.args)))

    def translated(self, lang: str) -> str:
        """The text in `lang` (the English text when the catalogs have no translation); kept
        on the message (a part shared by many findings is translated once)."""
        if lang == DEFAULT:
            return str(self)
        key = (lang, _ISOLATE.get())
        done: dict[tuple[str, bool], str] | None = self.__dict__.get("_done")
        if done is None:
            done = self.__dict__["_done"] = {}
        elif key in done:
            return done[key]
        text = done[key] = translate(self.id, self.args, lang, default=str(self)) or str(self)
        return text


class _Joined(Message):
    """Messages joined by a separator, each translated on its own (`join`)."""

    parts: tuple[str, ...]
    sep: str

    def __new__(cls, parts: Iterable[str], sep: str) -> _Joined:
        items = tuple(parts)
        self = str.__new__(cls, sep.join(items))
        self.id, self.template, self.args = "", "", {}
        self.parts, self.sep = items, sep
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Joined, (self.parts, self.sep))

    def translated(self, lang: str) -> str:
        sep = self.sep.translated(lang) if isinstance(self.sep, Message) else self.sep
        return sep.join(p.translated(lang) if isinstance(p, Message) else p for p in self.parts)


def join(parts: Iterable[str], sep: str = "; ") -> Message:
    """Texts (`msg` messages or plain text) joined by `sep`, as one argument of another message:
    each part is translated with the message that holds it, and so is `sep` when it is a message
    (``join(designators, msg("list.or", " or "))``). A report stored as JSON keeps the joined
    text: re-rendered in another language, such a part stays as written."""
    return _Joined(parts, sep)


def arg_data(value: Any) -> Any:
    """An argument as the JSON report writes it (report/2): a plain value as it is; a message
    as ``{"id", "args"}`` (its template id and own arguments: the English text is part of the
    message that holds it); a `join` as ``{"parts", "sep"}``. So a stored report renders every
    part of a text in another language."""
    if not isinstance(value, Message):
        return value
    # (recursing only into messages: most arguments are plain, and this runs for every argument
    # of every finding of every report)
    if isinstance(value, _Joined):
        sep = value.sep
        return {"parts": [arg_data(p) if isinstance(p, Message) else p for p in value.parts],
                "sep": arg_data(sep) if isinstance(sep, Message) else sep}
    if not value.id:
        return str(value)
    return {"id": value.id, "args": {k: arg_data(v) if isinstance(v, Message) else v for k, v in value.args.items()}}


class _Untold(Exception):
    """A stored nested message no catalog has a template for (the whole text falls back)."""


def _arg_text(value: Any, lang: str) -> Any:
    """An argument in `lang`: a message translated, a stored nested message (`arg_data`)
    rendered from its id (in English from the catalogs' English templates), a plain value as
    is. Raises `_Untold` for a stored nested message no catalog knows."""
    if isinstance(value, Message):
        return value.translated(lang)
    if isinstance(value, Mapping):
        if "parts" in value:
            sep = _arg_text(value.get("sep", ""), lang)
            return str(sep).join(str(_arg_text(p, lang)) for p in value.get("parts") or ())
        id, args = value.get("id"), value.get("args")
        if isinstance(id, str) and id:
            got = translate(id, args if isinstance(args, Mapping) else {}, lang, default=None)
            if got is None and lang != DEFAULT:
                got = translate(id, args if isinstance(args, Mapping) else {}, DEFAULT, default=None)
            if got is not None:
                return got
        raise _Untold(id)
    return value


def msg(id: str, template: str, /, **args: Any) -> Message:
    """A message: stable `id` (``"<RULE-ID>.<what>"``), English `template` with ``{name}``
    placeholders (`str.format` syntax), and the named arguments (strings, numbers, booleans;
    dates become ISO strings, anything else its `str`). Catalogs key translations by the id."""
    for v in args.values():
        if type(v) not in _PLAIN:
            return Message(id, template, args)
    # plain arguments (most messages): kept as given (`args` is this call's own dict), about half
    # the cost of the general way (#22: a validation makes about 160 messages)
    self = str.__new__(Message, template.format_map(args))
    self.__dict__ = {"id": id, "template": template, "args": args}
    return self


def data_text(id: str, text: str) -> Message:
    """A text a plugin takes from its data files (a note, a reading of a source) as a message
    with a stable `id`, so a finding that quotes it is translated whole. The catalogs learn the
    texts from the plugin package's ``greentrade_catalog_texts()`` (docs/languages.md); a text
    is a template without arguments (braces in it are kept as written)."""
    self = str.__new__(Message, text)
    self.__dict__ = {"id": id, "template": text.replace("{", "{{").replace("}", "}}"), "args": {}}
    return self


def placeholders(template: str) -> frozenset[str]:
    """The argument names a template uses (``{name}``, ``{name!r}``, ``{name:date}``)."""
    return frozenset(name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name)


_used = functools.lru_cache(maxsize=8192)(placeholders)


# -- the command line's texts -------------------------------------------------------------------------
_CURRENT = [DEFAULT]


def use(lang: str) -> str:
    """Make `lang` the language of `text` (the command line sets it once per command); returns
    the one it replaces."""
    previous, _CURRENT[0] = _CURRENT[0], lang
    return previous


def text(english: str) -> str:
    """A page or command-line text in the language `use` set (`english` without a translation)."""
    lang = _CURRENT[0]
    return english if lang == DEFAULT else catalog(lang).text(english)


def translate(id: str, args: Mapping[str, Any], lang: str, default: str | None = None) -> str | None:
    """Message `id` with `args` in `lang`; `default` when the catalogs have no translation (or the
    translation does not fit the arguments: a catalog must never break a report)."""
    if lang == DEFAULT:
        english = english_template(id)
        if english is None:
            return default
        try:
            used = _used(english)
            return english.format_map({k: _arg_text(v, lang) if isinstance(v, Message | Mapping) else v
                                       for k, v in args.items() if k in used})
        except (KeyError, IndexError, ValueError, AttributeError, _Untold):
            return default
    return _kept(catalog(lang), id, args, lang, _args_key(args), default)


def translate_all(ids: Iterable[str], args: Mapping[str, Any], lang: str) -> list[str | None]:
    """`translate` of several messages that share their arguments (a finding's message and its
    needs), each None without a translation; the arguments are looked at once."""
    if lang == DEFAULT:
        return [translate(id, args, lang) for id in ids]
    cat, key = catalog(lang), _args_key(args)
    return [_kept(cat, id, args, lang, key, None) for id in ids]


def translate_stored(id: str, args: Mapping[str, Any], lang: str, said: str) -> str | None:
    """`translate` (None without a translation) of a message of a stored report's JSON form, whose
    text there is `said`: kept by the id and `said`, and found again by the arguments its templates
    use being equal (a comparison, cheaper than `translate`'s key of nested arguments; values that
    compare equal across types, ``1 == 1.0 == True``, print apart in `said`)."""
    if lang == DEFAULT:
        return translate(id, args, lang)
    cat = catalog(lang)
    uses = cat.uses.get(id)
    if uses is None:
        value = cat.messages.get(id)
        if value is None:
            return None
        try:
            names = frozenset().union(*(placeholders(t) for t in (value if isinstance(value, tuple) else (value,))))
        except ValueError:  # a template str.format cannot read
            return translate(id, args, lang)
        # a plural form is chosen by n or count; `{a.b}` and `{a[0]}` use `a`
        uses = cat.uses[id] = frozenset(re.split(r"[.\[]", n, maxsplit=1)[0] for n in names) | {"n", "count"}
    used = args if args.keys() <= uses else {k: v for k, v in args.items() if k in uses}
    key = (id, _ISOLATE.get(), said)
    seen = cat.stored.get(key)
    if seen is not None:
        for known, got in seen:
            if known == used:
                return got
    got = translate(id, used, lang)
    if seen is None:
        if len(cat.stored) >= _KEPT_STORED:
            cat.stored.clear()
        seen = cat.stored[key] = []
    if len(seen) < 4:
        with contextlib.suppress(TypeError, ValueError):  # a copy (the caller's may change); JSON data only
            seen.append((json.loads(_json_key(used)), got))
    return got


def _args_key(args: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """What a translation of `args` depends on, as a key of `Catalog.done` (None: not kept)."""
    for v in args.values():
        if type(v) not in _PLAIN:  # a message, a stored nested message (or another value)
            break
    else:
        return tuple(args.items())
    try:
        if type(v) is dict and not any(isinstance(x, Message) for x in args.values()):
            key: tuple[Any, ...] = (_json_key(args),)  # a stored report's (JSON data): its encoding
        else:
            key = tuple([(k, _frozen(x)) for k, x in args.items()])
        hash(key)
        return key
    except (TypeError, ValueError):  # a value that is neither JSON nor hashable
        return None


def _kept(cat: Catalog, id: str, args: Mapping[str, Any], lang: str, akey: tuple[Any, ...] | None,
          default: str | None) -> str | None:
    isolate = _ISOLATE.get()
    if akey is None:
        return _translated(cat, id, args, lang, isolate, default)
    key = (id, isolate, akey)
    try:
        got = cat.done[key]
    except KeyError:
        if len(cat.done) >= _KEPT:
            cat.done.clear()
        got = cat.done[key] = _translated(cat, id, args, lang, isolate, None)
    return default if got is None else got


#: At most this many translations are kept per language (then they are dropped and kept anew).
_KEPT = 20_000
#: At most this many stored texts, with up to 4 argument sets each (copies of a report's
#: arguments: bounded memory in a long-running service, a few MB).
_KEPT_STORED = 5_000
_MESSAGE, _JOINED, _MAPPING, _LIST, _OTHER = (object() for _ in range(5))
_json_key = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode


def _frozen(value: Any) -> Any:
    """An argument as part of the key of a kept translation: what its text in any language
    depends on (a message's id, template and arguments; a stored nested message's data)."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, _Joined):
        return (_JOINED, _frozen(value.sep), *[_frozen(p) for p in value.parts])
    if isinstance(value, Message):
        return (_MESSAGE, value.id, value.template, *[(k, _frozen(v)) for k, v in value.args.items()])
    if isinstance(value, Mapping):
        return (_MAPPING, *[(k, _frozen(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (_LIST, *[_frozen(v) for v in value])
    return (_OTHER, type(value), value)


def _translated(cat: Catalog, id: str, args: Mapping[str, Any], lang: str, isolate: bool,
                default: str | None) -> str | None:
    template = cat.messages.get(id)
    if template is None:
        return default
    if isinstance(template, tuple):
        template = cat.template(id, args) or template[0]
    values = args
    nested = False
    for v in args.values():
        if isinstance(v, Message | Mapping):
            nested = True
            break
    if isolate or nested:
        try:
            # only the arguments the template uses: a finding's needs share its message's arguments
            used = _used(template)
            values = {k: _arg_text(v, lang) if isinstance(v, Message | Mapping) else v for k, v in args.items()
                      if k in used}
        except _Untold:
            return default
        if isolate:  # ids, codes, dates and numbers keep their left-to-right order in a right-to-left text
            values = {k: v if isinstance(args[k], Message | Mapping) else f"\u2066{v}\u2069"
                      for k, v in values.items()}
    try:
        if id in cat.fancy:
            return _Formatter(lang).vformat(template, (), dict(values))
        return template.format_map(values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return default


_ISOLATE: contextvars.ContextVar[bool] = contextvars.ContextVar("greentrade_i18n_isolate", default=False)


@contextlib.contextmanager
def isolating(on: bool = True) -> Iterator[None]:
    """Within it, `translate` puts each argument that is not itself a message between
    left-to-right isolates (U+2066 ... U+2069): for the HTML of a right-to-left language, where
    ids, codes, dates and numbers must keep their order. (Terminal text gets none: control
    characters are escaped there.)"""
    token = _ISOLATE.set(on)
    try:
        yield
    finally:
        _ISOLATE.reset(token)
