"""The service's operations features in process (httpx over ASGI): only JSON bodies, the Host
allow-list, CORS, gzip, metrics, readiness, the decision log, the capacity share, batch bounds,
the head limit and the relative redirect."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from pathlib import Path

import httpx
import pytest
from _helpers_server import MINIMAL, Api, SlowPlugin, core_engine, problem

from greentrade import Engine
from greentrade.server import Settings
from greentrade.server._ops import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "zhejiang-solar-portfolio.json"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return core_engine(config=ROOT / "examples" / "greentrade.toml")


@pytest.fixture(scope="module")
def api(engine: Engine) -> Api:
    return Api(engine)


@pytest.mark.parametrize("media", [None, "text/plain", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x", "application/xml", "image/png",
                                   "application/json; charset=latin-1"])
def test_a_body_that_is_not_json_is_refused_before_the_engine(api: Api, media: str | None) -> None:
    headers = {"Content-Type": media} if media else {"Content-Type": ""}
    for path in ("/v1/validate", "/v1/assess"):
        r = api.request("POST", path, content=MINIMAL, headers=headers)
        p = problem(r, 415, "unsupported-media-type")
        assert "application/json" in p["detail"]
        assert r.headers["accept-post"] == "application/json"
    assert api.log[-1].get("dossier_sha256") is None  # the body was never read


def test_json_media_types_are_accepted(api: Api) -> None:
    for media in ("application/json", "application/json; charset=utf-8", "application/vnd.greentrade+json"):
        assert api.request("POST", "/v1/validate", content=MINIMAL, headers={"Content-Type": media}).status_code == 200
    batch = api.request("POST", "/v1/validate-batch", content=MINIMAL, headers={"Content-Type": "application/json"})
    assert problem(batch, 415, "unsupported-media-type")["detail"].startswith("the body must be application/x-ndjson")
    for media in ("application/x-ndjson", "application/jsonl"):
        r = api.request("POST", "/v1/validate-batch", content=MINIMAL, headers={"Content-Type": media})
        assert r.status_code == 200


def test_the_host_header_is_checked(engine: Engine) -> None:
    api = Api(engine)
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000", "LOCALHOST:1"):
        assert api.request("GET", "/v1/plugins", headers={"Host": host}).status_code == 200, host
    p = problem(api.request("GET", "/v1/plugins", headers={"Host": "attacker.example"}), 400, "bad-host")
    assert "attacker.example" in p["detail"]
    problem(api.request("POST", "/v1/validate", content=MINIMAL, headers={"Host": "rebind.example:8000"}), 400,
            "bad-host")
    named = Api(engine, Settings(allowed_hosts=["greentrade.internal"]))
    assert named.request("GET", "/healthz", headers={"Host": "greentrade.internal"}).status_code == 200
    problem(named.request("GET", "/healthz", headers={"Host": "127.0.0.1"}), 400, "bad-host")
    anyone = Api(engine, Settings(allowed_hosts=["*"]))
    assert anyone.request("GET", "/healthz", headers={"Host": "whatever.example"}).status_code == 200


def test_cors_is_off_by_default_and_configurable(engine: Engine) -> None:
    preflight = {"Origin": "https://erp.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    off = Api(engine)
    r = off.request("OPTIONS", "/v1/validate", headers=preflight)
    assert "access-control-allow-origin" not in r.headers
    r = off.request("GET", "/v1/plugins", headers={"Origin": "https://erp.example"})
    assert "access-control-allow-origin" not in r.headers
    on = Api(engine, Settings(cors_origins=["https://erp.example"]), token="t0ken")
    r = on.request("OPTIONS", "/v1/validate", headers=preflight)
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://erp.example"
    r = on.request("POST", "/v1/validate", content=MINIMAL, headers={"Origin": "https://erp.example"})
    problem(r, 401, "unauthorized")  # the browser may read the problem document
    assert r.headers["access-control-allow-origin"] == "https://erp.example"
    assert "x-request-id" in r.headers["access-control-expose-headers"].lower()
    r = on.request("OPTIONS", "/v1/validate", headers={**preflight, "Origin": "https://other.example"})
    assert "access-control-allow-origin" not in r.headers


def test_answers_over_the_threshold_are_gzipped(api: Api) -> None:
    body = EXAMPLE.read_bytes()

    async def go() -> list[httpx.Response]:
        async with api.client() as c:
            out = []
            for enc in ("gzip", "identity"):
                req = c.build_request("POST", "/v1/validate", content=body, headers={"Accept-Encoding": enc})
                out.append(await c.send(req, stream=True))
                await out[-1].aread()
            req = c.build_request("GET", "/healthz", headers={"Accept-Encoding": "gzip"})
            out.append(await c.send(req))
            req = c.build_request("POST", "/v1/validate-batch", content=body.replace(b"\n", b"") + b"\n",
                                  headers={"Accept-Encoding": "gzip"})
            out.append(await c.send(req))
            return out

    zipped, plain, small, batch = asyncio.run(go())
    assert zipped.headers["content-encoding"] == "gzip" and plain.headers.get("content-encoding") is None
    assert json.loads(zipped.content) == json.loads(plain.content)
    assert int(zipped.headers["content-length"]) < len(plain.content) / 4
    assert small.headers.get("content-encoding") is None  # under the threshold
    assert batch.headers.get("content-encoding") is None  # streamed lines are never held back
    assert zipped.headers["vary"] == "Accept-Encoding"


def test_metrics_and_readiness(engine: Engine) -> None:
    api = Api(engine, token="t0ken")
    auth = {"Authorization": "Bearer t0ken"}
    assert api.request("POST", "/v1/validate", content=EXAMPLE.read_bytes(), headers=auth).status_code == 200
    assert api.request("GET", "/metrics").status_code == 401  # metrics need the token
    ready = api.request("GET", "/readyz")  # readiness does not
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    text = api.request("GET", "/metrics", headers=auth).text
    assert api.request("GET", "/metrics", headers=auth).headers["content-type"].startswith("text/plain; version=0.0.4")
    for line in ('greentrade_http_requests_total{method="POST",route="/v1/validate",status="200"} 1.0',
                 'greentrade_http_requests_total{method="GET",route="/metrics",status="401"} 1.0',
                 'greentrade_outcomes_total{program="cn-green-channel",status="not_applicable"}',
                 "greentrade_http_request_duration_seconds_bucket{le=", "greentrade_queue_length 0.0",
                 "greentrade_evaluations_running 0.0", "greentrade_queue_wait_seconds_count 1.0"):
        assert line in text, line
    api.app.state.service.ready = False  # as while shutting down
    problem(api.request("GET", "/readyz"), 503, "not-ready")


def test_the_decision_log_has_one_line_per_validation(engine: Engine, tmp_path: Path) -> None:
    target = tmp_path / "decisions.jsonl"
    api = Api(engine, Settings(decision_log=str(target)))
    body = EXAMPLE.read_bytes()
    r = api.request("POST", "/v1/validate", content=body, params={"as_of": "2026-07-01"},
                    headers={"X-Request-ID": "decide-1"})
    report = r.json()
    line = json.dumps(json.loads(body)).encode()
    api.request("POST", "/v1/validate-batch", content=line + b"\n[1]\n" + MINIMAL + b"\n",
                headers={"X-Request-ID": "decide-2"})
    api.request("POST", "/v1/validate", content=b"[1]")  # not a dossier: no decision
    entries = [json.loads(x) for x in target.read_text().splitlines()]
    assert [(e["request_id"], e.get("line")) for e in entries] == [("decide-1", None), ("decide-2", 1),
                                                                   ("decide-2", 3)]
    first = entries[0]
    assert first["input_sha256"] == hashlib.sha256(body).hexdigest() == report["input_sha256"]
    assert first["as_of"] == "2026-07-01" and first["path"] == "/v1/validate"
    assert first["plugins"] == {p["name"]: p["version"] for p in report["plugins"]}
    counts: dict[str, dict[str, int]] = {}
    for o in report["outcomes"]:
        counts.setdefault(o["program"], {}).setdefault(o["status"], 0)
        counts[o["program"]][o["status"]] += 1
    assert first["outcomes"] == counts
    assert first["findings"] == {k: v for k, v in report["counts"].items() if v}
    names = [p["name"] for p in json.loads(body)["parties"]]
    assert not any(n in target.read_text() for n in names)  # never a value of the dossier


def test_health_and_authenticated_requests_keep_a_share_of_capacity() -> None:
    slow = SlowPlugin()
    engine = Engine()
    engine.register(slow, name="slow")
    api = Api(engine, Settings(max_connections=4, max_concurrent=8, request_timeout=20), token="t0ken")
    auth = {"Authorization": "Bearer t0ken"}

    async def go() -> tuple[int, int, int, list[int]]:
        async with api.client() as c:
            # Three requests in progress: the share of requests without a valid token is taken.
            running = [asyncio.create_task(c.post("/v1/validate", content=MINIMAL, headers=auth)) for _ in range(3)]
            while api.app.state.service.admission.used < 3:
                await asyncio.sleep(0.01)
            stranger = await c.post("/v1/validate", content=MINIMAL, headers={"Authorization": "Bearer guess"})
            health = await c.get("/healthz")
            member = asyncio.create_task(c.post("/v1/validate", content=MINIMAL, headers=auth))
            while api.app.state.service.admission.used < 4:
                await asyncio.sleep(0.01)
            slow.release.set()
            return stranger.status_code, health.status_code, (await member).status_code, [
                (await t).status_code for t in running]

    assert asyncio.run(go()) == (503, 200, 200, [200, 200, 200])


def test_batches_are_bounded_in_lines_output_and_time(engine: Engine) -> None:
    lines = Api(engine, Settings(max_batch_lines=2))
    p = problem(lines.request("POST", "/v1/validate-batch", content=MINIMAL + b"\n" + b"{}\n" + b"{}\n"), 413,
                "too-many-lines")
    assert p["limit"] == 2 and "3 dossiers" in p["detail"]
    one = len(engine.validate(MINIMAL).to_json().encode())
    output = Api(engine, Settings(max_batch_output_bytes=2 * one + 10))
    r = output.request("POST", "/v1/validate-batch", content=b"\n".join([MINIMAL] * 5) + b"\n")
    answers = [json.loads(x) for x in r.content.splitlines()]
    assert len(answers) == 3 and answers[-1]["status"] == 413 and answers[-1]["line"] == 3
    assert answers[-1]["limit"] == 2 * one + 10

    slow = SlowPlugin()
    slow_engine = Engine()
    slow_engine.register(slow, name="slow")
    timed = Api(slow_engine, Settings(batch_timeout=0.3, request_timeout=20))
    try:
        r = timed.request("POST", "/v1/validate-batch", content=MINIMAL + b"\n" + MINIMAL + b"\n")
        answers = [json.loads(x) for x in r.content.splitlines()]
        assert [(a["status"], a["title"], a["line"]) for a in answers] == [(408, "Batch timeout", 1)]
    finally:
        slow.release.set()


def test_a_head_over_the_limit_is_431(engine: Engine) -> None:
    api = Api(engine, Settings(max_header_bytes=4096))
    p = problem(api.request("GET", "/healthz", headers={"X-Big": "a" * 5000}), 431, "headers-too-large")
    assert p["limit"] == 4096
    assert api.request("GET", "/healthz", headers={"X-Big": "a" * 3000}).status_code == 200


def test_the_trailing_slash_redirect_is_relative(api: Api) -> None:
    r = api.request("GET", "/v1/rules/", params={"x": "1"})
    assert r.status_code == 307 and r.headers["location"] == "../rules?x=1"
    assert api.request("GET", "/healthz/").headers["location"] == "../healthz"
    assert api.request("POST", "/v1/validate/", content=MINIMAL).headers["location"] == "../validate"
    assert api.request("GET", "/v1/schemas/dossier/").headers["location"] == "../dossier"
    problem(api.request("GET", "/nope/"), 404, "not-found")


def test_rules_show_their_basis_as_the_cli_does(api: Api, engine: Engine) -> None:
    rules = api.request("GET", "/v1/rules").json()
    assert [(r["id"], r["basis"], r["declared_basis"]) for r in rules] == [
        (r.id, engine.rule_basis(r), str(r.basis)) for r in engine.rules]
    assert {r["basis"] for r in rules} >= {"stated", "inferred"}


def test_log_records_are_json_lines() -> None:
    record = logging.LogRecord("uvicorn.error", logging.WARNING, __file__, 1, "Started %s", ("x",), None)
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["level"], entry["logger"], entry["message"]) == ("warning", "uvicorn.error", "Started x")
    access = logging.LogRecord("greentrade.server.access", logging.INFO, __file__, 1, '{"status":200}', (), None)
    assert JsonFormatter().format(access) == '{"status":200}'


def test_settings_are_range_checked() -> None:
    from greentrade.errors import SettingsError

    for bad, message in ((Settings(max_queue=-1), "--max-queue must be at least 0"),
                         (Settings(queue_timeout=float("inf")), "--queue-timeout must be a positive number"),
                         (Settings(log_level="loud"), "--log-level must be one of"),
                         (Settings(cors_origins=["erp.example"]), "--cors-origin must be")):
        with pytest.raises(SettingsError, match=message):
            bad.check()
