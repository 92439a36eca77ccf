"""What each Alertmanager should hold: the latest state of every alert.

Alertmanager only needs an alert's latest state (firing, or resolved with
its ``endsAt``), so a new state replaces the one waiting instead of queueing
behind it. A state Alertmanager has not accepted yet is ``unsent`` and
retried with exponential backoff and jitter; firing alerts stay to be
re-sent while active; a resolve stays until accepted (or a day old). The
book is saved with the notification state, so a restart sends a pending
resolve once instead of losing it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
import random
from typing import Any, Final

from .alertmanager import RESEND_SECONDS, AlertInfo
from .webhooks import MAX_AGE_SECONDS, backoff

# After Alertmanager comes back, what waits reaches it within a resend period.
MAX_RETRY_DELAY: Final = float(RESEND_SECONDS)

type AlertKey = tuple[str, str]
"""(site, target id): a rule's site name is one of the alert's labels."""


@dataclass(slots=True)
class BookedAlert:
    """One alert's latest state for one Alertmanager."""

    alert: AlertInfo
    site: str
    rule_id: str
    changed: float
    """When this state was set (seconds since the epoch)."""
    unsent: bool = True
    """The state changed and Alertmanager has not accepted it yet."""

    @property
    def key(self) -> AlertKey:
        """Return what identifies the alert at its Alertmanager."""
        return (self.site, self.alert.target_id)

    @property
    def resolved(self) -> bool:
        """Return whether this state ends the alert."""
        return self.alert.ends_at is not None


@dataclass(slots=True)
class Destination:
    """One Alertmanager URL's alerts and how its pushes are going."""

    alerts: dict[AlertKey, BookedAlert] = field(default_factory=dict)
    attempts: int = 0
    due: float | None = None
    """When unsent states are tried again after a failure."""
    error: str | None = None


class AlertmanagerBook:
    """The alerts of every Alertmanager URL, coalesced per alert."""

    def __init__(self) -> None:
        """Start with nothing to push."""
        self.destinations: dict[str, Destination] = {}
        self.revision = 0
        """Changes whenever what is saved changes."""

    def put(
        self,
        url: str,
        alerts: Iterable[AlertInfo],
        site: str,
        rule_id: str,
        now: float,
    ) -> None:
        """Make these the alerts' latest states (replacing any waiting)."""
        destination = self.destinations.setdefault(url, Destination())
        for alert in alerts:
            booked = BookedAlert(alert, site, rule_id, now)
            destination.alerts[booked.key] = booked
        self.revision += 1

    def batch(self, url: str, *, everything: bool) -> list[BookedAlert]:
        """Return what to push: the unsent states, or ``everything`` kept."""
        destination = self.destinations.get(url)
        if destination is None:
            return []
        return [a for a in destination.alerts.values() if everything or a.unsent]

    def waiting(self, url: str, now: float) -> str | None:
        """Return the last error while ``url`` is backing off, else None."""
        destination = self.destinations.get(url)
        if destination is None or destination.due is None or destination.due <= now:
            return None
        return destination.error or "waiting to retry"

    def settle(
        self,
        url: str,
        batch: list[BookedAlert],
        error: str | None,
        now: float,
        rng: random.Random | None = None,
    ) -> list[BookedAlert]:
        """Record how pushing ``batch`` went; return the resolves given up."""
        destination = self.destinations.get(url)
        if destination is None:
            return []
        given_up: list[BookedAlert] = []
        if error is None:
            destination.attempts, destination.due, destination.error = 0, None, None
            for booked in batch:
                if destination.alerts.get(booked.key) is not booked:
                    continue  # replaced by a newer state while this was sent
                if booked.resolved:
                    del destination.alerts[booked.key]
                booked.unsent = False
        elif any(booked.unsent for booked in batch):
            destination.attempts += 1
            destination.error = error
            destination.due = now + backoff(destination.attempts, rng, MAX_RETRY_DELAY)
            for key, booked in list(destination.alerts.items()):
                if booked.resolved and now - booked.changed > MAX_AGE_SECONDS:
                    del destination.alerts[key]
                    given_up.append(booked)
        if not destination.alerts:
            del self.destinations[url]
        self.revision += 1
        return given_up

    def next_due(self) -> float | None:
        """Return when the earliest retry is due, if any is."""
        dues = [d.due for d in self.destinations.values() if d.due is not None]
        return min(dues, default=None)

    def take_due(self, now: float) -> list[str]:
        """Return the URLs whose retry is due, no longer waiting (being tried)."""
        due = [
            url
            for url, d in self.destinations.items()
            if d.due is not None and d.due <= now
        ]
        for url in due:
            self.destinations[url].due = None
        return due

    def forget(self, configured: set[tuple[str, str]]) -> None:
        """Drop alerts whose (rule id, URL) is no longer configured.

        They are no longer re-sent, so Alertmanager ends them by itself.
        """
        dropped = False
        for url, destination in list(self.destinations.items()):
            for key, booked in list(destination.alerts.items()):
                if (booked.rule_id, url) not in configured:
                    del destination.alerts[key]
                    dropped = True
            if not destination.alerts:
                del self.destinations[url]
        if dropped:
            self.revision += 1

    def restore(self, saved: Mapping[str, list[BookedAlert]]) -> None:
        """Take the alerts saved before a restart (all pushed at the start)."""
        for url, alerts in saved.items():
            destination = self.destinations.setdefault(url, Destination())
            for booked in alerts:
                destination.alerts[booked.key] = booked
        self.revision += 1


