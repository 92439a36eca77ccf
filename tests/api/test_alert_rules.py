"""The window rule and the response-time limit, end to end.

Real HTTP checks against a server on 127.0.0.1, a frozen clock, the status
sensor and the REST API.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
from freezegun.api import FrozenDateTimeFactory
import pytest

from custom_components.pialert.engine.models import Status

from ..test_coordinator import HOST, http_target, run_checks
from .conftest import Hub, MakeHub

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def flapping_site() -> AsyncIterator[TestServer]:
    """Serve /flap (500, 200, 500, ... per path) and /slow (answers after 0.3 s)."""
    hits: dict[str, int] = {}

    async def flap(request: web.Request) -> web.Response:
        count = hits[request.path] = hits.get(request.path, 0) + 1
        return web.Response(status=500 if count % 2 else 200)

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(0.3)
        return web.Response(text="late but fine")

    app = web.Application()
    app.router.add_get("/flap/{name}", flap)
    app.router.add_get("/slow", slow)
    server = TestServer(app, host=HOST)
    await server.start_server()
    yield server
    await server.close()


def status_attributes(hub: Hub, entity_id: str) -> dict[str, Any]:
    state = hub.hass.states.get(entity_id)
    assert state is not None
    return dict(state.attributes)


async def test_flapping_target_alerts_under_window_rule_only(
    make_hub: MakeHub, flapping_site: TestServer, freezer: FrozenDateTimeFactory
) -> None:
    """Every other check fails: never twice in a row, three times in a minute."""
    rules = {"interval": 10, "failure_threshold": 2}
    hub = await make_hub(
        http_target("windowed", str(flapping_site.make_url("/flap/w")), **rules)
        | {"min_events": 3, "time_window_seconds": 60},
        http_target("consecutive", str(flapping_site.make_url("/flap/c")), **rules),
    )
    await hub.hass.async_block_till_done(wait_background_tasks=True)
    for _ in range(4):  # failures at 0, 20 and 40 s (the first check ran at set-up)
        freezer.tick(timedelta(seconds=10))
        await run_checks(hub.hass, hub.entry, "windowed", "consecutive")

    targets = hub.coordinator.data.targets
    assert targets["windowed"].status is Status.DOWN
    assert targets["consecutive"].status is Status.PENDING
    windowed = status_attributes(hub, "sensor.windowed_status")
    assert windowed["alert_rule"] == "failures_in_window"
    assert "alert_rule" not in status_attributes(hub, "sensor.consecutive_status")

    body = await hub.json("GET", "/targets/windowed", key="read")
    assert body["alert_rule"] == "failures_in_window"
    assert (body["min_events"], body["time_window_seconds"]) == (3, 60)
    status = await hub.json("GET", "/api/v1/alert-status", key="read")
    # The window rule's numbers: failures within the window against min_events.
    assert status["failing_targets"] == [
        {"name": "Windowed", "status": "down", "failures": 3, "threshold": 3}
    ]
    history = await hub.json("GET", "/alerts/history", key="read")
    assert (
        "Windowed is down (3 failures within 1 min): HTTP 500 (expected 200-299)"
        in [event["message"] for event in history["history"]]
    )


async def test_slow_answer_fails_the_check(
    make_hub: MakeHub, flapping_site: TestServer
) -> None:
    hub = await make_hub(
        http_target(
            "slow",
            str(flapping_site.make_url("/slow")),
            failure_threshold=1,
            response_time_limit_ms=100,
        )
    )
    await hub.hass.async_block_till_done(wait_background_tasks=True)
    view = hub.coordinator.data.targets["slow"]
    assert view.status is Status.DOWN
    assert view.last_error is not None
    assert view.last_error.startswith("slow: ")
    assert view.last_error.endswith(" ms > 100 ms")
    assert int(view.last_error.split()[1].replace(",", "")) >= 300


async def test_rule_numbers_through_the_api(hub: Hub) -> None:
    """Set, refuse (translated) and unset the rule numbers of a target."""
    detail = await hub.error(
        "PATCH", "/targets/backup", 400, json={"min_events": 3}, key="write"
    )
    assert detail == (
        "Invalid field 'time_window_seconds': The failure window needs both "
        "numbers: failures and time window (or neither)."
    )
    detail = await hub.error(
        "PATCH",
        "/targets/backup",
        400,
        json={"min_events": 3, "time_window_seconds": 3},
    )
    assert detail == (
        "Invalid field 'time_window_seconds': The time window must be whole "
        "seconds from 10 to 604800 (7 days)."
    )
    body = await hub.json(
        "PATCH", "/targets/backup", json={"min_events": 2, "time_window_seconds": 600}
    )
    assert (body["min_events"], body["time_window_seconds"]) == (2, 600)
    body = await hub.json(
        "PATCH",
        "/targets/backup",
        json={"min_events": None, "time_window_seconds": None},
    )
    assert (body["min_events"], body["time_window_seconds"]) == (None, None)
