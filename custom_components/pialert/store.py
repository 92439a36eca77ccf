"""Persistence of the engine's state with Home Assistant's Store.

What a crash (power cut, kill -9) can lose: check results of the last
SAVE_DELAY seconds. User actions (acknowledgements, silences, pauses, target
edits) are saved at once (``urgent``), still written in the executor.

The event loop only copies the state (the check log as array copies); the
check log's lists and the JSON are built in the executor.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
import threading
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import run_callback_threadsafe

from .const import ISSUE_STORE_CORRUPT, STORAGE_KEY, STORAGE_VERSION
from .engine.alerting import Monitor
from .engine.check_persistence import copy_checks
from .engine.persistence import apply, dump, parse
from .safe_store import GuardedStore

_LOGGER = logging.getLogger(__name__)

# Check results are written at most once per this many seconds, whatever the
# check rate: this is what a crash can lose.
SAVE_DELAY = 30


class PiAlertStore:
    """Loads the monitor's state at start and saves it."""

    def __init__(self, hass: HomeAssistant, monitor: Monitor) -> None:
        """Bind the store to the monitor whose state it keeps."""
        self.hass = hass
        self.monitor = monitor
        self._store = GuardedStore(
            hass,
            STORAGE_VERSION,
            STORAGE_KEY,
            issue_id=ISSUE_STORE_CORRUPT,
            serialize_in_event_loop=False,  # _data_to_save runs in the executor
        )
        self._save_pending = False

    async def async_load_into_monitor(self) -> None:
        """Restore saved state; a file that cannot be used is moved aside.

        Nothing is saved before this succeeded. Home Assistant's Store itself
        moves aside a file that is not JSON.
        """
        saved = await self._store.async_load_checked(parse)
        if saved is not None:
            apply(self.monitor, saved)

    @callback
    def schedule_save(self, *, urgent: bool = False) -> None:
        """Save within SAVE_DELAY seconds, or at once when ``urgent``.

        Changes are coalesced until the write, which takes the state then.
        """
        if self._save_pending and not urgent:
            return
        self._save_pending = True
        self._store.async_delay_save(self._data_to_save, 0 if urgent else SAVE_DELAY)

    def _data_to_save(self) -> dict[str, Any]:
        """Build the state to save, in the executor, from a copy taken on the loop."""
        if threading.get_ident() == self.hass.loop_thread_id:
            return self._copy_state()()  # asked on the loop (as tests' storage does)
        build = run_callback_threadsafe(self.hass.loop, self._copy_state).result()
        return build()

    @callback
    def _copy_state(self) -> Callable[[], dict[str, Any]]:
        """Copy the state as it is now; return what builds it (in any thread)."""
        self._save_pending = False
        self.monitor.history.prune(dt_util.utcnow())
        data = dump(self.monitor, checks=False)
        checks = copy_checks(self.monitor.history)
        return lambda: data | checks()

    async def async_close(self) -> None:
        """Write at once and write nothing after (the hub is unloading)."""
        if self._store.writable:
            build = self._copy_state()
            await self._store.async_save(await self.hass.async_add_executor_job(build))
        self._store.close()
