"""Bus events fired on each transition, with their payloads."""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime, timedelta
from typing import Any
from unittest.mock import AsyncMock, patch

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.api.base import API_PREFIX
from custom_components.pialert.api.keys import Scope
from custom_components.pialert.const import DOMAIN
from custom_components.pialert.engine.events import EventType
from custom_components.pialert.engine.models import HistoryEventType, Status
from custom_components.pialert.engine.probes import ProbeOutcome

from .conftest import SetupHub
from .platform_helpers import (
    BACKUP,
    BACKUP_ID,
    CPU,
    CPU_ID,
    DISK_ID,
    NOW,
    coordinator_of,
)

DISK = {
    "kind": "entity",
    "name": "Disk",
    "entity_id": "sensor.disk",
    "condition": "above",
    "value": "90",
    "tags": ["storage"],
}

TARGET_DOWN_KEYS = {
    "target_id",
    "device_id",
    "name",
    "failures",
    "threshold",
    "error",
    "alert_rule",
}
TARGET_UP_KEYS = {"target_id", "device_id", "name", "downtime_seconds"}
ACKNOWLEDGED_KEYS = {"target_id", "device_id", "name", "by", "note"}
SILENCED_KEYS = {
    "silence_id",
    "target_ids",
    "tags",
    "starts_at",
    "ends_at",
    "created_by",
    "comment",
}


@pytest.fixture
def targets() -> dict[str, dict[str, Any]]:
    """Return the hub's two entity targets and a heartbeat."""
    return {CPU_ID: CPU, DISK_ID: DISK, BACKUP_ID: BACKUP}


@pytest.fixture
def entity_states() -> dict[str, str]:
    """Return the states of the watched entities before the hub starts."""
    return {"sensor.cpu": "50", "sensor.disk": "10"}


@pytest.fixture
def http_probe() -> Generator[AsyncMock]:
    """Answer HTTP checks without any network (none are configured here)."""
    with patch(
        "custom_components.pialert.engine.probes.http.probe",
        new=AsyncMock(return_value=ProbeOutcome(success=True)),
    ) as probe:
        yield probe


@pytest.fixture
def events(hass: HomeAssistant) -> list[Event]:
    """Capture every PiAlert event, in order."""
    captured: list[Event] = []

    @callback
    def capture(event: Event) -> None:
        # A callback runs in the loop, in firing order (a plain function
        # would run in the executor, in any order).
        captured.append(event)

    for kind in EventType:
        hass.bus.async_listen(f"{DOMAIN}_{kind}", capture)
    return captured


