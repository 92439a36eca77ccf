"""PiAlert's HTTP API, served by Home Assistant's web server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant

from ..const import DOMAIN

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator


def loaded_coordinator(hass: HomeAssistant) -> PiAlertCoordinator | None:
    """Return the coordinator of the loaded hub, if there is one."""
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        return entry.runtime_data  # type: ignore[no-any-return]
    return None
