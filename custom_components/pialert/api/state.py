"""The API's state: keys (persisted, usage debounced) and rate limiters."""

from __future__ import annotations

from datetime import datetime
import logging
from typing import Any

from homeassistant.core import HomeAssistant, callback

from ..const import DOMAIN, ISSUE_KEYS_CORRUPT
from ..safe_store import GuardedStore
from .keys import ApiKey, KeyRing, parse_keys
from .limits import MAX_TRACKED_ADDRESSES, WindowLimiter

_LOGGER = logging.getLogger(__name__)

KEYS_STORAGE_KEY = f"{DOMAIN}.api_keys"
KEYS_STORAGE_VERSION = 1
# Usage metadata (last used, count) is written this long after a key's first
# use since the last write: a crash loses at most this many seconds of counts.
# Key changes are written at once.
USAGE_SAVE_DELAY = 10


class ApiState:
    """Keys and limiters of the hub's API."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start with no keys until loaded."""
        self.keys = KeyRing()
        self.key_limiter = WindowLimiter()
        self.auth_limiter = WindowLimiter(max_names=MAX_TRACKED_ADDRESSES)
        self._store = GuardedStore(
            hass,
            KEYS_STORAGE_VERSION,
            KEYS_STORAGE_KEY,
            issue_id=ISSUE_KEYS_CORRUPT,
            private=True,
        )
        self._save_pending = False

    async def async_load(self) -> None:
        """Load saved keys; nothing is saved before this succeeded.

        A file that cannot be used is moved aside. With some bad entries, the
        good keys are kept: the original file is moved aside (the bad entries
        stay in it) and the good keys are written anew.
        """
        loaded = await self._store.async_load_checked(parse_keys)
        if loaded is None:
            return
        self.keys, problems = loaded
        if problems:
            _LOGGER.error("Dropped unusable API keys: %s", "; ".join(problems))
            await self._store.async_set_aside("; ".join(problems))
            self.schedule_save()

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

    async def async_close(self) -> None:
        """Write at once and write nothing after (the hub is unloading)."""
        if self._store.writable:
            await self._store.async_save(self._data_to_save())
        self._store.close()
