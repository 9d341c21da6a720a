"""Entity strategies. Each entity has a maker ``make_x(draw, ...)`` used by the public strategy
and by `dossiers`; an entity strategy yields an entity that validates on its own and matches its
JSON schema, and its references (ids of other entities) do not resolve unless you pass them."""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Mapping, Sequence

from hypothesis import strategies as st

from greentrade.model import (
    Accreditation,
    CarbonFootprint,
    CoveredProduct,
    Document,
    Epd,
    Identifier,
    Party,
    Product,
    Shipment,
    ShipmentLine,
    Site,
    Spec,
    _codes,
)
from greentrade.model._documents import DOCUMENT_STATUSES, DOCUMENT_TYPES
from greentrade.model._parties import PARTY_ROLES
from greentrade.model._standards import StandardDesignator
from greentrade.testing.strategies._base import (
    DEFAULT_LEAVES,
    DEFAULT_SHIP_DATES,
    Leaves,
    choose,
    core_categories,
    core_vocabulary,
    countries,
    currencies,
    day,
    either,
    hs_codes,
    ids,
    ints,
    lei_codes,
    locodes,
    maybe_texts,
    numbers,
    periods,
    subset,
    texts,
    uscc_codes,
)
from greentrade.testing.strategies._standards import standard_designators

_OTHER_ID_VALUE = st.text(string.ascii_uppercase + string.digits, min_size=4, max_size=14)
_MAYBE_TEXT = maybe_texts()


@functools.cache
def identifiers(schemes: tuple[str, ...] = _codes.KNOWN_IDENTIFIER_SCHEMES) -> st.SearchStrategy[Identifier]:
    """Party identifiers; ``uscc`` and ``lei`` values have valid check characters."""
    values = {"uscc": uscc_codes(), "lei": lei_codes()}
    return st.one_of([
        st.builds(Identifier, scheme=st.just(s), value=values.get(s, _OTHER_ID_VALUE)) for s in schemes
    ])


_ACC_STANDARDS = st.sampled_from(["ISO 14065:2020", "ISO/IEC 17029:2019", "ISO/IEC 17065:2012"]).map(
    StandardDesignator.parse)


def make_accreditation(draw: st.DrawFn, body: str, lo: dt.date, hi: dt.date) -> Accreditation:
    a = day(draw, lo, hi)
    return Accreditation(
        accreditation_body=body, standard=draw(_ACC_STANDARDS), valid_from=a,
        valid_until=day(draw, a, hi), arrangement=draw(st.sampled_from([None, "IAF MLA"])),
        scope=draw(st.one_of(st.just(""), texts())), number=draw(_MAYBE_TEXT),
    )


def accreditations(
    *,
    body: st.SearchStrategy[str] | None = None,
    valid_between: tuple[dt.date, dt.date] = (dt.date(2015, 1, 1), dt.date(2035, 12, 31)),
) -> st.SearchStrategy[Accreditation]:
    """Accreditations by the party id drawn from `body`, valid within `valid_between`."""

    @st.composite
    def build(draw: st.DrawFn) -> Accreditation:
        return make_accreditation(draw, draw(either(body, ids("AB"))), *valid_between)

    return build()


def make_site(draw: st.DrawFn, id: str, country: str, leaves: Leaves = DEFAULT_LEAVES) -> Site:
    return Site(id=id, name=draw(leaves.name), country=country, region=draw(_MAYBE_TEXT),
                address=draw(_MAYBE_TEXT))


def sites(*, id: st.SearchStrategy[str] | None = None,
          country: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Site]:
    @st.composite
    def build(draw: st.DrawFn) -> Site:
        return make_site(draw, draw(either(id, ids("S"))), draw(either(country, countries())))

    return build()


_ROLES = st.lists(st.sampled_from(PARTY_ROLES), unique=True, max_size=3).map(tuple)
_IDENTIFIERS = st.lists(identifiers(), max_size=2).map(tuple)


