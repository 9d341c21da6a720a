"""The service answers in the language the request accepts (#25): Accept-Language in,
Content-Language out; reports and assessments in that language, problem titles too."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from greentrade import Engine
from greentrade.server import Settings, create_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "zhejiang-solar-portfolio.json"


@pytest.fixture(scope="module")
def app() -> Any:
    engine = Engine(config=ROOT / "examples" / "greentrade.toml")
    engine.load_entry_points()
    return create_app(engine, Settings())


def _call(app: Any, method: str, path: str, **kw: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
            return await c.request(method, path, **kw)

    return asyncio.run(go())


def test_reports_come_in_the_accepted_language(app: Any) -> None:
    body = EXAMPLE.read_bytes()
    headers = {"Content-Type": "application/json"}
    english = _call(app, "POST", "/v1/validate", content=body, headers=headers)
    assert english.headers["content-language"] == "en" and english.json()["lang"] == "en"
    chinese = _call(app, "POST", "/v1/validate", content=body,
                    headers={**headers, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    report = chinese.json()
    assert chinese.headers["content-language"] == "zh-CN" and report["lang"] == "zh-CN"
    assert [o["status"] for o in report["outcomes"]] == [o["status"] for o in english.json()["outcomes"]]
    assert any("有效期" in o["summary"] for o in report["outcomes"])
    french = _call(app, "POST", "/v1/validate", content=body, headers={**headers, "Accept-Language": "fr"})
    assert french.headers["content-language"] == "en"
    spanish = _call(app, "POST", "/v1/assess", content=body, headers={**headers, "Accept-Language": "es-MX"})
    assert spanish.headers["content-language"] == "es" and spanish.status_code == 200


def test_problem_titles_come_in_the_accepted_language(app: Any) -> None:
    r = _call(app, "GET", "/v1/nowhere", headers={"Accept-Language": "zh-CN"})
    assert r.status_code == 404 and r.json()["title"] == "未找到" and r.headers["content-language"] == "zh-CN"
    assert _call(app, "GET", "/v1/nowhere").json()["title"] == "Not found"
