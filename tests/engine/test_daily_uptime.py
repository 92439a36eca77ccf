"""Daily uptime counters: a year of local days per target."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
import random
from zoneinfo import ZoneInfo

import pytest

from custom_components.pialert.engine.daily_uptime import (
    DAYS_KEPT,
    DailyUptime,
    DayBar,
    DayCounts,
    parse_daily_uptime,
)
from custom_components.pialert.engine.saved_values import SavedStateError

AUCKLAND = ZoneInfo("Pacific/Auckland")


def summed(counts: DayCounts, today: int, days: int) -> tuple[int, int]:
    """The window, day by day (what the running sums must equal)."""
    ok = total = 0
    for day in range(today - days + 1, today + 1):
        a, b = counts.get(day)
        ok, total = ok + a, total + b
    return ok, total


def test_days_roll_over_at_local_midnight() -> None:
    uptime = DailyUptime(lambda: AUCKLAND)
    before = datetime(2026, 3, 10, 23, 59, tzinfo=AUCKLAND)
    after = datetime(2026, 3, 11, 0, 1, tzinfo=AUCKLAND)
    # Both are on 10 March in UTC: only the local day tells them apart.
    assert before.astimezone(UTC).date() == after.astimezone(UTC).date()
    uptime.record("a", before, True)
    uptime.record("a", after, False)
    assert uptime.bars("a", after, 2) == [
        DayBar(date(2026, 3, 10), 1, 1),
        DayBar(date(2026, 3, 11), 0, 1),
    ]
    assert uptime.uptime("a", after, 1) == 0.0
    assert uptime.uptime("a", after, 90) == 50.0
    assert uptime.bars("a", after, 2)[0].uptime == 100.0


def test_a_changed_time_zone_is_followed() -> None:
    zones = [UTC]
    uptime = DailyUptime(lambda: zones[0])
    at = datetime(2026, 3, 10, 11, 30, tzinfo=UTC)  # 11 March 00:30 in Auckland
    assert date.fromordinal(uptime.day_of(at)) == date(2026, 3, 10)
    zones[0] = AUCKLAND
    assert date.fromordinal(uptime.day_of(at)) == date(2026, 3, 11)


def test_a_year_is_kept_and_older_days_drop() -> None:
    uptime = DailyUptime()
    start = datetime(2025, 1, 1, 12, tzinfo=UTC)
    for day in range(400):
        uptime.record("a", start + timedelta(days=day), day >= 35)
    now = start + timedelta(days=399)
    # Days 0-34 failed; the year kept is days 35-399: all ok.
    assert uptime.uptime("a", now, DAYS_KEPT) == 100.0
    assert uptime.uptime("a", now - timedelta(days=364 - 30), 30) == 100.0
    bars = uptime.bars("a", now, 400)
    assert len(bars) == DAYS_KEPT
    assert bars[0].day == (now - timedelta(days=364)).date()
    # A result older than the year kept (a clock step back) is not counted.
    uptime.record("a", start, False)
    assert uptime.uptime("a", now, DAYS_KEPT) == 100.0


def test_windows_without_checks_today() -> None:
    uptime = DailyUptime()
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    uptime.record("a", start, True)
    uptime.record("a", start + timedelta(days=1), False)
    later = start + timedelta(days=30)
    assert uptime.uptime("a", later, 7) is None
    assert uptime.uptime("a", later, 90) == 50.0
    assert uptime.uptime("a", start + timedelta(days=90), 90) == 0.0
    assert uptime.uptime("a", start + timedelta(days=91), 90) is None
    assert uptime.uptime("a", start + timedelta(days=400), DAYS_KEPT) is None
    assert uptime.uptime("nobody", later, 90) is None
    assert [b.total for b in uptime.bars("nobody", later, 3)] == [0, 0, 0]


def test_running_sums_match_the_days() -> None:
    rng = random.Random(7)
    counts = DayCounts()
    day = 740_000
    for step in range(5000):
        if rng.random() < 0.1:
            day += rng.choice([1, 2, 30, 89, 90, 91, 364, 365, 400])
        back = rng.randint(0, 400) if rng.random() < 0.05 else 0
        counts.add(day - back, rng.random() < 0.8, rng.choice([1, 1, 40_000]))
        if step % 97 == 0:
            for days in (7, 90, DAYS_KEPT):
                assert counts.window(day, days) == summed(counts, day, days)


def test_a_full_day_keeps_its_share() -> None:
    counts = DayCounts()
    counts.add(1000, True, 60_000)
    counts.add(1000, False, 20_000)
    ok, total = counts.get(1000)
    assert total <= 0xFFFF
    assert ok / total == pytest.approx(30_000 / 50_000, abs=0.01)
    assert counts.window(1000, 90) == (ok, total)


def test_dump_and_parse_round_trip() -> None:
    uptime = DailyUptime()
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for day in range(0, 200, 3):
        uptime.record("a", start + timedelta(days=day), day % 2 == 0)
    now = start + timedelta(days=199)
    restored = DailyUptime()
    restored.targets.update(parse_daily_uptime(uptime.dump()))
    for days in (7, 30, 90, DAYS_KEPT):
        assert restored.uptime("a", now, days) == uptime.uptime("a", now, days)
    assert restored.bars("a", now, DAYS_KEPT) == uptime.bars("a", now, DAYS_KEPT)
    saved = uptime.dump()["a"]
    # Days before the first check are not saved (the read moved on to day 199).
    assert saved[1] == 200


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"a": "x"},
        {"a": [1]},
        {"a": [800_000, 2, 1, 1]},
        {"a": [800_000, 1, 2, 1]},
        {"a": [800_000, 1, 1, 70_000]},
        {"a": [800_000, 400, *([0] * 800)]},
        {"a": [800_000, 1, -1, 1]},
    ],
)
def test_parse_refuses_bad_data(data: object) -> None:
    with pytest.raises(SavedStateError):
        parse_daily_uptime(data)
