"""``pialert/deliveries``: the panel's list of what the rules sent."""

from __future__ import annotations

import socket
from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.typing import (
    MockHAClientWebSocket,
    WebSocketGenerator,
)

from .conftest import RULE_ID, SetupRules, entity_target, rule


async def _deliveries(client: MockHAClientWebSocket, **extra: Any) -> dict[str, Any]:
    await client.send_json_auto_id({"type": "pialert/deliveries", **extra})
    answer: dict[str, Any] = await client.receive_json()
    return answer


def _closed_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_any_user_reads_deliveries_without_secrets(
    hass: HomeAssistant,
    setup_rules: SetupRules,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A non-admin sees the deliveries, newest first, with no URL password."""
    # Nothing listens on this loopback port: the push fails fast.
    port = _closed_loopback_port()
    alertmanager = f"http://ops:hunter2@127.0.0.1:{port}"
    await setup_rules(
        {"nas": entity_target("nas")},
        rule(
            group_wait=0,
            steps=[{"persistent": True, "alertmanager_urls": [alertmanager]}],
        ),
    )
    hass.states.async_set("sensor.nas", "95")
    await hass.async_block_till_done(wait_background_tasks=True)
    hass.states.async_set("sensor.nas", "20")
    await hass.async_block_till_done(wait_background_tasks=True)

    reader = await hass_ws_client(hass, hass_read_only_access_token)
    answer = await _deliveries(reader)
    assert answer["success"], answer
    result = answer["result"]
    assert result["pending_webhooks"] == 0
    persistent = [d for d in result["deliveries"] if d["channel"] == "persistent:"]
    assert [(d["what"], d["status"]) for d in persistent] == [
        ("recovered", "sent"),
        ("down", "sent"),
    ]
    down = persistent[1]
    assert down["rule_id"] == RULE_ID
    assert down["rule"] == "On call"
    assert down["targets"] == ["Nas"]
    assert down["message"].startswith("Nas is down: ")
    pushes = [d for d in result["deliveries"] if d["channel"] != "persistent:"]
    # Kept and retried with backoff (the resolve replaced the firing state).
    assert [(d["what"], d["status"]) for d in pushes] == [
        ("recovered", "retrying"),
        ("down", "retrying"),
    ]
    assert {d["channel"] for d in pushes} == {
        f"alertmanager:http://ops:***@127.0.0.1:{port}"
    }
    assert "hunter2" not in str(result)
    # The failed pushes were logged, without the password either.
    assert "refused alerts" in caplog.text
    assert "hunter2" not in caplog.text


async def test_deliveries_filter_by_rule_and_limit(
    hass: HomeAssistant,
    setup_rules: SetupRules,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """``rule_id`` and ``limit`` narrow the list; a bad limit is refused."""
    await setup_rules(
        {"nas": entity_target("nas")},
        rule(group_wait=0, steps=[{"persistent": True}]),
    )
    hass.states.async_set("sensor.nas", "95")
    await hass.async_block_till_done(wait_background_tasks=True)
    hass.states.async_set("sensor.nas", "20")
    await hass.async_block_till_done(wait_background_tasks=True)

    client = await hass_ws_client(hass)
    one = await _deliveries(client, rule_id=RULE_ID, limit=1)
    assert [d["what"] for d in one["result"]["deliveries"]] == ["recovered"]
    other = await _deliveries(client, rule_id="nope")
    assert other["result"]["deliveries"] == []
    bad = await _deliveries(client, limit=0)
    assert not bad["success"]
    assert bad["error"]["code"] == "invalid_format"
