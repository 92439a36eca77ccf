"""Persistence of the engine's state with Home Assistant's Store."""

from __future__ import annotations

import logging
import os
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, ISSUE_STORE_CORRUPT, STORAGE_KEY, STORAGE_VERSION
from .engine.alerting import Monitor
from .engine.persistence import dump, restore

_LOGGER = logging.getLogger(__name__)

# At most one write per this many seconds, whatever the check rate.
SAVE_DELAY = 30


class _VersionedStore(Store[dict[str, Any]]):
    """The store with PiAlert's migration hook."""

    async def _async_migrate_func(
        self,
        old_major_version: int,
        old_minor_version: int,
        old_data: dict[str, Any],
    ) -> dict[str, Any]:
        """Upgrade data saved by an older PiAlert (none exists yet)."""
        return old_data


class PiAlertStore:
    """Loads the monitor's state at start and saves it, debounced."""

    def __init__(self, hass: HomeAssistant, monitor: Monitor) -> None:
        """Bind the store to the monitor whose state it keeps."""
        self.hass = hass
        self.monitor = monitor
        self._store = _VersionedStore(hass, STORAGE_VERSION, STORAGE_KEY)
        self._save_pending = False

    async def async_load_into_monitor(self) -> None:
        """Restore saved state; a file that cannot be read is moved aside."""
        # Home Assistant's Store already moves aside a file that is not JSON.
        data = await self._store.async_load()
        if data is None:
            return
        try:
            restore(self.monitor, data)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            _LOGGER.error("Saved PiAlert state is unusable, starting empty: %s", err)
            self._reset_monitor()
            await self._async_move_aside(str(err))

    def _reset_monitor(self) -> None:
        history = self.monitor.history
        history.incidents.clear()
        history.events.clear()
        history.stats.clear()
        self.monitor.silences.clear()
        targets = list(self.monitor.targets.values())
        self.monitor.targets = {}
        self.monitor.states = {}
        self.monitor.heartbeats = {}
        self.monitor.set_targets(targets, dt_util.utcnow())

    async def _async_move_aside(self, error: str) -> None:
        path = self._store.path
        corrupt_path = f"{path}.corrupt.{dt_util.utcnow().strftime('%Y%m%dT%H%M%S')}"
        try:
            await self.hass.async_add_executor_job(os.replace, path, corrupt_path)
        except OSError as err:
            # Starting empty matters more; the next save overwrites the file.
            _LOGGER.error("Could not move %s aside: %s", path, err)
            corrupt_path = path
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            ISSUE_STORE_CORRUPT,
            is_fixable=False,
            is_persistent=True,
            severity=ir.IssueSeverity.ERROR,
            translation_key=ISSUE_STORE_CORRUPT,
            translation_placeholders={"corrupt_path": corrupt_path, "error": error},
        )

    @callback
    def schedule_save(self) -> None:
        """Save within SAVE_DELAY seconds, coalescing all changes until then."""
        if self._save_pending:
            return
        self._save_pending = True
        self._store.async_delay_save(self._data_to_save, SAVE_DELAY)

    @callback
    def _data_to_save(self) -> dict[str, Any]:
        self._save_pending = False
        self.monitor.history.prune(dt_util.utcnow())
        return dump(self.monitor)

    async def async_save_now(self) -> None:
        """Write at once (on unload)."""
        self._save_pending = False
        await self._store.async_save(self._data_to_save())
