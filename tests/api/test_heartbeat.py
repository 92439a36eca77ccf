"""Heartbeat ping URLs over HTTP: ``/api/pialert/v1/heartbeat/<token>[/signal]``."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.pialert.engine.models import Status
from custom_components.pialert.engine.state import TargetView

from ..test_heartbeat import TARGET_ID, TOKEN, URL, advance, heartbeat_target
from .conftest import Hub


@pytest.fixture
def hub_targets() -> tuple[dict[str, Any], ...]:
    """One heartbeat target (thresholds 1)."""
    return (heartbeat_target(),)


def view(hub: Hub) -> TargetView:
    """Return the heartbeat target's latest view."""
    return hub.coordinator.data.targets[TARGET_ID]


async def ping(hub: Hub, suffix: str = "", method: str = "GET") -> dict[str, str]:
    """Ping the heartbeat URL (no key: the token is the secret); return the body."""
    body: dict[str, str] = await hub.json(method, URL + suffix, key=None)
    await hub.settle()
    return body


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
async def test_success_ping(hub: Hub, method: str) -> None:
    """GET, HEAD and POST on the ping URL record a success."""
    assert view(hub).status is Status.UNKNOWN

    response = await hub.request(method, URL, key=None)
    assert response.status == HTTPStatus.OK
    if method != "HEAD":
        assert await response.json() == {
            "ok": True,
            "target": "Nightly backup",
            "signal": "success",
        }
    await hub.settle()
    assert view(hub).status is Status.UP
    assert view(hub).consecutive_successes == 1
    assert view(hub).response_time_ms is None


async def test_start_then_success_measures_the_run(
    hass: HomeAssistant, hub: Hub, freezer: FrozenDateTimeFactory
) -> None:
    """A start/finish pair records how long the job ran."""
    assert (await ping(hub, "/start"))["signal"] == "start"
    assert view(hub).last_check is None  # a start is no result

    await advance(hass, freezer, 42)
    await ping(hub, method="POST")
    assert view(hub).status is Status.UP
    assert view(hub).response_time_ms == pytest.approx(42_000)


@pytest.mark.parametrize(
    ("suffix", "error"),
    [
        ("/fail", "Job reported a failure"),
        ("/3", "Job reported exit code 3"),
        ("/255", "Job reported exit code 255"),
    ],
)
async def test_failure_pings(
    hass: HomeAssistant, hub: Hub, suffix: str, error: str
) -> None:
    """/fail and a non-zero exit code record a failure; threshold 1 alerts."""
    down = async_capture_events(hass, "pialert_target_down")
    started = async_capture_events(hass, "pialert_alert_started")

    assert (await ping(hub, suffix))["signal"] == "fail"

    assert view(hub).status is Status.DOWN
    assert view(hub).last_error == error
    assert len(down) == 1
    assert {
        "target_id": TARGET_ID,
        "name": "Nightly backup",
        "failures": 1,
        "threshold": 1,
        "error": error,
    }.items() <= down[0].data.items()
    assert len(started) == 1
    assert hub.coordinator.data.alert


async def test_exit_code_zero_is_success(hass: HomeAssistant, hub: Hub) -> None:
    """/0 is a success and clears a failure."""
    up = async_capture_events(hass, "pialert_target_up")
    cleared = async_capture_events(hass, "pialert_alert_cleared")

    await ping(hub, "/1")
    assert view(hub).status is Status.DOWN

    assert (await ping(hub, "/0"))["signal"] == "success"
    assert view(hub).status is Status.UP
    assert len(up) == 1
    assert len(cleared) == 1


@pytest.mark.parametrize("suffix", ["/256", "/-1", "/abc", "/+5", "/1000000"])
async def test_bad_signal(hub: Hub, suffix: str) -> None:
    """Anything but start, fail or 0-255 is a 400 with a JSON detail."""
    detail = await hub.error("GET", URL + suffix, HTTPStatus.BAD_REQUEST, key=None)
    assert detail == "Expected /start, /fail, /log or an exit code from 0 to 255"
    await hub.settle()
    assert view(hub).last_check is None


async def test_unknown_token(hub: Hub) -> None:
    """An unknown token is a 404 and records nothing."""
    for path in ("/api/pialert/v1/heartbeat/wrong", "/api/pialert/v1/heartbeat/x/5"):
        detail = await hub.error("GET", path, HTTPStatus.NOT_FOUND, key=None)
        assert detail == "Unknown heartbeat token"
    await hub.settle()
    assert view(hub).last_check is None


async def test_hub_not_loaded(hass: HomeAssistant, hub: Hub) -> None:
    """While the hub is unloaded the URL answers 503."""
    assert await hass.config_entries.async_unload(hub.entry.entry_id)
    await hub.settle()

    detail = await hub.error("GET", URL, HTTPStatus.SERVICE_UNAVAILABLE, key=None)
    assert detail == "PiAlert is not loaded"


async def test_webhook_records_success(hub: Hub) -> None:
    """Home Assistant's webhook with the token records a success too."""
    body = await hub.json("POST", f"/api/webhook/{TOKEN}", key=None)
    assert body == {"ok": True, "target": "Nightly backup", "signal": "success"}
    await hub.settle()
    assert view(hub).status is Status.UP
