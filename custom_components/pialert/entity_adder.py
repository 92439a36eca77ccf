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

from collections.abc import Callable
from itertools import count
from typing import Final
import weakref

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from .sliced_jobs import SlicedJobs

SLICE_SECONDS: Final = 0.02


class TargetEntityAdder(SlicedJobs):
    """Runs queued entity additions in short slices, in a background task."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Add for this hub's entry (its task ends when the entry unloads)."""
        super().__init__(hass, entry, "pialert add target entities", SLICE_SECONDS)
        self._numbers = count()

    @property
    def slice_seconds(self) -> float:
        """Return the module's slice length (read when each slice starts)."""
        return SLICE_SECONDS

    @callback
    def add_entities(self, job: Callable[[], None]) -> None:
        """Queue one target's addition for one platform; the first runs now."""
        self.add(next(self._numbers), job)
        self.start(now=True)


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
