"""``/targets``: listing, filters, sorting, paging, CRUD and acknowledgement."""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
import random
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest

from custom_components.pialert.api.base import INVALID_KEY, MISSING_KEY
from custom_components.pialert.api.request import field_errors_detail
from custom_components.pialert.api.shapes import TargetBody
from custom_components.pialert.api.target_bodies import TOKEN as TOKEN_FIELD
from custom_components.pialert.api.target_json import effective_view, mask_password
from custom_components.pialert.const import SUBENTRY_TYPE_TARGET
from custom_components.pialert.engine.config import COMMON_KEYS, KIND_KEYS
from custom_components.pialert.engine.errors import RefusedError
from custom_components.pialert.refusals import refusal_text

from .conftest import TOKEN, Hub

TARGET_KEYS = TargetBody.__required_keys__
FORBIDDEN = "This API key is read-only; this endpoint needs a key with write scope"


def names(body: dict[str, Any]) -> list[str]:
    return [t["name"] for t in body["targets"]]


async def test_list_shape_and_defaults(hub: Hub) -> None:
    body = await hub.json("GET", "/targets", key="read")
    assert body["total"] == 4
    assert body["limit"] == 50
    assert body["offset"] == 0
    assert names(body) == ["Archive", "Backup job", "CPU load", "Door"]
    by_id = {t["id"]: t for t in body["targets"]}
    for target in body["targets"]:
        assert set(target) == TARGET_KEYS
    cpu = by_id["cpu"]
    assert cpu["kind"] == "entity"
    assert cpu["status"] == "up"
    assert cpu["tags"] == ["hardware"]
    assert cpu["settings"] == {
        "entity_id": "sensor.cpu",
        "condition": "above",
        "value": "80",
    }
    assert cpu["failure_threshold"] == 1
    assert cpu["last_check"] is not None
    assert cpu["uptime"] == {
        "24h": 100.0,
        "7d": 100.0,
        "30d": 100.0,
        "90d": 100.0,
        "1y": 100.0,
    }
    assert cpu["acknowledged"] is None
    assert by_id["door"]["depends_on"] == "cpu"
    assert by_id["paused"]["status"] == "paused"
    assert by_id["paused"]["enabled"] is False
    backup = by_id["backup"]
    assert backup["status"] == "unknown"
    assert backup["uptime"] == dict.fromkeys(("24h", "7d", "30d", "90d", "1y"))
    # A read key never sees the heartbeat's secret.
    assert backup["settings"] == {"period": 3600, "grace": 300}
    assert TOKEN not in str(body)


async def test_write_key_sees_ping_url_never_token(hub: Hub) -> None:
    body = await hub.json("GET", "/targets/backup")
    assert body["settings"] == {
        "period": 3600,
        "grace": 300,
        "ping_url": f"/api/pialert/v1/heartbeat/{TOKEN}",
    }
    assert TOKEN_FIELD not in body["settings"]
    # The URL works.
    response = await hub.request("POST", body["settings"]["ping_url"], key=None)
    assert response.status == 200
    await hub.settle()
    assert (await hub.json("GET", "/targets/backup"))["status"] == "up"


async def test_state_fields(hub: Hub) -> None:
    now = hub.coordinator.now()
    hub.record("backup", True, now - timedelta(minutes=5), response_time_ms=1234.56789)
    hub.record("backup", False, now, error="Job reported a failure")
    await hub.settle()
    backup = await hub.json("GET", "/targets/backup", key="read")
    assert backup["status"] == "down"
    assert backup["alerting"] is True
    assert backup["silenced"] is False
    assert backup["consecutive_failures"] == 1
    assert backup["last_error"] == "Job reported a failure"
    assert backup["last_check"] == now.isoformat()
    assert backup["last_success"] == (now - timedelta(minutes=5)).isoformat()
    assert backup["response_time_ms"] is None  # the last check had none
    assert backup["uptime"]["24h"] == 50.0
    hub.record("cpu", True, now, response_time_ms=12.3456789, cert_days_remaining=42)
    await hub.settle()
    cpu = await hub.json("GET", "/targets/cpu", key="read")
    assert cpu["response_time_ms"] == 12.346
    assert cpu["cert_days_remaining"] == 42


