"""Tests of saving and loading the monitor's state (engine/persistence.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.history import History
from custom_components.pialert.engine.models import (
    CheckResult,
    Silence,
    Status,
    Target,
    TargetKind,
)
from custom_components.pialert.engine.persistence import (
    SavedStateError,
    dump,
    restore,
)
from custom_components.pialert.engine.probes.heartbeat import Ping
from custom_components.pialert.engine.settings import (
    HeartbeatSettings,
    HttpSettings,
    PingSettings,
    TcpSettings,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def sec(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


TARGETS = (
    Target(
        id="web",
        name="Web",
        kind=TargetKind.HTTP,
        settings=HttpSettings(url="https://example.org"),
        failure_threshold=2,
        success_threshold=2,
        tags=("prod",),
    ),
    Target(
        id="db",
        name="Database",
        kind=TargetKind.TCP,
        settings=TcpSettings(host="db", port=5432),
        failure_threshold=1,
        depends_on="web",
    ),
    Target(
        id="job",
        name="Backup",
        kind=TargetKind.HEARTBEAT,
        settings=HeartbeatSettings(period=60, grace=10, token="tok"),
        failure_threshold=1,
    ),
    Target(
        id="paused",
        name="Paused",
        kind=TargetKind.PING,
        settings=PingSettings(host="p"),
        enabled=False,
    ),
)


def fresh(targets: tuple[Target, ...] = TARGETS) -> Monitor:
    monitor = Monitor()
    monitor.set_targets(targets, T0)
    return monitor


def round_trip(monitor: Monitor, targets: tuple[Target, ...] = TARGETS) -> Monitor:
    data = json.loads(json.dumps(dump(monitor)))
    loaded = fresh(targets)
    restore(loaded, data)
    return loaded


def assert_same(
    a: Monitor, b: Monitor, now: datetime, *, same_ids: bool = True
) -> None:
    assert a.snapshot(now) == b.snapshot(now)
    assert a.states == b.states
    assert a.history.incidents == b.history.incidents
    if same_ids:
        assert list(a.history.events) == list(b.history.events)
        assert a.history.page_events(50) == b.history.page_events(50)
    else:  # events added after loading got new random ids
        assert [replace(e, id="") for e in a.history.events] == [
            replace(e, id="") for e in b.history.events
        ]
    assert a.silences == b.silences
    assert a.heartbeats == b.heartbeats
    assert a.history.stats == b.history.stats
    for target in TARGETS:
        for window in ("24h", "7d", "30d"):
            assert a.history.uptime(target.id, now, window) == b.history.uptime(
                target.id, now, window
            )


def busy_monitor() -> Monitor:
    monitor = fresh()
    monitor.record(
        "web",
        CheckResult(
            success=True,
            checked_at=sec(1),
            response_time_ms=12.5,
            cert_days_remaining=40,
        ),
    )
    monitor.record("web", CheckResult(False, sec(61), "HTTP 500", 30.25))
    monitor.record("web", CheckResult(False, sec(121), "HTTP 502", 31.0))
    monitor.acknowledge("web", "bob", sec(130), "looking")
    monitor.record("db", CheckResult(False, sec(140), "refused"))  # unreachable
    monitor.heartbeat("job", Ping("start", sec(150)))
    monitor.add_silence(
        Silence(
            id="s1",
            starts_at=sec(200),
            ends_at=sec(4000),
            created_by="carol",
            comment="window",
            tags=frozenset({"prod"}),
            created_at=sec(160),
        ),
        sec(160),
    )
    monitor.add_silence(
        Silence(
            id="s2",
            starts_at=sec(100),
            ends_at=sec(900),
            created_by="dave",
            target_ids=frozenset({"db"}),
        ),
        sec(170),
    )
    monitor.remove_silence("s2", "dave", sec(180))
    monitor.record("paused", CheckResult(True, sec(10), response_time_ms=1.0))
    # A closed incident too.
    monitor.record("db", CheckResult(True, sec(300), response_time_ms=2.0))
    monitor.record("db", CheckResult(False, sec(360), "refused again"))
    return monitor


def test_dump_is_json_safe_and_round_trips() -> None:
    monitor = busy_monitor()
    data = dump(monitor)
    text = json.dumps(data)
    assert json.loads(text) == json.loads(json.dumps(json.loads(text)))
    loaded = round_trip(monitor)
    now = sec(400)
    assert_same(monitor, loaded, now)
    snap = loaded.snapshot(now)
    assert snap.targets["web"].status is Status.DOWN
    assert snap.targets["web"].acknowledgement is not None
    assert snap.targets["web"].cert_days_remaining == 40
    assert snap.targets["db"].status is Status.UNREACHABLE
    assert snap.targets["paused"].status is Status.PAUSED
    assert snap.active_silences == 1
    assert loaded.heartbeats["job"].started_at == sec(150)
    # The loaded monitor goes on where the saved one stopped.
    for m in (monitor, loaded):
        m.record("web", CheckResult(True, sec(420)))
        events = m.record("web", CheckResult(True, sec(480)))
        # The database is no longer behind a down parent: it alerts now.
        assert [e.type.value for e in events] == ["target_up", "alert_started"]
    assert_same(monitor, loaded, sec(500), same_ids=False)


def test_round_trip_of_an_empty_monitor() -> None:
    monitor = fresh()
    data = dump(monitor)
    assert data["incidents"] == []
    assert data["events"] == []
    assert data["silences"] == []
    assert data["stats"] == {}
    assert set(data["heartbeats"]) == {"job"}
    assert_same(monitor, round_trip(monitor), T0)


def test_restore_tolerates_missing_keys() -> None:
    monitor = fresh()
    restore(monitor, {})
    assert_same(monitor, fresh(), T0)
    restore(
        monitor,
        {
            "states": {"web": {}},
            "incidents": [
                {
                    "id": "i1",
                    "target_id": "web",
                    "target_name": "Web",
                    "started_at": T0.isoformat(),
                }
            ],
            "events": [{"id": "e1", "type": "down", "at": T0.isoformat()}],
            "silences": [
                {
                    "id": "s1",
                    "starts_at": T0.isoformat(),
                    "ends_at": sec(60).isoformat(),
                }
            ],
            "stats": {"web": {}},
            "heartbeats": {"job": {"awaited_since": sec(5).isoformat()}},
        },
    )
    assert monitor.status("web") is Status.UNKNOWN
    incident = monitor.history.incidents["i1"]
    assert (incident.failures, incident.first_error, incident.ended_at) == (
        0,
        None,
        None,
    )
    (event,) = monitor.history.events
    assert (event.target_id, event.message) == (None, "")
    silence = monitor.silences["s1"]
    assert silence.matches_all
    assert (silence.created_by, silence.comment, silence.created_at) == ("", "", None)
    assert len(monitor.history.stats["web"].hourly) == 0
    assert monitor.heartbeats["job"].awaited_since == sec(5)
    assert monitor.heartbeats["job"].last_ping is None


def test_restore_ignores_removed_targets() -> None:
    monitor = busy_monitor()
    data = json.loads(json.dumps(dump(monitor)))
    remaining = tuple(t for t in TARGETS if t.id not in ("db", "job"))
    loaded = fresh(remaining)
    restore(loaded, data)
    assert set(loaded.states) == {"web", "paused"}
    assert set(loaded.history.stats) == {"web", "paused"}
    assert loaded.heartbeats == {}
    # Incidents and events of removed targets stay as history.
    assert {i.target_id for i in loaded.history.incidents.values()} == {"web", "db"}
    assert len(loaded.history.events) == len(monitor.history.events)
    assert [f.name for f in loaded.snapshot(sec(100)).failing] == []


def test_heartbeat_state_for_a_non_heartbeat_target_is_ignored() -> None:
    monitor = fresh()
    restore(monitor, {"heartbeats": {"web": {"awaited_since": T0.isoformat()}}})
    assert set(monitor.heartbeats) == {"job"}


def test_restore_rejects_missing_required_timestamps() -> None:
    monitor = fresh()
    with pytest.raises(ValueError, match="missing timestamp"):
        restore(
            monitor,
            {"events": [{"id": "e", "type": "down", "at": None}]},
        )
    with pytest.raises(ValueError, match="missing timestamp"):
        restore(
            monitor,
            {"heartbeats": {"job": {"awaited_since": ""}}},
        )


def test_restored_alerting_state_counts_for_the_hub() -> None:
    monitor = fresh()
    monitor.record("web", CheckResult(False, sec(1), "x"))
    monitor.record("web", CheckResult(False, sec(2), "x"))
    data = dump(monitor)
    loaded = fresh()
    restore(loaded, data)
    assert loaded.snapshot(sec(3)).alert
    # The restored incident is the target's open incident.
    loaded.record("web", CheckResult(False, sec(4), "y"))
    (incident,) = loaded.history.incidents.values()
    assert (incident.failures, incident.last_error) == (3, "y")


def test_restore_keeps_history_limits() -> None:
    monitor = fresh()
    for i in range(10):
        monitor.record("db", CheckResult(i % 2 == 0, sec(i), "x"))
    loaded = Monitor(History(max_events=3))
    loaded.set_targets(TARGETS, T0)
    restore(loaded, dump(monitor))
    assert len(loaded.history.events) == 3


# --------------------------------------------------------------- property

OPERATION = st.one_of(
    st.tuples(st.just("record"), st.sampled_from(["web", "db", "job"]), st.booleans()),
    st.tuples(st.just("ack"), st.sampled_from(["web", "db"]), st.booleans()),
    st.tuples(st.just("silence"), st.sampled_from(["web", "db"]), st.booleans()),
    st.tuples(
        st.just("ping"), st.sampled_from(["start", "success", "fail"]), st.booleans()
    ),
    st.tuples(st.just("wait"), st.sampled_from(["30", "3600", "90000"]), st.booleans()),
)


@settings(max_examples=40, deadline=None)
@given(operations=st.lists(OPERATION, max_size=25))
def test_round_trip_after_any_history(operations: list[tuple[str, str, bool]]) -> None:
    monitor = fresh()
    now = T0
    for i, (op, arg, flag) in enumerate(operations):
        now += timedelta(seconds=17)
        if op == "record":
            rt = round(i * 1.25, 3) if flag else None
            monitor.record(arg, CheckResult(flag, now, None if flag else "e", rt))
        elif op == "ack" and monitor.states[arg].is_down:
            monitor.acknowledge(arg, "op", now, "note" if flag else None)
        elif op == "silence":
            monitor.add_silence(
                Silence(
                    id=f"s{i}",
                    starts_at=now,
                    ends_at=now + timedelta(minutes=30),
                    created_by="op",
                    target_ids=frozenset({arg}) if flag else frozenset(),
                ),
                now,
            )
        elif op == "ping":
            monitor.heartbeat("job", Ping(arg, now, exit_code=2 if flag else None))
        elif op == "wait":
            now += timedelta(seconds=int(arg))
            monitor.check_heartbeats(now)
    loaded = round_trip(monitor)
    assert_same(monitor, loaded, now)
    assert_same(monitor, loaded, now + timedelta(hours=1))


def test_dump_shape() -> None:
    data: dict[str, Any] = dump(busy_monitor())
    assert set(data) == {
        "states",
        "heartbeats",
        "silences",
        "incidents",
        "events",
        "stats",
        "checks",
        "days",
        "maintenance_windows",
    }
    web = data["states"]["web"]
    assert web["acknowledgement"] == {
        "by": "bob",
        "at": sec(130).isoformat(),
        "note": "looking",
    }
    assert web["alerting"] is True
    assert data["states"]["db"]["acknowledgement"] is None
    assert {s["id"]: s["target_ids"] for s in data["silences"]} == {
        "s1": [],
        "s2": ["db"],
    }
    assert data["heartbeats"]["job"] == {
        "awaited_since": T0.isoformat(),
        "last_ping": None,
        "started_at": sec(150).isoformat(),
        "runs": {},
        "pings": [
            {
                "at": sec(150).isoformat(),
                "signal": "start",
                "rid": None,
                "exit_code": None,
                "duration_ms": None,
                "body": "",
            }
        ],
    }


WRONG_TYPES = {
    "not an object": [],
    "unknown section": {"states": {}, "extra": 1},
    "section of the wrong kind": {"incidents": {}},
    "count as string": {"states": {"web": {"consecutive_failures": "3"}}},
    "negative count": {"states": {"web": {"consecutive_successes": -1}}},
    "flag as string": {"states": {"web": {"alerting": "false"}}},
    "number as string": {"states": {"web": {"response_time_ms": "fast"}}},
    "error as number": {"states": {"web": {"last_error": 5}}},
    "naive timestamp": {"states": {"web": {"last_check": "2024-05-01T12:00:00"}}},
    "heartbeat runs as list": {
        "heartbeats": {
            "job": {"awaited_since": "2024-05-01T12:00:00+00:00", "runs": []}
        }
    },
    "heartbeat ping body as number": {
        "heartbeats": {
            "job": {
                "awaited_since": "2024-05-01T12:00:00+00:00",
                "pings": [
                    {"at": "2024-05-01T12:00:00+00:00", "signal": "log", "body": 5}
                ],
            }
        }
    },
    "timestamp as number": {"states": {"web": {"last_check": 1714564800}}},
    "impossible date": {"states": {"web": {"last_success": "2024-02-30T00:00:00Z"}}},
    "acknowledgement by nobody": {
        "states": {"web": {"acknowledgement": {"by": 5, "at": T0.isoformat()}}}
    },
    "ids as string": {
        "silences": [
            {
                "id": "s",
                "starts_at": T0.isoformat(),
                "ends_at": sec(60).isoformat(),
                "target_ids": "web",
            }
        ]
    },
    "bucket too short": {"stats": {"web": {"hourly": [[0, 1, 1]]}}},
    "unknown event type": {
        "events": [{"id": "e", "type": "exploded", "at": T0.isoformat()}]
    },
    "incident failures as float": {
        "incidents": [
            {
                "id": "i",
                "target_id": "web",
                "target_name": "Web",
                "started_at": T0.isoformat(),
                "failures": 1.5,
            }
        ]
    },
}


@pytest.mark.parametrize("data", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_restore_type_checks_and_leaves_the_monitor_untouched(data: Any) -> None:
    """A wrong type is refused at load, before anything is restored."""
    monitor = fresh()
    good = dump(busy_monitor())
    with pytest.raises(SavedStateError):
        # Valid sections first: none of them may be applied either.
        restore(monitor, {**good, **data} if isinstance(data, dict) else data)
    assert_same(monitor, fresh(), T0)


def test_files_with_the_old_monitored_since_field_still_load() -> None:
    """A field no longer kept is ignored, not refused (the saved format stays)."""
    monitor = Monitor()
    monitor.set_targets(TARGETS, T0)
    data = dump(monitor)
    target_id = TARGETS[0].id
    data["states"][target_id]["monitored_since"] = T0.isoformat()
    restore(monitor, data)
    assert "monitored_since" not in dump(monitor)["states"][target_id]
