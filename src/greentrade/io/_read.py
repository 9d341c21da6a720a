"""Reading input strictly: UTF-8 JSON within the size limit, numbers Python can hold, no lone
surrogates, and duplicate keys noted (the JSON module would keep the last value silently).

Only input that cannot be read at all raises `DossierReadError`; a duplicate key becomes a
``GT-SCHEMA-003`` finding with its JSON Pointer.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from greentrade._files import DEFAULT_MAX_INPUT_BYTES, InputError, read_bytes
from greentrade.errors import DossierReadError
from greentrade.io._datarules import clip, finding, to_pointer
from greentrade.model import Dossier, _convert
from greentrade.rules._rules import Finding

__all__ = ["read", "read_checked"]


def _no_constant(name: str) -> Any:
    raise DossierReadError(f"not valid JSON: {name} is not a JSON number")


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise DossierReadError(f"not readable: the number {clip(text)} is too large for a quantity")
    return value


def _parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # Python's limit on integer digits
        raise DossierReadError(
            f"not readable: an integer with {len(text.lstrip('-'))} digits is too large"
        ) from None


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

    def findings(self, data: Any) -> list[Finding]:
        out: list[Finding] = []
        for path, obj in _walk_objects(data, []):
            entry = self.found.get(id(obj))
            if entry is not None and entry[0] is obj:
                for key in entry[1]:
                    out.append(finding("GT-SCHEMA-003", f"key {clip(key)!r} is given more than once in "
                                        "this object", path))
        return out


def _walk_objects(data: Any, path: list[Any]) -> Iterator[tuple[list[Any], Any]]:
    stack: list[tuple[list[Any], Any]] = [(path, data)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            yield here, node
            stack.extend(([*here, k], v) for k, v in node.items() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(([*here, i], v) for i, v in enumerate(node) if isinstance(v, dict | list))


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
                raise DossierReadError(
                    f"not valid text at {to_pointer(path) or '/'}: a lone surrogate (a \\uD800-\\uDFFF escape "
                    "without its pair) is not a character"
                ) from None
        elif isinstance(node, dict):
            for k, v in node.items():
                stack.append(([*path, "(key)"], k))
                stack.append(([*path, k], v))
        elif isinstance(node, list):
            stack.extend(([*path, i], v) for i, v in enumerate(node))


def read(source: Any, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> tuple[Any, str]:
    """Return (JSON data, sha256 of the input bytes)."""
    return read_checked(source, max_bytes)[:2]


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
            text = raw.decode("utf-8-sig")
            data = json.loads(text, parse_constant=_no_constant, parse_float=_parse_float,
                              parse_int=_parse_int, object_pairs_hook=duplicates)
        except UnicodeDecodeError as exc:
            raise DossierReadError(f"not UTF-8 text: byte {exc.start}: {exc.reason}") from None
        except json.JSONDecodeError as exc:
            raise DossierReadError(
                f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        except RecursionError:
            raise DossierReadError("not readable: JSON nested too deeply") from None
        if _SURROGATE_ESCAPE.search(text):
            _check_text(data)
        found = duplicates.findings(data) if duplicates.found else []
        return data, hashlib.sha256(raw).hexdigest(), found
    if isinstance(source, Dossier):
        source = _convert.unstructure(source)
    try:
        canonical = json.dumps(
            source, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        ).encode("utf-8")
    except UnicodeEncodeError:
        _check_text(source)
        raise DossierReadError("not valid text: a lone surrogate is not a character") from None  # pragma: no cover
    except (TypeError, ValueError) as exc:
        raise DossierReadError(f"not JSON-compatible data: {clip(str(exc), 200)}") from None
    except RecursionError:
        raise DossierReadError("not readable: data nested too deeply") from None
    if len(canonical) > max_bytes:
        raise DossierReadError(f"the input ({len(canonical)} bytes as JSON) is larger than the input limit of "
                               f"{max_bytes} bytes (raise it with [greentrade] max_input_bytes)")
    return source, hashlib.sha256(canonical).hexdigest(), []
