"""The heartbeat's full ping URL, in the subentry's success message."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.data_entry_flow import FlowResultType

from custom_components.pialert.urls import heartbeat_ping_url

from .conftest import SetupHub
from .test_target_flow import (
    TRANSLATIONS,
    VALID_INPUT,
    fake_probes,  # noqa: F401
    start_flow,
    start_reconfigure,
    submit,
)

SUBENTRY = TRANSLATIONS["config_subentries"]["target"]
PATH = "/api/pialert/v1/heartbeat/"


async def test_ping_url_prefers_the_external_url(hass: HomeAssistant) -> None:
    """Jobs may run anywhere: the external URL first, else internal, else the path."""
    assert heartbeat_ping_url(hass, "tok") == PATH + "tok"
    await async_process_ha_core_config(
        hass, {"internal_url": "http://192.168.1.5:8123"}
    )
    assert heartbeat_ping_url(hass, "tok") == "http://192.168.1.5:8123" + PATH + "tok"
    await async_process_ha_core_config(hass, {"external_url": "https://ha.example.org"})
    assert heartbeat_ping_url(hass, "tok") == "https://ha.example.org" + PATH + "tok"


async def test_success_messages_show_the_full_ping_url(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Adding and editing a heartbeat both end with its full, copyable URL."""
    await async_process_ha_core_config(hass, {"external_url": "https://ha.example.org"})
    entry = await setup_hub()
    flow_id = await start_flow(hass, entry, "heartbeat")
    result = await submit(hass, flow_id, VALID_INPUT["heartbeat"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    (subentry,) = entry.subentries.values()
    url = f"https://ha.example.org{PATH}{subentry.data['token']}"
    assert result["description_placeholders"] == {"ping_url": url}
    message = SUBENTRY["create_entry"][result["description"]]
    assert url in message.format(**result["description_placeholders"])

    result = await start_reconfigure(hass, entry, subentry.subentry_id)
    result = await submit(
        hass, result["flow_id"], VALID_INPUT["heartbeat"] | {"grace": 600.0}
    )
    assert result["type"] is FlowResultType.ABORT
    assert entry.subentries[subentry.subentry_id].data["grace"] == 600
    assert result["description_placeholders"] == {"ping_url": url}
    message = SUBENTRY["abort"][result["reason"]]
    assert url in message.format(**result["description_placeholders"])


async def test_other_kinds_keep_the_plain_success(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Only heartbeats have a URL to show."""
    entry = await setup_hub()
    flow_id = await start_flow(hass, entry, "tcp")
    result = await submit(hass, flow_id, VALID_INPUT["tcp"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert not result.get("description_placeholders")
