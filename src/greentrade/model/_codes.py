"""Code lists and check-character algorithms used to validate entity fields.

Everything here is public standard material (ISO 3166-1, ISO 4217, UN/LOCODE syntax,
GB 32100-2015 for the Unified Social Credit Code, ISO 17442 for the LEI, HS 2022);
nothing is specific to a jurisdiction's trade rules.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from importlib import resources
from typing import Any

__all__ = [
    "check_cas",
    "check_country",
    "check_currency",
    "check_gtin",
    "check_hs_code",
    "check_identifier",
    "check_lei",
    "check_locode",
    "check_product_identifier",
    "check_un_cpc",
    "check_urn",
    "check_uscc",
    "hs_description",
    "uscc_check_char",
]


@functools.cache
def _code_lists() -> dict[str, Any]:
    raw = resources.files("greentrade").joinpath("data/codes.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


@functools.cache
def countries() -> frozenset[str]:
    return frozenset(_code_lists()["iso3166_1_alpha2"]["codes"])


@functools.cache
def currencies() -> frozenset[str]:
    return frozenset(_code_lists()["iso4217"]["codes"])


@functools.cache
def hs_subheadings() -> frozenset[str]:
    """The 6-digit HS 2022 subheadings. Read from ``hs2022-subheadings.txt``, which is derived
    from ``hs2022.csv`` (a test keeps them equal): a code check need not parse the whole
    nomenclature with its descriptions, which takes several times longer."""
    raw = resources.files("greentrade").joinpath("data/hs2022-subheadings.txt").read_text("ascii")
    return frozenset(raw.split())


@functools.cache
def hs_nomenclature() -> dict[str, str]:
    """HS 2022 subheadings (6 digits) and headings/chapters, code -> description.

    The rows of UN Comtrade's reporting section ``TOTAL`` (99, 9999, 999999 "Commodities not
    specified according to kind", and the grand total) are left out: they are Comtrade's
    reporting codes, not part of the WCO nomenclature (chapter 99 is not used by HS 2022)."""
    raw = resources.files("greentrade").joinpath("data/hs2022.csv").read_text("utf-8-sig")
    rows = csv.reader(io.StringIO(raw))
    header = next(rows)
    code, description, section = header.index("hscode"), header.index("description"), header.index("section")
    return {row[code]: row[description] for row in rows if row[section] != "TOTAL"}


def check_country(code: str) -> str | None:
    """Return an error message, or None when `code` is an ISO 3166-1 alpha-2 code."""
    if code not in countries():
        return f"{code!r} is not an ISO 3166-1 alpha-2 country code"
    return None


def check_currency(code: str) -> str | None:
    if code not in currencies():
        return f"{code!r} is not an ISO 4217 currency code"
    return None


_HS_RE = re.compile(r"^[0-9]{6}(?:[0-9]{2}){0,2}\Z")


def check_hs_code(code: str) -> str | None:
    """HS 2022 subheading (6 digits) with an optional national extension (8 or 10 digits)."""
    if not _HS_RE.match(code):
        return (
            f"{code!r} is not an HS code: expected 6 digits, optionally followed by a 2 or 4 digit "
            "national extension"
        )
    if code[:6] not in hs_subheadings():
        return f"{code[:6]!r} is not a subheading of the HS 2022 nomenclature"
    return None


def hs_description(code: str) -> str | None:
    return hs_nomenclature().get(code[:6])


_LOCODE_RE = re.compile(r"^([A-Z]{2})([A-Z2-9]{3})\Z")


def check_locode(code: str) -> str | None:
    """UN/LOCODE syntax: ISO 3166-1 country code and three letters or digits 2-9."""
    m = _LOCODE_RE.match(code)
    if not m:
        return (
            f"{code!r} is not a UN/LOCODE: expected 2 country letters and 3 characters "
            "A-Z or 2-9, without spaces (e.g. 'CNNGB')"
        )
    if m.group(1) not in countries():
        return f"{code!r} is not a UN/LOCODE: {m.group(1)!r} is not an ISO 3166-1 country code"
    return None


# GB 32100-2015: Unified Social Credit Code (统一社会信用代码), 18 characters.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def check_uscc(value: str) -> str | None:
    if len(value) != 18:
        return f"{value!r} is not a Unified Social Credit Code: expected 18 characters, got {len(value)}"
    bad = sorted({c for c in value if c not in _USCC_CHARS})
    if bad:
        return (
            f"{value!r} is not a Unified Social Credit Code: characters {''.join(bad)!r} "
            "are not allowed (GB 32100-2015 uses digits and capitals except I, O, Z, S, V)"
        )
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        return f"{value!r} fails the GB 32100-2015 check character: expected {expected!r}, got {value[17]!r}"
    return None


_LEI_RE = re.compile(r"^[0-9A-Z]{18}[0-9]{2}\Z")


def lei_check_digits(first18: str) -> str:
    n = int("".join(str(int(c, 36)) for c in first18 + "00"))
    return f"{98 - n % 97:02d}"


def check_lei(value: str) -> str | None:
    if not _LEI_RE.match(value):
        return f"{value!r} is not an LEI: expected 18 letters or digits and 2 check digits (ISO 17442)"
    if int("".join(str(int(c, 36)) for c in value)) % 97 != 1:
        return f"{value!r} fails the ISO 17442 (ISO 7064 mod 97-10) check digits"
    return None


def gs1_check_digit(body: str) -> str:
    """GS1 mod-10 check digit of the digits before it (GTIN-8/12/13/14, GLN, SSCC)."""
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def check_gtin(value: str) -> str | None:
    if not re.fullmatch(r"[0-9]{8}|[0-9]{12,14}", value):
        return f"{value!r} is not a GTIN: expected 8, 12, 13 or 14 digits (GS1 General Specifications)"
    expected = gs1_check_digit(value[:-1])
    if value[-1] != expected:
        return f"{value!r} fails the GS1 check digit: expected {expected!r}, got {value[-1]!r}"
    return None


def check_cas(value: str) -> str | None:
    """CAS Registry Number: 2-7 digits, 2 digits, 1 check digit (weighted sum mod 10)."""
    m = re.fullmatch(r"([0-9]{2,7})-([0-9]{2})-([0-9])", value)
    if not m:
        return f"{value!r} is not a CAS Registry Number: expected e.g. '7732-18-5'"
    digits = m.group(1) + m.group(2)
    expected = sum(int(c) * (i + 1) for i, c in enumerate(reversed(digits))) % 10
    if int(m.group(3)) != expected:
        return f"{value!r} fails the CAS Registry Number check digit: expected {expected}, got {m.group(3)}"
    return None


def check_un_cpc(value: str) -> str | None:
    """UN Central Product Classification code: 1 to 5 digits (section to subclass)."""
    if not re.fullmatch(r"[0-9]{1,5}", value):
        return f"{value!r} is not a UN CPC code: expected 1 to 5 digits"
    return None


_URN_RE = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,31}:[^\s]+$", re.IGNORECASE)


def check_urn(value: str) -> str | None:
    """RFC 8141 URN syntax (``urn:NID:NSS``), as PACT and Catena-X product and company ids are written."""
    if not _URN_RE.match(value):
        return f"{value!r} is not a URN: expected 'urn:<namespace>:<specific string>' (RFC 8141)"
    return None


_IDENTIFIER_CHECKS = {"uscc": check_uscc, "lei": check_lei}
# Product identifiers (dossier format 2); party identifiers keep format 1's checks.
_PRODUCT_IDENTIFIER_CHECKS = {"gtin": check_gtin, "cas": check_cas, "un-cpc": check_un_cpc, "urn": check_urn}
KNOWN_IDENTIFIER_SCHEMES = ("uscc", "lei", "vat", "eori", "duns", "other")
#: Product identifier schemes of dossier format 2 (``mpn``: manufacturer part number, not checked).
PRODUCT_IDENTIFIER_SCHEMES = ("gtin", "urn", "cas", "un-cpc", "mpn")


def check_identifier(scheme: str, value: str) -> str | None:
    """Check an identifier value for the schemes that define a check algorithm."""
    check = _IDENTIFIER_CHECKS.get(scheme)
    return check(value) if check else None


def check_product_identifier(scheme: str, value: str) -> str | None:
    """Check a product identifier: GTIN and CAS check digits, UN CPC digits, URN syntax."""
    check = _PRODUCT_IDENTIFIER_CHECKS.get(scheme)
    return check(value) if check else None