def make_party(draw: st.DrawFn, id: str, country: str, roles: Sequence[str],
               accreditations: Sequence[Accreditation] = (), sites: Sequence[Site] = (),
               leaves: Leaves = DEFAULT_LEAVES) -> Party:
    return Party(id=id, name=draw(leaves.name), country=country, roles=tuple(roles),  # type: ignore[arg-type]
                 identifiers=draw(_IDENTIFIERS), accreditations=tuple(accreditations), sites=tuple(sites))


def parties(
    *,
    id: st.SearchStrategy[str] | None = None,
    country: st.SearchStrategy[str] | None = None,
    roles: Sequence[str] | None = None,
    max_sites: int = 2,
) -> st.SearchStrategy[Party]:
    """Parties with unique roles (or exactly `roles`), identifiers and sites (unique site ids)."""

    @st.composite
    def build(draw: st.DrawFn) -> Party:
        c = draw(either(country, countries()))
        n_sites = draw(ints(0, max_sites))
        return make_party(
            draw, draw(either(id, ids("P"))), c, roles if roles is not None else draw(_ROLES),
            draw(st.lists(accreditations(), max_size=1)),
            [make_site(draw, draw(DEFAULT_LEAVES.id("S", i + 1)), c) for i in range(n_sites)],
        )

    return build()


_SPEC_NAMES = st.one_of(
    st.sampled_from(["power", "capacity", "efficiency", "luminous-flux", "weight", "battery-capacity"]), texts())
_UNITS = st.sampled_from(["W", "Wh", "kWh", "%", "lm", "kg"])


def specs(names: Sequence[str] | None = None) -> st.SearchStrategy[Spec]:
    """Specification values (``power 60 W``)."""
    return st.builds(Spec, name=st.sampled_from(list(names)) if names else _SPEC_NAMES,
                     value=numbers(), unit=_UNITS)


SPECS = st.lists(specs(), max_size=2, unique_by=lambda s: s.name).map(tuple)  # one value per name


def categories(names: Sequence[str] | None = None) -> st.SearchStrategy[str]:
    """Category ids: `names`, or the core vocabulary."""
    return st.sampled_from(list(names) if names else core_categories())


