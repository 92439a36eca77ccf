"""Heartbeat targets: pushed pings instead of polled checks.

A heartbeat fails when no success arrived within ``period + grace``, when a
failure was pushed, or when a start was not followed by a finish within
``grace``. Each missed period counts as one failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import secrets

from ..models import CheckResult
from ..settings import HeartbeatSettings
from ..timetext import TimeText, iso_seconds

__all__ = ["HeartbeatSettings", "HeartbeatTracker", "new_token"]


def new_token() -> str:
    """Return an unguessable ping token (256 bits)."""
    return secrets.token_urlsafe(32)


@dataclass(slots=True)
class HeartbeatTracker:
    """When the last pings arrived, and from when the next one is awaited."""

    awaited_since: datetime
    last_ping: datetime | None = None
    started_at: datetime | None = None

    def success(self, now: datetime) -> CheckResult:
        """Record a success ping."""
        response_ms = None
        if self.started_at is not None:
            # A start/finish pair measures how long the job ran.
            response_ms = (now - self.started_at).total_seconds() * 1000
        self.last_ping = now
        self.started_at = None
        self.awaited_since = now
        return CheckResult(success=True, checked_at=now, response_time_ms=response_ms)

    def start(self, now: datetime) -> None:
        """Record that the job started."""
        self.started_at = now

    def failure(self, now: datetime, error: str) -> CheckResult:
        """Record a pushed failure."""
        self.started_at = None
        self.awaited_since = now
        return CheckResult(success=False, checked_at=now, error=error)

    def overdue(
        self,
        settings: HeartbeatSettings,
        now: datetime,
        describe_time: TimeText = iso_seconds,
    ) -> CheckResult | None:
        """Return a failure when a deadline has passed, else None.

        ``describe_time(moment, now)`` writes the times in the error text.
        """
        grace = timedelta(seconds=settings.grace)
        if self.started_at is not None and now >= self.started_at + grace:
            started = self.started_at
            self.started_at = None
            self.awaited_since = now - grace
            return CheckResult(
                success=False,
                checked_at=now,
                error=f"Started at {describe_time(started, now)} "
                f"but did not finish within {settings.grace} s",
            )
        period = timedelta(seconds=settings.period)
        if now >= self.awaited_since + period + grace:
            # The next miss is counted one period later.
            self.awaited_since = now - grace
            since = describe_time(self.last_ping, now) if self.last_ping else None
            return CheckResult(
                success=False,
                checked_at=now,
                error=f"No ping since {since}" if since else "No ping received yet",
            )
        return None

    def next_deadline(self, settings: HeartbeatSettings) -> datetime:
        """Return when ``overdue`` will next report a failure."""
        grace = timedelta(seconds=settings.grace)
        deadline = self.awaited_since + timedelta(seconds=settings.period) + grace
        if self.started_at is not None:
            deadline = min(deadline, self.started_at + grace)
        return deadline
