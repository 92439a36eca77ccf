"""(ok, total) check counts per time unit (hour, day) in a ring of uint16 pairs.

A unit is a whole number (hours since the epoch, a day's ordinal); the ring
keeps the last ``size`` of them, 4 bytes each. A unit counts up to 65,535
checks; past that its two counts are halved, which keeps its share of
successes.
"""

from __future__ import annotations

from array import array
from typing import ClassVar

MAX_COUNT = 0xFFFF


class CountRing:
    """Counts of the last ``size`` units; subclasses set ``size``."""

    __slots__ = ("_counts", "last")
    size: ClassVar[int]

    def __init__(self) -> None:
        """Start with no checks."""
        # ok at 2*i, total at 2*i+1, for the unit u with u % size == i.
        # Made by repetition: an array made from bytes keeps a growth reserve.
        self._counts = array("H", [0]) * (2 * self.size)
        self.last = 0
        """The newest unit counted (0: none yet)."""

    def __eq__(self, other: object) -> bool:
        """Compare what is counted."""
        if not isinstance(other, CountRing):
            return NotImplemented
        return (self.last, self._counts) == (other.last, other._counts)

    __hash__ = None  # type: ignore[assignment]

    def add(self, unit: int, ok: bool, count: int = 1) -> None:
        """Count ``count`` checks of ``unit``."""
        if unit > self.last:
            self.advance(unit)
        elif unit <= self.last - self.size:
            return  # older than what is kept (a clock step back)
        i = 2 * (unit % self.size)
        counts = self._counts
        if counts[i + 1] + count > MAX_COUNT:
            self._change(
                unit, -(counts[i] - counts[i] // 2), -((counts[i + 1] + 1) // 2)
            )
            counts[i] //= 2
            counts[i + 1] //= 2
            count = min(count, MAX_COUNT - counts[i + 1])
        counts[i + 1] += count
        if ok:
            counts[i] += count
        self._change(unit, count if ok else 0, count)

    def _change(self, unit: int, ok: int, total: int) -> None:
        """Note counts added to (or taken from) ``unit``."""

    def advance(self, unit: int) -> None:
        """Make ``unit`` the newest: units in between had no checks."""
        last, counts = self.last, self._counts
        if last == 0 or unit - last >= self.size:
            counts[:] = array("H", [0]) * (2 * self.size)
        else:
            for new in range(last + 1, unit + 1):
                j = 2 * (new % self.size)
                counts[j] = counts[j + 1] = 0
        self.last = unit

    def get(self, unit: int) -> tuple[int, int]:
        """Return (ok, total) of ``unit`` (zeros if not kept)."""
        if not self.last - self.size < unit <= self.last:
            return 0, 0
        i = 2 * (unit % self.size)
        return self._counts[i], self._counts[i + 1]

    def window(self, end: int, units: int) -> tuple[int, int]:
        """Return summed (ok, total) of the ``units`` units ending with ``end``."""
        first = max(end - units + 1, self.last - self.size + 1)
        last = min(end, self.last)
        if first > last:
            return 0, 0
        a, b = first % self.size, last % self.size
        counts = self._counts
        if a <= b:
            ok, total = counts[2 * a : 2 * b + 2 : 2], counts[2 * a + 1 : 2 * b + 2 : 2]
            return sum(ok), sum(total)
        ok_sum = sum(counts[2 * a :: 2]) + sum(counts[: 2 * b + 2 : 2])
        total_sum = sum(counts[2 * a + 1 :: 2]) + sum(counts[1 : 2 * b + 2 : 2])
        return ok_sum, total_sum
