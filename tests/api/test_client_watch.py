"""Watching the watchers: a key's client that stops polling raises an alert.

Real Home Assistant, real keys and a real aiohttp client; a frozen clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.pialert.api.keys import KeyRing, Scope
from custom_components.pialert.const import DOMAIN, SUBENTRY_TYPE_API_KEYS
from custom_components.pialert.engine.client_watch import (
    MISSED_POLLS,
    ClientWatch,
    WatchedClient,
)
from custom_components.pialert.engine.events import EventType

from ..test_heartbeat import advance
from .conftest import Hub

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ALERT = "/api/v1/alert-status"


@pytest.fixture
def hub_targets() -> tuple[dict[str, Any], ...]:
    """No targets: only the watched client can make the hub alert."""
    return ()


async def status(hub: Hub, key: str = "read") -> dict[str, Any]:
    """Poll the alert status."""
    body: dict[str, Any] = await hub.json("GET", ALERT, key=key)
    return body


async def test_a_client_that_stops_polling_raises_and_clears_its_alert(
    hass: HomeAssistant, hub: Hub, freezer: FrozenDateTimeFactory
) -> None:
    stopped = async_capture_events(hass, f"{DOMAIN}_client_stopped_polling")
    again = async_capture_events(hass, f"{DOMAIN}_client_polling_again")
    started = async_capture_events(hass, f"{DOMAIN}_alert_started")
    cleared = async_capture_events(hass, f"{DOMAIN}_alert_cleared")
    response = await hass.services.async_call(
        DOMAIN,
        "create_api_key",
        {"name": "Garage relay Pi", "poll_interval": 30},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    assert response["poll_interval"] == 30
    relay_key = str(response["key"])

    assert (await status(hub, relay_key))["alert"] is False
    await advance(hass, freezer, 30 * MISSED_POLLS - 5)
    assert (await status(hub))["alert"] is False
    assert stopped == []

    await advance(hass, freezer, 10)  # 3 intervals without the relay
    body = await status(hub)
    assert body["alert"] is True
    assert body["failing_targets"] == [
        {
            "name": "Garage relay Pi stopped polling",
            "status": "down",
            "failures": 3,
            "threshold": 3,
        }
    ]
    assert body["failing_count"] == 1
    assert hass.states.get("binary_sensor.pialert_alert").state == STATE_ON
    assert [e.data["name"] for e in stopped] == ["Garage relay Pi"]
    assert stopped[0].data["poll_interval"] == 30
    assert len(started) == 1

    # The relay polls again: the alert clears at the next tick.
    await status(hub, relay_key)
    await advance(hass, freezer, 10)
    assert (await status(hub))["alert"] is False
    assert hass.states.get("binary_sensor.pialert_alert").state == STATE_OFF
    assert [e.data["key_id"] for e in again] == [stopped[0].data["key_id"]]
    assert len(cleared) == 1


async def test_keys_without_an_interval_or_disabled_are_not_watched(
    hass: HomeAssistant, hub: Hub, freezer: FrozenDateTimeFactory
) -> None:
    keys = hub.entry.runtime_data.api.keys
    keys.create("Occasional script", Scope.READ, T0)
    watched, _ = keys.create("Old relay", Scope.READ, T0, poll_interval=10)
    keys.set_enabled(watched.id, False)
    await advance(hass, freezer, 3600)
    assert (await status(hub))["alert"] is False


async def test_poll_interval_refused_in_service_and_flow(
    hass: HomeAssistant, hub: Hub
) -> None:
    """Out of range: a translated service error and a form error; no key made."""
    before = set(hub.entry.runtime_data.api.keys.keys)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "create_api_key",
            {"name": "Relay", "poll_interval": 2},
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "invalid_poll_interval"

    result = await hass.config_entries.subentries.async_init(
        (hub.entry.entry_id, SUBENTRY_TYPE_API_KEYS), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "create_key"}
    )
    form = {"name": "Relay", "scope": "read", "rate_limit": 120}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], form | {"poll_interval": 90000}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"poll_interval": "invalid_poll_interval"}
    assert set(hub.entry.runtime_data.api.keys.keys) == before

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], form | {"poll_interval": 30}
    )
    assert result["step_id"] == "key_created"
    made = [
        k for k in hub.entry.runtime_data.api.keys.keys.values() if k.name == "Relay"
    ]
    assert made[0].poll_interval == 30


def test_poll_interval_is_saved_and_checked_on_load() -> None:
    ring = KeyRing()
    key, _ = ring.create("Relay", Scope.READ, T0, poll_interval=30)
    loaded = KeyRing.load(ring.dump())
    assert loaded.keys[key.id].poll_interval == 30
    assert loaded.keys[key.id].public()["poll_interval"] == 30
    bad = [{**ring.dump()[0], "poll_interval": "30"}]
    _, problems = KeyRing.load_valid(bad)
    assert problems == ["key 1: poll_interval: out of range: '30'"]
    old = [{k: v for k, v in ring.dump()[0].items() if k != "poll_interval"}]
    assert KeyRing.load(old).keys[key.id].poll_interval is None


def test_watch_counts_from_the_latest_of_use_creation_and_start() -> None:
    watch = ClientWatch()
    client = WatchedClient("k", "Relay", 30, T0 - timedelta(days=1), None)
    # A hub just started gives every client a fresh three intervals.
    assert watch.update([client], T0) == []
    assert watch.update([client], T0 + timedelta(seconds=89)) == []
    events = watch.update([client], T0 + timedelta(seconds=90))
    assert [e.type for e in events] == [EventType.CLIENT_STOPPED_POLLING]
    assert watch.failing["client:k"].failures == 3
    # Silent longer: more missed polls, no new event.
    assert watch.update([client], T0 + timedelta(seconds=300)) == []
    assert watch.failing["client:k"].failures == 10
    # A deleted key leaves the alert without a "polling again".
    assert watch.update([], T0 + timedelta(seconds=310)) == []
    assert watch.failing == {}
