"""A shipment's lines with the products they carry."""

from __future__ import annotations

from greentrade.model import Dossier, Product, Shipment, ShipmentLine

__all__ = ["line_products"]


def line_products(dossier: Dossier, shipment: Shipment) -> list[tuple[ShipmentLine, Product]]:
    """Each line of the shipment with its product, in line order; a line whose product is not in
    the dossier is left out (the core's data rules report it)."""
    out: list[tuple[ShipmentLine, Product]] = []
    for line in shipment.lines:
        product = dossier.product(line.product)
        if product is not None:
            out.append((line, product))
    return out
