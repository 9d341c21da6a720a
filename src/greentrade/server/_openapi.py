"""What the GET endpoints answer, and the OpenAPI 3.1 document that describes the whole API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from greentrade._version import __version__
from greentrade.engine._engine import Engine
from greentrade.io._schemas import schema_names
from greentrade.model import _codes
from greentrade.rules._report import _citation
from greentrade.server._schemas import components
from greentrade.server._settings import Settings

__all__ = ["JSONL", "PROBLEM", "document", "listings"]

PROBLEM = "application/problem+json"
JSONL = "application/x-ndjson"
PROBLEM_BASE = "https://greentrade.dev/problems/"


def _date(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def listings(engine: Engine) -> dict[str, Any]:
    """The bodies of GET /v1/rules, /v1/plugins, /v1/categories and /v1/standards."""
    rules = [
        {
            "id": r.id, "title": r.title, "severity": str(r.severity), "plugin": engine.rule_owner(r.id),
            "program": r.program, "scope": r.scope, "role": r.role,
            "effective": {"start": _date(r.effective.start), "end": _date(r.effective.end)},
            "remediation": r.remediation, "citation": _citation(r.citation),
        }
        for r in engine.rules
    ]
    plugins = [{"name": p.name, "version": p.version, "rules": p.rules} for p in engine.plugins]
    categories = []
    for c in engine.categories:
        item: dict[str, Any] = {"id": c.id, "title": c.title, "hs_codes": list(c.hs_codes)}
        if c.citation is not None:
            item["citation"] = _citation(c.citation)
        categories.append(item)
    sizes = {p.id: p.catalog_size for p in engine.programs}
    standards = []
    for e in engine.catalog:
        entry: dict[str, Any] = {
            "designator": str(e.designator), "title": e.title, "program": e.program,
            "catalog_size": sizes.get(e.program) if e.program else None,
            "superseded": [str(d) for d in e.superseded], "also_current": [str(d) for d in e.also_current],
            "categories": list(e.categories), "citation": _citation(e.citation),
        }
        if e.note:
            entry["note"] = e.note
        standards.append(entry)
    return {"rules": rules, "plugins": plugins, "categories": categories, "standards": standards}


# -- schemas of the service's own bodies -----------------------------------------------------------------
_STR = {"type": "string"}
_OPT_STR = {"type": ["string", "null"]}
_CITATION = {"$ref": "#/components/schemas/citation"}


def _array(item: Mapping[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "object", "required": required, "properties": dict(item)}}


_OWN_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "description": "An error (RFC 9457). `pointer` (a JSON Pointer into the request body) names the "
        "offending value of an input error, `parameter` the offending query parameter.",
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "format": "uri"},
            "title": _STR, "status": {"type": "integer", "minimum": 400, "maximum": 599}, "detail": _STR,
            "request_id": {"type": "string", "description": "as in the X-Request-ID header and the access log"},
            "pointer": _STR, "parameter": _STR,
            "line": {"type": "integer", "minimum": 1, "description": "validate-batch: the input line"},
            "limit": {"type": "number"},
        },
    },
    "Rules": _array({
        "id": _STR, "title": _STR, "severity": {"enum": ["error", "warning", "info"]}, "plugin": _STR,
        "program": _OPT_STR, "scope": {"enum": ["shipment", "dossier"]}, "role": {"enum": ["scope", "check", "data"]},
        "effective": {"type": "object", "required": ["start", "end"],
                      "properties": {"start": _OPT_STR, "end": _OPT_STR}},
        "remediation": _STR, "citation": _CITATION,
    }, ["id", "title", "severity", "plugin", "program", "scope", "role", "effective", "remediation", "citation"]),
    "Plugins": _array({"name": _STR, "version": _STR, "rules": {"type": "integer", "minimum": 0}},
                      ["name", "version", "rules"]),
    "Categories": _array({"id": _STR, "title": _STR, "hs_codes": {"type": "array", "items": _STR},
                          "citation": _CITATION}, ["id", "title", "hs_codes"]),
    "Standards": _array({
        "designator": _STR, "title": _STR, "program": _OPT_STR,
        "catalog_size": {"type": ["integer", "null"]},
        "superseded": {"type": "array", "items": _STR}, "also_current": {"type": "array", "items": _STR},
        "categories": {"type": "array", "items": _STR}, "note": _STR, "citation": _CITATION,
    }, ["designator", "title", "program", "catalog_size", "superseded", "also_current", "categories", "citation"]),
    "Health": {
        "type": "object", "required": ["status", "greentrade_version", "plugins"],
        "properties": {"status": {"const": "ok"}, "greentrade_version": _STR,
                       "plugins": {"type": "array", "items": _STR}},
    },
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _json(description: str, ref: str, media: str = "application/json") -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def document(engine: Engine, settings: Settings, *, authenticated: bool) -> dict[str, Any]:
    """The OpenAPI 3.1 document of a service running `engine` with `settings`."""
    regions = sorted({p.region for p in engine.profiles if p.region})
    markets = [*regions, *sorted(_codes.countries())]
    as_of = {
        "name": "as_of", "in": "query", "required": False,
        "description": "Evaluation date (YYYY-MM-DD); by default each shipment's ship date.",
        "schema": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    }
    limits = {
        "408": _problem(f"The body did not arrive, or the evaluation did not finish, within the request "
                        f"time budget ({settings.request_timeout:g} s)."),
        "413": _problem(f"The body is larger than {settings.max_body_bytes} bytes."),
        "503": _problem(f"{settings.max_concurrent} evaluations are already running in this worker; "
                        "retry after the Retry-After delay."),
    }
    if authenticated:
        limits["401"] = _problem("The bearer token is missing or wrong.")
        gets_auth = {"401": _problem("The bearer token is missing or wrong.")}
    else:
        gets_auth = {}
    dossier_body = {
        "required": True,
        "description": "A greentrade dossier (JSON). A dossier that breaks the schema is still answered "
        "with 200 and a report of data findings; 400 is only for a body that is not a JSON object.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/dossier"}}},
    }

    def listing(summary: str, ref: str) -> dict[str, Any]:
        return {"get": {"summary": summary, "operationId": f"list{ref}",
                        "responses": {"200": _json(summary, ref), **gets_auth}}}

    paths: dict[str, Any] = {
        "/v1/validate": {"post": {
            "summary": "Validate a dossier",
            "description": "The report, byte for byte what `greentrade validate --format json` prints.",
            "operationId": "validate",
            "parameters": [as_of],
            "requestBody": dossier_body,
            "responses": {
                "200": _json("The report (also for a dossier with error findings).", "report"),
                "400": _problem("The body is not a dossier (not UTF-8 JSON, or not an object), or a query "
                                "parameter is wrong."),
                **limits,
            },
        }},
        "/v1/assess": {"post": {
            "summary": "Readiness matrix of a dossier's products",
            "description": "Byte for byte what `greentrade assess --format json` prints.",
            "operationId": "assess",
            "parameters": [
                {**as_of, "description": "Readiness date (YYYY-MM-DD); by default today."},
                {"name": "market", "in": "query", "required": False, "style": "form", "explode": True,
                 "description": "A buyer-profile region or an ISO 3166-1 alpha-2 code; repeat for more "
                 "(default: every region of the loaded profiles).",
                 "schema": {"type": "array", "items": {"type": "string", "enum": markets}}},
            ],
            "requestBody": dossier_body,
            "responses": {
                "200": _json("The assessment.", "assessment"),
                "400": _problem("The body is not a dossier, or a query parameter is wrong."),
                **limits,
            },
        }},
        "/v1/validate-batch": {"post": {
            "summary": "Validate dossiers given as JSON Lines",
            "description": "One dossier per line in; one compact report per line out, in the same order, "
            "streamed as each is ready. A line that is not a dossier gives a problem document (with "
            "`line`) in its place. Blank lines are skipped.",
            "operationId": "validateBatch",
            "parameters": [as_of],
            "requestBody": {"required": True,
                            "content": {JSONL: {"schema": {"type": "string"}}}},
            "responses": {
                "200": {"description": "One report (or problem document) per non-blank input line.",
                        "content": {JSONL: {"schema": {"type": "string"}}}},
                "400": _problem("The body is not UTF-8, or a query parameter is wrong."),
                **limits,
            },
        }},
        "/v1/rules": listing("Every loaded rule", "Rules"),
        "/v1/plugins": listing("Loaded plugins", "Plugins"),
        "/v1/categories": listing("The product category vocabulary", "Categories"),
        "/v1/standards": listing("The standards catalogs of the loaded plugins", "Standards"),
        "/v1/schemas/{name}": {"get": {
            "summary": "A JSON Schema, self-contained (every $ref points inside the document)",
            "operationId": "getSchema",
            "parameters": [{"name": "name", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": schema_names()}}],
            "responses": {
                "200": {"description": "The schema.",
                        "content": {"application/schema+json": {"schema": {"type": "object"}}}},
                "404": _problem("No schema of that name."),
                **gets_auth,
            },
        }},
        "/healthz": {"get": {
            "summary": "Liveness: the worker is up and its engine is built",
            "operationId": "health", "security": [],
            "responses": {"200": _json("Up.", "Health")},
        }},
        "/openapi.json": {"get": {
            "summary": "This document", "operationId": "openapi",
            "responses": {"200": {"description": "OpenAPI 3.1",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          **gets_auth},
        }},
    }
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "greentrade",
            "version": __version__,
            "description": "Check green-product export dossiers against trade-pilot rules (docs/server.md). "
            f"Plugins: {', '.join(p.name for p in engine.plugins) or 'none'}.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": {"schemas": {**components(["dossier", "report", "assessment"]), **_OWN_SCHEMAS}},
    }
    if authenticated:
        doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        doc["security"] = [{"bearer": []}]
    return doc
