"""Which language: shipped languages, tags and locale names, Accept-Language (greentrade.i18n)."""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["DEFAULT", "RTL", "SHIPPED", "from_environment", "negotiate", "normalize", "resolve"]

#: The languages greentrade ships (BCP 47 tags), English first: the source language.
SHIPPED: tuple[str, ...] = ("en", "zh-CN", "es", "pt-BR", "ar")
DEFAULT = "en"
#: Languages written right to left (their HTML pages get ``dir="rtl"``).
RTL = frozenset({"ar"})

def normalize(tag: str | None) -> str | None:
    """The shipped language for a BCP 47 tag or POSIX locale name (``zh_CN.UTF-8``, ``pt``,
    ``es-MX``, ``C``), or None when greentrade ships none for it."""
    if tag is None:
        return None
    t = tag.strip().split(".")[0].split("@")[0].replace("_", "-")
    if t in ("", "C", "POSIX"):
        return DEFAULT
    parts = t.lower().split("-")
    base = parts[0]
    if base == "zh":
        # Simplified Chinese (mainland). Traditional (zh-TW, zh-HK, zh-Hant) is not shipped.
        return None if {"tw", "hk", "mo", "hant"} & set(parts[1:]) else "zh-CN"
    if base == "pt":
        return "pt-BR"
    if base in ("en", "es", "ar"):
        return base
    return None


def resolve(requested: str | None) -> tuple[str, str | None]:
    """The language to use for `requested` (None: English), and a note when it is not shipped."""
    if requested is None or not requested.strip():
        return DEFAULT, None
    lang = normalize(requested)
    if lang is None:
        return DEFAULT, (f"language {requested.strip()[:40]!r} is not shipped; using English "
                         f"(shipped: {', '.join(SHIPPED)})")
    return lang, None


def from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the POSIX locale variables ask for: ``LC_ALL``, then ``LC_MESSAGES``, then
    ``LANG`` (the first that is set and not empty), or None."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return value
    return None


def negotiate(accept_language: str | None) -> str | None:
    """The shipped language an HTTP ``Accept-Language`` header prefers most (quality values
    honoured, ``*`` is English), or None when it names none that is shipped."""
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for i, item in enumerate(accept_language.split(",")[:40]):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            key, _, value = p.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        tag = tag.strip()
        lang = DEFAULT if tag == "*" else normalize(tag) if tag else None
        if lang is not None and q > 0:
            ranked.append((-q, i, lang))
    return min(ranked)[2] if ranked else None
