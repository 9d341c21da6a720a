"""schemathesis against the running service's /openapi.json, with its default checks.

The default checks include: no 5xx, status codes, content types, headers and bodies that
conform to the document (the bodies to the library's own JSON Schemas). Every operation of
the document is tested with a bounded number of generated examples (positive data: bodies
and parameters the document allows), derandomized so that CI runs are reproducible.

(schemathesis's own pytest loader does not work with pytest 9 yet, so each operation's
strategy is used with Hypothesis directly.)
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

EXAMPLES = 15
OPERATIONS = [
    ("POST", "/v1/validate"), ("POST", "/v1/assess"), ("POST", "/v1/validate-batch"),
    ("GET", "/v1/rules"), ("GET", "/v1/plugins"), ("GET", "/v1/categories"), ("GET", "/v1/standards"),
    ("GET", "/v1/schemas/{name}"), ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"),
    ("GET", "/openapi.json"),
]


@schemathesis.serializer("application/x-ndjson")
def _jsonl(_ctx: Any, value: Any) -> bytes:
    return str(value).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def api(server: Any) -> Any:
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


def test_every_operation_is_tested(api: Any) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in api.get_all_operations()}
    # schemathesis leaves out the document's own path; it is tested by name below all the same.
    assert found | {("GET", "/openapi.json")} == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_the_document(api: Any, method: str, path: str) -> None:
    operation = api[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        case.call_and_validate()

    run()


@pytest.mark.parametrize(("method", "path"), [("POST", "/v1/validate"), ("POST", "/v1/assess")])
def test_what_the_document_refuses_is_refused(api: Any, method: str, path: str) -> None:
    """Negative data (bodies and parameters the document does not allow) gets a 4xx: the request
    body's schema says what the service really takes (any JSON object, the dossier formats typed)."""
    operation = api[path][method]

    @given(case=operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE))
    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        case.call_and_validate()

    run()