def device_id(hass: HomeAssistant, entry: MockConfigEntry, target_id: str) -> str:
    """Return the id of a target's device."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, target_id), entry.entry_id
    )
    assert device is not None
    return device.id


def kinds(events: list[Event]) -> list[str]:
    """Return the event types, without the domain prefix."""
    return [str(e.event_type).removeprefix(f"{DOMAIN}_") for e in events]


async def set_state(hass: HomeAssistant, entity_id: str, value: str) -> None:
    """Change a watched entity and let PiAlert react."""
    hass.states.async_set(entity_id, value)
    await hass.async_block_till_done()


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Move the clock on and run what became due."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def test_no_events_at_setup(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, setup_hub: SetupHub
) -> None:
    """Targets that are up at start announce nothing."""
    captured: list[Event] = []

    @callback
    def capture(event: Event) -> None:
        if event.event_type.startswith(DOMAIN):
            captured.append(event)

    hass.bus.async_listen("*", capture)
    freezer.move_to(NOW)
    hass.states.async_set("sensor.cpu", "50")
    await setup_hub({**CPU, "id": CPU_ID})
    assert captured == []


async def test_full_cycle(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    events: list[Event],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Down, alert, acknowledge, silence, up, cleared: each announced once."""
    cpu_device = device_id(hass, init_integration, CPU_ID)

    await set_state(hass, "sensor.cpu", "95")
    assert kinds(events) == ["target_down", "alert_started"]
    down, started = events
    assert set(down.data) == TARGET_DOWN_KEYS
    assert down.data == {
        "target_id": CPU_ID,
        "device_id": cpu_device,
        "name": "CPU",
        "failures": 1,
        "threshold": 1,
        "error": "sensor.cpu is 95, above 80",
        "alert_rule": "consecutive_failures",
    }
    assert started.data == {"failing_count": 1, "failing_targets": ["CPU"]}

    # Staying down announces nothing new.
    events.clear()
    await set_state(hass, "sensor.cpu", "96")
    assert events == []

    # A second target joins: down, but the alert was already on.
    await set_state(hass, "sensor.disk", "99")
    assert kinds(events) == ["target_down"]
    assert events[0].data["name"] == "Disk"

    events.clear()
    await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"device_id": cpu_device, "note": "on it"},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert kinds(events) == ["acknowledged"]
    assert set(events[0].data) == ACKNOWLEDGED_KEYS
    assert events[0].data == {
        "target_id": CPU_ID,
        "device_id": cpu_device,
        "name": "CPU",
        "by": "Home Assistant",
        "note": "on it",
    }

    events.clear()
    response = await hass.services.async_call(
        DOMAIN,
        "silence",
        {"tags": ["storage"], "duration": {"minutes": 30}, "comment": "Resize"},
        blocking=True,
        return_response=True,
    )
    await hass.async_block_till_done()
    assert kinds(events) == ["silenced", "alert_cleared"]
    silenced, cleared = events
    assert set(silenced.data) == SILENCED_KEYS
    assert silenced.data == {
        "silence_id": response["silence_id"],
        "target_ids": [],
        "tags": ["storage"],
        "starts_at": "2026-01-01T12:00:00+00:00",
        "ends_at": "2026-01-01T12:30:00+00:00",
        "created_by": "Home Assistant",
        "comment": "Resize",
    }
    assert cleared.data == {"failing_count": 0}

    events.clear()
    await advance(hass, freezer, timedelta(minutes=5))
    await set_state(hass, "sensor.cpu", "20")
    assert kinds(events) == ["target_up"]
    assert set(events[0].data) == TARGET_UP_KEYS
    assert events[0].data == {
        "target_id": CPU_ID,
        "device_id": cpu_device,
        "name": "CPU",
        "downtime_seconds": 300.0,
    }

    # The silence ends with Disk still down: the alert comes back by itself.
    events.clear()
    await advance(hass, freezer, timedelta(minutes=26))
    assert kinds(events) == ["alert_started"]
    assert events[0].data == {"failing_count": 1, "failing_targets": ["Disk"]}

    events.clear()
    await set_state(hass, "sensor.disk", "10")
    assert kinds(events) == ["target_up", "alert_cleared"]


async def test_unacknowledge_and_unsilence_restart_the_alert(
    hass: HomeAssistant, init_integration: MockConfigEntry, events: list[Event]
) -> None:
    """Withdrawing what muted a down target starts the alert again."""
    await set_state(hass, "sensor.cpu", "95")
    await hass.services.async_call(
        DOMAIN, "acknowledge", {"entity_id": "binary_sensor.cpu"}, blocking=True
    )
    await hass.async_block_till_done()
    events.clear()
    await hass.services.async_call(
        DOMAIN, "unacknowledge", {"entity_id": "binary_sensor.cpu"}, blocking=True
    )
    await hass.async_block_till_done()
    assert kinds(events) == ["alert_started"]

    response = await hass.services.async_call(
        DOMAIN,
        "silence",
        {"all": True, "duration": {"hours": 1}},
        blocking=True,
        return_response=True,
    )
    await hass.async_block_till_done()
    events.clear()
    await hass.services.async_call(
        DOMAIN, "unsilence", {"silence_id": response["silence_id"]}, blocking=True
    )
    await hass.async_block_till_done()
    assert kinds(events) == ["alert_started"]


