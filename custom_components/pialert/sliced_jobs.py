"""Runs queued jobs a short slice per event-loop turn, in order, in one task.

Large bursts of work (adding the entities of 1,000 new targets, writing the
states of 1,000 targets that went down at once) would hold the event loop for
seconds if done in one go. Here they run in slices of at most
``slice_seconds``, with the loop free in between. The task is tracked by the
config entry: waiting for Home Assistant (or a test) to be idle waits for the
jobs too, and it ends when the entry unloads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
import time

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant, callback

# Setting up counts: a first snapshot's states are written then.
_RUNNING = frozenset({ConfigEntryState.SETUP_IN_PROGRESS, ConfigEntryState.LOADED})
AT_ONCE_SECONDS = 0.002
"""The share of a loop turn that jobs queued by a callback may take at once:
enough for a few (one result's entity writes), little beside the callback's
own work when a burst queues many (publishing 1,000 changed targets)."""


class SlicedJobs:
    """Jobs by key, run first in, first out; a key queued again keeps its place."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        name: str,
        slice_seconds: float,
        on_drained: Callable[[], None] | None = None,
    ) -> None:
        """Run for this entry; ``on_drained`` is called when a burst is done."""
        self._hass = hass
        self._entry = entry
        self._name = name
        self._slice_seconds = slice_seconds
        self._on_drained = on_drained
        self._jobs: dict[Hashable, Callable[[], None]] = {}
        self._task: asyncio.Task[None] | None = None
        # When this loop turn's share of work, done by run_now, ends.
        self._turn_ends: float | None = None

    @property
    def slice_seconds(self) -> float:
        """Return how long one slice may run."""
        return self._slice_seconds

    @property
    def pending(self) -> int:
        """Return how many jobs wait."""
        return len(self._jobs)

    @property
    def running(self) -> bool:
        """Return whether the background task has a slice to come."""
        return self._task is not None and not self._task.done()

    @callback
    def add(self, key: Hashable, job: Callable[[], None]) -> None:
        """Queue ``job``; if ``key`` waits already, the new job takes its place."""
        self._jobs[key] = job

    @callback
    def run_now(self) -> None:
        """Run queued jobs while this loop turn's slice lasts; the rest later.

        A few jobs all run now. Calls within one turn share its slice, so many
        small calls (one per state change of a burst) cannot add up either.
        """
        if self.running:
            return  # earlier jobs wait: these run after them, in order
        jobs, clock = self._jobs, time.perf_counter
        if self._turn_ends is None:
            self._turn_ends = clock() + min(self.slice_seconds, AT_ONCE_SECONDS)
            self._hass.loop.call_soon(self._new_turn)
        while jobs and clock() < self._turn_ends:
            jobs.pop(next(iter(jobs)))()
        self.start(now=False)

    @callback
    def run_all(self) -> None:
        """Run every queued job now (before what they were queued from changes)."""
        while self._jobs:
            self._jobs.pop(next(iter(self._jobs)))()

    @callback
    def start(self, *, now: bool) -> None:
        """Run the queue in the background: its first slice ``now`` or next turn."""
        if self._jobs and not self.running:
            self._task = self._entry.async_create_task(
                self._hass, self._run(), self._name, eager_start=now
            )

    @callback
    def stop(self) -> None:
        """Forget the queued jobs (the task ends at its next turn)."""
        self._jobs.clear()

    def _new_turn(self) -> None:
        self._turn_ends = None

    def _run_slice(self) -> None:
        """Run queued jobs for one slice (at least one, however slow)."""
        jobs, clock = self._jobs, time.perf_counter
        ends = clock() + self.slice_seconds
        while jobs:
            jobs.pop(next(iter(jobs)))()
            if clock() >= ends:
                return

    async def _run(self) -> None:
        while self._jobs:
            if self._entry.state not in _RUNNING:
                self._jobs.clear()  # unloading: nothing is written any more
                return
            self._run_slice()
            await asyncio.sleep(0)
        # However the queue emptied (slices, run_all), tell once it has.
        if self._on_drained is not None and self._entry.state in _RUNNING:
            self._on_drained()