async def test_filters(hub: Hub) -> None:
    hub.hass.states.async_set("sensor.cpu", "95")
    hub.hass.states.async_set("binary_sensor.door", "on")
    await hub.settle()

    async def listed(query: str) -> list[str]:
        return names(await hub.json("GET", f"/targets?{query}", key="read"))

    assert await listed("status=down") == ["CPU load"]
    # Door fails once (threshold 2) while CPU, which it depends on, is down.
    assert await listed("status=unreachable") == ["Door"]
    assert await listed("status=paused") == ["Archive"]
    assert await listed("status=unknown") == ["Backup job"]
    assert await listed("status=up") == []
    assert await listed("status=pending") == []
    assert await listed("kind=entity") == ["CPU load", "Door"]
    assert await listed("kind=heartbeat") == ["Archive", "Backup job"]
    assert await listed("kind=http") == []
    assert await listed("tag=nightly") == ["Backup job"]
    assert await listed("tag=%20Hardware%20") == ["CPU load"]
    assert await listed("tag=none") == []
    assert await listed("kind=entity&status=down&tag=hardware") == ["CPU load"]
    body = await hub.json("GET", "/targets?kind=heartbeat", key="read")
    assert body["total"] == 2


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Archive", "Backup job", "CPU load", "Door"]),
        ("-name", ["Door", "CPU load", "Backup job", "Archive"]),
        ("status", ["CPU load", "Backup job", "Door", "Archive"]),
        ("-status", ["Archive", "Door", "Backup job", "CPU load"]),
        ("kind", ["CPU load", "Door", "Archive", "Backup job"]),
        ("-kind", ["Archive", "Backup job", "CPU load", "Door"]),
        ("last_check", ["Door", "CPU load", "Archive", "Backup job"]),
        ("-last_check", ["CPU load", "Door", "Archive", "Backup job"]),
    ],
)
async def test_sort(hub: Hub, sort: str, expected: list[str]) -> None:
    now = hub.coordinator.now()
    hub.record("door", True, now - timedelta(minutes=1))
    hub.record("cpu", False, now)  # down: threshold 1
    await hub.settle()
    body = await hub.json("GET", f"/targets?sort={sort}", key="read")
    assert names(body) == expected


async def test_paging(hub: Hub) -> None:
    body = await hub.json("GET", "/targets?limit=2&offset=1", key="read")
    assert names(body) == ["Backup job", "CPU load"]
    assert (body["total"], body["limit"], body["offset"]) == (4, 2, 1)
    body = await hub.json("GET", "/targets?limit=500&offset=3", key="read")
    assert names(body) == ["Door"]
    body = await hub.json("GET", "/targets?offset=10", key="read")
    assert body["targets"] == []
    assert body["total"] == 4
    body = await hub.json("GET", "/targets?limit=1", key="read")
    assert names(body) == ["Archive"]


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        (
            "limit=0",
            "Invalid query parameter 'limit': expected a whole number from 1 to 500",
        ),
        (
            "limit=501",
            "Invalid query parameter 'limit': expected a whole number from 1 to 500",
        ),
        (
            "limit=abc",
            "Invalid query parameter 'limit': expected a whole number from 1 to 500",
        ),
        (
            "limit=1.5",
            "Invalid query parameter 'limit': expected a whole number from 1 to 500",
        ),
        (
            "limit=",
            "Invalid query parameter 'limit': expected a whole number from 1 to 500",
        ),
        (
            "offset=-1",
            "Invalid query parameter 'offset': expected a whole number of at least 0",
        ),
        (
            "offset=99999999999999999999999",
            "Invalid query parameter 'offset': expected a whole number of at least 0",
        ),
        (
            "status=broken",
            "Invalid query parameter 'status': expected one of unknown, up, pending, down, paused, unreachable",
        ),
        (
            "kind=smtp",
            "Invalid query parameter 'kind': expected one of http, tcp, ping, dns, heartbeat, entity, entity_group, integration_health",
        ),
        (
            "sort=uptime",
            "Invalid query parameter 'sort': expected one of name, -name, status, -status, kind, -kind, last_check, -last_check",
        ),
        ("tag=a,b", "Invalid query parameter 'tag': expected one tag"),
        ("tag=", "Invalid query parameter 'tag': expected one tag"),
        ("page=2", "Unknown query parameter: page"),
        ("page=2&per_page=3", "Unknown query parameters: page, per_page"),
        ("limit=1&limit=2", "Query parameter 'limit' is given more than once"),
    ],
)
async def test_list_bad_query(hub: Hub, query: str, detail: str) -> None:
    assert await hub.error("GET", f"/targets?{query}", 400, key="read") == detail


