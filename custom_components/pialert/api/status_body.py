"""The alert-status body: encoded once per snapshot, six digits per request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from homeassistant.helpers.json import json_bytes

from .shapes import FailingTargetBody

if TYPE_CHECKING:
    from ..engine.state import Snapshot

# The body ends with the timestamp, so everything before it is the snapshot's.
_TIMESTAMP_TAIL = b'"}'
_SECOND = timedelta(seconds=1)
# Earlier than any clock: the first body builds its time prefix.
_NEVER = datetime.min.replace(tzinfo=UTC)


def snapshot_fields(snapshot: Snapshot) -> dict[str, object]:
    """Return the body's fields that depend only on ``snapshot``, in order."""
    failing: list[FailingTargetBody] = [
        {
            "name": f.name,
            "status": f.status,
            "failures": f.failures,
            "threshold": f.threshold,
        }
        for f in snapshot.failing
    ]
    return {
        "alert": bool(failing),
        "failing_targets": failing,
        "failing_count": len(failing),
    }


def snapshot_head(snapshot: Snapshot) -> bytes:
    """Return the body's JSON up to the timestamp's value.

    Encoded with an empty timestamp and cut before its closing quote: the
    same bytes Home Assistant's JSON encoder writes for the whole body.
    """
    encoded = json_bytes({**snapshot_fields(snapshot), "timestamp": ""})
    return encoded[: -len(_TIMESTAMP_TAIL)]


def second_text(second: datetime) -> bytes:
    """Return a UTC time's date and time to the second, as the timestamp starts."""
    return second.replace(tzinfo=None).isoformat(timespec="seconds").encode()


class StatusBody:
    """The alert-status body, of which a request writes only six digits.

    The snapshot's part is encoded once per snapshot and the timestamp's date
    and time once per second; a request adds the microseconds (always six
    digits, as the contract shows them) and ``+00:00``.
    """

    __slots__ = ("_end", "_head", "_prefix", "_snapshot", "_start")

    def __init__(self) -> None:
        """Start with nothing built."""
        self._snapshot: Snapshot | None = None
        self._head = b""
        self._start = self._end = _NEVER
        self._prefix = b""

    def render(self, snapshot: Snapshot, now: datetime) -> bytes:
        """Return the body for ``snapshot`` at ``now``."""
        if now.tzinfo is not UTC:
            now = now.astimezone(UTC)
        if snapshot is not self._snapshot:
            # Compared by identity: a published snapshot never changes.
            self._head = snapshot_head(snapshot)
            self._snapshot = snapshot
            self._end = self._start
        # Same tzinfo on both sides: compared field by field, no offsets.
        if not self._start <= now < self._end:
            start = now.replace(microsecond=0)
            self._start, self._end = start, start + _SECOND
            self._prefix = self._head + second_text(start) + b"."
        return self._prefix + b'%06d+00:00"}' % now.microsecond
