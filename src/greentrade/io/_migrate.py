"""Rewrite a format-1 dossier as format 2 (``greentrade migrate``).

Format 2 is a superset of format 1: every format-1 key keeps its place and meaning, so the
migration changes only the value of ``format``. It is checked, not assumed: the input must be a
valid format-1 dossier, and the entities built from the output must equal those built from the
input. Key order and values are kept as they are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs

from greentrade.errors import DossierReadError, MigrationError
from greentrade.io._read import read
from greentrade.io._schemas import validator
from greentrade.model import Dossier, _convert

__all__ = ["FORMAT_1", "FORMAT_2", "MigrationError", "migrate", "migrate_text"]

FORMAT_1 = "greentrade.dossier/1"
FORMAT_2 = "greentrade.dossier/2"


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def migrate(source: Any) -> dict[str, Any]:
    """Return the format-2 dossier for a format-1 dossier (bytes, text, a path or parsed JSON).

    A format-2 dossier is returned unchanged. Raises `MigrationError` for a dossier that is not
    valid, and `DossierReadError` for input that is not a JSON object.
    """
    data, _digest = read(source)
    if not isinstance(data, dict):
        raise DossierReadError("not a dossier: the top-level JSON value is not an object")
    fmt = data.get("format")
    if fmt == FORMAT_2:
        return data
    if fmt != FORMAT_1:
        raise MigrationError(f"format {fmt!r} is not {FORMAT_1!r}: nothing to migrate")
    errors = sorted(validator("dossier").iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise MigrationError(
            "the dossier is not a valid format-1 dossier; fix it first (greentrade validate)",
            tuple(f"{_pointer(e.absolute_path) or '/'}: {e.message}" for e in errors[:20]),
        )
    payload = {k: v for k, v in data.items() if k != "$schema"}
    try:
        before = _convert.structure(payload, Dossier)
    except Exception as exc:
        raise MigrationError(f"the dossier is not a valid format-1 dossier: {exc}") from None
    out = {k: (FORMAT_2 if k == "format" else v) for k, v in data.items()}
    after = _convert.structure({k: v for k, v in out.items() if k != "$schema"}, Dossier)
    if not validator("dossier").is_valid(out) or attrs.evolve(before, format=FORMAT_2) != after:
        raise MigrationError("migration would change the dossier's content")  # pragma: no cover - guard
    return out


def migrate_text(source: Any) -> str:
    """`migrate`, written as indented JSON text ending in a newline."""
    return json.dumps(migrate(source), indent=2, ensure_ascii=False) + "\n"


def migrate_file(path: str | Path, output: str | Path | None = None) -> str:
    """Migrate the dossier at `path`; write it to `output` when given, and return the text."""
    text = migrate_text(Path(path))
    if output is not None:
        Path(output).write_text(text, encoding="utf-8")
    return text
