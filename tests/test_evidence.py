"""Evidence helpers (greentrade.plugin): the index of what documents cover, model names,
standard satisfaction, pointer escaping; and assess and the TENDER rules agreeing on what
satisfies a required standard."""

from __future__ import annotations

import datetime as dt

import pytest

from greentrade import CatalogEntry, Citation, Document, Dossier, Product, StandardDesignator
from greentrade.model import CoveredProduct, Party, Site
from greentrade.plugin import (
    EvidenceIndex,
    models_match,
    pointer_escape,
    pointer_join,
    satisfies,
    standard_match,
)
from greentrade.readiness._requirements import Ctx, _edition_gap
from greentrade.rules._catalog import Catalog

S = StandardDesignator.parse
CITE = Citation(authority="test", title="test", reference="tests/test_evidence.py")
CATALOG = Catalog([
    CatalogEntry(S("ISO 14067:2018"), "Carbon footprint of products", CITE, superseded=(S("ISO/TS 14067:2013"),)),
    CatalogEntry(S("GB/T 33761-2024"), "Green product evaluation", CITE, superseded=(S("GB/T 33761-2017"),)),
    CatalogEntry(S("EN 15804:2012+A2:2019"), "EPD core rules", CITE, superseded=(S("EN 15804:2012+A1:2013"),)),
])


def _product(pid: str, site: str | None = "s1") -> Product:
    return Product(id=pid, model=f"M-{pid}", name=pid, category="c", hs_code="940541", manufacturer="m",
                   manufacturing_site=site)


def _doc(did: str, type: str = "certificate", products: tuple[str, ...] = (), sites: tuple[str, ...] = (),
         standards: tuple[str, ...] = ("ISO 14067:2018",)) -> Document:
    return Document(id=did, type=type, standards=tuple(S(s) for s in standards), issuer="i", holder="m",  # type: ignore[arg-type]
                    issue_date=dt.date(2026, 1, 1), status="valid",
                    products=tuple(CoveredProduct(p) for p in products), sites=sites)


@pytest.mark.parametrize(("want", "have", "verdict"), [
    ("ISO 14067:2018", "ISO 14067:2018", "satisfies"),
    ("ISO 14067", "ISO 14067:2018", "satisfies"),
    ("ISO 14067", "ISO/TS 14067:2013", "superseded"),
    ("ISO 14067:2018", "ISO/TS 14067:2013", "superseded"),
    ("GB/T 33761", "GB/T 33761-2017", "superseded"),
    ("GB/T 33761-2017", "GB/T 33761-2024", "other-edition"),
    ("GB/T 33761-2017", "GB/T 33761-2017", "satisfies"),
    ("ISO 14067:2018", "ISO 14067", "undated"),
    ("EN 15804:2012+A2:2019", "EN 15804:2012+A1:2013", "superseded"),
    ("EN 15804:2012+A2:2019", "EN 15804:2012", "other-edition"),
    ("ISO 14067:2018", "ISO 50001:2018", "other-standard"),
])
def test_standard_match(want: str, have: str, verdict: str) -> None:
    assert standard_match(S(want), S(have), CATALOG).verdict == verdict


@pytest.mark.parametrize("want", ["ISO 14067:2018", "ISO 14067", "GB/T 33761", "GB/T 33761-2017",
                                  "EN 15804:2012+A2:2019", "ISO 50001"])
@pytest.mark.parametrize("have", ["ISO 14067:2018", "ISO 14067", "ISO/TS 14067:2013", "GB/T 33761-2024",
                                  "GB/T 33761-2017", "EN 15804:2012+A1:2013", "EN 15804:2012+A2:2019",
                                  "ISO 50001:2011", "ISO 50001:2018"])
def test_assess_and_tender_agree(want: str, have: str) -> None:
    """The TENDER rules count a document when `satisfies` says so; assess leaves no standard gap
    for exactly the same pairs (before #11 they disagreed, e.g. on GB/T 33761-2024 for a
    request of GB/T 33761-2017, and on superseded editions for an undated request)."""
    doc = _doc("D", standards=(have,))
    ctx = Ctx(Dossier(documents=(doc,)), CATALOG, dt.date(2026, 7, 1))
    tender_ok = satisfies([S(want)], doc.standards, CATALOG)
    related = standard_match(S(want), S(have), CATALOG).related
    assess_ok = related and _edition_gap(ctx, doc, S(want), S(have)) is None
    assert tender_ok == assess_ok


def test_index_covers_names_and_sites_in_dossier_order() -> None:
    p, q = _product("P"), _product("Q", site=None)
    d1 = _doc("D1", products=("Q", "P"))
    d2 = _doc("D2", type="factory-audit", sites=("s1",))
    d3 = _doc("D3", type="test-report", sites=("s1",))  # not a site type: lists the site, covers nothing
    d4 = _doc("D4", products=("P",), sites=("s2",))
    party = Party(id="m", name="Maker", country="CN", roles=("manufacturer",),  # type: ignore[arg-type]
                  sites=(Site(id="s1", name="Plant", country="CN"),))
    index = EvidenceIndex(Dossier(parties=(party,), products=(p, q), documents=(d1, d2, d3, d4)))
    assert index.covering(p) == (d1, d2, d4)
    assert index.covering(p, "certificate") == (d1, d4)
    assert index.covering(q) == (d1,)
    assert index.related(p) == (d1, d2, d3, d4)
    assert index.listing("P") == (d1, d4)
    assert index.entry(d1, "P") == CoveredProduct("P")
    assert index.entry(d2, "P") is None
    assert index.covers(d2, p) and not index.covers(d3, p)
    assert index.site_owner("s1") == "m" and index.site_owner("s9") is None
    foreign = _doc("D1", products=("P",))  # not part of the dossier: answered by scanning it
    assert index.entry(foreign, "P") == CoveredProduct("P")


def test_models_match_one_normalisation() -> None:
    assert models_match("HG-SSL 60", "hg-ssl60")
    assert models_match(" HG-SSL-60\t", "HG-SSL-60")
    assert not models_match("HG-SSL-60", "HG-SSL-100")


def test_pointer_escaping() -> None:
    assert pointer_escape("a/b~c") == "a~1b~0c"
    assert pointer_join("specs", 0, "~1") == "/specs/0/~01"
