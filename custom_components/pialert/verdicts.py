"""Record a pushed target's verdict when it changes, and look again when due.

Entity groups and integration health judge many things at once; a verdict is
recorded only when it says something new, and a timer wakes the target when a
pending failure will have held long enough.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time

from .engine.models import CheckResult


class VerdictRecorder:
    """Records verdicts by target id and keeps one wake-up timer per target."""

    def __init__(
        self,
        hass: HomeAssistant,
        record: Callable[[str, CheckResult], None],
        recheck: Callable[[str], None],
    ) -> None:
        """Record through ``record``; call ``recheck(target_id)`` when a timer fires."""
        self.hass = hass
        self._record = record
        self._recheck = recheck
        self._recorded: dict[str, str | None] = {}
        self._wake: dict[str, CALLBACK_TYPE] = {}

    @callback
    def judge(
        self,
        target_id: str,
        error: str | None,
        wake_at: datetime | None,
        now: datetime,
    ) -> None:
        """Record ``error`` (None: fine) unless it is what was recorded last."""
        if cancel := self._wake.pop(target_id, None):
            cancel()
        if wake_at is not None:

            @callback
            def _due(_now: datetime) -> None:
                self._wake.pop(target_id, None)
                self._recheck(target_id)

            self._wake[target_id] = async_track_point_in_utc_time(
                self.hass, _due, wake_at
            )
        if target_id in self._recorded and self._recorded[target_id] == error:
            return  # nothing new to say
        self._recorded[target_id] = error
        self._record(
            target_id,
            CheckResult(success=error is None, checked_at=now, error=error),
        )

    @callback
    def forget(self, target_id: str) -> None:
        """Drop what was recorded and the timer: the next verdict is recorded."""
        self._recorded.pop(target_id, None)
        if cancel := self._wake.pop(target_id, None):
            cancel()

    @callback
    def forget_all(self) -> None:
        """Drop every target's record and timer."""
        for target_id in list(self._recorded.keys() | self._wake.keys()):
            self.forget(target_id)
