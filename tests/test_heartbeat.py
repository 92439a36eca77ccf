"""Heartbeat deadlines and webhooks (the ping URLs: tests/api/test_heartbeat.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.engine.models import Status
from custom_components.pialert.engine.state import TargetView

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
    return entry.runtime_data.coordinator.data.targets[TARGET_ID]


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Move the clock on and run the coordinator's tick."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


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
