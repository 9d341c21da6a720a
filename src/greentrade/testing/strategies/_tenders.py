"""Tenders: a buyer's call for bids, with the items offered, the documents required and the
delivery promises that rely on a program."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import strategies as st

from greentrade.model import Document, Product, Promise, RequiredDocument, Tender, TenderItem
from greentrade.model._documents import FORMAT1_DOCUMENT_TYPES as DOCUMENT_TYPES
from greentrade.testing.strategies._base import (
    DEFAULT_LEAVES,
    Leaves,
    choose,
    countries,
    day,
    either,
    ids,
    ints,
    maybe_texts,
    subset,
    texts,
)
from greentrade.testing.strategies._standards import standard_designators

_UNITS = st.sampled_from(["pcs", "set", "kg", "MW"])
_MAYBE_TEXT = maybe_texts()


def make_item(draw: st.DrawFn, product: str, leaves: Leaves = DEFAULT_LEAVES) -> TenderItem:
    return TenderItem(product=product, quantity=draw(leaves.quantity), unit=draw(_UNITS))


def tender_items(*, product: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[TenderItem]:
    """An offered product and the quantity asked for."""

    @st.composite
    def build(draw: st.DrawFn) -> TenderItem:
        return make_item(draw, draw(either(product, ids("PR"))))

    return build()


def promises(programs: Sequence[str] | None = None) -> st.SearchStrategy[Promise]:
    """Delivery promises relying on a program (one of `programs`, or any id)."""
    program = st.sampled_from(list(programs)) if programs else ids()
    return st.builds(Promise, program=program, claim=texts(40))


def make_required(draw: st.DrawFn, products: Sequence[str], documents: Sequence[Document] = ()) -> RequiredDocument:
    """A required document; with `documents`, sometimes one of their types and standards."""
    kind: str
    like_a_document: bool = draw(st.booleans())
    if documents and like_a_document:
        doc = documents[draw(ints(0, len(documents) - 1))]
        kind, standards = doc.type, tuple(subset(draw, doc.standards))
    else:
        kind = choose(draw, DOCUMENT_TYPES)
        standards = tuple(draw(st.lists(standard_designators(), max_size=2)))
    return RequiredDocument(type=kind, standards=standards,  # type: ignore[arg-type]
                            products=tuple(subset(draw, products)), note=draw(_MAYBE_TEXT))


def required_documents(products: Sequence[str] = ()) -> st.SearchStrategy[RequiredDocument]:
    """Documents a tender requires, for a subset of `products` (none: every offered product)."""

    @st.composite
    def build(draw: st.DrawFn) -> RequiredDocument:
        return make_required(draw, products)

    return build()


def make_tender(draw: st.DrawFn, *, id: str, buyer: str, country: str, products: Sequence[Product],
                documents: Sequence[Document] = (), shipment: str | None = None,
                programs: Sequence[str] = (), deadline_between: tuple[dt.date, dt.date],
                leaves: Leaves = DEFAULT_LEAVES) -> Tender:
    offered = [p.id for p in products if draw(st.booleans())] or [products[0].id]
    deadline = day(draw, *deadline_between)
    n_req = draw(ints(0, 2))
    return Tender(
        id=id, buyer=buyer, country=country, bid_deadline=deadline,
        delivery_date=day(draw, deadline, deadline + dt.timedelta(days=365)),
        items=tuple(make_item(draw, pid, leaves) for pid in offered),
        required_documents=tuple(make_required(draw, offered, documents) for _ in range(n_req)),
        promises=tuple(draw(st.lists(promises(programs), max_size=1))) if programs else (),
        shipment=shipment, reference=draw(_MAYBE_TEXT),
    )


def tenders(
    *,
    id: st.SearchStrategy[str] | None = None,
    buyer: st.SearchStrategy[str] | None = None,
    products: Sequence[Product] = (),
    programs: Sequence[str] = (),
    deadline_between: tuple[dt.date, dt.date] = (dt.date(2024, 1, 1), dt.date(2028, 12, 31)),
) -> st.SearchStrategy[Tender]:
    """Tenders with items (for `products`, else drawn product ids), required documents and, with
    `programs`, promises relying on them; the delivery date is on or after the bid deadline."""

    @st.composite
    def build(draw: st.DrawFn) -> Tender:
        prods = list(products)
        if not prods:
            pid = draw(ids("PR"))
            return Tender(
                id=draw(either(id, ids("T"))), buyer=draw(either(buyer, ids("P"))), country=draw(countries()),
                bid_deadline=(d := day(draw, *deadline_between)),
                delivery_date=day(draw, d, d + dt.timedelta(days=365)),
                items=(make_item(draw, pid),),
                required_documents=tuple(draw(st.lists(required_documents([pid]), max_size=2))),
                promises=tuple(draw(st.lists(promises(programs or None), max_size=1))),
                shipment=draw(st.one_of(st.none(), ids("SH"))), reference=draw(_MAYBE_TEXT),
            )
        return make_tender(draw, id=draw(either(id, ids("T"))), buyer=draw(either(buyer, ids("P"))),
                           country=draw(countries()), products=prods, programs=programs,
                           deadline_between=deadline_between)

    return build()
