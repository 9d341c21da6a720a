"""Schema errors in words: what was expected, for a person, never a regular expression.

`describe` turns a `jsonschema.ValidationError` into one sentence, such as
``expected a date written YYYY-MM-DD, such as 2026-06-30; got '30/06/2026'``. A pattern is
named by the table below, else by the schema's own ``description``, else generically; the
error's pointer and the finding's rule id are kept by the callers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["describe", "did_you_mean", "expected"]

#: Patterns of the core's and the first-party plugins' schemas, in words.
PATTERNS: dict[str, str] = {
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date written YYYY-MM-DD, such as 2026-06-30",
    "^[A-Z]{2}$": "a two-letter ISO 3166 country code such as SA",
    "^[A-Z]{3}$": "a three-letter ISO 4217 currency code such as USD",
    "^[A-Z]{2}[A-Z2-9]{3}$": "a five-character UN/LOCODE without a space, such as CNNGB",
    "^[0-9]{6}([0-9]{2}){0,2}$": "an HS code of 6, 8 or 10 digits without dots, such as 940541",
    "^[0-9]{6}$": "a six-digit HS subheading such as 940541",
    "^[a-z][a-z0-9-]*$": "a name of lowercase letters, digits and hyphens that starts with a letter, "
                         "such as solar-street-light",
    "^[a-z0-9][a-z0-9.-]*$": "a name of lowercase letters, digits, dots and hyphens, such as eu.public-tender",
    "^[A-Za-z0-9][A-Za-z0-9._-]*$": "a name of letters, digits, dots, underscores and hyphens",
    "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$": "an id of at most 128 letters, digits and . _ : / -, "
                                            "starting with a letter or a digit",
    "[^\\s\\u001c-\\u001f]": "text with at least one visible character",
    "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$": "a language tag such as en or zh-CN",
    "^[0-9a-f]{64}$": "a SHA-256 digest: 64 lowercase hexadecimal digits",
    "^(/([^~/]|~[01])*)*$": "a JSON Pointer such as /shipments/0/date",
    "^[A-Z]+(/[A-Z]+)? [0-9]+(-[0-9]+)*$": "a standard's designator such as ISO 14067 or GB/T 32150",
    "^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]{3}$": "a rule id such as CN-GC-001",
}

_TYPES = {"string": "text", "number": "a number", "integer": "a whole number", "object": "a table (JSON object)",
          "array": "a list", "boolean": "true or false", "null": "null"}
_FORMATS = {"date": "a date written YYYY-MM-DD, such as 2026-06-30", "uri": "a URI such as https://example.org/x",
            "email": "an e-mail address"}


def _got(value: Any) -> str:
    text = repr(value) if isinstance(value, str | int | float | bool) or value is None else _kind(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def did_you_mean(word: Any, choices: Iterable[Any]) -> str:
    """`` (did you mean 'x'?)`` for the nearest of `choices`, or ``""``."""
    if not isinstance(word, str):
        return ""
    import difflib  # here: about 9 ms to import, needed only for a mistake

    near = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


def expected(schema: Any) -> str | None:
    """What a value of `schema` looks like, in words (None when the schema says nothing usable)."""
    if not isinstance(schema, Mapping):
        return None
    if isinstance(schema.get("pattern"), str):
        return PATTERNS.get(schema["pattern"]) or _described(schema) or "text in the form this field requires"
    if isinstance(schema.get("format"), str) and schema["format"] in _FORMATS:
        return _FORMATS[schema["format"]]
    if "enum" in schema and isinstance(schema["enum"], list):
        return "one of " + ", ".join(map(repr, schema["enum"]))
    return None


def _described(schema: Mapping[str, Any]) -> str | None:
    text = schema.get("description")
    if not isinstance(text, str) or not text:
        return None
    first = text.split(". ")[0].rstrip(".")
    return first[0].lower() + first[1:] if first[:1].isupper() and not first[1:2].isupper() else first


def describe(error: Any) -> str:
    """One sentence for a `jsonschema.ValidationError`: what was expected and what was given."""
    keyword, value, schema, arg = error.validator, error.instance, error.schema, error.validator_value
    if keyword == "pattern":
        return f"expected {expected(schema)}; got {_got(value)}"
    if keyword == "format" and arg in _FORMATS:
        return f"expected {_FORMATS[arg]}; got {_got(value)}"
    if keyword == "type":
        kinds = [arg] if isinstance(arg, str) else list(arg)
        words = " or ".join(_TYPES.get(k, k) for k in kinds)
        return f"expected {words}; got {_got(value)}"
    if keyword in ("enum", "const"):
        options = list(arg) if keyword == "enum" else [arg]
        shown = ", ".join(map(repr, options[:12])) + (", ..." if len(options) > 12 else "")
        one_of = "one of " if len(options) > 1 else ""
        return f"expected {one_of}{shown}; got {_got(value)}" + did_you_mean(value, options)
    if keyword == "required":
        missing = [k for k in arg if isinstance(value, Mapping) and k not in value]
        return f"required key {missing[0] if missing else arg[0]!r} is missing"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[keyword]
        return f"expected a number {sign} {arg}; got {_got(value)}"
    if keyword in ("minLength", "maxLength"):
        return f"expected {'at least' if keyword == 'minLength' else 'at most'} {arg} character(s); got {_got(value)}"
    if keyword in ("minItems", "maxItems"):
        return f"expected {'at least' if keyword == 'minItems' else 'at most'} {arg} item(s); got {len(value)}"
    if keyword in ("minProperties", "maxProperties"):
        return f"expected {'at least' if keyword == 'minProperties' else 'at most'} {arg} key(s); got {len(value)}"
    if keyword == "uniqueItems":
        return "expected each item once; the list repeats an item"
    if keyword == "additionalProperties" and isinstance(value, Mapping) and isinstance(schema, Mapping):
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(value) - set(allowed))
        if extra:
            return (f"unknown key {extra[0]!r}" + did_you_mean(extra[0], allowed)
                    + (f"; allowed here: {', '.join(allowed)}" if allowed else ""))
    message: str = error.message
    return message if len(message) <= 300 else message[:297] + "..."
