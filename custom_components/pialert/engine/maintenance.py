"""Recurring maintenance windows: "the NAS reboots Sundays 03:00-03:30".

A window recurs weekly (days and a time range) or on a cron schedule (with a
duration), in a time zone, for targets, tags or everything. While one of its
occurrences runs it mutes its targets exactly as a silence does: the monitor
hands the running occurrence to the silence rules as a ``Silence``.

A weekly window is kept as the cron expression it amounts to, so both kinds
follow the same daylight-saving rules (``cronsim``'s, as Debian cron's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Final
import uuid

from .cron import is_cron, is_time_zone, next_fire, zone_named
from .errors import RefusedError
from .models import Silence, SilenceState, Target
from .silences import refuse_bad_scope

DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# cron numbers days from Sunday (0); DAYS from Monday.
_CRON_DAY: Final = {day: (index + 1) % 7 for index, day in enumerate(DAYS)}
MAX_DURATION: Final = timedelta(days=7)
MAX_WINDOWS: Final = 200


@dataclass(frozen=True, slots=True)
class WindowRequest:
    """What someone asks for, before the rules are applied."""

    name: str
    time_zone: str
    days: tuple[str, ...] = ()
    start_time: time | None = None
    end_time: time | None = None
    cron: str | None = None
    duration: timedelta | None = None
    target_ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    everything: bool = False
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    """A recurring window; ``cron`` and ``duration`` say when it runs."""

    id: str
    name: str
    time_zone: str
    cron: str
    duration: timedelta
    created_by: str
    created_at: datetime
    days: tuple[str, ...] = ()
    """Weekly windows: the days and times given (shown as given)."""
    start_time: time | None = None
    end_time: time | None = None
    target_ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    until: datetime | None = None

    @property
    def weekly(self) -> bool:
        """Return whether the window was given as days and times."""
        return bool(self.days)

    def occurrence(self, now: datetime) -> tuple[datetime, datetime] | None:
        """Return the running occurrence, else the next one; None when over."""
        if self.until is not None and now >= self.until:
            return None
        zone = zone_named(self.time_zone)
        if zone is None:
            return None
        # The first start after now - duration has not ended by now.
        start = next_fire(self.cron, now - self.duration, zone)
        if start is None or (self.until is not None and start >= self.until):
            return None
        return start, start + self.duration

    def state(self, now: datetime) -> SilenceState:
        """Return pending (between occurrences), active or expired."""
        span = self.occurrence(now)
        if span is None:
            return SilenceState.EXPIRED
        return SilenceState.ACTIVE if span[0] <= now else SilenceState.SCHEDULED

    def as_silence(self, starts_at: datetime, ends_at: datetime) -> Silence:
        """Return one occurrence as the silence it amounts to."""
        return Silence(
            id=self.id,
            starts_at=starts_at,
            ends_at=ends_at,
            created_by=self.created_by,
            comment=self.name,
            target_ids=self.target_ids,
            tags=self.tags,
            created_at=self.created_at,
        )


@dataclass(slots=True)
class MaintenanceWindows:
    """The hub's windows, and which occurrences run (cached until they change)."""

    windows: dict[str, MaintenanceWindow] = field(default_factory=dict)
    _cache: tuple[datetime, list[Silence]] | None = None
    _valid_from: datetime | None = None

    def active(self, now: datetime) -> list[Silence]:
        """Return the running occurrences as silences.

        The monitor asks on every result: the answer is kept until the
        earliest start or end among the windows, so most calls cost nothing.
        """
        cache = self._cache
        if (
            cache is not None
            and self._valid_from is not None
            and self._valid_from <= now < cache[0]
        ):
            return cache[1]
        running: list[Silence] = []
        next_change = now + MAX_DURATION
        for window in self.windows.values():
            span = window.occurrence(now)
            if span is None:
                continue
            start, end = span
            if start <= now:
                running.append(window.as_silence(start, end))
                next_change = min(next_change, end)
            else:
                next_change = min(next_change, start)
        self._cache, self._valid_from = (next_change, running), now
        return running

    def next_change(self, now: datetime) -> datetime | None:
        """Return when a window next starts or ends (for the coordinator's tick)."""
        self.active(now)
        return None if self._cache is None else self._cache[0]

    def add(self, window: MaintenanceWindow) -> None:
        """Add (or put back) a window."""
        self.windows[window.id] = window
        self._cache = None

    def remove(self, window_id: str) -> MaintenanceWindow:
        """Remove a window; refuse an unknown id."""
        window = self.windows.pop(window_id, None)
        if window is None:
            raise RefusedError("unknown_maintenance_window", window=window_id)
        self._cache = None
        return window


