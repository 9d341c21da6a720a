"""Reading JSON strictly, for every entry point: UTF-8 within the size limit, numbers Python can
hold, no ``NaN``/``Infinity``, no lone surrogates, and duplicate keys caught (the JSON module
would keep the last value silently). Each problem is one line that says where: the line and
column, or the JSON Pointer of the value.

- `read_checked` reads a dossier: a duplicate key becomes a ``GT-SCHEMA-003`` finding with its
  JSON Pointer; input that cannot be read at all raises `DossierReadError`.
- `read_json` reads any other JSON document (files to import, a stored report): a duplicate key
  is refused like the rest, with `InputError` naming the file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from greentrade._files import DEFAULT_MAX_INPUT_BYTES, InputError, read_bytes
from greentrade.errors import DossierReadError
from greentrade.i18n import msg
from greentrade.io._datarules import clip, finding, to_pointer
from greentrade.model import Dossier, _convert
from greentrade.rules._rules import Finding

__all__ = ["Document", "parse_json", "read", "read_checked", "read_json"]


class _Unreadable(Exception):
    """A reason the text is not JSON we read (the caller adds the file's name)."""


class _Constant(Exception):
    pass


class _HugeFloat(Exception):
    pass


def _no_constant(name: str) -> Any:
    raise _Constant(name)


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _HugeFloat(text)
    return value


#: Python's message when an integer has more digits than its limit allows.
_DIGITS = re.compile(r"value has ([0-9]+) digits")


# A JSON string, or (group 1) the token looked for; strings are skipped so that text inside them
# is never taken for a number or a constant.
_STRING = r'"(?:[^"\\]|\\.)*"'


def _position(text: str, token: str) -> str:
    """"line L, column C" of the first `token` (a regular expression) outside strings."""
    for m in re.finditer(f"{_STRING}|({token})", text):
        if m.group(1) is not None:
            start = m.start(1)
            line = text.count("\n", 0, start) + 1
            return f"line {line}, column {start - (text.rfind(chr(10), 0, start) + 1) + 1}"
    return "somewhere"  # pragma: no cover - the parser found it, so the scan does too


class _Duplicates:
    """Object hook that notes objects with a key given twice (the JSON module keeps the last)."""

    def __init__(self) -> None:
        self.found: dict[int, tuple[dict[str, Any], list[str]]] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            twice = sorted({k for k, _v in pairs if k in seen or seen.add(k)})  # type: ignore[func-returns-value]
            self.found[id(obj)] = (obj, twice)
        return obj

    def located(self, data: Any) -> Iterator[tuple[list[Any], str]]:
        """(path of the object, key) for each key given twice, in document order of the objects."""
        if not self.found:
            return
        for path, obj in _walk_objects(data, []):
            entry = self.found.get(id(obj))
            if entry is not None and entry[0] is obj:
                for key in entry[1]:
                    yield path, key

    def findings(self, data: Any) -> list[Finding]:
        return [finding("GT-SCHEMA-003", msg("GT-SCHEMA-003.twice", "key {key!r} is given more than once in this "
                                             "object", key=clip(key)), path)
                for path, key in self.located(data)]


def _walk_objects(data: Any, path: list[Any]) -> Iterator[tuple[list[Any], Any]]:
    stack: list[tuple[list[Any], Any]] = [(path, data)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            yield here, node
            stack.extend(([*here, k], v) for k, v in reversed(node.items()) if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(([*here, i], v) for i, v in reversed(list(enumerate(node))) if isinstance(v, dict | list))


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _check_text(data: Any) -> None:
    """Refuse strings with lone surrogates (JSON escapes like \\ud800 that are no character)."""
    stack: list[tuple[list[Any], Any]] = [([], data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                raise _Unreadable(
                    f"not valid text at {to_pointer(path) or '/'}: a lone surrogate (a \\uD800-\\uDFFF escape "
                    "without its pair) is not a character"
                ) from None
        elif isinstance(node, dict):
            for k, v in node.items():
                stack.append(([*path, "(key)"], k))
                stack.append(([*path, k], v))
        elif isinstance(node, list):
            stack.extend(([*path, i], v) for i, v in enumerate(node))


def _decode(raw: bytes, utf16: bool) -> str:
    """Text of UTF-8 bytes (a byte order mark is dropped); with `utf16`, UTF-16 too (with a BOM,
    or recognised by its zero bytes, as Battery Pass files come)."""
    encoding = "utf-8-sig"
    if utf16:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            encoding = "utf-16"
        elif len(raw) >= 2 and raw[0] == 0 and raw[1] != 0:
            encoding = "utf-16-be"
        elif len(raw) >= 2 and raw[1] == 0 and raw[0] != 0:
            encoding = "utf-16-le"
    try:
        return raw.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        what = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
        raise _Unreadable(f"not {what} text: byte {exc.start}: {exc.reason}") from None


def _parse(text: str, duplicates: _Duplicates) -> Any:
    try:
        # Integers are parsed by the C scanner itself (a parse_int hook cost a Python call per
        # number, #22); Python's limit on integer digits still refuses a huge one (ValueError).
        data = json.loads(text, parse_constant=_no_constant, parse_float=_parse_float,
                          object_pairs_hook=duplicates)
    except json.JSONDecodeError as exc:
        raise _Unreadable(f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:
        m = _DIGITS.search(str(exc))
        if m is None:
            raise
        digits = int(m[1])
        raise _Unreadable(f"not readable: {_position(text, r'-?[0-9]{' + str(digits) + '}')}: "
                          f"an integer with {digits} digits is too large") from None
    except RecursionError:
        raise _Unreadable("not readable: JSON nested too deeply") from None
    except _Constant as exc:
        raise _Unreadable(f"not valid JSON: {_position(text, re.escape(str(exc)))}: "
                          f"{exc} is not a JSON number") from None
    except _HugeFloat as exc:
        raise _Unreadable(f"not readable: {_position(text, re.escape(str(exc)))}: the number "
                          f"{clip(str(exc))} is too large for a quantity") from None
    if _SURROGATE_ESCAPE.search(text):
        _check_text(data)
    return data


def parse_json(raw: bytes, name: str, *, utf16: bool = False) -> Any:
    """Strict JSON of `raw`; `InputError` ("NAME: what, where") for anything it would have to
    guess at, a duplicate key included."""
    duplicates = _Duplicates()
    try:
        data = _parse(_decode(raw, utf16), duplicates)
    except _Unreadable as exc:
        raise InputError(f"{name}: {exc}") from None
    for path, key in duplicates.located(data):
        raise InputError(f"{name}: at {to_pointer(path) or '/'}: key {clip(key)!r} is given more than once "
                         "(which value is meant cannot be told)")
    return data


@attrs.frozen
class Document:
    """A JSON document read by `read_json`: its display name, its data and the sha256 of its bytes."""

    name: str
    data: Any
    sha256: str


def read_json(source: str | Path | BinaryIO | bytes, *, name: str | None = None,
              max_bytes: int = DEFAULT_MAX_INPUT_BYTES, utf16: bool = False) -> Document:
    """Read a JSON document through the one reader: a regular file's path, a binary stream
    (standard input) or bytes; `InputError` when it cannot be read or is not strict JSON."""
    if isinstance(source, bytes | bytearray):
        raw = bytes(source)
        label = name or "<bytes>"
        if len(raw) > max_bytes:
            raise InputError(f"{label} is larger than the input limit of {max_bytes} bytes "
                             "(raise it with [greentrade] max_input_bytes)")
    else:
        label = name or (str(source) if isinstance(source, str | Path) else "standard input")
        raw = read_bytes(source, max_bytes)
    return Document(label, parse_json(raw, label, utf16=utf16), hashlib.sha256(raw).hexdigest())


def read(source: Any, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> tuple[Any, str]:
    """Return (JSON data, sha256 of the input bytes); a duplicate key is a `DossierReadError`
    (only `read_checked` reports it as a finding instead)."""
    data, digest, duplicates = read_checked(source, max_bytes)
    if duplicates:
        raise DossierReadError(f"at {duplicates[0].pointer or '/'}: {duplicates[0].message} "
                               "(which value is meant cannot be told)")
    return data, digest


def _non_json(data: Any) -> str:
    """Where JSON-compatible data is not JSON: the first key that is not a string, or a value
    that is no JSON value, with its JSON Pointer."""
    stack: list[tuple[list[Any], Any]] = [([], data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, Mapping):
            for k, v in node.items():
                if type(k) is not str:
                    return f"at {to_pointer(path) or '/'}: the key {clip(repr(k))} is a {type(k).__name__}; " \
                           "JSON keys are strings"
                stack.append(([*path, k], v))
        elif isinstance(node, list | tuple):
            stack.extend(([*path, i], v) for i, v in enumerate(node))
        elif node is not None and not isinstance(node, str | int | float | bool):
            return f"at {to_pointer(path) or '/'}: a {type(node).__name__} is not a JSON value"
        elif isinstance(node, float) and (node != node or node in (float("inf"), float("-inf"))):
            return f"at {to_pointer(path) or '/'}: {node!r} is not a JSON number"
    return "it cannot be written as JSON"  # pragma: no cover - json.dumps refused it for a reason found above


def read_checked(source: Any, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> tuple[Any, str, list[Finding]]:
    """(JSON data, sha256 of the input bytes, duplicate-key findings)."""
    if isinstance(source, Path):
        try:
            source = read_bytes(source, max_bytes)
        except InputError as exc:
            raise DossierReadError(str(exc)) from None
    if isinstance(source, str):
        try:
            source = source.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DossierReadError(
                f"not valid text: character {exc.start} is a lone surrogate, not a character"
            ) from None
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        if len(raw) > max_bytes:
            raise DossierReadError(f"the input ({len(raw)} bytes) is larger than the input limit of "
                                   f"{max_bytes} bytes (raise it with [greentrade] max_input_bytes)")
        duplicates = _Duplicates()
        try:
            data = _parse(_decode(raw, False), duplicates)
        except _Unreadable as exc:
            raise DossierReadError(str(exc)) from None
        return data, hashlib.sha256(raw).hexdigest(), duplicates.findings(data)
    if isinstance(source, Dossier):
        source = _convert.unstructure(source)
    try:
        canonical = json.dumps(
            source, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        ).encode("utf-8")
    except UnicodeEncodeError:
        try:
            _check_text(source)
        except _Unreadable as exc:
            raise DossierReadError(str(exc)) from None
        raise DossierReadError("not valid text: a lone surrogate is not a character") from None  # pragma: no cover
    except (TypeError, ValueError):
        raise DossierReadError(f"not JSON-compatible data: {_non_json(source)}") from None
    except RecursionError:
        raise DossierReadError("not readable: data nested too deeply") from None
    if len(canonical) > max_bytes:
        raise DossierReadError(f"the input ({len(canonical)} bytes as JSON) is larger than the input limit of "
                               f"{max_bytes} bytes (raise it with [greentrade] max_input_bytes)")
    return source, hashlib.sha256(canonical).hexdigest(), []
