"""``/alerts/history`` and ``/incidents`` (JSON and CSV)."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
import io

from homeassistant.util import dt as dt_util
import pytest

from custom_components.pialert.api.history import INCIDENT_FIELDS
from custom_components.pialert.api.incident_work import csv_value

from .conftest import Hub

TRICKY = 'Bad "value", see\nthe log'


async def history_scenario(hub: Hub) -> datetime:
    """Make four events and three incidents; return the reference time."""
    now = hub.coordinator.now()
    hub.record("door", False, now - timedelta(days=5), error="first")
    hub.record("door", False, now - timedelta(days=5, minutes=-1), error=TRICKY)
    hub.record("door", True, now - timedelta(days=5, minutes=-10))
    hub.record("backup", False, now - timedelta(hours=3))
    hub.record("backup", True, now - timedelta(hours=2))
    hub.record("cpu", False, now - timedelta(hours=1), error="load 99")
    await hub.settle()
    await hub.json("POST", "/targets/cpu/acknowledge", json={"note": "on it, really"})
    return now


async def test_alert_history(hub: Hub) -> None:
    await history_scenario(hub)
    body = await hub.json("GET", "/alerts/history", key="read")
    assert (body["total"], body["limit"], body["offset"]) == (6, 50, 0)
    events = body["history"]
    assert [(e["type"], e["target_id"]) for e in events] == [
        ("acknowledged", "cpu"),
        ("down", "cpu"),
        ("up", "backup"),
        ("down", "backup"),
        ("up", "door"),
        ("down", "door"),
    ]
    assert set(events[0]) == {"id", "type", "target_id", "target_name", "message", "at"}
    assert events[1]["message"] == "CPU load is down: load 99"
    assert events[1]["target_name"] == "CPU load"
    assert (
        events[0]["message"] == "CPU load acknowledged by API key Writer: on it, really"
    )

    page = await hub.json("GET", "/alerts/history?limit=2&offset=1", key="read")
    assert [e["id"] for e in page["history"]] == [e["id"] for e in events[1:3]]
    assert (page["total"], page["limit"], page["offset"]) == (6, 2, 1)
    page = await hub.json("GET", "/alerts/history?target_id=backup", key="read")
    assert [e["type"] for e in page["history"]] == ["up", "down"]
    assert page["total"] == 2
    page = await hub.json("GET", "/alerts/history?type=down", key="read")
    assert [e["target_id"] for e in page["history"]] == ["cpu", "backup", "door"]
    page = await hub.json(
        "GET", "/alerts/history?type=down,%20up&target_id=door", key="read"
    )
    assert [e["type"] for e in page["history"]] == ["up", "down"]
    page = await hub.json("GET", "/alerts/history?target_id=gone", key="read")
    assert page == {"history": [], "total": 0, "limit": 50, "offset": 0}


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        (
            "limit=0",
            "Invalid query parameter 'limit': expected a whole number from 1 to 500",
        ),
        (
            "limit=1000",
            "Invalid query parameter 'limit': expected a whole number from 1 to 500",
        ),
        (
            "offset=x",
            "Invalid query parameter 'offset': expected a whole number of at least 0",
        ),
        (
            "type=exploded",
            "Invalid query parameter 'type': expected one of down, up, acknowledged, unacknowledged, silenced, unsilenced, paused, resumed, edited, removed, incident_updated",
        ),
        (
            "type=down,",
            "Invalid query parameter 'type': expected one of down, up, acknowledged, unacknowledged, silenced, unsilenced, paused, resumed, edited, removed, incident_updated",
        ),
        ("since=2024-01-01", "Unknown query parameter: since"),
        ("type=up&type=down", "Query parameter 'type' is given more than once"),
    ],
)
async def test_alert_history_bad_query(hub: Hub, query: str, detail: str) -> None:
    assert await hub.error("GET", f"/alerts/history?{query}", 400, key="read") == detail


async def test_incidents_json(hub: Hub) -> None:
    now = await history_scenario(hub)
    body = await hub.json("GET", "/incidents", key="read")
    incidents = body["incidents"]
    assert [i["target_id"] for i in incidents] == ["cpu", "backup", "door"]
    for incident in incidents:
        assert tuple(incident) == INCIDENT_FIELDS
    cpu, backup, door = incidents
    assert cpu["ended_at"] is None
    assert cpu["duration_seconds"] is None
    assert cpu["acknowledged_by"] == "API key Writer"
    assert cpu["acknowledgement_note"] == "on it, really"
    assert cpu["acknowledged_at"] is not None
    assert cpu["first_error"] == cpu["last_error"] == "load 99"
    assert backup["started_at"] == (now - timedelta(hours=3)).isoformat()
    assert backup["ended_at"] == (now - timedelta(hours=2)).isoformat()
    assert backup["duration_seconds"] == 3600
    assert backup["failures"] == 1
    assert backup["target_name"] == "Backup job"
    assert backup["acknowledged_at"] is None
    assert door["failures"] == 2
    assert door["first_error"] == TRICKY
    assert door["duration_seconds"] == 540


async def test_incident_ranges(hub: Hub) -> None:
    now = await history_scenario(hub)

    async def listed(query: str) -> list[str]:
        body = await hub.json("GET", f"/incidents?{query}", key="read")
        return [i["target_id"] for i in body["incidents"]]

    door_start = now - timedelta(days=5, minutes=-1)
    door_day = dt_util.as_local(door_start).date()
    # A date alone: from the start of that day to its very end, local time.
    assert await listed(f"end_date={door_day}") == ["door"]
    assert await listed(f"end_date={door_day - timedelta(days=1)}") == []
    assert await listed(f"start_date={door_day}&end_date={door_day}") == ["door"]
    assert await listed(f"start_date={door_day + timedelta(days=1)}") == [
        "cpu",
        "backup",
    ]
    # ISO 8601 with an offset, or local time without one.
    since = (now - timedelta(minutes=90)).isoformat()
    assert await listed(f"start_date={since.replace('+', '%2B')}") == ["cpu"]
    local = dt_util.as_local(now - timedelta(minutes=150)).replace(tzinfo=None)
    assert await listed(f"start_date={local.isoformat()}") == ["cpu", "backup"]
    assert await listed("target_id=backup") == ["backup"]
    assert (
        await listed("target_id=backup&start_date=2000-01-01&end_date=2000-01-02") == []
    )
    assert await listed("format=json") == ["cpu", "backup", "door"]


async def test_incidents_csv(hub: Hub) -> None:
    await history_scenario(hub)
    json_body = await hub.json("GET", "/incidents", key="read")
    response = await hub.request("GET", "/incidents?format=csv", key="read")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="pialert-incidents.csv"'
    )
    text = await response.text()
    assert text.startswith(",".join(INCIDENT_FIELDS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 3
    for row, incident in zip(rows, json_body["incidents"], strict=True):
        assert tuple(row) == INCIDENT_FIELDS
        for name in INCIDENT_FIELDS:
            value = csv_value(incident[name])
            assert row[name] == ("" if value is None else str(value))
    assert rows[2]["first_error"] == TRICKY
    assert rows[0]["acknowledgement_note"] == "on it, really"
    # Empty: the header alone.
    response = await hub.request(
        "GET", "/incidents?format=csv&target_id=nope", key="read"
    )
    assert await response.text() == ",".join(INCIDENT_FIELDS) + "\r\n"


async def test_incidents_csv_neutralises_formulas(hub: Hub) -> None:
    """Cells a spreadsheet would run as a formula start with a quote (OWASP)."""
    await hub.json("PATCH", "/targets/door", json={"name": "=HYPERLINK(1)"})
    await hub.settle()
    now = hub.coordinator.now()
    hub.record("door", False, now - timedelta(hours=4), error="+cmd|' /C calc'!A0")
    hub.record("door", False, now - timedelta(hours=3), error="+cmd|' /C calc'!A0")
    hub.record("door", False, now - timedelta(hours=2), error="-2+3")
    hub.record("backup", False, now - timedelta(hours=2), error="\tTAB")
    hub.record("backup", False, now - timedelta(hours=1), error="\rCR")
    hub.record("cpu", False, now - timedelta(minutes=5), error="plain - text")
    await hub.settle()
    await hub.json("POST", "/targets/door/acknowledge", json={"note": "@SUM(A1)"})
    response = await hub.request("GET", "/incidents?format=csv", key="read")
    rows = {
        row["target_id"]: row
        for row in csv.DictReader(io.StringIO(await response.text(), newline=""))
    }
    door, backup, cpu = rows["door"], rows["backup"], rows["cpu"]
    assert door["target_name"] == "'=HYPERLINK(1)"
    assert door["first_error"] == "'+cmd|' /C calc'!A0"
    assert door["last_error"] == "'-2+3"
    assert door["acknowledgement_note"] == "'@SUM(A1)"
    assert backup["first_error"] == "'\tTAB"
    assert backup["last_error"] == "'\rCR"
    # Only a leading trigger counts; other cells are left as they are.
    assert cpu["first_error"] == "plain - text"
    assert cpu["target_name"] == "CPU load"
    # JSON is data, not a spreadsheet: it is never altered.
    body = await hub.json("GET", "/incidents", key="read")
    by_target = {i["target_id"]: i for i in body["incidents"]}
    assert by_target["door"]["target_name"] == "=HYPERLINK(1)"
    assert by_target["backup"]["last_error"] == "\rCR"


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        (
            "start_date=yesterday",
            "Invalid query parameter 'start_date': expected a date (YYYY-MM-DD) or an ISO 8601 date and time",
        ),
        (
            "end_date=2024-13-01",
            "Invalid query parameter 'end_date': out of range (not a real date and time, or beyond year 9999)",
        ),
        (
            "end_date=9999-12-31",
            "Invalid query parameter 'end_date': out of range (not a real date and time, or beyond year 9999)",
        ),
        (
            "start_date=0001-01-01T00:00:00%2B05:00",
            "Invalid query parameter 'start_date': out of range (not a real date and time, or beyond year 9999)",
        ),
        (
            "start_date=2024-01-01T12:99:00Z",
            "Invalid query parameter 'start_date': out of range (not a real date and time, or beyond year 9999)",
        ),
        (
            "end_date=2026-02-30",
            "Invalid query parameter 'end_date': out of range (not a real date and time, or beyond year 9999)",
        ),
        (
            "end_date=2026-02-30T00:00:00Z",
            "Invalid query parameter 'end_date': out of range (not a real date and time, or beyond year 9999)",
        ),
        (
            "start_date=2024-02-01&end_date=2024-01-31",
            "start_date must not be after end_date",
        ),
        ("format=xml", "Invalid query parameter 'format': expected one of json, csv"),
        ("from=2024-01-01", "Unknown query parameter: from"),
        ("format=csv&format=json", "Query parameter 'format' is given more than once"),
    ],
)
async def test_incidents_bad_query(hub: Hub, query: str, detail: str) -> None:
    assert await hub.error("GET", f"/incidents?{query}", 400, key="read") == detail


async def test_same_day_range_is_allowed(hub: Hub) -> None:
    body = await hub.json(
        "GET", "/incidents?start_date=2024-01-31&end_date=2024-01-31", key="read"
    )
    assert body["incidents"] == []
    detail = await hub.error("GET", "/incidents", 401, key=None)
    assert detail == "Missing API key in x-api-key header"
