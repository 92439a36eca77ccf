"""Switches: enable or pause a target."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .commands import HubCommands
from .const import DOMAIN
from .coordinator import PiAlertConfigEntry, PiAlertCoordinator
from .entity import PiAlertHubEntity, PiAlertTargetEntity, async_add_target_entities
from .relay import Relay

PARALLEL_UPDATES = 0

ENABLED = SwitchEntityDescription(
    key="enabled", translation_key="enabled", entity_category=EntityCategory.CONFIG
)
RELAY = SwitchEntityDescription(key="relay", translation_key="relay")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PiAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an enable switch per target, and the relay's switch if configured."""
    coordinator = entry.runtime_data.coordinator
    if (relay := entry.runtime_data.relay) is not None:
        async_add_entities([RelaySwitch(coordinator, RELAY, relay)])
    else:
        # The relay was turned off in the options: its switch goes away
        # rather than stay behind as an unavailable entity.
        registry = er.async_get(hass)
        if entity_id := registry.async_get_entity_id(
            Platform.SWITCH, DOMAIN, f"{entry.entry_id}_{RELAY.key}"
        ):
            registry.async_remove(entity_id)
    async_add_target_entities(
        coordinator,
        entry,
        async_add_entities,
        lambda target_id, _view: [TargetEnabledSwitch(coordinator, ENABLED, target_id)],
    )


class TargetEnabledSwitch(PiAlertTargetEntity, SwitchEntity):
    """On while the target is checked; off pauses it."""

    def _current(self) -> Hashable:
        return self.is_on

    @property
    def is_on(self) -> bool | None:
        """Return whether the target is enabled."""
        view = self.view
        return view.target.enabled if view else None

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Resume the target."""
        self._commands().set_enabled([self.target_id], True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Pause the target."""
        self._commands().set_enabled([self.target_id], False)

    def _commands(self) -> HubCommands:
        return HubCommands.of(self.coordinator.config_entry.runtime_data)


class RelaySwitch(PiAlertHubEntity, SwitchEntity):
    """The GPIO relay: shows it and overrides it until the alert state changes."""

    def __init__(
        self,
        coordinator: PiAlertCoordinator,
        description: SwitchEntityDescription,
        relay: Relay,
    ) -> None:
        """Show and drive ``relay``."""
        super().__init__(coordinator, description)
        self._relay = relay

    async def async_added_to_hass(self) -> None:
        """Follow the relay's own changes too (overrides, blinking)."""
        await super().async_added_to_hass()
        self.async_on_remove(self._relay.async_add_listener(self.async_write_ha_state))

    def _current(self) -> Hashable:
        return (self.is_on, self.available)

    @property
    def available(self) -> bool:
        """Unavailable when the pin could not be opened."""
        return self._relay.available

    @property
    def is_on(self) -> bool:
        """Return whether the relay is active."""
        return self._relay.is_on

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Tell whether a manual override holds, and the pin."""
        relay = self._relay
        return {
            "override": relay.override is not None,
            "pin": relay.settings.pin,
            "mode": relay.settings.mode.value,
        }

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Force the relay on until the alert state next changes."""
        await self._relay.async_set_override(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Force the relay off until the alert state next changes."""
        await self._relay.async_set_override(False)
