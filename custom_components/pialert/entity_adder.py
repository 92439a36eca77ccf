"""Adds the entities of targets created while the hub runs, a slice at a time.

Home Assistant adds entities synchronously: each one costs its registries
about 2 ms, so an import of 1,000 targets (about 9,500 entity additions over
the four platforms) would hold the event loop for many seconds. The targets
themselves are stored, scheduled and checked at once (coordinator); their
entities follow here, in slices of at most ``SLICE_SECONDS`` with the loop
free in between. One adder per hub serves all its platforms, so the slices
of different platforms do not pile up in one loop turn.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
import time
from typing import Final
import weakref

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant, callback

SLICE_SECONDS: Final = 0.02


class TargetEntityAdder:
    """Runs queued entity additions in short slices, in a background task."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Add for this hub's entry (its task ends when the entry unloads)."""
        self._hass = hass
        self._entry = entry
        self._jobs: deque[Callable[[], None]] = deque()
        self._task: asyncio.Task[None] | None = None

    @property
    def pending(self) -> int:
        """Return how many additions wait."""
        return len(self._jobs)

    @callback
    def add(self, job: Callable[[], None]) -> None:
        """Queue one target's addition for one platform."""
        self._jobs.append(job)
        if self._task is None or self._task.done():
            # A tracked task: waiting for Home Assistant (or a test) to be
            # idle waits for the entities too.
            self._task = self._entry.async_create_task(
                self._hass, self._run(), "pialert add target entities"
            )

    async def _run(self) -> None:
        jobs, clock = self._jobs, time.perf_counter
        while jobs:
            if self._entry.state is not ConfigEntryState.LOADED:
                jobs.clear()  # unloading: its platforms take no more entities
                return
            ends = clock() + SLICE_SECONDS
            jobs.popleft()()  # at least one per slice, however slow
            while jobs and clock() < ends:
                jobs.popleft()()
            await asyncio.sleep(0)


_ADDERS: weakref.WeakKeyDictionary[object, TargetEntityAdder] = (
    weakref.WeakKeyDictionary()
)


def entity_adder(
    hass: HomeAssistant, entry: ConfigEntry, owner: object
) -> TargetEntityAdder:
    """Return the hub's adder (``owner``: its coordinator, which it lives as long as)."""
    adder = _ADDERS.get(owner)
    if adder is None:
        adder = _ADDERS[owner] = TargetEntityAdder(hass, entry)
    return adder
