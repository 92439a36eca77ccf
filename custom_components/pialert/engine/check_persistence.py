"""Saving and restoring the check log and the daily uptime counters.

They are saved in the state file under their own keys (``checks``, ``days``);
a file from before they existed restores the days it has from the older
per-UTC-day buckets of ``stats``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .check_log import CheckRing, parse_check_log
from .daily_uptime import DayCounts, parse_daily_uptime
from .history import Bucket, History

SECTIONS = frozenset({"checks", "days"})


@dataclass(slots=True)
class SavedChecks:
    """Check rings and day counters, checked, not yet applied."""

    rings: dict[str, CheckRing] = field(default_factory=dict)
    days: dict[str, DayCounts] = field(default_factory=dict)


def dump_checks(history: History) -> dict[str, Any]:
    """Return the check log and day counters as JSON-safe sections."""
    return {"checks": history.checks.dump(), "days": history.days.dump()}


def copy_checks(history: History) -> Callable[[], dict[str, Any]]:
    """Copy the check log and day counters; return what dumps the copy.

    Copying is a few array copies per target; turning them into JSON-safe
    lists (about 200,000 numbers for 1,000 targets) is what costs, and the
    returned function may do it in another thread.
    """
    rings = {tid: ring.copy() for tid, ring in history.checks.rings.items()}
    days = {tid: counts.copy() for tid, counts in history.days.targets.items()}
    return lambda: {
        "checks": {tid: ring.dump() for tid, ring in rings.items()},
        "days": {tid: counts.dump() for tid, counts in days.items()},
    }


def parse_checks(data: Any, old_daily: dict[str, list[Bucket]]) -> SavedChecks:
    """Check the saved sections (``data`` is the checked state object).

    ``old_daily`` are the UTC-day buckets of ``stats`` in older files: used
    when the file has no ``days``.
    """
    days = data.get("days")
    return SavedChecks(
        rings=parse_check_log(data.get("checks", {})),
        days={tid: days_from_buckets(b) for tid, b in old_daily.items()}
        if days is None
        else parse_daily_uptime(days),
    )


def days_from_buckets(buckets: list[Bucket]) -> DayCounts:
    """Return day counters from the older UTC-day buckets."""
    counts = DayCounts()
    for bucket in buckets:
        day = datetime.fromtimestamp(bucket.start, UTC).date().toordinal()
        counts.add(day, True, bucket.ok)
        counts.add(day, False, bucket.total - bucket.ok)
    return counts


def apply_checks(history: History, saved: SavedChecks, target_ids: Any) -> None:
    """Load what was saved for the targets that still exist."""
    history.checks.restore(
        {tid: ring for tid, ring in saved.rings.items() if tid in target_ids}
    )
    history.days.targets.update(
        {tid: counts for tid, counts in saved.days.items() if tid in target_ids}
    )
