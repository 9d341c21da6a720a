"""Standard designators as values: ``ISO 14067:2018``, ``EN 15804:2012+A2:2019``, ``GB/T 33761-2024``.

A designator is parsed into body, deliverable kind (TS, TR, PAS), number, part, year and
amendments, and formatted back; ``StandardDesignator.parse(str(d)) == d`` for every value.
`parse(text, lenient=True)` also reads the spellings people write in practice
(``EN15804+A2``, ``GB/T33761—2024``, ``ISO 50001: 2018``) and keeps the original text in
``written`` so that callers can tell the canonical form apart.
"""

from __future__ import annotations

import functools
import re

import attrs

__all__ = ["Amendment", "DesignatorError", "StandardDesignator"]


class DesignatorError(ValueError):
    """Raised for text that is not a standard designator."""


_KINDS = ("TS", "TR", "PAS", "GUIDE")
_EN_AMENDMENTS = ("A", "AC")
_ISO_AMENDMENTS = ("Amd", "Cor")

_BODY = r"(?P<body>[A-Z]+(?:/[A-Z]+)?(?: [A-Z]+(?:/[A-Z]+)?)*?)"
_NUMBER = r"(?P<number>[0-9]+(?:\.[0-9]+)*)"
_CANON = re.compile(
    _BODY
    + r" "
    + _NUMBER
    + r"(?P<part>(?:-[0-9]+)*?)"
    + r"(?:(?P<sep>[:-])(?P<year>[0-9]{4}))?"
    + r"(?P<amds>(?:\+(?:AC|A)[0-9]*(?::[0-9]{4})?|/(?:Amd|Cor) [0-9]+(?::[0-9]{4})?)*)\Z"
)
_AMD = re.compile(r"\+(AC|A)([0-9]*)(?::([0-9]{4}))?|/(Amd|Cor) ([0-9]+)(?::([0-9]{4}))?")


def _is_gb(body: str) -> bool:
    return body == "GB" or body.startswith("GB/")


@attrs.frozen(order=True)
class Amendment:
    """An amendment or corrigendum: ``+A2:2019`` (EN style) or ``/Amd 1:2024`` (ISO style)."""

    kind: str = attrs.field(validator=attrs.validators.in_(_EN_AMENDMENTS + _ISO_AMENDMENTS))
    number: int | None = None
    year: int | None = None

    def __str__(self) -> str:
        year = f":{self.year}" if self.year is not None else ""
        if self.kind in _EN_AMENDMENTS:
            return f"+{self.kind}{self.number if self.number is not None else ''}{year}"
        return f"/{self.kind} {self.number}{year}"


def _check_year(_inst: object, _attr: object, value: int | None) -> None:
    if value is not None and not 1900 <= value <= 2100:
        raise ValueError(f"standard year {value} is out of range 1900-2100")


