"""Tests of the alert state machine (engine/alerting.py)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
import pytest

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.errors import RefusedError
from custom_components.pialert.engine.events import Event, EventType
from custom_components.pialert.engine.models import (
    CheckResult,
    HistoryEventType,
    Silence,
    SilenceState,
    Status,
    Target,
    TargetKind,
)
from custom_components.pialert.engine.probes.heartbeat import Ping
from custom_components.pialert.engine.settings import HeartbeatSettings, TcpSettings
from custom_components.pialert.engine.silences import (
    SilenceRequest,
    UnsilenceRequest,
    describe_silence,
)
from custom_components.pialert.engine.state import FailingTarget, Snapshot, TargetState

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def tcp(
    target_id: str,
    name: str | None = None,
    *,
    failure_threshold: int = 1,
    success_threshold: int = 1,
    **kwargs: object,
) -> Target:
    return Target(
        id=target_id,
        name=name or target_id.upper(),
        kind=TargetKind.TCP,
        settings=TcpSettings(host=f"{target_id}.example", port=80),
        failure_threshold=failure_threshold,
        success_threshold=success_threshold,
        **kwargs,  # type: ignore[arg-type]
    )


def ok(at: datetime, response_time_ms: float | None = 5.0) -> CheckResult:
    return CheckResult(success=True, checked_at=at, response_time_ms=response_time_ms)


def fail(at: datetime, error: str | None = "Connection refused") -> CheckResult:
    return CheckResult(success=False, checked_at=at, error=error)


def types(events: list[Event]) -> list[EventType]:
    return [event.type for event in events]


def make(*targets: Target, now: datetime = T0) -> Monitor:
    monitor = Monitor()
    monitor.set_targets(targets, now)
    return monitor


def silence(
    silence_id: str = "s1",
    *,
    start: datetime = T0,
    end: datetime | None = None,
    target_ids: frozenset[str] = frozenset(),
    tags: frozenset[str] = frozenset(),
    comment: str = "",
) -> Silence:
    return Silence(
        id=silence_id,
        starts_at=start,
        ends_at=end or start + timedelta(hours=1),
        created_by="alice",
        comment=comment,
        target_ids=target_ids,
        tags=tags,
        created_at=T0,
    )


def down(monitor: Monitor, target_id: str, at: datetime = T0) -> list[Event]:
    """Fail a target until it is down; return all events."""
    events: list[Event] = []
    threshold = monitor.targets[target_id].failure_threshold
    for i in range(threshold):
        events += monitor.record(target_id, fail(at + timedelta(seconds=i)))
    assert monitor.states[target_id].is_down
    return events


# --------------------------------------------------------------------- status


def test_status_unknown_pending_down_up() -> None:
    monitor = make(tcp("a", failure_threshold=3))
    assert monitor.status("a") is Status.UNKNOWN
    assert monitor.snapshot(T0).targets["a"].status is Status.UNKNOWN
    assert monitor.record("a", fail(T0)) == []
    assert monitor.status("a") is Status.PENDING
    assert monitor.record("a", fail(T0 + timedelta(seconds=1))) == []
    assert monitor.status("a") is Status.PENDING
    events = monitor.record("a", fail(T0 + timedelta(seconds=2)))
    assert types(events) == [EventType.TARGET_DOWN, EventType.ALERT_STARTED]
    assert events[0].data == {
        "target_id": "a",
        "name": "A",
        "failures": 3,
        "threshold": 3,
        "error": "Connection refused",
        "alert_rule": "consecutive_failures",
    }
    assert events[1].data == {"failing_count": 1, "failing_targets": ["A"]}
    assert monitor.status("a") is Status.DOWN
    # Further failures do not repeat target_down or alert_started.
    assert monitor.record("a", fail(T0 + timedelta(seconds=3))) == []
    events = monitor.record("a", ok(T0 + timedelta(seconds=10)))
    assert types(events) == [EventType.TARGET_UP, EventType.ALERT_CLEARED]
    assert events[0].data == {
        "target_id": "a",
        "name": "A",
        "downtime_seconds": 8.0,
    }
    assert events[1].data == {"failing_count": 0}
    assert monitor.status("a") is Status.UP


def test_success_before_threshold_resets_to_up() -> None:
    monitor = make(tcp("a", failure_threshold=2))
    monitor.record("a", fail(T0))
    assert monitor.record("a", ok(T0 + timedelta(seconds=1))) == []
    assert monitor.status("a") is Status.UP
    monitor.record("a", fail(T0 + timedelta(seconds=2)))
    assert monitor.status("a") is Status.PENDING


def test_flap_protection_needs_consecutive_successes() -> None:
    monitor = make(tcp("a", failure_threshold=1, success_threshold=3))
    down(monitor, "a")
    monitor.record("a", ok(T0 + timedelta(seconds=1)))
    monitor.record("a", ok(T0 + timedelta(seconds=2)))
    assert monitor.status("a") is Status.DOWN
    # A failure in between starts the count again.
    assert monitor.record("a", fail(T0 + timedelta(seconds=3))) == []
    monitor.record("a", ok(T0 + timedelta(seconds=4)))
    monitor.record("a", ok(T0 + timedelta(seconds=5)))
    assert monitor.status("a") is Status.DOWN
    snap = monitor.snapshot(T0 + timedelta(seconds=5))
    assert snap.failing == (FailingTarget(name="A", failures=0, threshold=1),)
    events = monitor.record("a", ok(T0 + timedelta(seconds=6)))
    assert types(events) == [EventType.TARGET_UP, EventType.ALERT_CLEARED]
    assert monitor.status("a") is Status.UP


def test_paused_target() -> None:
    monitor = make(tcp("a", enabled=False))
    assert monitor.status("a") is Status.PAUSED
    monitor.record("a", fail(T0))
    assert monitor.status("a") is Status.PAUSED
    assert not monitor.snapshot(T0).alert


def test_unreachable_through_dependencies() -> None:
    router = tcp("router", "Router")
    nas = tcp("nas", "NAS", depends_on="router", failure_threshold=2)
    app = tcp("app", "App", depends_on="nas", failure_threshold=3)
    monitor = make(router, nas, app)
    # The child fails before the parent: it is simply down.
    down(monitor, "nas")
    assert monitor.status("nas") is Status.DOWN
    assert [f.name for f in monitor.snapshot(T0).failing] == ["NAS"]
    monitor.record("app", fail(T0))
    assert monitor.status("app") is Status.UNREACHABLE  # pending under a down parent
    events = down(monitor, "router")
    # The hub keeps alerting (now for the router only): no flip.
    assert EventType.ALERT_STARTED not in types(events)
    assert monitor.status("nas") is Status.UNREACHABLE
    assert monitor.status("app") is Status.UNREACHABLE  # transitively
    snap = monitor.snapshot(T0)
    assert [f.name for f in snap.failing] == ["Router"]
    assert not snap.targets["nas"].in_hub_alert
    # An up child stays up whatever its parent does.
    monitor.record("app", ok(T0 + timedelta(seconds=5)))
    assert monitor.status("app") is Status.UP


def test_pending_parent_does_not_make_child_unreachable() -> None:
    parent = tcp("p", failure_threshold=3)
    child = tcp("c", depends_on="p")
    monitor = make(parent, child)
    monitor.record("p", fail(T0))
    down(monitor, "c")
    assert monitor.status("p") is Status.PENDING
    assert monitor.status("c") is Status.DOWN


def test_paused_parent_does_not_make_child_unreachable() -> None:
    monitor = make(tcp("p"), tcp("c", depends_on="p"))
    down(monitor, "p")
    monitor.set_targets([tcp("p", enabled=False), tcp("c", depends_on="p")], T0)
    down(monitor, "c")
    assert monitor.status("p") is Status.PAUSED
    assert monitor.status("c") is Status.DOWN


def test_missing_parent_is_ignored() -> None:
    monitor = make(tcp("c", depends_on="gone"))
    down(monitor, "c")
    assert monitor.status("c") is Status.DOWN


def test_dependency_cycles_terminate() -> None:
    monitor = make(
        tcp("a", depends_on="b"),
        tcp("b", depends_on="c"),
        tcp("c", depends_on="a"),
        tcp("s", depends_on="s"),
    )
    for target_id in ("a", "b", "c", "s"):
        down(monitor, target_id)
    snap = monitor.snapshot(T0)  # must not recurse forever
    for target_id in ("a", "b", "c", "s"):
        assert snap.targets[target_id].status in (Status.DOWN, Status.UNREACHABLE)


# ------------------------------------------------------------ hub alert


def test_snapshot_failing_entries() -> None:
    monitor = make(
        tcp("b", "Beta", failure_threshold=2),
        tcp("a", "Alpha", failure_threshold=1),
        tcp("c", "Gamma", failure_threshold=5),
    )
    down(monitor, "b")
    down(monitor, "a")
    monitor.record("c", fail(T0))
    snap = monitor.snapshot(T0)
    assert snap.alert
    assert snap.failing == (
        FailingTarget(name="Alpha", failures=1, threshold=1),
        FailingTarget(name="Beta", failures=2, threshold=2),
    )
    assert all(f.status == "down" for f in snap.failing)
    assert snap.targets["a"].in_hub_alert
    assert not snap.targets["c"].in_hub_alert
    assert snap.targets["c"].status is Status.PENDING
    assert snap.targets["c"].last_error == "Connection refused"
    assert Snapshot().alert is False


def test_record_for_removed_target_is_ignored() -> None:
    monitor = make(tcp("a"))
    assert monitor.record("zzz", fail(T0)) == []


def test_record_keeps_cert_days_and_response_time() -> None:
    monitor = make(tcp("a"))
    monitor.record(
        "a",
        CheckResult(
            success=True, checked_at=T0, response_time_ms=12.0, cert_days_remaining=30
        ),
    )
    monitor.record("a", ok(T0 + timedelta(seconds=1), response_time_ms=None))
    view = monitor.snapshot(T0).targets["a"]
    assert view.cert_days_remaining == 30
    assert view.response_time_ms is None
    assert view.last_success == T0 + timedelta(seconds=1)
    assert view.consecutive_successes == 2


def test_failure_without_error_text() -> None:
    monitor = make(tcp("a"))
    monitor.record("a", fail(T0, error=None))
    assert monitor.states["a"].last_error == "Check failed"
    (incident,) = monitor.history.incidents.values()
    assert incident.first_error == "Check failed"


# ------------------------------------------------------- acknowledgement


def test_acknowledge_requires_down_target() -> None:
    monitor = make(tcp("a", failure_threshold=2))
    with pytest.raises(RefusedError) as err:
        monitor.acknowledge("a", "bob", T0)
    assert err.value.key == "target_not_down"
    assert err.value.placeholders == {"target": "A"}
    monitor.record("a", fail(T0))
    with pytest.raises(RefusedError, match="target_not_down"):
        monitor.acknowledge("a", "bob", T0)
    with pytest.raises(RefusedError, match="unknown_target"):
        monitor.acknowledge("nope", "bob", T0)


def test_acknowledge_clears_alert_and_records_incident() -> None:
    monitor = make(tcp("a"), tcp("b"))
    down(monitor, "a")
    down(monitor, "b")
    events = monitor.acknowledge("a", "bob", T0 + timedelta(minutes=1), "on it")
    assert types(events) == [EventType.ACKNOWLEDGED]  # b still alerts
    assert events[0].data == {
        "target_id": "a",
        "name": "A",
        "by": "bob",
        "note": "on it",
    }
    events = monitor.acknowledge("b", "carol", T0 + timedelta(minutes=2))
    assert types(events) == [EventType.ACKNOWLEDGED, EventType.ALERT_CLEARED]
    snap = monitor.snapshot(T0 + timedelta(minutes=2))
    assert not snap.alert
    ack = snap.targets["a"].acknowledgement
    assert ack is not None
    assert (ack.by, ack.at, ack.note) == ("bob", T0 + timedelta(minutes=1), "on it")
    assert snap.targets["b"].acknowledgement.note is None  # type: ignore[union-attr]
    assert snap.targets["a"].status is Status.DOWN
    incident = monitor.history.incidents[monitor.states["a"].incident_id]  # type: ignore[index]
    assert incident.acknowledged_at == T0 + timedelta(minutes=1)
    assert incident.acknowledged_by == "bob"
    assert incident.acknowledgement_note == "on it"
    events_page, total = monitor.history.page_events(
        10, types=[HistoryEventType.ACKNOWLEDGED]
    )
    assert total == 2
    assert events_page[0].message == "B acknowledged by carol"
    assert events_page[1].message == "A acknowledged by bob: on it"


def test_acknowledgement_clears_on_recovery() -> None:
    monitor = make(tcp("a"))
    down(monitor, "a")
    monitor.acknowledge("a", "bob", T0)
    # Recovery of an acknowledged target: no alert flip (it was not alerting).
    assert types(monitor.record("a", ok(T0 + timedelta(seconds=5)))) == [
        EventType.TARGET_UP
    ]
    assert monitor.states["a"].acknowledgement is None
    # The next outage alerts again.
    assert types(down(monitor, "a", T0 + timedelta(seconds=10))) == [
        EventType.TARGET_DOWN,
        EventType.ALERT_STARTED,
    ]


def test_unacknowledge() -> None:
    monitor = make(tcp("a"))
    with pytest.raises(RefusedError, match="target_not_acknowledged"):
        monitor.unacknowledge("a", "bob", T0)
    with pytest.raises(RefusedError, match="unknown_target"):
        monitor.unacknowledge("zzz", "bob", T0)
    down(monitor, "a")
    monitor.acknowledge("a", "bob", T0)
    events = monitor.unacknowledge("a", "carol", T0 + timedelta(seconds=1))
    assert types(events) == [EventType.ALERT_STARTED]
    assert monitor.snapshot(T0).alert
    page, _ = monitor.history.page_events(1)
    assert page[0].type is HistoryEventType.UNACKNOWLEDGED
    assert page[0].message == "Acknowledgement of A withdrawn by carol"


# ---------------------------------------------------------------- silences


def test_silence_states() -> None:
    s = silence(start=T0, end=T0 + timedelta(hours=1))
    assert s.state(T0 - timedelta(seconds=1)) is SilenceState.SCHEDULED
    assert s.state(T0) is SilenceState.ACTIVE
    assert s.state(T0 + timedelta(minutes=59)) is SilenceState.ACTIVE
    assert s.state(T0 + timedelta(hours=1)) is SilenceState.EXPIRED


def test_silence_matching() -> None:
    web = tcp("web", tags=("prod", "http"))
    db = tcp("db", tags=("prod",))
    other = tcp("other")
    assert silence().matches_all
    assert all(silence().matches(t) for t in (web, db, other))
    by_id = silence(target_ids=frozenset({"db"}))
    assert not by_id.matches_all
    assert [by_id.matches(t) for t in (web, db, other)] == [False, True, False]
    by_tag = silence(tags=frozenset({"http", "nope"}))
    assert [by_tag.matches(t) for t in (web, db, other)] == [True, False, False]


def test_active_silence_mutes_and_emits() -> None:
    monitor = make(tcp("a"), tcp("b", tags=("lab",)))
    down(monitor, "a")
    events = monitor.add_silence(
        silence(target_ids=frozenset({"a"}), comment="maintenance"), T0
    )
    assert types(events) == [EventType.SILENCED, EventType.ALERT_CLEARED]
    assert events[0].data == {
        "silence_id": "s1",
        "target_ids": ["a"],
        "tags": [],
        "starts_at": T0.isoformat(),
        "ends_at": (T0 + timedelta(hours=1)).isoformat(),
        "created_by": "alice",
        "comment": "maintenance",
    }
    snap = monitor.snapshot(T0)
    assert not snap.alert
    assert snap.targets["a"].silenced
    assert not snap.targets["b"].silenced
    assert snap.active_silences == 1
    page, _ = monitor.history.page_events(1)
    assert page[0].type is HistoryEventType.SILENCED
    assert page[0].target_id is None
    assert page[0].message == (
        f"Silence of A until {(T0 + timedelta(hours=1)).isoformat()} "
        "by alice: maintenance"
    )
    # A new failure of a silenced target does not alert either.
    assert monitor.record("a", fail(T0 + timedelta(seconds=5))) == []
    # A tag silence covers b; a failure of b stays muted.
    monitor.add_silence(silence("s2", tags=frozenset({"lab"})), T0)
    assert types(down(monitor, "b")) == [EventType.TARGET_DOWN]
    # Time alone ends the silences: tick announces the alert.
    later = T0 + timedelta(hours=1)
    events = monitor.tick(later)
    assert types(events) == [EventType.ALERT_STARTED]
    assert events[0].data == {"failing_count": 2, "failing_targets": ["A", "B"]}
    assert monitor.tick(later + timedelta(seconds=30)) == []


def test_pending_silence_starts_with_time() -> None:
    monitor = make(tcp("a"))
    down(monitor, "a")
    start = T0 + timedelta(minutes=10)
    events = monitor.add_silence(silence(start=start), T0)
    assert types(events) == [EventType.SILENCED]
    snap = monitor.snapshot(T0)
    assert snap.alert
    assert snap.active_silences == 0
    assert monitor.tick(start - timedelta(seconds=1)) == []
    assert types(monitor.tick(start)) == [EventType.ALERT_CLEARED]
    page, _ = monitor.history.page_events(1)
    assert page[0].message.startswith("Silence of all targets until ")


def test_remove_silence_expires_it() -> None:
    monitor = make(tcp("a", "Alpha"))
    down(monitor, "a")
    s = silence(target_ids=frozenset({"a"}), tags=frozenset({"x"}))
    monitor.add_silence(s, T0)
    now = T0 + timedelta(minutes=5)
    events = monitor.remove_silence("s1", "bob", now)
    assert types(events) == [EventType.ALERT_STARTED]
    removed = monitor.silences["s1"]
    assert removed.state(now) is SilenceState.EXPIRED
    assert removed.ends_at == now
    assert removed.starts_at == T0
    assert (removed.comment, removed.created_at) == (s.comment, s.created_at)
    page, _ = monitor.history.page_events(1)
    assert page[0].type is HistoryEventType.UNSILENCED
    assert page[0].message == "Silence of Alpha, #x ended by bob"
    with pytest.raises(RefusedError, match="unknown_silence"):
        monitor.remove_silence("s1", "bob", now)
    with pytest.raises(RefusedError, match="unknown_silence"):
        monitor.remove_silence("nope", "bob", now)


def test_silence_edges_are_announced_once() -> None:
    """Actions land between ticks: whoever sees a change first announces it."""
    monitor = make(tcp("a"))
    down(monitor, "a")
    created = T0 + timedelta(seconds=5)  # the last tick ran at T0
    end = created + timedelta(minutes=10)
    events = monitor.add_silence(silence(start=created, end=end), created)
    assert types(events) == [EventType.SILENCED, EventType.ALERT_CLEARED]
    assert monitor.tick(created + timedelta(seconds=3)) == []
    # The silence runs out: the next result sees it first, the tick stays quiet.
    assert types(monitor.record("a", fail(end + timedelta(seconds=1)))) == [
        EventType.ALERT_STARTED
    ]
    assert monitor.tick(end + timedelta(seconds=2)) == []
    # Ended by hand: announced by the call, not again by the tick.
    again = end + timedelta(seconds=5)
    monitor.add_silence(silence("s2", start=again), again)
    ended = again + timedelta(seconds=4)
    assert types(monitor.remove_silence("s2", "bob", ended)) == [
        EventType.ALERT_STARTED
    ]
    assert monitor.tick(ended + timedelta(seconds=1)) == []


def test_times_in_texts_use_the_monitor_writer() -> None:
    heartbeat = Target(
        id="hb",
        name="Job",
        kind=TargetKind.HEARTBEAT,
        settings=HeartbeatSettings(period=60, grace=10, token="t"),
    )
    monitor = make(heartbeat)
    monitor.describe_time = lambda moment, now: f"<{moment:%H:%M} at {now:%H:%M}>"
    monitor.heartbeat("hb", Ping("success", T0))
    monitor.check_heartbeats(T0 + timedelta(minutes=5))
    assert monitor.states["hb"].last_error == "No ping since <12:00 at 12:05>"
    monitor.add_silence(silence(), T0)
    page, _ = monitor.history.page_events(1)
    assert page[0].message == "Silence of all targets until <13:00 at 12:00> by alice"


def test_remove_pending_silence() -> None:
    monitor = make(tcp("a"))
    monitor.add_silence(silence(start=T0 + timedelta(hours=1)), T0)
    assert monitor.remove_silence("s1", "bob", T0) == []
    removed = monitor.silences["s1"]
    assert removed.starts_at == removed.ends_at == T0
    assert removed.state(T0) is SilenceState.EXPIRED


def test_add_silence_errors() -> None:
    monitor = make(tcp("a"))
    with pytest.raises(RefusedError, match="silence_in_past"):
        monitor.add_silence(silence(end=T0), T0)
    with pytest.raises(RefusedError, match="silence_in_past"):
        monitor.add_silence(silence(end=T0 - timedelta(seconds=1)), T0)
    with pytest.raises(RefusedError, match="silence_ends_before_start"):
        monitor.add_silence(
            silence(start=T0 + timedelta(hours=2), end=T0 + timedelta(hours=1)), T0
        )
    with pytest.raises(RefusedError, match="silence_in_past"):
        monitor.add_silence(
            silence(start=T0 - timedelta(hours=2), end=T0 - timedelta(hours=1)), T0
        )
    with pytest.raises(RefusedError, match="silence_in_past"):
        monitor.add_silence(silence(start=T0 - timedelta(hours=1), end=T0), T0)
    with pytest.raises(RefusedError) as err:
        monitor.add_silence(silence(target_ids=frozenset({"a", "zz", "yy"})), T0)
    assert err.value.key == "unknown_target"
    assert err.value.placeholders == {"target": "yy, zz"}
    assert monitor.silences == {}
    assert monitor.history.page_events(10)[1] == 0


def test_describe_silence_with_removed_target() -> None:
    monitor = make(tcp("a", "Alpha"), tcp("b"))
    s = silence(target_ids=frozenset({"a", "b"}))
    monitor.add_silence(s, T0)
    monitor.set_targets([tcp("a", "Alpha")], T0)
    assert describe_silence(s, monitor.targets) == "of Alpha, b"


def test_prune_silences() -> None:
    monitor = make(tcp("a"))
    monitor.add_silence(silence("old", end=T0 + timedelta(minutes=1)), T0)
    monitor.add_silence(silence("new", end=T0 + timedelta(days=1)), T0)
    later = T0 + timedelta(minutes=1, seconds=3600)
    monitor.prune_silences(later, keep_expired_seconds=3600)
    assert set(monitor.silences) == {"old", "new"}  # exactly at the limit: kept
    monitor.prune_silences(later + timedelta(seconds=1), keep_expired_seconds=3600)
    assert set(monitor.silences) == {"new"}


def test_snapshot_lists_silences_sorted() -> None:
    monitor = make(tcp("a"))
    monitor.add_silence(silence("z", start=T0 + timedelta(hours=2)), T0)
    monitor.add_silence(silence("y", start=T0), T0)
    monitor.add_silence(silence("x", start=T0), T0)
    snap = monitor.snapshot(T0)
    assert [s.id for s in snap.silences] == ["x", "y", "z"]
    assert snap.active_silences == 2


# ---------------------------------------------------------------- incidents


def test_incident_lifecycle() -> None:
    monitor = make(tcp("a", failure_threshold=2, success_threshold=2))
    monitor.record("a", fail(T0, "first"))
    monitor.record("a", fail(T0 + timedelta(seconds=60), "second"))
    monitor.record("a", fail(T0 + timedelta(seconds=120), "third"))
    monitor.record("a", ok(T0 + timedelta(seconds=180)))
    monitor.record("a", fail(T0 + timedelta(seconds=240), "fourth"))
    (incident,) = monitor.history.incidents.values()
    assert incident.target_id == "a"
    assert incident.target_name == "A"
    assert incident.started_at == T0 + timedelta(seconds=60)
    assert incident.first_error == "second"
    assert incident.last_error == "fourth"
    assert incident.failures == 3  # the most consecutive failures seen
    assert incident.ended_at is None
    assert incident.duration_seconds is None
    monitor.record("a", ok(T0 + timedelta(seconds=300)))
    monitor.record("a", ok(T0 + timedelta(seconds=360)))
    assert incident.ended_at == T0 + timedelta(seconds=360)
    assert incident.duration_seconds == 300.0
    assert monitor.states["a"].incident_id is None
    # A second outage is a second incident.
    down(monitor, "a", T0 + timedelta(hours=1))
    assert len(monitor.history.incidents) == 2
    newest = monitor.history.incidents_between(None, None, "a")[0]
    assert newest.started_at == T0 + timedelta(hours=1, seconds=1)
    assert newest.ended_at is None
    page, total = monitor.history.page_events(10, target_id="a")
    assert total == 3
    assert [e.type for e in page] == [
        HistoryEventType.DOWN,
        HistoryEventType.UP,
        HistoryEventType.DOWN,
    ]
    assert page[1].message == "A is up again"
    assert page[2].message == "A is down: second"


def test_recovery_without_incident_reports_no_downtime() -> None:
    monitor = make(tcp("a"))
    monitor.restore_state(
        "a", TargetState(consecutive_failures=3, is_down=True, last_check=T0)
    )
    monitor.settle_alert(T0)  # as the coordinator does after loading
    # Acknowledging works without an incident to note it in.
    assert types(monitor.acknowledge("a", "bob", T0)) == [
        EventType.ACKNOWLEDGED,
        EventType.ALERT_CLEARED,
    ]
    events = monitor.record("a", ok(T0))
    assert events[0].type is EventType.TARGET_UP
    assert events[0].data["downtime_seconds"] is None
    assert monitor.states["a"].acknowledgement is None
    monitor.restore_state("a", TargetState(last_check=T0))
    assert monitor.status("a") is Status.UP


def test_snapshot_views_follow_time() -> None:
    monitor = make(tcp("a"), tcp("b"))
    monitor.record("a", ok(T0))
    monitor.record("a", fail(T0 + timedelta(minutes=1)))
    first = monitor.snapshot(T0 + timedelta(minutes=2))
    assert first.targets["a"].uptime_24h == 50.0
    assert first.targets["b"].uptime_24h is None
    # Nothing happened since: the same views, equal snapshots.
    assert monitor.snapshot(T0 + timedelta(minutes=3)) == first
    # A day later the checks left the 24 h window.
    later = monitor.snapshot(T0 + timedelta(days=1, hours=1))
    assert later.targets["a"].uptime_24h is None
    assert later.targets["a"].status is Status.DOWN


# ------------------------------------------------------------- set_targets


def test_set_targets_keeps_state_for_cosmetic_changes() -> None:
    monitor = make(tcp("a", failure_threshold=2))
    down(monitor, "a")
    monitor.acknowledge("a", "bob", T0)
    incident_id = monitor.states["a"].incident_id
    renamed = replace(
        tcp("a", failure_threshold=5), name="Renamed", interval=300, timeout=3
    )
    monitor.set_targets([renamed], T0 + timedelta(minutes=1))
    state = monitor.states["a"]
    assert state.is_down
    assert state.consecutive_failures == 2
    assert state.incident_id == incident_id
    assert state.acknowledgement is not None
    assert monitor.snapshot(T0).targets["a"].target.name == "Renamed"


def test_raised_threshold_applies_to_next_outage() -> None:
    monitor = make(tcp("a", failure_threshold=3))
    monitor.record("a", fail(T0))
    monitor.record("a", fail(T0))
    monitor.set_targets([tcp("a", failure_threshold=2)], T0)
    assert monitor.status("a") is Status.PENDING  # no result, no transition
    assert types(monitor.record("a", fail(T0))) == [
        EventType.TARGET_DOWN,
        EventType.ALERT_STARTED,
    ]


def test_set_targets_resets_state_when_check_changes() -> None:
    monitor = make(tcp("a"))
    down(monitor, "a")
    incident_id = monitor.states["a"].incident_id
    changed = replace(tcp("a"), settings=TcpSettings(host="other.example", port=80))
    later = T0 + timedelta(minutes=3)
    events = monitor.set_targets([changed], later)
    assert types(events) == [EventType.ALERT_CLEARED]
    assert monitor.states["a"] == TargetState()
    assert monitor.status("a") is Status.UNKNOWN
    assert monitor.history.incidents[incident_id].ended_at == later  # type: ignore[index]
    assert not monitor.snapshot(later).alert
    # The incident did not end silently: the history says why.
    page, _ = monitor.history.page_events(1)
    assert (page[0].type, page[0].at, page[0].target_id) == (
        HistoryEventType.EDITED,
        later,
        "a",
    )
    assert page[0].message == (
        "A now checks something else: its checks start over; its incident ended"
    )
    # The same outage again is a new incident, and target_down comes again.
    assert types(down(monitor, "a", later)) == [
        EventType.TARGET_DOWN,
        EventType.ALERT_STARTED,
    ]
    # Changing the kind resets as well.
    ping = replace(changed, kind=TargetKind.PING)
    monitor.set_targets([ping], later)
    assert monitor.status("a") is Status.UNKNOWN


def test_settings_order_does_not_reset_state() -> None:
    first = replace(tcp("a"), settings=TcpSettings(host="h", port=1))
    second = replace(tcp("a"), settings=TcpSettings(port=1, host="h"))
    assert first.check_config() == second.check_config()
    monitor = make(first)
    down(monitor, "a")
    monitor.set_targets([second], T0)
    assert monitor.status("a") is Status.DOWN


def test_set_targets_drops_removed_targets() -> None:
    monitor = make(tcp("a"), tcp("b"))
    down(monitor, "a")
    monitor.record("b", ok(T0))
    assert set(monitor.snapshot(T0).targets) == {"a", "b"}
    incident_id = monitor.states["a"].incident_id
    later = T0 + timedelta(minutes=1)
    events = monitor.set_targets([tcp("b")], later)
    assert types(events) == [EventType.ALERT_CLEARED]
    assert set(monitor.states) == {"b"}
    assert set(monitor.snapshot(later).targets) == {"b"}
    assert not monitor.snapshot(later).alert
    incident = monitor.history.incidents[incident_id]  # type: ignore[index]
    assert incident.ended_at == later  # closed, kept as history
    assert "a" not in monitor.history.stats
    assert "b" in monitor.history.stats
    # A result arriving for the removed target is dropped.
    assert monitor.record("a", fail(later)) == []
    # Adding it back starts from scratch.
    monitor.set_targets([tcp("a"), tcp("b")], later)
    assert monitor.status("a") is Status.UNKNOWN


def test_pause_ends_the_incident_and_resume_starts_fresh() -> None:
    monitor = make(tcp("a", failure_threshold=3))
    down(monitor, "a")
    incident_id = monitor.states["a"].incident_id
    paused_at = T0 + timedelta(minutes=1)
    assert types(
        monitor.set_targets([tcp("a", failure_threshold=3, enabled=False)], paused_at)
    ) == [EventType.ALERT_CLEARED]
    assert monitor.status("a") is Status.PAUSED
    assert monitor.states["a"] == TargetState()
    assert monitor.history.incidents[incident_id].ended_at == paused_at  # type: ignore[index]
    page, _ = monitor.history.page_events(1)
    assert (page[0].type, page[0].message) == (
        HistoryEventType.PAUSED,
        "A paused; its incident ended",
    )
    assert (
        monitor.set_targets([tcp("a", failure_threshold=3, enabled=False)], paused_at)
        == []
    )

    # Resuming does not alert at once: the target is unknown until checked,
    # and alerts again only after `failure_threshold` new failures.
    resumed_at = paused_at + timedelta(minutes=1)
    assert monitor.set_targets([tcp("a", failure_threshold=3)], resumed_at) == []
    assert monitor.status("a") is Status.UNKNOWN
    page, _ = monitor.history.page_events(1)
    assert (page[0].type, page[0].message) == (
        HistoryEventType.RESUMED,
        "A resumed: its checks start over",
    )
    assert monitor.record("a", fail(resumed_at)) == []
    assert monitor.record("a", fail(resumed_at)) == []
    assert monitor.status("a") is Status.PENDING
    assert types(monitor.record("a", fail(resumed_at))) == [
        EventType.TARGET_DOWN,
        EventType.ALERT_STARTED,
    ]
    assert monitor.states["a"].incident_id not in (None, incident_id)


def test_pausing_a_healthy_target_is_recorded() -> None:
    monitor = make(tcp("a"))
    monitor.record("a", ok(T0))
    assert monitor.set_targets([tcp("a", enabled=False)], T0) == []
    page, _ = monitor.history.page_events(1)
    assert (page[0].type, page[0].message) == (HistoryEventType.PAUSED, "A paused")


def test_removing_a_down_target_records_the_end_of_its_incident() -> None:
    monitor = make(tcp("a"), tcp("b"))
    down(monitor, "a")
    monitor.set_targets([tcp("b")], T0)
    page, total = monitor.history.page_events(10, types=[HistoryEventType.REMOVED])
    assert total == 1
    assert (page[0].target_id, page[0].message) == (
        "a",
        "A removed; its incident ended",
    )


def test_cosmetic_edits_write_no_history() -> None:
    monitor = make(tcp("a"))
    down(monitor, "a")
    _, before = monitor.history.page_events(1)
    monitor.set_targets([replace(tcp("a", failure_threshold=4), name="Alpha")], T0)
    assert monitor.history.page_events(1)[1] == before
    assert monitor.status("a") is Status.DOWN


def test_heartbeat_trackers_follow_targets() -> None:
    settings_ = HeartbeatSettings(period=60, grace=10, token="t")
    hb = Target(id="hb", name="Job", kind=TargetKind.HEARTBEAT, settings=settings_)
    monitor = make(hb, tcp("a"))
    assert set(monitor.heartbeats) == {"hb"}
    assert monitor.heartbeats["hb"].awaited_since == T0
    # Unchanged: the tracker is kept.
    monitor.set_targets([hb, tcp("a")], T0 + timedelta(minutes=5))
    assert monitor.heartbeats["hb"].awaited_since == T0
    monitor.set_targets([tcp("a")], T0)
    assert monitor.heartbeats == {}
    with pytest.raises(RefusedError, match="unknown_target"):
        monitor.heartbeat("hb", Ping("success", T0))
    assert monitor.next_heartbeat_deadline() is None


# ------------------------------------------------------ model-based property


NAMES = ("Alpha", "Bravo", "Charlie")
IDS = ("a", "b", "c")
TAGS = {"a": ("web",), "b": ("web", "db"), "c": ()}
FAILING = (Status.PENDING, Status.DOWN)


@dataclass
class RefTarget:
    """What the reference model remembers of one target."""

    failure_threshold: int
    success_threshold: int
    enabled: bool = True
    depends_on: str | None = None
    checked: bool = False
    failures: int = 0
    successes: int = 0
    down: bool = False
    acked: bool = False


@dataclass
class RefSilence:
    """A silence as the reference model sees it."""

    start: datetime
    end: datetime
    target_ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()

    def covers(self, target_id: str, now: datetime) -> bool:
        if not self.start <= now < self.end:
            return False
        if not self.target_ids and not self.tags:
            return True
        return target_id in self.target_ids or bool(self.tags & set(TAGS[target_id]))


@dataclass
class Reference:
    """A deliberately plain model of the rules."""

    targets: dict[str, RefTarget] = field(default_factory=dict)
    silences: dict[str, RefSilence] = field(default_factory=dict)

    def raw(self, target_id: str) -> Status:
        t = self.targets[target_id]
        if t.down:
            return Status.DOWN
        if not t.checked:
            return Status.UNKNOWN
        return Status.PENDING if t.failures else Status.UP

    def status(self, target_id: str) -> Status:
        t = self.targets[target_id]
        if not t.enabled:
            return Status.PAUSED
        raw = self.raw(target_id)
        # Dependencies are acyclic here (the config flow refuses cycles).
        if (
            raw in FAILING
            and t.depends_on is not None
            and self.status(t.depends_on) in (Status.DOWN, Status.UNREACHABLE)
        ):
            return Status.UNREACHABLE
        return raw

    def alerting(self, now: datetime) -> list[str]:
        return sorted(
            (
                target_id
                for target_id, t in self.targets.items()
                if self.status(target_id) is Status.DOWN
                and t.enabled
                and not t.acked
                and not any(s.covers(target_id, now) for s in self.silences.values())
            ),
            key=lambda tid: NAMES[IDS.index(tid)],
        )


def restart(r: RefTarget) -> None:
    """Pausing or resuming starts a target over (engine/changes.py)."""
    r.checked = r.down = r.acked = False
    r.failures = r.successes = 0


class MonitorMachine(RuleBasedStateMachine):
    """Drive Monitor and the reference model with the same operations."""

    def __init__(self) -> None:
        super().__init__()
        self.monitor = Monitor()
        self.ref = Reference()
        self.now = T0
        self.silence_count = 0
        self.down_transitions = 0
        self.announced = False

    def flip(self) -> list[EventType]:
        """Return the hub alert change since it was last announced."""
        alerting = bool(self.ref.alerting(self.now))
        if alerting == self.announced:
            return []
        self.announced = alerting
        return [EventType.ALERT_STARTED if alerting else EventType.ALERT_CLEARED]

    def target(self, target_id: str) -> Target:
        r = self.ref.targets[target_id]
        return Target(
            id=target_id,
            name=NAMES[IDS.index(target_id)],
            kind=TargetKind.TCP,
            settings=TcpSettings(host=target_id, port=80),
            failure_threshold=r.failure_threshold,
            success_threshold=r.success_threshold,
            enabled=r.enabled,
            depends_on=r.depends_on,
            tags=TAGS[target_id],
        )

    def apply_targets(self) -> list[Event]:
        return self.monitor.set_targets([self.target(t) for t in IDS], self.now)

    @initialize(
        thresholds=st.lists(st.integers(1, 10), min_size=3, max_size=3),
        success_thresholds=st.lists(st.integers(1, 5), min_size=3, max_size=3),
        b_parent=st.sampled_from([None, "a"]),
        c_parent=st.sampled_from([None, "a", "b"]),
    )
    def setup(
        self,
        thresholds: list[int],
        success_thresholds: list[int],
        b_parent: str | None,
        c_parent: str | None,
    ) -> None:
        for target_id, ft, st_ in zip(IDS, thresholds, success_thresholds, strict=True):
            self.ref.targets[target_id] = RefTarget(ft, st_)
        self.ref.targets["b"].depends_on = b_parent
        self.ref.targets["c"].depends_on = c_parent
        assert self.apply_targets() == []

    # --- operations ---------------------------------------------------------

    @rule(
        target_id=st.sampled_from(IDS),
        success=st.booleans(),
        repeat=st.integers(1, 4),
    )
    def record(self, target_id: str, success: bool, repeat: int) -> None:
        for _ in range(repeat):
            self.now += timedelta(seconds=30)
            r = self.ref.targets[target_id]
            result = (
                ok(self.now) if success else fail(self.now, f"err {self.now:%H%M%S}")
            )
            if not r.enabled:
                # Only a check running when it was paused can report; the
                # coordinator drops such results (see async_record).
                continue
            expected: list[EventType] = []
            r.checked = True
            if success:
                r.successes += 1
                r.failures = 0
                if r.down and r.successes >= r.success_threshold:
                    r.down = False
                    r.acked = False
                    expected.append(EventType.TARGET_UP)
            else:
                r.failures += 1
                r.successes = 0
                if not r.down and r.failures >= r.failure_threshold:
                    r.down = True
                    self.down_transitions += 1
                    expected.append(EventType.TARGET_DOWN)
            expected += self.flip()
            assert types(self.monitor.record(target_id, result)) == expected

    @rule(target_id=st.sampled_from(IDS))
    def acknowledge(self, target_id: str) -> None:
        r = self.ref.targets[target_id]
        if not r.down:
            with pytest.raises(RefusedError, match="target_not_down"):
                self.monitor.acknowledge(target_id, "op", self.now)
            return
        r.acked = True
        expected = [
            EventType.ACKNOWLEDGED,
            *self.flip(),
        ]
        assert types(self.monitor.acknowledge(target_id, "op", self.now)) == expected

    @rule(target_id=st.sampled_from(IDS))
    def unacknowledge(self, target_id: str) -> None:
        r = self.ref.targets[target_id]
        if not r.acked:
            with pytest.raises(RefusedError, match="target_not_acknowledged"):
                self.monitor.unacknowledge(target_id, "op", self.now)
            return
        r.acked = False
        expected = self.flip()
        assert types(self.monitor.unacknowledge(target_id, "op", self.now)) == expected

    @rule(
        scope=st.sampled_from(["all", "id", "tag"]),
        target_id=st.sampled_from(IDS),
        tag=st.sampled_from(["web", "db", "none"]),
        delay=st.sampled_from([0, 0, 60, 600]),
        duration=st.sampled_from([30, 300, 3600]),
    )
    def add_silence(
        self, scope: str, target_id: str, tag: str, delay: int, duration: int
    ) -> None:
        self.silence_count += 1
        silence_id = f"s{self.silence_count}"
        ref = RefSilence(
            start=self.now + timedelta(seconds=delay),
            end=self.now + timedelta(seconds=delay + duration),
            target_ids=frozenset({target_id}) if scope == "id" else frozenset(),
            tags=frozenset({tag}) if scope == "tag" else frozenset(),
        )
        self.ref.silences[silence_id] = ref
        expected = [
            EventType.SILENCED,
            *self.flip(),
        ]
        events = self.monitor.add_silence(
            Silence(
                id=silence_id,
                starts_at=ref.start,
                ends_at=ref.end,
                created_by="op",
                target_ids=ref.target_ids,
                tags=ref.tags,
            ),
            self.now,
        )
        assert types(events) == expected

    @precondition(lambda self: self.ref.silences)
    @rule(data=st.data())
    def remove_silence(self, data: st.DataObject) -> None:
        silence_id = data.draw(st.sampled_from(sorted(self.ref.silences)))
        ref = self.ref.silences[silence_id]
        if self.now >= ref.end:
            with pytest.raises(RefusedError, match="unknown_silence"):
                self.monitor.remove_silence(silence_id, "op", self.now)
            return
        ref.start = min(ref.start, self.now)
        ref.end = self.now
        expected = self.flip()
        assert (
            types(self.monitor.remove_silence(silence_id, "op", self.now)) == expected
        )

    @rule(seconds=st.sampled_from([1, 30, 120, 900, 3600, 86400]))
    def advance(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)
        assert types(self.monitor.tick(self.now)) == self.flip()

    @rule(seconds=st.sampled_from([1, 30, 600, 3600]))
    def time_passes_between_ticks(self, seconds: int) -> None:
        # Silences start and end between ticks: the next call of any kind
        # announces the change, and no later call announces it again.
        self.now += timedelta(seconds=seconds)

    @rule(target_id=st.sampled_from(IDS))
    def toggle_enabled(self, target_id: str) -> None:
        r = self.ref.targets[target_id]
        r.enabled = not r.enabled
        restart(r)
        expected = self.flip()
        assert types(self.apply_targets()) == expected

    @rule(
        b_parent=st.sampled_from([None, "a"]),
        c_parent=st.sampled_from([None, "a", "b"]),
    )
    def rewire(self, b_parent: str | None, c_parent: str | None) -> None:
        self.ref.targets["b"].depends_on = b_parent
        self.ref.targets["c"].depends_on = c_parent
        expected = self.flip()
        assert types(self.apply_targets()) == expected

    @rule(
        target_id=st.sampled_from(IDS),
        failure_threshold=st.integers(1, 10),
        success_threshold=st.integers(1, 5),
    )
    def change_thresholds(
        self, target_id: str, failure_threshold: int, success_threshold: int
    ) -> None:
        r = self.ref.targets[target_id]
        r.failure_threshold = failure_threshold
        r.success_threshold = success_threshold
        # State is kept: only a change that time made may be announced.
        assert types(self.apply_targets()) == self.flip()

    # --- invariants ---------------------------------------------------------

    @invariant()
    def statuses_match(self) -> None:
        if not self.ref.targets:
            return
        snap = self.monitor.snapshot(self.now)
        for target_id in IDS:
            view = snap.targets[target_id]
            r = self.ref.targets[target_id]
            assert view.status is self.ref.status(target_id), target_id
            assert view.consecutive_failures == r.failures
            assert view.consecutive_successes == r.successes
            assert (view.acknowledgement is not None) == r.acked
            assert view.silenced == any(
                s.covers(target_id, self.now) for s in self.ref.silences.values()
            )
            # Cached views must not go stale as time passes.
            assert view.uptime_24h == self.monitor.history.uptime(
                target_id, self.now, "24h"
            )

    @invariant()
    def hub_alert_matches(self) -> None:
        if not self.ref.targets:
            return
        snap = self.monitor.snapshot(self.now)
        expected = self.ref.alerting(self.now)
        assert snap.failing == tuple(
            FailingTarget(
                name=NAMES[IDS.index(tid)],
                failures=self.ref.targets[tid].failures,
                threshold=self.ref.targets[tid].failure_threshold,
            )
            for tid in expected
        )
        assert snap.alert == bool(expected)
        assert {tid for tid, v in snap.targets.items() if v.in_hub_alert} == set(
            expected
        )
        assert snap.active_silences == sum(
            1 for s in self.ref.silences.values() if s.start <= self.now < s.end
        )

    @invariant()
    def one_open_incident_per_down_target(self) -> None:
        if not self.ref.targets:
            return
        incidents = self.monitor.history.incidents.values()
        assert len(incidents) == self.down_transitions
        for target_id, r in self.ref.targets.items():
            open_ = [
                i for i in incidents if i.target_id == target_id and i.ended_at is None
            ]
            assert len(open_) == (1 if r.down else 0)
            if r.down:
                assert self.monitor.states[target_id].incident_id == open_[0].id
                assert (open_[0].acknowledged_by is not None) or not r.acked


MonitorMachine.TestCase.settings = settings(
    max_examples=120,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_monitor_matches_reference_model = MonitorMachine.TestCase


# ------------------------------------------------ silence rules (one place)


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        (SilenceRequest(duration=timedelta(hours=1)), "silence_needs_scope"),
        (
            SilenceRequest(everything=True, tags=frozenset({"x"}), ends_at=T0),
            "all_with_targets",
        ),
        (
            SilenceRequest(target_ids=frozenset({"zz"}), duration=timedelta(1)),
            "unknown_target",
        ),
        (SilenceRequest(tags=frozenset({"zz"}), duration=timedelta(1)), "unknown_tag"),
        (SilenceRequest(everything=True), "silence_needs_end"),
        (
            SilenceRequest(
                everything=True,
                ends_at=T0 + timedelta(hours=2),
                duration=timedelta(hours=1),
            ),
            "duration_and_end",
        ),
        (
            SilenceRequest(everything=True, duration=timedelta(days=366)),
            "silence_too_long",
        ),
        (
            SilenceRequest(everything=True, ends_at=T0 + timedelta(days=366)),
            "silence_too_long",
        ),
        (
            SilenceRequest(
                everything=True,
                starts_at=datetime.max.replace(tzinfo=UTC),
                duration=timedelta(1),
            ),
            "invalid_time",
        ),
        (
            SilenceRequest(everything=True, ends_at=T0 - timedelta(minutes=1)),
            "silence_in_past",
        ),
    ],
)
def test_silence_rules_live_in_the_engine(
    request_: SilenceRequest, reason: str
) -> None:
    """Services and the API hand requests over; the engine applies the rules."""
    monitor = make(tcp("a"))
    with pytest.raises(RefusedError) as err:
        monitor.silence(request_, "bob", T0)
    assert err.value.key == reason
    assert monitor.silences == {}


def test_silence_by_duration_starts_now_and_unsilence_by_tag() -> None:
    monitor = make(replace(tcp("a"), tags=("nightly",)), tcp("b"))
    silence, _ = monitor.silence(
        SilenceRequest(tags=frozenset({"nightly"}), duration=timedelta(hours=1)),
        "bob",
        T0,
    )
    assert (silence.starts_at, silence.ends_at) == (T0, T0 + timedelta(hours=1))
    with pytest.raises(RefusedError, match="unsilence_needs_scope"):
        monitor.unsilence(UnsilenceRequest(), "bob", T0)
    with pytest.raises(RefusedError, match="no_matching_silence"):
        monitor.unsilence(UnsilenceRequest(target_ids=frozenset({"b"})), "bob", T0)
    ended_ids, _ = monitor.unsilence(
        UnsilenceRequest(tags=frozenset({"nightly"})), "bob", T0
    )
    assert ended_ids == [silence.id]
    assert monitor.silences[silence.id].state(T0) is SilenceState.EXPIRED
