"""What every authenticated request does, kept small: limiter, cache, timestamp."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from custom_components.pialert.api.limits import WindowLimiter
from custom_components.pialert.api.state import SnapshotCache
from custom_components.pialert.api.status import format_timestamp


class CountingClock:
    """A fixed monotonic clock that counts how often it is read."""

    def __init__(self) -> None:
        """Start at an arbitrary point, unread."""
        self.now = 1000.0
        self.reads = 0

    def __call__(self) -> float:
        """Return the time, counting the read."""
        self.reads += 1
        return self.now


def test_asking_a_limiter_with_nothing_counted_costs_no_clock_read() -> None:
    """The failed-auth limiter is asked on every request; usually it is empty."""
    clock = CountingClock()
    limiter = WindowLimiter(clock=clock)
    for _ in range(100):
        assert limiter.retry_after("127.0.0.1", 10) is None
    assert clock.reads == 0
    # Once something is counted, it looks (and expires windows) as before.
    assert limiter.hit("127.0.0.1", 1) is None
    assert limiter.retry_after("127.0.0.1", 1) == 60
    assert clock.reads == 2
    clock.now += 60
    assert limiter.retry_after("127.0.0.1", 1) is None
    assert len(limiter) == 0


def test_snapshot_cache_compares_inputs_by_identity() -> None:
    """The same input objects reuse the value; equal but new ones rebuild it."""
    cache: SnapshotCache[str] = SnapshotCache()
    now = datetime(2026, 11, 26, tzinfo=UTC)
    first, again = ["snapshot"], ["snapshot"]
    assert cache.get((first,), now, lambda: "built 1") == "built 1"
    assert cache.get((first,), now, lambda: "built 2") == "built 1"
    assert cache.get((again,), now, lambda: "built 3") == "built 3"
    assert cache.get((again, first), now, lambda: "built 4") == "built 4"
    assert cache.get((again, first), now, lambda: "built 5") == "built 4"


def test_timestamp_is_utc_with_microseconds_whatever_the_zone() -> None:
    """A UTC time is written as it is; another zone's is converted first."""
    utc = datetime(2026, 11, 26, 6, 0, 0, 5, tzinfo=UTC)
    assert format_timestamp(utc) == "2026-11-26T06:00:00.000005+00:00"
    berlin = utc.astimezone(timezone(timedelta(hours=1)))
    assert format_timestamp(berlin) == "2026-11-26T06:00:00.000005+00:00"
    assert format_timestamp(utc.replace(microsecond=0)).endswith(":00.000000+00:00")
