"""The real ``greentrade serve`` on a free loopback port: byte-for-byte equality with the CLI,
workers, the token file, slow clients, and the start-up checks (exit status 2)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from greentrade import cli

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "examples" / "greentrade.toml"
EXAMPLES = sorted(
    p for p in [*(ROOT / "examples").glob("*.json"), *(ROOT / "plugins").glob("*/examples/*.json")]
    if not p.name.endswith(".expected.json")
)
MINIMAL = b'{"format": "greentrade.dossier/1"}'
JSON = {"Content-Type": "application/json"}


def cli_output(capsysbinary: Any, *args: str) -> bytes:
    capsysbinary.readouterr()
    code = cli.main(["--config", str(CONFIG), *args])
    out = capsysbinary.readouterr()
    assert code in (0, 1), out.err
    return bytes(out.out)


def test_there_are_examples_of_every_plugin() -> None:
    assert {p.parent.parent.name for p in EXAMPLES} >= {"buyer-profiles", "cn-green-channel", "itc-green-export-pass"}
    assert ROOT / "examples" / "zhejiang-solar-portfolio.json" in EXAMPLES


def test_every_example_is_answered_as_the_cli_prints_it(server: Any, capsysbinary: Any) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for path in EXAMPLES:
            for as_of in (None, "2026-08-15"):
                params = {"as_of": as_of} if as_of else {}
                r = client.post("/v1/validate", content=path.read_bytes(), params=params, headers=JSON)
                assert r.status_code == 200, (path, r.text)
                expected = cli_output(capsysbinary, "validate", str(path), "--format", "json",
                                      *(["--as-of", as_of] if as_of else []))
                assert r.content == expected, path


def test_assess_is_answered_as_the_cli_prints_it(server: Any, capsysbinary: Any) -> None:
    path = ROOT / "plugins" / "buyer-profiles" / "examples" / "portfolio.json"
    params = [("market", "southeast-asia"), ("market", "DE"), ("as_of", "2026-09-01")]
    r = httpx.post(server.url + "/v1/assess", content=path.read_bytes(), params=params, timeout=60, headers=JSON)
    assert r.status_code == 200, r.text
    expected = cli_output(capsysbinary, "assess", str(path), "--format", "json", "--market", "southeast-asia",
                          "--market", "DE", "--as-of", "2026-09-01")
    assert r.content == expected


def test_batch_streams_every_example_in_order(server: Any, capsysbinary: Any) -> None:
    body = b"".join(json.dumps(json.loads(p.read_bytes())).encode() + b"\n" for p in EXAMPLES)
    seen: list[dict[str, Any]] = []
    with httpx.stream("POST", server.url + "/v1/validate-batch", content=body, timeout=60,
                      headers={"Content-Type": "application/x-ndjson"}) as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            seen.append(json.loads(line))
    assert len(seen) == len(EXAMPLES)
    for path, report in zip(EXAMPLES, seen, strict=True):
        expected = json.loads(cli_output(capsysbinary, "validate", str(path), "--format", "json"))
        # the same report; its input is the re-serialized line, hence another sha256
        assert {**report, "input_sha256": None} == {**expected, "input_sha256": None}, path


def test_the_access_log_is_json_lines(server: Any) -> None:
    r = httpx.post(server.url + "/v1/validate", content=MINIMAL, headers={**JSON, "X-Request-ID": "e2e-log-1"})
    assert r.status_code == 200
    for _ in range(50):
        lines = [json.loads(x) for x in server.log().splitlines()]  # every line is JSON, uvicorn's too
        mine = [x for x in lines if x.get("request_id") == "e2e-log-1"]
        if mine:
            break
        time.sleep(0.05)
    assert mine[0]["status"] == 200 and mine[0]["dossier_sha256"] == r.json()["input_sha256"]
    started = [x for x in lines if x.get("logger") == "uvicorn.error" and "Application startup" in x["message"]]
    assert started and started[0]["level"] == "info" and started[0]["time"].endswith("Z")


def test_two_workers_and_a_token_file(launch: Any, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("tok-3141592653\n")
    token.chmod(0o600)
    s = launch("serve", "--workers", "2", "--token-file", str(token)).wait_ready()
    with httpx.Client(base_url=s.url, timeout=30) as client:
        assert client.post("/v1/validate", content=MINIMAL, headers=JSON).status_code == 401
        assert client.get("/v1/plugins", headers={"Authorization": "Bearer tok-314159265"}).status_code == 401
        ok = client.post("/v1/validate", content=MINIMAL, headers={**JSON, "Authorization": "Bearer tok-3141592653"})
        assert ok.status_code == 200 and ok.json()["evaluated"] is True
    assert "WARNING" not in s.log()


@pytest.mark.parametrize("http", ["httptools", "h11"])
def test_a_client_that_never_finishes_its_headers_is_disconnected(http: str, launch: Any) -> None:
    s = launch("serve", "--http", http, "--header-timeout", "0.5").wait_ready()
    with socket.create_connection(("127.0.0.1", s.port), timeout=10) as sock:
        sock.sendall(b"POST /v1/validate HTTP/1.1\r\nHost: x\r\n")  # ... and nothing more
        started = time.monotonic()
        answer = _read_all(sock)
        assert time.monotonic() - started < 5
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")  # a problem document, then closed
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"content-type: application/problem+json" in head and b"x-request-id: " in head
    assert json.loads(body)["detail"] == "the request head did not arrive within 0.5 s"
    assert httpx.get(s.url + "/healthz").status_code == 200
    with socket.create_connection(("127.0.0.1", s.port), timeout=10) as sock:  # nothing sent: closed quietly
        assert _read_all(sock) == b""
    assert '"status":408,"refused":"head-timeout"' in s.log()


def _read_all(sock: socket.socket) -> bytes:
    out = b""
    while chunk := sock.recv(65536):
        out += chunk
    return out


def serve_exits(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "greentrade.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@pytest.mark.parametrize(("args", "message"), [
    (["--config", "no-such.toml", "serve"], "configuration: cannot read 'no-such.toml'"),
    (["serve", "--host", "0.0.0.0"], "refusing to serve on '0.0.0.0' without authentication"),
    (["serve", "--token-file", "no-such-token"], "cannot read the token file 'no-such-token'"),
    (["serve", "--max-concurrent", "0"], "--max-concurrent must be at least 1"),
    (["serve", "--request-timeout", "-1"], "--request-timeout must be a positive number"),
])
def test_unusable_settings_stop_the_start_with_exit_2(args: list[str], message: str) -> None:
    proc = serve_exits(*args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("greentrade serve: ") and message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_bad_plugin_section_stops_the_start(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[plugins.cn-green-channel]\npilot_ports = "CNNGB"\n')
    proc = serve_exits("--config", str(config), "serve")
    assert proc.returncode == 2
    assert "configuration error in [plugins.cn-green-channel] pilot_ports" in proc.stderr


def test_a_port_in_use_stops_the_start() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = serve_exits("serve", "--port", str(port))
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: the address is already in use" in proc.stderr


def test_insecure_public_warns_on_every_start(monkeypatch: Any, capsys: Any) -> None:
    from greentrade.server import _cli

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(_cli, "_run", lambda app, workers, **kw: calls.append({"app": app, "workers": workers, **kw}))
    monkeypatch.setattr(_cli, "_check_port", lambda host, port: None)  # nothing is bound in this test
    monkeypatch.delenv("GREENTRADE_SERVE_SETTINGS", raising=False)
    for workers in ("1", "2"):
        assert cli.main(["serve", "--host", "192.0.2.10", "--insecure-public", "--workers", workers]) == 0
        assert "WARNING: serving on 192.0.2.10:8000" in capsys.readouterr().err
    monkeypatch.delenv("GREENTRADE_SERVE_SETTINGS", raising=False)  # set by serve for its workers
    one, two = calls
    assert one["host"] == "192.0.2.10" and not isinstance(one["app"], str)
    assert two["app"] == "greentrade.server._app:create_app_from_env" and two["workers"] == 2
    assert cli.main(["serve"]) == 0
    assert "WARNING" not in capsys.readouterr().err


def test_a_token_file_others_can_read_is_warned_about(monkeypatch: Any, capsys: Any, tmp_path: Path) -> None:
    from greentrade.server import _cli

    monkeypatch.setattr(_cli, "_run", lambda app, workers, **kw: None)
    monkeypatch.setattr(_cli, "_check_port", lambda host, port: None)
    monkeypatch.delenv("GREENTRADE_SERVE_SETTINGS", raising=False)
    token = tmp_path / "token"
    token.write_text("tok\n")
    token.chmod(0o644)
    assert cli.main(["serve", "--token-file", str(token)]) == 0
    assert "can be read by other users" in capsys.readouterr().err
    token.chmod(0o600)
    assert cli.main(["serve", "--token-file", str(token)]) == 0
    assert "WARNING" not in capsys.readouterr().err


def test_without_the_server_extra_serve_says_what_to_install(monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if it were not installed
    assert cli.main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "the server extra is not installed (uvicorn is missing): pip install 'greentrade[server]'" in err


def test_concurrent_requests_get_the_same_reports(server: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from greentrade import Engine

    engine = Engine(config=CONFIG)
    engine.load_entry_points()
    expected = {p: engine.validate(p.read_bytes()).to_json(indent=2).encode() for p in EXAMPLES}

    def post(path: Path) -> bytes:
        r = httpx.post(server.url + "/v1/validate", content=path.read_bytes(), timeout=60, headers=JSON)
        assert r.status_code == 200, r.text
        return r.content

    with ThreadPoolExecutor(4) as pool:  # the worker's default limit: 4 at once
        got = list(pool.map(post, EXAMPLES * 2))
    assert got == [expected[p] for p in EXAMPLES * 2]


def test_a_client_that_stops_reading_a_batch_gives_its_slot_back(launch: Any) -> None:
    s = launch("--config", str(CONFIG), "serve", "--max-concurrent", "1", "--request-timeout", "1").wait_ready()
    line = json.dumps(json.loads((ROOT / "examples" / "zhejiang-solar-portfolio.json").read_bytes())).encode()
    body = b"\n".join([line] * 300) + b"\n"  # about 10 MB of reports: more than the socket buffers hold
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", s.port))
        sock.sendall(b"POST /v1/validate-batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body)
        # ... and reads nothing: the service gives the client up and frees the only slot
        end = time.monotonic() + 60
        while time.monotonic() < end:
            r = httpx.post(s.url + "/v1/validate", content=MINIMAL, timeout=30, headers=JSON)
            if r.status_code == 200:
                break
            assert r.status_code == 503
            time.sleep(0.2)
        assert r.status_code == 200
        for _ in range(300):
            if '"aborted":"the client did not take the answer within 1 s"' in s.log():
                break
            time.sleep(0.1)
    assert '"aborted":"the client did not take the answer within 1 s"' in s.log()
