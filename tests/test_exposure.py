"""Voice-assistant exposure is stored with each entity when it is created.

Without it, Home Assistant's conversation agent writes every entity's default
exposure into the registry when Home Assistant has started: with 1,000
targets, thousands of registry updates inside one event, each rewriting an
entity's state, and Home Assistant refused to fire the rest (issue #15).
"""

from __future__ import annotations

from homeassistant.components.homeassistant.exposed_entities import (
    async_set_assistant_option,
    async_should_expose,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.pialert.exposure import CONVERSATION


async def test_exposure_is_stored_at_creation(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Asking each entity's exposure, as the agent does at start, writes nothing."""
    assert await async_setup_component(hass, "homeassistant", {})
    registry = er.async_get(hass)
    entries = er.async_entries_for_config_entry(registry, init_integration.entry_id)
    assert len(entries) > 10
    updates = async_capture_events(hass, er.EVENT_ENTITY_REGISTRY_UPDATED)

    exposed = {
        entry.entity_id: async_should_expose(hass, CONVERSATION, entry.entity_id)
        for entry in entries
    }
    await hass.async_block_till_done()

    assert updates == []
    # Home Assistant's own defaults: switches yes; sensors of these classes,
    # buttons and anything with an entity category no.
    assert exposed == {
        entry.entity_id: entry.domain == "switch" and entry.entity_category is None
        for entry in entries
    }


async def test_a_users_choice_is_kept(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The stored default is only a default: the user's choice wins."""
    assert await async_setup_component(hass, "homeassistant", {})
    registry = er.async_get(hass)
    entity_id = next(
        entry.entity_id
        for entry in er.async_entries_for_config_entry(
            registry, init_integration.entry_id
        )
        if entry.domain == "binary_sensor"
    )
    assert not async_should_expose(hass, CONVERSATION, entity_id)
    async_set_assistant_option(hass, CONVERSATION, entity_id, "should_expose", True)
    assert async_should_expose(hass, CONVERSATION, entity_id)
