"""A typed Python client generated from the running service's /openapi.json works.

openapi-python-client (in the dev extra; it runs offline) generates the client from the
document the session's server serves; the example dossier then goes through it as typed
objects both ways: `Dossier1.from_dict(example)` in, a typed `Report` out whose `to_dict()` is
the service's JSON, which is the CLI's.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "zhejiang-solar-portfolio.json"
CONFIG = """\
content_type_overrides:
  application/x-ndjson: application/octet-stream
post_hooks: []
"""


@pytest.fixture(scope="module")
def client_package(server: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    where = tmp_path_factory.mktemp("generated")
    (where / "openapi.json").write_bytes(httpx.get(server.url + "/openapi.json", timeout=30).content)
    (where / "config.yaml").write_text(CONFIG)
    proc = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(where / "openapi.json"),
         "--meta", "none", "--output-path", str(where / "gtclient"), "--config", str(where / "config.yaml")],
        capture_output=True, text=True, timeout=300, cwd=where,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Warning" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr  # no schema or endpoint dropped
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module("gtclient")
    finally:
        sys.path.remove(str(where))
        for name in [m for m in sys.modules if m == "gtclient" or m.startswith("gtclient.")]:
            del sys.modules[name]


def test_the_example_round_trips_through_the_typed_client(server: Any, client_package: Any) -> None:
    models = importlib.import_module("gtclient.models")
    validate = importlib.import_module("gtclient.api.default.validate")
    example = json.loads(EXAMPLE.read_bytes())
    dossier = models.Dossier1.from_dict(example)
    assert dossier.to_dict() == example
    assert isinstance(dossier.products[0], models.Product)  # the dossier's product, not the assessment's
    client = client_package.Client(base_url=server.url, raise_on_unexpected_status=True)
    answer = validate.sync_detailed(client=client, body=dossier, x_request_id="typed-client-1")
    assert answer.status_code == 200
    report = answer.parsed
    assert isinstance(report, models.Report)
    assert report.to_dict() == json.loads(answer.content)
    direct = httpx.post(server.url + "/v1/validate", content=json.dumps(example).encode(),
                        headers={"Content-Type": "application/json"}, timeout=60)
    assert {**report.to_dict(), "input_sha256": None} == {**direct.json(), "input_sha256": None}
    assert {o.status for o in report.outcomes} <= set(models.ReportOutcomesItemStatus)
    assert answer.headers["x-request-id"] == "typed-client-1"


def test_format_2_and_problems_are_typed(server: Any, client_package: Any) -> None:
    models = importlib.import_module("gtclient.models")
    validate = importlib.import_module("gtclient.api.default.validate")
    rules = importlib.import_module("gtclient.api.default.list_rules")
    client = client_package.Client(base_url=server.url)
    report = validate.sync(client=client, body=models.Dossier2.from_dict({"format": "greentrade.dossier/2"}))
    assert isinstance(report, models.Report) and report.evaluated
    unchecked = models.UncheckedDossier.from_dict({"format": "greentrade.dossier/1", "parties": 3})
    report = validate.sync(client=client, body=unchecked)
    assert isinstance(report, models.Report) and report.evaluated is False
    raw = httpx.post(server.url + "/v1/validate?as_of=2026-13-01", content=b'{"format": "greentrade.dossier/1"}',
                     headers={"Content-Type": "application/json"})
    bad = validate._build_response(client=client, response=raw).parsed  # what the client makes of a 400
    assert isinstance(bad, models.Problem) and bad.status == 400 and bad.parameter == "as_of"
    listed = rules.sync(client=client)
    assert listed and all(isinstance(r, models.RuleEntry) for r in listed)
    assert {str(r.basis) for r in listed} >= {"stated", "inferred"}