async def test_heartbeat_events(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    events: list[Event],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A missed heartbeat goes down by the clock alone; a ping brings it up."""
    await advance(hass, freezer, timedelta(minutes=61, seconds=1))
    assert kinds(events) == ["target_down", "alert_started"]
    assert events[0].data["target_id"] == BACKUP_ID
    assert events[0].data["error"] == "No ping received yet"
    assert events[0].data["device_id"] == device_id(hass, init_integration, BACKUP_ID)

    events.clear()
    coordinator_of(init_integration).async_heartbeat(BACKUP_ID, "success")
    await hass.async_block_till_done()
    assert kinds(events) == ["target_up", "alert_cleared"]
    assert events[0].data["downtime_seconds"] == 0.0


async def test_pausing_and_removing_a_failing_target_clear_the_alert(
    hass: HomeAssistant, init_integration: MockConfigEntry, events: list[Event]
) -> None:
    """Configuration changes that end the alert announce it too."""
    await set_state(hass, "sensor.cpu", "95")
    events.clear()
    await hass.services.async_call(
        DOMAIN, "pause", {"entity_id": "binary_sensor.cpu"}, blocking=True
    )
    await hass.async_block_till_done()
    assert kinds(events) == ["alert_cleared"]

    events.clear()
    await hass.services.async_call(
        DOMAIN, "resume", {"entity_id": "binary_sensor.cpu"}, blocking=True
    )
    await hass.async_block_till_done()
    # Resumed, it starts over: still failing, it goes down again.
    assert kinds(events) == ["target_down", "alert_started"]

    events.clear()
    assert hass.config_entries.async_remove_subentry(init_integration, CPU_ID)
    await hass.async_block_till_done()
    assert kinds(events) == ["alert_cleared"]
    assert not coordinator_of(init_integration).data.alert


async def test_capture_by_type(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Each event type can be listened to on its own."""
    captured = {
        kind: async_capture_events(hass, f"{DOMAIN}_{kind}") for kind in EventType
    }
    await set_state(hass, "sensor.cpu", "95")
    await hass.services.async_call(
        DOMAIN, "acknowledge", {"entity_id": "binary_sensor.cpu"}, blocking=True
    )
    await hass.services.async_call(
        DOMAIN, "silence", {"all": True, "duration": {"hours": 1}}, blocking=True
    )
    await set_state(hass, "sensor.cpu", "10")
    await hass.async_block_till_done()
    assert {kind: len(found) for kind, found in captured.items()} == {
        EventType.TARGET_DOWN: 1,
        EventType.TARGET_UP: 1,
        EventType.ALERT_STARTED: 1,
        EventType.ALERT_CLEARED: 1,
        EventType.ACKNOWLEDGED: 1,
        EventType.SILENCED: 1,
        # Only a watched API client's silence (tests/api/test_client_watch.py).
        EventType.CLIENT_STOPPED_POLLING: 0,
        EventType.CLIENT_POLLING_AGAIN: 0,
        # Only when someone works on an incident (tests/test_incident_workflow.py).
        EventType.INCIDENT_UPDATED: 0,
    }


async def tick_for(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: int
) -> None:
    """Let the coordinator's tick run once a second for a while."""
    for _ in range(seconds):
        await advance(hass, freezer, timedelta(seconds=1))


def hub_now(init_integration: MockConfigEntry) -> datetime:
    """Return the hub's clock."""
    return coordinator_of(init_integration).now()


async def silence_cpu(
    hass: HomeAssistant, init_integration: MockConfigEntry, via: str, client: TestClient
) -> str:
    """Silence the CPU target for 10 minutes; return the silence's id."""
    if via == "service":
        response = await hass.services.async_call(
            DOMAIN,
            "silence",
            {
                "device_id": device_id(hass, init_integration, CPU_ID),
                "duration": {"minutes": 10},
            },
            blocking=True,
            return_response=True,
        )
        return str(response["silence_id"])
    keys = init_integration.runtime_data.api.keys
    _, key = keys.create(
        f"Writer {len(keys.keys)}", Scope.WRITE, hub_now(init_integration)
    )
    reply = await client.post(
        f"{API_PREFIX}/silences",
        json={"target_ids": [CPU_ID], "duration_seconds": 600},
        headers={"x-api-key": key},
    )
    assert reply.status == 201, await reply.text()
    return str((await reply.json())["id"])


@pytest.mark.parametrize("via", ["service", "api"])
async def test_silence_edges_fire_the_alert_events_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    events: list[Event],
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: ClientSessionGenerator,
    via: str,
) -> None:
    """A silence starting or ending between two ticks is announced once."""
    client = await hass_client_no_auth()
    await set_state(hass, "sensor.cpu", "95")
    assert kinds(events) == ["target_down", "alert_started"]
    await tick_for(hass, freezer, 2)

    # Created between two ticks: the tick after it must not announce it again.
    events.clear()
    freezer.tick(timedelta(seconds=3))
    await silence_cpu(hass, init_integration, via, client)
    await hass.async_block_till_done()
    assert kinds(events) == ["silenced", "alert_cleared"]
    await tick_for(hass, freezer, 12)
    assert kinds(events) == ["silenced", "alert_cleared"]

    # It runs out by itself: one alert_started.
    events.clear()
    await advance(hass, freezer, timedelta(minutes=10))
    await tick_for(hass, freezer, 12)
    assert kinds(events) == ["alert_started"]

    # Ended by hand between two ticks: one alert_started, from the action.
    silence_id = await silence_cpu(hass, init_integration, via, client)
    await tick_for(hass, freezer, 2)
    events.clear()
    freezer.tick(timedelta(seconds=3))
    await hass.services.async_call(
        DOMAIN, "unsilence", {"silence_id": silence_id}, blocking=True
    )
    await hass.async_block_till_done()
    assert kinds(events) == ["alert_started"]
    await tick_for(hass, freezer, 12)
    assert kinds(events) == ["alert_started"]


