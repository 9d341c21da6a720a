"""Dates and numbers in a shipped language: Babel, imported when first used."""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Mapping
from typing import Any

from greentrade.i18n._choose import DEFAULT

#: Babel's locale identifier of each shipped language.
_BABEL = {"en": "en", "zh-CN": "zh_Hans_CN", "es": "es", "pt-BR": "pt_BR", "ar": "ar"}


class _Formatter(string.Formatter):
    """`str.format` plus the specs ``date`` (an ISO date in the language's long form) and
    ``number`` (a number with the language's separators; Latin digits)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "date":
            return format_date(value, self.lang)
        if format_spec == "number":
            return format_number(value, self.lang)
        return str(super().format_field(value, format_spec))


def format_template(template: str, args: Mapping[str, Any], lang: str) -> str:
    if ":date}" in template or ":number}" in template:
        return _Formatter(lang).vformat(template, (), dict(args))
    return template.format_map(args)


def format_date(value: Any, lang: str) -> str:
    """An ISO date (or `datetime.date`) in the long form of `lang`; as given in English or when
    it is not a date."""
    if lang == DEFAULT or value is None:
        return "" if value is None else str(value)
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    from babel.dates import format_date as babel_date

    return str(babel_date(day, "long", locale=_locale(lang)))


def format_number(value: Any, lang: str) -> str:
    """A number with the separators of `lang` (Latin digits, as ids and codes are written)."""
    if lang == DEFAULT or isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=_locale(lang), numbering_system="latn"))


@functools.cache
def _locale(lang: str) -> Any:
    """Babel's `Locale` of a shipped language, parsed once."""
    from babel import Locale

    return Locale.parse(_BABEL[lang])
