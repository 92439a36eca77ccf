"""The card's websocket commands, with real websocket clients and real users."""

from __future__ import annotations

import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.typing import (
    MockHAClientWebSocket,
    WebSocketGenerator,
)

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.engine.models import HistoryEventType

from .platform_helpers import (
    BACKUP_ID,
    CPU_ID,
    NOW,
    SITE_ID,
    coordinator_of,
    set_cpu,
)


async def subscribe(client: MockHAClientWebSocket) -> tuple[int, list[dict[str, Any]]]:
    """Subscribe to the target views; return the id and the first full list."""
    await client.send_json_auto_id({"type": "pialert/targets/subscribe"})
    result = await client.receive_json()
    assert result["success"], result
    first = await client.receive_json()
    assert first["id"] == result["id"]
    return result["id"], first["event"]["targets"]


async def command(client: MockHAClientWebSocket, **message: Any) -> dict[str, Any]:
    """Send one command and return its answer."""
    await client.send_json_auto_id(message)
    answer: dict[str, Any] = await client.receive_json()
    return answer


async def test_subscribe_sends_everything_then_only_changes(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The first message lists every target; a change sends that target only."""
    client = await hass_ws_client(hass)
    sub_id, targets = await subscribe(client)
    assert [t["name"] for t in targets] == ["Backup", "CPU", "Site"]
    cpu = next(t for t in targets if t["id"] == CPU_ID)
    assert cpu["status"] == "up"
    assert cpu["device_id"]
    assert {"24h", "7d", "30d"} <= set(cpu["uptime"])

    await set_cpu(hass, "99")
    message = await client.receive_json()
    assert message["id"] == sub_id
    assert [t["id"] for t in message["event"]["changed"]] == [CPU_ID]
    changed = message["event"]["changed"][0]
    assert changed["status"] == "down"
    assert changed["error"]
    assert changed["since"] is not None
    assert message["event"]["removed"] == []
    # A change is one target's view, not a resend of all of them.
    assert len(json.dumps(message).encode()) < 1024


async def test_views_explain_dependency_and_heartbeat(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Heartbeats carry their last ping; the list shows the kind of each."""
    client = await hass_ws_client(hass)
    _, targets = await subscribe(client)
    backup = next(t for t in targets if t["id"] == BACKUP_ID)
    assert backup["kind"] == "heartbeat"
    assert "last_ping" in backup
    assert backup["last_ping"] is None
    site = next(t for t in targets if t["id"] == SITE_ID)
    assert site["kind"] == "http"
    assert site["last_ping"] is None
    # The standard hub's site was checked at set-up: its check has a bar.
    assert site["checks"] == [[0, 1, 42]]
    assert site["checks_at"] == int(dt_util.parse_datetime(NOW).timestamp())


async def test_non_admin_acknowledges_as_themselves(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
    hass_read_only_user: MockUser,
) -> None:
    """Any logged-in user reads and acknowledges; history names that user."""
    await set_cpu(hass, "99")
    client = await hass_ws_client(hass, hass_read_only_access_token)
    sub_id, targets = await subscribe(client)
    assert next(t for t in targets if t["id"] == CPU_ID)["alerting"]

    answer = await command(
        client, type="pialert/acknowledge", target_id=CPU_ID, note="On it"
    )
    assert answer["success"], answer
    # The subscription sees the acknowledgement without asking again.
    change = await client.receive_json()
    assert change["id"] == sub_id
    view = change["event"]["changed"][0]
    assert view["acknowledged"]["by"] == hass_read_only_user.name
    assert view["acknowledged"]["note"] == "On it"
    assert view["alerting"] is False

    history = coordinator_of(init_integration).monitor.history
    event = history.events[-1]
    assert event.type is HistoryEventType.ACKNOWLEDGED
    assert hass_read_only_user.name in event.message
    incident = next(iter(history.incidents.values()))
    assert incident.acknowledged_by == hass_read_only_user.name


async def test_refusals_are_translated_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Acknowledging an up target or an unknown one answers why, in words."""
    client = await hass_ws_client(hass)
    answer = await command(client, type="pialert/acknowledge", target_id=CPU_ID)
    assert not answer["success"]
    assert answer["error"] == {
        "code": "refused",
        "message": "CPU is not down, so there is no alert to acknowledge.",
    }
    answer = await command(client, type="pialert/acknowledge", target_id="nope")
    assert answer["error"]["message"] == "Unknown target: nope."
    # The schema is typed: a duration below a minute is not accepted.
    answer = await command(client, type="pialert/silence", target_id=CPU_ID, duration=5)
    assert answer["error"]["code"] == "invalid_format"


async def test_silence_for_an_hour_and_until(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_admin_user: MockUser,
) -> None:
    """Silence one target for an hour, end it, then silence until a time."""
    client = await hass_ws_client(hass)
    sub_id, _ = await subscribe(client)
    answer = await command(
        client, type="pialert/silence", target_id=SITE_ID, duration=3600
    )
    assert answer["success"], answer
    silence = coordinator_of(init_integration).monitor.silences[
        answer["result"]["silence_id"]
    ]
    assert silence.created_by == hass_admin_user.name
    assert silence.target_ids == {SITE_ID}
    change = await client.receive_json()
    assert change["id"] == sub_id
    [view] = change["event"]["changed"]
    assert view["silenced_until"] == silence.ends_at.isoformat()

    answer = await command(client, type="pialert/unsilence", target_id=SITE_ID)
    assert answer["result"] == {"ended": [silence.id]}
    change = await client.receive_json()
    assert change["event"]["changed"][0]["silenced_until"] is None

    answer = await command(
        client,
        type="pialert/silence",
        target_id=SITE_ID,
        ends_at="2026-01-01T18:00:00+00:00",
    )
    assert answer["success"], answer
    change = await client.receive_json()
    assert change["event"]["changed"][0]["silenced_until"] == (
        "2026-01-01T18:00:00+00:00"
    )
    answer = await command(
        client,
        type="pialert/silence",
        target_id=SITE_ID,
        ends_at="2025-01-01T18:00:00+00:00",
    )
    assert answer["error"]["code"] == "refused"


async def test_incidents_open_first(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Open incidents come before closed ones; a target can be chosen."""
    await set_cpu(hass, "99")
    freezer.tick(60)
    await set_cpu(hass, "10")
    freezer.tick(60)
    await set_cpu(hass, "99")
    client = await hass_ws_client(hass)
    answer = await command(client, type="pialert/incidents")
    incidents = answer["result"]["incidents"]
    assert [i["ended_at"] is None for i in incidents] == [True, False]
    assert all(i["target_id"] == CPU_ID for i in incidents)
    answer = await command(client, type="pialert/incidents", target_id=SITE_ID)
    assert answer["result"]["incidents"] == []
    answer = await command(client, type="pialert/incidents", limit=1)
    assert len(answer["result"]["incidents"]) == 1


async def test_incident_records_its_first_viewer(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
    hass_read_only_user: MockUser,
) -> None:
    """Opening one incident records who first viewed it, and when; once."""
    await set_cpu(hass, "99")
    reader = await hass_ws_client(hass, hass_read_only_access_token)
    (listed,) = (await command(reader, type="pialert/incidents"))["result"]["incidents"]
    assert listed["viewed_at"] is None  # listing is not viewing
    viewed_at = dt_util.utcnow().isoformat()
    answer = await command(reader, type="pialert/incident", incident_id=listed["id"])
    assert answer["success"], answer
    assert answer["result"]["incident"]["viewed_at"] == viewed_at
    assert answer["result"]["incident"]["viewed_by"] == hass_read_only_user.name
    freezer.tick(60)
    admin = await hass_ws_client(hass)
    again = await command(admin, type="pialert/incident", incident_id=listed["id"])
    assert again["result"]["incident"]["viewed_at"] == viewed_at
    assert again["result"]["incident"]["viewed_by"] == hass_read_only_user.name
    answer = await command(admin, type="pialert/incident", incident_id="nope")
    assert answer["error"] == {
        "code": "refused",
        "message": "No incident with id nope.",
    }


async def test_target_checks(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A target's last checks with their errors, newest first, and its days."""
    await set_cpu(hass, "99")
    freezer.tick(30)
    await set_cpu(hass, "10")
    client = await hass_ws_client(hass)
    answer = await command(client, type="pialert/targets/checks", target_id=CPU_ID)
    result = answer["result"]
    assert result["target_id"] == CPU_ID
    assert [c["ok"] for c in result["checks"]][:2] == [True, False]
    assert result["checks"][1]["error"]
    assert result["checks"][0]["error"] is None
    assert len(result["days"]) == 30
    assert result["days"][-1]["total"] == len(result["checks"])
    answer = await command(
        client, type="pialert/targets/checks", target_id=CPU_ID, days=7
    )
    assert len(answer["result"]["days"]) == 7
    answer = await command(client, type="pialert/targets/checks", target_id="nope")
    assert answer["error"]["code"] == "refused"


async def test_reload_tells_subscribers(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """When the hub unloads, subscribers are told to subscribe again."""
    client = await hass_ws_client(hass)
    sub_id, _ = await subscribe(client)
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    message = await client.receive_json()
    assert message == {"id": sub_id, "type": "event", "event": {"reload": True}}
    _, targets = await subscribe(client)
    assert len(targets) == 3
    # The client's unsubscribing from the finished subscription is harmless.
    answer = await command(client, type="unsubscribe_events", subscription=sub_id)
    assert answer["success"]


async def test_not_loaded(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    """Without a loaded hub the commands answer so, not with a traceback."""
    assert await async_setup_component(hass, DOMAIN, {})
    client = await hass_ws_client(hass)
    for message in (
        {"type": "pialert/targets/subscribe"},
        {"type": "pialert/incidents"},
        {"type": "pialert/acknowledge", "target_id": CPU_ID},
    ):
        answer = await command(client, **message)
        assert answer["error"] == {
            "code": "not_loaded",
            "message": "PiAlert is not set up.",
        }
