"""A citation or reference a user sees names a publication, never a repository or file path
(#19): categories (Engine.categories, GET /v1/categories), every rule's citation (core and
plugins; GET /v1/rules, report `rules`), programs, the standards catalog (GET /v1/standards),
buyer profiles, the core's adoptions and the reference data rules read (ctx.reference)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from greentrade import Engine
from greentrade.io._datarules import CORE_RULES
from greentrade.rules import Citation
from greentrade.rules._adoptions import adoptions

_URL = re.compile(r"https?://\S+")
_PATH = re.compile(
    r"(?<![\w.])\.\.?/"  # ../shared, ./data
    r"|(?<![\w./])(?:src|plugins|docs|tests|examples|shared|sources|data|schemas)/"  # repository folders
    r"|\b[\w-]+\.(?:json|csv|txt|py|md|toml|ya?ml)\b"  # file names
)


def path_in(text: str) -> str | None:
    """The first path-like part of `text` outside URLs, or None."""
    m = _PATH.search(_URL.sub(" ", text))
    return m.group(0) if m else None


@pytest.mark.parametrize(("text", "found"), [
    ("HS 2022, src/greentrade/data/hs2022.csv", "src/"),
    ("see ../shared/sources/000_60baef12698023c7.txt", "../"),
    ("000_60baef12698023c7.txt", "000_60baef12698023c7.txt"),
    ("https://greentrade.dev/schemas/v1/dossier.schema.json", None),
    ("ISO/IEC 17065:2012; GB/T 33761-2024; EN 15804:2012+A2:2019", None),
    ("Regulation (EU) 2023/1542, Article 7(1)", None),
])
def test_the_detector(text, found):
    assert path_in(text) == found


def _citations(obj: Any, where: str) -> Iterator[tuple[str, Citation]]:
    if isinstance(obj, Citation):
        yield where, obj
    elif attrs.has(type(obj)):
        for a in attrs.fields(type(obj)):
            yield from _citations(getattr(obj, a.name), f"{where}.{a.name}")
    elif isinstance(obj, tuple | list):
        for i, x in enumerate(obj):
            yield from _citations(x, f"{where}[{i}]")


def _strings(obj: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(obj, str):
        yield where, obj
    elif isinstance(obj, dict) or hasattr(obj, "items"):
        for k, v in obj.items():
            yield from _strings(v, f"{where}/{k}")
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            yield from _strings(v, f"{where}/{i}")


def _public(engine: Engine) -> Iterator[tuple[str, str]]:
    sources: list[tuple[str, Any]] = [
        *((f"rule {r.id}", r) for r in engine.rules),
        *((f"core rule {r.id}", r) for r in CORE_RULES.values()),
        *((f"category {c.id}", c) for c in engine.categories),
        *((f"program {p.id}", p) for p in engine.programs),
        *((f"catalog {e.program}:{e.designator}", e) for e in engine.catalog),
        *((f"profile {p.id}", p) for p in engine.profiles),
        *((f"adoption {a.designator}", a) for a in adoptions()),
    ]
    for name, obj in sources:
        for where, c in _citations(obj, name):
            for field in ("authority", "title", "reference", "note"):
                value = getattr(c, field)
                if value:
                    yield f"{where}.{field}", value
    for c in engine.categories:
        yield f"category {c.id}.title", c.title
    for name, data in engine.reference.items():
        yield from _strings(data, f"reference {name}")


def test_no_public_citation_names_a_path():
    engine = Engine()
    engine.load_entry_points()
    found = [(where, hit, text) for where, text in _public(engine) if (hit := path_in(text))]
    assert not found, "\n".join(f"{w}: {h!r} in {t[:160]!r}" for w, h, t in found)


def test_no_server_listing_names_a_path():
    pytest.importorskip("starlette")
    from greentrade.server._openapi import listings

    engine = Engine()
    engine.load_entry_points()
    found = [(w, h) for w, t in _strings(listings(engine), "")
             if ("/citation/" in w or w.endswith("/reference")) and (h := path_in(t))]
    assert not found, found
