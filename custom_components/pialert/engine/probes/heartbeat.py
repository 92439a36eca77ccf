"""Heartbeat targets: pushed pings instead of polled checks.

A heartbeat fails when no success arrived by its next expected time plus
``grace`` (``period`` after the last one, or the next time of its cron
``schedule``), when a failure was pushed, or when a start was not followed
by a finish within ``grace``. Each missed expected time counts as one failure.

Runs are timed from their start to their finish. A job may name each run
(``rid``) so that overlapping runs are timed separately; at most
``MAX_OPEN_RUNS`` named runs are kept open (the oldest is dropped first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
import secrets
from typing import Final

from ..cron import next_fire, zone_named
from ..models import CheckResult
from ..ping_log import PingLog, PingRecord
from ..settings import HeartbeatSettings
from ..timetext import TimeText, iso_seconds

__all__ = ["MAX_OPEN_RUNS", "HeartbeatSettings", "HeartbeatTracker", "new_token"]

MAX_OPEN_RUNS: Final = 16


def new_token() -> str:
    """Return an unguessable ping token (256 bits)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class Ping:
    """A pushed ping: what the job said, its run id and output."""

    signal: str
    at: datetime
    rid: str | None = None
    exit_code: int | None = None
    body: str = ""


@dataclass(slots=True)
class HeartbeatTracker:
    """When the last pings arrived, and from when the next one is awaited."""

    awaited_since: datetime
    last_ping: datetime | None = None
    # The open run without a run id.
    started_at: datetime | None = None
    # Open runs by run id, oldest first.
    runs: dict[str, datetime] = field(default_factory=dict)
    log: PingLog = field(default_factory=PingLog)
    # (since, schedule, zone) -> next expected ping: cron is not free.
    _expected: tuple[tuple[datetime, str, tzinfo], datetime | None] | None = field(
        default=None, repr=False, compare=False
    )

    def _finish_run(self, rid: str | None, now: datetime) -> float | None:
        """Close the run ``rid`` and return how long it ran in ms, if open."""
        started = self.runs.pop(rid, None) if rid else self.started_at
        if rid is None:
            self.started_at = None
        if started is None:
            return None
        return (now - started).total_seconds() * 1000

    def take(self, ping: Ping) -> CheckResult | None:
        """Record a ping; return the result it means (``log``, ``start``: none)."""
        duration = None
        result = None
        match ping.signal:
            case "start":
                self.start(ping.at, ping.rid)
            case "success":
                result = self.success(ping.at, ping.rid, ping.body or None)
                duration = result.response_time_ms
            case "fail":
                error = (
                    f"Job reported exit code {ping.exit_code}"
                    if ping.exit_code is not None
                    else "Job reported a failure"
                )
                result = self.failure(ping.at, error, ping.rid, ping.body or None)
                duration = result.response_time_ms
        self.log.add(
            PingRecord(
                ping.at, ping.signal, ping.rid, ping.exit_code, duration, ping.body
            )
        )
        return result

    def success(
        self, now: datetime, rid: str | None = None, output: str | None = None
    ) -> CheckResult:
        """Record a success ping; a start/finish pair measures the run time."""
        response_ms = self._finish_run(rid, now)
        self.last_ping = now
        self.awaited_since = now
        return CheckResult(
            success=True, checked_at=now, response_time_ms=response_ms, output=output
        )

    def start(self, now: datetime, rid: str | None = None) -> None:
        """Record that the job (or its run ``rid``) started."""
        if rid is None:
            self.started_at = now
            return
        self.runs.pop(rid, None)
        self.runs[rid] = now
        while len(self.runs) > MAX_OPEN_RUNS:
            del self.runs[next(iter(self.runs))]

    def failure(
        self,
        now: datetime,
        error: str,
        rid: str | None = None,
        output: str | None = None,
    ) -> CheckResult:
        """Record a pushed failure; a started run is timed as a finished one."""
        response_ms = self._finish_run(rid, now)
        self.awaited_since = now
        return CheckResult(
            success=False,
            checked_at=now,
            error=error,
            response_time_ms=response_ms,
            output=output,
        )

    def _oldest_open_run(self) -> tuple[str | None, datetime] | None:
        open_runs: list[tuple[str | None, datetime]] = list(self.runs.items())
        if self.started_at is not None:
            open_runs.append((None, self.started_at))
        return min(open_runs, key=lambda run: run[1], default=None)

    def expected_at(
        self, settings: HeartbeatSettings, home_zone: tzinfo = UTC
    ) -> datetime | None:
        """Return when the next ping is due (None: a schedule that never fires)."""
        if settings.schedule is None:
            return self.awaited_since + timedelta(seconds=settings.period)
        zone = (settings.time_zone and zone_named(settings.time_zone)) or home_zone
        key = (self.awaited_since, settings.schedule, zone)
        if self._expected is None or self._expected[0] != key:
            fire = next_fire(settings.schedule, self.awaited_since, zone)
            self._expected = (key, fire)
        return self._expected[1]

    def overdue(
        self,
        settings: HeartbeatSettings,
        now: datetime,
        describe_time: TimeText = iso_seconds,
        home_zone: tzinfo = UTC,
    ) -> CheckResult | None:
        """Return a failure when a deadline has passed, else None.

        ``describe_time(moment, now)`` writes the times in the error text;
        ``home_zone`` is a schedule's zone when it names none.
        """
        grace = timedelta(seconds=settings.grace)
        run = self._oldest_open_run()
        if run is not None and now >= run[1] + grace:
            rid, started = run
            self._finish_run(rid, now)
            self.awaited_since = now - grace
            named = f"Run {rid} started" if rid else "Started"
            return CheckResult(
                success=False,
                checked_at=now,
                error=f"{named} at {describe_time(started, now)} "
                f"but did not finish within {settings.grace} s",
            )
        expected = self.expected_at(settings, home_zone)
        if expected is not None and now >= expected + grace:
            # The next miss is counted from here: one period (or fire) later.
            self.awaited_since = now - grace
            since = describe_time(self.last_ping, now) if self.last_ping else None
            return CheckResult(
                success=False,
                checked_at=now,
                error=f"No ping since {since}" if since else "No ping received yet",
                output=self.log.last_output(),
            )
        return None

    def next_deadline(
        self, settings: HeartbeatSettings, home_zone: tzinfo = UTC
    ) -> datetime | None:
        """Return when ``overdue`` will next report a failure."""
        grace = timedelta(seconds=settings.grace)
        expected = self.expected_at(settings, home_zone)
        deadlines = [] if expected is None else [expected + grace]
        if (run := self._oldest_open_run()) is not None:
            deadlines.append(run[1] + grace)
        return min(deadlines, default=None)