@attrs.frozen(order=True)
class StandardDesignator:
    """A standard's designator as a value.

    >>> d = StandardDesignator.parse("EN 15804:2012+A2:2019")
    >>> (d.body, d.number, d.year, [str(a) for a in d.amendments])
    ('EN', '15804', 2012, ['+A2:2019'])
    >>> str(StandardDesignator.parse("ISO/TS 14067:2013"))
    'ISO/TS 14067:2013'
    """

    body: str
    number: str
    kind: str | None = None
    part: str | None = None
    year: int | None = attrs.field(default=None, validator=_check_year)
    amendments: tuple[Amendment, ...] = ()
    #: The text as written, kept only when it differs from the canonical form.
    written: str | None = attrs.field(default=None, eq=False, order=False, repr=False)

    def __attrs_post_init__(self) -> None:
        text = self._format()
        if not _CANON.match(text):
            raise DesignatorError(f"{text!r} is not a well-formed standard designator")

    def _format(self) -> str:
        body = f"{self.body}/{self.kind}" if self.kind else self.body
        part = f"-{self.part}" if self.part else ""
        year = ""
        if self.year is not None:
            year = f"{'-' if _is_gb(self.body) else ':'}{self.year}"
        return f"{body} {self.number}{part}{year}{''.join(map(str, self.amendments))}"

    def __str__(self) -> str:
        return self._format()

    @property
    def canonical(self) -> bool:
        """True when the designator was written in its canonical form (or built in Python)."""
        return self.written is None

    @property
    def family(self) -> StandardDesignator:
        """The standard without edition: ``ISO 50001:2018/Amd 1:2024`` -> ``ISO 50001``."""
        return _family(self.body, self.number, self.kind, self.part)

    @classmethod
    def parse(cls, text: str, *, lenient: bool = False) -> StandardDesignator:
        """Parse a designator. With ``lenient=True`` common variant spellings are accepted."""
        if not isinstance(text, str):
            raise DesignatorError(f"expected a string, got {type(text).__name__}")
        return _parse_cached(text, lenient)

    @classmethod
    def _parse(cls, text: str, lenient: bool) -> StandardDesignator:
        if not isinstance(text, str):
            raise DesignatorError(f"expected a string, got {type(text).__name__}")
        m = _CANON.match(_normalise(text) if lenient else text)
        if not m and not lenient:
            try:
                variant = cls.parse(text, lenient=True)
            except DesignatorError:
                pass
            else:
                raise DesignatorError(f"{text!r} is not in canonical form {str(variant)!r}")
        if not m:
            raise DesignatorError(
                f"{text!r} is not a standard designator (expected e.g. 'ISO 14067:2018', "
                "'EN 15804:2012+A2:2019', 'GB/T 33761-2024')"
            )
        body = m["body"]
        kind = None
        head, _, tail = body.rpartition("/")
        if head and tail in _KINDS:
            body, kind = head, tail
        sep, year = m["sep"], m["year"]
        part = m["part"][1:] if m["part"] else None
        if year is not None and (sep == "-") != _is_gb(body):
            # '-2024' after a non-GB number is a part, not a year ("IEC 62443-3-2013" is odd
            # but legal); ':' after a GB number is a misspelling handled by the lenient path.
            if _is_gb(body):
                fixed = f"{m['body']} {m['number']}{m['part']}-{year}{m['amds']}"
                raise DesignatorError(f"{text!r} is not in canonical form {fixed!r} (GB years follow '-')")
            part = f"{part}-{year}" if part else year
            year = None
        amendments = tuple(
            Amendment(
                kind=a[0] or a[3],
                number=int(a[1] or a[4]) if (a[1] or a[4]) else None,
                year=int(a[2] or a[5]) if (a[2] or a[5]) else None,
            )
            for a in _AMD.findall(m["amds"])
        )
        try:
            value = cls(
                body=body,
                number=m["number"],
                kind=kind,
                part=part,
                year=int(year) if year else None,
                amendments=amendments,
            )
        except ValueError as exc:
            raise DesignatorError(f"{text!r}: {exc}") from None
        if str(value) != text:
            if not lenient:
                raise DesignatorError(f"{text!r} is not in canonical form {str(value)!r}")
            value = attrs.evolve(value, written=text)
        return value


@functools.lru_cache(maxsize=4096)
def _family(body: str, number: str, kind: str | None, part: str | None) -> StandardDesignator:
    return StandardDesignator(body=body, number=number, kind=kind, part=part)


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str, lenient: bool) -> StandardDesignator:
    # Designators are immutable values and dossiers repeat a handful of them many times.
    return StandardDesignator._parse(text, lenient)


_DASHES = re.compile(r"[\u2010-\u2015\u2212\uff0d]")


def _normalise(text: str) -> str:
    s = _DASHES.sub("-", text.replace("\uff1a", ":").replace("\u3000", " "))
    s = " ".join(s.split())
    s = re.sub(r"\s*([:+/-])\s*", r"\1", s)
    # "Amd.1", "AMD 1", "amd1" -> "Amd 1"; "Cor.1" -> "Cor 1"
    s = re.sub(r"/(?:AMD|Amd|amd)\.?\s*([0-9]+)", r"/Amd \1", s)
    s = re.sub(r"/(?:COR|Cor|cor)\.?\s*([0-9]+)", r"/Cor \1", s)
    # EN corrigenda are often written "/AC:2021"; the canonical form is "+AC:2021".
    s = re.sub(r"/AC(?=[0-9:]|$)", "+AC", s)
    # Upper-case the body and put one space between it and the number.
    m = re.match(r"^([A-Za-z]+(?:/[A-Za-z]+)?(?:\s[A-Za-z]+(?:/[A-Za-z]+)?)*?)\s*([0-9].*)\Z", s)
    if m:
        s = f"{m.group(1).upper()} {m.group(2)}"
    # A year written with ':' after a GB number, or with '-' after an ISO/EN number.
    m = re.match(r"^(GB(?:/[A-Z]+)? [0-9.]+):([0-9]{4})(.*)\Z", s)
    if m:
        s = f"{m.group(1)}-{m.group(2)}{m.group(3)}"
    return s
