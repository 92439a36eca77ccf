"""``/silences``: list, create, read and end silences."""

from __future__ import annotations

from datetime import timedelta
import random
from typing import Any

from homeassistant.util import dt as dt_util
import pytest

from custom_components.pialert.api.base import MISSING_KEY

from .conftest import Hub

SILENCE_KEYS = {
    "id",
    "target_ids",
    "targets",
    "tags",
    "all",
    "starts_at",
    "ends_at",
    "created_by",
    "created_at",
    "comment",
    "state",
}


async def test_silence_targets_mutes_their_alert(hub: Hub) -> None:
    assert await hub.json("GET", "/silences", key="read") == {"silences": []}
    hub.record("backup", False)
    await hub.settle()
    assert (await hub.json("GET", "/api/v1/alert-status", key="read"))["alert"]

    now = hub.coordinator.now()
    body = await hub.json(
        "POST",
        "/silences",
        201,
        json={
            "target_ids": ["cpu", "backup"],
            "duration_seconds": 3600,
            "comment": " maintenance ",
        },
    )
    assert set(body) == SILENCE_KEYS
    assert body["target_ids"] == ["backup", "cpu"]
    assert body["targets"] == ["Backup job", "CPU load"]
    assert body["tags"] == []
    assert body["all"] is False
    assert body["state"] == "active"
    assert body["created_by"] == "API key Writer"
    assert body["comment"] == "maintenance"
    starts = dt_util.parse_datetime(body["starts_at"])
    ends = dt_util.parse_datetime(body["ends_at"])
    assert starts is not None
    assert ends is not None
    assert abs((starts - now).total_seconds()) < 5
    assert ends - starts == timedelta(hours=1)
    assert body["created_at"] == body["starts_at"]

    await hub.settle()
    status = await hub.json("GET", "/api/v1/alert-status", key="read")
    assert status["alert"] is False
    backup = await hub.json("GET", "/targets/backup", key="read")
    assert backup["silenced"] is True
    assert backup["alerting"] is False
    listed = await hub.json("GET", "/silences", key="read")
    assert listed["silences"] == [body]
    assert await hub.json("GET", f"/silences/{body['id']}", key="read") == body


