"""PiAlert: monitoring and alerting inside Home Assistant."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

type PiAlertConfigEntry = ConfigEntry[None]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up PiAlert's hub-independent parts."""
    return True


async def async_setup_entry(hass: HomeAssistant, entry: PiAlertConfigEntry) -> bool:
    """Set up the PiAlert hub from a config entry."""
    entry.runtime_data = None
    return True


async def async_unload_entry(hass: HomeAssistant, entry: PiAlertConfigEntry) -> bool:
    """Unload the PiAlert hub."""
    return True