async def test_auth(hub: Hub) -> None:
    assert await hub.error("GET", "/targets", 401, key=None) == MISSING_KEY
    assert await hub.error("GET", "/targets", 401, key="pa_wrong") == INVALID_KEY
    # A bearer token works as well as the header.
    response = await hub.request(
        "GET",
        "/targets",
        key=None,
        headers={"Authorization": f"Bearer {hub.read_key}"},
    )
    assert response.status == 200
    for method, path in [
        ("POST", "/targets"),
        ("PATCH", "/targets/cpu"),
        ("DELETE", "/targets/cpu"),
        ("POST", "/targets/backup/acknowledge"),
    ]:
        assert await hub.error(method, path, 403, key="read", json={}) == FORBIDDEN
        assert await hub.error(method, path, 401, key=None, json={}) == MISSING_KEY
    assert "cpu" in hub.entry.subentries


async def test_get_unknown_target(hub: Hub) -> None:
    detail = await hub.error("GET", "/targets/nope", 404, key="read")
    assert detail == "Unknown target: nope"
    assert (
        await hub.error("GET", "/targets/cpu?x=1", 400) == "Unknown query parameter: x"
    )


async def test_create_entity_target(hub: Hub) -> None:
    hub.hass.states.async_set("sensor.disk", "91")
    body = await hub.json(
        "POST",
        "/targets",
        201,
        json={
            "kind": "entity",
            "name": "  Disk  ",
            "entity_id": "sensor.disk",
            "condition": "above",
            "value": 90,
            "tags": ["Storage", "storage", " hardware "],
            "failure_threshold": 2.0,
            "for_seconds": None,
        },
    )
    target_id = body["id"]
    assert body["name"] == "Disk"
    assert body["tags"] == ["hardware", "storage"]
    assert body["settings"] == {
        "entity_id": "sensor.disk",
        "condition": "above",
        "value": "90",
    }
    assert body["failure_threshold"] == 2
    subentry = hub.entry.subentries[target_id]
    assert subentry.subentry_type == SUBENTRY_TYPE_TARGET
    assert subentry.title == "Disk"
    assert dict(subentry.data) == {
        "kind": "entity",
        "name": "Disk",
        "entity_id": "sensor.disk",
        "condition": "above",
        "value": "90",
        "tags": ["hardware", "storage"],
        "failure_threshold": 2,
    }
    await hub.settle()
    # The engine applied it and evaluated the entity: 91 is above 90.
    listed = await hub.json("GET", "/targets?tag=storage", key="read")
    assert names(listed) == ["Disk"]
    assert listed["targets"][0]["status"] == "pending"
    assert listed["targets"][0]["consecutive_failures"] == 1
    assert target_id in hub.coordinator.monitor.targets


async def test_create_heartbeat_generates_a_token(hub: Hub) -> None:
    body = await hub.json(
        "POST",
        "/targets",
        201,
        json={"kind": "heartbeat", "name": "Cron", "period": 60, "grace": 0},
    )
    token = hub.entry.subentries[body["id"]].data["token"]
    assert len(token) >= 40
    assert body["settings"] == {
        "period": 60,
        "grace": 0,
        "ping_url": f"/api/pialert/v1/heartbeat/{token}",
    }
    assert body["status"] == "unknown"
    await hub.settle()
    response = await hub.request("GET", body["settings"]["ping_url"], key=None)
    assert response.status == 200
    assert (await response.json())["target"] == "Cron"
    read = await hub.json("GET", f"/targets/{body['id']}", key="read")
    assert "ping_url" not in read["settings"]
    assert token not in str(read)


