"""Buttons: acknowledge a target's alert."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import PiAlertConfigEntry
from .entity import PiAlertTargetEntity, async_add_target_entities
from .helpers import async_user_name, monitor_errors

PARALLEL_UPDATES = 0

ACKNOWLEDGE = ButtonEntityDescription(key="acknowledge", translation_key="acknowledge")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PiAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an acknowledge button per target."""
    coordinator = entry.runtime_data
    async_add_target_entities(
        coordinator,
        entry,
        async_add_entities,
        lambda target_id, _view: [
            AcknowledgeButton(coordinator, ACKNOWLEDGE, target_id)
        ],
    )


class AcknowledgeButton(PiAlertTargetEntity, ButtonEntity):
    """Acknowledge the target's current alert."""

    def _current(self) -> None:
        # A button shows only when it was last pressed; nothing to refresh.
        return None

    async def async_press(self) -> None:
        """Acknowledge, as the user who pressed."""
        by = await async_user_name(self.hass, self._context)
        with monitor_errors():
            events = self.coordinator.monitor.acknowledge(
                self.target_id, by, self.coordinator.now()
            )
        self.coordinator.async_apply(events)
