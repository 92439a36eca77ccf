"""The API's state: keys (persisted, usage debounced) and rate limiters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import logging
from typing import Any

from homeassistant.core import HomeAssistant, callback

from ..const import DOMAIN, ISSUE_KEYS_CORRUPT
from ..safe_store import GuardedStore
from .keys import ApiKey, KeyRing, parse_keys
from .limits import MAX_TRACKED_ADDRESSES, WindowLimiter
from .status_body import StatusBody

_LOGGER = logging.getLogger(__name__)

KEYS_STORAGE_KEY = f"{DOMAIN}.api_keys"
KEYS_STORAGE_VERSION = 1
# Usage metadata (last used, count) is written this long after a key's first
# use since the last write: a crash loses at most this many seconds of counts.
# Key changes are written at once.
USAGE_SAVE_DELAY = 10
# Metrics also hold figures that move with time alone (uptime windows), so a
# cached text is rebuilt after this long even when nothing was published.
METRICS_MAX_AGE = timedelta(seconds=10)


class SnapshotCache[T]:
    """One value built from immutable inputs, rebuilt when one is replaced.

    Inputs are compared by identity: a published snapshot never changes, a
    new state is a new object, and comparing contents would cost about as
    much as building the value again.
    """

    def __init__(self, max_age: timedelta | None = None) -> None:
        """Start empty; with ``max_age``, also rebuild values older than that."""
        self._max_age = max_age
        self._inputs: tuple[object, ...] = ()
        self._built: tuple[datetime, T] | None = None

    def get(
        self, inputs: tuple[object, ...], now: datetime, build: Callable[[], T]
    ) -> T:
        """Return the value for ``inputs``, built by ``build`` when needed."""
        if self._built is not None and self._fresh(inputs, now, self._built[0]):
            return self._built[1]
        value = build()
        self._inputs = inputs
        self._built = (now, value)
        return value

    def _fresh(self, inputs: tuple[object, ...], now: datetime, at: datetime) -> bool:
        if len(inputs) != len(self._inputs):
            return False
        for new, old in zip(inputs, self._inputs, strict=True):
            if new is not old:
                return False
        # A clock set back counts as stale too.
        return self._max_age is None or at <= now < at + self._max_age


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

        # Answers built from the published snapshot, reused until it changes.
        self.status_body = StatusBody()
        self.metrics_text: SnapshotCache[bytes] = SnapshotCache(METRICS_MAX_AGE)

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