async def test_create_paused_http_target(hub: Hub) -> None:
    # Paused, so nothing is requested.
    body = await hub.json(
        "POST",
        "/targets",
        201,
        json={
            "kind": "http",
            "name": "Site",
            "url": "https://127.0.0.1:9/health",
            "method": "get",
            "accepted_status": "200-299, 301",
            "interval": 30,
            "timeout": 2.5,
            "enabled": False,
            "depends_on": "cpu",
            "cert_expiry_days": 14,
        },
    )
    assert body["status"] == "paused"
    assert body["interval"] == 30
    assert body["timeout"] == 2.5
    assert body["depends_on"] == "cpu"
    assert body["settings"]["cert_expiry_days"] == 14
    await hub.settle()
    assert hub.coordinator.monitor.targets[body["id"]].enabled is False


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        (
            {"name": "X"},
            "Missing field 'kind': one of http, tcp, ping, dns, heartbeat, entity, entity_group, integration_health",
        ),
        (
            {"kind": "smtp", "name": "X"},
            "Invalid field 'kind': Unknown kind of target. Expected one of http, tcp, ping, dns, heartbeat, entity, entity_group, integration_health",
        ),
        (
            {"kind": 3, "name": "X"},
            "Invalid field 'kind': Unknown kind of target. Expected one of http, tcp, ping, dns, heartbeat, entity, entity_group, integration_health",
        ),
        (
            {"kind": "tcp", "name": "X", "host": "127.0.0.1", "port": 1, "url": "x"},
            "Unknown field: url",
        ),
        (
            {
                "kind": "heartbeat",
                "name": "X",
                "period": 60,
                "grace": 0,
                "token": "mine",
            },
            "Unknown field: token",
        ),
        (
            {"kind": "tcp", "name": "X", "id": "a", "colour": "red"},
            "Unknown fields: colour, id",
        ),
        (
            {"kind": "http", "name": "X", "url": "ftp://example"},
            "Invalid field 'url': Enter an http:// or https:// URL with a host.",
        ),
        (
            {"kind": "tcp", "name": "X", "host": "bad host", "port": 70000},
            "Invalid field 'host': Enter a host name or an IP address. "
            "Invalid field 'port': Enter a port, a whole number from 1 to 65535.",
        ),
        (
            {"kind": "heartbeat", "name": "X", "period": 5, "grace": 0},
            "Invalid field 'period': Enter a whole number of seconds from 10 to 2678400 (31 days).",
        ),
        (
            {"kind": "heartbeat", "name": "cpu LOAD", "period": 60, "grace": 0},
            "Invalid field 'name': Another target already has this name.",
        ),
        (
            {"kind": "heartbeat", "name": " ", "period": 60, "grace": 0},
            "Invalid field 'name': Enter a name of 1 to 100 characters.",
        ),
        (
            {
                "kind": "heartbeat",
                "name": "X",
                "period": 60,
                "grace": 0,
                "depends_on": "nope",
            },
            "Invalid field 'depends_on': Pick another existing target.",
        ),
        (
            {
                "kind": "entity",
                "name": "X",
                "entity_id": "sensor.x",
                "condition": "above",
            },
            "Invalid field 'value': Above and below need a number.",
        ),
        (
            {"kind": "heartbeat", "name": 5, "period": 60, "grace": 0},
            "Invalid field 'name': expected a string",
        ),
        (
            {"kind": "heartbeat", "name": "X", "period": "60", "grace": 0},
            "Invalid field 'period': expected a whole number",
        ),
        (
            {"kind": "heartbeat", "name": "X", "period": 60.5, "grace": 0},
            "Invalid field 'period': expected a whole number",
        ),
        (
            {"kind": "heartbeat", "name": "X", "period": True, "grace": 0},
            "Invalid field 'period': expected a whole number",
        ),
        (
            {"kind": "heartbeat", "name": "X", "period": 1e300, "grace": 0},
            "Invalid field 'period': Enter a whole number of seconds from 10 to 2678400 (31 days).",
        ),
        (
            {"kind": "tcp", "name": "X", "host": "h", "port": 1, "timeout": "5"},
            "Invalid field 'timeout': expected a number",
        ),
        (
            {"kind": "tcp", "name": "X", "host": "h", "port": 1, "interval": 10**30},
            "Invalid field 'interval': Enter a whole number of seconds from 10 to 86400.",
        ),
        (
            {"kind": "tcp", "name": "X", "host": "h", "port": 1, "enabled": "yes"},
            "Invalid field 'enabled': expected true or false",
        ),
        (
            {"kind": "tcp", "name": "X", "host": "h", "port": 1, "tags": "a,b"},
            "Invalid field 'tags': expected a list of at most 100 strings of at most 100 characters",
        ),
        (
            {"kind": "tcp", "name": "X", "host": "h", "port": 1, "tags": [1]},
            "Invalid field 'tags': expected a list of at most 100 strings of at most 100 characters",
        ),
        (
            {"kind": "tcp", "name": "X", "host": "h" * 3000, "port": 1},
            "Invalid field 'host': expected a string",
        ),
        (
            {"kind": "entity", "name": "X", "entity_id": "sensor.x", "value": [1]},
            "Invalid field 'value': expected a string or a number",
        ),
        (
            {
                "kind": "entity",
                "name": "X",
                "entity_id": "sensor.x",
                "condition": ["a"],
            },
            "Invalid field 'condition': expected a string",
        ),
    ],
)
async def test_create_refused(hub: Hub, payload: dict[str, Any], detail: str) -> None:
    before = set(hub.entry.subentries)
    assert await hub.error("POST", "/targets", 400, json=payload) == detail
    assert set(hub.entry.subentries) == before


