"""Cron heartbeats in a time zone, run ids and the jobs' output (engine)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.config import kind_errors
from custom_components.pialert.engine.cron import is_cron, is_time_zone, next_fire
from custom_components.pialert.engine.models import Status, Target, TargetKind
from custom_components.pialert.engine.ping_log import (
    MAX_PINGS_KEPT,
    OUTPUT_LIMIT,
    PingLog,
    PingRecord,
    output_tail,
)
from custom_components.pialert.engine.probes.heartbeat import (
    MAX_OPEN_RUNS,
    HeartbeatSettings,
    HeartbeatTracker,
    Ping,
)

BERLIN = "Europe/Berlin"
DAILY_9 = "0 9 * * *"
GRACE = 300


def cron_job(
    schedule: str = DAILY_9, time_zone: str | None = BERLIN, grace: int = GRACE
) -> Target:
    return Target(
        id="job",
        name="Nightly job",
        kind=TargetKind.HEARTBEAT,
        settings=HeartbeatSettings(
            period=86400,
            grace=grace,
            token="tok",
            schedule=schedule,
            time_zone=time_zone,
        ),
        failure_threshold=1,
    )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -------------------------------------------------------------- cron across DST


def test_cron_heartbeat_across_spring_forward() -> None:
    """09:00 Berlin is 08:00 UTC before the change and 07:00 UTC after it."""
    monitor = Monitor()
    pinged = utc(2026, 3, 28, 8, 0)  # Saturday 09:00 CET
    monitor.set_targets([cron_job()], pinged)
    monitor.heartbeat("job", Ping("success", pinged))
    deadline = utc(2026, 3, 29, 7, 5)  # Sunday 09:00 CEST + grace
    assert monitor.next_heartbeat_deadline() == deadline
    # A fixed 24 h period would wait until 08:05 UTC.
    assert monitor.check_heartbeats(deadline - timedelta(seconds=1)) == []
    assert monitor.status("job") is Status.UP
    monitor.check_heartbeats(deadline)
    assert monitor.status("job") is Status.DOWN
    # The next miss is the next day's 09:00 CEST.
    assert monitor.next_heartbeat_deadline() == utc(2026, 3, 30, 7, 5)


def test_cron_heartbeat_across_fall_back() -> None:
    """After the clocks go back, 09:00 Berlin is 08:00 UTC again."""
    monitor = Monitor()
    pinged = utc(2026, 10, 24, 7, 0)  # Saturday 09:00 CEST
    monitor.set_targets([cron_job()], pinged)
    monitor.heartbeat("job", Ping("success", pinged))
    assert monitor.next_heartbeat_deadline() == utc(2026, 10, 25, 8, 5)
    assert monitor.check_heartbeats(utc(2026, 10, 25, 7, 6)) == []
    assert monitor.status("job") is Status.UP


def test_cron_time_skipped_by_the_change_is_due_when_the_clock_jumps() -> None:
    """02:30 does not exist on 29 March in Berlin: due at 03:00 CEST (Debian cron)."""
    monitor = Monitor()
    pinged = utc(2026, 3, 28, 1, 30)  # Saturday 02:30 CET
    monitor.set_targets([cron_job("30 2 * * *", grace=0)], pinged)
    monitor.heartbeat("job", Ping("success", pinged))
    assert monitor.next_heartbeat_deadline() == utc(2026, 3, 29, 1, 0)


def test_cron_without_a_zone_follows_home_assistants() -> None:
    """A schedule naming no zone runs in the monitor's (Home Assistant's) zone."""
    monitor = Monitor()
    monitor.time_zone = ZoneInfo("America/New_York")
    pinged = utc(2026, 3, 7, 14, 0)  # Saturday 09:00 EST
    monitor.set_targets([cron_job(time_zone=None)], pinged)
    monitor.heartbeat("job", Ping("success", pinged))
    # US clocks go forward on 8 March: 09:00 EDT is 13:00 UTC.
    assert monitor.next_heartbeat_deadline() == utc(2026, 3, 8, 13, 5)


def test_cron_and_zone_validation() -> None:
    """Bad expressions and unknown zones are refused with their own error keys."""
    assert is_cron("*/15 9-17 * * 1-5")
    assert not is_cron("0 9 * *")  # four fields
    assert not is_cron("0 0 9 * * *")  # six (seconds) fields
    assert not is_cron("61 * * * *")
    assert not is_cron("0 0 31 2 *")  # never runs
    assert is_time_zone(BERLIN)
    assert not is_time_zone("Mars/Olympus_Mons")
    assert not is_time_zone("../../etc/passwd")
    base = {"period": 3600, "grace": 60}
    assert kind_errors(TargetKind.HEARTBEAT, {**base, "schedule": "0 25 * * *"}) == {
        "schedule": "invalid_schedule"
    }
    assert kind_errors(TargetKind.HEARTBEAT, {**base, "time_zone": "Nowhere"}) == {
        "time_zone": "invalid_time_zone"
    }
    assert kind_errors(TargetKind.HEARTBEAT, {**base, "schedule": DAILY_9}) == {}


def test_next_fire_is_strictly_after() -> None:
    zone = ZoneInfo(BERLIN)
    at_nine = utc(2026, 6, 1, 7, 0)  # 09:00 CEST
    assert next_fire(DAILY_9, at_nine, zone) == utc(2026, 6, 2, 7, 0)


# ------------------------------------------------------------------- run ids


def test_overlapping_runs_are_timed_separately() -> None:
    monitor = Monitor()
    t0 = utc(2026, 6, 1, 0, 0)
    monitor.set_targets([cron_job()], t0)
    tracker = monitor.heartbeats["job"]
    monitor.heartbeat("job", Ping("start", t0, rid="a"))
    monitor.heartbeat("job", Ping("start", t0 + timedelta(seconds=10), rid="b"))
    monitor.heartbeat("job", Ping("success", t0 + timedelta(seconds=25), rid="b"))
    assert monitor.snapshot(t0).targets["job"].response_time_ms == 15_000
    monitor.heartbeat("job", Ping("success", t0 + timedelta(seconds=40), rid="a"))
    assert monitor.snapshot(t0).targets["job"].response_time_ms == 40_000
    assert tracker.runs == {}
    durations = [p.duration_ms for p in tracker.log.latest() if p.signal == "success"]
    assert durations == [40_000, 15_000]
    # A failed run is timed too.
    monitor.heartbeat("job", Ping("start", t0 + timedelta(seconds=41), rid="c"))
    monitor.heartbeat("job", Ping("fail", t0 + timedelta(seconds=44), rid="c"))
    assert tracker.log.latest()[0].duration_ms == 3_000
    # A finish of an unknown run is a success without a run time.
    monitor.heartbeat("job", Ping("success", t0 + timedelta(seconds=50), rid="zz"))
    assert monitor.snapshot(t0).targets["job"].response_time_ms is None


def test_open_runs_are_bounded_and_time_out_by_name() -> None:
    t0 = utc(2026, 6, 1, 0, 0)
    settings = cron_job(grace=60).settings_as(HeartbeatSettings)
    tracker = HeartbeatTracker(awaited_since=t0)
    for n in range(MAX_OPEN_RUNS + 1):
        tracker.take(Ping("start", t0 + timedelta(seconds=n), rid=f"run{n}"))
    assert len(tracker.runs) == MAX_OPEN_RUNS
    assert "run0" not in tracker.runs  # the oldest was dropped
    assert tracker.next_deadline(settings) == t0 + timedelta(seconds=61)
    result = tracker.overdue(settings, t0 + timedelta(seconds=61))
    assert result is not None
    assert not result.success
    assert result.error is not None
    assert result.error.startswith("Run run1 started at")
    assert "run1" not in tracker.runs


# --------------------------------------------------------------------- output


def test_output_tail_keeps_the_end_within_the_bound() -> None:
    body = ("é" * OUTPUT_LIMIT + "the end").encode()
    tail = output_tail(body)
    assert tail.endswith("the end")
    assert len(tail.encode()) <= OUTPUT_LIMIT
    assert "\ufffd" not in tail  # no half character at the cut
    assert output_tail(b"ok\xff") == "ok\ufffd"


def test_ping_log_is_bounded_in_count_and_bytes() -> None:
    t0 = utc(2026, 6, 1, 0, 0)
    log = PingLog()
    for n in range(MAX_PINGS_KEPT + 5):
        log.add(PingRecord(t0 + timedelta(seconds=n), "log", body=f"line {n}"))
    kept = log.latest()
    assert len(kept) == MAX_PINGS_KEPT
    assert kept[0].body == f"line {MAX_PINGS_KEPT + 4}"
    log.add(PingRecord(t0, "fail", body="x" * (OUTPUT_LIMIT - 3)))
    assert sum(len(p.body.encode()) for p in log.latest()) <= OUTPUT_LIMIT
    assert log.last_output() == "x" * (OUTPUT_LIMIT - 3)


def test_log_keeps_output_without_changing_the_status() -> None:
    monitor = Monitor()
    t0 = utc(2026, 6, 1, 0, 0)
    monitor.set_targets([cron_job()], t0)
    assert monitor.heartbeat("job", Ping("log", t0, body="step 1 done")) == []
    assert monitor.status("job") is Status.UNKNOWN
    assert monitor.heartbeats["job"].log.last_output() == "step 1 done"


def test_failure_output_goes_with_the_incident() -> None:
    monitor = Monitor()
    t0 = utc(2026, 6, 1, 0, 0)
    monitor.set_targets([cron_job()], t0)
    monitor.heartbeat("job", Ping("fail", t0, exit_code=2, body="disk full\n"))
    incident = next(iter(monitor.history.incidents.values()))
    assert incident.output == "disk full\n"
    assert incident.first_error == "Job reported exit code 2"


def test_missed_ping_incident_carries_the_last_output() -> None:
    monitor = Monitor()
    pinged = utc(2026, 6, 1, 7, 0)
    monitor.set_targets([cron_job()], pinged)
    monitor.heartbeat("job", Ping("success", pinged, body="backup 12 GB"))
    monitor.check_heartbeats(utc(2026, 6, 2, 7, 5))
    incident = next(iter(monitor.history.incidents.values()))
    assert incident.output == "backup 12 GB"


@pytest.mark.parametrize("signal", ["start", "success", "fail", "log"])
def test_paused_heartbeat_keeps_no_pings(signal: str) -> None:
    """A paused target ignores its pings and keeps no output."""
    monitor = Monitor()
    t0 = utc(2026, 6, 1, 0, 0)
    monitor.set_targets([replace(cron_job(), enabled=False)], t0)
    assert monitor.heartbeat("job", Ping(signal, t0, body="x")) == []
    assert monitor.heartbeats["job"].log.latest() == []
