"""The service's API in process (httpx over ASGI): answers, problem documents, limits, token, log."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import json
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from _helpers_server import MINIMAL, Api, SlowPlugin, _media, core_engine, problem

from greentrade import Citation, Engine, Hit, Rule, RuleContext, Severity, assess, hookimpl
from greentrade.server import Settings
from greentrade.server._schemas import bundle

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "zhejiang-solar-portfolio.json"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return core_engine()


@pytest.fixture(scope="module")
def api(engine: Engine) -> Api:
    return Api(engine)


# -- answers -------------------------------------------------------------------------------------------
def test_validate_answers_the_report_as_the_cli_prints_it(api: Api, engine: Engine) -> None:
    body = EXAMPLE.read_bytes()
    r = api.request("POST", "/v1/validate", content=body, params={"as_of": "2026-07-01"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    import datetime as dt

    assert r.content == engine.validate(body, as_of=dt.date(2026, 7, 1)).to_json(indent=2).encode()
    assert r.json()["as_of"] == "2026-07-01"


def test_a_dossier_with_data_errors_is_answered_with_200(api: Api) -> None:
    r = api.request("POST", "/v1/validate", content=b'{"format": "greentrade.dossier/1", "parties": 3}')
    assert r.status_code == 200
    report = r.json()
    assert report["evaluated"] is False
    assert [f["rule"] for f in report["findings"] if f["pointer"] == "/parties"] == ["GT-SCHEMA-001"]


@pytest.mark.parametrize(("body", "detail"), [
    (b"{not json", "not valid JSON: line 1, column 2"),
    (b"[1, 2]", "the top-level JSON value is an array"),
    (b"\xff\xfe", "not UTF-8"),
    (b"", "not valid JSON"),
])
def test_input_that_is_not_a_dossier_is_a_400_problem_with_a_pointer(api: Api, body: bytes, detail: str) -> None:
    p = problem(api.request("POST", "/v1/validate", content=body), 400, "not-a-dossier")
    assert detail in p["detail"]
    assert p["pointer"] == ""


@pytest.mark.parametrize(("params", "parameter", "detail"), [
    ({"as_of": "2026-02-30"}, "as_of", "not a calendar date"),
    ({"asof": "2026-01-01"}, "asof", "unknown query parameter 'asof'"),
    ([("as_of", "2026-01-01"), ("as_of", "2026-01-02")], "as_of", "given 2 times"),
])
def test_bad_query_parameters(api: Api, params: Any, parameter: str, detail: str) -> None:
    p = problem(api.request("POST", "/v1/validate", content=MINIMAL, params=params), 400, "bad-parameter")
    assert p["parameter"] == parameter
    assert detail in p["detail"]


def test_assess_takes_repeated_markets(api: Api, engine: Engine) -> None:
    body = (ROOT / "plugins" / "buyer-profiles" / "examples" / "portfolio.json").read_bytes()
    params = [("market", "VN"), ("market", "DE"), ("as_of", "2026-09-01")]
    r = api.request("POST", "/v1/assess", content=body, params=params)
    assert r.status_code == 200
    import datetime as dt

    expected = assess(engine, body, markets=["VN", "DE"], as_of=dt.date(2026, 9, 1)).to_json()
    assert r.content == expected.encode()
    assert [m["id"] for m in r.json()["markets"]] == ["VN", "DE"]
    p = problem(api.request("POST", "/v1/assess", content=body, params={"market": "Atlantis"}), 400, "bad-parameter")
    assert p["parameter"] == "market" and "Atlantis" in p["detail"]


def test_batch_streams_one_answer_per_line_in_order(api: Api, engine: Engine) -> None:
    dossier = json.dumps(json.loads(EXAMPLE.read_bytes())).encode()
    lines = [dossier, b"", MINIMAL, b"[1]", b"   ", b"{oops", dossier]
    r = api.request("POST", "/v1/validate-batch", content=b"\n".join(lines) + b"\n",
                    params={"as_of": "2026-07-01"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/x-ndjson"
    out = r.content.split(b"\n")
    assert out[-1] == b"" and len(out) == 6  # five non-blank lines, each answer ends with a newline
    import datetime as dt

    day = dt.date(2026, 7, 1)
    assert out[0] + b"\n" == engine.validate(dossier, as_of=day).to_json().encode()
    assert out[1] + b"\n" == engine.validate(MINIMAL, as_of=day).to_json().encode()
    bad = [json.loads(out[2]), json.loads(out[3])]
    assert [(b["status"], b["line"], b["pointer"]) for b in bad] == [(400, 4, ""), (400, 6, "")]
    assert out[4] == out[0]
    assert api.log[-1]["lines"] == 5


def test_listings(api: Api, engine: Engine) -> None:
    rules = api.request("GET", "/v1/rules").json()
    assert [r["id"] for r in rules] == [r.id for r in engine.rules]
    assert {r["plugin"] for r in rules} >= {"greentrade"}
    plugins = api.request("GET", "/v1/plugins").json()
    assert [p["name"] for p in plugins] == [p.name for p in engine.plugins]
    categories = api.request("GET", "/v1/categories").json()
    assert [c["id"] for c in categories] == [c.id for c in engine.categories]
    standards = api.request("GET", "/v1/standards").json()
    assert len(standards) == len(list(engine.catalog))
    health = api.request("GET", "/healthz").json()
    assert health["status"] == "ok"


class _RefusedRule:
    """A plugin with one good rule and one the engine refuses (a role it does not know)."""

    __version__ = "1.0"
    _cite = Citation(authority="greentrade test suite", title="refused rule (test fixture)", reference="tests")

    @hookimpl
    def greentrade_programs(self) -> list[Any]:
        from greentrade import Period, Program

        return [Program(id="mini", title="Mini", authority="test", effective=Period(), citation=self._cite)]

    @hookimpl
    def greentrade_rules(self) -> list[Rule]:
        return [Rule(id=f"MINI-00{n}", title="t", severity=Severity.ERROR, check=lambda _ctx: (), citation=self._cite,
                     program="mini", basis="stated", **kw) for n, kw in ((1, {}), (2, {"role": "Check"}))]


def test_plugins_lists_refused_contributions_as_the_cli_does(monkeypatch: Any) -> None:
    from greentrade import cli

    def engine(*_args: Any) -> Engine:
        e = core_engine()
        e.register(_RefusedRule(), name="mini")
        return e

    served = Api(engine()).request("GET", "/v1/plugins").json()
    [mini] = [p for p in served if p["name"] == "mini"]
    assert mini["rules"] == 1 and any("rule 'MINI-002' rejected" in f for f in mini["faults"])
    assert all("faults" not in p for p in served if p["name"] != "mini")
    monkeypatch.setattr(cli, "_engine", engine)  # the CLI, in process, with the same engine
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert cli.main(["plugins", "--format", "json"]) == 0
    assert json.loads(buffer.getvalue()) == served


def test_plugins_lists_installed_plugins_left_out(tmp_path: Path) -> None:
    config = tmp_path / "greentrade.toml"
    config.write_text('[greentrade]\nplugins = ["cn-green-channel"]\n')
    served = {p["name"]: p for p in Api(core_engine(config)).request("GET", "/v1/plugins").json()}
    assert served["itc-green-export-pass"]["enabled"] is False and "enabled" not in served["cn-green-channel"]
    cli_out = subprocess.run([sys.executable, "-m", "greentrade.cli", "--config", str(config), "plugins", "--format",
                              "json"], capture_output=True, text=True, check=True).stdout
    assert {p["name"]: p for p in json.loads(cli_out)} == served


@pytest.mark.parametrize("name", ["dossier", "report", "assessment", "config", "rule-case"])
def test_schemas_are_self_contained(api: Api, name: str) -> None:
    r = api.request("GET", f"/v1/schemas/{name}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/schema+json"
    doc = r.json()
    assert doc == bundle(name)
    refs = [m for m in json.dumps(doc).split('"$ref": "')[1:]]
    assert refs and all(ref.startswith("#") for ref in refs)
    jsonschema.Draft202012Validator.check_schema(doc)
    # One file is enough: no registry, and a retrieval would fail.
    validator = jsonschema.Draft202012Validator(doc)
    if name == "dossier":
        assert validator.is_valid(json.loads(EXAMPLE.read_bytes()))
        assert not validator.is_valid({"format": "greentrade.dossier/1", "parties": [{"id": 1}]})


def test_unknown_paths_and_methods_are_problems(api: Api) -> None:
    assert "no schema named 'nope'" in problem(api.request("GET", "/v1/schemas/nope"), 404, "not-found")["detail"]
    problem(api.request("GET", "/v2/validate"), 404, "not-found")
    problem(api.request("GET", "/v1/validate"), 405, "method-not-allowed")


def test_openapi_document(api: Api) -> None:
    doc = api.request("GET", "/openapi.json").json()
    assert doc["openapi"] == "3.1.0"
    ok = doc["paths"]["/v1/validate"]["post"]
    assert ok["requestBody"]["content"]["application/json"]["schema"] == {
        "anyOf": [{"$ref": "#/components/schemas/Dossier"}, {"$ref": "#/components/schemas/UncheckedDossier"}]}
    assert ok["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Report"}
    assert "security" not in doc
    # valid against the OpenAPI 3.1 schema (the copy schemathesis ships)
    from schemathesis.specs.openapi import definitions

    errors = [str(e) for e in definitions.OPENAPI_31_VALIDATOR.iter_errors(doc)]
    assert errors == []
    # every reference resolves inside the document, and none points into a schema's $defs
    text = json.dumps(doc)
    refs = {part.split('"')[0] for part in text.split('"$ref": "')[1:]}
    refs |= set(doc["components"]["schemas"]["Dossier"]["discriminator"]["mapping"].values())
    for ref in refs:
        assert "$defs" not in ref and ref.startswith("#/components/"), ref
        node: Any = doc
        for key in ref.removeprefix("#/").split("/"):
            node = node[key]
    assert "$defs" not in text and "$id" not in text


def test_openapi_components_are_named_once_and_typed(api: Api) -> None:
    schemas = api.request("GET", "/openapi.json").json()["components"]["schemas"]
    # the same-named definitions of two schemas are two components
    names = {"Product", "AssessmentProduct", "Dossier1", "Dossier2", "CommonDate", "Report", "Assessment",
             "PartyRolesItem"}  # an array's inline enum is a component of its own (Java generators need it)
    assert names <= set(schemas)
    assert all("title" not in body for body in schemas.values())  # generators would name classes after titles
    # the dossier: oneOf over the two formats, discriminated by `format`
    dossier = schemas["Dossier"]
    assert dossier["oneOf"] == [{"$ref": "#/components/schemas/Dossier1"}, {"$ref": "#/components/schemas/Dossier2"}]
    assert dossier["discriminator"] == {"propertyName": "format", "mapping": {
        "greentrade.dossier/1": "#/components/schemas/Dossier1",
        "greentrade.dossier/2": "#/components/schemas/Dossier2"}}
    assert not any("if" in body for body in _subschemas(schemas))
    assert schemas["Party"]["properties"]["roles"]["items"] == {"$ref": "#/components/schemas/PartyRolesItem"}
    assert not any("enum" in b.get("items", {}) for b in _subschemas(schemas) if isinstance(b.get("items"), dict))
    # the components accept what the library's schemas accept
    doc = {"components": {"schemas": schemas}, **schemas["Dossier"]}
    validator = jsonschema.Draft202012Validator(doc)
    example = json.loads(EXAMPLE.read_bytes())
    assert validator.is_valid(example)
    assert not validator.is_valid({**example, "format": "greentrade.dossier/3"})
    assert not validator.is_valid({"format": "greentrade.dossier/1", "parties": [{"id": 1}]})


def _subschemas(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key != "properties":
                yield from _subschemas(value)
            else:
                for sub in value.values():
                    yield from _subschemas(sub)
    elif isinstance(node, list):
        for value in node:
            yield from _subschemas(value)


@pytest.mark.parametrize("token", [None, "t0ken"])
def test_openapi_documents_every_answer(engine: Engine, token: str | None) -> None:
    api = Api(engine, token=token)
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    doc = api.request("GET", "/openapi.json", headers=auth).json()
    responses = doc["components"]["responses"]
    for path, item in doc["paths"].items():
        for method, op in item.items():
            codes = set(op["responses"])
            assert {"200", "408", "431", "500", "503"} <= codes, (path, method)
            if token and op.get("security") != []:
                assert "401" in codes
            if method == "post":
                assert {"400", "413", "415"} <= codes
            assert op["parameters"][0] == {"$ref": "#/components/parameters/RequestId"}
            for code, answer in op["responses"].items():
                answer = responses[answer["$ref"].rsplit("/", 1)[1]] if "$ref" in answer else answer
                assert "X-Request-ID" in answer["headers"], (path, code)
    assert set(responses["Busy"]["headers"]) == {"X-Request-ID", "Retry-After"}
    assert "WWW-Authenticate" in responses["Unauthorized"]["headers"]
    assert set(doc["components"]["headers"]) == {"X-Request-ID", "Retry-After", "WWW-Authenticate"}


# -- the access log --------------------------------------------------------------------------------------
def test_access_log_has_the_sha256_and_never_the_dossier(engine: Engine) -> None:
    api = Api(engine)
    body = EXAMPLE.read_bytes()
    r = api.request("POST", "/v1/validate", content=body, headers={"X-Request-ID": "erp-4711"})
    assert r.headers["x-request-id"] == "erp-4711"
    entry = api.log[-1]
    assert entry["request_id"] == "erp-4711"
    assert entry["status"] == 200 and entry["method"] == "POST" and entry["path"] == "/v1/validate"
    assert entry["dossier_sha256"] == hashlib.sha256(body).hexdigest() == r.json()["input_sha256"]
    assert isinstance(entry["duration_ms"], float)
    names = [p["name"] for p in json.loads(body)["parties"]]
    assert not any(n in json.dumps(entry) for n in names)
    # an id that could forge log content is replaced
    r = api.request("GET", "/healthz", headers={"X-Request-ID": 'x", "status": 1'})
    assert r.headers["x-request-id"] != 'x", "status": 1' and api.log[-1]["request_id"] == r.headers["x-request-id"]


# -- the token ---------------------------------------------------------------------------------------------
def test_bearer_token(engine: Engine) -> None:
    api = Api(engine, token="s3cret-token")
    p = problem(api.request("POST", "/v1/validate", content=MINIMAL), 401, "unauthorized")
    assert "Bearer" in p["detail"]
    r = api.request("POST", "/v1/validate", content=MINIMAL, headers={"Authorization": "Bearer wrong"})
    assert problem(r, 401, "unauthorized")["detail"] == "the bearer token is wrong"
    assert r.headers["www-authenticate"].startswith("Bearer")
    r = api.request("POST", "/v1/validate", content=MINIMAL, headers={"Authorization": "Basic s3cret-token"})
    problem(r, 401, "unauthorized")
    r = api.request("POST", "/v1/validate", content=MINIMAL, headers={"Authorization": "Bearer s3cret-token"})
    assert r.status_code == 200
    assert api.request("GET", "/v1/rules").status_code == 401
    assert api.request("GET", "/healthz").status_code == 200
    doc = api.request("GET", "/openapi.json", headers={"Authorization": "bearer s3cret-token"}).json()
    assert doc["security"] == [{"bearer": []}]
    assert doc["paths"]["/healthz"]["get"]["security"] == []


# -- limits ------------------------------------------------------------------------------------------------
def test_body_over_the_limit_is_413(engine: Engine) -> None:
    api = Api(engine, Settings(max_body_bytes=100))
    p = problem(api.request("POST", "/v1/validate", content=b" " * 101), 413, "too-large")
    assert p["limit"] == 100

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted while reading
        for _ in range(5):
            yield b" " * 30

    problem(api.request("POST", "/v1/validate", content=chunks()), 413, "too-large")
    problem(api.request("POST", "/v1/validate-batch", content=b"\n" * 101), 413, "too-large")
    assert api.request("POST", "/v1/validate", content=MINIMAL).status_code == 200


def test_a_slow_body_is_408(engine: Engine) -> None:
    api = Api(engine, Settings(request_timeout=0.3))

    async def slow() -> AsyncIterator[bytes]:
        yield b'{"format": '
        await asyncio.sleep(2)
        yield b'"greentrade.dossier/1"}'

    p = problem(api.request("POST", "/v1/validate", content=slow()), 408, "timeout")
    assert "body did not arrive" in p["detail"]
    assert api.request("POST", "/v1/validate", content=MINIMAL).status_code == 200


def test_a_slow_evaluation_is_408_and_keeps_its_slot_until_its_rule_returns() -> None:
    slow = SlowPlugin()
    engine = Engine()
    engine.register(slow, name="slow")
    api = Api(engine, Settings(request_timeout=0.5, max_concurrent=1, max_queue=0))
    try:
        p = problem(api.request("POST", "/v1/validate", content=MINIMAL), 408, "timeout")
        assert "evaluation did not finish" in p["detail"]
        assert slow.entered.is_set()
        # The running rule cannot be interrupted, so the only slot is taken (and no queue).
        busy = api.request("POST", "/v1/validate", content=MINIMAL)
        assert problem(busy, 503, "busy")["limit"] == 1
        assert busy.headers["retry-after"] == "1"
        assert api.request("GET", "/healthz").status_code == 200  # the loop still answers
    finally:
        slow.release.set()
    for _ in range(50):
        r = api.request("POST", "/v1/validate", content=MINIMAL)
        if r.status_code != 503:
            break
        asyncio.run(asyncio.sleep(0.05))
    assert r.status_code == 200


class TwoStepPlugin(SlowPlugin):
    """A slow rule, then a rule that records that it ran."""

    def __init__(self) -> None:
        super().__init__()
        self.second_ran = threading.Event()

    def _second(self, _ctx: RuleContext) -> Iterator[Hit]:
        self.second_ran.set()
        return iter(())

    @hookimpl
    def greentrade_rules(self) -> list[Rule]:
        c = Citation(authority="greentrade test suite", title="two-step rules (test fixture)", reference="tests")
        return [Rule(id="SLOW-001", title="waits", severity=Severity.ERROR, check=self._wait, citation=c,
                     program="slow", scope="dossier", basis="stated"),
                Rule(id="SLOW-002", title="records", severity=Severity.ERROR, check=self._second, citation=c,
                     program="slow", scope="dossier", basis="stated")]


def test_a_timed_out_evaluation_stops_at_the_next_rule() -> None:
    plugin = TwoStepPlugin()
    engine = Engine()
    engine.register(plugin, name="slow")
    api = Api(engine, Settings(request_timeout=0.3, max_concurrent=1))
    problem(api.request("POST", "/v1/validate", content=MINIMAL), 408, "timeout")
    plugin.release.set()
    for _ in range(100):
        if api.app.state.service.admission.used == 0:
            break
        asyncio.run(asyncio.sleep(0.02))
    assert api.app.state.service.admission.used == 0
    assert not plugin.second_ran.is_set()  # cancelled: the engine stopped before the next rule
    assert "greentrade_evaluations_cancelled_total 1.0" in api.request("GET", "/metrics").text


def test_a_client_that_goes_away_cancels_its_evaluation() -> None:
    plugin = TwoStepPlugin()
    engine = Engine()
    engine.register(plugin, name="slow")
    api = Api(engine, Settings(request_timeout=30, max_concurrent=1))
    messages = [{"type": "http.request", "body": MINIMAL, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        while not plugin.entered.is_set():
            await asyncio.sleep(0.01)
        return {"type": "http.disconnect"}  # the client hangs up while the rule runs

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def go() -> None:
        scope = _scope("POST", "/v1/validate", b"application/json")
        task = asyncio.ensure_future(api.app(scope, receive, send))
        await asyncio.sleep(0.2)
        plugin.release.set()
        await asyncio.wait_for(task, 10)

    asyncio.run(go())
    assert sent == []  # nobody to answer
    assert api.log[-1]["status"] == 499 and "closed the connection" in api.log[-1]["aborted"]
    for _ in range(100):
        if api.app.state.service.admission.used == 0:
            break
        asyncio.run(asyncio.sleep(0.02))
    assert not plugin.second_ran.is_set()


def _scope(method: str, path: str, media: bytes) -> dict[str, Any]:
    return {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
            "method": method, "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
            "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
            "headers": [(b"host", b"127.0.0.1"), (b"content-type", media)]}


def test_requests_over_the_slots_wait_in_a_bounded_queue() -> None:
    slow = SlowPlugin()
    engine = Engine()
    engine.register(slow, name="slow")
    api = Api(engine, Settings(max_concurrent=2, max_queue=1, queue_timeout=10, request_timeout=20))
    service = api.app.state.service

    async def go() -> list[int]:
        async with api.client() as c:
            first = [asyncio.create_task(c.post("/v1/validate", content=MINIMAL)) for _ in range(2)]
            while service.admission.used < 2:
                await asyncio.sleep(0.01)
            queued = asyncio.create_task(c.post("/v1/validate", content=MINIMAL))
            while service.admission.queued < 1:
                await asyncio.sleep(0.01)
            full = await c.post("/v1/assess", content=MINIMAL)
            assert problem(full, 503, "busy")["detail"].startswith("2 evaluations are running and 1 requests")
            ready = (await c.get("/readyz")).json()
            assert (ready["evaluations"], ready["queued"]) == (2, 1)
            slow.release.set()
            return [full.status_code, *[(await t).status_code for t in [*first, queued]]]

    assert asyncio.run(go()) == [503, 200, 200, 200]
    assert service.admission.used == 0


def test_a_request_that_waits_too_long_in_the_queue_is_503() -> None:
    slow = SlowPlugin()
    engine = Engine()
    engine.register(slow, name="slow")
    api = Api(engine, Settings(max_concurrent=1, queue_timeout=0.2, request_timeout=20))

    async def go() -> httpx.Response:
        async with api.client() as c:
            running = asyncio.create_task(c.post("/v1/validate", content=MINIMAL))
            while api.app.state.service.admission.used < 1:
                await asyncio.sleep(0.01)
            waited = await c.post("/v1/validate", content=MINIMAL)
            slow.release.set()
            assert (await running).status_code == 200
            return waited

    r = asyncio.run(go())
    assert "no evaluation slot came free within 0.2 s" in problem(r, 503, "busy")["detail"]
    assert r.headers["retry-after"] == "1"


def test_the_library_does_not_import_the_server_dependencies() -> None:
    code = ("import sys, greentrade, greentrade.cli, greentrade.server; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn', 'httpx', 'anyio'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_batch_line_over_the_budget_ends_the_stream_with_a_408_line() -> None:
    slow = SlowPlugin()
    engine = Engine()
    engine.register(slow, name="slow")
    api = Api(engine, Settings(request_timeout=0.3, max_concurrent=1, max_queue=0))
    try:
        r = api.request("POST", "/v1/validate-batch", content=MINIMAL + b"\n" + MINIMAL + b"\n")
        assert r.status_code == 200  # the status was sent before the line overran
        answers = [json.loads(line) for line in r.content.splitlines()]
        assert [(a["status"], a["line"], a["type"]) for a in answers] == [
            (408, 1, "https://greentrade.dev/problems/timeout")]
        problem(api.request("POST", "/v1/validate", content=MINIMAL), 503, "busy")  # still evaluating line 1
    finally:
        slow.release.set()


def test_an_internal_error_is_a_500_problem(engine: Engine, monkeypatch: Any) -> None:
    api = Api(engine)

    def broken(*_a: Any, **_kw: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(api.app.state.service, "engine", type("E", (), {"validate": staticmethod(broken)})())

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=api.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1",
                                     event_hooks={"request": [_media]}) as c:
            return await c.post("/v1/validate", content=MINIMAL)

    p = problem(asyncio.run(go()), 500, "internal-error")
    assert "boom" not in p["detail"]  # the log has it, the client does not
    assert api.app.state.service.admission.used == 0
    assert api.log[-1]["status"] == 500


def test_a_client_that_stops_reading_a_batch_is_given_up(engine: Engine) -> None:
    api = Api(engine, Settings(request_timeout=0.5, max_concurrent=1))
    body = b"\n".join([MINIMAL] * 20) + b"\n"
    sent: list[dict[str, Any]] = []

    async def go() -> None:
        requests = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict[str, Any]:
            if requests:
                return requests.pop()
            await asyncio.sleep(3600)  # the client neither disconnects ...
            raise AssertionError

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and len(sent) > 3:
                await asyncio.sleep(3600)  # ... nor reads after the second line

        scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
                 "method": "POST", "scheme": "http", "path": "/v1/validate-batch", "raw_path": b"/v1/validate-batch",
                 "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
                 "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/x-ndjson")],
                 "server": ("127.0.0.1", 80)}
        await asyncio.wait_for(api.app(scope, receive, send), 10)

    asyncio.run(go())
    assert sent[0]["status"] == 200 and len(sent) == 4
    assert api.log[-1]["aborted"] == "the client did not take the answer within 0.5 s"
    for _ in range(100):  # the slot comes back once the line being evaluated ends
        if api.app.state.service.admission.used == 0:
            break
        asyncio.run(asyncio.sleep(0.02))
    assert api.app.state.service.admission.used == 0
