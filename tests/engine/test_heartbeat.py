"""Tests of heartbeat targets (engine/probes/heartbeat.py and the Monitor glue)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.config import kind_errors
from custom_components.pialert.engine.events import EventType
from custom_components.pialert.engine.fields import fields_of
from custom_components.pialert.engine.models import Status, Target, TargetKind
from custom_components.pialert.engine.probes.heartbeat import (
    HeartbeatSettings,
    HeartbeatTracker,
    Ping,
    new_token,
)
from custom_components.pialert.engine.settings import HeartbeatSettings as _Settings

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PERIOD = 60
GRACE = 10
SETTINGS = HeartbeatSettings(period=PERIOD, grace=GRACE, token="tok")

_BOUNDS = {f.name: f.spec for f in fields_of(_Settings)}
MIN_PERIOD = int(_BOUNDS["period"].minimum or 0)
MAX_PERIOD = int(_BOUNDS["period"].maximum or 0)
MAX_GRACE = int(_BOUNDS["grace"].maximum or 0)


def sec(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def job(
    target_id: str = "job",
    *,
    enabled: bool = True,
    failure_threshold: int = 1,
    period: int = PERIOD,
    grace: int = GRACE,
) -> Target:
    return Target(
        id=target_id,
        name=f"Job {target_id}",
        kind=TargetKind.HEARTBEAT,
        settings=HeartbeatSettings(
            period=period, grace=grace, token=f"token-{target_id}"
        ),
        failure_threshold=failure_threshold,
        enabled=enabled,
    )


# ------------------------------------------------------------------ settings


def test_settings_from_mapping() -> None:
    assert HeartbeatSettings.from_mapping(
        {"period": "120", "grace": 5.0, "token": " 42 "}
    ) == HeartbeatSettings(120, 5, "42")


def test_new_token_is_long_and_random() -> None:
    tokens = {new_token() for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 43 for token in tokens)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"period": 60, "grace": 0}, {}),
        ({"period": MIN_PERIOD, "grace": MAX_GRACE}, {}),
        ({"period": MAX_PERIOD, "grace": "30"}, {}),
        ({"period": MIN_PERIOD - 1, "grace": 0}, {"period": "invalid_period"}),
        ({"period": MAX_PERIOD + 1, "grace": 0}, {"period": "invalid_period"}),
        ({"period": "abc", "grace": 0}, {"period": "invalid_period"}),
        ({"period": None, "grace": 0}, {"period": "invalid_period"}),
        ({"grace": 0}, {"period": "invalid_period"}),
        ({"period": 60, "grace": -1}, {"grace": "invalid_grace"}),
        ({"period": 60, "grace": MAX_GRACE + 1}, {"grace": "invalid_grace"}),
        ({"period": 60, "grace": "x"}, {"grace": "invalid_grace"}),
        ({"period": 60}, {"grace": "invalid_grace"}),
        ({}, {"period": "invalid_period", "grace": "invalid_grace"}),
    ],
)
def test_validate(data: dict[str, object], errors: dict[str, str]) -> None:
    assert kind_errors(TargetKind.HEARTBEAT, data) == errors


# ------------------------------------------------------------------ tracker


def test_overdue_after_period_plus_grace() -> None:
    tracker = HeartbeatTracker(awaited_since=T0)
    assert tracker.next_deadline(SETTINGS) == sec(PERIOD + GRACE)
    assert tracker.overdue(SETTINGS, sec(PERIOD + GRACE - 1)) is None
    result = tracker.overdue(SETTINGS, sec(PERIOD + GRACE))
    assert result is not None
    assert not result.success
    assert result.checked_at == sec(PERIOD + GRACE)
    assert result.error == "No ping received yet"


def test_one_failure_per_missed_period() -> None:
    tracker = HeartbeatTracker(awaited_since=T0)
    failures = [
        second
        for second in range(5 * PERIOD + GRACE + 1)
        if tracker.overdue(SETTINGS, sec(second)) is not None
    ]
    assert failures == [
        PERIOD + GRACE,
        2 * PERIOD + GRACE,
        3 * PERIOD + GRACE,
        4 * PERIOD + GRACE,
        5 * PERIOD + GRACE,
    ]


def test_success_starts_a_new_period() -> None:
    tracker = HeartbeatTracker(awaited_since=T0)
    result = tracker.success(sec(50))
    assert result.success
    assert result.checked_at == sec(50)
    assert result.response_time_ms is None
    assert tracker.last_ping == sec(50)
    assert tracker.overdue(SETTINGS, sec(50 + PERIOD + GRACE - 1)) is None
    missed = tracker.overdue(SETTINGS, sec(50 + PERIOD + GRACE))
    assert missed is not None
    assert missed.error == f"No ping since {sec(50).isoformat(timespec='seconds')}"


def test_start_then_success_measures_the_run() -> None:
    tracker = HeartbeatTracker(awaited_since=T0)
    tracker.start(sec(10))
    assert tracker.next_deadline(SETTINGS) == sec(10 + GRACE)
    result = tracker.success(sec(12.5))
    assert result.response_time_ms == 2500.0
    assert tracker.started_at is None


def test_start_without_finish_within_grace_fails() -> None:
    tracker = HeartbeatTracker(awaited_since=T0)
    tracker.start(sec(20))
    assert tracker.overdue(SETTINGS, sec(20 + GRACE - 1)) is None
    result = tracker.overdue(SETTINGS, sec(20 + GRACE))
    assert result is not None
    assert result.error == (
        f"Started at {sec(20).isoformat(timespec='seconds')} "
        f"but did not finish within {GRACE} s"
    )
    assert tracker.started_at is None
    # The run is counted once; the next period starts at the start ping.
    assert tracker.overdue(SETTINGS, sec(20 + GRACE + 1)) is None
    assert tracker.next_deadline(SETTINGS) == sec(20 + PERIOD + GRACE)


def test_pushed_failure() -> None:
    tracker = HeartbeatTracker(awaited_since=T0)
    tracker.start(sec(5))
    result = tracker.failure(sec(7), "boom")
    assert not result.success
    assert result.error == "boom"
    assert tracker.started_at is None
    assert tracker.awaited_since == sec(7)
    assert tracker.last_ping is None


@settings(max_examples=60, deadline=None)
@given(
    period=st.integers(MIN_PERIOD, 3600),
    grace=st.integers(0, 600),
    gaps=st.lists(st.integers(1, 2000), max_size=8),
    misses=st.integers(1, 5),
)
def test_deadline_matches_overdue(
    period: int, grace: int, gaps: list[int], misses: int
) -> None:
    """overdue() fails exactly at next_deadline(), once per missed period."""
    settings_ = HeartbeatSettings(period, grace, "t")
    tracker = HeartbeatTracker(awaited_since=T0)
    now = T0
    for gap in gaps:
        now += timedelta(seconds=gap)
        deadline = tracker.next_deadline(settings_)
        result = tracker.overdue(settings_, now)
        assert (result is not None) == (now >= deadline)
        tracker.success(now)
    last_ping = now
    for miss in range(misses):
        deadline = tracker.next_deadline(settings_)
        assert deadline == last_ping + timedelta(seconds=(miss + 1) * period + grace)
        assert tracker.overdue(settings_, deadline - timedelta(seconds=1)) is None
        assert tracker.overdue(settings_, deadline) is not None
        assert tracker.overdue(settings_, deadline) is None


# ------------------------------------------------------------ monitor glue


def test_monitor_success_start_fail_and_exit_code() -> None:
    monitor = Monitor()
    monitor.set_targets([job(failure_threshold=2)], T0)
    assert monitor.status("job") is Status.UNKNOWN
    assert monitor.heartbeat("job", Ping("start", sec(1))) == []
    events = monitor.heartbeat("job", Ping("success", sec(3)))
    assert events == []
    view = monitor.snapshot(sec(3)).targets["job"]
    assert view.status is Status.UP
    assert view.response_time_ms == 2000.0
    assert monitor.heartbeat("job", Ping("fail", sec(4))) == []
    assert monitor.states["job"].last_error == "Job reported a failure"
    events = monitor.heartbeat("job", Ping("fail", sec(5), exit_code=3))
    assert [e.type for e in events] == [EventType.TARGET_DOWN, EventType.ALERT_STARTED]
    assert events[0].data["error"] == "Job reported exit code 3"
    assert monitor.status("job") is Status.DOWN
    events = monitor.heartbeat("job", Ping("success", sec(6)))
    assert [e.type for e in events] == [EventType.TARGET_UP, EventType.ALERT_CLEARED]


def test_check_heartbeats_counts_missed_periods() -> None:
    monitor = Monitor()
    monitor.set_targets([job(failure_threshold=2), job("other")], T0)
    monitor.heartbeat("other", Ping("success", sec(30)))
    assert monitor.next_heartbeat_deadline() == sec(PERIOD + GRACE)
    assert monitor.check_heartbeats(sec(PERIOD + GRACE - 1)) == []
    assert monitor.check_heartbeats(sec(PERIOD + GRACE)) == []  # 1 of 2 for "job"
    assert monitor.status("job") is Status.PENDING
    assert monitor.states["job"].last_error == "No ping received yet"
    monitor.heartbeat("other", Ping("success", sec(95)))
    assert monitor.check_heartbeats(sec(PERIOD + GRACE + 30)) == []  # same period
    assert monitor.states["job"].consecutive_failures == 1
    assert monitor.next_heartbeat_deadline() == sec(2 * PERIOD + GRACE)
    events = monitor.check_heartbeats(sec(2 * PERIOD + GRACE))
    assert [e.type for e in events] == [EventType.TARGET_DOWN, EventType.ALERT_STARTED]
    assert events[0].data["target_id"] == "job"
    assert monitor.status("job") is Status.DOWN
    assert monitor.status("other") is Status.UP
    assert monitor.next_heartbeat_deadline() == sec(95 + PERIOD + GRACE)


def test_paused_heartbeat_is_not_evaluated() -> None:
    monitor = Monitor()
    monitor.set_targets([job(enabled=False)], T0)
    assert monitor.heartbeat("job", Ping("fail", sec(1))) == []
    assert monitor.heartbeat("job", Ping("start", sec(1))) == []
    assert monitor.heartbeats["job"].started_at is None
    assert monitor.check_heartbeats(sec(10 * PERIOD)) == []
    assert monitor.next_heartbeat_deadline() is None
    assert monitor.states["job"].last_check is None
    assert monitor.status("job") is Status.PAUSED


def test_resuming_gives_a_fresh_period() -> None:
    monitor = Monitor()
    monitor.set_targets([job()], T0)
    monitor.heartbeat("job", Ping("success", sec(5)))
    monitor.heartbeat("job", Ping("start", sec(30)))
    monitor.set_targets([job(enabled=False)], sec(35))
    resumed_at = sec(10_000)
    assert monitor.set_targets([job()], resumed_at) == []
    assert monitor.heartbeats["job"].awaited_since == resumed_at
    # Neither the long pause nor the run started before it counts as a miss.
    assert monitor.check_heartbeats(resumed_at) == []
    assert monitor.next_heartbeat_deadline() == resumed_at + timedelta(
        seconds=PERIOD + GRACE
    )
    assert monitor.check_heartbeats(resumed_at + timedelta(seconds=PERIOD)) == []
    events = monitor.check_heartbeats(resumed_at + timedelta(seconds=PERIOD + GRACE))
    assert [e.type for e in events] == [EventType.TARGET_DOWN, EventType.ALERT_STARTED]
    assert monitor.states["job"].last_error == (
        f"No ping since {sec(5).isoformat(timespec='seconds')}"
    )


def test_settings_change_keeps_tracker_but_resets_state() -> None:
    monitor = Monitor()
    monitor.set_targets([job()], T0)
    monitor.heartbeat("job", Ping("fail", sec(1)))
    assert monitor.status("job") is Status.DOWN
    changed = replace(
        job(), settings=HeartbeatSettings(period=120, grace=0, token="new")
    )
    monitor.set_targets([changed], sec(2))
    assert monitor.status("job") is Status.UNKNOWN
    assert monitor.heartbeats["job"].awaited_since == sec(1)
    assert monitor.next_heartbeat_deadline() == sec(121)
