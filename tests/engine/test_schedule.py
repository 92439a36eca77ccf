"""Tests of the scheduler (engine/schedule.py)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
import logging

import pytest

from custom_components.pialert.engine.models import Target, TargetKind
from custom_components.pialert.engine.probes import ProbeOutcome, failed
from custom_components.pialert.engine.schedule import ProbeCall, Scheduler
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
    return Scheduler(monotonic=fake)


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


def test_not_due_again_until_interval_passes(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 60), target("b", 30)])
    assert sorted(scheduler.due()) == ["a", "b"]
    scheduler.in_flight.clear()  # the checks finished
    assert scheduler.due() == []
    assert scheduler.seconds_until_next() == 30.0
    fake.advance(29.9)
    assert scheduler.due() == []
    assert scheduler.seconds_until_next() == pytest.approx(0.1)
    fake.advance(0.1)
    assert scheduler.due() == ["b"]
    scheduler.in_flight.clear()
    fake.advance(30)
    assert sorted(scheduler.due()) == ["a", "b"]


def test_running_check_is_not_started_twice(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 10)])
    assert scheduler.due() == ["a"]
    fake.advance(100)  # way overdue, but still running
    assert scheduler.due() == []
    scheduler.run_now("a")
    assert scheduler.due() == []
    scheduler.in_flight.discard("a")
    assert scheduler.due() == ["a"]


def test_sync_keeps_due_times_and_drops_removed_targets(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 60), target("b", 60)])
    scheduler.due()
    scheduler.in_flight.clear()
    fake.advance(10)
    # Re-syncing the same targets does not make them due.
    scheduler.sync([target("a", 60), target("b", 60), target("c", 60)])
    assert scheduler.due() == ["c"]
    scheduler.in_flight.clear()
    scheduler.sync([target("a", 60)])
    fake.advance(100)
    assert scheduler.due() == ["a"]
    scheduler.run_now("b")  # removed: ignored
    scheduler.in_flight.clear()
    assert scheduler.due() == []


def test_shorter_interval_applies_at_once(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 3600), target("b", 3600)])
    scheduler.due()
    scheduler.in_flight.clear()
    fake.advance(5)
    scheduler.sync([target("a", 20), target("b", 7200)])
    # a: due 20 s from now instead of in an hour; b: a longer interval waits.
    assert scheduler.seconds_until_next() == 20.0
    fake.advance(20)
    assert scheduler.due() == ["a"]
    scheduler.in_flight.clear()
    assert scheduler.seconds_until_next() == 20.0  # the new interval counts
    # b keeps the due time of its old interval; its new one counts after it.
    fake.advance(3600 - 25 - 1)
    assert "b" not in scheduler.due()
    scheduler.in_flight.clear()
    fake.advance(1)
    assert "b" in scheduler.due()
    scheduler.in_flight.clear()
    fake.advance(7200 - 1)
    assert "b" not in scheduler.due()
    scheduler.in_flight.clear()
    fake.advance(1)
    assert "b" in scheduler.due()


def test_shorter_interval_never_postpones(
    scheduler: Scheduler, fake: FakeClock
) -> None:
    scheduler.sync([target("a", 100)])
    scheduler.due()
    scheduler.in_flight.clear()
    fake.advance(95)
    scheduler.sync([target("a", 50)])
    assert scheduler.seconds_until_next() == 5.0


def test_run_now(scheduler: Scheduler, fake: FakeClock) -> None:
    scheduler.sync([target("a", 600)])
    scheduler.due()
    scheduler.in_flight.clear()
    fake.advance(1)
    scheduler.run_now("a")
    assert scheduler.seconds_until_next() == 0.0
    assert scheduler.due() == ["a"]
    scheduler.run_now("unknown")
    assert scheduler.due() == []


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
