"""Rewrite a format-1 dossier as format 2 (``greentrade migrate``).

Format 2 is a superset of format 1 but for one key: every other format-1 key keeps its place
and meaning. The migration changes the value of ``format`` and writes each accreditation's flag
``iaf_mla_signatory`` as ``arrangement`` in its place: true becomes ``"IAF MLA"`` for the standards
the IAF MLA covers (ISO/IEC 17065, 17021-1, 17029, ISO 14065, and standards the core does not
know), false becomes null. True on a testing laboratory's (ISO/IEC 17025) or inspection body's
(ISO/IEC 17020) accreditation is a category error (those are recognised under the ILAC MRA, which
format 1 cannot state): it becomes null, never "ILAC MRA" (the flag does not say that), and the
migration says so in its notes. It is checked, not assumed: the input must be a valid format-1
dossier, and the entities built from the output must equal those built from the input but for
those nulled marks. Key order and other values are kept as they are.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import attrs

from greentrade._files import write_atomic
from greentrade.errors import DossierReadError, MigrationError
from greentrade.io._read import read
from greentrade.io._schemas import validator
from greentrade.model import Dossier, _convert
from greentrade.model._parties import arrangement_for
from greentrade.model._standards import StandardDesignator

__all__ = ["FORMAT_1", "FORMAT_2", "MigrationError", "migrate", "migrate_text"]

FORMAT_1 = "greentrade.dossier/1"
FORMAT_2 = "greentrade.dossier/2"


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _arrangement(acc: dict[str, Any], where: str, notes: list[str]) -> dict[str, Any]:
    """A format-1 accreditation with its flag written as format 2's arrangement, in place."""
    expected = arrangement_for(StandardDesignator.parse(acc["standard"], lenient=True))
    out: dict[str, Any] = {}
    for k, v in acc.items():
        if k != "iaf_mla_signatory":
            out[k] = v
        elif v is True and expected == "ILAC MRA":
            out["arrangement"] = None
            notes.append(
                f"{where}: iaf_mla_signatory was true on an accreditation to {acc['standard']}; "
                "testing laboratories and inspection bodies are recognised under the ILAC MRA, not "
                "the IAF MLA, so the flag states neither: arrangement is null. Set it to \"ILAC MRA\" "
                "if the accreditation body signs the ILAC MRA for this scope."
            )
        else:
            out["arrangement"] = "IAF MLA" if v is True else None
    return out


def _expected_entities(before: Dossier) -> Dossier:
    """The format-1 entities as the migration means to carry them: marks that are category errors
    dropped."""
    parties = tuple(
        attrs.evolve(p, accreditations=tuple(
            attrs.evolve(a, arrangement=None) if a.arrangement_mismatch else a for a in p.accreditations))
        for p in before.parties
    )
    return attrs.evolve(before, format=FORMAT_2, parties=parties)


def migrate(source: Any, notes: list[str] | None = None) -> dict[str, Any]:
    """Return the format-2 dossier for a format-1 dossier (bytes, text, a path or parsed JSON).

    A format-2 dossier is returned unchanged. What the migration could not carry over as written
    (an IAF MLA flag on a laboratory's accreditation) is appended to `notes` when given. Raises
    `MigrationError` for a dossier that is not valid, and `DossierReadError` for input that is not
    a JSON object.
    """
    notes = [] if notes is None else notes
    data, _digest = read(source)
    if not isinstance(data, dict):
        raise DossierReadError("not a dossier: the top-level JSON value is not an object")
    fmt = data.get("format")
    if fmt == FORMAT_2:
        return data
    if fmt != FORMAT_1:
        raise MigrationError(f"format {fmt!r} is not {FORMAT_1!r}: nothing to migrate")
    # At most 20 are shown: the explanation stops there (bounded work for a huge invalid input).
    errors = sorted(itertools.islice(validator("dossier").iter_errors(data), 20),
                    key=lambda e: list(map(str, e.absolute_path)))
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
    if isinstance(out.get("parties"), list):
        out["parties"] = [
            {**p, "accreditations": [
                _arrangement(a, f"/parties/{i}/accreditations/{j}", notes) for j, a in enumerate(p["accreditations"])
            ]} if "accreditations" in p else p
            for i, p in enumerate(out["parties"])
        ]
    after = _convert.structure({k: v for k, v in out.items() if k != "$schema"}, Dossier)
    if not validator("dossier").is_valid(out) or _expected_entities(before) != after:
        raise MigrationError("migration would change the dossier's content")  # pragma: no cover - guard
    return out


def migrate_text(source: Any, notes: list[str] | None = None) -> str:
    """`migrate`, written as indented JSON text ending in a newline."""
    return json.dumps(migrate(source, notes), indent=2, ensure_ascii=False) + "\n"


def migrate_file(path: str | Path, output: str | Path | None = None, notes: list[str] | None = None) -> str:
    """Migrate the dossier at `path`; write it to `output` when given, and return the text."""
    text = migrate_text(Path(path), notes)
    if output is not None:  # through the one writer: atomic, and never half a file
        write_atomic(output, text.encode("utf-8"))
    return text
