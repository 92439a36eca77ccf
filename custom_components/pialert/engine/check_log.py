"""The last checks of each target, in compact rings (the check log).

Bound: ``CHECK_LOG_SIZE`` (100) checks per target, in memory and in the saved
state alike; nothing older is kept. Each check costs 8 bytes in one uint32
array (time in whole seconds; response time in hundredths of a millisecond,
up to about 5.9 hours, with the ok flag in the top bit) plus its error text
for failed checks only, a run of the same error sharing one string. Records
are built only when read.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .models import CheckResult
from .saved_values import as_count, as_list, as_mapping, as_str, invalid

CHECK_LOG_SIZE = 100
"""Checks kept per target, in memory and on disk."""
MAX_ERROR_CHARS = 300
"""Longer error texts are cut: the log stays bounded whatever a probe says."""
_OK = 0x80000000
_NO_TIME = 0x7FFFFFFF
"""The response time of a check that measured none."""
_MAX_SECONDS = 0xFFFFFFFE
_TIME_UNITS_PER_MS = 100


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One logged check, as readers get it."""

    checked_at: datetime
    ok: bool
    response_time_ms: float | None
    error: str | None


def _response(ms: float | None) -> int:
    if ms is None or ms != ms:  # noqa: PLR0124 - NaN measures nothing
        return _NO_TIME
    return min(max(round(ms * _TIME_UNITS_PER_MS), 0), _NO_TIME - 1)


