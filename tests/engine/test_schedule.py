"""Tests of the scheduler (engine/schedule.py)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from itertools import pairwise
import logging
import os
from pathlib import Path
import random
import subprocess
import sys

import pytest

from custom_components.pialert.engine import schedule as schedule_module
from custom_components.pialert.engine.models import Target, TargetKind
from custom_components.pialert.engine.probes import ProbeOutcome, failed
from custom_components.pialert.engine.schedule import ProbeCall, Scheduler, phase_of
from custom_components.pialert.engine.settings import TcpSettings

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def target(target_id: str, interval: int = 60, timeout: float = 10) -> Target:
    return Target(
        id=target_id,
        name=f"Target {target_id}",
        kind=TargetKind.TCP,
        settings=TcpSettings(host=target_id, port=80),
        interval=interval,
        timeout=timeout,
    )


def clock() -> datetime:
    return T0


@pytest.fixture
def fake() -> FakeClock:
    return FakeClock()


@pytest.fixture
def scheduler(fake: FakeClock) -> Scheduler:
    # One fake clock serves as both the monotonic and the wall clock.
    return Scheduler(monotonic=fake, wall=fake)


def finish_all(scheduler: Scheduler) -> None:
    """End every running check, as ``Scheduler.run`` does when a check ends."""
    for target_id in list(scheduler.in_flight):
        scheduler.finished(target_id)


def checked_long_ago(*ids: str) -> dict[str, float]:
    """Return last checks (wall clock) from well before a restart."""
    return dict.fromkeys(ids, 0.0)


def on_phase(target_id: str, interval: int, at: float) -> bool:
    """Tell whether ``at`` (wall clock) is on the target's phase."""
    offset = (at - phase_of(target_id, interval)) % interval
    return min(offset, interval - offset) == pytest.approx(0, abs=1e-6)


# ------------------------------------------------------------------ phases


def test_phase_is_stable_across_restarts() -> None:
    """A new process (other hash seed) finds the same phase for the same id."""
    ids = [f"01JD{i:022d}" for i in range(5)]
    # The engine alone (no Home Assistant import), as a top-level package.
    component = Path(schedule_module.__file__).parents[1]
    code = (
        f"import sys; sys.path.insert(0, {str(component)!r});"
        "from engine.schedule import phase_of;"
        f"print([phase_of(i, 60) for i in {ids!r}])"
    )
    here = [phase_of(i, 60) for i in ids]
    for seed in ("1", "2"):
        other = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        assert other.strip() == repr(here)
    assert all(0 <= p < 60 for p in here)
    assert len(set(here)) == len(here)


