"""Switches: enable or pause a target."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import PiAlertConfigEntry
from .entity import PiAlertTargetEntity, async_add_target_entities
from .helpers import async_set_targets_enabled

PARALLEL_UPDATES = 0

ENABLED = SwitchEntityDescription(
    key="enabled", translation_key="enabled", entity_category=EntityCategory.CONFIG
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PiAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an enable switch per target."""
    coordinator = entry.runtime_data
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
        await async_set_targets_enabled(self.coordinator, [self.target_id], True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Pause the target."""
        await async_set_targets_enabled(self.coordinator, [self.target_id], False)