@functools.cache
def _typical_hs(codes: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(codes) if codes else hs_codes()


def hs_for(category: str, hs: Mapping[str, Sequence[str]] | None) -> st.SearchStrategy[str]:
    return _typical_hs(tuple((hs or {}).get(category, ()) or core_vocabulary().get(category, ())))


def make_product(draw: st.DrawFn, id: str, category: str, manufacturer: str, site: str | None,
                 hs: Mapping[str, Sequence[str]] | None, leaves: Leaves = DEFAULT_LEAVES) -> Product:
    return Product(id=id, model=draw(leaves.model), name=draw(leaves.name), category=category,
                   hs_code=draw(hs_for(category, hs)), manufacturer=manufacturer,
                   manufacturing_site=site, specs=draw(SPECS))


def products(
    *,
    id: st.SearchStrategy[str] | None = None,
    category: st.SearchStrategy[str] | None = None,
    manufacturer: st.SearchStrategy[str] | None = None,
    manufacturing_site: st.SearchStrategy[str | None] | None = None,
    hs: Mapping[str, Sequence[str]] | None = None,
) -> st.SearchStrategy[Product]:
    """Products; the HS code is one typical of the category (vocabulary or `hs`) when known."""

    @st.composite
    def build(draw: st.DrawFn) -> Product:
        return make_product(draw, draw(either(id, ids("PR"))), draw(either(category, categories())),
                            draw(either(manufacturer, ids("P"))),
                            draw(either(manufacturing_site, st.none())), hs)

    return build()


def make_covered(draw: st.DrawFn, product: Product) -> CoveredProduct:
    return CoveredProduct(
        product=product.id, model=product.model if draw(st.booleans()) else None,
        hs_code=product.hs_code if draw(st.booleans()) else None, specs=product.specs,
    )


def covered_products(product: Product | None = None) -> st.SearchStrategy[CoveredProduct]:
    """What a document states about a product (by default consistent with `product`)."""
    if product is None:
        return st.builds(CoveredProduct, product=ids("PR"), model=_MAYBE_TEXT,
                         hs_code=st.one_of(st.none(), hs_codes()), specs=SPECS)

    @st.composite
    def build(draw: st.DrawFn) -> CoveredProduct:
        return make_covered(draw, product)

    return build()


_BOUNDARIES = st.sampled_from(["cradle-to-gate", "cradle-to-grave", "gate-to-gate", "cradle-to-gate-with-options"])
_DECLARED_UNITS = st.sampled_from(["1 unit", "1 kWh", "1 kg", "1 m2"])
_PERIODS = st.one_of(st.none(), periods())


def make_footprint(draw: st.DrawFn, verifier: str | None) -> CarbonFootprint:
    return CarbonFootprint(
        declared_unit=draw(_DECLARED_UNITS), ghg_kg_co2e=draw(numbers()),
        system_boundary=draw(_BOUNDARIES),  # type: ignore[arg-type]
        third_party_verified=draw(st.booleans()),
        reference_period=draw(_PERIODS), verifier=verifier,
    )


def carbon_footprints(*, verifier: st.SearchStrategy[str | None] | None = None) -> st.SearchStrategy[CarbonFootprint]:
    """Carbon footprint declarations (ISO 14067 terms)."""

    @st.composite
    def build(draw: st.DrawFn) -> CarbonFootprint:
        return make_footprint(draw, draw(either(verifier, st.none())))

    return build()


@functools.cache
def epds() -> st.SearchStrategy[Epd]:
    """Environmental product declaration contents (EN 15804 terms)."""
    return st.builds(
        Epd, programme_operator=texts(), pcr=texts(), declared_unit=st.sampled_from(["1 kg", "1 m2", "1 unit"]),
        gwp_a1_a3_kg_co2e=numbers(), registration_number=_MAYBE_TEXT,
    )


_STANDARDS = st.lists(standard_designators(), min_size=1, max_size=2).map(tuple)
_DOC_TYPES = st.sampled_from(DOCUMENT_TYPES)


def make_document(draw: st.DrawFn, *, id: str, kind: str, issuer: str, holder: str,
                  covers: Sequence[Product], site_ids: Sequence[str], issued: dt.date,
                  valid_until: dt.date | None, status: str) -> Document:
    return Document(
        id=id, type=kind, standards=draw(_STANDARDS), issuer=issuer,  # type: ignore[arg-type]
        holder=holder, issue_date=issued, status=status,  # type: ignore[arg-type]
        products=tuple(make_covered(draw, p) for p in subset(draw, covers)),
        valid_until=valid_until, number=draw(_MAYBE_TEXT), scope=draw(_MAYBE_TEXT),
        sites=tuple(subset(draw, site_ids)),
        carbon_footprint=make_footprint(draw, choose(draw, [issuer, None]))
        if kind == "carbon-footprint-declaration" else None,
        epd=draw(epds()) if kind == "epd" else None,
    )


def documents(
    *,
    id: st.SearchStrategy[str] | None = None,
    type: st.SearchStrategy[str] | None = None,
    issuer: st.SearchStrategy[str] | None = None,
    holder: st.SearchStrategy[str] | None = None,
    covers: Sequence[Product] = (),
    site_ids: Sequence[str] = (),
    issued_between: tuple[dt.date, dt.date] = (dt.date(2020, 1, 1), dt.date(2026, 12, 31)),
    valid_until_after: dt.date | None = None,
    status: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Document]:
    """Documents of any type (a carbon-footprint declaration carries `carbon_footprint`, an EPD
    its `epd`), covering a subset of `covers` and of `site_ids`.

    The issue date lies in `issued_between`; `valid_until` is open or on or after
    `valid_until_after` (default: the issue date).
    """

    @st.composite
    def build(draw: st.DrawFn) -> Document:
        issued = day(draw, *issued_between)
        floor = max(issued, valid_until_after or issued)
        until = day(draw, floor, floor + dt.timedelta(days=2000)) if draw(st.booleans()) else None
        return make_document(
            draw, id=draw(either(id, ids("D"))), kind=draw(either(type, _DOC_TYPES)),
            issuer=draw(either(issuer, ids("P"))), holder=draw(either(holder, ids("P"))), covers=covers,
            site_ids=site_ids, issued=issued, valid_until=until,
            status=draw(either(status, st.sampled_from(DOCUMENT_STATUSES))),
        )

    return build()


PCS = st.sampled_from(["pcs", "set", "kg", "W"])
EXT = st.sampled_from(["", "00", "0000"])


def make_line(draw: st.DrawFn, id: str, product: str, hs_code: str, leaves: Leaves = DEFAULT_LEAVES) -> ShipmentLine:
    priced = draw(st.booleans())
    return ShipmentLine(
        id=id, product=product, quantity=draw(leaves.quantity), unit=draw(PCS),
        hs_code=hs_code, value=draw(leaves.value) if priced else None,
        currency=draw(currencies()) if priced else None,
    )


def shipment_lines(
    *,
    id: st.SearchStrategy[str] | None = None,
    product: Product | st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[ShipmentLine]:
    """Shipment lines; for a `Product` the line carries its id and HS code (maybe extended)."""

    @st.composite
    def build(draw: st.DrawFn) -> ShipmentLine:
        if isinstance(product, Product):
            pid, hs = product.id, (product.hs_code or "")[:6] + draw(EXT)
        else:
            pid, hs = draw(either(product, ids("PR"))), draw(hs_codes(national_extension=None))
        return make_line(draw, draw(either(id, ids("L"))), pid, hs)

    return build()


def make_shipment(draw: st.DrawFn, *, id: str, exporter: str, products: Sequence[Product],
                  document_ids: Sequence[str], buyer: str | None, day: dt.date, destination: str,
                  port: str, n_lines: int, leaves: Leaves = DEFAULT_LEAVES) -> Shipment:
    lines = []
    for i in range(n_lines):
        # Lines draw their product by index: the first product is the simplest example.
        p = products[draw(ints(0, len(products) - 1))]
        lines.append(make_line(draw, draw(leaves.id("L", i + 1)), p.id, (p.hs_code or "")[:6] + draw(EXT), leaves))
    return Shipment(
        id=id, exporter=exporter, port_of_export=port, destination_country=destination,
        ship_date=day, lines=tuple(lines), documents=tuple(subset(draw, document_ids)), buyer=buyer,
    )


CN_PORTS = locodes(st.just("CN"))


@functools.cache
def _any_product() -> st.SearchStrategy[Product]:
    return products()


def shipments(
    *,
    id: st.SearchStrategy[str] | None = None,
    exporter: st.SearchStrategy[str] | None = None,
    products: Sequence[Product] = (),
    document_ids: Sequence[str] = (),
    buyer: st.SearchStrategy[str | None] | None = None,
    ship_dates: tuple[dt.date, dt.date] = DEFAULT_SHIP_DATES,
    destination: st.SearchStrategy[str] | None = None,
    port: st.SearchStrategy[str] | None = None,
    min_lines: int = 1,
    max_lines: int = 3,
) -> st.SearchStrategy[Shipment]:
    """Shipments with unique line ids; lines refer to `products` when given (else to drawn ids)."""

    @st.composite
    def build(draw: st.DrawFn) -> Shipment:
        n = draw(ints(min_lines, max_lines))
        prods = list(products) or [draw(_any_product())]
        return make_shipment(
            draw, id=draw(either(id, ids("SH"))), exporter=draw(either(exporter, ids("P"))), products=prods,
            document_ids=document_ids, buyer=draw(either(buyer, st.none())), day=day(draw, *ship_dates),
            destination=draw(either(destination, countries())), port=draw(either(port, CN_PORTS)), n_lines=n,
        )

    return build()
