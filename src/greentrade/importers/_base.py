"""Shared machinery of the importers: reading, tracking which source fields found a home, notes.

Every importer reads its source through a `Source`, which records the JSON Pointer of each value
it takes. What was never taken is the loss list: each pointer becomes an info note and is kept in
the document's ``source.unmapped``. Values are copied, never made up: a field the source does not
state stays missing, and the notes say what the user must add before a program can decide.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from greentrade._files import InputError, read_bytes
from greentrade.errors import SourceImportError as ImportError_
from greentrade.io._read import Document, parse_json

__all__ = [
    "FORMAT_2",
    "ImportError_",
    "ImportNote",
    "ImportOptions",
    "ImportResult",
    "Source",
    "decode_json",
    "pointer",
]

FORMAT_2 = "greentrade.dossier/2"
#: Note codes that mean a source value did not arrive: a field without a home, a value rejected.
LOSSES = frozenset({"GT-IMPORT-001", "GT-IMPORT-002", "GT-IMPORT-004"})
_MISSING: Any = object()
#: Magnitudes at or above this are placeholders (e.g. -1.7976931348623157E308), not measurements.
SENTINEL_MAGNITUDE = 1e300


@attrs.frozen
class ImportNote:
    """One finding of an import: ``info`` (a field without a home, a value to add), ``warning``
    (a value rejected, e.g. a sentinel) or ``error`` (the file was not imported)."""

    code: str
    severity: str
    message: str
    file: str = ""
    pointer: str = ""

    def __str__(self) -> str:
        where = f"{self.file}{'#' + self.pointer if self.pointer else ''}"
        return f"{self.severity:<7} {self.code} {where}: {self.message}" if where else \
            f"{self.severity:<7} {self.code}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        """The note as JSON-compatible data (``file`` and ``pointer`` omitted when empty)."""
        out = {"code": self.code, "severity": self.severity, "message": self.message}
        if self.file:
            out["file"] = self.file
        if self.pointer:
            out["pointer"] = self.pointer
        return out


@attrs.frozen
class ImportOptions:
    """Values the user knows and the source does not state; applied to every imported entity."""

    hs_code: str | None = None
    category: str | None = None
    country: str | None = None
    issuer: str | None = None


@attrs.frozen
class ImportResult:
    """A format-2 dossier (JSON-compatible data) and the notes of the import."""

    dossier: dict[str, Any]
    notes: tuple[ImportNote, ...]
    #: Items given more than once (same format, source id and version) and merged.
    duplicates: int = 0

    @property
    def ok(self) -> bool:
        return not any(n.severity == "error" for n in self.notes)

    @property
    def lossless(self) -> bool:
        """True when every file imported and no source value was left out or rejected."""
        return self.ok and not any(n.code in LOSSES for n in self.notes)

    def counts(self) -> dict[str, int]:
        """How many documents, products and parties this import wrote (before any merge)."""
        return {k: len(self.dossier.get(k, [])) for k in ("documents", "products", "parties")}

    @property
    def unmapped(self) -> tuple[ImportNote, ...]:
        """The loss list: source fields that found no home (empty when the import is lossless)."""
        return tuple(n for n in self.notes if n.code == "GT-IMPORT-001")

    def to_json(self) -> str:
        return json.dumps(self.dossier, indent=2, ensure_ascii=False) + "\n"


def pointer(path: Sequence[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def decode_json(raw: bytes, name: str) -> Any:
    """Parse JSON bytes in UTF-8 (with or without BOM) or UTF-16 (as Battery Pass publishes),
    through greentrade's one strict reader (no duplicate keys, NaN, huge integers or lone
    surrogates; each error one line with the file and the position)."""
    try:
        return parse_json(raw, name, utf16=True)
    except InputError as exc:
        raise ImportError_(str(exc)) from None


def read_source(source: str | Path | bytes | Mapping[str, Any] | list[Any] | Document, name: str | None = None
                ) -> tuple[Any, str]:
    """(parsed JSON, display name) for a path, raw bytes, a `Document` the command line read
    through the one reader, or already-parsed data."""
    if isinstance(source, Document):
        return source.data, name or source.name
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            raw = read_bytes(path)  # a regular file within the input limit: never a FIFO or a device
        except InputError as exc:
            raise ImportError_(str(exc)) from None
        return decode_json(raw, name or path.name), name or path.name
    if isinstance(source, bytes | bytearray):
        label = name or "<bytes>"
        return decode_json(bytes(source), label), label
    return source, name or "<data>"


def bundled_schema(filename: str) -> Any:
    """A format's published JSON Schema shipped with greentrade (never fetched)."""
    raw = resources.files("greentrade.importers").joinpath("schemas", filename).read_bytes()
    return decode_json(raw, filename)


