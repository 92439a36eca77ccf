"""Which response time a sensor shows, so jitter and lone spikes write no rows."""

from __future__ import annotations

from datetime import datetime

# A response time is written only when it moved this much from the value
# shown: at least RT_MIN_CHANGE_MS and at least RT_MIN_CHANGE_RATIO of it.
RT_MIN_CHANGE_MS = 10.0
RT_MIN_CHANGE_RATIO = 0.25


def response_time_changed(shown: float | None, measured: float | None) -> bool:
    """Return whether a measured response time is past the threshold."""
    if shown is None or measured is None:
        return shown != measured
    return abs(measured - shown) >= max(RT_MIN_CHANGE_MS, RT_MIN_CHANGE_RATIO * shown)


class ShownResponseTime:
    """The value shown moves once two checks in a row moved the same way.

    One slow answer (a busy server, a retransmission, a moment the event
    loop was busy, which delays the measurement itself) is not a change of
    the site's response time: it would write two rows (there and back) for
    nothing. A response time that appears or goes (``None``) is shown at once.
    """

    def __init__(self, *, confirm: bool = True) -> None:
        """Start with nothing shown; without ``confirm``, one check is enough."""
        self.shown: float | None = None
        self._confirm = confirm
        # The check whose value first moved past the threshold, and which way.
        self._moved_at: datetime | None = None
        self._moved_up = False

    def update(
        self, measured: float | None, checked_at: datetime | None
    ) -> float | None:
        """Fold in the latest check's response time; return the value to show."""
        shown = self.shown
        if not response_time_changed(shown, measured):
            self._moved_at = None
        elif shown is None or measured is None or not self._confirm:
            self.shown, self._moved_at = measured, None
        elif checked_at != self._moved_at:  # a later look at one check counts once
            up = measured > shown
            if self._moved_at is not None and up == self._moved_up:
                self.shown, self._moved_at = measured, None
            else:
                self._moved_at, self._moved_up = checked_at, up
        return self.shown