def book_saved(book: AlertmanagerBook) -> dict[str, Any]:
    """Return every URL's alerts as JSON-ready data."""
    return {
        url: [
            {
                "target_id": b.alert.target_id,
                "name": b.alert.name,
                "kind": b.alert.kind,
                "severity": b.alert.severity,
                "tags": list(b.alert.tags),
                "summary": b.alert.summary,
                "error": b.alert.error,
                "starts_at": b.alert.starts_at,
                "ends_at": b.alert.ends_at,
                "site": b.site,
                "rule_id": b.rule_id,
                "changed": b.changed,
                "unsent": b.unsent,
            }
            for b in destination.alerts.values()
        ]
        for url, destination in book.destinations.items()
    }


def parse_book(data: Any) -> dict[str, list[BookedAlert]]:
    """Return the saved alerts by URL; TypeError/ValueError when malformed."""
    if not isinstance(data, Mapping):
        raise TypeError("alertmanager is not a mapping")
    book: dict[str, list[BookedAlert]] = {}
    for url, items in data.items():
        if not isinstance(items, list):
            raise TypeError("an Alertmanager's alerts are not a list")
        book[_text(url)] = [_booked(item) for item in items]
    return book


def _booked(item: Any) -> BookedAlert:
    if not isinstance(item, Mapping):
        raise TypeError("an alert is not a mapping")
    tags = item["tags"]
    if not isinstance(tags, list):
        raise TypeError("tags is not a list")
    ends_at = item["ends_at"]
    changed = item["changed"]
    unsent = item["unsent"]
    if isinstance(changed, bool) or not isinstance(changed, int | float):
        raise TypeError("changed is not a number")
    if not isinstance(unsent, bool):
        raise TypeError("unsent is not a boolean")
    alert = AlertInfo(
        target_id=_text(item["target_id"]),
        name=_text(item["name"]),
        kind=_text(item["kind"]),
        severity=_text(item["severity"]),
        tags=tuple(_text(tag) for tag in tags),
        summary=_text(item["summary"]),
        error=_text(item["error"]),
        starts_at=_text(item["starts_at"]),
        ends_at=None if ends_at is None else _text(ends_at),
    )
    return BookedAlert(
        alert, _text(item["site"]), _text(item["rule_id"]), float(changed), unsent
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not a string: {value!r}")
    return value