def schema_notes(data: Any, schema: Mapping[str, Any], file: str, what: str) -> list[ImportNote]:
    """Errors of `data` against a format's published schema, as error notes with pointers."""
    import jsonschema  # the core depends on it; imported here to keep module import light

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
    notes = []
    for err in sorted(cls(schema).iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        msg = err.message if len(err.message) <= 300 else err.message[:297] + "..."
        notes.append(ImportNote("GT-IMPORT-003", "error", f"does not conform to the {what} schema: {msg}",
                                file, pointer(list(err.absolute_path))))
    return notes


class _Taken(set[str]):
    """The pointers taken, and every pointer above one (kept as they are added: linear in the file)."""

    def __init__(self) -> None:
        super().__init__()
        self.ancestors: set[str] = set()

    def add(self, p: str) -> None:
        super().add(p)
        while p and p not in self.ancestors:
            self.ancestors.add(p)
            p = p[: p.rfind("/")] if "/" in p else ""


class Source:
    """A source file's JSON, read through `take` so that every value used is recorded."""

    def __init__(self, data: Any, file: str, notes: list[ImportNote]) -> None:
        self.data = data
        self.file = file
        self.notes = notes
        self._taken = _Taken()
        #: Why a field stays in the loss list (pointer -> reason), for its GT-IMPORT-001 note.
        self.reasons: dict[str, str] = {}

    # -- reading ---------------------------------------------------------------------------------
    def at(self, path: Sequence[str | int], default: Any = _MISSING) -> Any:
        node = self.data
        for part in path:
            in_map = isinstance(node, Mapping) and isinstance(part, str) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
            if in_map or in_list:
                node = node[part]
            else:
                return None if default is _MISSING else default
        return node

    def take(self, path: Sequence[str | int]) -> Any:
        """The value at `path` (None when absent or null), recorded as used."""
        value = self.at(path)
        if value is not None:
            self._taken.add(pointer(path))
        return value

    def mark(self, path: Sequence[str | int]) -> None:
        """Record `path` as used (its value was read another way, e.g. by a format library)."""
        if self.at(path) is not None:
            self._taken.add(pointer(path))

    def text(self, path: Sequence[str | int]) -> str | None:
        value = self.at(path)
        if isinstance(value, str) and value.strip():
            return self.take(path)  # type: ignore[no-any-return]
        return None

    def number(self, path: Sequence[str | int]) -> float | None:
        """A number, also from a decimal string (PACT); sentinels are rejected with a warning."""
        value = self.at(path)
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, str):
            if not re.fullmatch(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*", value):
                self.warn("GT-IMPORT-004", f"{value!r} is not a number: not imported", path)
                return None
            number: float = float(value)
            if number.is_integer() and re.fullmatch(r"\s*[+-]?[0-9]+\s*", value):
                number = int(value)
        elif isinstance(value, int | float):
            number = value
        else:
            self.warn("GT-IMPORT-004", f"expected a number, got {type(value).__name__}: not imported", path)
            return None
        if not math.isfinite(number) or abs(number) >= SENTINEL_MAGNITUDE:
            self._taken.add(pointer(path))  # reported as rejected, not as unmapped
            self.warn("GT-IMPORT-002",
                      f"{value!r} is a placeholder (sentinel) value, not a measurement: rejected; the "
                      "field stays missing", path)
            return None
        self._taken.add(pointer(path))
        return number

    def date(self, path: Sequence[str | int]) -> dt.date | None:
        """The calendar date of an ISO 8601 date or date-time (as written, without time zone shift)."""
        value = self.at(path)
        if value is None:
            return None
        if isinstance(value, str):
            m = re.match(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:$|[T ])", value.strip())
            if m:
                try:
                    day = dt.date.fromisoformat(m.group(1))
                except ValueError:
                    pass
                else:
                    self._taken.add(pointer(path))
                    return day
        self.warn("GT-IMPORT-004", f"{value!r} is not an ISO 8601 date: not imported", path)
        return None

    def end_date(self, path: Sequence[str | int], *, exclusive: bool) -> dt.date | None:
        """The last day a period covers, from the end the source states.

        A time stamp at midnight (``2024-01-01T00:00:00Z``) ends the period before that day
        starts, whether the source counts its ends as exclusive or inclusive: the last day is the
        day before. A date without a time is the last day when the source's ends are inclusive,
        the day after it when they are exclusive (PACT). Any other time stamp ends within its
        own day (written as is, no time-zone shift).
        """
        day = self.date(path)
        value = self.at(path)
        if day is None or not isinstance(value, str):
            return day
        rest = value.strip()[10:]
        if re.fullmatch(r"[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?", rest) or (not rest and exclusive):
            return day - dt.timedelta(days=1)
        return day

    def boolean(self, path: Sequence[str | int]) -> bool | None:
        value = self.at(path)
        if isinstance(value, bool):
            self._taken.add(pointer(path))
            return value
        if value is not None:
            self.warn("GT-IMPORT-004", f"expected true or false, got {value!r}: not imported", path)
        return None

    # -- notes -----------------------------------------------------------------------------------
    def warn(self, code: str, message: str, path: Sequence[str | int]) -> None:
        self.notes.append(ImportNote(code, "warning", message, self.file, pointer(path)))

    def info(self, code: str, message: str, path: Sequence[str | int]) -> None:
        self.notes.append(ImportNote(code, "info", message, self.file, pointer(path)))

    def leave(self, path: Sequence[str | int], reason: str) -> None:
        """Keep `path` in the loss list, saying why (its GT-IMPORT-001 note gives the reason)."""
        p = pointer(path)
        self._taken.discard(p)
        self.reasons[p] = reason

    def loss_notes(self, lost: Sequence[str], where: str) -> None:
        """One GT-IMPORT-001 info note per unmapped pointer, with its reason when one is known."""
        for q in lost:
            why = self.reasons.get(q) or next((r for k, r in self.reasons.items() if k.startswith(q + "/")), None)
            text = f"{why}; no home in the dossier ({where}): not imported" if why else \
                f"no home in the dossier ({where}): not imported"
            self.notes.append(ImportNote("GT-IMPORT-001", "info", text, self.file, q))

    def unmapped(self, root: Sequence[str | int] = ()) -> list[str]:
        """Pointers of values under `root` that were never taken (whole untouched subtrees as one)."""
        taken = self._taken
        out: list[str] = []
        ancestors = taken.ancestors

        def touched(p: str) -> bool:
            return p in ancestors

        def walk(node: Any, path: list[str | int]) -> None:
            p = pointer(path)
            if p in taken:
                return
            if isinstance(node, Mapping) and node:
                if not touched(p) and path:
                    out.append(p)
                    return
                for k, v in node.items():
                    walk(v, [*path, k])
            elif isinstance(node, list) and node:
                if not touched(p) and path:
                    out.append(p)
                    return
                for i, v in enumerate(node):
                    walk(v, [*path, i])
            elif node is None or node == [] or node == {}:
                return  # nothing stated
            else:
                out.append(p)

        walk(self.at(root), list(root))
        return out


Importer = Callable[..., ImportResult]


def iter_items(data: Any) -> Iterator[tuple[list[str | int], Any]]:
    """The items of a file: one object, a list of objects, or an envelope: a PACT API response
    ``{"data": [...]}`` or ``{"data": {...}}``, or a CloudEvents event whose ``data.pfs`` is the list."""
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield [i], item
        return
    if isinstance(data, Mapping) and "data" in data:
        inner = data["data"]
        if isinstance(data.get("specversion"), str) and isinstance(inner, Mapping) \
                and isinstance(inner.get("pfs"), list):  # CloudEvents (PACT events)
            for i, item in enumerate(inner["pfs"]):
                yield ["data", "pfs", i], item
            return
        if set(data) <= {"data", "links", "meta"}:
            if isinstance(inner, list):
                for i, item in enumerate(inner):
                    yield ["data", i], item
                return
            if isinstance(inner, Mapping):
                yield ["data"], inner
                return
    yield [], data


