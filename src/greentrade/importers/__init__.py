"""Importers: carbon-footprint and EPD exchange formats into a format-2 dossier.

One function per format, each taking files (paths, bytes or parsed JSON) and returning an
`ImportResult`: the dossier as JSON-compatible data, and notes. Nothing is invented: what the
source does not state stays missing unless the user gives it in `ImportOptions`; every source
field without a home in the dossier is an info note (``GT-IMPORT-001``) with its JSON Pointer,
and is kept in the document's ``source.unmapped``.

    >>> from greentrade.importers import import_catenax
    >>> result = import_catenax("Pcf-8.0.0.json")          # doctest: +SKIP
    >>> result.dossier["documents"][0]["carbon_footprint"]   # doctest: +SKIP

Plugins add formats through the entry-point group ``greentrade.importers``: each entry point
names a callable with the signature of these functions (``(*sources, options=None)``).

Note codes: GT-IMPORT-001 field without a home (info), GT-IMPORT-002 sentinel value rejected
(warning), GT-IMPORT-003 input does not conform to the format's schema (error, file not imported),
GT-IMPORT-004 value not imported (warning), GT-IMPORT-005 value the user must add (info),
GT-IMPORT-006 about the input (info), GT-IMPORT-007 file not imported (error).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from greentrade.importers._base import (
    ImportError_,
    ImportNote,
    ImportOptions,
    ImportResult,
    Source,
    iter_items,
    pointer,
    read_source,
)
from greentrade.importers._battery import map_batterypass
from greentrade.importers._builder import Builder
from greentrade.importers._catenax import map_catenax
from greentrade.importers._epd import map_openepd, openepd_orgs
from greentrade.importers._guard import check
from greentrade.importers._ilcd import map_ilcd
from greentrade.importers._merge import merge
from greentrade.importers._pact import map_pact

__all__ = [
    "ENTRY_POINT_GROUP",
    "ImportNote",
    "ImportOptions",
    "ImportResult",
    "import_batterypass",
    "import_catenax",
    "import_ilcd",
    "import_openepd",
    "import_pact",
    "importers",
    "merge",
]

ENTRY_POINT_GROUP = "greentrade.importers"
SourceArg = str | Path | bytes | Mapping[str, Any] | list[Any]


def _read_all(sources: Iterable[SourceArg], notes: list[ImportNote]) -> list[Source]:
    out = []
    for s in sources:
        try:
            data, name = read_source(s)
        except ImportError_ as exc:
            name = Path(s).name if isinstance(s, str | Path) else ""
            text = str(exc).removeprefix(f"{name}: ") if name else str(exc)
            if isinstance(s, str | Path):  # the note names the file: the message does not repeat it
                text = text.replace(repr(str(Path(s))), "the file")
            notes.append(ImportNote("GT-IMPORT-007", "error", f"not imported: {text}", name))
            continue
        out.append(Source(data, name, notes))
    return out


def _run(sources: Iterable[SourceArg], options: ImportOptions | None,
         each: Callable[[Source, list[str | int], Builder], None], *, items: bool = True,
         order: Callable[[Source], int] | None = None,
         keep: Callable[[Source], bool] | None = None) -> ImportResult:
    notes: list[ImportNote] = []
    builder = Builder(options or ImportOptions())
    read = [s for s in _read_all(sources, notes) if keep is None or keep(s)]
    if order is not None:
        read.sort(key=order)
    for src in read:
        roots = [r for r, _ in iter_items(src.data)] if items else [[]]
        for root in roots:
            try:
                each(src, root, builder)
            except ImportError_ as exc:
                notes.append(ImportNote("GT-IMPORT-007", "error", f"not imported: {exc}", src.file, pointer(root)))
            except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
                # A structure no mapping foresaw: the file is reported, never a traceback.
                notes.append(ImportNote(
                    "GT-IMPORT-007", "error",
                    f"not imported: the file's structure is not what this format's importer reads "
                    f"({type(exc).__name__}: {exc})", src.file, pointer(root)))
    dossier, more = builder.finish()
    notes.extend(more)
    check(dossier, notes, builder.origin)
    return ImportResult(dossier, tuple(notes), duplicates=builder.duplicates)


def import_pact(*sources: SourceArg, options: ImportOptions | None = None) -> ImportResult:
    """PACT ProductFootprints (Technical Specifications 2.x and 3.x): one footprint per file, a list
    of them, an API response ``{"data": [...]}`` or ``{"data": {...}}``, or a CloudEvents event
    whose ``data.pfs`` lists them."""
    return _run(sources, options, map_pact)


def import_catenax(*sources: SourceArg, options: ImportOptions | None = None) -> ImportResult:
    """Catena-X PCF aspects (data models 7 and 8: flat; 9 and 10: nested; 4-6: flat, version not
    stated), validated against the published schema of versions 8.0.0 and 9.0.0 (shipped)."""
    return _run(sources, options, map_catenax)


def import_openepd(*sources: SourceArg, options: ImportOptions | None = None) -> ImportResult:
    """openEPD EPDs, checked with the ``openepd`` package (extra ``greentrade[openepd]``). openEPD Org
    files given alongside (e.g. manufacturer.json) supply the names of the organisations."""
    orgs: dict[str, Mapping[str, Any]] = {}

    def keep(src: Source) -> bool:
        found = openepd_orgs(src.data)
        orgs.update(found)
        return not found

    return _run(sources, options, lambda s, r, b: map_openepd(s, r, b, orgs), keep=keep)


def import_ilcd(*sources: SourceArg, options: ImportOptions | None = None) -> ImportResult:
    """ILCD+EPD process data sets in their JSON form (as soda4LCA and Ökobaudat serve them)."""
    return _run(sources, options, map_ilcd, items=False)


def import_batterypass(*sources: SourceArg, options: ImportOptions | None = None) -> ImportResult:
    """Battery Pass aspects: CarbonFootprint (validated against the published 1.2.0 schema) and
    GeneralProductInformation (the product the footprint belongs to); UTF-8 or UTF-16."""
    products: list[str] = []

    def general_first(src: Source) -> int:
        return 0 if isinstance(src.data, Mapping) and "productIdentifier" in src.data else 1

    return _run(sources, options, lambda s, r, b: map_batterypass(s, r, b, products), items=False,
                order=general_first)


_BUILTIN: dict[str, Callable[..., ImportResult]] = {
    "pact": import_pact,
    "catenax": import_catenax,
    "openepd": import_openepd,
    "ilcd": import_ilcd,
    "batterypass": import_batterypass,
}


def importers() -> dict[str, Callable[..., ImportResult]]:
    """Every importer by format name: the built-in ones and those of the ``greentrade.importers``
    entry points (a plugin's name does not replace a built-in one)."""
    found = dict(_BUILTIN)
    for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if ep.name not in found:
            found[ep.name] = _lazy(ep)
    return found


def _lazy(ep: metadata.EntryPoint) -> Callable[..., ImportResult]:
    def run(*sources: SourceArg, options: ImportOptions | None = None) -> ImportResult:
        fn = ep.load()
        result = fn(*sources, options=options)
        if not isinstance(result, ImportResult):
            raise TypeError(f"importer {ep.name!r} ({ep.value}) returned {type(result).__name__}, "
                            "not an ImportResult")
        return result

    return run

