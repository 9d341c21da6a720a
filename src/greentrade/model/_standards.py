"""Standard designators as values: ``ISO 14067:2018``, ``EN 15804:2012+A2:2019``, ``GB/T 33761-2024``.

A designator is parsed into body, deliverable kind (TS, TR, PAS), number, part, year and
amendments, and formatted back; ``StandardDesignator.parse(str(d)) == d`` for every value.
`parse(text, lenient=True)` also reads the spellings people write in practice
(``EN15804+A2``, ``GB/T33761—2024``, ``ISO 50001: 2018``) and keeps the original text in
``written`` so that callers can tell the canonical form apart.

Calculation methods that are not standards (the GHG Protocol Product Standard, the PACT
Methodology, PEF, the Catena-X PCF Rulebook, the EU Battery Regulation Art. 7 method) are
`Method` values, kept apart: the designator parser refuses them with a message naming the
method, and `read_references` sorts a list of names as data formats write them into
designators and methods. A national adoption of a European standard (``DIN EN 15804+A2``,
``BS EN ...``, ``NF EN ...``) is the EN standard: it compares equal to it and keeps the
national prefix in `national`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import attrs

from greentrade.errors import DesignatorError
from greentrade.i18n import msg

__all__ = ["METHODS", "Amendment", "DesignatorError", "Method", "StandardDesignator", "read_references"]


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
    #: The national standards body of an adoption of an EN standard (``DIN`` in ``DIN EN 15804``);
    #: an adoption is the EN standard, so it takes no part in equality.
    national: str | None = attrs.field(default=None, eq=False, order=False, repr=False)
    #: The canonical text, formatted once (rules print designators many times per validation).
    _text: str = attrs.field(init=False, eq=False, order=False, repr=False)

    def __attrs_post_init__(self) -> None:
        first, _, rest = self.body.partition(" ")
        if first in _NATIONAL_BODIES and (rest == "EN" or rest.startswith("EN ")) and self.national is None:
            # "BS EN 15804" built directly is the national adoption of EN 15804.
            object.__setattr__(self, "body", rest)
            object.__setattr__(self, "national", first)
        text = self._format()
        if not _CANON.match(text):
            raise DesignatorError(f"{text!r} is not a well-formed standard designator")
        object.__setattr__(self, "_text", text)

    def _format(self) -> str:
        body = f"{self.body}/{self.kind}" if self.kind else self.body
        if self.national:
            body = f"{self.national} {body}"
        part = f"-{self.part}" if self.part else ""
        year = ""
        if self.year is not None:
            year = f"{'-' if _is_gb(self.body) else ':'}{self.year}"
        return f"{body} {self.number}{part}{year}{''.join(map(str, self.amendments))}"

    def __str__(self) -> str:
        return self._text

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
        method = Method.recognise(text)
        if method is not None:
            raise DesignatorError(
                f"{text!r} names a calculation method ({method.title}), not a standard: "
                "record it as a method, not as a standard designator"
            )
        m = _CANON.match(_normalise(text) if lenient else text)
        if not m and not lenient:
            try:
                variant = cls.parse(text, lenient=True)
            except DesignatorError:
                pass
            else:
                raise DesignatorError(msg("designator.not-canonical", "{text!r} is not in canonical form {variant!r}",
                                          text=text, variant=str(variant)))
        if not m:
            raise DesignatorError(msg("designator.invalid", "{text!r} is not a standard designator (expected e.g. "
                                      "'ISO 14067:2018', 'EN 15804:2012+A2:2019', 'GB/T 33761-2024')", text=text))
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
        if body == "ISO" and m["number"] == "14040" and part == "44" and lenient:
            raise DesignatorError(
                f"{text!r} names two standards, ISO 14040 and ISO 14044: write each on its own"
            )
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
    # "ISO Standard 14067" (PACT's spelling): the word "Standard" between body and number.
    s = re.sub(r"^([A-Za-z]+(?:/[A-Za-z]+)?)\s+[Ss]tandard\s+(?=[0-9])", r"\1 ", s)
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


#: National standards bodies whose adoptions of EN standards are written "<body> EN <number>".
_NATIONAL_BODIES = frozenset(
    {"DIN", "BS", "NF", "UNE", "UNI", "NEN", "SS", "DS", "SFS", "NS", "PN", "CSN", "SN", "OENORM",
     "ONORM", "STN", "SIST", "ILNAS", "IS", "LST", "LVS", "EVS", "MSZ", "SR", "HRN", "BDS", "CYS",
     "ELOT", "NBN", "NP"}
)


@attrs.frozen(order=True)
class Method:
    """A calculation method that is not a standard, e.g. the PACT Methodology version 3.0.

    ``id`` is one of `METHODS`; ``version`` is the version as the source states it.
    """

    id: str = attrs.field(validator=attrs.validators.in_(("ghg-protocol-product", "pact", "pef",
                                                           "catenax-pcf-rulebook", "eu-battery-art7")))
    version: str | None = None

    @property
    def title(self) -> str:
        return METHODS[self.id]

    def __str__(self) -> str:
        return f"{self.title} {self.version}" if self.version else self.title

    @classmethod
    def recognise(cls, text: str) -> Method | None:
        """The method that `text` names, or None when it names none of `METHODS`."""
        if not isinstance(text, str):
            return None
        t = " ".join(text.replace("_", " ").split())
        for method_id, pattern in _METHOD_PATTERNS:
            m = pattern.match(t)
            if m:
                version = m.groupdict().get("version")
                return cls(method_id, version.removeprefix("v").removeprefix("V") if version else None)
        return None


#: The methods that are not standards, with the title shown to users.
METHODS: dict[str, str] = {
    "ghg-protocol-product": "GHG Protocol Product Life Cycle Accounting and Reporting Standard",
    "pact": "PACT Methodology",
    "pef": "Product Environmental Footprint (PEF) method",
    "catenax-pcf-rulebook": "Catena-X Product Carbon Footprint Rulebook",
    "eu-battery-art7": "Regulation (EU) 2023/1542 Art. 7 carbon footprint method",
}

_VERSION = r"(?:\s*,?\s*(?:version|ver\.?|v)?\s*(?P<version>[vV]?[0-9]+(?:\.[0-9]+)*))?"
_METHOD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ghg-protocol-product", re.compile(
        r"^(?:the\s+)?(?:GHG|Greenhouse Gas)\s*Protocol(?:'s)?\s+Product(?:\s+Life\s*Cycle"
        r"(?:\s+Accounting\s+and\s+Reporting)?)?(?:\s+Standard)?$|^GHGP[- ]Product$", re.IGNORECASE)),
    ("pact", re.compile(
        r"^(?:WBCSD\s+)?(?:PACT|Pathfinder)(?:\s+(?:Methodology|Framework))?(?:-(?=[0-9]))?" + _VERSION + r"$",
        re.IGNORECASE)),
    ("pef", re.compile(
        r"^(?:PEF|Product\s+Environmental\s+Footprint)(?:\s+method(?:ology)?)?" + _VERSION + r"$",
        re.IGNORECASE)),
    ("catenax-pcf-rulebook", re.compile(
        r"^Catena-?X\s+(?:Product\s+Carbon\s+Footprint|PCF)\s+Rulebook" + _VERSION + r"$",
        re.IGNORECASE)),
    ("eu-battery-art7", re.compile(
        r"^(?:(?:EU\s+)?Battery\s+Regulation|Regulation\s+\(EU\)\s+2023/1542|\(EU\)\s+2023/1542)"
        r"(?:,)?\s+Art(?:icle|\.)?\s*7(?:\s+(?:carbon\s+footprint\s+)?method(?:ology)?)?$",
        re.IGNORECASE)),
)

#: Spellings that name two standards at once.
_PAIRS = re.compile(r"^ISO\s*(?:Standard\s*)?14040\s*[-/&,]\s*(?:ISO\s*)?(?:140)?44$", re.IGNORECASE)


def read_references(names: Iterable[str]) -> tuple[list[StandardDesignator], list[Method], list[str]]:
    """Sort names as data formats write them into standard designators, methods and the rest.

    ``ISO14040-44`` gives ISO 14040 and ISO 14044; ``ISO Standard 14067`` gives ISO 14067;
    ``PACT Methodology 3.0`` gives the method. Names that are neither come back as the third list
    (unread, for the caller to report), never guessed.
    """
    standards: list[StandardDesignator] = []
    methods: list[Method] = []
    unread: list[str] = []
    for name in names:
        method = Method.recognise(name)
        if method is not None:
            if method not in methods:
                methods.append(method)
            continue
        if isinstance(name, str) and _PAIRS.match(" ".join(name.split())):
            found = [StandardDesignator(body="ISO", number="14040", written=name),
                     StandardDesignator(body="ISO", number="14044", written=name)]
        else:
            try:
                found = [StandardDesignator.parse(name, lenient=True)]
            except DesignatorError:
                unread.append(name)
                continue
        standards.extend(d for d in found if d not in standards)
    return standards, methods, unread
