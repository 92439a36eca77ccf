"""Which polled targets are due, and running their checks safely.

Each check runs under its own timeout and a shared concurrency bound; a slow,
hanging or crashing probe yields a failed result and never holds up others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime
import hashlib
import heapq
import logging
import time

from .models import CheckResult, Target
from .probes import ProbeOutcome

_LOGGER = logging.getLogger(__name__)

DEFAULT_MAX_CONCURRENT = 64

type ProbeCall = Callable[[], Awaitable[ProbeOutcome]]


def phase_of(target_id: str, interval: int) -> float:
    """Return where in each interval (seconds past a multiple of it) to check.

    Derived from the id alone, so it is the same after a restart, and spread
    evenly over the interval (millisecond steps).
    """
    digest = hashlib.blake2b(target_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest) % (interval * 1000) / 1000


class Scheduler:
    """Due times of polled targets (monotonic clock) and the concurrency bound.

    Each target is checked at a stable phase of its interval (see ``phase_of``),
    so targets with the same interval do not all connect at once. A target is
    next due at the first slot of its phase at least half an interval after
    its last check: so on its phase, one interval apart. Targets checked before
    a restart start that way; a target never checked, added, or asked for with
    ``run_now`` (changed) is due at once, then goes back to its phase.
    """

    def __init__(
        self,
        max_concurrent: int = DEFAULT_MAX_CONCURRENT,
        monotonic: Callable[[], float] | None = None,
        wall: Callable[[], float] | None = None,
    ) -> None:
        """Start with nothing scheduled."""
        self._semaphore = asyncio.Semaphore(max_concurrent)
        # Looked up at call time by default, so tests that freeze time move it.
        self._monotonic = monotonic or (lambda: time.monotonic())
        # Phases are placed on the wall clock, so they survive restarts.
        self._wall = wall or (lambda: time.time())
        self._next_due: dict[str, float] = {}
        self._intervals: dict[str, int] = {}
        self._phases: dict[str, float] = {}
        # (due time, id) of targets waiting; entries left by a change of due
        # time are skipped, running targets are pushed again when they end.
        self._heap: list[tuple[float, str]] = []
        self.in_flight: set[str] = set()

    def sync(
        self,
        targets: Iterable[Target],
        *,
        last_checks: Mapping[str, float] | None = None,
    ) -> None:
        """Track these targets and drop removed ones.

        New targets are due at once, except those with a last check (wall
        clock, from before a restart): they wait for their phase. A shorter
        interval applies at once; a longer one after the next check.
        """
        now = self._monotonic()
        last_checks = last_checks or {}
        wanted = {t.id: t.interval for t in targets}
        for target_id in self._next_due.keys() - wanted.keys():
            del self._next_due[target_id]
            self._phases.pop(target_id, None)
        for target_id, interval in wanted.items():
            if self._intervals.get(target_id) != interval:
                self._phases[target_id] = phase_of(target_id, interval)
        self._intervals = wanted
        to_monotonic = now - self._wall()
        for target_id, interval in wanted.items():
            if target_id not in self._next_due:
                if (last_check := last_checks.get(target_id)) is None:
                    self._set_due(target_id, now)
                    continue
                earliest = max(now, last_check + to_monotonic + interval / 2)
                self._set_due(target_id, self._slot_from(target_id, earliest))
            elif interval < self._next_due[target_id] - now:
                self._set_due(target_id, self._slot_from(target_id, now))

    def due(self) -> list[str]:
        """Return ids that are due and not running, and mark them running."""
        now = self._monotonic()
        heap = self._heap
        due: list[str] = []
        while heap and heap[0][0] <= now:
            at, target_id = heapq.heappop(heap)
            if not self._is_current(at, target_id):
                continue
            self.in_flight.add(target_id)
            due.append(target_id)
            # Back on the phase, at least half an interval on: a late tick does
            # not shift the phase, and a check made at once is not repeated
            # right away. Queued again when the check ends (``finished``).
            interval = self._intervals[target_id]
            self._next_due[target_id] = self._slot_from(target_id, now + interval / 2)
        return due

    def finished(self, target_id: str) -> None:
        """Take note that a check ended: the target waits for its next turn."""
        self.in_flight.discard(target_id)
        if (at := self._next_due.get(target_id)) is not None:
            heapq.heappush(self._heap, (at, target_id))

    def run_now(self, target_id: str) -> None:
        """Make a target due at once (after its running check, if any)."""
        if target_id in self._next_due:
            self._set_due(target_id, self._monotonic())

    def seconds_until_next(self) -> float | None:
        """Return how long until the next check is due, if any is waiting."""
        heap = self._heap
        while heap and not self._is_current(*heap[0]):
            heapq.heappop(heap)
        if not heap:
            return None
        return max(0.0, heap[0][0] - self._monotonic())

    def _is_current(self, at: float, target_id: str) -> bool:
        """Tell a waiting target's heap entry from one left by a change."""
        return self._next_due.get(target_id) == at and target_id not in self.in_flight

    def _set_due(self, target_id: str, at: float) -> None:
        self._next_due[target_id] = at
        if target_id not in self.in_flight:
            heapq.heappush(self._heap, (at, target_id))

    def _slot_from(self, target_id: str, earliest: float) -> float:
        """Return the first time at or after ``earliest`` on the target's phase."""
        interval = self._intervals[target_id]
        wall_then = earliest + (self._wall() - self._monotonic())
        return earliest + (self._phases[target_id] - wall_then) % interval

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
            self.finished(target.id)
        return CheckResult(
            success=outcome.success,
            checked_at=clock(),
            error=outcome.error,
            response_time_ms=outcome.response_time_ms,
            cert_days_remaining=outcome.cert_days_remaining,
        )