async def test_error_texts_are_the_ui_texts(hub: Hub) -> None:
    """Every validation error reads as the config flow shows it."""
    strings = json.loads(
        (
            Path(__file__).parents[2] / "custom_components/pialert/translations/en.json"
        ).read_text(encoding="utf-8")
    )
    texts = strings["config_subentries"]["target"]["error"]
    payload = {
        "kind": "http",
        "name": "X",
        "url": "http://h",
        "method": "HEAD",
        "keyword": "ok",
    }
    detail = await hub.error("POST", "/targets", 400, json=payload)
    assert detail == f"Invalid field 'keyword': {texts['keyword_with_head']}"


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"", "Request body must be a JSON object"),
        (b"  ", "Request body must be a JSON object"),
        (b"{not json", "Request body is not valid JSON"),
        (b"\xff\xfe", "Request body is not valid JSON"),
        (b"[1, 2]", "Request body must be a JSON object"),
        (b"null", "Request body must be a JSON object"),
        (b'{"kind": 1e400}', "Request body is not valid JSON"),
    ],
)
async def test_create_malformed_body(hub: Hub, data: bytes, detail: str) -> None:
    assert await hub.error("POST", "/targets", 400, data=data) == detail
    assert await hub.error("PATCH", "/targets/cpu", 400, data=data) == detail


async def test_create_refuses_query(hub: Hub) -> None:
    detail = await hub.error("POST", "/targets?dry_run=1", 400, json={})
    assert detail == "Unknown query parameter: dry_run"


