"""Tests of incidents, history events, uptime windows and retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.pialert.engine.history import (
    DAY,
    HOUR,
    HOURS_KEPT,
    Bucket,
    History,
    TargetStats,
)
from custom_components.pialert.engine.models import (
    CheckResult,
    HistoryEventType,
    Incident,
    Target,
    TargetKind,
)
from custom_components.pialert.engine.settings import TcpSettings

# Midnight, so hour and day buckets line up with the test's arithmetic.
T0 = datetime(2024, 5, 1, tzinfo=UTC)
TARGET = Target(
    id="a", name="Alpha", kind=TargetKind.TCP, settings=TcpSettings(host="a", port=1)
)
OTHER = Target(
    id="b", name="Bravo", kind=TargetKind.TCP, settings=TcpSettings(host="b", port=1)
)


def result(
    at: datetime, success: bool = True, response_time_ms: float | None = None
) -> CheckResult:
    return CheckResult(
        success=success, checked_at=at, response_time_ms=response_time_ms
    )


# ------------------------------------------------------------------ buckets


def test_bucket_counts_and_round_trip() -> None:
    bucket = Bucket(start=3600)
    bucket.add(result(T0, True, 10.0))
    bucket.add(result(T0, False, None))
    bucket.add(result(T0, True, 0.12345))
    assert (bucket.total, bucket.ok, bucket.rt_count) == (3, 2, 2)
    assert bucket.as_list() == [3600, 3, 2, 10.123, 2]
    assert Bucket.from_list(bucket.as_list()) == Bucket(3600, 3, 2, 10.123, 2)
    assert Bucket.from_list([7200.0, 1.0, 1.0, 5, 1.0]) == Bucket(7200, 1, 1, 5.0, 1)


def test_stats_count_by_hour() -> None:
    stats = TargetStats()
    stats.record(result(T0 + timedelta(minutes=5), True, 10))
    stats.record(result(T0 + timedelta(minutes=55), False, 30))
    stats.record(result(T0 + timedelta(hours=1, minutes=1), True))
    stats.record(result(T0 + timedelta(hours=3), True, 20))
    ts0 = int(T0.timestamp())
    assert [(b.start, b.total, b.ok) for b in stats.hourly] == [
        (ts0, 2, 1),
        (ts0 + HOUR, 1, 1),
        (ts0 + 3 * HOUR, 1, 1),
    ]
    assert TargetStats.from_buckets(stats.hourly) == stats


def test_result_older_than_newest_hour_counts_in_its_hour() -> None:
    stats = TargetStats()
    stats.record(result(T0 + timedelta(hours=5)))
    stats.record(result(T0 + timedelta(hours=2)))  # the clock stepped back
    stats.record(result(T0 - timedelta(days=2)))  # older than kept: dropped
    assert [b.total for b in stats.hourly] == [1, 1]


def test_hours_are_bounded() -> None:
    stats = TargetStats()
    for hour in range(24 * 40):
        stats.record(result(T0 + timedelta(hours=hour)))
    assert len(stats.hourly) == HOURS_KEPT
    with pytest.raises(ValueError, match="one day"):
        stats.uptime(T0, 7)


def test_uptime_windows() -> None:
    history = History()
    now = T0 + timedelta(days=40, hours=12, minutes=30)
    # 40 days ago .. now, one check a day at noon: failures on days 20..29.
    for day in range(41):
        ok = not 20 <= day < 30
        history.record_check(
            "a", result(T0 + timedelta(days=day, hours=12), ok, 100.0 if ok else None)
        )
    # Within the last 24 h (hourly counts): only today's check, a success.
    assert history.uptime("a", now, "24h") == 100.0
    # 7 days: days 34..40, all fine.
    assert history.uptime("a", now, "7d") == 100.0
    # 30 days: days 11..40: 10 of 30 failed.
    assert history.uptime("a", now, "30d") == round(100 * 20 / 30, 3)
    # 90 days and a year: all 41 days, 10 failed.
    assert history.uptime("a", now, "90d") == round(100 * 31 / 41, 3)
    assert history.uptime("a", now, "1y") == round(100 * 31 / 41, 3)
    # Nothing in the window: None, not 0.
    assert history.uptime("a", now + timedelta(days=60), "30d") is None


def test_uptime_24h_uses_the_current_and_23_previous_hours() -> None:
    stats = TargetStats()
    stats.record(result(T0, False))  # 00:00
    stats.record(result(T0 + timedelta(hours=1), True))  # 01:00
    stats.record(result(T0 + timedelta(hours=24, minutes=10), True))  # next day 00:10
    now = T0 + timedelta(hours=24, minutes=30)
    # The window starts at 01:00 the day before: the 00:00 failure is out.
    assert stats.uptime(now, 1) == 100.0
    # An hour earlier: 00:00 and 01:00 count; the later check does not.
    assert stats.uptime(now - timedelta(hours=1), 1) == 50.0


@settings(max_examples=40, deadline=None)
@given(
    checks=st.lists(
        st.tuples(
            st.integers(0, 45 * DAY),
            st.booleans(),
            st.one_of(st.none(), st.floats(0, 5000, allow_nan=False)),
        ),
        max_size=60,
    ),
    window=st.sampled_from(["24h", "7d", "30d", "90d"]),
)
def test_uptime_matches_a_plain_count(
    checks: list[tuple[int, bool, float | None]], window: str
) -> None:
    """Uptime over a window equals counting the checks in its hours or days."""
    checks.sort(key=lambda c: c[0])
    history = History()
    for offset, success, rt in checks:
        history.record_check("a", result(T0 + timedelta(seconds=offset), success, rt))
    now = T0 + timedelta(seconds=45 * DAY)
    size = HOUR if window == "24h" else DAY
    count = 24 if window == "24h" else int(window[:-1])
    ts = int(now.timestamp())
    since = ts - ts % size - (count - 1) * size
    inside = [c for c in checks if int(T0.timestamp()) + c[0] >= since]
    expected = (
        round(100.0 * sum(1 for c in inside if c[1]) / len(inside), 3)
        if inside
        else None
    )
    assert history.uptime("a", now, window) == expected


def test_history_uptime_by_target() -> None:
    history = History()
    assert history.uptime("a", T0, "24h") is None
    history.record_check("a", result(T0, True, 40.0))
    history.record_check("a", result(T0, False, 60.0))
    history.record_check("b", result(T0, True))
    for window in ("24h", "7d", "30d", "90d", "1y"):
        assert history.uptime("a", T0, window) == 50.0
    assert history.uptime("b", T0, "30d") == 100.0
    with pytest.raises(KeyError):
        history.uptime("a", T0, "2y")
    history.forget_target("a")
    history.forget_target("zzz")
    assert history.uptime("a", T0, "24h") is None
    assert "b" in history.stats


# ---------------------------------------------------------------- incidents


def test_incident_updates() -> None:
    history = History()
    incident = history.open_incident(TARGET, T0, 3, "refused")
    assert incident == Incident(
        id=incident.id,
        target_id="a",
        target_name="Alpha",
        started_at=T0,
        first_error="refused",
        last_error="refused",
        failures=3,
    )
    history.update_incident(incident.id, 5, "timeout")
    history.update_incident(incident.id, 1, "reset")  # a new streak after a success
    assert incident.failures == 5
    assert incident.last_error == "reset"
    assert incident.first_error == "refused"
    history.acknowledge_incident(incident.id, "bob", T0 + timedelta(minutes=1), "hi")
    assert (
        incident.acknowledged_at,
        incident.acknowledged_by,
        incident.acknowledgement_note,
    ) == (T0 + timedelta(minutes=1), "bob", "hi")
    closed = history.close_incident(incident.id, T0 + timedelta(minutes=10))
    assert closed is incident
    assert incident.duration_seconds == 600.0
    # Closing again keeps the first end.
    history.close_incident(incident.id, T0 + timedelta(hours=1))
    assert incident.ended_at == T0 + timedelta(minutes=10)


def test_unknown_incident_ids_are_ignored() -> None:
    history = History()
    history.update_incident("nope", 1, "x")
    history.acknowledge_incident("nope", "bob", T0, None)
    assert history.close_incident("nope", T0) is None
    assert history.incidents == {}


def test_incidents_between() -> None:
    history = History()
    first = history.open_incident(TARGET, T0, 1, "e1")
    history.close_incident(first.id, T0 + timedelta(hours=1))
    second = history.open_incident(OTHER, T0 + timedelta(hours=2), 1, "e2")
    history.close_incident(second.id, T0 + timedelta(hours=3))
    third = history.open_incident(TARGET, T0 + timedelta(hours=5), 1, "e3")  # open

    def ids(*args: object) -> list[str]:
        return [i.id for i in history.incidents_between(*args)]  # type: ignore[arg-type]

    assert ids(None, None) == [third.id, second.id, first.id]
    assert ids(None, None, "a") == [third.id, first.id]
    # Overlap, bounds inclusive.
    assert ids(T0 + timedelta(hours=1), T0 + timedelta(hours=2)) == [
        second.id,
        first.id,
    ]
    assert (
        ids(T0 + timedelta(hours=1, seconds=1), T0 + timedelta(hours=1, minutes=59))
        == []
    )
    # An open incident overlaps any later window.
    assert ids(T0 + timedelta(days=5), None) == [third.id]
    assert ids(None, T0 - timedelta(seconds=1)) == []


# ------------------------------------------------------------------- events


def test_add_event_and_paging() -> None:
    history = History()
    for minute in range(25):
        target = TARGET if minute % 2 else OTHER
        event_type = HistoryEventType.DOWN if minute % 3 else HistoryEventType.UP
        history.add_event(
            event_type, T0 + timedelta(minutes=minute), target, f"event {minute}"
        )
    silenced = history.add_event(
        HistoryEventType.SILENCED, T0 + timedelta(minutes=30), None, "silence"
    )
    assert silenced.target_id is None
    assert silenced.target_name is None
    assert silenced.type is HistoryEventType.SILENCED

    page, total = history.page_events(10)
    assert total == 26
    assert [e.message for e in page][:3] == ["silence", "event 24", "event 23"]
    # Pages are newest first, contiguous and complete.
    seen = []
    for offset in range(0, 30, 7):
        chunk, chunk_total = history.page_events(7, offset)
        assert chunk_total == 26
        seen.extend(chunk)
    assert [e.at for e in seen] == sorted((e.at for e in history.events), reverse=True)
    assert history.page_events(10, offset=26) == ([], 26)

    page, total = history.page_events(100, target_id="a")
    assert total == 12
    assert all(e.target_name == "Alpha" for e in page)
    page, total = history.page_events(
        3, offset=1, target_id="b", types=[HistoryEventType.UP]
    )
    assert total == 5  # minutes 0, 6, 12, 18, 24
    assert [e.message for e in page] == ["event 18", "event 12", "event 6"]
    page, total = history.page_events(5, types=[])
    assert (page, total) == ([], 0)


def test_max_events_keeps_newest() -> None:
    history = History(max_events=5)
    for i in range(8):
        history.add_event(
            HistoryEventType.DOWN, T0 + timedelta(seconds=i), TARGET, str(i)
        )
    page, total = history.page_events(10)
    assert total == 5
    assert [e.message for e in page] == ["7", "6", "5", "4", "3"]


# ---------------------------------------------------------------- retention


def test_prune_by_days() -> None:
    history = History(retention_days=30)
    now = T0 + timedelta(days=100)
    cutoff = now - timedelta(days=30)
    old_event = history.add_event(
        HistoryEventType.DOWN, cutoff - timedelta(seconds=1), TARGET, "old"
    )
    edge_event = history.add_event(HistoryEventType.UP, cutoff, TARGET, "edge")
    history.add_event(HistoryEventType.DOWN, now, TARGET, "new")
    old = history.open_incident(TARGET, T0, 1, "x")
    history.close_incident(old.id, cutoff - timedelta(seconds=1))
    edge = history.open_incident(TARGET, T0, 1, "x")
    history.close_incident(edge.id, cutoff)
    ancient_open = history.open_incident(OTHER, T0, 1, "x")  # still open: kept
    history.prune(now)
    assert old_event not in history.events
    assert history.events[0].id == edge_event.id
    assert len(history.events) == 2
    assert set(history.incidents) == {edge.id, ancient_open.id}


def test_prune_by_max_events_drops_oldest_closed_incidents() -> None:
    history = History(max_events=3)
    incidents = []
    for i in range(6):
        incident = history.open_incident(TARGET, T0 + timedelta(hours=i), 1, str(i))
        incidents.append(incident)
        if i != 0:  # the oldest stays open
            history.close_incident(incident.id, T0 + timedelta(hours=i, minutes=5))
    history.prune(T0 + timedelta(hours=6))
    assert set(history.incidents) == {incidents[0].id, incidents[4].id, incidents[5].id}
    # Under the limit: nothing more goes.
    history.prune(T0 + timedelta(hours=6))
    assert len(history.incidents) == 3
