"""Recurring maintenance windows through the REST API and the actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import Context
from homeassistant.exceptions import ServiceValidationError, Unauthorized
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.pialert.const import DOMAIN

from .conftest import Hub

# Saturday 2026-10-31 12:00 UTC; Sunday 03:00 in Berlin (CET) is 02:00 UTC.
SATURDAY_NOON = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
SUNDAY_3AM_BERLIN = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
NAS_REBOOT = {
    "name": "NAS reboot",
    "time_zone": "Europe/Berlin",
    "days": ["sun"],
    "start_time": "03:00",
    "end_time": "03:30",
    "target_ids": ["cpu"],
}


@pytest.fixture
async def down_cpu(hub: Hub, freezer: FrozenDateTimeFactory) -> Hub:
    """The hub with its CPU target down (an entity target: no probe)."""
    freezer.move_to(SATURDAY_NOON)
    hub.hass.states.async_set("sensor.cpu", "95")
    await hub.settle()
    return hub


async def failing(hub: Hub) -> list[str]:
    await hub.coordinator.async_refresh()
    await hub.settle()
    status = await hub.json("GET", "/api/v1/alert-status", key="read")
    return [t["name"] for t in status["failing_targets"]]


async def test_weekly_window_silences_only_inside_its_range(
    down_cpu: Hub, freezer: FrozenDateTimeFactory
) -> None:
    hub = down_cpu
    assert await failing(hub) == ["CPU load"]
    created = await hub.json("POST", "/maintenance-windows", 201, json=NAS_REBOOT)
    assert created["state"] == "pending"
    assert created["next_starts_at"] == SUNDAY_3AM_BERLIN.isoformat()
    assert (
        created["next_ends_at"]
        == (SUNDAY_3AM_BERLIN + timedelta(minutes=30)).isoformat()
    )
    assert created["created_by"] == "API key Writer"
    assert await failing(hub) == ["CPU load"]

    freezer.move_to(SUNDAY_3AM_BERLIN + timedelta(minutes=10))
    assert await failing(hub) == []
    state = hub.hass.states.get("sensor.cpu_load_status")
    assert state is not None
    assert state.attributes["silenced"] is True
    listed = await hub.json("GET", "/maintenance-windows", key="read")
    assert [w["state"] for w in listed["maintenance_windows"]] == ["active"]

    freezer.move_to(SUNDAY_3AM_BERLIN + timedelta(minutes=30))
    assert await failing(hub) == ["CPU load"]
    listed = await hub.json("GET", "/maintenance-windows", key="read")
    window = listed["maintenance_windows"][0]
    assert window["state"] == "pending"
    assert (
        window["next_starts_at"] == (SUNDAY_3AM_BERLIN + timedelta(days=7)).isoformat()
    )

    # Deleting is saved at once and ends the muting at once.
    freezer.move_to(SUNDAY_3AM_BERLIN + timedelta(days=7, minutes=1))
    assert await failing(hub) == []
    deleted = await hub.json("DELETE", f"/maintenance-windows/{window['id']}")
    assert deleted == {"deleted": window["id"]}
    assert await failing(hub) == ["CPU load"]


async def test_window_edges_wake_the_coordinator(
    down_cpu: Hub, freezer: FrozenDateTimeFactory
) -> None:
    """The timer alone silences at the start second and un-silences at the end."""
    hub = down_cpu
    await hub.json("POST", "/maintenance-windows", 201, json=NAS_REBOOT)
    end = SUNDAY_3AM_BERLIN + timedelta(minutes=30)

    async def silenced_at(moment: datetime) -> bool:
        freezer.move_to(moment)
        async_fire_time_changed(hub.hass)  # only timers due by now run
        await hub.settle()
        state = hub.hass.states.get("sensor.cpu_load_status")
        assert state is not None
        return bool(state.attributes["silenced"])

    assert not await silenced_at(SUNDAY_3AM_BERLIN - timedelta(seconds=1))
    assert await silenced_at(SUNDAY_3AM_BERLIN)
    assert await silenced_at(end - timedelta(seconds=1))
    assert not await silenced_at(end)


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        (
            {
                "cron": "every sunday",
                "duration_seconds": 600,
                **dict.fromkeys(("days", "start_time", "end_time")),
            },
            "every sunday is not a cron expression that runs: use 5 fields, for "
            "example 0 3 * * 0 (Sundays at 03:00).",
        ),
        (
            {"time_zone": "Mars/Olympus"},
            "Mars/Olympus is not a time zone: use an IANA name such as Europe/Berlin.",
        ),
        (
            {"days": ["sunday"]},
            "sunday: days are mon, tue, wed, thu, fri, sat and sun.",
        ),
        ({"start_time": "3 am"}, "Invalid field 'start_time': expected a time HH:MM"),
        ({"target_ids": ["nope"]}, "Unknown target: nope."),
        ({"colour": "red"}, "Unknown field: colour"),
    ],
)
async def test_bad_windows_get_a_clear_detail(
    hub: Hub, changes: dict[str, Any], detail: str
) -> None:
    body = {k: v for k, v in (NAS_REBOOT | changes).items() if v is not None}
    got = await hub.error("POST", "/maintenance-windows", 400, json=body)
    assert got == detail
    assert hub.coordinator.monitor.maintenance.windows == {}


async def test_read_keys_cannot_change_windows(hub: Hub) -> None:
    await hub.error("POST", "/maintenance-windows", 403, json=NAS_REBOOT, key="read")
    await hub.error("DELETE", "/maintenance-windows/x", 404)


async def test_actions_add_list_delete(
    down_cpu: Hub, freezer: FrozenDateTimeFactory, hass_read_only_user: User
) -> None:
    hass = down_cpu.hass
    added = await hass.services.async_call(
        DOMAIN,
        "add_maintenance_window",
        {
            "name": "Nightly backup",
            "tags": ["hardware"],
            "cron": "50 23 * * *",
            "duration": {"minutes": 20},
            "time_zone": "Europe/Berlin",
        },
        blocking=True,
        return_response=True,
    )
    assert added is not None
    assert added["tags"] == ["hardware"]
    # 23:50 in Berlin is 22:50 UTC.
    assert added["next_starts_at"] == "2026-10-31T22:50:00+00:00"
    freezer.move_to(datetime(2026, 10, 31, 23, 0, tzinfo=UTC))
    assert await failing(down_cpu) == []

    listed = await hass.services.async_call(
        DOMAIN, "list_maintenance_windows", blocking=True, return_response=True
    )
    assert listed is not None
    assert [w["name"] for w in listed["maintenance_windows"]] == ["Nightly backup"]

    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "delete_maintenance_window",
            {"window_id": added["id"]},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    await hass.services.async_call(
        DOMAIN, "delete_maintenance_window", {"window_id": added["id"]}, blocking=True
    )
    assert await failing(down_cpu) == ["CPU load"]
    # Saved at once: the store holds no window any more.
    assert down_cpu.coordinator.monitor.maintenance.windows == {}


async def test_action_refusals_are_translated(hub: Hub) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hub.hass.services.async_call(
            DOMAIN,
            "add_maintenance_window",
            {"name": "x", "all": True, "cron": "0 3 * * 0", "duration": {"days": 9}},
            blocking=True,
        )
    assert err.value.translation_key == "invalid_window_duration"
    assert str(err.value) == "A cron maintenance window lasts from 1 minute to 7 days"
    with pytest.raises(ServiceValidationError) as err:
        await hub.hass.services.async_call(
            DOMAIN,
            "delete_maintenance_window",
            {"window_id": "nope"},
            blocking=True,
        )
    assert str(err.value) == "There is no maintenance window nope"
