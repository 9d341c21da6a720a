"""Dossiers for the benchmarks, derived from the bundled example (no randomness: same bytes each run)."""

from __future__ import annotations

import copy
import json
from typing import Any


def small(data: dict[str, Any]) -> list[bytes]:
    """One-shipment dossiers: the example with each of its shipments alone."""
    out = []
    for sh in data["shipments"]:
        one = copy.deepcopy(data)
        one["shipments"] = [sh]
        out.append(json.dumps(one, ensure_ascii=False).encode())
    return out


def shipments(data: dict[str, Any], n: int) -> bytes:
    """The example with `n` shipments: its shipments repeated under new ids."""
    d = copy.deepcopy(data)
    base = data["shipments"]
    d["shipments"] = []
    for i in range(n):
        sh = copy.deepcopy(base[i % len(base)])
        sh["id"] = f"{sh['id']}-{i:05d}"
        d["shipments"].append(sh)
    return json.dumps(d, ensure_ascii=False).encode()


def fresh_lines(data: dict[str, Any], n: int, shipment: int = 0) -> bytes:
    """One shipment with `n` lines, each of a product of its own (a copy of an example product
    under a new id and model), covered by the same documents as the product it copies."""
    d = copy.deepcopy(data)
    sh = copy.deepcopy(data["shipments"][shipment])
    originals = {p["id"]: p for p in data["products"]}
    template_lines = sh["lines"]
    sh["lines"] = []
    for i in range(n):
        line = copy.deepcopy(template_lines[i % len(template_lines)])
        src = originals[line["product"]]
        product = copy.deepcopy(src)
        product["id"] = f"{src['id']}-{i:05d}"
        product["model"] = f"{src['model']}-{i:05d}"
        d["products"].append(product)
        for doc in d["documents"]:
            for cov in list(doc.get("products", [])):
                if cov["product"] == src["id"]:
                    new = copy.deepcopy(cov)
                    new["product"] = product["id"]
                    if "model" in new:
                        new["model"] = product["model"]
                    doc["products"].append(new)
        line["id"] = f"L{i:05d}"
        line["product"] = product["id"]
        sh["lines"].append(line)
    d["shipments"] = [sh]
    return json.dumps(d, ensure_ascii=False).encode()


def shared_site_lines(data: dict[str, Any], n: int) -> bytes:
    """One shipment with `n` lines of fresh products that all share one manufacturing site and
    the site's documents: the example's PV, battery and grid shipment (its products are made at
    one site, which a site-level ISO 50001 certificate and a green product certificate cover),
    grown line by line. The shape that made the pilot rules superlinear (#22)."""
    return fresh_lines(data, n, shipment=1)


def code_list_failure(data: dict[str, Any], every: bool) -> bytes:
    """The example with a well-formed HS code that is not in HS 2022 (passes the schema, fails
    the code list) on one line, or on every line."""
    d = copy.deepcopy(data)
    lines = [line for sh in d["shipments"] for line in sh["lines"]]
    for line in lines if every else lines[:1]:
        line["hs_code"] = "999999"
    return json.dumps(d, ensure_ascii=False).encode()


def one_schema_error(data: dict[str, Any]) -> bytes:
    """The example with one value of the wrong type (a line quantity as text)."""
    d = copy.deepcopy(data)
    d["shipments"][0]["lines"][0]["quantity"] = str(d["shipments"][0]["lines"][0]["quantity"])
    return json.dumps(d, ensure_ascii=False).encode()


def every_hs_code_wrong(data: dict[str, Any]) -> bytes:
    """The example with every line's HS code malformed."""
    d = copy.deepcopy(data)
    for sh in d["shipments"]:
        for line in sh["lines"]:
            line["hs_code"] = "94-05-41"
    return json.dumps(d, ensure_ascii=False).encode()