async def test_update_target(hub: Hub) -> None:
    before = await hub.json("GET", "/targets/cpu")
    body = await hub.json(
        "PATCH",
        "/targets/cpu",
        json={"name": "CPU", "kind": "entity", "tags": ["hot"], "value": "85"},
    )
    assert body["name"] == "CPU"
    assert body["tags"] == ["hot"]
    assert body["settings"]["value"] == "85"
    subentry = hub.entry.subentries["cpu"]
    assert subentry.title == "CPU"
    assert subentry.data["value"] == "85"
    assert subentry.data["entity_id"] == "sensor.cpu"
    await hub.settle()
    after = await hub.json("GET", "/targets/cpu")
    assert after["name"] == "CPU"
    assert after["status"] == "up"
    assert before["status"] == "up"
    # null unsets a field: the default applies again.
    body = await hub.json("PATCH", "/targets/door", json={"depends_on": None})
    assert body["depends_on"] is None
    assert "depends_on" not in hub.entry.subentries["door"].data
    # Pausing.
    body = await hub.json("PATCH", "/targets/door", json={"enabled": False})
    assert body["status"] == "paused"
    await hub.settle()
    assert (await hub.json("GET", "/targets/door"))["status"] == "paused"
    # Nothing to change is fine.
    assert (await hub.json("PATCH", "/targets/door", json={}))["name"] == "Door"


@pytest.mark.parametrize(
    ("target_id", "payload", "status", "detail"),
    [
        (
            "cpu",
            {"kind": "http"},
            400,
            "Invalid field 'kind': a target's kind cannot change (it is entity)",
        ),
        ("cpu", {"url": "http://x"}, 400, "Unknown field: url"),
        ("backup", {"token": "mine"}, 400, "Unknown field: token"),
        (
            "cpu",
            {"name": "Door"},
            400,
            "Invalid field 'name': Another target already has this name.",
        ),
        (
            "cpu",
            {"depends_on": "door"},
            400,
            "Invalid field 'depends_on': That target depends on this one: dependencies cannot go in a circle.",
        ),
        (
            "cpu",
            {"depends_on": "cpu"},
            400,
            "Invalid field 'depends_on': Pick another existing target.",
        ),
        (
            "cpu",
            {"condition": "sometimes"},
            400,
            "Invalid field 'condition': Pick a condition.",
        ),
        (
            "cpu",
            {"failure_threshold": 0},
            400,
            "Invalid field 'failure_threshold': Thresholds must be whole numbers from 1 to 100.",
        ),
        (
            "backup",
            {"grace": -1},
            400,
            "Invalid field 'grace': Enter a whole number of seconds from 0 to 604800 (7 days).",
        ),
        (
            "cpu",
            {"name": None},
            400,
            "Invalid field 'name': Enter a name of 1 to 100 characters.",
        ),
        ("nope", {"name": "X"}, 404, "Unknown target: nope"),
    ],
)
async def test_update_refused(
    hub: Hub, target_id: str, payload: dict[str, Any], status: int, detail: str
) -> None:
    before = {k: dict(v.data) for k, v in hub.entry.subentries.items()}
    assert (
        await hub.error("PATCH", f"/targets/{target_id}", status, json=payload)
        == detail
    )
    assert {k: dict(v.data) for k, v in hub.entry.subentries.items()} == before


async def test_update_drops_a_dangling_dependency(hub: Hub) -> None:
    # Removed outside the API (as the UI does): door still names it.
    hub.hass.config_entries.async_remove_subentry(hub.entry, "cpu")
    await hub.settle()
    assert hub.entry.subentries["door"].data["depends_on"] == "cpu"
    body = await hub.json("PATCH", "/targets/door", json={"name": "Front door"})
    assert body["depends_on"] is None
    assert "depends_on" not in hub.entry.subentries["door"].data


async def test_delete_target(hub: Hub) -> None:
    body = await hub.json("DELETE", "/targets/cpu")
    assert body == {"deleted": "cpu"}
    assert "cpu" not in hub.entry.subentries
    # Door depended on it: no longer.
    assert "depends_on" not in hub.entry.subentries["door"].data
    await hub.settle()
    assert "cpu" not in hub.coordinator.monitor.targets
    assert await hub.error("GET", "/targets/cpu", 404) == "Unknown target: cpu"
    assert await hub.error("DELETE", "/targets/cpu", 404) == "Unknown target: cpu"
    assert (await hub.json("GET", "/targets"))["total"] == 3