def next_mute_edge(
    silences: Iterable[Silence], windows: MaintenanceWindows, now: datetime
) -> datetime | None:
    """Return when a silence or maintenance window next starts or ends.

    The coordinator wakes then, so muting starts and ends on the second.
    """
    edges = [e for s in silences for e in (s.starts_at, s.ends_at) if e > now]
    if (change := windows.next_change(now)) is not None and change > now:
        edges.append(change)
    return min(edges, default=None)


def replan_window(
    old: MaintenanceWindow,
    request: WindowRequest,
    targets: Mapping[str, Target],
    windows: Mapping[str, MaintenanceWindow],
    now: datetime,
) -> MaintenanceWindow:
    """Return ``old`` changed as ``request`` describes (same id and creator)."""
    others = {key: window for key, window in windows.items() if key != old.id}
    planned = plan_window(request, targets, others, old.created_by, now)
    return replace(planned, id=old.id, created_at=old.created_at)


def _weekly_cron(days: Iterable[str], start: time) -> str:
    numbers = sorted({_CRON_DAY[day] for day in days})
    return f"{start.minute} {start.hour} * * {','.join(map(str, numbers))}"


def plan_window(
    request: WindowRequest,
    targets: Mapping[str, Target],
    windows: Mapping[str, MaintenanceWindow],
    created_by: str,
    now: datetime,
) -> MaintenanceWindow:
    """Return the window ``request`` describes, or raise RefusedError."""
    name = request.name.strip()
    if not name or len(name) > 100:
        raise RefusedError("invalid_window_name")
    if len(windows) >= MAX_WINDOWS:
        raise RefusedError("too_many_windows", limit=str(MAX_WINDOWS))
    refuse_bad_scope(request.everything, request.target_ids, request.tags, targets)
    if not is_time_zone(request.time_zone):
        raise RefusedError("invalid_time_zone", zone=request.time_zone)
    weekly = bool(request.days or request.start_time or request.end_time)
    if weekly == (request.cron is not None):
        raise RefusedError("window_needs_schedule")
    if weekly:
        cron, duration = _weekly(request)
    else:
        cron = " ".join(str(request.cron).split())
        if not is_cron(cron):
            raise RefusedError("invalid_cron", cron=cron)
        duration = request.duration or timedelta()
        if not timedelta(minutes=1) <= duration <= MAX_DURATION:
            raise RefusedError("invalid_window_duration")
    if request.until is not None and request.until <= now:
        raise RefusedError("window_until_past")
    return MaintenanceWindow(
        id=uuid.uuid4().hex,
        name=name,
        time_zone=request.time_zone,
        cron=cron,
        duration=duration,
        created_by=created_by,
        created_at=now,
        days=tuple(d for d in DAYS if d in request.days) if weekly else (),
        start_time=request.start_time,
        end_time=request.end_time,
        target_ids=request.target_ids,
        tags=request.tags,
        until=request.until,
    )


def _weekly(request: WindowRequest) -> tuple[str, timedelta]:
    """Return the cron expression and duration of a weekly request."""
    start, end = request.start_time, request.end_time
    if not request.days or start is None or end is None:
        raise RefusedError("weekly_needs_days_and_times")
    if unknown := sorted(set(request.days) - set(DAYS)):
        raise RefusedError("invalid_days", days=", ".join(unknown))
    day = datetime(2000, 1, 1)
    duration = datetime.combine(day, end) - datetime.combine(day, start)
    if not duration:
        raise RefusedError("window_empty_range")
    if duration < timedelta():  # 23:00-01:00 ends the next day
        duration += timedelta(days=1)
    if start.second or end.second:
        raise RefusedError("weekly_needs_days_and_times")
    return _weekly_cron(request.days, start), duration
