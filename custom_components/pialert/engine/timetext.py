"""How the engine writes times into text that people read.

The engine knows no time zone: Home Assistant hands the monitor a writer in
its local time. Machine fields (the API's, the events') stay ISO 8601.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

type TimeText = Callable[[datetime, datetime], str]
"""``describe(moment, now)``: ``now`` lets a writer leave out today's date."""


def iso_seconds(moment: datetime, _now: datetime) -> str:
    """Write a time as ISO 8601 to the second (when no writer is set)."""
    return moment.isoformat(timespec="seconds")