class CheckRing:
    """One target's last checks, oldest overwritten first."""

    __slots__ = ("_errors", "_head", "_packed", "_size")

    def __init__(self, size: int = CHECK_LOG_SIZE) -> None:
        """Start empty; hold at most ``size`` checks."""
        self._size = size
        # [seconds, response | ok bit] per check, by slot.
        self._packed = array("I")
        # Errors of failed checks only, by slot (None until there is one).
        self._errors: dict[int, str] | None = None
        self._head = 0
        """The oldest slot once the ring is full (where the next check goes)."""

    def __len__(self) -> int:
        """Return how many checks are held."""
        return len(self._packed) // 2

    def add(self, result: CheckResult) -> None:
        """Log one check, dropping the oldest when full."""
        seconds = min(max(int(result.checked_at.timestamp()), 0), _MAX_SECONDS)
        second = _response(result.response_time_ms) | (_OK if result.success else 0)
        packed = self._packed
        if len(packed) < 2 * self._size:
            slot = len(packed) // 2
            packed.append(seconds)
            packed.append(second)
            if len(packed) == 2 * self._size:
                # Full for good: drop the growth reserve appending left.
                self._packed = array("I", packed)
        else:
            slot = self._head
            self._head = (slot + 1) % self._size
            packed[2 * slot] = seconds
            packed[2 * slot + 1] = second
            if self._errors is not None:
                self._errors.pop(slot, None)
        if not result.success:
            if self._errors is None:
                self._errors = {}
            # A failing target repeats its error: keep one string for the run.
            error = (result.error or "")[:MAX_ERROR_CHARS]
            previous = self._errors.get((slot - 1) % self._size)
            self._errors[slot] = previous if previous == error else error

    def _slots(self) -> Iterator[int]:
        """Slots oldest first."""
        yield from range(self._head, len(self))
        yield from range(self._head)

    def _record(self, slot: int) -> CheckRecord:
        second = self._packed[2 * slot + 1]
        ok = bool(second & _OK)
        response = second & _NO_TIME
        return CheckRecord(
            checked_at=datetime.fromtimestamp(self._packed[2 * slot], UTC),
            ok=ok,
            response_time_ms=None
            if response == _NO_TIME
            else response / _TIME_UNITS_PER_MS,
            error=None if ok or not self._errors else self._errors.get(slot) or None,
        )

    def records(self) -> list[CheckRecord]:
        """Return every held check, oldest first."""
        return [self._record(slot) for slot in self._slots()]

    def last(self, count: int) -> list[CheckRecord]:
        """Return the newest ``count`` checks, oldest first, building only those."""
        held = len(self)
        # Slot of the k-th oldest check: the ring starts at its head once full
        # (and the head is 0 until then).
        return [
            self._record((self._head + k) % held)
            for k in range(held - min(max(count, 0), held), held)
        ]

    def last_packed(self, count: int) -> list[tuple[int, bool, float | None]]:
        """Return the newest ``count`` checks as (epoch seconds, ok, ms), oldest first.

        Like ``last`` without building records and datetimes: the card's
        history bars read 30 checks of every target at once.
        """
        held = len(self)
        packed = self._packed
        found = []
        for k in range(held - min(max(count, 0), held), held):
            slot = 2 * ((self._head + k) % held)
            second = packed[slot + 1]
            response = second & _NO_TIME
            found.append(
                (
                    packed[slot],
                    bool(second & _OK),
                    None if response == _NO_TIME else response / _TIME_UNITS_PER_MS,
                )
            )
        return found

    def newest_first(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> list[CheckRecord]:
        """Return the checks within [start, end] (each bound optional), newest first."""
        low = 0 if start is None else start.timestamp()
        high = float("inf") if end is None else end.timestamp()
        slots = list(self._slots())
        slots.reverse()
        packed = self._packed
        return [self._record(slot) for slot in slots if low <= packed[2 * slot] <= high]

    # --- saving ------------------------------------------------------------

    def copy(self) -> CheckRing:
        """Return an independent copy (one array copy: cheap on the event loop)."""
        twin = CheckRing.__new__(CheckRing)
        twin._size, twin._head = self._size, self._head
        twin._packed = self._packed[:]
        twin._errors = None if self._errors is None else dict(self._errors)
        return twin

    def dump(self) -> dict[str, Any]:
        """Return JSON-safe data, oldest first.

        ``checks`` is [seconds, response | ok << 31, ...], two numbers a check;
        ``err`` the errors by check index. One slice and one list, no loop per
        check: every ring is dumped on the event loop at each save.
        """
        head = 2 * self._head
        errors = self._errors or {}
        return {
            "checks": (self._packed[head:] + self._packed[:head]).tolist(),
            "err": {
                str((slot - self._head) % len(self)): error
                for slot, error in errors.items()
            },
        }

    @classmethod
    def parse(cls, data: Any, where: str, size: int = CHECK_LOG_SIZE) -> CheckRing:
        """Rebuild from ``dump``; raise SavedStateError naming ``where``."""
        data = as_mapping(data, where)
        values = as_list(data.get("checks", []), f"{where}.checks")
        if len(values) % 2:
            raise invalid(f"{where}.checks", "pairs of numbers", len(values))
        for i, value in enumerate(values):
            top = _MAX_SECONDS if i % 2 == 0 else 0xFFFFFFFF
            if as_count(value, f"{where}.checks[{i}]") > top:
                raise invalid(f"{where}.checks[{i}]", f"at most {top}", value)
        count = len(values) // 2
        errors: dict[int, str] = {}
        for key, error in as_mapping(data.get("err", {}), f"{where}.err").items():
            if not key.isdigit() or not int(key) < count:
                raise invalid(f"{where}.err", "indexes of checks", key)
            errors[int(key)] = as_str(error, f"{where}.err.{key}")[:MAX_ERROR_CHARS]
        ring = cls(size)
        keep = max(count - size, 0)  # a smaller bound keeps the newest
        ring._packed = array("I", values[2 * keep :])
        kept = {i - keep: e for i, e in errors.items() if i >= keep}
        ring._errors = kept or None
        return ring


class CheckLog:
    """The check rings of every target."""

    def __init__(self, size: int = CHECK_LOG_SIZE) -> None:
        """Start empty; keep ``size`` checks per target."""
        self.size = size
        self.rings: dict[str, CheckRing] = {}

    def record(self, target_id: str, result: CheckResult) -> None:
        """Log one check of ``target_id``."""
        ring = self.rings.get(target_id)
        if ring is None:
            ring = self.rings[target_id] = CheckRing(self.size)
        ring.add(result)

    def forget(self, target_id: str) -> None:
        """Drop a removed target's log."""
        self.rings.pop(target_id, None)

    def recent(self, target_id: str) -> list[CheckRecord]:
        """Return a target's logged checks, oldest first (for status bars)."""
        ring = self.rings.get(target_id)
        return ring.records() if ring else []

    def last(self, target_id: str, count: int) -> list[CheckRecord]:
        """Return a target's newest ``count`` checks, oldest first."""
        ring = self.rings.get(target_id)
        return ring.last(count) if ring else []

    def last_packed(
        self, target_id: str, count: int
    ) -> list[tuple[int, bool, float | None]]:
        """Return a target's newest ``count`` checks as (epoch seconds, ok, ms)."""
        ring = self.rings.get(target_id)
        return ring.last_packed(count) if ring else []

    def page(
        self,
        target_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = CHECK_LOG_SIZE,
        offset: int = 0,
    ) -> tuple[list[CheckRecord], int]:
        """Return a page of checks in [start, end], newest first, and how many matched."""
        ring = self.rings.get(target_id)
        matched = ring.newest_first(start, end) if ring else []
        return matched[offset : offset + limit], len(matched)

    # --- saving ------------------------------------------------------------

    def dump(self) -> dict[str, dict[str, Any]]:
        """Return every ring as JSON-safe data."""
        return {target_id: ring.dump() for target_id, ring in self.rings.items()}

    def restore(self, rings: Mapping[str, CheckRing]) -> None:
        """Put back parsed rings (see ``parse_check_log``)."""
        self.rings.update(rings)


def parse_check_log(data: Any, where: str = "checks") -> dict[str, CheckRing]:
    """Check saved rings (``CheckLog.dump``); raise SavedStateError naming where."""
    items: Mapping[str, Any] = as_mapping(data, where)
    return {
        target_id: CheckRing.parse(item, f"{where}.{target_id}")
        for target_id, item in items.items()
    }