async def test_silence_tags_all_and_times(hub: Hub) -> None:
    now = hub.coordinator.now()
    tagged = await hub.json(
        "POST",
        "/silences",
        201,
        json={"tags": ["NIGHTLY"], "ends_at": (now + timedelta(hours=2)).isoformat()},
    )
    assert tagged["tags"] == ["nightly"]
    assert tagged["targets"] == []
    assert tagged["comment"] == ""
    # A time without offset is in Home Assistant's time zone.
    local_start = dt_util.as_local(now + timedelta(days=1)).replace(tzinfo=None)
    pending = await hub.json(
        "POST",
        "/silences",
        201,
        json={
            "all": True,
            "starts_at": local_start.isoformat(),
            "duration_seconds": 90.5,
        },
    )
    assert pending["all"] is True
    assert pending["state"] == "pending"
    starts = dt_util.parse_datetime(pending["starts_at"])
    assert starts == dt_util.as_utc(
        local_start.replace(tzinfo=dt_util.get_default_time_zone())
    )
    ends = dt_util.parse_datetime(pending["ends_at"])
    assert ends is not None
    assert starts is not None
    assert ends - starts == timedelta(seconds=90.5)
    utc = await hub.json(
        "POST",
        "/silences",
        201,
        json={
            "target_ids": ["door"],
            "starts_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "ends_at": (now + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        },
    )
    assert utc["starts_at"] == (now - timedelta(days=1)).strftime(
        "%Y-%m-%dT%H:%M:%S+00:00"
    )
    assert utc["state"] == "active"

    async def ids(query: str) -> list[str]:
        body = await hub.json("GET", f"/silences{query}", key="read")
        return [s["id"] for s in body["silences"]]

    # Listed by start.
    assert await ids("") == [utc["id"], tagged["id"], pending["id"]]
    assert await ids("?state=pending") == [pending["id"]]
    assert await ids("?state=active") == [utc["id"], tagged["id"]]
    assert await ids("?state=expired") == []

    ended = await hub.json("DELETE", f"/silences/{tagged['id']}")
    assert ended["state"] == "expired"
    assert ended["id"] == tagged["id"]
    assert await ids("?state=expired") == [tagged["id"]]
    # Ending a pending silence works too.
    assert (await hub.json("DELETE", f"/silences/{pending['id']}"))[
        "state"
    ] == "expired"
    detail = await hub.error("DELETE", f"/silences/{tagged['id']}", 404)
    assert detail == f"No active or pending silence with id {tagged['id']}."
    await hub.settle()
    history = await hub.json(
        "GET", "/alerts/history?type=silenced,unsilenced", key="read"
    )
    messages = [e["message"] for e in history["history"]]
    assert messages[0] == "Silence of all targets ended by API key Writer"
    assert messages[1] == "Silence of #nightly ended by API key Writer"
    assert len(messages) == 5


async def test_silence_of_a_removed_target_shows_its_id(hub: Hub) -> None:
    body = await hub.json(
        "POST", "/silences", 201, json={"target_ids": ["door"], "duration_seconds": 60}
    )
    await hub.json("DELETE", "/targets/door")
    await hub.settle()
    silence = await hub.json("GET", f"/silences/{body['id']}", key="read")
    assert silence["targets"] == ["door"]


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ({"duration_seconds": 60}, "Say what to silence: targets, tags, or all."),
        (
            {"all": False, "target_ids": [], "tags": [], "duration_seconds": 60},
            "Say what to silence: targets, tags, or all.",
        ),
        (
            {"all": True, "tags": ["nightly"], "duration_seconds": 60},
            "Use either all or targets and tags, not both.",
        ),
        (
            {"target_ids": ["nope", "cpu", "gone"], "duration_seconds": 60},
            "Unknown target: gone, nope.",
        ),
        (
            {"tags": ["nightly", "zzz"], "duration_seconds": 60},
            "No target has the tag zzz.",
        ),
        ({"all": True}, "Give the silence a duration or an end time."),
        (
            {"all": True, "duration_seconds": 60, "ends_at": "2099-01-01T00:00:00Z"},
            "Give either ends_at or duration_seconds, not both",
        ),
        (
            {
                "all": True,
                "ends_at": "2020-01-01T00:00:00Z",
                "starts_at": "2019-12-31T00:00:00Z",
            },
            "That silence would already be over: pick an end in the future.",
        ),
        (
            {
                "all": True,
                "starts_at": "2099-01-02T00:00:00Z",
                "ends_at": "2099-01-01T00:00:00Z",
            },
            "A silence must end after it starts.",
        ),
        (
            {"all": True, "duration_seconds": 366 * 86400},
            "A silence can last at most 365 days.",
        ),
        (
            {"all": True, "ends_at": "2099-01-01T00:00:00Z"},
            "A silence can last at most 365 days.",
        ),
        (
            {"all": True, "duration_seconds": 0},
            "Invalid field 'duration_seconds': expected a number of seconds above 0",
        ),
        (
            {"all": True, "duration_seconds": "60"},
            "Invalid field 'duration_seconds': expected a number of seconds above 0",
        ),
        (
            {"all": True, "duration_seconds": True},
            "Invalid field 'duration_seconds': expected a number of seconds above 0",
        ),
        (
            {
                "all": True,
                "starts_at": "9999-12-31T23:00:00+00:00",
                "duration_seconds": 86400,
            },
            "Invalid field 'starts_at': too far away",
        ),
        (
            {
                "all": True,
                "starts_at": "0001-01-01T00:00:00+05:00",
                "duration_seconds": 60,
            },
            "Invalid field 'starts_at': out of range (not a real date and time, or beyond year 9999)",
        ),
        # Shaped like ISO 8601 but no real moment: 400 naming the field.
        (
            {"all": True, "ends_at": "2024-01-01T12:99:00Z"},
            "Invalid field 'ends_at': out of range (not a real date and time, or beyond year 9999)",
        ),
        (
            {"all": True, "starts_at": "2026-02-30T00:00:00Z", "duration_seconds": 60},
            "Invalid field 'starts_at': out of range (not a real date and time, or beyond year 9999)",
        ),
        (
            {"all": True, "ends_at": "2099-01-01T10:00:00+25:00"},
            "Invalid field 'ends_at': out of range (not a real date and time, or beyond year 9999)",
        ),
        (
            {"all": True, "ends_at": "tomorrow"},
            "Invalid field 'ends_at': expected an ISO 8601 date and time, for example 2026-01-31T22:00:00+01:00",
        ),
        (
            {"all": True, "starts_at": 1700000000, "duration_seconds": 60},
            "Invalid field 'starts_at': expected an ISO 8601 date and time, for example 2026-01-31T22:00:00+01:00",
        ),
        (
            {"all": "yes", "duration_seconds": 60},
            "Invalid field 'all': expected true or false",
        ),
        (
            {"target_ids": "cpu", "duration_seconds": 60},
            "Invalid field 'target_ids': expected a list of strings",
        ),
        (
            {"tags": [1], "duration_seconds": 60},
            "Invalid field 'tags': expected a list of strings",
        ),
        (
            {"tags": ["t"] * 101, "duration_seconds": 60},
            "Invalid field 'tags': at most 100 tags",
        ),
        (
            {"all": True, "duration_seconds": 60, "comment": 5},
            "Invalid field 'comment': expected a string of at most 500 characters",
        ),
        (
            {"all": True, "duration_seconds": 60, "comment": "x" * 501},
            "Invalid field 'comment': expected a string of at most 500 characters",
        ),
        ({"all": True, "duration_seconds": 60, "reason": "x"}, "Unknown field: reason"),
    ],
)
async def test_create_refused(hub: Hub, payload: dict[str, Any], detail: str) -> None:
    assert await hub.error("POST", "/silences", 400, json=payload) == detail
    assert hub.coordinator.monitor.silences == {}


