"""``GET /api/v1/alert-status``: the contract's polling endpoint, field by field."""

from __future__ import annotations

from datetime import datetime, timedelta
from http import HTTPStatus
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.json import json_bytes
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.api import status_body
from custom_components.pialert.const import DOMAIN

from .conftest import Hub, MakeHub

PATHS = ["/api/v1/alert-status", "/api/pialert/v1/alert-status"]
ALERT_ENTITY = "binary_sensor.pialert_alert"


def heartbeat(target_id: str, name: str, **extra: Any) -> dict[str, Any]:
    """Return a heartbeat target (pushed: no network, no polling)."""
    return {
        "id": target_id,
        "kind": "heartbeat",
        "name": name,
        "period": 3600,
        "grace": 60,
        "token": f"token-{target_id}-0123456789abcdef",
        **extra,
    }


def entity_target(target_id: str, name: str, **extra: Any) -> dict[str, Any]:
    """Return an entity target watching ``sensor.watched`` for unavailability."""
    return {
        "id": target_id,
        "kind": "entity",
        "name": name,
        "entity_id": "sensor.watched",
        "condition": "unavailable",
        **extra,
    }


async def fail(hub: Hub, target_id: str, times: int) -> None:
    """Feed ``times`` failed checks to a target."""
    for _ in range(times):
        hub.record(target_id, False)
    await hub.settle()


async def succeed(hub: Hub, target_id: str) -> None:
    """Feed one successful check to a target."""
    hub.record(target_id, True)
    await hub.settle()


async def get_status(hub: Hub, path: str = PATHS[0]) -> tuple[dict[str, Any], bytes]:
    """Return the alert status body (read key), parsed and raw."""
    response = await hub.request("GET", path, key="read")
    assert response.status == HTTPStatus.OK
    assert response.content_type == "application/json"
    raw = await response.read()
    return json.loads(raw), raw


def assert_alert_entity(hass: HomeAssistant, body: dict[str, Any]) -> None:
    """The hub's Alert binary sensor says exactly what the API says."""
    state = hass.states.get(ALERT_ENTITY)
    assert state is not None
    assert state.state == ("on" if body["alert"] else "off")


def assert_timestamp(value: str) -> None:
    """The timestamp is ISO 8601 in UTC, written with ``+00:00``."""
    assert isinstance(value, str)
    assert value.endswith("+00:00")
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() == timedelta(0)
    assert abs(parsed - dt_util.utcnow()) < timedelta(seconds=5)


@pytest.fixture
def hub_targets(hass: HomeAssistant) -> tuple[dict[str, Any], ...]:
    """Two heartbeats (threshold 3) and one entity target, up."""
    hass.states.async_set("sensor.watched", "21")
    return (
        heartbeat("prod", "Production Server", failure_threshold=3),
        heartbeat("db", "Database", failure_threshold=3),
        entity_target("nas", "NAS"),
    )


@pytest.mark.parametrize("path", PATHS)
async def test_no_alert_body_is_the_contract(
    hass: HomeAssistant,
    hub: Hub,
    path: str,
) -> None:
    """All fine: exactly the contract's four fields, in the contract's order."""
    body, _raw = await get_status(hub, path)

    assert list(body) == ["alert", "failing_targets", "failing_count", "timestamp"]
    assert body == {
        "alert": False,
        "failing_targets": [],
        "failing_count": 0,
        "timestamp": body["timestamp"],
    }
    assert body["alert"] is False
    assert_timestamp(body["timestamp"])
    assert_alert_entity(hass, body)


@pytest.mark.parametrize(
    ("frozen", "expected"),
    [
        ("2026-11-25 12:00:00+00:00", "2026-11-25T12:00:00.000000+00:00"),
        ("2026-11-25 13:30:05.000001+01:00", "2026-11-25T12:30:05.000001+00:00"),
    ],
)
async def test_timestamp_always_has_six_fractional_digits(
    hass: HomeAssistant,
    hub: Hub,
    freezer: FrozenDateTimeFactory,
    frozen: str,
    expected: str,
) -> None:
    """The contract's timestamps carry microseconds, also when they are 0."""
    freezer.move_to(frozen)
    for path in PATHS:
        body, _raw = await get_status(hub, path)
        assert body["timestamp"] == expected


