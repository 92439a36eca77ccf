"""Cron schedules of heartbeats: when the next ping is due, in a time zone.

Uses ``cronsim`` (Healthchecks' own cron simulator, shipped with Home
Assistant), which follows Debian cron across daylight saving changes: a job
at a time that does not exist that day runs when the clock jumps past it,
and a time that happens twice runs once.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError

CRON_FIELDS: Final = 5
# Any instant works: a cron expression that fires once fires every year.
_PROBE_START: Final = datetime(2026, 1, 1, tzinfo=UTC)


def is_cron(expression: str) -> bool:
    """Return whether ``expression`` is a 5-field cron expression that fires."""
    if len(expression.split()) != CRON_FIELDS:
        return False
    try:
        next(CronSim(expression, _PROBE_START))
    except CronSimError, StopIteration:
        return False
    return True


@cache
def zone_named(name: str) -> tzinfo | None:
    """Return the IANA time zone ``name`` (cached, as Home Assistant's own)."""
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError, ValueError:
        return None


def is_time_zone(name: str) -> bool:
    """Return whether ``name`` is a known IANA time zone, e.g. Europe/Berlin."""
    return zone_named(name) is not None


def next_fire(expression: str, after: datetime, zone: tzinfo) -> datetime | None:
    """Return when the schedule next fires strictly after ``after``, in UTC.

    None when it never fires again (no match in 50 years).
    """
    try:
        fire = next(CronSim(expression, after.astimezone(zone)))
    except CronSimError, StopIteration:
        return None
    return fire.astimezone(UTC)
