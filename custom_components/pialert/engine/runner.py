"""Starting due checks and handing their results on.

The coordinator drives this on each tick; the engine benchmark drives the same
code without Home Assistant.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Mapping
from datetime import datetime
from typing import Any

from .degraded import within_limit
from .models import CheckResult, Target
from .schedule import ProbeCall, Scheduler

# Due checks started before the event loop gets a turn.
CHECK_START_SLICE = 32

type Spawn = Callable[[Coroutine[Any, Any, None], str], asyncio.Task[None]]


def spawn_eagerly(coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    """Start ``coro`` as a task that runs up to its first wait at once."""
    return asyncio.Task(coro, name=name, eager_start=True)


class CheckRunner:
    """Runs polled checks under the scheduler and records their results."""

    def __init__(
        self,
        scheduler: Scheduler,
        probe_call: Callable[[Target], ProbeCall],
        record: Callable[[str, CheckResult], None],
        clock: Callable[[], datetime],
        spawn: Spawn = spawn_eagerly,
    ) -> None:
        """Bind the scheduler to how checks probe, report, tell time and start."""
        self.scheduler = scheduler
        self._probe_call = probe_call
        self._record = record
        self._clock = clock
        self._spawn = spawn
        self._tasks: set[asyncio.Task[None]] = set()

    async def async_start_due(self, targets: Mapping[str, Target]) -> int:
        """Start every due check in the background; return how many started."""
        due = self.scheduler.due()
        for index, target_id in enumerate(due, start=1):
            if index % CHECK_START_SLICE == 0:
                # Each start runs up to the check's first wait: let the loop
                # breathe between slices so thousands of due checks cause no lag.
                await asyncio.sleep(0)
            target = targets[target_id]
            task = self._spawn(self._async_check(target), f"check {target.name}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return len(due)

    async def _async_check(self, target: Target) -> None:
        self._record(target.id, await self._async_run(target))

    async def _async_run(self, target: Target) -> CheckResult:
        result = await self.scheduler.run(target, self._probe_call(target), self._clock)
        return within_limit(result, target)

    async def async_check_now(
        self, targets: Iterable[Target]
    ) -> dict[str, CheckResult]:
        """Check ``targets`` at once, record and return their results."""
        targets = list(targets)
        results = await asyncio.gather(*(self._async_run(t) for t in targets))
        for target, result in zip(targets, results, strict=True):
            self._record(target.id, result)
        return {t.id: r for t, r in zip(targets, results, strict=True)}

    async def async_stop(self) -> None:
        """Cancel the checks still running and wait for them to end."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
