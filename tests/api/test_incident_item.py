"""``/incidents/{id}``: the incident workflow through the API, JSON and CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.pialert.const import DOMAIN, STORAGE_KEY

from .conftest import Hub


async def open_incident(hub: Hub) -> str:
    """Take CPU down; return its incident's id."""
    hub.record("cpu", False, error="load 97")
    await hub.settle()
    body = await hub.json("GET", "/incidents?target_id=cpu", key="read")
    (incident,) = body["incidents"]
    assert incident["root_cause"] is None
    assert incident["notes"] == []
    incident_id: str = incident["id"]
    return incident_id


async def test_patch_records_who_and_when(hub: Hub, hass: HomeAssistant) -> None:
    incident_id = await open_incident(hub)
    events = async_capture_events(hass, f"{DOMAIN}_incident_updated")
    at = hub.coordinator.now()
    body = await hub.json(
        "PATCH",
        f"/incidents/{incident_id}",
        json={"root_cause": "Runaway backup", "note": "Killed the job"},
    )
    assert body["root_cause"] == "Runaway backup"
    assert body["root_cause_set_by"] == "API key Writer"
    assert body["root_cause_set_at"] >= at.isoformat()
    assert body["notes"] == [
        {
            "text": "Killed the job",
            "at": body["root_cause_set_at"],
            "by": "API key Writer",
        }
    ]
    body = await hub.json(
        "PATCH",
        f"/incidents/{incident_id}",
        json={"action_taken": "Rescheduled the backup", "dismissed": True},
    )
    assert body["acted_by"] == "API key Writer"
    assert body["dismissed_by"] == "API key Writer"
    assert [e.data["change"] for e in events] == [
        "root_cause",
        "note",
        "action_taken",
        "dismissed",
    ]
    # GET of the one incident and the list agree.
    one = await hub.json("GET", f"/incidents/{incident_id}", key="read")
    listed = await hub.json("GET", "/incidents", key="read")
    assert listed["incidents"][0] == one
    assert one == body | {"viewed_at": one["viewed_at"], "viewed_by": "API key Reader"}
    # The history lists each change.
    history = await hub.json("GET", "/alerts/history?type=incident_updated", key="read")
    assert history["history"][0]["message"] == (
        "CPU load: incident dismissed by API key Writer"
    )
    assert history["total"] == 4
    # CSV: the same values, notes one per line.
    response = await hub.request("GET", "/incidents?format=csv", key="read")
    (row,) = list(csv.DictReader(io.StringIO(await response.text(), newline="")))
    assert row["root_cause"] == "Runaway backup"
    assert row["action_taken"] == "Rescheduled the backup"
    assert row["acted_by"] == "API key Writer"
    assert row["notes"] == f"{body['notes'][0]['at']} API key Writer: Killed the job"
    assert row["dismissed_at"] == body["dismissed_at"]


async def test_read_key_is_refused(hub: Hub) -> None:
    incident_id = await open_incident(hub)
    detail = await hub.error(
        "PATCH", f"/incidents/{incident_id}", 403, key="read", json={"note": "x"}
    )
    assert "read-only" in detail
    body = await hub.json("GET", f"/incidents/{incident_id}", key="read")
    assert body["notes"] == []


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (
            {},
            400,
            "Request body must set at least one of: root_cause, action_taken, note, dismissed",
        ),
        ({"cause": "x"}, 400, "Unknown field: cause"),
        (
            {"note": 5},
            400,
            "Invalid field 'note': expected a string of at most 500 characters",
        ),
        (
            {"root_cause": "x" * 501},
            400,
            "Invalid field 'root_cause': expected a string of at most 500 characters",
        ),
        (
            {"dismissed": "yes"},
            400,
            "Invalid field 'dismissed': expected true or false",
        ),
        (
            {"dismissed": False},
            400,
            "That changes nothing: give a new root cause, action taken, a note, or dismiss or reopen the incident.",
        ),
        ([1], 400, "Request body must be a JSON object"),
    ],
)
async def test_bad_bodies(hub: Hub, body: Any, status: int, detail: str) -> None:
    incident_id = await open_incident(hub)
    assert (
        await hub.error("PATCH", f"/incidents/{incident_id}", status, json=body)
        == detail
    )


async def test_unknown_incident(hub: Hub) -> None:
    assert (
        await hub.error("PATCH", "/incidents/nope", 404, json={"note": "x"})
        == "Unknown incident: nope"
    )
    assert (
        await hub.error("GET", "/incidents/nope", 404, key="read")
        == "Unknown incident: nope"
    )


async def test_presets_are_listed(hub: Hub, hass: HomeAssistant) -> None:
    hass.config_entries.async_update_entry(
        hub.entry,
        options={
            **hub.entry.options,
            "root_cause_presets": ["Power cut", " power CUT ", "Disk full"],
            "action_presets": ["Rebooted"],
        },
    )
    await hass.async_block_till_done()
    body = await hub.json("GET", "/incidents", key="read")
    assert body["presets"] == {
        "root_cause": ["Power cut", "Disk full"],
        "action_taken": ["Rebooted"],
        "allow_custom": True,
    }


async def test_first_view_is_recorded_and_saved_at_once(
    hub: Hub, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """GET of one incident records its first viewer (004's viewed_at), once."""
    incident_id = await open_incident(hub)
    listed = await hub.json("GET", "/incidents", key="read")
    assert listed["incidents"][0]["viewed_at"] is None  # listing is not viewing
    hass_storage.pop(STORAGE_KEY, None)
    viewed_at = hub.coordinator.now().isoformat()
    one = await hub.json("GET", f"/incidents/{incident_id}", key="read")
    assert (one["viewed_at"], one["viewed_by"]) == (viewed_at, "API key Reader")
    # Saved now, not with the 30 s debounce of checks.
    async_fire_time_changed(hub.hass)
    await hub.settle()
    saved = hass_storage[STORAGE_KEY]["data"]
    (work,) = [i["work"] for i in saved["incidents"] if i["id"] == incident_id]
    assert work["viewed"] == {"text": "", "at": viewed_at, "by": "API key Reader"}
    # Later views change nothing.
    freezer.tick(60)
    again = await hub.json("GET", f"/incidents/{incident_id}", key="write")
    assert (again["viewed_at"], again["viewed_by"]) == (viewed_at, "API key Reader")
    response = await hub.request("GET", "/incidents?format=csv", key="read")
    (row,) = list(csv.DictReader(io.StringIO(await response.text(), newline="")))
    assert (row["viewed_at"], row["viewed_by"]) == (viewed_at, "API key Reader")
    assert await hub.error("GET", "/incidents/nope", 404) == "Unknown incident: nope"
