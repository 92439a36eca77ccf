"""Per-day check counts of a target, for a status page's bars and uptimes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .history import History

BAR_DAYS = 90


@dataclass(frozen=True, slots=True)
class DayCount:
    """Checks of one UTC day."""

    day: date
    total: int
    ok: int

    @property
    def uptime(self) -> float | None:
        """Return the day's share of successful checks in percent."""
        return round(100.0 * self.ok / self.total, 3) if self.total else None


def daily_counts(
    history: History, target_id: str, now: datetime, days: int = BAR_DAYS
) -> list[DayCount]:
    """Return ``days`` days of counts, oldest first, ending today.

    Local days of the history's time zone (Home Assistant's), from its daily
    counters (daily_uptime.py, a year kept). Days without checks count zero.
    """
    return [
        DayCount(bar.day, bar.total, bar.ok)
        for bar in history.days.bars(target_id, now, days)
    ]


def uptime_over(counts: list[DayCount], days: int) -> float | None:
    """Return the uptime of the last ``days`` days of ``counts``."""
    window = counts[-days:]
    total = sum(count.total for count in window)
    ok = sum(count.ok for count in window)
    return round(100.0 * ok / total, 3) if total else None
