"""What every authenticated request does, kept small: limiter, cache, timestamp."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from homeassistant.helpers.json import json_bytes
import pytest

from custom_components.pialert.api import (
    limits as limits_module,
    status_body,
)
from custom_components.pialert.api.limits import WindowLimiter
from custom_components.pialert.api.state import SnapshotCache
from custom_components.pialert.api.status_body import StatusBody
from custom_components.pialert.engine.state import FailingTarget, Snapshot


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


class CountedWindow:
    """A limiter window that counts how often its start is read."""

    reads = 0

    def __init__(self, started: float, count: int) -> None:
        """Open the window."""
        self._started = started
        self.count = count

    @property
    def started(self) -> float:
        """Return the start, counting the read."""
        CountedWindow.reads += 1
        return self._started


def test_limiter_work_per_request_does_not_grow_with_tracked_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With 10,000 names in open windows, a request looks at one or two windows."""
    monkeypatch.setattr(limits_module, "_Window", CountedWindow)
    clock = CountingClock()
    limiter = WindowLimiter(max_names=20_000, clock=clock)
    names = [f"key-{n}" for n in range(10_000)]
    for name in names:
        assert limiter.hit(name, 1_000) is None
    clock.now += 30
    for name in names[::100]:
        CountedWindow.reads = 0
        assert limiter.hit(name, 1_000) is None
        assert limiter.retry_after(name, 1_000) is None
        assert CountedWindow.reads <= 3
    assert len(limiter) == 10_000
    # The window of the key just used is counted; others are untouched.
    assert limiter.hit(names[0], 2) == 30
    assert limiter.retry_after(names[1], 1) == 30


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


def full_body(snapshot: Snapshot, now: datetime) -> bytes:
    """Return the body as Home Assistant's encoder writes it, all at once."""
    utc = now.astimezone(UTC)
    return json_bytes(
        {
            **status_body.snapshot_fields(snapshot),
            "timestamp": utc.isoformat(timespec="microseconds"),
        }
    )


FAILING = Snapshot(
    failing=(
        FailingTarget('Web "front"', 3, 3),
        FailingTarget("Caf\u00e9 DB", 1, 1, "unreachable"),
    )
)


def test_status_body_is_the_encoder_s_body_at_every_instant() -> None:
    """Any zone, microsecond 0 or 999999, a second's edge, a clock set back."""
    body = StatusBody()
    start = datetime(2026, 11, 26, 5, 59, 59, 999_998, tzinfo=UTC)
    instants = [start + timedelta(microseconds=n) for n in range(4)]
    instants += [
        datetime(2026, 11, 26, 6, 0, 0, 5, tzinfo=UTC).astimezone(
            timezone(timedelta(hours=1))
        ),
        datetime(2026, 11, 26, 6, 0, 0, tzinfo=UTC),
        datetime(2026, 11, 26, 5, 0, 0, 999_999, tzinfo=UTC),  # set back
        datetime(2027, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
    ]
    for snapshot in (Snapshot(), FAILING):
        for now in instants:
            assert body.render(snapshot, now) == full_body(snapshot, now)
    assert body.render(FAILING, instants[4]).endswith(
        b'"timestamp":"2026-11-26T06:00:00.000005+00:00"}'
    )


def test_status_body_writes_the_date_once_per_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second's requests reuse its date and time; a new snapshot or second does not."""
    written: list[datetime] = []
    real = status_body.second_text

    def counting(second: datetime) -> bytes:
        written.append(second)
        return real(second)

    monkeypatch.setattr(status_body, "second_text", counting)
    body = StatusBody()
    now = datetime(2026, 11, 26, 6, 0, 0, tzinfo=UTC)
    for micro in range(0, 1_000_000, 1_000):
        body.render(FAILING, now + timedelta(microseconds=micro))
    assert written == [now]
    body.render(Snapshot(), now + timedelta(microseconds=1))
    assert written == [now, now]
    body.render(Snapshot(), now + timedelta(seconds=1))
    assert written == [now, now, now + timedelta(seconds=1)]
