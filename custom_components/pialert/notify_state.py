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
from .engine.notify.alertmanager_book import (
    AlertmanagerBook,
    BookedAlert,
    book_saved,
    parse_book,
)
from .engine.notify.planner import Planner, RuleState
from .engine.notify.planner_state import (
    parse_planner,
    planner_fingerprint,
    planner_saved,
)
from .safe_store import GuardedStore
from .webhook_outbox import SAVE_DELAY

NOTIFY_STATE_KEY: Final = f"{DOMAIN}.notify_state"
NOTIFY_STATE_VERSION: Final = 1
# Added later: files saved before it have no such key (an empty book).
ALERTMANAGER_KEY: Final = "alertmanager"


class PlannerStore:
    """Saves one planner's outages and the Alertmanager book when they change."""

    def __init__(
        self, hass: HomeAssistant, planner: Planner, book: AlertmanagerBook
    ) -> None:
        """Save their state under PiAlert's notify-state key."""
        self._planner = planner
        self._book = book
        self._store = GuardedStore(
            hass,
            NOTIFY_STATE_VERSION,
            NOTIFY_STATE_KEY,
            issue_id=ISSUE_NOTIFY_STATE_CORRUPT,
        )
        self._last: tuple[dict[str, Any], int] | None = None

    async def async_load(self) -> None:
        """Give the planner and the book what was saved before the restart."""
        saved = await self._store.async_load_or_keep(_parse)
        if saved is not None:
            states, book = saved
            if states:
                self._planner.restore(states)
            if book:
                self._book.restore(book)
        self._last = self._fingerprint() if saved is None else None

    def _fingerprint(self) -> tuple[dict[str, Any], int]:
        return planner_fingerprint(self._planner), self._book.revision

    def _saved(self) -> dict[str, Any]:
        return {
            **planner_saved(self._planner),
            ALERTMANAGER_KEY: book_saved(self._book),
        }

    @callback
    def changed(self) -> None:
        """Save the state at once if it changed since last saved."""
        # Comparing is cheap; the JSON is made only when written.
        fingerprint = self._fingerprint()
        if fingerprint != self._last:
            self._last = fingerprint
            self._store.async_delay_save(self._saved, SAVE_DELAY)

    async def async_stop(self) -> None:
        """Save the state a last time; nothing is written after this."""
        await self._store.async_save(self._saved())
        self._store.close()


def _parse(data: Any) -> tuple[dict[str, RuleState], dict[str, list[BookedAlert]]]:
    """Return the saved outages and Alertmanager alerts (none in older files)."""
    return parse_planner(data), parse_book(data.get(ALERTMANAGER_KEY, {}))
