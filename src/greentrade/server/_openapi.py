"""What the GET endpoints answer, and the OpenAPI 3.1 document that describes the whole API.

The document is written for code generators as much as for people: every schema is a named
component (the library's schemas and each of their ``$defs``, see `_schemas.components`), the
dossier request body is a ``oneOf`` over the two formats with a discriminator on ``format``,
and every answer the service can give, at any layer, is listed with its headers.
"""

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

__all__ = ["JSONL", "JSONL_TYPES", "PROBLEM", "PROBLEM_BASE", "document", "listings"]

PROBLEM = "application/problem+json"
JSONL = "application/x-ndjson"
#: The media types validate-batch accepts (JSON Lines has no registered one).
JSONL_TYPES = (JSONL, "application/jsonl", "application/x-jsonlines", "application/jsonlines")
PROBLEM_BASE = "https://greentrade.dev/problems/"
METRICS = "text/plain; version=0.0.4; charset=utf-8"


def _date(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def listings(engine: Engine) -> dict[str, Any]:
    """The bodies of GET /v1/rules, /v1/plugins, /v1/categories and /v1/standards."""
    rules = []
    for r in engine.rules:
        entry: dict[str, Any] = {
            "id": r.id, "title": r.title, "severity": str(r.severity), "plugin": engine.rule_owner(r.id),
            "program": r.program, "scope": r.scope, "role": r.role, "basis": engine.rule_basis(r),
            "declared_basis": str(r.basis),
            "effective": {"start": _date(r.effective.start), "end": _date(r.effective.end)},
            "remediation": r.remediation, "citation": _citation(r.citation),
        }
        rules.append(entry)
    plugins = _plugins(engine)
    categories = []
    for c in engine.categories:
        item: dict[str, Any] = {"id": c.id, "title": c.title, "hs_codes": list(c.hs_codes)}
        if c.citation is not None:
            item["citation"] = _citation(c.citation)
        categories.append(item)
    sizes = {p.id: p.catalog_size for p in engine.programs}
    standards = []
    for e in engine.catalog:
        std: dict[str, Any] = {
            "designator": str(e.designator), "title": e.title, "program": e.program,
            "catalog_size": sizes.get(e.program) if e.program else None,
            "superseded": [str(d) for d in e.superseded], "also_current": [str(d) for d in e.also_current],
            "categories": list(e.categories), "citation": _citation(e.citation),
        }
        if e.note:
            std["note"] = e.note
        standards.append(std)
    return {"rules": rules, "plugins": plugins, "categories": categories, "standards": standards}


def _plugins(engine: Engine) -> list[dict[str, Any]]:
    """The plugins, as ``greentrade plugins --format json`` lists them: each loaded plugin with
    what of it the engine refused (``faults``: the ``GT-ENGINE-001``/``-002`` messages), a plugin
    refused before it was registered, and the installed plugins the ``[greentrade] plugins`` list
    leaves out (``"enabled": false``)."""
    import importlib.metadata

    faults = engine.plugin_faults()
    out: list[dict[str, Any]] = []
    for p in engine.plugins:
        entry: dict[str, Any] = {"name": p.name, "version": p.version, "rules": p.rules}
        if p.name in faults:
            entry["faults"] = faults[p.name]
        out.append(entry)
    listed = {p["name"] for p in out}
    for name, problems in sorted(faults.items()):  # a plugin refused before it was registered
        if name not in listed and name != "greentrade":
            out.append({"name": name, "version": "unknown", "rules": 0, "faults": problems})
    if engine.not_enabled:
        versions = {ep.name: (ep.dist.version if ep.dist else "unknown")
                    for ep in importlib.metadata.entry_points(group="greentrade")}
        out.extend({"name": n, "version": versions.get(n, "unknown"), "rules": 0, "enabled": False}
                   for n in engine.not_enabled)
    return sorted(out, key=lambda p: p["name"])


# -- schemas of the service's own bodies -----------------------------------------------------------------
_STR = {"type": "string"}
_OPT_STR = {"type": ["string", "null"]}
_STRINGS = {"type": "array", "items": _STR}
_CITATION = {"$ref": "#/components/schemas/Citation"}
_BASIS = {"type": "string", "enum": ["stated", "inferred", "practice", "host"]}


def _object(properties: Mapping[str, Any], required: list[str], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "required": required, "properties": dict(properties)}
    if description:
        out["description"] = description
    return out


_OWN_SCHEMAS: dict[str, Any] = {
    "Problem": _object({
        "type": {"type": "string", "format": "uri"},
        "title": _STR, "status": {"type": "integer", "minimum": 400, "maximum": 599}, "detail": _STR,
        "request_id": {"type": "string", "description": "as in the X-Request-ID header and the access log"},
        "pointer": _STR, "parameter": _STR,
        "line": {"type": "integer", "minimum": 1, "description": "validate-batch: the input line"},
        "limit": {"type": "number"},
    }, ["type", "title", "status", "detail"],
        "An error (RFC 9457). `pointer` (a JSON Pointer into the request body) names the offending value "
        "of an input error, `parameter` the offending query parameter, `limit` the limit that was hit."),
    "UncheckedDossier": {
        "type": "object", "additionalProperties": True,
        "description": "Any other JSON object. It is evaluated all the same: the answer is 200 with a "
        "report whose data findings (GT-SCHEMA-001 ...) say, with JSON Pointers, where it breaks the "
        "dossier schema, and `evaluated` is false.",
    },
    "RuleEntry": _object({
        "id": _STR, "title": _STR, "severity": {"type": "string", "enum": ["error", "warning", "info"]}, "plugin": _STR,
        "program": _OPT_STR, "scope": {"type": "string", "enum": ["shipment", "dossier"]},
        "role": {"type": "string", "enum": ["scope", "check", "data"]},
        "basis": {**_BASIS, "description": "The basis applied, as `greentrade rules` shows it: host for an "
                  "inferred or practice rule the host made binding (require)."},
        "declared_basis": {**_BASIS, "description": "The basis the rule declares."},
        "effective": _object({"start": _OPT_STR, "end": _OPT_STR}, ["start", "end"]),
        "remediation": _STR, "citation": _CITATION,
    }, ["id", "title", "severity", "plugin", "program", "scope", "role", "basis", "declared_basis", "effective",
        "remediation", "citation"]),
    "PluginEntry": _object({
        "name": _STR, "version": _STR, "rules": {"type": "integer", "minimum": 0},
        "faults": {**_STRINGS, "description": "What of the plugin the engine refused or what failed "
                   "(GT-ENGINE-001/-002 messages): a refused rule, profile or setting is not in use."},
        "enabled": {"type": "boolean", "description": "Written only as false: installed, but left out by the "
                    "host's `[greentrade] plugins` list."},
    }, ["name", "version", "rules"]),
    "CategoryEntry": _object({"id": _STR, "title": _STR, "hs_codes": _STRINGS, "citation": _CITATION},
                             ["id", "title", "hs_codes"]),
    "StandardEntry": _object({
        "designator": _STR, "title": _STR, "program": _OPT_STR,
        "catalog_size": {"type": ["integer", "null"]},
        "superseded": _STRINGS, "also_current": _STRINGS, "categories": _STRINGS, "note": _STR, "citation": _CITATION,
    }, ["designator", "title", "program", "catalog_size", "superseded", "also_current", "categories", "citation"]),
    "Health": _object({"status": {"const": "ok"}, "greentrade_version": _STR, "plugins": _STRINGS},
                      ["status", "greentrade_version", "plugins"]),
    "Readiness": _object({
        "status": {"type": "string", "enum": ["ready", "not-ready"]}, "reason": _STR,
        "evaluations": {"type": "integer", "minimum": 0}, "queued": {"type": "integer", "minimum": 0},
        "max_concurrent": {"type": "integer", "minimum": 1}, "max_queue": {"type": "integer", "minimum": 0},
    }, ["status"]),
}

_HEADERS = {
    "X-Request-ID": {"description": "The request's id: the client's own X-Request-ID (letters, digits, `._:-`, "
                     "up to 128 characters) or a new UUID. The access log, the decision log and problem "
                     "documents carry the same id.", "schema": _STR},
    "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer", "minimum": 0}},
    "WWW-Authenticate": {"description": "`Bearer realm=\"greentrade\"`", "schema": _STR},
}
_ID = {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}}


