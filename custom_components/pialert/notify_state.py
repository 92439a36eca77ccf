"""The notification planner's outages, saved so a restart continues them.

A notification is something a user saw, so what the planner told (and when
it reminds or escalates next) is saved as soon as it changes, like the
webhook outbox; a file that cannot be used is set aside with a repair issue,
and an install without the file starts with no outages.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.core import HomeAssistant, callback

from .const import DOMAIN, ISSUE_NOTIFY_STATE_CORRUPT
from .engine.notify.planner import Planner
from .engine.notify.planner_state import (
    parse_planner,
    planner_fingerprint,
    planner_saved,
)
from .safe_store import GuardedStore
from .webhook_outbox import SAVE_DELAY

NOTIFY_STATE_KEY: Final = f"{DOMAIN}.notify_state"
NOTIFY_STATE_VERSION: Final = 1


class PlannerStore:
    """Saves one planner's outages whenever they change."""

    def __init__(self, hass: HomeAssistant, planner: Planner) -> None:
        """Save ``planner``'s state under PiAlert's notify-state key."""
        self._planner = planner
        self._store = GuardedStore(
            hass,
            NOTIFY_STATE_VERSION,
            NOTIFY_STATE_KEY,
            issue_id=ISSUE_NOTIFY_STATE_CORRUPT,
        )
        self._last: dict[str, Any] | None = None

    async def async_load(self) -> None:
        """Give the planner the outages saved before the restart, if any."""
        states = await self._store.async_load_or_keep(parse_planner)
        if states:
            self._planner.restore(states)
        self._last = planner_fingerprint(self._planner) if states is None else None

    def _saved(self) -> dict[str, Any]:
        return planner_saved(self._planner)

    @callback
    def changed(self) -> None:
        """Save the planner's state at once if it changed since last saved."""
        # Comparing is cheap; the JSON is made only when written.
        fingerprint = planner_fingerprint(self._planner)
        if fingerprint != self._last:
            self._last = fingerprint
            self._store.async_delay_save(self._saved, SAVE_DELAY)

    async def async_stop(self) -> None:
        """Save the state a last time; nothing is written after this."""
        await self._store.async_save(self._saved())
        self._store.close()
