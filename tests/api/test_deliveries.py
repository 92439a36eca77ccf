"""``GET /deliveries``: the notification rules' last deliveries."""

from __future__ import annotations

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant

from custom_components.pialert.const import SUBENTRY_TYPE_NOTIFICATION_RULE

from .conftest import Hub


async def _add_rule(hass: HomeAssistant, hub: Hub) -> str:
    subentry = ConfigSubentry(
        data={
            "name": "Screen",
            "group_wait": 0,
            "steps": [{"persistent": True}],
        },
        subentry_type=SUBENTRY_TYPE_NOTIFICATION_RULE,
        title="Screen",
        unique_id=None,
    )
    hass.config_entries.async_add_subentry(hub.entry, subentry)
    await hass.async_block_till_done()
    return subentry.subentry_id


async def test_deliveries_list_what_was_sent(hass: HomeAssistant, hub: Hub) -> None:
    """A target going down and up: two persistent deliveries, newest first."""
    rule_id = await _add_rule(hass, hub)
    hass.states.async_set("sensor.cpu", "95")
    await hub.settle()
    hass.states.async_set("sensor.cpu", "20")
    await hub.settle()
    body = await hub.json("GET", "/deliveries", key="read")
    assert body["pending_webhooks"] == 0
    assert [(d["what"], d["status"], d["channel"]) for d in body["deliveries"]] == [
        ("recovered", "sent", "persistent:"),
        ("down", "sent", "persistent:"),
    ]
    down = body["deliveries"][1]
    assert down["rule_id"] == rule_id
    assert down["rule"] == "Screen"
    assert down["targets"] == ["CPU load"]
    assert down["message"].startswith("CPU load is down: ")
    one = await hub.json("GET", f"/deliveries?rule_id={rule_id}&limit=1", key="read")
    assert len(one["deliveries"]) == 1
    other = await hub.json("GET", "/deliveries?rule_id=nope", key="read")
    assert other["deliveries"] == []


async def test_deliveries_refuse_bad_queries(hub: Hub) -> None:
    """Unknown parameters, bad limits and missing keys get JSON details."""
    assert "Unknown query parameter" in await hub.error(
        "GET", "/deliveries?since=1", 400
    )
    assert await hub.error("GET", "/deliveries?limit=0", 400)
    assert await hub.error("GET", "/deliveries", 401, key=None) == (
        "Missing API key in x-api-key header"
    )


async def test_deliveries_are_in_the_openapi_document(hub: Hub) -> None:
    """The document describes the endpoint and its answer."""
    document = await hub.json("GET", "/openapi.json", key=None)
    operation = document["paths"]["/api/pialert/v1/deliveries"]["get"]
    assert operation["operationId"] == "listDeliveries"
    assert "DeliveryList" in document["components"]["schemas"]
