"""Incidents, alert history, uptime and response-time windows, with retention."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict
import uuid

from .check_log import CheckLog
from .count_ring import CountRing
from .daily_uptime import DAY_WINDOWS, DailyUptime
from .models import CheckResult, HistoryEvent, HistoryEventType, Incident, Target

HOUR = 3600
DAY = 86400
DEFAULT_RETENTION_DAYS = 90
DEFAULT_MAX_EVENTS = 10_000
HOURS_KEPT = 25
# 24 h is read from hourly buckets, longer windows from the daily counters.
UPTIME_WINDOWS = {"24h": 1, **DAY_WINDOWS}


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


class TargetStats(CountRing):
    """Check counts per hour for the last 25 hours (the rolling 24 h uptime).

    Units are hours since the epoch. Longer windows are the daily counters'.
    """

    __slots__ = ()
    size = HOURS_KEPT

    def record(self, result: CheckResult) -> None:
        """Count one result in its hour."""
        self.add(int(result.checked_at.timestamp()) // HOUR, result.success)

    def uptime(self, now: datetime, days: int = 1) -> float | None:
        """Return the share of successful checks in percent over the last 24 h."""
        if days != 1:
            raise ValueError("hourly counts hold one day")
        ok, total = self.window(int(now.timestamp()) // HOUR, 24)
        if not total:
            return None
        return round(100.0 * ok / total, 3)

    @property
    def hourly(self) -> list[Bucket]:
        """Return the hours with checks as buckets, oldest first (for saving)."""
        return [
            Bucket(hour * HOUR, total, ok)
            for hour in range(self.last - self.size + 1, self.last + 1)
            for ok, total in (self.get(hour),)
            if total
        ]

    @classmethod
    def from_buckets(cls, buckets: Iterable[Bucket]) -> TargetStats:
        """Rebuild from saved hourly buckets."""
        stats = cls()
        for bucket in buckets:
            hour = bucket.start // HOUR
            stats.add(hour, True, bucket.ok)
            stats.add(hour, False, bucket.total - bucket.ok)
        return stats


class ViewUptimes(TypedDict):
    """The uptime figures a target's view (and its sensors) carries."""

    uptime_24h: float | None
    uptime_90d: float | None
    uptime_1y: float | None


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
        self.checks = CheckLog()
        """The last checks of each target (check_log.py)."""
        self.days = DailyUptime()
        """Counts per local day for a year (daily_uptime.py)."""

    # --- writing -------------------------------------------------------------

    def record_check(self, target_id: str, result: CheckResult) -> None:
        """Count a check result for uptime and response time."""
        stats = self.stats.get(target_id)
        if stats is None:
            stats = self.stats[target_id] = TargetStats()
        stats.record(result)
        self.checks.record(target_id, result)
        self.days.record(target_id, result.checked_at, result.success)

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
        self.checks.forget(target_id)
        self.days.forget(target_id)

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

    def view_uptimes(self, target_id: str, now: datetime) -> ViewUptimes:
        """Return the uptime figures of a target's view."""
        stats = self.stats.get(target_id)
        short, year = self.days.uptimes(
            target_id, now, DAY_WINDOWS["90d"], DAY_WINDOWS["1y"]
        )
        return {
            "uptime_24h": stats.uptime(now) if stats else None,
            "uptime_90d": short,
            "uptime_1y": year,
        }

    def uptime(self, target_id: str, now: datetime, window: str) -> float | None:
        """Return uptime in percent over a window of ``UPTIME_WINDOWS``."""
        days = UPTIME_WINDOWS[window]
        if days > 1:
            return self.days.uptime(target_id, now, days)
        stats = self.stats.get(target_id)
        return stats.uptime(now, days) if stats else None