def test_first_checks_after_a_start_are_spread(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    """1,000 targets on 60 s: no second gets more than a small share of checks."""
    rng = random.Random(15)
    ids = [f"{rng.getrandbits(128):032x}" for _ in range(1000)]
    scheduler.sync([target(i) for i in ids], last_checks=checked_long_ago(*ids))
    checks: dict[str, list[float]] = {i: [] for i in ids}
    for _ in range(121):  # a tick a second for two intervals
        for target_id in scheduler.due():
            checks[target_id].append(fake.now)
        finish_all(scheduler)
        fake.advance(1)
    first_per_second = Counter(times[0] for times in checks.values())
    # Each target first checked within one interval (plus the tick step)...
    assert max(first_per_second) <= 1060
    # ...about 17 a second: a burst would put all 1,000 in the first second.
    assert max(first_per_second.values()) <= 32
    # Then on its phase, exactly one interval later.
    assert all(times[1] - times[0] == 60 for times in checks.values())


def test_start_puts_each_target_on_its_phase(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync(
        [target("a", 60), target("b", 30)], last_checks=checked_long_ago("a", "b")
    )
    for target_id, interval in (("a", 60), ("b", 30)):
        due_at = scheduler._next_due[target_id]
        assert 1000 <= due_at < 1000 + interval
        assert on_phase(target_id, interval, due_at)
    seen: dict[str, list[float]] = {"a": [], "b": []}
    for _ in range(1800):  # three minutes in 0.1 s steps
        for target_id in scheduler.due():
            seen[target_id].append(fake.now)
        finish_all(scheduler)
        fake.advance(0.1)
    for target_id, interval in (("a", 60), ("b", 30)):
        gaps = [later - earlier for earlier, later in pairwise(seen[target_id])]
        assert len(gaps) >= 180 // interval - 1
        assert all(gap == pytest.approx(interval, abs=0.11) for gap in gaps)


def test_target_never_checked_is_due_at_once_at_start(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    """A target with no result yet (added just before a restart) is not kept waiting."""
    scheduler.sync(
        [target("old", 3600), target("fresh", 3600)],
        last_checks=checked_long_ago("old"),
    )
    old_due = scheduler._next_due["old"]
    assert scheduler.due() == ["fresh"]
    assert fake.now < old_due < fake.now + 3600
    assert on_phase("old", 3600, old_due)
    fake.now = old_due
    assert scheduler.due() == ["old"]


def test_restarted_scheduler_keeps_the_phase() -> None:
    """Another process start (other monotonic origin) checks at the same wall time."""
    wall = FakeClock()
    wall.now = 1_700_000_000.0
    first_checks = []
    for monotonic_origin in (5.0, 86_400.0):
        mono = FakeClock()
        mono.now = monotonic_origin
        scheduler = Scheduler(monotonic=mono, wall=wall)
        scheduler.sync([target("a", 300)], last_checks=checked_long_ago("a"))
        waited = scheduler.seconds_until_next()
        assert waited is not None
        first_checks.append(wall.now + waited)
        wall.advance(1000)  # down for a while between the two runs
    assert on_phase("a", 300, first_checks[0])
    assert (first_checks[1] - first_checks[0]) % 300 == pytest.approx(0, abs=1e-6)


def test_restart_right_after_a_check_waits_half_an_interval(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    """A check made at once just before a restart is not repeated right after it."""
    scheduler.sync([target("a", 600)], last_checks={"a": fake.now - 5})
    wait = scheduler.seconds_until_next()
    assert wait is not None
    assert 300 - 5 <= wait < 900 - 5
    assert on_phase("a", 600, fake.now + wait)


def test_late_tick_does_not_shift_the_phase(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 60)], last_checks=checked_long_ago("a"))
    wait = scheduler.seconds_until_next()
    assert wait is not None
    fake.advance(wait + 0.8)  # the tick woke late
    assert scheduler.due() == ["a"]
    finish_all(scheduler)
    assert scheduler.seconds_until_next() == pytest.approx(60 - 0.8)


# ------------------------------------------------------------------ due times


def test_nothing_scheduled(scheduler: Scheduler) -> None:
    assert scheduler.due() == []
    assert scheduler.seconds_until_next() is None


def test_new_targets_are_due_at_once(scheduler: Scheduler) -> None:
    scheduler.sync([target("a"), target("b", 30)])
    assert scheduler.seconds_until_next() == 0.0
    assert sorted(scheduler.due()) == ["a", "b"]
    assert scheduler.in_flight == {"a", "b"}
    # Running checks are not counted as waiting.
    assert scheduler.seconds_until_next() is None


def test_target_added_after_start_is_due_at_once_then_on_its_phase(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 60)], last_checks=checked_long_ago("a"))
    fake.advance(0.5)
    scheduler.due()
    finish_all(scheduler)
    scheduler.sync([target("a", 60), target("new", 60)])
    assert scheduler.due() == ["new"]
    finish_all(scheduler)
    # Back on its phase, at least half an interval and at most 1.5 later.
    wait = scheduler.seconds_until_next()
    assert wait is not None
    checks = []
    for _ in range(2000):  # 200 s
        if "new" in scheduler.due():
            checks.append(fake.now)
        finish_all(scheduler)
        fake.advance(0.1)
    assert 30 <= checks[0] - 1000.5 <= 90
    assert (
        on_phase("new", 60, round(checks[0], 1))
        or checks[0] - round(checks[0], 1) < 0.1
    )
    assert checks[1] - checks[0] == pytest.approx(60, abs=0.11)


