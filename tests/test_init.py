"""Tests for setting up and unloading the PiAlert hub."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from custom_components.pialert.api.state import ApiState
from custom_components.pialert.coordinator import PiAlertCoordinator, PiAlertData

from .conftest import SetupHub


async def test_setup_and_unload(hass: HomeAssistant, setup_hub: SetupHub) -> None:
    """The hub loads, unloads and leaves nothing behind."""
    hub_entry = await setup_hub()
    data = hub_entry.runtime_data
    assert isinstance(data, PiAlertData)
    assert isinstance(data.coordinator, PiAlertCoordinator)
    assert isinstance(data.api, ApiState)
    assert data.relay is None  # not configured

    assert await hass.config_entries.async_unload(hub_entry.entry_id)
    await hass.async_block_till_done()
    assert hub_entry.state is ConfigEntryState.NOT_LOADED


async def test_removing_the_hub_deletes_its_storage(
    hass: HomeAssistant, setup_hub: SetupHub, hass_storage: dict[str, Any]
) -> None:
    """History and API keys go with the hub."""
    hub_entry = await setup_hub()
    await hass.services.async_call(
        "pialert",
        "create_api_key",
        {"name": "Relay"},
        blocking=True,
        return_response=True,
    )
    assert await hass.config_entries.async_unload(hub_entry.entry_id)
    await hass.async_block_till_done()
    assert "pialert.state" in hass_storage
    assert "pialert.api_keys" in hass_storage
    assert "pialert.notify_state" in hass_storage

    await hass.config_entries.async_remove(hub_entry.entry_id)
    await hass.async_block_till_done()
    assert "pialert.state" not in hass_storage
    assert "pialert.api_keys" not in hass_storage
    assert "pialert.notify_state" not in hass_storage
