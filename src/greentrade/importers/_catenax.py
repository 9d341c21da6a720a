"""Catena-X PCF aspects. The data-model version is read from the file's ``specVersion`` URN
(``urn:io.catenax.pcf:datamodel:version:9.0.0``, top level or in ``scopeOfPcfForm``); files of
data models 4.0.0-6.0.0 state only the PACT version they follow, so their data-model version is
not stated and stays missing. Validated against the published schema where greentrade ships it.
"""

from __future__ import annotations

from collections.abc import Mapping

from greentrade.importers._base import ImportError_, ImportNote, Source, bundled_schema, pointer, schema_notes
from greentrade.importers._builder import Builder
from greentrade.importers._detect import catenax_version, looks_like, refusal
from greentrade.importers._pcf import map_footprint

__all__ = ["SCHEMAS", "map_catenax"]

Path_ = list[str | int]
#: Published schemas shipped with greentrade (CC-BY-4.0), by data-model version.
SCHEMAS = {"8.0.0": "catenax-pcf-8.0.0.schema.json", "9.0.0": "catenax-pcf-9.0.0.schema.json"}
SUPPORTED = ("7", "8", "9", "10")


def map_catenax(src: Source, root: Path_, b: Builder) -> None:
    data = src.at(root)
    if not isinstance(data, Mapping):
        raise ImportError_("not a Catena-X PCF (not an object)")
    other = refusal(data, "catenax-pcf")
    if other:
        seen = looks_like(data)
        if seen and seen[0] == "pact" and (seen[1] or "").startswith("1."):
            raise ImportError_(f"this file has the layout of PACT 1.x (specVersion {seen[1]!r}), which Catena-X PCF "
                               "2.0.0 and 3.0.0 also use; greentrade reads neither")
        raise ImportError_(other)
    if looks_like(data) is None:
        raise ImportError_("not a Catena-X PCF: no data-model URN in specVersion and no Catena-X field")
    version = catenax_version(data)
    spec_paths: list[Path_] = [["specVersion"], ["specVersion", 0], ["scopeOfPcfForm", 0, "specVersion"]]
    stated = data.get("specVersion")
    if version is None and (not isinstance(stated, str) or "companyAndProductInformation" in data):
        raise ImportError_("the file states no Catena-X data-model version (specVersion "
                           f"{stated!r}): the version is not guessed from the layout")
    if version is None:
        src.notes.append(ImportNote(
            "GT-IMPORT-006", "info",
            f"the file states no Catena-X data-model version (specVersion {stated!r} names the PACT "
            "specification it follows, as data models 4.0.0-6.0.0 write it): read by field name like 7.0.0, "
            "without schema validation; source.version left empty", src.file, pointer([*root, "specVersion"])))
        src.leave([*root, "specVersion"], "the PACT version the file follows, not its Catena-X data-model version")
        map_footprint(src, root, b, "catenax-pcf", None, exclusive=False)
        return
    if version.split(".")[0] not in SUPPORTED:
        raise ImportError_(f"Catena-X PCF data model {version} is not supported (7.x to 10.x are)")
    schema_file = SCHEMAS.get(version)
    if schema_file:
        errors = schema_notes(data, bundled_schema(schema_file), src.file, f"Catena-X PCF {version}")
        if errors:
            src.notes.extend(errors)
            return
    else:
        src.notes.append(ImportNote("GT-IMPORT-006", "info",
                                    f"greentrade does not ship the published schema of Catena-X PCF {version}: "
                                    "read by field name without schema validation", src.file))
    for p in spec_paths:
        src.mark([*root, *p])
    map_footprint(src, root, b, "catenax-pcf", version, exclusive=False)