async def test_editing_what_a_down_target_checks_ends_its_incident(
    hass: HomeAssistant, init_integration: MockConfigEntry, events: list[Event]
) -> None:
    """The edit ends the incident in the history; the hub alert clears once."""
    await set_state(hass, "sensor.cpu", "95")
    monitor = coordinator_of(init_integration).monitor
    incident_id = monitor.states[CPU_ID].incident_id
    events.clear()
    subentry = init_integration.subentries[CPU_ID]
    hass.config_entries.async_update_subentry(
        init_integration, subentry, data={**subentry.data, "value": "99"}
    )
    await hass.async_block_till_done()
    # Evaluated again at once against the new condition: 95 is fine now.
    assert kinds(events) == ["alert_cleared"]
    assert monitor.status(CPU_ID) is Status.UP
    assert monitor.history.incidents[incident_id].ended_at is not None
    edited, _ = monitor.history.page_events(1, target_id=CPU_ID)
    assert edited[0].type is HistoryEventType.EDITED
    assert edited[0].message.endswith("; its incident ended")

    # A rename keeps the incident and the state.
    await set_state(hass, "sensor.cpu", "100")
    incident_id = monitor.states[CPU_ID].incident_id
    events.clear()
    subentry = init_integration.subentries[CPU_ID]
    hass.config_entries.async_update_subentry(
        init_integration, subentry, data={**subentry.data, "name": "Processor"}
    )
    await hass.async_block_till_done()
    assert events == []
    assert monitor.states[CPU_ID].incident_id == incident_id
    assert monitor.status(CPU_ID) is Status.DOWN


async def test_resuming_a_down_target_starts_fresh(
    hass: HomeAssistant, init_integration: MockConfigEntry, events: list[Event]
) -> None:
    """Pause ends the incident; resume counts failures from zero again."""
    await set_state(hass, "sensor.cpu", "95")
    await set_state(hass, "sensor.cpu", "96")
    monitor = coordinator_of(init_integration).monitor
    assert monitor.states[CPU_ID].consecutive_failures == 2
    incident_id = monitor.states[CPU_ID].incident_id
    events.clear()
    await hass.services.async_call(
        DOMAIN, "pause", {"entity_id": "binary_sensor.cpu"}, blocking=True
    )
    await hass.async_block_till_done()
    assert kinds(events) == ["alert_cleared"]
    assert monitor.history.incidents[incident_id].ended_at is not None
    paused, _ = monitor.history.page_events(1, target_id=CPU_ID)
    assert (paused[0].type, paused[0].message) == (
        HistoryEventType.PAUSED,
        "CPU paused; its incident ended",
    )

    events.clear()
    await hass.services.async_call(
        DOMAIN, "resume", {"entity_id": "binary_sensor.cpu"}, blocking=True
    )
    await hass.async_block_till_done()
    # Evaluated at once: one new failure reaches the threshold of 1 again,
    # as a new incident announced like any other.
    assert kinds(events) == ["target_down", "alert_started"]
    assert events[0].data["failures"] == 1
    assert monitor.states[CPU_ID].consecutive_failures == 1
    assert monitor.states[CPU_ID].incident_id not in (None, incident_id)
    resumed, _ = monitor.history.page_events(
        1, target_id=CPU_ID, types=[HistoryEventType.RESUMED]
    )
    assert resumed[0].message == "CPU resumed: its checks start over"