async def test_acknowledge(hub: Hub) -> None:
    hub.record("backup", False, error="No ping received yet")
    await hub.settle()
    status = await hub.json("GET", "/api/v1/alert-status", key="read")
    assert status["alert"] is True
    body = await hub.json(
        "POST", "/targets/backup/acknowledge", json={"note": "  restoring  "}
    )
    assert body["status"] == "down"
    assert body["alerting"] is False
    ack = body["acknowledged"]
    assert ack["by"] == "API key Writer"
    assert ack["note"] == "restoring"
    assert ack["at"] is not None
    await hub.settle()
    status = await hub.json("GET", "/api/v1/alert-status", key="read")
    assert status["alert"] is False
    history = await hub.json("GET", "/alerts/history?type=acknowledged", key="read")
    assert history["history"][0]["message"] == (
        "Backup job acknowledged by API key Writer: restoring"
    )
    # Already acknowledged, still down: acknowledging again is allowed.
    body = await hub.json("POST", "/targets/backup/acknowledge")
    assert body["acknowledged"]["note"] is None


@pytest.mark.parametrize(
    ("target_id", "kwargs", "status", "detail"),
    [
        ("cpu", {}, 409, "CPU load is not down, so there is no alert to acknowledge."),
        ("nope", {}, 404, "Unknown target: nope"),
        ("backup", {"json": {"comment": "x"}}, 400, "Unknown field: comment"),
        (
            "backup",
            {"json": {"note": 5}},
            400,
            "Invalid field 'note': expected a string of at most 500 characters",
        ),
        (
            "backup",
            {"json": {"note": "x" * 501}},
            400,
            "Invalid field 'note': expected a string of at most 500 characters",
        ),
        ("backup", {"data": b"{"}, 400, "Request body is not valid JSON"),
    ],
)
async def test_acknowledge_refused(
    hub: Hub, target_id: str, kwargs: dict[str, Any], status: int, detail: str
) -> None:
    hub.record("backup", False)
    await hub.settle()
    assert (
        await hub.error("POST", f"/targets/{target_id}/acknowledge", status, **kwargs)
        == detail
    )


async def test_views_while_a_change_is_pending(hub: Hub) -> None:
    """Right after a change, before the listener applied it, state is coherent."""
    hub.record("backup", False)
    await hub.settle()
    with patch.object(
        hub.coordinator, "async_sync_targets", AsyncMock(return_value=None)
    ):
        created = await hub.json(
            "POST",
            "/targets",
            201,
            json={"kind": "heartbeat", "name": "Late", "period": 60, "grace": 0},
        )
        assert created["status"] == "unknown"
        assert created["id"] not in hub.coordinator.monitor.targets
        listed = await hub.json("GET", "/targets?status=unknown", key="read")
        assert names(listed) == ["Late"]
        detail = await hub.error("POST", f"/targets/{created['id']}/acknowledge", 409)
        assert detail == "Late is not down, so there is no alert to acknowledge."
        # A rename keeps the state; pausing shows at once.
        renamed = await hub.json("PATCH", "/targets/backup", json={"name": "Backup"})
        assert renamed["name"] == "Backup"
        assert renamed["status"] == "down"
        assert renamed["consecutive_failures"] == 1
        assert renamed["alerting"] is True
        paused = await hub.json("PATCH", "/targets/backup", json={"enabled": False})
        assert paused["status"] == "paused"
        assert paused["alerting"] is False
        # What is checked changed: earlier results say nothing about it.
        changed = await hub.json(
            "PATCH", "/targets/backup", json={"enabled": True, "period": 120}
        )
        assert changed["status"] == "unknown"
        assert changed["consecutive_failures"] == 0
        resumed = await hub.json("PATCH", "/targets/door", json={"name": "Gate"})
        assert resumed["status"] == "up"


async def test_blank_text_unsets_fields(hub: Hub) -> None:
    body = await hub.json(
        "PATCH",
        "/targets/door",
        json={"depends_on": "  ", "condition": "unavailable", "value": " "},
    )
    assert body["depends_on"] is None
    assert body["settings"] == {
        "entity_id": "binary_sensor.door",
        "condition": "unavailable",
    }
    data = hub.entry.subentries["door"].data
    assert "depends_on" not in data
    assert "value" not in data