async def test_errors(hub: Hub) -> None:
    assert (
        await hub.error("POST", "/silences", 400, data=b"{")
        == "Request body is not valid JSON"
    )
    assert (
        await hub.error("POST", "/silences", 400, data=b"")
        == "Request body must be a JSON object"
    )
    forbidden = await hub.error(
        "POST", "/silences", 403, key="read", json={"all": True}
    )
    assert forbidden.startswith("This API key is read-only")
    assert await hub.error("GET", "/silences", 401, key=None) == MISSING_KEY
    detail = await hub.error("GET", "/silences?state=over", 400, key="read")
    assert (
        detail
        == "Invalid query parameter 'state': expected one of pending, active, expired"
    )
    assert await hub.error("GET", "/silences?x=1", 400) == "Unknown query parameter: x"
    assert (
        await hub.error("POST", "/silences?x=1", 400, json={})
        == "Unknown query parameter: x"
    )
    assert await hub.error("GET", "/silences/nope", 404) == "Unknown silence: nope"
    assert (
        await hub.error("GET", "/silences/nope?x=1", 400)
        == "Unknown query parameter: x"
    )
    assert (
        await hub.error("DELETE", "/silences/nope", 404)
        == "No active or pending silence with id nope."
    )
    assert (
        await hub.error("DELETE", "/silences/nope?x=1", 400)
        == "Unknown query parameter: x"
    )
    assert (await hub.error("DELETE", "/silences/nope", 403, key="read")).startswith(
        "This API key"
    )


async def test_fuzzed_bodies_never_fail_the_server(hub: Hub) -> None:
    """Random silence bodies are answered 201 or 400, never 500."""
    rng = random.Random(7)
    now = hub.coordinator.now()
    values: list[Any] = [
        None,
        True,
        0,
        -5,
        30,
        1e300,
        2**70,
        "",
        "cpu",
        "nightly",
        ["cpu"],
        ["nightly", "NIGHTLY"],
        ["zzz"],
        [1],
        {},
        "2026-13-01",
        "2024-01-01T12:99:00Z",
        "2026-02-30T00:00:00Z",
        "2026-02-28T23:59:60",
        (now + timedelta(hours=1)).isoformat(),
        (now - timedelta(hours=1)).isoformat(),
        "9999-12-31T23:59:59",
        "0001-01-01T00:00:00",
    ]
    fields = [
        "target_ids",
        "tags",
        "all",
        "starts_at",
        "ends_at",
        "duration_seconds",
        "comment",
    ]
    seen: set[int] = set()
    for _ in range(250):
        body: dict[str, Any] = {"target_ids": ["cpu"], "duration_seconds": 60}
        for field in rng.sample(fields, rng.randint(0, 3)):
            body[field] = rng.choice(values)
        response = await hub.request("POST", "/silences", json=body)
        assert response.status in (201, 400), (body, await response.text())
        seen.add(response.status)
    assert seen == {201, 400}
