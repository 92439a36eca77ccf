"""Which polled targets are due, and running their checks safely.

Each check runs under its own timeout and a shared concurrency bound; a slow,
hanging or crashing probe yields a failed result and never holds up others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
import logging
import time

from .models import CheckResult, Target
from .probes import ProbeOutcome

_LOGGER = logging.getLogger(__name__)

DEFAULT_MAX_CONCURRENT = 64

type ProbeCall = Callable[[], Awaitable[ProbeOutcome]]


class Scheduler:
    """Due times of polled targets (monotonic clock) and the concurrency bound."""

    def __init__(
        self,
        max_concurrent: int = DEFAULT_MAX_CONCURRENT,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        """Start with nothing scheduled."""
        self._semaphore = asyncio.Semaphore(max_concurrent)
        # Looked up at call time by default, so tests that freeze time move it.
        self._monotonic = monotonic or (lambda: time.monotonic())
        self._next_due: dict[str, float] = {}
        self._intervals: dict[str, int] = {}
        self.in_flight: set[str] = set()

    def sync(self, targets: Iterable[Target]) -> None:
        """Track these targets: new ones are due at once, removed ones dropped."""
        now = self._monotonic()
        wanted = {t.id: t.interval for t in targets}
        for target_id in self._next_due.keys() - wanted.keys():
            del self._next_due[target_id]
        for target_id, interval in wanted.items():
            if target_id not in self._next_due:
                self._next_due[target_id] = now
            elif interval < self._intervals.get(target_id, interval):
                self._next_due[target_id] = min(
                    self._next_due[target_id], now + interval
                )
        self._intervals = wanted

    def due(self) -> list[str]:
        """Return ids that are due and not running, and mark them running."""
        now = self._monotonic()
        due = [
            target_id
            for target_id, at in self._next_due.items()
            if at <= now and target_id not in self.in_flight
        ]
        for target_id in due:
            self.in_flight.add(target_id)
            self._next_due[target_id] = now + self._intervals[target_id]
        return due

    def run_now(self, target_id: str) -> None:
        """Make a target due at once."""
        if target_id in self._next_due:
            self._next_due[target_id] = self._monotonic()

    def seconds_until_next(self) -> float | None:
        """Return how long until the next check is due, if any is scheduled."""
        waiting = [
            at for tid, at in self._next_due.items() if tid not in self.in_flight
        ]
        if not waiting:
            return None
        return max(0.0, min(waiting) - self._monotonic())

    async def run(
        self, target: Target, probe: ProbeCall, clock: Callable[[], datetime]
    ) -> CheckResult:
        """Run one check under the bound and the target's timeout."""
        try:
            async with self._semaphore:
                started = time.perf_counter()
                try:
                    async with asyncio.timeout(target.timeout):
                        outcome = await probe()
                except TimeoutError:
                    outcome = ProbeOutcome(
                        success=False,
                        error=f"Timed out after {target.timeout:g} s",
                        response_time_ms=(time.perf_counter() - started) * 1000,
                    )
                except Exception as err:  # a probe bug must not stop the others
                    _LOGGER.exception("Check of %s crashed", target.name)
                    outcome = ProbeOutcome(
                        success=False, error=f"Check crashed: {type(err).__name__}"
                    )
        finally:
            self.in_flight.discard(target.id)
        return CheckResult(
            success=outcome.success,
            checked_at=clock(),
            error=outcome.error,
            response_time_ms=outcome.response_time_ms,
            cert_days_remaining=outcome.cert_days_remaining,
        )
