"""The garbage collector's pauses while a figure is measured (they add to the lag)."""

from __future__ import annotations

import gc
import time
from typing import Any


class GcPauses:
    """Records each collection's start, end and generation while entered."""

    def __init__(self, count_promotions: bool = False) -> None:
        """Record nothing until entered.

        ``count_promotions``: also count the objects each middle-generation
        collection moves to the oldest one. A full collection comes once those
        reach a quarter of the oldest generation, so this says how close a
        piece of work brings it (counting costs a little time per collection).
        """
        self.pauses: list[tuple[float, float, int]] = []
        self._started = 0.0
        self._count_promotions = count_promotions
        self._young = 0
        self.promoted = 0

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        # Counting happens outside the recorded pause: before it starts, after it ends.
        counting = self._count_promotions and info.get("generation") == 1
        if phase == "start":
            if counting:
                self._young = len(gc.get_objects(0)) + len(gc.get_objects(1))
            self._started = time.perf_counter()
            return
        ended = time.perf_counter()
        if counting:
            self.promoted += self._young - int(info.get("collected", 0))
        self.pauses.append((self._started, ended, int(info.get("generation", -1))))

    def __enter__(self) -> GcPauses:
        """Start recording."""
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stop recording."""
        gc.callbacks.remove(self._callback)

    def within(self, start: float, end: float) -> float:
        """Return the seconds of collection between two ``perf_counter`` times."""
        return sum(
            max(0.0, min(stop, end) - max(begin, start))
            for begin, stop, _ in self.pauses
        )

    def figures(self) -> dict[str, Any]:
        """Return the longest pause, the total (ms) and the full collections."""
        durations = [stop - begin for begin, stop, _ in self.pauses]
        return {
            "gc_max_ms": max(durations, default=0.0) * 1000,
            "gc_total_ms": sum(durations) * 1000,
            "gc_full_collections": sum(1 for *_, gen in self.pauses if gen == 2),
            **({"gc_promoted": self.promoted} if self._count_promotions else {}),
        }
