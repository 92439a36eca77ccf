"""Full URLs users copy into their jobs (shared by flows and the device page)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.network import NoURLAvailableError, get_url

from .const import HEARTBEAT_URL


def heartbeat_ping_path(token: str) -> str:
    """Return the heartbeat's ping path, relative to Home Assistant's URL."""
    return HEARTBEAT_URL.format(token=token)


def heartbeat_ping_url(hass: HomeAssistant, token: str) -> str:
    """Return the heartbeat's full ping URL.

    Jobs often run on other machines, so the external URL is preferred; the
    internal one is next. Without any configured or detectable URL the path
    alone is returned: still correct, just to be prefixed by hand.
    """
    path = heartbeat_ping_path(token)
    try:
        base = get_url(hass, prefer_external=True, allow_cloud=False)
    except NoURLAvailableError:
        return path
    return base.rstrip("/") + path
