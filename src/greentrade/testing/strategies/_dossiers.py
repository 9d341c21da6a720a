"""Whole dossiers whose references resolve and whose dates make sense, and any JSON value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from greentrade.model import Dossier, Party, Product, Shipment, ShipmentLine
from greentrade.model._convert import unstructure
from greentrade.model._documents import FORMAT1_DOCUMENT_TYPES as DOCUMENT_TYPES
from greentrade.testing.strategies._base import (
    DEFAULT_SHIP_DATES,
    MAX_DATE,
    MIN_DATE,
    Leaves,
    choose,
    core_categories,
    countries,
    currencies,
    day,
    ints,
    leaves_of,
)
from greentrade.testing.strategies._entities import (
    CN_PORTS,
    EXT,
    PCS,
    make_accreditation,
    make_document,
    make_party,
    make_product,
    make_site,
)
from greentrade.testing.strategies._tenders import make_tender


def _pick(draw: st.DrawFn, values: Sequence[str] | None, default: st.SearchStrategy[str]) -> str:
    return choose(draw, values) if values else draw(default)


def dossiers(
    *,
    categories: Sequence[str] | None = None,
    hs: Mapping[str, Sequence[str]] | None = None,
    exporter_countries: Sequence[str] | None = None,
    destination_countries: Sequence[str] | None = None,
    ports: Sequence[str] | None = None,
    ship_dates: tuple[dt.date, dt.date] = DEFAULT_SHIP_DATES,
    min_shipments: int = 1,
    max_shipments: int = 2,
    min_lines: int = 1,
    max_lines: int = 2,
    max_products: int = 2,
    min_documents: int = 0,
    max_documents: int = 2,
    document_types: Sequence[str] | None = None,
    document_statuses: Sequence[str] = ("valid",),
    with_buyer: bool | None = None,
    manufacturing_sites: bool | None = None,
    min_tenders: int = 0,
    max_tenders: int = 1,
    tender_programs: Sequence[str] = (),
    leaves: Leaves | Mapping[str, Any] | None = None,
) -> st.SearchStrategy[Dossier]:
    """Coherent dossiers: every reference resolves, ids are unique, dates make sense.

    Parties: an exporter (from `exporter_countries`, default ``CN``) that is also the
    manufacturer or has one or two manufacturers (with sites); when there are documents, a
    certification body accredited by an accreditation body; a buyer sometimes (`with_buyer`)
    and whenever there is a tender. Products use `categories` (default: the core vocabulary)
    with an HS code typical of the category (or from `hs`, category -> codes), and a
    manufacturing site sometimes (`manufacturing_sites`: True always, False never).
    Documents (`document_types`, `document_statuses`) are issued by the certification body
    (declarations of conformity by a manufacturer) on or before the first ship date, cover a
    subset of the products, and are open-ended or valid until after the last ship date.
    Shipments ship between `ship_dates`, from `ports` (default: Chinese UN/LOCODEs) to
    `destination_countries`, with lines for the products and a subset of the documents.
    Tenders (`min_tenders`, `max_tenders`) offer products, require documents and, with
    `tender_programs`, make promises relying on those programs. `leaves` overrides leaf
    values (ids, names, models, quantities, values, ship dates): see `Leaves`.

    Ids are drawn by index (``P1``, ``PR1``, ...), so failing examples shrink to the fewest
    entities: one party, one product, one shipment. Small by default so that properties run
    fast; raise the ``max_*`` bounds for load tests.
    """
    if not (0 <= min_shipments <= max_shipments and 1 <= min_lines <= max_lines and max_products >= 1):
        raise ValueError("inconsistent bounds for shipments, lines or products")
    if not 0 <= min_documents <= max_documents:
        raise ValueError("inconsistent bounds for documents")
    if not 0 <= min_tenders <= max_tenders:
        raise ValueError("inconsistent bounds for tenders")
    if ship_dates[0] > ship_dates[1]:
        raise ValueError(f"ship_dates {ship_dates[0]} to {ship_dates[1]} is an empty range")
    leaf = leaves_of(leaves)
    cats = list(categories) if categories else core_categories()
    exporter_cs = list(exporter_countries) if exporter_countries else ["CN"]
    dest_cs = list(destination_countries) if destination_countries else None
    port_list = list(ports) if ports else None
    doc_types = list(document_types) if document_types else list(DOCUMENT_TYPES)
    statuses = list(document_statuses)
    programs = list(tender_programs)

    # Shipments are drawn first, as a list of context-free seeds: Hypothesis shrinks a list by
    # deleting elements, so a failing example loses the shipments it does not need.
    line_seed = st.tuples(ints(0, max_products - 1), EXT, leaf.quantity, PCS,
                          st.one_of(st.none(), st.tuples(leaf.value, currencies())))
    ship_seed = st.tuples(
        leaf.ship_date if leaf.ship_date is not None else st.dates(max(ship_dates[0], MIN_DATE),
                                                                   min(ship_dates[1], MAX_DATE)),
        st.sampled_from(dest_cs) if dest_cs else countries(),
        st.sampled_from(port_list) if port_list else CN_PORTS,
        st.lists(line_seed, min_size=min_lines, max_size=max_lines),
        ints(0, 2**max_documents - 1),  # which documents the shipment carries, as bits
    )
    ship_seeds = st.lists(ship_seed, min_size=min_shipments, max_size=max_shipments)

    @st.composite
    def build(draw: st.DrawFn) -> Dossier:
        seeds = draw(ship_seeds)
        days = sorted(seed[0] for seed in seeds)
        first = days[0] if days else ship_dates[0]
        last = days[-1] if days else ship_dates[0]
        n_doc = draw(ints(min_documents, max_documents))
        n_tender = draw(ints(min_tenders, max_tenders))
        n = iter(range(1, 10**6))
        # parties: the exporter makes the products unless drawn otherwise
        exporter_id = draw(leaf.id("P", next(n)))
        separate = draw(ints(0, 2))  # 0: the exporter is the manufacturer
        maker_ids = ([] if separate else [exporter_id]) + [draw(leaf.id("P", next(n))) for _ in range(separate)]
        all_parties: list[Party] = []
        makers: dict[str, Party] = {}
        site_no = iter(range(1, 10**6))
        if exporter_id not in maker_ids:
            all_parties.append(make_party(draw, exporter_id, _pick(draw, exporter_cs, countries()), ["exporter"],
                                          leaves=leaf))
        for mid in maker_ids:
            country = _pick(draw, exporter_cs, countries())
            lo = 1 if manufacturing_sites else 0
            own = [draw(leaf.id("S", next(site_no))) for _ in range(draw(ints(lo, 2)))]
            roles = ["exporter", "manufacturer"] if mid == exporter_id else ["manufacturer"]
            makers[mid] = make_party(draw, mid, country, roles, sites=[make_site(draw, s, country, leaf) for s in own],
                                     leaves=leaf)
            all_parties.append(makers[mid])
        issued_from = max(first - dt.timedelta(days=1500), MIN_DATE)
        cb_id = None
        if n_doc:
            cb_id, ab_id = draw(leaf.id("P", next(n))), draw(leaf.id("P", next(n)))
            acc = attrs.evolve(make_accreditation(draw, ab_id, issued_from, issued_from),
                               valid_until=min(last + dt.timedelta(days=365), MAX_DATE))
            all_parties.append(make_party(draw, cb_id, draw(countries()), ["certification-body"], [acc], leaves=leaf))
            all_parties.append(make_party(draw, ab_id, draw(countries()), ["accreditation-body"], leaves=leaf))
        buyer = bool(n_tender) or (draw(st.booleans()) if with_buyer is None else with_buyer)
        buyer_id = draw(leaf.id("P", next(n))) if buyer else None
        if buyer_id is not None:
            all_parties.append(make_party(draw, buyer_id, _pick(draw, dest_cs, countries()), ["buyer"], leaves=leaf))
        # products
        prods: list[Product] = []
        for i in range(draw(ints(1, max_products))):
            mid = maker_ids[draw(ints(0, len(maker_ids) - 1))]
            own_sites = [s.id for s in makers[mid].sites]
            if manufacturing_sites is False or not own_sites:
                site = None
            elif manufacturing_sites:
                site = own_sites[draw(ints(0, len(own_sites) - 1))]
            else:
                site = choose(draw, [None, *own_sites])
            prods.append(make_product(draw, draw(leaf.id("PR", i + 1)), choose(draw, cats), mid, site, hs,
                                      leaf))
        # documents
        all_sites = [s.id for p in makers.values() for s in p.sites]
        holders = sorted({exporter_id, *maker_ids})
        docs = []
        for i in range(n_doc):
            kind = choose(draw, doc_types)
            issuer = choose(draw, maker_ids) if kind == "declaration-of-conformity" else cb_id
            assert issuer is not None
            until = day(draw, last, last + dt.timedelta(days=1500)) if draw(st.booleans()) else None
            docs.append(make_document(
                draw, id=draw(leaf.id("D", i + 1)), kind=kind, issuer=issuer, holder=choose(draw, holders),
                covers=prods, site_ids=all_sites, issued=day(draw, issued_from, first), valid_until=until,
                status=choose(draw, statuses),
            ))
        doc_ids = [d.id for d in docs]
        # shipments
        ships = []
        for i, (ship_day, destination, port, line_seeds, doc_bits) in enumerate(seeds):
            lines = []
            for j, (k, ext, quantity, unit, priced) in enumerate(line_seeds):
                p = prods[k % len(prods)]
                lines.append(ShipmentLine(
                    id=draw(leaf.id("L", j + 1)), product=p.id, quantity=quantity, unit=unit,
                    hs_code=(p.hs_code or "")[:6] + ext, value=priced[0] if priced else None,
                    currency=priced[1] if priced else None))
            ships.append(Shipment(
                id=draw(leaf.id("SH", i + 1)), exporter=exporter_id, port_of_export=port,
                destination_country=destination, ship_date=ship_day, lines=tuple(lines),
                documents=tuple(d for b, d in enumerate(doc_ids) if doc_bits >> b & 1), buyer=buyer_id))
        tenders = []
        for i in range(n_tender):
            assert buyer_id is not None
            planned = choose(draw, [None, *(s.id for s in ships)])
            tenders.append(make_tender(
                draw, id=draw(leaf.id("T", i + 1)), buyer=buyer_id, country=_pick(draw, dest_cs, countries()),
                products=prods, documents=docs, shipment=planned, programs=programs,
                deadline_between=(first, last), leaves=leaf))
        return Dossier(parties=tuple(all_parties), products=tuple(prods), documents=tuple(docs),
                       shipments=tuple(ships), tenders=tuple(tenders))

    return build()


def dossier_json(**kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """`dossiers` as JSON data in canonical form (takes the same parameters).

    The data is valid against ``dossier.schema.json``, the engine evaluates it without data
    findings, and ``unstructure(structure(data)) == data`` (with the default leaves).
    """
    return dossiers(**kwargs).map(unstructure)


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value (null, booleans, numbers, strings, arrays, objects)."""
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=12),
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(st.lists(children, max_size=4),
                                   st.dictionaries(st.text(max_size=8), children, max_size=4)),
        max_leaves=max_leaves,
    )
