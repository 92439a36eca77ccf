"""Heartbeat ping URLs and heartbeat deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.engine.alerting import TargetView
from custom_components.pialert.engine.models import Status

from .conftest import SetupHub

TOKEN = "s3cr3t-token_0123456789abcdefghijklmnopqrstuvw"
TARGET_ID = "backup_job"
URL = f"/api/pialert/v1/heartbeat/{TOKEN}"


def heartbeat_target(**settings: Any) -> dict[str, Any]:
    """Return the subentry data of a heartbeat target."""
    data: dict[str, Any] = {
        "id": TARGET_ID,
        "kind": "heartbeat",
        "name": "Nightly backup",
        "period": 3600,
        "grace": 300,
        "token": TOKEN,
        "failure_threshold": 1,
        "success_threshold": 1,
        "enabled": True,
    }
    data.update(settings)
    return data


def view(entry: MockConfigEntry) -> TargetView:
    """Return the heartbeat target's latest view."""
    return entry.runtime_data.data.targets[TARGET_ID]


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Move the clock on and run the coordinator's tick."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


@pytest.mark.parametrize("method", ["get", "head", "post"])
async def test_success_ping(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
    method: str,
) -> None:
    """GET, HEAD and POST on the ping URL record a success."""
    entry = await setup_hub(heartbeat_target())
    client = await hass_client_no_auth()
    assert view(entry).status is Status.UNKNOWN

    response = await getattr(client, method)(URL)
    assert response.status == HTTPStatus.OK
    if method != "head":
        assert await response.json() == {
            "ok": True,
            "target": "Nightly backup",
            "signal": "success",
        }
    await hass.async_block_till_done()
    assert view(entry).status is Status.UP
    assert view(entry).consecutive_successes == 1
    assert view(entry).response_time_ms is None