def test_not_due_again_until_interval_passes(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync(
        [target("a", 60), target("b", 30)], last_checks=checked_long_ago("a", "b")
    )
    checks: dict[str, list[float]] = {"a": [], "b": []}
    for _ in range(100):  # 100 s in 1 s steps: never early, never twice
        for target_id in scheduler.due():
            checks[target_id].append(fake.now)
        finish_all(scheduler)
        fake.advance(1)
    assert len(checks["a"]) in (1, 2)
    assert len(checks["b"]) in (3, 4)
    for target_id, interval in (("a", 60), ("b", 30)):
        for earlier, later in pairwise(checks[target_id]):
            assert later - earlier == interval


def test_running_check_is_not_started_twice(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 10)])
    assert scheduler.due() == ["a"]
    fake.advance(100)  # way overdue, but still running
    assert scheduler.due() == []
    scheduler.run_now("a")
    assert scheduler.due() == []
    assert scheduler.seconds_until_next() is None
    scheduler.finished("a")
    assert scheduler.due() == ["a"]


def test_sync_keeps_due_times_and_drops_removed_targets(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 60), target("b", 60)])
    scheduler.due()
    finish_all(scheduler)
    fake.advance(1)
    # Re-syncing the same targets does not make them due.
    scheduler.sync([target("a", 60), target("b", 60), target("c", 60)])
    assert scheduler.due() == ["c"]
    finish_all(scheduler)
    scheduler.sync([target("a", 60)])
    fake.advance(100)
    assert scheduler.due() == ["a"]
    scheduler.run_now("b")  # removed: ignored
    finish_all(scheduler)
    assert scheduler.due() == []


def test_shorter_interval_applies_at_once(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 3600), target("b", 3600)])
    scheduler.due()
    finish_all(scheduler)
    fake.advance(5)
    scheduler.sync([target("a", 20), target("b", 7200)])
    # a: due within 20 s instead of in an hour or more; b waits.
    wait = scheduler.seconds_until_next()
    assert wait is not None
    assert wait <= 20
    fake.advance(wait)
    assert scheduler.due() == ["a"]
    finish_all(scheduler)
    assert scheduler.seconds_until_next() == pytest.approx(20)  # the new interval
    # b keeps its due time; its new interval and phase count after it.
    b_due = scheduler._next_due["b"]
    fake.now = b_due - 0.01
    assert "b" not in scheduler.due()
    finish_all(scheduler)
    fake.now = b_due
    assert "b" in scheduler.due()
    finish_all(scheduler)
    assert 3600 <= scheduler._next_due["b"] - b_due <= 10800
    assert on_phase("b", 7200, scheduler._next_due["b"])


def test_shorter_interval_never_postpones(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 100)])
    scheduler.due()
    finish_all(scheduler)
    due_at = scheduler._next_due["a"]
    fake.now = due_at - 5
    scheduler.sync([target("a", 50)])
    wait = scheduler.seconds_until_next()
    assert wait is not None
    assert wait <= 5


def test_run_now(scheduler: Scheduler, fake: FakeClock) -> None:
    scheduler.sync([target("a", 600)])
    scheduler.due()
    finish_all(scheduler)
    fake.advance(1)
    scheduler.run_now("a")
    assert scheduler.seconds_until_next() == 0.0
    assert scheduler.due() == ["a"]
    finish_all(scheduler)
    scheduler.run_now("unknown")
    assert scheduler.due() == []
    # The check made at once is not repeated before half an interval.
    wait = scheduler.seconds_until_next()
    assert wait is not None
    assert 300 <= wait <= 900


def test_seconds_until_next_is_never_negative(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 10)])
    fake.advance(500)
    assert scheduler.seconds_until_next() == 0.0


def test_default_clock_is_monotonic() -> None:
    scheduler = Scheduler()
    scheduler.sync([target("a")])
    assert scheduler.due() == ["a"]


# ----------------------------------------------------------------- running


