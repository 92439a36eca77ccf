"""Watching the watchers: API clients that declared how often they poll.

A key may declare its client's poll interval (a relay Pi every 30 s). When
that client has not been seen for ``MISSED_POLLS`` intervals, the hub alerts
for it as for a down target ("Garage relay Pi stopped polling"); the alert
clears when the client polls again. Time is counted from the client's last
request, its key's creation, or the hub's start, whichever is latest: a
restarted hub gives every client a fresh ``MISSED_POLLS`` intervals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from .events import Event, EventType
from .state import FailingTarget

MISSED_POLLS: Final = 3
MIN_POLL_INTERVAL: Final = 5
MAX_POLL_INTERVAL: Final = 86400
# Keys of the hub alert are target ids; clients' are kept apart by this.
ALERT_KEY_PREFIX: Final = "client:"


@dataclass(frozen=True, slots=True)
class WatchedClient:
    """A key that declared its client's poll interval."""

    key_id: str
    name: str
    poll_interval: int
    created_at: datetime
    last_seen: datetime | None


def silent_name(name: str) -> str:
    """Return how a silent client is named in alerts."""
    return f"{name} stopped polling"


class ClientWatch:
    """Which watched clients are silent, as entries of the hub alert."""

    def __init__(self) -> None:
        """Watch nothing until ``update``; the first update starts the clock."""
        self.started_at: datetime | None = None
        self.failing: dict[str, FailingTarget] = {}
        self._silent: dict[str, WatchedClient] = {}

    def update(self, clients: Iterable[WatchedClient], now: datetime) -> list[Event]:
        """Find the silent clients at ``now``; return who stopped or came back."""
        if self.started_at is None:
            self.started_at = now
        silent: dict[str, FailingTarget] = {}
        by_key: dict[str, WatchedClient] = {}
        watched: set[str] = set()
        for client in clients:
            watched.add(ALERT_KEY_PREFIX + client.key_id)
            seen = max(
                t
                for t in (client.last_seen, client.created_at, self.started_at)
                if t is not None
            )
            missed = int((now - seen).total_seconds() // client.poll_interval)
            if missed >= MISSED_POLLS:
                key = ALERT_KEY_PREFIX + client.key_id
                silent[key] = FailingTarget(
                    name=silent_name(client.name),
                    failures=missed,
                    threshold=MISSED_POLLS,
                )
                by_key[key] = client
        events = [
            _event(EventType.CLIENT_STOPPED_POLLING, by_key[key])
            for key in silent.keys() - self.failing.keys()
        ]
        events += [
            _event(EventType.CLIENT_POLLING_AGAIN, self._silent[key])
            # A key deleted (or no longer watched) just leaves the alert.
            for key in (self.failing.keys() - silent.keys()) & watched
        ]
        self.failing = silent
        self._silent = by_key
        return events


def _event(event_type: EventType, client: WatchedClient) -> Event:
    return Event(
        event_type,
        {
            "key_id": client.key_id,
            "name": client.name,
            "poll_interval": client.poll_interval,
            "last_seen": client.last_seen.isoformat() if client.last_seen else None,
        },
    )