def _problem(description: str, **headers: str) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description,
                           "headers": {**_ID, **{h: {"$ref": f"#/components/headers/{h}"} for h in headers.values()}},
                           "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    return out


def _ok(description: str, schema: Mapping[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {"description": description, "headers": dict(_ID), "content": {media: {"schema": dict(schema)}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _responses(settings: Settings) -> dict[str, Any]:
    """The answers that any request can get (components/responses)."""
    s = settings
    return {
        "BadRequest": _problem("The body is not what the operation takes (not UTF-8 JSON, not a JSON object), a "
                               "query parameter is wrong or unknown, the Host header is not one this service "
                               "answers to, or the request is not well-formed HTTP."),
        "Unauthorized": _problem("The bearer token is missing or wrong.", a="WWW-Authenticate"),
        "Timeout": _problem(f"The request head did not arrive within {s.header_timeout:g} s, the body or the "
                            f"evaluation not within the request time budget ({s.request_timeout:g} s). The "
                            "evaluation is stopped; the connection is closed."),
        "TooLarge": _problem(f"The body is larger than {s.max_body_bytes} bytes, or a batch has more than "
                             f"{s.max_batch_lines} lines."),
        "UnsupportedMediaType": _problem("The body's Content-Type is not one the operation takes."),
        "HeadersTooLarge": _problem(f"The request head (request line and headers) is larger than "
                                    f"{s.max_header_bytes} bytes."),
        "InternalError": _problem("The service failed to answer this request; its log has the details."),
        "Busy": _problem(f"Every evaluation slot is taken and the queue is full ({s.max_queue} waiting) or this "
                         f"request waited longer than {s.queue_timeout:g} s; or the worker has too many open "
                         "connections or requests. Retry after the Retry-After delay.", a="Retry-After"),
    }


def document(engine: Engine, settings: Settings, *, authenticated: bool) -> dict[str, Any]:
    """The OpenAPI 3.1 document of a service running `engine` with `settings`."""
    regions = sorted({p.region for p in engine.profiles if p.region})
    markets = [*regions, *sorted(_codes.countries())]
    request_id = {"$ref": "#/components/parameters/RequestId"}
    as_of = {"$ref": "#/components/parameters/AsOf"}
    common: dict[str, Any] = {"408": {"$ref": "#/components/responses/Timeout"},
                              "431": {"$ref": "#/components/responses/HeadersTooLarge"},
                              "500": {"$ref": "#/components/responses/InternalError"},
                              "503": {"$ref": "#/components/responses/Busy"}}
    if authenticated:
        common["401"] = {"$ref": "#/components/responses/Unauthorized"}
    public = {k: v for k, v in common.items() if k != "401"}
    body_errors = {"400": {"$ref": "#/components/responses/BadRequest"},
                   "413": {"$ref": "#/components/responses/TooLarge"},
                   "415": {"$ref": "#/components/responses/UnsupportedMediaType"}}
    dossier_body = {
        "required": True,
        "description": "A greentrade dossier (JSON, `Content-Type: application/json`). A dossier that breaks "
        "the schema is still answered with 200 and a report of data findings; 400 is only for a body that "
        "is not a JSON object.",
        "content": {"application/json": {"schema": {"anyOf": [_ref("Dossier"), _ref("UncheckedDossier")]}}},
    }

    def get(summary: str, op: str, response: dict[str, Any], *, errors: Mapping[str, Any] | None = None,
            open_: bool = False, **more: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"summary": summary, "operationId": op, "parameters": [request_id, *more.pop(
            "parameters", [])], "responses": {"200": response, **(public if open_ else common), **(errors or {})}}
        if open_:
            out["security"] = []
        out.update(more)
        return {"get": out}

    def listing(summary: str, op: str, item: str) -> dict[str, Any]:
        return get(summary, op, _ok(summary, {"type": "array", "items": _ref(item)}))

    def post(summary: str, op: str, description: str, response: dict[str, Any], parameters: list[Any],
             body: dict[str, Any]) -> dict[str, Any]:
        return {"post": {"summary": summary, "description": description, "operationId": op,
                         "parameters": [request_id, *parameters], "requestBody": body,
                         "responses": {"200": response, **body_errors, **common}}}

    batch = (f"One dossier per line in (`Content-Type: {JSONL}`); one compact report per line out, in the "
             "same order, streamed as each is ready. A line that is not a dossier gives a problem document "
             "(with `line`) in its place. Blank lines are skipped. A batch may have at most "
             f"{settings.max_batch_lines} lines, take at most {settings.batch_timeout:g} s and answer at most "
             f"{settings.max_batch_output_bytes} bytes: past a limit, a last problem line (408 or 413, with "
             "`line`) ends the stream.")
    paths: dict[str, Any] = {
        "/v1/validate": post(
            "Validate a dossier", "validate",
            "The report, byte for byte what `greentrade validate --format json` prints.",
            _ok("The report (also for a dossier with error findings, or one that breaks the schema).",
                _ref("Report")), [as_of], dossier_body),
        "/v1/assess": post(
            "Readiness matrix of a dossier's products", "assess",
            "Byte for byte what `greentrade assess --format json` prints.",
            _ok("The assessment.", _ref("Assessment")),
            [{"name": "as_of", "in": "query", "required": False,
              "description": "Readiness date (YYYY-MM-DD); by default the configured as_of, else today.",
              "schema": {"type": "string", "format": "date"}},
             {"name": "market", "in": "query", "required": False, "style": "form", "explode": True,
              "description": "A buyer-profile region or an ISO 3166-1 alpha-2 code; repeat for more "
              "(default: every region of the loaded profiles).",
              "schema": {"type": "array", "items": {"type": "string", "enum": markets}}}],
            dossier_body),
        "/v1/validate-batch": post(
            "Validate dossiers given as JSON Lines", "validateBatch", batch,
            _ok("One report (or problem document) per non-blank input line.", _STR, JSONL), [as_of],
            {"required": True, "description": "JSON Lines: one dossier (a JSON object) per line.",
             "content": {JSONL: {"schema": _STR}}}),
        "/v1/rules": listing("Every loaded rule", "listRules", "RuleEntry"),
        "/v1/plugins": listing("Plugins: loaded (with what of them was refused) and installed but not enabled",
                               "listPlugins", "PluginEntry"),
        "/v1/categories": listing("The product category vocabulary", "listCategories", "CategoryEntry"),
        "/v1/standards": listing("The standards catalogs of the loaded plugins", "listStandards", "StandardEntry"),
        "/v1/schemas/{name}": get(
            "A JSON Schema, self-contained (every $ref points inside the document)", "getSchema",
            _ok("The schema.", {"type": "object"}, "application/schema+json"),
            errors={"404": _problem("No schema of that name.")},
            parameters=[{"name": "name", "in": "path", "required": True,
                         "schema": {"type": "string", "enum": schema_names()}}]),
        "/healthz": get("Liveness: the worker is up", "health", _ok("Up.", _ref("Health")), open_=True),
        "/readyz": get("Readiness: plugins loaded, engine built, not shutting down", "ready",
                       _ok("Ready to evaluate.", _ref("Readiness")),
                       errors={"503": _problem("Not ready (starting or shutting down).", a="Retry-After")},
                       open_=True),
        "/metrics": get("Prometheus metrics of this worker (text exposition format)", "metrics",
                        _ok("The metrics.", _STR, METRICS)),
        "/openapi.json": get("This document", "openapi", _ok("OpenAPI 3.1", {"type": "object"})),
    }
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "greentrade",
            "version": __version__,
            "description": "Check green-product export dossiers against trade-pilot rules (docs/server.md). "
            f"Plugins: {', '.join(p.name for p in engine.plugins) or 'none'}. Answers over "
            f"{settings.gzip_min_bytes} bytes are gzip-compressed for clients that send "
            "`Accept-Encoding: gzip`.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": {
            "schemas": _merge(components(["dossier", "report", "assessment"]), _OWN_SCHEMAS),
            "responses": _responses(settings),
            "headers": _HEADERS,
            "parameters": {
                "RequestId": {"name": "X-Request-ID", "in": "header", "required": False,
                              "description": "An id of the client's own for this request: used when it is 1 to "
                              "128 letters, digits and `._:-`, otherwise (or when missing) replaced by a new "
                              "UUID.", "schema": _STR},
                "AsOf": {"name": "as_of", "in": "query", "required": False,
                         "description": "Evaluation date (YYYY-MM-DD); by default each shipment's ship date.",
                         "schema": {"type": "string", "format": "date"}},
            },
        },
    }
    if authenticated:
        doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        doc["security"] = [{"bearer": []}]
    return doc


def _merge(schemas: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    clash = sorted(set(schemas) & set(own))
    if clash:  # pragma: no cover - a new shipped schema named like one of the service's own
        raise ValueError(f"component names used twice: {', '.join(clash)}")
    return {**schemas, **own}
