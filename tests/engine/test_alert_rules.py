"""The failures-in-a-window rule and the response-time limit (engine only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json

import pytest

from custom_components.pialert.engine.alert_rules import (
    AlertRule,
    FailureTimes,
    WindowRule,
)
from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.config import target_from_data, validate_target
from custom_components.pialert.engine.degraded import within_limit
from custom_components.pialert.engine.events import Event, EventType
from custom_components.pialert.engine.models import (
    CheckResult,
    HistoryEventType,
    Status,
    Target,
    TargetKind,
)
from custom_components.pialert.engine.persistence import dump, restore
from custom_components.pialert.engine.saved_values import SavedStateError
from custom_components.pialert.engine.settings import HeartbeatSettings, TcpSettings

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def flaky(**rules: int) -> Target:
    return Target(
        id="f",
        name="Flaky",
        kind=TargetKind.TCP,
        settings=TcpSettings(host="flaky.example", port=80),
        failure_threshold=2,
        **rules,  # type: ignore[arg-type]
    )


def result(success: bool, seconds: float, ms: float = 5.0) -> CheckResult:
    return CheckResult(
        success=success,
        checked_at=T0 + timedelta(seconds=seconds),
        error=None if success else "HTTP 500",
        response_time_ms=ms,
    )


def flap(
    monitor: Monitor, checks: int, every: float = 10, start: int = 0
) -> list[Event]:
    """Alternate failure and success every ``every`` seconds; return the events."""
    return [
        event
        for n in range(start, checks)
        for event in monitor.record("f", result(n % 2 == 1, n * every))
    ]


def types(events: list[Event]) -> list[EventType]:
    return [event.type for event in events]


def monitor_of(target: Target) -> Monitor:
    monitor = Monitor()
    monitor.set_targets([target], T0)
    return monitor


def test_flapping_target_never_alerts_under_consecutive_rule() -> None:
    monitor = monitor_of(flaky())
    assert EventType.TARGET_DOWN not in types(flap(monitor, 41))
    assert monitor.status("f") is Status.PENDING


def test_flapping_target_alerts_under_window_rule() -> None:
    monitor = monitor_of(flaky(min_events=3, time_window_seconds=60))
    # Failures at 0, 20 and 40 s: the third is within 60 s of the first.
    assert EventType.TARGET_DOWN not in types(flap(monitor, 4))
    events = flap(monitor, 5, start=4)
    assert events[0].type is EventType.TARGET_DOWN
    assert events[0].data["alert_rule"] == "failures_in_window"
    assert events[0].data["failures"] == 1  # consecutive: not what fired
    view = monitor.snapshot(T0 + timedelta(seconds=40)).targets["f"]
    assert view.status is Status.DOWN
    assert view.alert_rule is AlertRule.FAILURES_IN_WINDOW
    line = monitor.history.events[-1]
    assert line.type is HistoryEventType.DOWN
    assert line.message == "Flaky is down (3 failures within 1 min): HTTP 500"


def test_failures_spread_wider_than_the_window_do_not_alert() -> None:
    monitor = monitor_of(flaky(min_events=3, time_window_seconds=60))
    # A failure every 40 s (a success between): 3 failures span 80 s > 60 s.
    assert EventType.TARGET_DOWN not in types(flap(monitor, 30, every=20))
    assert monitor.snapshot(T0).targets["f"].alert_rule is None


def test_consecutive_rule_still_fires_and_says_so() -> None:
    monitor = monitor_of(flaky(min_events=5, time_window_seconds=600))
    monitor.record("f", result(False, 0))
    events = monitor.record("f", result(False, 10))
    assert events[0].data["alert_rule"] == "consecutive_failures"
    assert monitor.history.events[-1].message == "Flaky is down: HTTP 500"
    assert monitor.states["f"].alert_rule is AlertRule.CONSECUTIVE_FAILURES


def test_recovery_starts_the_window_over() -> None:
    monitor = monitor_of(flaky(min_events=3, time_window_seconds=60))
    flap(monitor, 5)  # down at 40 s
    monitor.record("f", result(True, 45))
    assert monitor.status("f") is Status.UP
    assert monitor.snapshot(T0).targets["f"].alert_rule is None
    # One new failure is not three: the old ones no longer count.
    monitor.record("f", result(False, 50))
    assert monitor.status("f") is Status.PENDING


def test_ring_is_bounded_by_min_events() -> None:
    """O(1) per check: the ring never holds more than min_events times."""
    monitor = monitor_of(flaky(min_events=4, time_window_seconds=10))
    for n in range(10_000):
        monitor.record("f", result(n % 2 == 1, n * 100))
    times = monitor.states["f"].failure_times
    assert times is not None
    assert len(times.times) == 4


def test_ring_follows_an_edited_rule() -> None:
    times = FailureTimes(5, (1.0, 2.0, 3.0, 4.0, 5.0))
    assert times.add(6.0, WindowRule(min_events=2, seconds=10))
    assert times.times == (5.0, 6.0)


def test_window_state_survives_a_restart() -> None:
    target = flaky(min_events=3, time_window_seconds=60)
    monitor = monitor_of(target)
    flap(monitor, 5)
    data = json.loads(json.dumps(dump(monitor)))
    assert data["states"]["f"]["alert_rule"] == "failures_in_window"
    assert data["states"]["f"]["failure_times"] == [
        (T0 + timedelta(seconds=s)).timestamp() for s in (0, 20, 40)
    ]
    loaded = monitor_of(target)
    restore(loaded, data)
    assert loaded.snapshot(T0).targets["f"].alert_rule is AlertRule.FAILURES_IN_WINDOW
    # Files saved before the rule existed still load.
    del data["states"]["f"]["alert_rule"], data["states"]["f"]["failure_times"]
    restore(monitor_of(target), data)


@pytest.mark.parametrize(
    ("key", "value"),
    [("alert_rule", "sometimes"), ("failure_times", ["x"]), ("failure_times", [])],
)
def test_bad_saved_rule_state_is_refused(key: str, value: object) -> None:
    monitor = monitor_of(flaky())
    data = json.loads(json.dumps(dump(monitor)))
    data["states"]["f"][key] = value
    with pytest.raises(SavedStateError, match=f"states.f.{key}"):
        restore(monitor_of(flaky()), data)


def test_slow_answer_fails_with_both_numbers() -> None:
    target = flaky(response_time_limit_ms=1000)
    slow = within_limit(result(True, 0, ms=2339.2), target)
    assert not slow.success
    assert slow.error == "slow: 2,340 ms > 1,000 ms"
    assert within_limit(result(True, 0, ms=1000.0), target).success
    failed = result(False, 0, ms=5000)
    assert within_limit(failed, target) is failed


def test_limit_applies_to_polled_kinds_only() -> None:
    heartbeat = Target(
        id="h",
        name="H",
        kind=TargetKind.HEARTBEAT,
        settings=HeartbeatSettings(period=60, grace=0, token="t"),
        response_time_limit_ms=10,
    )
    assert within_limit(result(True, 0, ms=5000), heartbeat).success


BASE = {"kind": "tcp", "name": "Port", "host": "nas.local", "port": 22}


@pytest.mark.parametrize(
    ("extra", "errors"),
    [
        ({"min_events": 3}, {"time_window_seconds": "window_incomplete"}),
        ({"time_window_seconds": 60}, {"min_events": "window_incomplete"}),
        (
            {"min_events": 0, "time_window_seconds": 60},
            {"min_events": "invalid_min_events"},
        ),
        (
            {"min_events": 3, "time_window_seconds": 5},
            {"time_window_seconds": "invalid_time_window"},
        ),
        (
            {"response_time_limit_ms": 0},
            {"response_time_limit_ms": "invalid_response_time_limit"},
        ),
        (
            {"response_time_limit_ms": 1.5},
            {"response_time_limit_ms": "invalid_response_time_limit"},
        ),
        (
            {"min_events": 3, "time_window_seconds": 60, "response_time_limit_ms": 800},
            {},
        ),
    ],
)
def test_rule_numbers_are_validated(
    extra: dict[str, object], errors: dict[str, str]
) -> None:
    data = BASE | extra
    assert validate_target(data, target_id=None, existing={}) == errors
    if not errors:
        target = target_from_data("p", data)
        assert (target.min_events, target.time_window_seconds) == (3, 60)
        assert target.response_time_limit_ms == 800