async def test_helper_fallbacks(hub: Hub) -> None:
    """Texts missing from the translations fall back to their key."""
    detail = await field_errors_detail(hub.hass, {"x": "no_such_error"})
    assert detail == "Invalid field 'x': no_such_error"
    assert refusal_text(RefusedError("no_such_error")) == "no_such_error"
    # Applied by the engine but not published yet: the engine's state counts.
    coordinator = hub.coordinator
    target = coordinator.monitor.targets["cpu"]
    view = effective_view(coordinator, target, None, coordinator.now())
    assert view.status.value == "up"
    assert view.last_check is not None


FUZZ_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    10,
    59.5,
    1e300,
    -1e300,
    2**63,
    "",
    " ",
    "x",
    "nan",
    "1e999",
    "\u0000",
    "http://127.0.0.1:1/",
    "127.0.0.1",
    "sensor.x",
    "above",
    "HEAD",
    "A",
    "2026-01-01T00:00:00Z",
    "a" * 3000,
    [],
    ["a"],
    [1],
    [None],
    {},
    {"a": 1},
]
FUZZ_FIELDS = sorted(
    {f for kind in KIND_KEYS.values() for f in kind} | COMMON_KEYS | {"bogus"}
)


async def test_fuzzed_bodies_never_fail_the_server(hub: Hub) -> None:
    """Random bodies are answered 201/200 or 400, never 500."""
    rng = random.Random(20261122)
    bases: list[dict[str, Any]] = [
        {"kind": "heartbeat", "period": 60, "grace": 0},
        {"kind": "entity", "entity_id": "sensor.x", "condition": "unavailable"},
        {"kind": "tcp", "host": "127.0.0.1", "port": 1},
        {"kind": "ping", "host": "127.0.0.1"},
        {"kind": "http", "url": "http://127.0.0.1:1/"},
        {"kind": "dns", "hostname": "pialert.invalid"},
    ]
    seen: set[tuple[str, int]] = set()
    for i in range(250):
        body = {**rng.choice(bases), "name": f"Fuzz {i}"}
        for field in rng.sample(FUZZ_FIELDS, rng.randint(0, 3)):
            body[field] = rng.choice(FUZZ_VALUES)
        body["enabled"] = False  # a valid polled target must not probe anything
        response = await hub.request("POST", "/targets", json=body)
        assert response.status in (201, 400), (body, await response.text())
        seen.add(("create", response.status))
        patch_body = {
            f: rng.choice(FUZZ_VALUES)
            for f in rng.sample(FUZZ_FIELDS, rng.randint(0, 3))
        }
        target_id = rng.choice(["cpu", "backup"])
        response = await hub.request("PATCH", f"/targets/{target_id}", json=patch_body)
        assert response.status in (200, 400), (patch_body, await response.text())
        seen.add(("update", response.status))
        response = await hub.request(
            "POST",
            f"/targets/{target_id}/acknowledge",
            json={"note": rng.choice(FUZZ_VALUES)},
        )
        assert response.status in (200, 400, 409), await response.text()
    await hub.settle()
    assert {("create", 201), ("create", 400), ("update", 200), ("update", 400)} <= seen


async def test_read_keys_do_not_see_url_passwords(hub: Hub) -> None:
    created = await hub.json(
        "POST",
        "/targets",
        201,
        json={
            "kind": "http",
            "name": "Router",
            "url": "http://admin:s3cret@127.0.0.1:9/status",
            "enabled": False,
        },
    )
    assert created["settings"]["url"] == "http://admin:s3cret@127.0.0.1:9/status"
    read = await hub.json("GET", f"/targets/{created['id']}", key="read")
    assert read["settings"]["url"] == "http://admin:***@127.0.0.1:9/status"
    listed = await hub.json("GET", "/targets?kind=http", key="read")
    assert "s3cret" not in str(listed)


def test_mask_password() -> None:
    assert mask_password("https://example.org/x") == "https://example.org/x"
    assert mask_password("https://u@example.org/") == "https://u@example.org/"
    assert mask_password("https://u:p@example.org/") == "https://u:***@example.org/"
    assert mask_password("http://[::1") == "http://[::1"