async def test_start_then_success_measures_the_run(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A start/finish pair records how long the job ran."""
    entry = await setup_hub(heartbeat_target())
    client = await hass_client_no_auth()

    response = await client.get(f"{URL}/start")
    assert response.status == HTTPStatus.OK
    assert (await response.json())["signal"] == "start"
    await hass.async_block_till_done()
    assert view(entry).last_check is None  # a start is no result

    await advance(hass, freezer, 42)
    response = await client.post(URL)
    assert response.status == HTTPStatus.OK
    await hass.async_block_till_done()
    assert view(entry).status is Status.UP
    assert view(entry).response_time_ms == pytest.approx(42_000)


@pytest.mark.parametrize(
    ("suffix", "error"),
    [
        ("/fail", "Job reported a failure"),
        ("/3", "Job reported exit code 3"),
        ("/255", "Job reported exit code 255"),
    ],
)
async def test_failure_pings(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
    suffix: str,
    error: str,
) -> None:
    """/fail and a non-zero exit code record a failure; threshold 1 alerts."""
    entry = await setup_hub(heartbeat_target())
    down = async_capture_events(hass, "pialert_target_down")
    started = async_capture_events(hass, "pialert_alert_started")
    client = await hass_client_no_auth()

    response = await client.get(URL + suffix)
    assert response.status == HTTPStatus.OK
    assert (await response.json())["signal"] == "fail"
    await hass.async_block_till_done()

    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == error
    assert len(down) == 1
    assert {
        "target_id": TARGET_ID,
        "name": "Nightly backup",
        "failures": 1,
        "threshold": 1,
        "error": error,
    }.items() <= down[0].data.items()
    assert len(started) == 1
    assert entry.runtime_data.data.alert


async def test_exit_code_zero_is_success(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """/0 is a success and clears a failure."""
    entry = await setup_hub(heartbeat_target())
    up = async_capture_events(hass, "pialert_target_up")
    cleared = async_capture_events(hass, "pialert_alert_cleared")
    client = await hass_client_no_auth()

    await client.get(f"{URL}/1")
    await hass.async_block_till_done()
    assert view(entry).status is Status.DOWN

    response = await client.get(f"{URL}/0")
    assert response.status == HTTPStatus.OK
    assert (await response.json())["signal"] == "success"
    await hass.async_block_till_done()
    assert view(entry).status is Status.UP
    assert len(up) == 1
    assert len(cleared) == 1


@pytest.mark.parametrize("suffix", ["/256", "/-1", "/abc", "/+5", "/1000000"])
async def test_bad_signal(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
    suffix: str,
) -> None:
    """Anything but start, fail or 0-255 is a 400 with a JSON detail."""
    entry = await setup_hub(heartbeat_target())
    client = await hass_client_no_auth()

    response = await client.get(URL + suffix)
    assert response.status == HTTPStatus.BAD_REQUEST
    assert await response.json() == {
        "detail": "Expected /start, /fail or an exit code from 0 to 255"
    }
    await hass.async_block_till_done()
    assert view(entry).last_check is None


async def test_unknown_token(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """An unknown token is a 404 and records nothing."""
    entry = await setup_hub(heartbeat_target())
    client = await hass_client_no_auth()

    for path in ("/api/pialert/v1/heartbeat/wrong", "/api/pialert/v1/heartbeat/x/5"):
        response = await client.get(path)
        assert response.status == HTTPStatus.NOT_FOUND
        assert await response.json() == {"detail": "Unknown heartbeat token"}
    await hass.async_block_till_done()
    assert view(entry).last_check is None


async def test_hub_not_loaded(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """While the hub is unloaded the URL answers 503."""
    entry = await setup_hub(heartbeat_target())
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client_no_auth()

    response = await client.get(URL)
    assert response.status == HTTPStatus.SERVICE_UNAVAILABLE
    assert await response.json() == {"detail": "PiAlert is not loaded"}


async def test_webhook_records_success(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Home Assistant's webhook with the token records a success too."""
    entry = await setup_hub(heartbeat_target())
    client = await hass_client_no_auth()

    response = await client.post(f"/api/webhook/{TOKEN}")
    assert response.status == HTTPStatus.OK
    assert await response.json() == {
        "ok": True,
        "target": "Nightly backup",
        "signal": "success",
    }
    await hass.async_block_till_done()
    assert view(entry).status is Status.UP


async def test_webhooks_follow_the_targets(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Webhooks are registered per heartbeat and dropped with it or on unload."""
    entry = await setup_hub(heartbeat_target())
    handlers = hass.data[webhook.DOMAIN]
    assert TOKEN in handlers

    subentry = entry.subentries[TARGET_ID]
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "token": "another-token"}
    )
    await hass.async_block_till_done()
    assert TOKEN not in handlers
    assert "another-token" in handlers

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert "another-token" not in handlers


async def test_missed_period_is_a_failure(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """No success within period + grace counts as one failure per period."""
    # Errors read in Home Assistant's time zone, not UTC.
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-11-25T21:50:00+00:00")
    entry = await setup_hub(heartbeat_target(period=60, grace=30))
    down = async_capture_events(hass, "pialert_target_down")
    client = await hass_client_no_auth()

    # Never pinged: the first miss comes period + grace after setup.
    await advance(hass, freezer, 85)
    assert view(entry).status is Status.UNKNOWN
    await advance(hass, freezer, 10)
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "No ping received yet"
    assert len(down) == 1

    await client.get(URL)
    await hass.async_block_till_done()
    assert view(entry).status is Status.UP
    assert view(entry).last_success == datetime(2026, 11, 25, 21, 51, 35, tzinfo=UTC)

    # Pinged once: the next miss names the last ping.
    await advance(hass, freezer, 89)
    assert view(entry).status is Status.UP
    await advance(hass, freezer, 2)
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "No ping since 22:51:35"
    assert view(entry).consecutive_failures == 1

    # Each further period without a ping is one more failure.
    await advance(hass, freezer, 61)
    assert view(entry).consecutive_failures == 2


async def test_start_without_finish_fails(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A started job that does not finish within the grace time fails."""
    # Started just before local midnight, failed after it: the date is given.
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-11-25T22:59:50+00:00")
    entry = await setup_hub(heartbeat_target(period=3600, grace=20))
    client = await hass_client_no_auth()

    await client.get(f"{URL}/start")
    await hass.async_block_till_done()
    await advance(hass, freezer, 15)
    assert view(entry).last_check is None

    await advance(hass, freezer, 10)
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == (
        "Started at 2026-11-25 23:59:50 but did not finish within 20 s"
    )


async def test_paused_heartbeat_ignores_pings_and_deadlines(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A disabled heartbeat answers pings but records nothing."""
    entry = await setup_hub(heartbeat_target(period=60, grace=0, enabled=False))
    client = await hass_client_no_auth()

    response = await client.get(f"{URL}/fail")
    assert response.status == HTTPStatus.OK
    await advance(hass, freezer, 600)
    assert view(entry).status is Status.PAUSED
    assert view(entry).last_check is None