async def test_failing_targets_pending_and_recovery(
    hass: HomeAssistant,
    hub: Hub,
) -> None:
    """Targets appear once they reach their threshold and leave when they recover."""

    # Two failures of three: pending, not listed.
    await fail(hub, "prod", 2)
    body, _ = await get_status(hub)
    assert body["alert"] is False
    assert body["failing_targets"] == []
    assert body["failing_count"] == 0
    assert_alert_entity(hass, body)

    # Third failure: down.
    await fail(hub, "prod", 1)
    body, _ = await get_status(hub)
    assert body["alert"] is True
    assert body["failing_targets"] == [
        {"name": "Production Server", "status": "down", "failures": 3, "threshold": 3}
    ]
    assert list(body["failing_targets"][0]) == [
        "name",
        "status",
        "failures",
        "threshold",
    ]
    assert body["failing_count"] == 1
    assert_timestamp(body["timestamp"])
    assert_alert_entity(hass, body)

    # More failures are counted; a second target goes down.
    await fail(hub, "prod", 2)
    await fail(hub, "db", 4)
    body, raw = await get_status(hub)
    assert body == {
        "alert": True,
        "failing_targets": [
            {"name": "Database", "status": "down", "failures": 4, "threshold": 3},
            {
                "name": "Production Server",
                "status": "down",
                "failures": 5,
                "threshold": 3,
            },
        ],
        "failing_count": 2,
        "timestamp": body["timestamp"],
    }
    assert len(raw) < 500
    assert_alert_entity(hass, body)

    # Both paths answer the same.
    other, _ = await get_status(hub, PATHS[1])
    assert other["failing_targets"] == body["failing_targets"]

    # Recovery clears them one by one.
    await succeed(hub, "db")
    body, _ = await get_status(hub)
    assert [t["name"] for t in body["failing_targets"]] == ["Production Server"]
    assert body["failing_count"] == 1
    assert_alert_entity(hass, body)
    await succeed(hub, "prod")
    body, _ = await get_status(hub)
    assert body["alert"] is False
    assert body["failing_targets"] == []
    assert body["failing_count"] == 0
    assert_alert_entity(hass, body)


async def test_body_follows_each_new_snapshot(
    hass: HomeAssistant,
    hub: Hub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The snapshot's part is encoded once per snapshot, and anew for a new one.

    Polls between two snapshots reuse it; the next snapshot's body lists the
    new failing target at once. Only the timestamp is written per request.
    """
    encoded: list[object] = []
    real = status_body.snapshot_head

    def counting(snapshot: Any) -> bytes:
        encoded.append(snapshot)
        return real(snapshot)

    monkeypatch.setattr(status_body, "snapshot_head", counting)
    first, raw = await get_status(hub)
    for path in PATHS * 2:
        body, again = await get_status(hub, path)
        assert body["failing_targets"] == [] == first["failing_targets"]
        # Everything but the timestamp is the very same bytes.
        assert again[: again.index(b'"timestamp"')] == raw[: raw.index(b'"timestamp"')]
    assert encoded == [hub.coordinator.data]

    await fail(hub, "prod", 3)
    body, raw = await get_status(hub)
    assert body["failing_targets"] == [
        {"name": "Production Server", "status": "down", "failures": 3, "threshold": 3}
    ]
    assert body["failing_count"] == 1
    assert body["alert"] is True
    assert_timestamp(body["timestamp"])
    # The layout Home Assistant's encoder writes: compact, contract order.
    assert raw == json_bytes(body)
    assert len(encoded) == 2
    assert encoded[-1] is hub.coordinator.data

    await fail(hub, "db", 3)
    body, _ = await get_status(hub)
    assert [t["name"] for t in body["failing_targets"]] == [
        "Database",
        "Production Server",
    ]
    assert len(encoded) == 3


async def test_entity_target_goes_down(
    hass: HomeAssistant,
    hub: Hub,
) -> None:
    """An entity target (threshold 1 by default) alerts when its entity breaks."""

    hass.states.async_set("sensor.watched", "unavailable")
    await hass.async_block_till_done()
    body, _ = await get_status(hub)
    assert body["failing_targets"] == [
        {"name": "NAS", "status": "down", "failures": 1, "threshold": 1}
    ]
    assert_alert_entity(hass, body)

    hass.states.async_set("sensor.watched", "22")
    await hass.async_block_till_done()
    body, _ = await get_status(hub)
    assert body["alert"] is False
    assert_alert_entity(hass, body)


def target_device(hass: HomeAssistant, entry: MockConfigEntry, target_id: str) -> str:
    """Return the device id of a target."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, target_id), entry.entry_id
    )
    assert device is not None
    return device.id


