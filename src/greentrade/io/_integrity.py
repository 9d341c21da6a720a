"""The dossier's entities checked against each other: ids unique, references resolving,
categories known (GT-REF-*), and the JSON Pointer of every entity for findings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from greentrade.i18n import msg
from greentrade.io._bounds import Bounded
from greentrade.io._datarules import finding
from greentrade.model import Dossier
from greentrade.model._parties import arrangement_bodies

__all__ = ["integrity", "pointer_map"]


def pointer_map(dossier: Dossier) -> dict[int, str]:
    """id() of each entity of `dossier` -> its JSON Pointer."""
    pointers: dict[int, str] = {id(dossier): ""}
    def specs(owner: Any, base: str) -> None:
        for k, spec in enumerate(owner.specs):
            pointers[id(spec)] = f"{base}/specs/{k}"

    for i, party in enumerate(dossier.parties):
        pointers[id(party)] = f"/parties/{i}"
        for j, ident in enumerate(party.identifiers):
            pointers[id(ident)] = f"/parties/{i}/identifiers/{j}"
        for j, site in enumerate(party.sites):
            pointers[id(site)] = f"/parties/{i}/sites/{j}"
        for j, acc in enumerate(party.accreditations):
            pointers[id(acc)] = f"/parties/{i}/accreditations/{j}"
    for i, product in enumerate(dossier.products):
        pointers[id(product)] = f"/products/{i}"
        specs(product, f"/products/{i}")
    for i, doc in enumerate(dossier.documents):
        pointers[id(doc)] = f"/documents/{i}"
        for j, cov in enumerate(doc.products):
            pointers[id(cov)] = f"/documents/{i}/products/{j}"
            specs(cov, f"/documents/{i}/products/{j}")
    for i, shipment in enumerate(dossier.shipments):
        pointers[id(shipment)] = f"/shipments/{i}"
        for j, line in enumerate(shipment.lines):
            pointers[id(line)] = f"/shipments/{i}/lines/{j}"
    for i, tender in enumerate(dossier.tenders):
        pointers[id(tender)] = f"/tenders/{i}"
        for j, item in enumerate(tender.items):
            pointers[id(item)] = f"/tenders/{i}/items/{j}"
        for j, req in enumerate(tender.required_documents):
            pointers[id(req)] = f"/tenders/{i}/required_documents/{j}"
        for j, promise in enumerate(tender.promises):
            pointers[id(promise)] = f"/tenders/{i}/promises/{j}"
    return pointers


#: The references' names, as words of the messages' language.
_WORDS = {
    "accreditation body": msg("GT-REF.accreditation-body", "accreditation body"),
    "manufacturer": msg("GT-REF.manufacturer", "manufacturer"),
    "manufacturing site": msg("GT-REF.manufacturing-site", "manufacturing site"),
    "issuer": msg("GT-REF.issuer", "issuer"),
    "holder": msg("GT-REF.holder", "holder"),
    "product": msg("GT-REF.product", "product"),
    "site": msg("GT-REF.site", "site"),
    "verifier": msg("GT-REF.verifier", "verifier"),
    "verification provider": msg("GT-REF.verification-provider", "verification provider"),
    "exporter": msg("GT-REF.exporter", "exporter"),
    "buyer": msg("GT-REF.buyer", "buyer"),
    "document": msg("GT-REF.document", "document"),
    "shipment": msg("GT-REF.shipment", "shipment"),
}


def integrity(dossier: Dossier, pointers: Mapping[int, str], categories: frozenset[str]) -> Bounded:
    """Findings of GT-REF-001 (references), -002 (unique ids) and -003 (known categories), and
    GT-DATA-002 (an accreditation marked with the arrangement that does not cover its standard)."""
    out = Bounded()
    at = pointers.__getitem__

    def unique(items: Any, what: str) -> None:
        seen: dict[str, str] = {}
        for item in items:
            where = at(id(item))
            if item.id in seen:
                out.append(
                    finding("GT-REF-002", msg("GT-REF-002.duplicate", "duplicate {what} id {id!r} (first at {first})",
                                              what=what, id=item.id, first=seen[item.id]),
                            where + "/id", item.id)
                )
            else:
                seen[item.id] = where

    unique(dossier.parties, msg("GT-REF.party", "party"))
    unique(dossier.products, msg("GT-REF.product", "product"))
    unique(dossier.documents, msg("GT-REF.document", "document"))
    unique(dossier.shipments, msg("GT-REF.shipment", "shipment"))
    unique(dossier.tenders, msg("GT-REF.tender", "tender"))
    unique([s for p in dossier.parties for s in p.sites], msg("GT-REF.site", "site"))
    for shipment in dossier.shipments:
        unique(shipment.lines, msg("GT-REF.line", "line (in shipment {shipment!r})", shipment=shipment.id))

    def ref(value: str | None, exists: Callable[[str], object], what: str, where: str, subject: str) -> None:
        if value is not None and exists(value) is None:
            what = _WORDS.get(what, what)
            out.append(finding("GT-REF-001", msg("GT-REF-001.missing", "{what} {value!r} is not in the dossier",
                                                 what=what, value=value), where, subject))

    party, product, document, site = dossier.party, dossier.product, dossier.document, dossier.site
    for p in dossier.parties:
        for acc in p.accreditations:
            ref(acc.accreditation_body, party, "accreditation body", at(id(acc)) + "/accreditation_body", p.id)
            if acc.arrangement_mismatch:
                key = "iaf_mla_signatory" if dossier.format == "greentrade.dossier/1" else "arrangement"
                expected = acc.expected_arrangement or ""
                out.append(finding(
                    "GT-DATA-002",
                    msg("GT-DATA-002.marked", "accreditation {ref} of {party} to {standard} is marked "
                        "{marked}, but {bodies} are recognised under the {expected}: the mark is not counted",
                        ref=str(acc.number or acc.standard), party=p.id, standard=str(acc.standard),
                        marked=str(acc.arrangement), bodies=arrangement_bodies(expected), expected=expected),
                    at(id(acc)) + "/" + key, p.id,
                ))
    def unique_specs(owner: Any, base: str, subject: str) -> None:
        seen: set[str] = set()
        for k, spec in enumerate(owner.specs):
            if spec.name in seen:
                out.append(
                    finding("GT-REF-002", msg("GT-REF-002.spec", "spec {spec!r} is given twice", spec=spec.name),
                            f"{base}/specs/{k}/name", subject)
                )
            seen.add(spec.name)

    for pr in dossier.products:
        base = at(id(pr))
        unique_specs(pr, base, pr.id)
        ref(pr.manufacturer, party, "manufacturer", base + "/manufacturer", pr.id)
        if pr.category is not None and pr.category not in categories:
            out.append(
                finding(
                    "GT-REF-003",
                    msg("GT-REF-003.unknown", "category {category!r} is not in the vocabulary ({known})",
                        category=pr.category, known=", ".join(sorted(categories))),
                    base + "/category", pr.id,
                )
            )
        if pr.manufacturing_site is not None:
            s = site(pr.manufacturing_site)
            maker = party(pr.manufacturer) if pr.manufacturer is not None else None
            if s is None:
                ref(pr.manufacturing_site, site, "manufacturing site", base + "/manufacturing_site", pr.id)
            elif maker is not None and s not in maker.sites:
                out.append(
                    finding(
                        "GT-REF-001",
                        msg("GT-REF-001.site", "manufacturing site {site!r} is not a site of the manufacturer "
                            "{manufacturer!r}", site=pr.manufacturing_site, manufacturer=pr.manufacturer),
                        base + "/manufacturing_site", pr.id,
                    )
                )
    for d in dossier.documents:
        base = at(id(d))
        ref(d.issuer, party, "issuer", base + "/issuer", d.id)
        ref(d.holder, party, "holder", base + "/holder", d.id)
        for j, cov in enumerate(d.products):
            ref(cov.product, product, "product", f"{base}/products/{j}/product", d.id)
            unique_specs(cov, f"{base}/products/{j}", d.id)
        for j, s_id in enumerate(d.sites):
            ref(s_id, site, "site", f"{base}/sites/{j}", d.id)
        if d.carbon_footprint is not None:
            ref(d.carbon_footprint.verifier, party, "verifier", base + "/carbon_footprint/verifier", d.id)
            if d.carbon_footprint.verification is not None:
                ref(d.carbon_footprint.verification.provider, party, "verification provider",
                    base + "/carbon_footprint/verification/provider", d.id)
        if d.epd is not None and d.epd.verification is not None:
            ref(d.epd.verification.provider, party, "verification provider", base + "/epd/verification/provider", d.id)
    for sh in dossier.shipments:
        base = at(id(sh))
        ref(sh.exporter, party, "exporter", base + "/exporter", sh.id)
        ref(sh.buyer, party, "buyer", base + "/buyer", sh.id)
        for line in sh.lines:
            ref(line.product, product, "product", at(id(line)) + "/product", sh.id)
        for j, doc_id in enumerate(sh.documents):
            ref(doc_id, document, "document", f"{base}/documents/{j}", sh.id)
    for t in dossier.tenders:
        base = at(id(t))
        ref(t.buyer, party, "buyer", base + "/buyer", t.id)
        ref(t.shipment, dossier.shipment, "shipment", base + "/shipment", t.id)
        for item in t.items:
            ref(item.product, product, "product", at(id(item)) + "/product", t.id)
        for req in t.required_documents:
            for j, p_id in enumerate(req.products):
                ref(p_id, product, "product", f"{at(id(req))}/products/{j}", t.id)
    return out
