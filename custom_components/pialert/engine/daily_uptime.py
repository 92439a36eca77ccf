"""Uptime per day for a year: two counters per target and local day.

Each target keeps ``DAYS_KEPT`` (365) days of (ok, total) check counts in one
array of uint16 pairs (1,460 bytes), a ring indexed by the day's ordinal, so
7-day to 1-year uptime is a sum over at most 365 numbers and never reads raw
checks. Days are local days of a time zone the owner sets (Home Assistant's).
A day counts up to 65,535 checks; past that its two counts are halved, which
keeps its share of successes.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from .count_ring import MAX_COUNT, CountRing
from .saved_values import as_count, as_list, as_mapping, invalid

DAYS_KEPT = 365
SHORT_DAYS = 90
"""The other window kept as a running sum (the year is the first)."""
# The windows of more than a day, in days (24 h comes from hourly buckets).
DAY_WINDOWS: Mapping[str, int] = {
    "7d": 7,
    "30d": 30,
    "90d": SHORT_DAYS,
    "1y": DAYS_KEPT,
}


@dataclass(frozen=True, slots=True)
class DayBar:
    """One local day of a target, as status bars show it."""

    day: date
    ok: int
    total: int

    @property
    def uptime(self) -> float | None:
        """Return the share of successful checks in percent, None without checks."""
        return round(100.0 * self.ok / self.total, 3) if self.total else None


class DayCounts(CountRing):
    """One target's (ok, total) counts for its last ``DAYS_KEPT`` local days.

    Units are the days' ordinals (``last`` is the newest day counted).
    """

    __slots__ = ("_sums",)
    size = DAYS_KEPT

    def __init__(self) -> None:
        """Start with no checks."""
        super().__init__()
        # Running (ok, total) of the SHORT_DAYS and DAYS_KEPT days ending with
        # ``last``: the two long windows cost O(1) to read.
        self._sums = array("I", [0]) * 4

    def _change(self, unit: int, ok: int, total: int) -> None:
        sums = self._sums
        if unit > self.last - SHORT_DAYS:
            sums[0] += ok
            sums[1] += total
        sums[2] += ok
        sums[3] += total

    def advance(self, unit: int) -> None:
        """Make ``unit`` the newest day: days in between had no checks."""
        last, counts, sums = self.last, self._counts, self._sums
        if last == 0 or unit - last >= DAYS_KEPT:
            sums[:] = array("I", [0]) * 4
        else:
            for new in range(last + 1, unit + 1):
                # The day leaving the short window, and the year's slot reused.
                i = 2 * ((new - SHORT_DAYS) % DAYS_KEPT)
                sums[0] -= counts[i]
                sums[1] -= counts[i + 1]
                j = 2 * (new % DAYS_KEPT)
                sums[2] -= counts[j]
                sums[3] -= counts[j + 1]
                # Cleared now: a later day's short window may reach this one.
                counts[j] = counts[j + 1] = 0
        super().advance(unit)

    def window(self, end: int, units: int) -> tuple[int, int]:
        """Return summed (ok, total) of the ``units`` days ending with ``end``."""
        if end == self.last and units in (SHORT_DAYS, DAYS_KEPT):
            at = 0 if units == SHORT_DAYS else 2
            return self._sums[at], self._sums[at + 1]
        return super().window(end, units)

    def copy(self) -> DayCounts:
        """Return an independent copy (array copies: cheap on the event loop)."""
        twin = DayCounts.__new__(DayCounts)
        twin._counts, twin._sums, twin.last = self._counts[:], self._sums[:], self.last
        return twin

    def dump(self) -> list[int]:
        """Return [last day, days, ok, total, ok, total, ...], oldest day first.

        Leading days without checks are left out. Slices, not a Python loop:
        this runs on the event loop for every target at each save.
        """
        oldest = 2 * ((self.last + 1) % DAYS_KEPT)
        ordered = (self._counts[oldest:] + self._counts[:oldest]).tobytes()
        # A day without checks is 4 zero bytes.
        empty = (len(ordered) - len(ordered.lstrip(b"\0"))) // 4
        kept = self._counts[:0]
        kept.frombytes(ordered[4 * empty :])
        return [self.last, len(kept) // 2, *kept.tolist()]

    @classmethod
    def parse(cls, data: Any, where: str) -> DayCounts:
        """Rebuild from ``dump``; raise SavedStateError naming ``where``."""
        values = as_list(data, where)
        if len(values) < 2 or len(values) != 2 + 2 * values[1]:
            raise invalid(where, "[last_day, days, ok, total, ...]", values)
        numbers = [as_count(v, f"{where}[{i}]") for i, v in enumerate(values)]
        last_day, days = numbers[0], numbers[1]
        if days > DAYS_KEPT or (days and last_day < days):
            raise invalid(where, f"at most {DAYS_KEPT} days", days)
        counts = cls()
        counts.last = last_day
        for n in range(days):
            ok, total = numbers[2 + 2 * n], numbers[3 + 2 * n]
            if not ok <= total <= MAX_COUNT:
                raise invalid(f"{where}[{2 + 2 * n}]", "ok <= total <= 65535", ok)
            day = last_day - days + 1 + n
            i = 2 * (day % DAYS_KEPT)
            counts._counts[i], counts._counts[i + 1] = ok, total
            counts._change(day, ok, total)
        return counts


class DailyUptime:
    """Daily counters of every target, in local days of ``time_zone()``."""

    def __init__(self, time_zone: Callable[[], tzinfo] = lambda: UTC) -> None:
        """Count in local days of ``time_zone()`` (asked again when it may change)."""
        self.time_zone = time_zone
        self.targets: dict[str, DayCounts] = {}
        # The local day last looked up: most results fall into it.
        self._zone: tzinfo | None = None
        self._day_span = (0.0, 0.0)
        self._day = 0

    def day_of(self, at: datetime) -> int:
        """Return the ordinal of ``at``'s local date."""
        zone = self.time_zone()
        ts = at.timestamp()
        begin, end = self._day_span
        if zone is self._zone and begin <= ts < end:
            return self._day
        local = datetime.fromtimestamp(ts, zone).date()
        start = datetime.combine(local, time(), zone).timestamp()
        next_start = datetime.combine(local + timedelta(days=1), time(), zone)
        self._zone, self._day = zone, local.toordinal()
        self._day_span = (start, next_start.timestamp())
        return self._day

    def record(self, target_id: str, at: datetime, ok: bool) -> None:
        """Count one check of ``target_id`` at ``at``."""
        counts = self.targets.get(target_id)
        if counts is None:
            counts = self.targets[target_id] = DayCounts()
        counts.add(self.day_of(at), ok)

    def forget(self, target_id: str) -> None:
        """Drop a removed target's counters."""
        self.targets.pop(target_id, None)

    def uptime(self, target_id: str, now: datetime, days: int) -> float | None:
        """Return uptime in percent over the ``days`` local days ending today."""
        return self.uptimes(target_id, now, days)[0]

    def uptimes(
        self, target_id: str, now: datetime, *windows: int
    ) -> tuple[float | None, ...]:
        """Return ``uptime`` over each of ``windows`` (days), the day found once.

        A view carries the 90-day and the year's uptime after every check.
        """
        counts = self.targets.get(target_id)
        if counts is None:
            return (None,) * len(windows)
        today = self.day_of(now)
        if today > counts.last > 0:
            # No checks yet today: moving on keeps the long windows O(1).
            counts.advance(today)
        return tuple(_percent(*counts.window(today, days)) for days in windows)

    def bars(self, target_id: str, now: datetime, days: int = 90) -> list[DayBar]:
        """Return the last ``days`` local days (at most 365), oldest first."""
        counts = self.targets.get(target_id) or DayCounts()
        today = self.day_of(now)
        days = min(days, DAYS_KEPT)
        return [
            DayBar(date.fromordinal(day), *counts.get(day))
            for day in range(today - days + 1, today + 1)
        ]

    def dump(self) -> dict[str, list[int]]:
        """Return every target's counters as JSON-safe data."""
        return {target_id: c.dump() for target_id, c in self.targets.items()}


def parse_daily_uptime(data: Any, where: str = "days") -> dict[str, DayCounts]:
    """Check saved counters (``DailyUptime.dump``); raise SavedStateError."""
    return {
        target_id: DayCounts.parse(item, f"{where}.{target_id}")
        for target_id, item in as_mapping(data, where).items()
    }


def _percent(ok: int, total: int) -> float | None:
    """Return ok in percent of total (None without checks)."""
    return round(100.0 * ok / total, 3) if total else None
