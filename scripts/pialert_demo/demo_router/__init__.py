"""Demo router: a tiny integration whose set-up fails for a real reason.

scripts/demo links it into the demo's config dir and adds one entry for a
closed port on loopback. Set-up really connects, is refused, and raises
ConfigEntryNotReady: PiAlert's integration health target then shows Home
Assistant's own reason, "Demo router: Failed to connect to 127.0.0.1:9:
connection refused".
"""

from __future__ import annotations

import asyncio
import os
from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady

DOMAIN: Final = "demo_router"
# The discard port: nothing listens on it on the demo's machine.
HOST: Final = "127.0.0.1"
PORT: Final = 9
CONNECT_TIMEOUT: Final = 5.0


def _reason(err: OSError | TimeoutError) -> str:
    """Return the system's words for a failed connect ("connection refused")."""
    if isinstance(err, TimeoutError):
        return "timed out"
    return (os.strerror(err.errno) if err.errno else str(err)).lower()


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Connect to the router; fail set-up (Home Assistant retries) when refused."""
    host, port = str(entry.data["host"]), int(entry.data["port"])
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port), CONNECT_TIMEOUT
        )
    except (OSError, TimeoutError) as err:
        raise ConfigEntryNotReady(
            f"Failed to connect to {host}:{port}: {_reason(err)}"
        ) from err
    writer.close()
    await writer.wait_closed()
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Nothing to undo."""
    return True
