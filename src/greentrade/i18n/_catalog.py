"""The catalogs of the shipped languages: for each, the gettext domains of the core and of every
installed plugin, merged and read once per process (`catalog`).

The core's ``greentrade`` domain is ``greentrade/locale/<lang>/LC_MESSAGES/greentrade.mo``; each
plugin registered under the ``greentrade`` entry-point group has the domain named after its
top-level package, ``<package>/locale/<lang>/LC_MESSAGES/<package>.mo``. An entry's ``msgctxt``
is the message id and its ``msgid`` the English template; entries without a context are the page
texts of the templates (keyed by their English text)."""

from __future__ import annotations

import functools
import gettext as _gettext
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from typing import Any

from greentrade.i18n._choose import DEFAULT, SHIPPED

#: gettext's directory name of each shipped language.
_DIR = {"zh-CN": "zh_CN", "es": "es", "pt-BR": "pt_BR", "ar": "ar"}


class Catalog:
    """The translations of one language, from every package's domain (the core's first)."""

    def __init__(self, lang: str, sources: Iterable[tuple[str, _gettext.GNUTranslations]]) -> None:
        self.lang = lang
        #: Message id -> translated template (a tuple of plural forms for a plural entry).
        self.messages: dict[str, str | tuple[str, ...]] = {}
        #: Ids of the messages whose translation formats a date or number (``{x:date}``).
        self.fancy: set[str] = set()
        #: Message id -> its English template (the entry's msgid).
        self.english: dict[str, str] = {}
        #: English page text -> translated text (the core's domain only: page texts are trusted).
        self.texts: dict[str, str | tuple[str, ...]] = {}
        self.plural: Callable[[int], int] = lambda n: 0 if n == 1 else 1
        #: (id, isolating, *args items) -> the translation of a message with plain arguments
        #: (None: none), kept by `translate`: a text repeated by many findings is formatted once.
        self.done: dict[tuple[Any, ...], str | None] = {}
        #: (id, isolating, stored text) -> [(arguments, translation)] (`translate_stored`).
        self.stored: dict[tuple[str, bool, str], list[tuple[Mapping[str, Any], str | None]]] = {}
        #: Message id -> the argument names its translated templates use (`translate_stored`).
        self.uses: dict[str, frozenset[str]] = {}
        for domain, t in sources:
            core = domain == "greentrade"
            if core:
                self.plural = t.plural  # type: ignore[attr-defined]
            plurals: dict[str, dict[int, str]] = {}
            for key, value in t._catalog.items():  # type: ignore[attr-defined]
                if not value:
                    continue
                if isinstance(key, tuple):  # (msgid, index) of a plural entry
                    plurals.setdefault(key[0], {})[key[1]] = value
                elif key:
                    self._add(key, value, core)
            for key, forms in plurals.items():
                self._add(key, tuple(forms[i] for i in sorted(forms)), core)

    def _add(self, key: str, value: str | tuple[str, ...], core: bool) -> None:
        ctxt, sep, english = key.partition("\x04")
        if sep:
            self.messages.setdefault(ctxt, value)
            if any(":date}" in t or ":number}" in t for t in (value if isinstance(value, tuple) else (value,))):
                self.fancy.add(ctxt)
            self.english.setdefault(ctxt, english)
        elif core:
            self.texts.setdefault(key, value)

    def text(self, english: str, n: int | None = None) -> str:
        """A page text in this language (`english` when there is no translation)."""
        value = self.texts.get(english)
        if value is None:
            return english
        if isinstance(value, tuple):
            return value[min(self.plural(n if n is not None else 1), len(value) - 1)]
        return value

    def template(self, id: str, args: Mapping[str, Any]) -> str | None:
        value = self.messages.get(id)
        if isinstance(value, tuple):
            count = args.get("n", args.get("count", 1))
            return value[min(self.plural(count if isinstance(count, int) else 1), len(value) - 1)]
        return value


def _domains() -> list[str]:
    """The core's domain, then each plugin package registered under the ``greentrade`` group."""
    from importlib.metadata import entry_points

    names = ["greentrade"]
    for ep in entry_points(group="greentrade"):
        package = ep.value.split(":")[0].split(".")[0]
        if package not in names:
            names.append(package)
    return names


def _mo(domain: str, lang: str) -> _gettext.GNUTranslations | None:
    try:
        path = resources.files(domain).joinpath("locale", _DIR[lang], "LC_MESSAGES", f"{domain}.mo")
        with path.open("rb") as fp:
            return _gettext.GNUTranslations(fp)
    except (OSError, ModuleNotFoundError, ValueError, KeyError):
        return None


@functools.cache
def catalog(lang: str) -> Catalog:
    """The merged catalog of a shipped language (read once per process)."""
    if lang == DEFAULT or lang not in _DIR:
        return Catalog(DEFAULT, ())
    return Catalog(lang, [(d, t) for d, t in ((d, _mo(d, lang)) for d in _domains()) if t is not None])


@functools.cache
def english_template(id: str) -> str | None:
    """The English template of message `id`, as the catalogs hold it (the msgid of its entry)."""
    for lang in SHIPPED[1:]:
        english = catalog(lang).english.get(id)
        if english is not None:
            return english
    return None
