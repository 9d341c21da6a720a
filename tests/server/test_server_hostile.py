"""Hostile and unlucky clients against the real ``greentrade serve`` on loopback (bounded probes,
no timing assertions beyond generous bounds): partial heads, slow uploads, oversized and
malformed heads, the connection limit, shutdown with several workers. Every refusal is a
problem document."""

from __future__ import annotations

import contextlib
import hashlib
import json
import signal
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "examples" / "greentrade.toml"
MINIMAL = b'{"format": "greentrade.dossier/1"}'
JSON = {"Content-Type": "application/json"}


def read_all(sock: socket.socket) -> bytes:
    out = b""
    with contextlib.suppress(ConnectionResetError, TimeoutError):
        while chunk := sock.recv(65536):
            out += chunk
    return out


def answer(raw: bytes) -> tuple[int, dict[str, str], dict[str, Any]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    return int(lines[0].split()[1]), headers, json.loads(body)


def assert_problem(raw: bytes, status: int, slug: str) -> dict[str, Any]:
    code, headers, body = answer(raw)
    assert code == status, raw[:300]
    assert headers["content-type"] == "application/problem+json"
    assert body["type"].endswith("/" + slug) and body["request_id"] == headers["x-request-id"]
    return body


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=20)


@pytest.mark.parametrize("http", ["httptools", "h11"])
def test_partial_heads_cannot_starve_health_checks_or_requests(http: str, launch: Any) -> None:
    s = launch("serve", "--http", http, "--max-connections", "24", "--header-timeout", "30").wait_ready()
    hostile = []
    try:
        for _ in range(60):  # far more partial heads than the connection limit
            sock = connect(s.port)
            sock.sendall(b"POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            hostile.append(sock)
            time.sleep(0.005)
        with httpx.Client(base_url=s.url, timeout=20) as client:
            for _ in range(5):
                assert client.get("/healthz").status_code == 200
                assert client.post("/v1/validate", content=MINIMAL, headers=JSON).status_code == 200
        # the oldest partial heads were closed to make room, each with a 408 problem document
        assert_problem(read_all(hostile[0]), 408, "timeout")
    finally:
        for sock in hostile:
            sock.close()
    assert '"refused":"evicted"' in s.log()


@pytest.mark.parametrize("http", ["httptools", "h11"])
def test_slow_uploads_hold_no_evaluation_slot(http: str, launch: Any) -> None:
    s = launch("serve", "--http", http, "--max-concurrent", "1").wait_ready()
    uploads = []
    try:
        for _ in range(4):  # four uploads that send one byte now and then
            sock = connect(s.port)
            sock.sendall(b"POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 1000\r\n\r\n{")
            uploads.append(sock)
        with httpx.Client(base_url=s.url, timeout=20) as client:
            codes = [client.post("/v1/validate", content=MINIMAL, headers=JSON).status_code for _ in range(10)]
        assert codes == [200] * 10
    finally:
        for sock in uploads:
            sock.close()


@pytest.mark.parametrize("http", ["httptools", "h11"])
def test_heads_over_the_limit_and_malformed_requests_are_problem_documents(http: str, launch: Any) -> None:
    s = launch("serve", "--http", http).wait_ready()
    for size in (70_000, 127_000):  # in one piece: the application checks the complete head
        with connect(s.port) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * size + b"\r\n\r\n")
            assert assert_problem(read_all(sock), 431, "headers-too-large")["limit"] == 65536
    with connect(s.port) as sock:  # piece by piece: the protocol stops it while it grows
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        with contextlib.suppress(OSError):
            for i in range(100):
                sock.sendall(b"X-H%d: " % i + b"b" * 1000 + b"\r\n")
                time.sleep(0.002)
        assert_problem(read_all(sock), 431, "headers-too-large")
    with connect(s.port) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        assert_problem(read_all(sock), 400, "bad-request")
    assert '"refused":"malformed"' in s.log() and '"refused":"headers-too-large"' in s.log()
    assert httpx.get(s.url + "/healthz").status_code == 200
    metrics = httpx.get(s.url + "/metrics").text
    assert 'greentrade_refusals_total{reason="malformed"} 1.0' in metrics


def test_the_default_parser_is_httptools_when_installed() -> None:
    from greentrade.server._protocol import protocol_class

    assert protocol_class("auto") == protocol_class("httptools") != protocol_class("h11")
    assert protocol_class("auto").endswith(":GreentradeHttpToolsProtocol")


