"""Incidents, alert history, uptime and response-time windows, with retention."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import uuid

from .models import CheckResult, HistoryEvent, HistoryEventType, Incident, Target

HOUR = 3600
DAY = 86400
DEFAULT_RETENTION_DAYS = 90
DEFAULT_MAX_EVENTS = 10_000
UPTIME_WINDOWS = {"24h": 1, "7d": 7, "30d": 30}


@dataclass(slots=True)
class Bucket:
    """Check counts and response-time sums for one hour or one day."""

    start: int
    """Start of the bucket, in whole seconds since the epoch."""
    total: int = 0
    ok: int = 0
    rt_sum: float = 0.0
    rt_count: int = 0

    def add(self, result: CheckResult) -> None:
        """Count one result."""
        self.total += 1
        if result.success:
            self.ok += 1
        if result.response_time_ms is not None:
            self.rt_sum += result.response_time_ms
            self.rt_count += 1

    def as_list(self) -> list[float]:
        """Return a compact form for storage."""
        return [self.start, self.total, self.ok, round(self.rt_sum, 3), self.rt_count]

    @classmethod
    def from_list(cls, data: list[float]) -> Bucket:
        """Rebuild from ``as_list``."""
        start, total, ok, rt_sum, rt_count = data
        return cls(int(start), int(total), int(ok), float(rt_sum), int(rt_count))


@dataclass(slots=True)
class TargetStats:
    """Hourly buckets for the last day and daily buckets for the last 30 days."""

    hourly: deque[Bucket] = field(default_factory=lambda: deque(maxlen=25))
    daily: deque[Bucket] = field(default_factory=lambda: deque(maxlen=31))

    def add(self, result: CheckResult) -> None:
        """Count one result in its hour and its day."""
        ts = int(result.checked_at.timestamp())
        for buckets, size in ((self.hourly, HOUR), (self.daily, DAY)):
            start = ts - ts % size
            if not buckets or buckets[-1].start < start:
                buckets.append(Bucket(start))
            # A result older than the newest bucket (clock step) joins the newest.
            buckets[-1].add(result)

    def _window(self, now: datetime, days: int) -> tuple[int, int, float, int]:
        # One day is read from hourly buckets (the current hour and the 23
        # before it); longer windows from daily buckets.
        size, count, buckets = (
            (HOUR, 24, self.hourly) if days == 1 else (DAY, days, self.daily)
        )
        ts = int(now.timestamp())
        since = ts - ts % size - (count - 1) * size
        total = ok = rt_count = 0
        rt_sum = 0.0
        for bucket in buckets:
            if bucket.start >= since:
                total += bucket.total
                ok += bucket.ok
                rt_sum += bucket.rt_sum
                rt_count += bucket.rt_count
        return total, ok, rt_sum, rt_count

    def uptime(self, now: datetime, days: int) -> float | None:
        """Return the share of successful checks in percent, or None if none ran."""
        total, ok, _, _ = self._window(now, days)
        if not total:
            return None
        return round(100.0 * ok / total, 3)


class History:
    """Incidents, history events and per-target statistics."""

    def __init__(
        self,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        max_events: int = DEFAULT_MAX_EVENTS,
    ) -> None:
        """Start empty."""
        self.retention_days = retention_days
        self.max_events = max_events
        self.incidents: dict[str, Incident] = {}
        # Oldest first; readers page newest first.
        self.events: deque[HistoryEvent] = deque(maxlen=max_events)
        self.stats: dict[str, TargetStats] = {}

    # --- writing -------------------------------------------------------------

    def record_check(self, target_id: str, result: CheckResult) -> None:
        """Count a check result for uptime and response time."""
        stats = self.stats.get(target_id)
        if stats is None:
            stats = self.stats[target_id] = TargetStats()
        stats.add(result)

    def add_event(
        self,
        event_type: HistoryEventType,
        at: datetime,
        target: Target | None,
        message: str,
    ) -> HistoryEvent:
        """Append a history event."""
        event = HistoryEvent(
            id=uuid.uuid4().hex,
            type=event_type,
            at=at,
            target_id=target.id if target else None,
            target_name=target.name if target else None,
            message=message,
        )
        self.events.append(event)
        return event

    def open_incident(
        self, target: Target, at: datetime, failures: int, error: str | None
    ) -> Incident:
        """Start an incident for ``target``."""
        incident = Incident(
            id=uuid.uuid4().hex,
            target_id=target.id,
            target_name=target.name,
            started_at=at,
            first_error=error,
            last_error=error,
            failures=failures,
        )
        self.incidents[incident.id] = incident
        return incident

    def update_incident(self, incident_id: str, failures: int, error: str) -> None:
        """Count another failure in an open incident."""
        incident = self.incidents.get(incident_id)
        if incident is not None:
            incident.failures = max(incident.failures, failures)
            incident.last_error = error

    def acknowledge_incident(
        self, incident_id: str, by: str, at: datetime, note: str | None
    ) -> None:
        """Record who acknowledged an incident."""
        incident = self.incidents.get(incident_id)
        if incident is not None:
            incident.acknowledged_at = at
            incident.acknowledged_by = by
            incident.acknowledgement_note = note

    def close_incident(self, incident_id: str, at: datetime) -> Incident | None:
        """End an incident."""
        incident = self.incidents.get(incident_id)
        if incident is not None and incident.ended_at is None:
            incident.ended_at = at
        return incident

    def forget_target(self, target_id: str) -> None:
        """Drop a removed target's statistics (its incidents stay as history)."""
        self.stats.pop(target_id, None)

    def prune(self, now: datetime) -> None:
        """Apply the retention: drop what ended before the window."""
        cutoff = now - timedelta(days=self.retention_days)
        while self.events and self.events[0].at < cutoff:
            self.events.popleft()
        for incident_id, incident in list(self.incidents.items()):
            if incident.ended_at is not None and incident.ended_at < cutoff:
                del self.incidents[incident_id]
        if len(self.incidents) > self.max_events:
            closed = sorted(
                (i for i in self.incidents.values() if i.ended_at is not None),
                key=lambda i: i.started_at,
            )
            for incident in closed[: len(self.incidents) - self.max_events]:
                del self.incidents[incident.id]

    # --- reading -------------------------------------------------------------

    def page_events(
        self,
        limit: int,
        offset: int = 0,
        target_id: str | None = None,
        types: Iterable[HistoryEventType] | None = None,
    ) -> tuple[list[HistoryEvent], int]:
        """Return a page of events, newest first, and the total that matched."""
        wanted = set(types) if types is not None else None
        matched = [
            event
            for event in reversed(self.events)
            if (target_id is None or event.target_id == target_id)
            and (wanted is None or event.type in wanted)
        ]
        return matched[offset : offset + limit], len(matched)

    def incidents_between(
        self,
        start: datetime | None,
        end: datetime | None,
        target_id: str | None = None,
    ) -> list[Incident]:
        """Return incidents overlapping [start, end], newest first."""
        found = [
            incident
            for incident in self.incidents.values()
            if (target_id is None or incident.target_id == target_id)
            and (end is None or incident.started_at <= end)
            and (
                start is None or incident.ended_at is None or incident.ended_at >= start
            )
        ]
        found.sort(key=lambda i: i.started_at, reverse=True)
        return found

    def uptime(self, target_id: str, now: datetime, window: str) -> float | None:
        """Return uptime in percent over a window of ``UPTIME_WINDOWS``."""
        stats = self.stats.get(target_id)
        return stats.uptime(now, UPTIME_WINDOWS[window]) if stats else None