async def test_run_success(scheduler: Scheduler) -> None:
    scheduler.sync([target("a")])
    scheduler.due()

    async def probe() -> ProbeOutcome:
        return ProbeOutcome(success=True, response_time_ms=12.0, cert_days_remaining=9)

    result = await scheduler.run(target("a"), probe, clock)
    assert result.success
    assert result.checked_at == T0
    assert result.error is None
    assert result.response_time_ms == 12.0
    assert result.cert_days_remaining == 9
    assert scheduler.in_flight == set()


async def test_run_failed_outcome(scheduler: Scheduler) -> None:
    async def probe() -> ProbeOutcome:
        return failed("Connection refused", 3.5)

    result = await scheduler.run(target("a"), probe, clock)
    assert not result.success
    assert result.error == "Connection refused"
    assert result.response_time_ms == 3.5


async def test_run_times_out(scheduler: Scheduler) -> None:
    scheduler.sync([target("slow", timeout=0.05)])
    assert scheduler.due() == ["slow"]
    cancelled = False

    async def probe() -> ProbeOutcome:
        nonlocal cancelled
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            cancelled = True
            raise
        return ProbeOutcome(success=True)

    loop = asyncio.get_running_loop()
    started = loop.time()
    result = await scheduler.run(target("slow", timeout=0.05), probe, clock)
    assert loop.time() - started < 2
    assert cancelled
    assert not result.success
    assert result.error == "Timed out after 0.05 s"
    assert result.response_time_ms is not None
    assert result.response_time_ms >= 40
    assert scheduler.in_flight == set()


async def test_run_turns_a_crash_into_a_failure(
    scheduler: Scheduler, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler.sync([target("bad")])
    scheduler.due()

    async def probe() -> ProbeOutcome:
        raise ValueError("bug in probe")

    with caplog.at_level(logging.ERROR):
        result = await scheduler.run(target("bad"), probe, clock)
    assert not result.success
    assert result.error == "Check crashed: ValueError"
    assert result.response_time_ms is None
    assert "Check of Target bad crashed" in caplog.text
    assert scheduler.in_flight == set()


async def test_cancelled_run_frees_the_target(scheduler: Scheduler) -> None:
    scheduler.sync([target("a")])
    scheduler.due()
    started = asyncio.Event()

    async def probe() -> ProbeOutcome:
        started.set()
        await asyncio.sleep(5)
        return ProbeOutcome(success=True)

    task = asyncio.create_task(scheduler.run(target("a"), probe, clock))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert scheduler.in_flight == set()


async def test_concurrency_bound(fake: FakeClock) -> None:
    scheduler = Scheduler(max_concurrent=2, monotonic=fake)
    targets = [target(f"t{i}") for i in range(7)]
    scheduler.sync(targets)
    assert len(scheduler.due()) == 7
    running = 0
    peak = 0

    def make_probe(index: int) -> ProbeCall:
        async def probe() -> ProbeOutcome:
            nonlocal running, peak
            running += 1
            peak = max(peak, running)
            try:
                await asyncio.sleep(0.01)
                if index == 3:
                    raise RuntimeError("crash")
                return ProbeOutcome(success=True)
            finally:
                running -= 1

        return probe

    results = await asyncio.gather(
        *(scheduler.run(t, make_probe(i), clock) for i, t in enumerate(targets))
    )
    assert peak == 2
    assert [r.success for r in results] == [True, True, True, False, True, True, True]
    assert scheduler.in_flight == set()


async def test_slow_probe_does_not_hold_up_others(fake: FakeClock) -> None:
    scheduler = Scheduler(max_concurrent=4, monotonic=fake)
    slow = target("slow", timeout=0.2)
    fast = [replace(target(f"f{i}"), timeout=1) for i in range(3)]
    finished: list[str] = []

    def make_probe(name: str, delay: float) -> ProbeCall:
        async def probe() -> ProbeOutcome:
            await asyncio.sleep(delay)
            finished.append(name)
            return ProbeOutcome(success=True)

        return probe

    results = await asyncio.gather(
        scheduler.run(slow, make_probe("slow", 5), clock),
        *(scheduler.run(t, make_probe(t.id, 0.01), clock) for t in fast),
    )
    assert finished == ["f0", "f1", "f2"]
    assert not results[0].success
    assert all(r.success for r in results[1:])
