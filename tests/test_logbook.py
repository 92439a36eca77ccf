"""Logbook lines for PiAlert's events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.components.recorder import Recorder
from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.pialert.const import DOMAIN, HUB_TITLE
from custom_components.pialert.engine.events import EventType
from custom_components.pialert.logbook import async_describe_events

from .conftest import SetupHub
from .platform_helpers import CPU, CPU_ID

type Describe = Callable[[Event], dict[str, str]]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_db_url: str, enable_custom_integrations: None
) -> None:
    """Prepare the recorder's database before Home Assistant starts.

    (Overrides the conftest fixture of the same name, which would start
    Home Assistant first: ``recorder_mock`` must come before ``hass``.)
    """


@pytest.fixture
def describers(hass: HomeAssistant) -> dict[str, Describe]:
    """Return the describe callback registered for each event type."""
    described: dict[str, Describe] = {}

    def register(domain: str, event_type: str, describe: Describe) -> None:
        assert domain == DOMAIN
        assert event_type not in described
        described[event_type] = describe

    async_describe_events(hass, register)
    return described


def describe(
    describers: dict[str, Describe], kind: str, data: dict[str, Any]
) -> dict[str, str]:
    """Describe one event as the logbook would."""
    event_type = f"{DOMAIN}_{kind}"
    return describers[event_type](Event(event_type, data))


def test_every_event_type_is_described(describers: dict[str, Describe]) -> None:
    """All six event types have a logbook line."""
    assert set(describers) == {f"{DOMAIN}_{kind}" for kind in EventType}


async def logbook_since(
    hass_ws_client: WebSocketGenerator, start: datetime
) -> list[dict[str, Any]]:
    """Return the logbook's entries from ``start`` until now, as the frontend asks."""
    client = await hass_ws_client()
    await client.send_json(
        {
            "id": 1,
            "type": "logbook/get_events",
            "start_time": start.isoformat(),
            "end_time": (dt_util.utcnow() + timedelta(seconds=1)).isoformat(),
        }
    )
    response = await client.receive_json()
    assert response["success"], response
    result: list[dict[str, Any]] = response["result"]
    return result


@pytest.mark.parametrize(
    ("kind", "data", "name", "message"),
    [
        (
            "target_down",
            {"target_id": CPU_ID, "name": "CPU", "error": "sensor.cpu is 95, above 80"},
            "CPU",
            "went down: sensor.cpu is 95, above 80",
        ),
        (
            "target_up",
            {"target_id": CPU_ID, "name": "CPU", "downtime_seconds": 300.0},
            "CPU",
            "is up again",
        ),
        (
            "alert_started",
            {"failing_count": 2, "failing_targets": ["CPU", "Disk"]},
            HUB_TITLE,
            "started alerting (CPU, Disk)",
        ),
        ("alert_cleared", {"failing_count": 0}, HUB_TITLE, "stopped alerting"),
        (
            "acknowledged",
            {"target_id": CPU_ID, "name": "CPU", "by": "Ops", "note": "on it"},
            "CPU",
            "was acknowledged by Ops: on it",
        ),
        (
            "acknowledged",
            {"target_id": CPU_ID, "name": "CPU", "by": "Ops", "note": None},
            "CPU",
            "was acknowledged by Ops",
        ),
        (
            "silenced",
            {
                "silence_id": "s1",
                "starts_at": "2026-01-01T12:00:00+00:00",
                "ends_at": "2026-01-01T13:00:00+00:00",
                "created_by": "Ops",
            },
            HUB_TITLE,
            "silenced until 15:00:00 by Ops",  # in Home Assistant's time zone
        ),
        (
            "silenced",
            {
                "silence_id": "s1",
                "starts_at": "2026-01-01T12:00:00+00:00",
                "ends_at": "2026-01-01T22:30:00+00:00",
            },
            HUB_TITLE,
            "silenced until 2026-01-02 00:30:00",  # the next day there
        ),
    ],
)
async def test_descriptions(
    hass: HomeAssistant,
    describers: dict[str, Describe],
    kind: str,
    data: dict[str, Any],
    name: str,
    message: str,
) -> None:
    """Each event reads as a sentence about its target or the hub."""
    await hass.config.async_set_time_zone("Europe/Athens")
    assert describe(describers, kind, data) == {
        LOGBOOK_ENTRY_NAME: name,
        LOGBOOK_ENTRY_MESSAGE: message,
    }


async def test_logbook_shows_events(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    setup_hub: SetupHub,
) -> None:
    """With the logbook set up, PiAlert's real events appear as described."""
    start = dt_util.utcnow() - timedelta(seconds=1)
    assert await async_setup_component(hass, "logbook", {})
    hass.states.async_set("sensor.cpu", "50")
    await setup_hub({**CPU, "id": CPU_ID})

    hass.states.async_set("sensor.cpu", "95")
    await hass.async_block_till_done()
    await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"entity_id": "binary_sensor.cpu", "note": "on it"},
        blocking=True,
    )
    await hass.services.async_call(
        DOMAIN,
        "silence",
        {"all": True, "duration": {"hours": 1}, "comment": "Maintenance"},
        blocking=True,
    )
    hass.states.async_set("sensor.cpu", "20")
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)

    result = await logbook_since(hass_ws_client, start)
    lines = [
        (entry["name"], entry["message"])
        for entry in result
        if entry.get("domain") == DOMAIN
    ]
    silence_line = next(line for line in lines if "silenced until" in line[1])
    assert lines == [
        ("CPU", "went down: sensor.cpu is 95, above 80"),
        (HUB_TITLE, "started alerting (CPU)"),
        ("CPU", "was acknowledged by Home Assistant: on it"),
        (HUB_TITLE, "stopped alerting"),
        silence_line,
        ("CPU", "is up again"),
    ]
    assert silence_line[0] == HUB_TITLE
    assert silence_line[1].endswith(" by Home Assistant")


async def test_flapping_target_logs_only_what_matters(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    setup_hub: SetupHub,
) -> None:
    """Failures below the threshold flip nothing in the logbook; down and up do."""
    assert await async_setup_component(hass, "logbook", {})
    hass.states.async_set("sensor.cpu", "50")
    await setup_hub({**CPU, "id": CPU_ID, "failure_threshold": 3})
    await async_wait_recording_done(hass)
    start = dt_util.utcnow()

    # Flapping: one failure, one success, over and over (pending, up, ...).
    for value in ("95", "20") * 5:
        hass.states.async_set("sensor.cpu", value)
        await hass.async_block_till_done()
    # Then a real outage and its end.
    for value in ("95", "96", "97", "20"):
        hass.states.async_set("sensor.cpu", value)
        await hass.async_block_till_done()
    await async_wait_recording_done(hass)

    result = await logbook_since(hass_ws_client, start)
    ours = [
        (entry.get("entity_id"), entry.get("state"))
        for entry in result
        if str(entry.get("entity_id")).startswith(("sensor.cpu_", "binary_sensor.cpu"))
    ]
    # Per entity (two entities written in the same instant may be listed in
    # either order): only the outage, nothing from the flaps.
    assert [state for entity, state in ours if entity == "binary_sensor.cpu"] == [
        "on",
        "off",
    ]
    assert [state for entity, state in ours if entity == "sensor.cpu_status"] == [
        "down",
        "up",
    ]
    assert len(ours) == 4
    messages = [entry["message"] for entry in result if entry.get("domain") == DOMAIN]
    assert messages == [
        "went down: sensor.cpu is 97, above 80",
        "started alerting (CPU)",
        "is up again",
        "stopped alerting",
    ]
