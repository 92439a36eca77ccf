"""What heartbeat jobs sent: the last pings and the tail of their output.

Bounded per target: at most ``MAX_PINGS_KEPT`` pings and ``OUTPUT_LIMIT``
bytes of output (UTF-8) between them; a longer body keeps its end, where a
job's errors are.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Final

OUTPUT_LIMIT: Final = 4096
MAX_PINGS_KEPT: Final = 10


def output_tail(body: bytes) -> str:
    """Return the last ``OUTPUT_LIMIT`` bytes of ``body`` as text.

    A character cut at the start is dropped; other invalid bytes become U+FFFD.
    """
    tail = body[-OUTPUT_LIMIT:]
    cut = len(body) > OUTPUT_LIMIT
    while cut and tail and (tail[0] & 0xC0) == 0x80:
        tail = tail[1:]  # a continuation byte: the rest of a cut character
    text = tail.decode("utf-8", errors="replace")
    # Replacement characters are 3 bytes: trim until the text fits again.
    while len(text.encode()) > OUTPUT_LIMIT:
        text = text[1:]
    return text


@dataclass(frozen=True, slots=True)
class PingRecord:
    """One ping as it arrived."""

    at: datetime
    signal: str
    rid: str | None = None
    exit_code: int | None = None
    duration_ms: float | None = None
    body: str = ""


class PingLog:
    """The latest pings of one heartbeat, newest last, within the bounds."""

    __slots__ = ("_body_bytes", "_pings")

    def __init__(self, pings: list[PingRecord] | None = None) -> None:
        """Start with ``pings`` (oldest first), trimmed to the bounds."""
        self._pings: deque[PingRecord] = deque()
        self._body_bytes = 0
        for ping in pings or ():
            self.add(ping)

    def add(self, ping: PingRecord) -> None:
        """Keep ``ping``, dropping the oldest until the bounds hold."""
        self._pings.append(ping)
        self._body_bytes += len(ping.body.encode())
        while len(self._pings) > MAX_PINGS_KEPT or self._body_bytes > OUTPUT_LIMIT:
            dropped = self._pings.popleft()
            self._body_bytes -= len(dropped.body.encode())

    def __eq__(self, other: object) -> bool:
        """Return whether ``other`` keeps the same pings."""
        return isinstance(other, PingLog) and self._pings == other._pings

    __hash__ = None  # type: ignore[assignment]  # mutable

    def latest(self) -> list[PingRecord]:
        """Return the kept pings, newest first."""
        return list(reversed(self._pings))

    def last_output(self) -> str | None:
        """Return the newest non-empty body, if any."""
        return next((p.body for p in reversed(self._pings) if p.body), None)