async def test_acknowledged_silenced_paused_unreachable_left_out(
    hass: HomeAssistant,
    make_hub: MakeHub,
) -> None:
    """Only unhandled, enabled, reachable down targets are failing targets."""
    hub = await make_hub(
        heartbeat("acked", "Acked"),
        heartbeat("muted", "Muted", tags=["lab"]),
        heartbeat("paused", "Paused"),
        heartbeat("off", "Configured off", enabled=False),
        heartbeat("router", "Router", failure_threshold=2),
        heartbeat("behind", "Behind router", depends_on="router"),
    )

    for target_id in ("acked", "muted", "paused", "off"):
        await fail(hub, target_id, 1)
    body, _ = await get_status(hub)
    # "Configured off" is paused from the start: its failures never count.
    assert [t["name"] for t in body["failing_targets"]] == ["Acked", "Muted", "Paused"]
    assert_alert_entity(hass, body)

    await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"device_id": target_device(hass, hub.entry, "acked")},
        blocking=True,
    )
    body, _ = await get_status(hub)
    assert [t["name"] for t in body["failing_targets"]] == ["Muted", "Paused"]

    await hass.services.async_call(
        DOMAIN, "silence", {"tags": ["lab"], "duration": {"hours": 1}}, blocking=True
    )
    body, _ = await get_status(hub)
    assert [t["name"] for t in body["failing_targets"]] == ["Paused"]
    assert_alert_entity(hass, body)

    await hass.services.async_call(
        DOMAIN,
        "pause",
        {"device_id": target_device(hass, hub.entry, "paused")},
        blocking=True,
    )
    await hass.async_block_till_done()
    body, _ = await get_status(hub)
    assert body["failing_targets"] == []
    assert body["alert"] is False
    assert_alert_entity(hass, body)

    # The router goes down: the target behind it is unreachable, not down.
    await fail(hub, "behind", 1)
    await fail(hub, "router", 2)
    body, _ = await get_status(hub)
    assert body["failing_targets"] == [
        {"name": "Router", "status": "down", "failures": 2, "threshold": 2}
    ]
    assert body["failing_count"] == 1
    assert_alert_entity(hass, body)


async def test_bearer_token_works_too(
    hass: HomeAssistant,
    hub: Hub,
) -> None:
    """``Authorization: Bearer <key>`` is accepted like ``x-api-key``."""
    response = await hub.request(
        "GET", PATHS[0], key=None, headers={"Authorization": f"Bearer {hub.read_key}"}
    )
    assert response.status == HTTPStatus.OK
    assert (await response.json())["alert"] is False

    response = await hub.request(
        "GET", PATHS[0], key=None, headers={"Authorization": "Bearer nope"}
    )
    assert response.status == HTTPStatus.UNAUTHORIZED
    assert await response.json() == {"detail": "Invalid or disabled API key"}


async def test_no_hub_loaded_answers_json(
    hass: HomeAssistant,
    make_hub: MakeHub,
) -> None:
    """Without a loaded hub the views answer a JSON error, not a traceback."""
    hub = await make_hub(heartbeat("prod", "Production Server"))
    assert await hass.config_entries.async_unload(hub.entry.entry_id)
    await hub.settle()

    for path in PATHS:
        response = await hub.request("GET", path, key="read")
        assert response.status == HTTPStatus.SERVICE_UNAVAILABLE
        assert response.content_type == "application/json"
        assert await response.json() == {"detail": "PiAlert is not loaded"}


async def test_no_hub_ever_set_up_answers_json(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """With the integration set up but no hub entry, still a JSON error."""
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    client = await hass_client_no_auth()
    for path in PATHS:
        response = await client.get(path, headers={"x-api-key": "pa_anything"})
        assert response.status == HTTPStatus.SERVICE_UNAVAILABLE
        assert await response.json() == {"detail": "PiAlert is not loaded"}


async def test_unexpected_error_is_the_contract_500(
    hass: HomeAssistant,
    hub: Hub,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A failure while building the body is the contract's 500, nothing more."""

    def broken(*_args: Any) -> dict[str, object]:
        raise RuntimeError("snapshot exploded")

    monkeypatch.setattr(status_body, "snapshot_head", broken)

    response = await hub.request("GET", PATHS[0], key="read")
    assert response.status == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.content_type == "application/json"
    assert await response.json() == {"detail": "Unable to fetch alert status"}
    assert "snapshot exploded" not in await response.text()
    # Logged for the administrator, with the traceback; the key is not.
    assert "snapshot exploded" in caplog.text
    assert hub.read_key not in caplog.text
