"""JSON body and header assertions, against a real server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.pialert.engine.config import kind_errors
from custom_components.pialert.engine.models import TargetKind
from custom_components.pialert.engine.probes.http import probe
from custom_components.pialert.engine.settings import HttpSettings

pytestmark = pytest.mark.usefixtures("socket_enabled")

HEALTH = {
    "status": "ok",
    "queue": {"length": 42},
    "items": [{"state": "idle"}, {"state": "busy"}],
    "ready": True,
}


async def _health(request: web.Request) -> web.Response:
    return web.json_response(HEALTH, headers={"X-Backend": "Blue-7"})


async def _html(request: web.Request) -> web.Response:
    return web.Response(text="<p>ok</p>", content_type="text/html")


@pytest.fixture
async def base_url() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/health", _health)
    app.router.add_get("/html", _html)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url(""))
    await server.close()


async def check(base_url: str, path: str = "/health", **fields: Any) -> str | None:
    settings = HttpSettings.from_mapping({"url": base_url + path, **fields})
    async with aiohttp.ClientSession() as session:
        outcome = await probe(settings, session, 5)
    assert outcome.success is (outcome.error is None)
    return outcome.error


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"json_path": "status", "json_value": "ok"}, None),
        (
            {"json_path": "status", "json_value": "healthy"},
            "JSON: status is 'ok', expected equals 'healthy'",
        ),
        (
            {"json_path": "queue.length", "json_condition": "below", "json_value": 100},
            None,
        ),
        (
            {
                "json_path": "queue.length",
                "json_condition": "below",
                "json_value": "10",
            },
            "JSON: queue.length is '42', expected below '10'",
        ),
        (
            {
                "json_path": "queue.length",
                "json_condition": "above",
                "json_value": 41.5,
            },
            None,
        ),
        ({"json_path": "items.1.state", "json_value": "busy"}, None),
        (
            {"json_path": "items.2.state", "json_value": "busy"},
            "JSON: items.2.state not found",
        ),
        ({"json_path": "ready", "json_value": "true"}, None),
        (
            {
                "json_path": "status",
                "json_condition": "not_equals",
                "json_value": "down",
            },
            None,
        ),
        (
            {"json_path": "status", "json_condition": "contains", "json_value": "o"},
            None,
        ),
        ({"json_path": "queue", "json_condition": "exists"}, None),
        (
            {"json_path": "status", "json_condition": "above", "json_value": 3},
            "JSON: status is 'ok', not a number",
        ),
        ({"header_name": "x-backend"}, None),
        ({"header_name": "X-Backend", "header_value": "blue"}, None),
        (
            {"header_name": "X-Backend", "header_value": "green"},
            "Header X-Backend is 'Blue-7', expected to contain 'green'",
        ),
        ({"header_name": "X-Missing"}, "Header X-Missing missing"),
    ],
)
async def test_assertions(
    base_url: str, fields: dict[str, Any], error: str | None
) -> None:
    assert await check(base_url, **fields) == error


async def test_body_that_is_not_json(base_url: str) -> None:
    error = await check(base_url, "/html", json_path="status", json_value="ok")
    assert error == "JSON: the body is not JSON"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"json_path": "a..b", "json_value": "x"}, {"json_path": "invalid_json_path"}),
        (
            {"json_path": "status.len()", "json_value": "x"},
            {"json_path": "invalid_json_path"},
        ),
        ({"json_path": "status"}, {"json_value": "json_value_required"}),
        (
            {"json_path": "n", "json_condition": "below", "json_value": "many"},
            {"json_value": "value_not_numeric"},
        ),
        ({"json_value": "ok"}, {"json_path": "json_path_required"}),
        (
            {"json_path": "status", "json_value": "ok", "method": "HEAD"},
            {"json_path": "json_with_head"},
        ),
        (
            {"json_path": "s", "json_condition": "matches"},
            {"json_condition": "invalid_json_condition"},
        ),
        ({"header_name": "bad header"}, {"header_name": "invalid_header_name"}),
        ({"header_value": "json"}, {"header_name": "header_name_required"}),
        ({"json_path": "s", "json_condition": "exists", "header_name": "etag"}, {}),
    ],
)
def test_bad_assertions_are_refused(
    fields: dict[str, Any], errors: dict[str, str]
) -> None:
    assert kind_errors(TargetKind.HTTP, {"url": "http://x.example/"} | fields) == errors
