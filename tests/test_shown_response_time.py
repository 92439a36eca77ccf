"""The response time a sensor shows: jitter and lone spikes write nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.pialert.shown_response_time import ShownResponseTime

START = datetime(2026, 1, 1, tzinfo=UTC)


def feed(shown: ShownResponseTime, values: list[float | None]) -> list[float | None]:
    """Fold one check a minute into ``shown``; return what it showed after each."""
    return [
        shown.update(value, START + timedelta(minutes=minute))
        for minute, value in enumerate(values)
    ]


def test_a_lone_spike_is_not_shown() -> None:
    """A slow answer once (the benchmark's 52 -> 68 ms on loopback) moves nothing."""
    assert feed(ShownResponseTime(), [52.3, 68.0, 52.0, 51.0]) == [52.3] * 4


def test_a_move_seen_twice_is_shown() -> None:
    """Two checks past the threshold the same way show the latest."""
    assert feed(ShownResponseTime(), [50.0, 80.0, 82.0, 81.0]) == [
        50.0,
        50.0,
        82.0,
        82.0,
    ]
    assert feed(ShownResponseTime(), [300.0, 200.0, 210.0]) == [300.0, 300.0, 210.0]


def test_moves_in_opposite_directions_do_not_confirm_each_other() -> None:
    """Up then down is two spikes, not a change."""
    assert feed(ShownResponseTime(), [100.0, 300.0, 20.0, 25.0]) == [
        100.0,
        100.0,
        100.0,
        25.0,
    ]


def test_one_check_looked_at_twice_counts_once() -> None:
    """An entity woken again without a new check (an acknowledgement) confirms nothing."""
    shown = ShownResponseTime()
    shown.update(50.0, START)
    later = START + timedelta(minutes=1)
    assert shown.update(90.0, later) == 50.0
    assert shown.update(90.0, later) == 50.0
    assert shown.update(91.0, later + timedelta(minutes=1)) == 91.0


def test_appearing_and_vanishing_are_shown_at_once() -> None:
    """No response time (a failed check) and the first one are not spikes."""
    assert feed(ShownResponseTime(), [None, 40.0, None, 45.0]) == [
        None,
        40.0,
        None,
        45.0,
    ]


def test_without_confirmation_one_check_is_enough() -> None:
    """A job's run time (heartbeats) is each run's own figure: shown at once."""
    assert feed(ShownResponseTime(confirm=False), [10.0, 60.0, 12.0]) == [
        10.0,
        60.0,
        12.0,
    ]
