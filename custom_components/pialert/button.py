"""Buttons: acknowledge a target's alert."""

from __future__ import annotations

from collections.abc import Hashable

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .commands import HubCommands
from .coordinator import PiAlertConfigEntry
from .engine.models import Status
from .entity import PiAlertTargetEntity, async_add_target_entities
from .helpers import async_user_name
from .refusals import as_service_errors

PARALLEL_UPDATES = 0

ACKNOWLEDGE = ButtonEntityDescription(key="acknowledge", translation_key="acknowledge")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PiAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an acknowledge button per target."""
    coordinator = entry.runtime_data.coordinator
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

    def _current(self) -> Hashable:
        # A button shows when it was last pressed, and whether it can be.
        return self.available

    @property
    def available(self) -> bool:
        """Available only while there is an alert to acknowledge.

        Home Assistant skips unavailable entities when the button is pressed,
        so a refused press records no "pressed" state (nor logbook line).
        """
        view = self.view
        return (
            super().available
            and view is not None
            and view.status is Status.DOWN
            and view.acknowledgement is None
        )

    async def async_press(self) -> None:
        """Acknowledge, as the user who pressed."""
        by = await async_user_name(self.hass, self._context)
        commands = HubCommands.of(self.coordinator.config_entry.runtime_data)
        with as_service_errors():
            commands.acknowledge([self.target_id], by)
