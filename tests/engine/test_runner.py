"""Tests of the run loop (engine/runner.py): starting due checks, recording results."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

from custom_components.pialert.engine.models import CheckResult, Target, TargetKind
from custom_components.pialert.engine.probes import ProbeOutcome
from custom_components.pialert.engine.runner import CHECK_START_SLICE, CheckRunner
from custom_components.pialert.engine.schedule import ProbeCall, Scheduler
from custom_components.pialert.engine.settings import TcpSettings

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def targets(count: int) -> dict[str, Target]:
    return {
        f"t{i}": Target(
            id=f"t{i}",
            name=f"Target {i}",
            kind=TargetKind.TCP,
            settings=TcpSettings(host="127.0.0.1", port=1),
            interval=60,
            timeout=1,
        )
        for i in range(count)
    }


class Recorder:
    """Collects recorded results; probes answer up or hang as told."""

    def __init__(self) -> None:
        self.results: dict[str, CheckResult] = {}
        self.started: list[str] = []
        self.hang = asyncio.Event()
        self.hanging: set[str] = set()

    def record(self, target_id: str, result: CheckResult) -> None:
        self.results[target_id] = result

    def probe_call(self, target: Target) -> ProbeCall:
        async def probe() -> ProbeOutcome:
            self.started.append(target.id)
            if target.id in self.hanging:
                await self.hang.wait()
            return ProbeOutcome(success=True, response_time_ms=1.0)

        return probe


def runner_for(recorder: Recorder, scheduler: Scheduler) -> CheckRunner:
    return CheckRunner(scheduler, recorder.probe_call, recorder.record, lambda: T0)


async def test_due_checks_run_and_are_recorded() -> None:
    """Every due target is checked once and its result handed on."""
    recorder = Recorder()
    scheduler = Scheduler(4)
    all_targets = targets(10)
    scheduler.sync(all_targets.values())
    runner = runner_for(recorder, scheduler)

    assert await runner.async_start_due(all_targets) == 10
    assert await runner.async_start_due(all_targets) == 0  # running or not due
    async with asyncio.timeout(5):
        while len(recorder.results) < 10:
            await asyncio.sleep(0)
    assert set(recorder.results) == set(all_targets)
    assert all(r.success and r.checked_at == T0 for r in recorder.results.values())
    assert not scheduler.in_flight


async def test_starts_give_the_loop_a_turn_between_slices() -> None:
    """Thousands of due checks start in slices, so the loop keeps running."""
    recorder = Recorder()
    scheduler = Scheduler(10_000)
    all_targets = targets(CHECK_START_SLICE * 3)
    recorder.hanging = set(all_targets)
    scheduler.sync(all_targets.values())
    runner = runner_for(recorder, scheduler)
    turns: list[int] = []

    async def watch() -> None:
        while True:
            turns.append(len(recorder.started))
            await asyncio.sleep(0)

    watcher = asyncio.get_running_loop().create_task(watch())
    await asyncio.sleep(0)
    await runner.async_start_due(all_targets)
    watcher.cancel()
    # The loop ran between slices: it saw some but not all checks started.
    assert any(0 < started < len(all_targets) for started in turns)
    await runner.async_stop()


async def test_stop_cancels_checks_in_flight() -> None:
    """Stopping does not wait for hanging checks."""
    recorder = Recorder()
    scheduler = Scheduler()
    all_targets = targets(3)
    recorder.hanging = {"t1"}
    scheduler.sync(all_targets.values())
    runner = runner_for(recorder, scheduler)
    await runner.async_start_due(all_targets)
    await asyncio.sleep(0)
    assert scheduler.in_flight == {"t1"}

    async with asyncio.timeout(1):
        await runner.async_stop()
    assert not scheduler.in_flight
    assert "t1" not in recorder.results


async def test_check_now_records_and_returns_results() -> None:
    """Checks asked for at once are recorded and returned, due or not."""
    recorder = Recorder()
    scheduler = Scheduler()
    all_targets = targets(2)
    runner = runner_for(recorder, scheduler)

    results = await runner.async_check_now(all_targets.values())

    assert set(results) == {"t0", "t1"}
    assert recorder.results == results


async def test_checks_after_a_start_are_spread_over_the_interval() -> None:
    """After a start each tick starts a share of the targets, each once per interval."""
    now = [1000.0]
    recorder = Recorder()
    scheduler = Scheduler(10_000, monotonic=lambda: now[0], wall=lambda: now[0])
    all_targets = {
        f"{i:032x}": replace(t, id=f"{i:032x}")
        for i, t in enumerate(targets(300).values())
    }
    scheduler.sync(all_targets.values(), last_checks=dict.fromkeys(all_targets, 0.0))
    runner = runner_for(recorder, scheduler)
    started_per_tick = []
    for _ in range(61):  # a tick a second, from 0 s to 60 s: one interval
        started_per_tick.append(await runner.async_start_due(all_targets))
        async with asyncio.timeout(5):
            while scheduler.in_flight:
                await asyncio.sleep(0)
        now[0] += 1
    # Every target checked once per interval (60 s), none in a burst.
    assert Counter(recorder.started) == dict.fromkeys(all_targets, 1)
    assert max(started_per_tick) <= 15  # 5 a second on average
    assert set(recorder.results) == set(all_targets)


async def test_check_now_is_immediate_and_keeps_the_schedule() -> None:
    """Checking at once does not wait for the phase, nor move it."""
    now = [1000.0]
    recorder = Recorder()
    scheduler = Scheduler(monotonic=lambda: now[0], wall=lambda: now[0])
    all_targets = targets(1)
    scheduler.sync(all_targets.values(), last_checks=dict.fromkeys(all_targets, 0.0))
    runner = runner_for(recorder, scheduler)
    waiting = scheduler.seconds_until_next()
    assert waiting is not None

    results = await runner.async_check_now(all_targets.values())

    assert results["t0"].success
    assert recorder.started == ["t0"]
    assert scheduler.seconds_until_next() == waiting
