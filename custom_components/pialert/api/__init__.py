"""PiAlert's HTTP API, served by Home Assistant's web server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant

from ..const import DOMAIN

if TYPE_CHECKING:
    from ..coordinator import PiAlertConfigEntry, PiAlertCoordinator, PiAlertData


def loaded_hub_data(hass: HomeAssistant) -> PiAlertData | None:
    """Return the runtime data of the loaded hub, if there is one."""
    entries: list[PiAlertConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
    for entry in entries:
        return entry.runtime_data
    return None


def loaded_coordinator(hass: HomeAssistant) -> PiAlertCoordinator | None:
    """Return the coordinator of the loaded hub, if there is one."""
    data = loaded_hub_data(hass)
    return data.coordinator if data is not None else None