def _answers(sock: socket.socket, count: int) -> list[bytes]:
    """`count` whole answers (with Content-Length) read from a keep-alive connection."""
    data, out = b"", []
    while len(out) < count:
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, data = data.partition(b"\r\n\r\n")
        length = int(next(v for k, _, v in (x.partition(b":") for x in head.split(b"\r\n")[1:])
                         if k.strip().lower() == b"content-length"))
        while len(data) < length:
            data += sock.recv(65536)
        out.append(head + b"\r\n\r\n" + data[:length])
        data = data[length:]
    return out


@pytest.mark.parametrize("http", ["httptools", "h11"])
def test_bodies_larger_than_the_head_limit_are_not_heads(http: str, launch: Any) -> None:
    s = launch("serve", "--http", http).wait_ready()
    big = b'{"format": "greentrade.dossier/1", "note": "' + b"x" * 300_000 + b'"}'
    with connect(s.port) as sock:
        sock.sendall(b"POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(big))
        for i in range(0, len(big), 100_000):  # the body in pieces, each larger than the head limit
            sock.sendall(big[i:i + 100_000])
            time.sleep(0.05)
        # answered before its body is read (415), then the body, then another request on the connection
        sock.sendall(b"POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(big) + big
                     + b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first, second, third = _answers(sock, 3)
    report = json.loads(first.partition(b"\r\n\r\n")[2])
    assert first.startswith(b"HTTP/1.1 200 ") and report["input_sha256"] == hashlib.sha256(big).hexdigest()
    assert second.startswith(b"HTTP/1.1 415 ") and third.startswith(b"HTTP/1.1 200 ")
    assert "headers-too-large" not in s.log()


@pytest.mark.parametrize("http", ["httptools", "h11"])
def test_an_upgrade_request_is_answered_as_http(http: str, launch: Any) -> None:
    s = launch("serve", "--http", http).wait_ready()
    with socket.create_connection(("127.0.0.1", s.port), timeout=4) as sock:  # no wait for the 5 s keep-alive
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                     b"GET /v1/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    answers = out.split(b"HTTP/1.1 ")[1:]
    assert answers[0].startswith(b"200 OK\r\n")
    # the second request is answered (h11), or the first answer closed the connection (httptools)
    assert len(answers) == 1 or (answers[1].startswith(b"404 ") and b"application/problem+json" in answers[1])
    assert "Unsupported upgrade" not in s.log()


@pytest.mark.parametrize("http", ["httptools", "h11"])
@pytest.mark.parametrize("apart", [False, True], ids=["together", "apart"])
def test_a_request_asking_for_h2c_is_read_whole_and_answered_as_http(http: str, apart: bool, launch: Any) -> None:
    """Java's HttpClient asks for an HTTP/2 upgrade on every plain-HTTP request (head first, then
    the body in its own write): the service answers HTTP/1.1 and reads the whole body (llhttp
    stops after such a head: it called the request complete without its body)."""
    s = launch("serve", "--http", http).wait_ready()
    body = (ROOT / "examples" / "zhejiang-solar-portfolio.json").read_bytes()
    head = (b"POST /v1/validate HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nContent-Length: %d\r\n"
            b"Host: 127.0.0.1\r\nHTTP2-Settings: AAEAAEAAAAIAAAAAAAMAAAAAAAQBAAAAAAUAAEAAAAYABgAA\r\nUpgrade: h2c\r\n"
            b"Content-Type: application/json\r\n\r\n" % len(body))
    with socket.create_connection(("127.0.0.1", s.port), timeout=20) as sock:
        if apart:
            sock.sendall(head)
            time.sleep(0.3)  # the application starts on the head and waits for the body
            sock.sendall(body)
        else:
            sock.sendall(head + body)
        raw = read_all(sock)
    code, _headers, report = answer(raw)
    assert code == 200, raw[:300]
    assert report["input_sha256"] == hashlib.sha256(body).hexdigest() and report["evaluated"] is True
    assert '"level":"error"' not in s.log()


@pytest.mark.parametrize("http", ["httptools", "h11"])
def test_past_the_connection_limit_the_answer_is_a_problem_document(http: str, launch: Any, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("tok-1\n")
    token.chmod(0o600)
    s = launch("serve", "--http", http, "--max-connections", "4", "--token-file", str(token)).wait_ready()
    busy = []
    try:
        for _ in range(4):  # four authenticated uploads in progress: every connection is busy
            sock = connect(s.port)
            sock.sendall(b"POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         b"Authorization: Bearer tok-1\r\nContent-Length: 1000\r\n\r\n{")
            busy.append(sock)
        time.sleep(0.5)
        with connect(s.port) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            body = assert_problem(read_all(sock), 503, "busy")
        assert body["limit"] == 4
    finally:
        for sock in busy:
            sock.close()
    assert '"refused":"connection-limit"' in s.log()
    assert httpx.get(s.url + "/healthz").status_code == 200


def test_shutdown_with_workers_refuses_new_connections_at_once(launch: Any) -> None:
    s = launch("serve", "--workers", "2", "--request-timeout", "20").wait_ready()
    inflight = connect(s.port)
    inflight.sendall(b"POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(MINIMAL) + MINIMAL[:10])
    time.sleep(0.5)
    s.proc.send_signal(signal.SIGTERM)
    refused = None
    end = time.monotonic() + 10
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", s.port), timeout=5) as probe:
                probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                if not read_all(probe):
                    refused = "closed"
                    break
        except ConnectionRefusedError:
            refused = "refused"
            break
        time.sleep(0.05)
    assert refused == "refused"
    inflight.sendall(MINIMAL[10:])  # the request in progress still gets its answer
    code, _, report = answer(read_all(inflight))
    inflight.close()
    assert code == 200 and report["evaluated"] is True
    s.proc.wait(30)


def test_the_parent_of_several_workers_builds_no_engine(monkeypatch: Any) -> None:
    from greentrade import cli
    from greentrade.server import _app, _cli

    built: list[Any] = []
    monkeypatch.setattr(_app, "build_engine", lambda settings: built.append(settings))
    monkeypatch.setattr(_cli, "_run", lambda target, workers, **kw: built.append(("run", target, workers)))
    monkeypatch.setattr(_cli, "_check_port", lambda host, port: None)
    monkeypatch.delenv("GREENTRADE_SERVE_SETTINGS", raising=False)
    try:
        assert cli.main(["--config", str(CONFIG), "serve", "--workers", "2"]) == 0
    finally:
        monkeypatch.delenv("GREENTRADE_SERVE_SETTINGS", raising=False)
        monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    assert built == [("run", "greentrade.server._app:create_app_from_env", 2)]  # checked in a child process


def test_a_bad_configuration_is_found_before_the_workers_start(tmp_path: Path) -> None:
    import subprocess
    import sys

    config = tmp_path / "bad.toml"
    config.write_text('[plugins.cn-green-channel]\npilot_ports = "CNNGB"\n')
    proc = subprocess.run([sys.executable, "-m", "greentrade.cli", "--config", str(config), "serve", "--workers", "2"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 2
    assert "configuration error in [plugins.cn-green-channel] pilot_ports" in proc.stderr


def test_metrics_are_summed_over_workers_and_the_decision_log_goes_to_stderr(launch: Any) -> None:
    s = launch("--config", str(CONFIG), "serve", "--workers", "2", "--decision-log", "-",
               "--log-level", "warning").wait_ready()
    for n in range(6):  # a new connection each time: both workers answer
        assert httpx.post(s.url + "/v1/validate", content=MINIMAL, headers={**JSON, "X-Request-ID": f"w-{n}"},
                          params={"as_of": "2026-07-01"}, timeout=30).status_code == 200
    text = httpx.get(s.url + "/metrics", timeout=30).text
    assert 'greentrade_http_requests_total{method="POST",route="/v1/validate",status="200"} 6.0' in text
    for _ in range(50):
        decisions = [json.loads(x) for x in s.log().splitlines() if '"input_sha256"' in x]
        if len(decisions) == 6:
            break
        time.sleep(0.1)
    assert sorted(d["request_id"] for d in decisions) == [f"w-{n}" for n in range(6)]
    assert all(d["as_of"] == "2026-07-01" for d in decisions)
    lines = [json.loads(x) for x in s.log().splitlines()]
    assert not [x for x in lines if x.get("level") == "info" or "status" in x]  # --log-level warning
