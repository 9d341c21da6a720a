"""Codes, ids, texts, numbers and dates: the leaves every other strategy is built from.

Strategies are built once and reused (building strategies inside a draw is slow).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import string
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from importlib import resources
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from greentrade.model import Period, _codes

T = TypeVar("T")

#: The default range of ship dates of generated dossiers.
DEFAULT_SHIP_DATES = (dt.date(2024, 1, 1), dt.date(2028, 12, 31))
MIN_DATE = dt.date(1000, 1, 1)  # dates are written YYYY-MM-DD: four-digit years only
MAX_DATE = dt.date(9999, 12, 31)


@functools.cache
def _subheadings() -> tuple[str, ...]:
    return tuple(sorted(c for c in _codes.hs_nomenclature() if len(c) == 6))


@functools.cache
def core_vocabulary() -> dict[str, tuple[str, ...]]:
    raw = json.loads(resources.files("greentrade").joinpath("data/categories.json").read_text("utf-8"))
    return {c["id"]: tuple(c.get("hs_codes", ())) for c in raw["categories"]}


def core_categories() -> list[str]:
    """The ids of the core category vocabulary (plugins may add more)."""
    return sorted(core_vocabulary())


@functools.cache
def countries() -> st.SearchStrategy[str]:
    """ISO 3166-1 alpha-2 codes."""
    return st.sampled_from(sorted(_codes.countries()))


@functools.cache
def currencies() -> st.SearchStrategy[str]:
    """ISO 4217 currency codes."""
    return st.sampled_from(sorted(_codes.currencies()))


def hs_codes(
    *, chapters: Sequence[str] | None = None, national_extension: bool | None = False
) -> st.SearchStrategy[str]:
    """HS 2022 subheadings (6 digits), optionally limited to chapters (``["94", "85"]``).

    ``national_extension=None`` sometimes appends a 2 or 4 digit national extension,
    ``True`` always does.
    """
    codes = _subheadings()
    if chapters is not None:
        wanted = tuple(chapters)
        codes = tuple(c for c in codes if c.startswith(wanted))
        if not codes:
            raise ValueError(f"no HS 2022 subheading in chapters {list(chapters)}")
    base = st.sampled_from(codes)
    if national_extension is False:
        return base
    ext = st.sampled_from([2, 4]).flatmap(lambda n: st.text(string.digits, min_size=n, max_size=n))
    if national_extension is True:
        return st.builds(str.__add__, base, ext)
    return st.builds(str.__add__, base, st.one_of(st.just(""), ext))


_LOCODE_TAIL = st.text(string.ascii_uppercase + "23456789", min_size=3, max_size=3)


def locodes(country: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[str]:
    """UN/LOCODE syntax (country code and three characters A-Z or 2-9), e.g. ``CNNGB``."""
    return st.builds(str.__add__, either(country, countries()), _LOCODE_TAIL)


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@functools.cache
def uscc_codes() -> st.SearchStrategy[str]:
    """Unified Social Credit Codes (GB 32100-2015) with a correct check character."""
    first = st.text(alphabet=USCC_CHARS, min_size=17, max_size=17)
    return first.map(lambda s: s + _codes.uscc_check_char(s))


@functools.cache
def lei_codes() -> st.SearchStrategy[str]:
    """Legal Entity Identifiers (ISO 17442) with correct check digits."""
    first = st.text(alphabet=string.digits + string.ascii_uppercase, min_size=18, max_size=18)
    return first.map(lambda s: s + _codes.lei_check_digits(s))


_ALNUM = string.ascii_letters + string.digits
_ID_TAIL = st.text(_ALNUM + "._:/-", max_size=6)
# An id drawn by index is the prefix, the index and maybe ':' and a tail without ':' (so the
# index ends at the first ':'): unique without filtering, and it shrinks to "P1", "P2", ...
_INDEX_TAIL = st.text(_ALNUM + "._/-", max_size=4).map(lambda t: ":" + t if t else "")


@functools.cache
def ids(prefix: str = "") -> st.SearchStrategy[str]:
    """Ids matching the schema (letters, digits, ``. _ : / -``), short by default."""
    if prefix:
        return _ID_TAIL.map(lambda s: prefix + s)
    return st.builds(str.__add__, st.sampled_from(_ALNUM), _ID_TAIL)


#: Characters of generated text: Latin, accented Latin, Greek, Cyrillic, Arabic, Hebrew,
#: Devanagari, Thai, Chinese, Japanese and Korean letters, digits of several scripts,
#: punctuation, symbols and spaces (no-break and ideographic too). A fixed alphabet keeps
#: drawing fast (Hypothesis checks every character against the allowed intervals).
TEXT_CHARS = (
    "AaBbZz09 ÄäÉéñçøßŁł ΑλΩЖжЯя ابجهשלוםनमथไทย 中国绿色通道 日本カタ 한국 ٣७"
    "-_.,;:!?'\"()[]&/@#%+*=<>€£¥®°µ\u00a0\u3000"
)
_TEXT_ALPHABET = "".join(sorted(set(TEXT_CHARS)))


def _non_blank(s: str) -> str:
    return s if s.strip() else "A" + s[1:]


@functools.cache
def texts(max_size: int = 16, *, any_character: bool = False) -> st.SearchStrategy[str]:
    """Non-blank text: by default over `TEXT_CHARS` (many scripts, punctuation, symbols and
    spaces); ``any_character=True`` draws any letter, number, punctuation, symbol or space of
    Unicode (slower)."""
    if any_character:
        chars = st.characters(categories=("L", "N", "P", "S", "Zs"))
        first = st.characters(categories=("L", "N", "P", "S"))
        return st.builds(str.__add__, first, st.text(chars, max_size=max_size - 1))
    return st.text(_TEXT_ALPHABET, min_size=1, max_size=max_size).map(_non_blank)


@functools.cache
def maybe_texts(max_size: int = 16) -> st.SearchStrategy[str | None]:
    """`texts` or None (one draw: the empty text stands for None)."""
    return st.text(_TEXT_ALPHABET, max_size=max_size).map(lambda s: _non_blank(s) if s else None)


def either(given: st.SearchStrategy[T] | None, default: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    return default if given is None else given


@functools.cache
def numbers(min_value: float = 0, *, exclude_min: bool = False) -> st.SearchStrategy[float]:
    ints = st.integers(min_value=int(min_value) + (1 if exclude_min else 0), max_value=10**6)
    floats = st.floats(
        min_value=min_value, max_value=1e6, exclude_min=exclude_min, allow_nan=False,
        allow_infinity=False, allow_subnormal=False,
    )
    return st.one_of(ints, floats)


@functools.lru_cache(maxsize=4096)
def ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    """``st.integers(lo, hi)``, built once per range (a new strategy in every draw is slow)."""
    return st.integers(lo, hi)


def choose(draw: st.DrawFn, items: Sequence[T]) -> T:
    """One of `items`, drawn by index: it shrinks towards the first."""
    return items[draw(ints(0, len(items) - 1))] if len(items) > 1 else items[0]


def day(draw: st.DrawFn, lo: dt.date, hi: dt.date) -> dt.date:
    """A date in [lo, hi], drawn as an offset (cheaper than building a strategy per range)."""
    lo, hi = max(lo, MIN_DATE), min(hi, MAX_DATE)
    return lo + dt.timedelta(days=draw(ints(0, (hi - lo).days))) if hi > lo else lo


def periods(
    min_date: dt.date = dt.date(2000, 1, 1), max_date: dt.date = dt.date(2040, 12, 31)
) -> st.SearchStrategy[Period]:
    """Ordered date ranges; either end may be open."""

    @st.composite
    def build(draw: st.DrawFn) -> Period:
        a = day(draw, min_date, max_date)
        b = day(draw, a, max_date)
        return Period(start=choose(draw, [a, None]), end=choose(draw, [b, None]))

    return build()


def subset(draw: st.DrawFn, items: Sequence[T]) -> list[T]:
    return [x for x in items if draw(st.booleans())]


# -- leaf overrides ------------------------------------------------------------------------------


@functools.cache
def _plain_id(prefix: str, index: int) -> st.SearchStrategy[str]:
    return st.just(f"{prefix}{index}")


@functools.cache
def _tailed_id(prefix: str, index: int) -> st.SearchStrategy[str]:
    return _INDEX_TAIL.map(lambda tail: f"{prefix}{index}{tail}")


def indexed_ids(tails: bool = False) -> Callable[[str, int], st.SearchStrategy[str]]:
    """An ``id`` leaf: ``P1``, ``PR2``, ... (no draw at all), or with ``tails=True`` sometimes
    followed by ``:`` and up to 4 of ``A-Z a-z 0-9 . _ / -`` (``P1:a/b``, which exercises JSON
    pointer escaping); unique either way, without filtering."""
    return _tailed_id if tails else _plain_id


_MODELS = st.builds("{}-{}".format, st.text(string.ascii_uppercase, min_size=2, max_size=4), st.integers(1, 9999))
_LEAF_NAMES = ("id", "name", "model", "quantity", "value", "ship_date")


@attrs.frozen
class Leaves:
    """Strategies for the leaf values of generated dossiers, each replaceable by the host.

    ``id``: a function ``(prefix, index) -> strategy of str`` (prefix ``P`` parties, ``S``
    sites, ``PR`` products, ``D`` documents, ``SH`` shipments, ``L`` lines, ``T`` tenders;
    index from 1); the ids it yields must be unique per (prefix, index). Default
    ``indexed_ids()``: ``P1``, ``PR1``, ... ``name``: names of
    parties, sites and products. ``model``: product models. ``quantity``: line and tender item
    quantities (> 0), e.g. ``decimals(places=2)``. ``value``: line values (>= 0). ``ship_date``:
    ship dates (default: drawn within the dossier's ``ship_dates``; documents and
    accreditations follow the ship dates drawn).
    """

    id: Callable[[str, int], st.SearchStrategy[str]] = _plain_id
    name: st.SearchStrategy[str] = attrs.field(factory=texts)
    model: st.SearchStrategy[str] = attrs.field(factory=lambda: _MODELS)
    quantity: st.SearchStrategy[Any] = attrs.field(factory=lambda: numbers(0, exclude_min=True))
    value: st.SearchStrategy[Any] = attrs.field(factory=numbers)
    ship_date: st.SearchStrategy[dt.date] | None = None


DEFAULT_LEAVES = Leaves()


def leaves_of(given: Leaves | Mapping[str, Any] | None) -> Leaves:
    """`Leaves` from a `Leaves`, a mapping of leaf name to strategy (or id function), or None."""
    if given is None:
        return DEFAULT_LEAVES
    if isinstance(given, Leaves):
        return given
    unknown = sorted(set(given) - set(_LEAF_NAMES))
    if unknown:
        raise ValueError(f"unknown leaves {unknown}; known: {', '.join(_LEAF_NAMES)}")
    return attrs.evolve(DEFAULT_LEAVES, **given)


def decimals(places: int = 2, min_value: str = "0.01", max_value: str = "1000000") -> st.SearchStrategy[Decimal]:
    """Positive `Decimal` quantities with exactly `places` decimal places (an ERP's amounts)."""
    return st.decimals(min_value=Decimal(min_value), max_value=Decimal(max_value), places=places,
                       allow_nan=False, allow_infinity=False)
