"""The API's state: keys (persisted, usage debounced) and rate limiters."""

from __future__ import annotations

from datetime import datetime
import logging
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store

from ..const import DOMAIN
from .keys import ApiKey, KeyRing
from .limits import MAX_TRACKED_ADDRESSES, WindowLimiter

_LOGGER = logging.getLogger(__name__)

KEYS_STORAGE_KEY = f"{DOMAIN}.api_keys"
KEYS_STORAGE_VERSION = 1
# Usage metadata (last used, count) is written at most this often.
USAGE_SAVE_DELAY = 60


class ApiState:
    """Keys and limiters of the hub's API."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start with no keys until loaded."""
        self.keys = KeyRing()
        self.key_limiter = WindowLimiter()
        self.auth_limiter = WindowLimiter(max_names=MAX_TRACKED_ADDRESSES)
        self._store: Store[dict[str, Any]] = Store(
            hass, KEYS_STORAGE_VERSION, KEYS_STORAGE_KEY, private=True
        )
        self._save_pending = False

    async def async_load(self) -> None:
        """Load saved keys."""
        data = await self._store.async_load()
        if data:
            self.keys = KeyRing.load(data.get("keys", []))

    @callback
    def touch(self, key: ApiKey, now: datetime) -> None:
        """Count a request with ``key``; persisted later, not per request."""
        self.keys.touch(key, now)
        self.schedule_save(USAGE_SAVE_DELAY)

    @callback
    def schedule_save(self, delay: float = 0) -> None:
        """Save soon (at once for key changes, debounced for usage)."""
        if self._save_pending and delay:
            return
        self._save_pending = True
        self._store.async_delay_save(self._data_to_save, delay)

    @callback
    def _data_to_save(self) -> dict[str, Any]:
        self._save_pending = False
        return {"keys": self.keys.dump()}

    async def async_save_now(self) -> None:
        """Write at once (on unload)."""
        self._save_pending = False
        await self._store.async_save(self._data_to_save())
