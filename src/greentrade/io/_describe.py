"""Schema errors in words: what was expected, for a person, never a regular expression.

`describe` turns a `jsonschema.ValidationError` into one sentence, such as
``expected a date written YYYY-MM-DD, such as 2026-06-30; got '30/06/2026'``. A pattern is
named by the table below, else by the schema's own ``description``, else generically; the
error's pointer and the finding's rule id are kept by the callers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from greentrade.i18n import Message, join, msg

__all__ = ["describe", "did_you_mean", "expected"]

#: Patterns of the core's and the first-party plugins' schemas, in words (messages: the
#: findings of GT-SCHEMA-001 are translated; the examples are data and stay as written).
PATTERNS: dict[str, str] = {
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": msg("GT-SCHEMA.date", "a date written YYYY-MM-DD, such as {example}",
                                        example="2026-06-30"),
    "^[A-Z]{2}$": msg("GT-SCHEMA.country", "a two-letter ISO 3166 country code such as {example}", example="SA"),
    "^[A-Z]{3}$": msg("GT-SCHEMA.currency", "a three-letter ISO 4217 currency code such as {example}",
                      example="USD"),
    "^[A-Z]{2}[A-Z2-9]{3}$": msg("GT-SCHEMA.locode", "a five-character UN/LOCODE without a space, such as {example}",
                                 example="CNNGB"),
    "^[0-9]{6}([0-9]{2}){0,2}$": msg("GT-SCHEMA.hs-code", "an HS code of 6, 8 or 10 digits without dots, such as "
                                     "{example}", example="940541"),
    "^[0-9]{6}$": msg("GT-SCHEMA.hs-subheading", "a six-digit HS subheading such as {example}", example="940541"),
    "^[a-z][a-z0-9-]*$": msg("GT-SCHEMA.slug", "a name of lowercase letters, digits and hyphens that starts with a "
                             "letter, such as {example}", example="solar-street-light"),
    "^[a-z0-9][a-z0-9.-]*$": msg("GT-SCHEMA.dotted-name", "a name of lowercase letters, digits, dots and hyphens, "
                                 "such as {example}", example="eu.public-tender"),
    "^[A-Za-z0-9][A-Za-z0-9._-]*$": msg("GT-SCHEMA.name", "a name of letters, digits, dots, underscores and hyphens"),
    "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$": msg("GT-SCHEMA.id", "an id of at most {n} letters, digits and . _ : / -, "
                                                "starting with a letter or a digit", n=128),
    "[^\\s\\u001c-\\u001f]": msg("GT-SCHEMA.visible", "text with at least one visible character"),
    "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$": msg("GT-SCHEMA.language", "a language tag such as {example} or {example2}",
                                               example="en", example2="zh-CN"),
    "^[0-9a-f]{64}$": msg("GT-SCHEMA.sha256", "a SHA-256 digest: {n} lowercase hexadecimal digits", n=64),
    "^(/([^~/]|~[01])*)*$": msg("GT-SCHEMA.pointer", "a JSON Pointer such as {example}", example="/shipments/0/date"),
    "^[A-Z]+(/[A-Z]+)? [0-9]+(-[0-9]+)*$": msg("GT-SCHEMA.designator", "a standard's designator such as {example} or "
                                               "{example2}", example="ISO 14067", example2="GB/T 32150"),
    "^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]{3}$": msg("GT-SCHEMA.rule-id", "a rule id such as {example}",
                                                  example="CN-GC-001"),
}

_TYPES = {"string": msg("GT-SCHEMA.text", "text"), "number": msg("GT-SCHEMA.number", "a number"),
          "integer": msg("GT-SCHEMA.integer", "a whole number"),
          "object": msg("GT-SCHEMA.object", "a table (JSON object)"), "array": msg("GT-SCHEMA.array", "a list"),
          "boolean": msg("GT-SCHEMA.boolean", "true or false"), "null": "null"}
_FORMATS = {"date": PATTERNS["^[0-9]{4}-[0-9]{2}-[0-9]{2}$"],
            "uri": msg("GT-SCHEMA.uri", "a URI such as {example}", example="https://example.org/x"),
            "email": msg("GT-SCHEMA.email", "an e-mail address")}
_OR = msg("list.or", " or ")


def _got(value: Any) -> str:
    if isinstance(value, str | int | float | bool) or value is None:
        text = repr(value)
        return text if len(text) <= 80 else text[:77] + "..."
    return _kind(value)


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return msg("GT-SCHEMA.a-table", "a table")
    if isinstance(value, list | tuple):
        return msg("GT-SCHEMA.a-list", "a list")
    return type(value).__name__


def did_you_mean(word: Any, choices: Iterable[Any]) -> str:
    """`` (did you mean 'x'?)`` for the nearest of `choices`, or ``""``."""
    if not isinstance(word, str):
        return ""
    import difflib  # here: about 9 ms to import, needed only for a mistake

    near = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    return msg("GT-SCHEMA.did-you-mean", " (did you mean {near!r}?)", near=near[0]) if near else ""


def expected(schema: Any) -> str | None:
    """What a value of `schema` looks like, in words (None when the schema says nothing usable)."""
    if not isinstance(schema, Mapping):
        return None
    if isinstance(schema.get("pattern"), str):
        return (PATTERNS.get(schema["pattern"]) or _described(schema)
                or msg("GT-SCHEMA.pattern", "text in the form this field requires"))
    if isinstance(schema.get("format"), str) and schema["format"] in _FORMATS:
        return _FORMATS[schema["format"]]
    if "enum" in schema and isinstance(schema["enum"], list):
        return msg("GT-SCHEMA.one-of", "one of {options}", options=", ".join(map(repr, schema["enum"])))
    return None


def _described(schema: Mapping[str, Any]) -> str | None:
    text = schema.get("description")
    if not isinstance(text, str) or not text:
        return None
    first = text.split(". ")[0].rstrip(".")
    return first[0].lower() + first[1:] if first[:1].isupper() and not first[1:2].isupper() else first


def _expected(what: str, value: Any, near: str = "") -> Message:
    return msg("GT-SCHEMA-001.expected", "expected {what}; got {got}{near}", what=what, got=_got(value), near=near)


def describe(error: Any) -> str:
    """One sentence for a `jsonschema.ValidationError`: what was expected and what was given (a
    `msg` message, translated with the finding; jsonschema's own English for the rare rest)."""
    keyword, value, schema, arg = error.validator, error.instance, error.schema, error.validator_value
    if keyword == "pattern":
        return _expected(expected(schema) or "None", value)
    if keyword == "format" and arg in _FORMATS:
        return _expected(_FORMATS[arg], value)
    if keyword == "type":
        kinds = [arg] if isinstance(arg, str) else list(arg)
        return _expected(join([_TYPES.get(k, k) for k in kinds], _OR), value)
    if keyword in ("enum", "const"):
        options = list(arg) if keyword == "enum" else [arg]
        shown = ", ".join(map(repr, options[:12])) + (", ..." if len(options) > 12 else "")
        near = did_you_mean(value, options)
        if len(options) > 1:
            return _expected(msg("GT-SCHEMA.one-of", "one of {options}", options=shown), value, near)
        return _expected(shown, value, near)
    if keyword == "required":
        missing = [k for k in arg if isinstance(value, Mapping) and k not in value]
        return msg("GT-SCHEMA-001.required", "required key {key!r} is missing", key=missing[0] if missing else arg[0])
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[keyword]
        return msg("GT-SCHEMA-001.number", "expected a number {sign} {limit}; got {got}", sign=sign, limit=arg,
                   got=_got(value))
    if keyword == "minLength":
        return msg("GT-SCHEMA-001.min-length", "expected at least {n} character(s); got {got}", n=arg, got=_got(value))
    if keyword == "maxLength":
        return msg("GT-SCHEMA-001.max-length", "expected at most {n} character(s); got {got}", n=arg, got=_got(value))
    if keyword == "minItems":
        return msg("GT-SCHEMA-001.min-items", "expected at least {n} item(s); got {count}", n=arg, count=len(value))
    if keyword == "maxItems":
        return msg("GT-SCHEMA-001.max-items", "expected at most {n} item(s); got {count}", n=arg, count=len(value))
    if keyword == "minProperties":
        return msg("GT-SCHEMA-001.min-keys", "expected at least {n} key(s); got {count}", n=arg, count=len(value))
    if keyword == "maxProperties":
        return msg("GT-SCHEMA-001.max-keys", "expected at most {n} key(s); got {count}", n=arg, count=len(value))
    if keyword == "uniqueItems":
        return msg("GT-SCHEMA-001.unique", "expected each item once; the list repeats an item")
    if keyword == "additionalProperties" and isinstance(value, Mapping) and isinstance(schema, Mapping):
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(value) - set(allowed))
        if extra:
            if allowed:
                return msg("GT-SCHEMA-001.unknown-key", "unknown key {key!r}{near}; allowed here: {allowed}",
                           key=extra[0], near=did_you_mean(extra[0], allowed), allowed=", ".join(allowed))
            return msg("GT-SCHEMA-001.unknown-key-none", "unknown key {key!r}{near}", key=extra[0],
                       near=did_you_mean(extra[0], allowed))
    message: str = error.message
    return message if len(message) <= 300 else message[:297] + "..."
