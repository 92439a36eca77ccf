"""Which rule puts a target down: consecutive failures, or failures in a window.

The window rule (``min_events`` failures within ``time_window_seconds``) keeps
only the times of the last ``min_events`` failures, in a ring: each check adds
at most one time and compares two, so its cost does not grow with the window
or the number of checks in it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .models import MAX_THRESHOLD, Target
from .saved_values import as_list, as_number, as_opt_str, invalid


class AlertRule(StrEnum):
    """The rule that put a target down (the sensor's and API's ``alert_rule``)."""

    CONSECUTIVE_FAILURES = "consecutive_failures"
    FAILURES_IN_WINDOW = "failures_in_window"


@dataclass(frozen=True, slots=True)
class WindowRule:
    """At least ``min_events`` failures within ``seconds``."""

    min_events: int
    seconds: int


def window_rule(target: Target) -> WindowRule | None:
    """Return the target's window rule, None when it has none."""
    if target.min_events is None or target.time_window_seconds is None:
        return None
    return WindowRule(target.min_events, target.time_window_seconds)


class FailureTimes:
    """The times (epoch seconds) of a target's last failures, newest last."""

    __slots__ = ("_times",)

    def __init__(self, bound: int, times: tuple[float, ...] = ()) -> None:
        """Keep at most ``bound`` failure times."""
        self._times: deque[float] = deque(times, maxlen=bound)

    @property
    def times(self) -> tuple[float, ...]:
        """Return the kept times, oldest first (what is saved)."""
        return tuple(self._times)

    def add(self, at: float, rule: WindowRule) -> bool:
        """Note a failure at ``at``; return whether ``rule`` now holds."""
        if self._times.maxlen != rule.min_events:
            # The rule was edited: keep the newest times that still fit.
            self._times = deque(self._times, maxlen=rule.min_events)
        self._times.append(at)
        return (
            len(self._times) == rule.min_events and at - self._times[0] <= rule.seconds
        )


def down_because(rule: AlertRule, target: Target) -> str:
    """Return " (3 failures within 10 min)" for the window rule, else "".

    The consecutive rule is the usual one: its history line stays as it was.
    """
    if rule is AlertRule.FAILURES_IN_WINDOW and (window := window_rule(target)):
        return f" ({window.min_events} failures within {_duration(window.seconds)})"
    return ""


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def saved_rule_state(
    alert_rule: AlertRule | None, failure_times: FailureTimes | None
) -> dict[str, Any]:
    """Return a target's rule state as saved (absent in older files)."""
    return {
        "alert_rule": None if alert_rule is None else alert_rule.value,
        "failure_times": None if failure_times is None else list(failure_times.times),
    }


def restored_rule_state(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Return the rule state saved in ``item``; SavedStateError when malformed."""
    rule = as_opt_str(item.get("alert_rule"), f"{where}.alert_rule")
    if rule is not None and rule not in set(AlertRule):
        raise invalid(f"{where}.alert_rule", "an alert rule", rule)
    times = item.get("failure_times")
    restored: FailureTimes | None = None
    if times is not None:
        numbers = [
            as_number(t, f"{where}.failure_times")
            for t in as_list(times, f"{where}.failure_times")
        ]
        if not numbers or len(numbers) > MAX_THRESHOLD:
            raise invalid(f"{where}.failure_times", "1 to 100 times", times)
        # The bound is set again from the rule at the next failure.
        restored = FailureTimes(len(numbers), tuple(numbers))
    return {
        "alert_rule": None if rule is None else AlertRule(rule),
        "failure_times": restored,
    }


def alert_counts(
    rule: AlertRule | None, failure_times: FailureTimes | None, target: Target
) -> tuple[int, int] | None:
    """Return (failures, threshold) of the window rule while it holds the target down.

    The alert status' ``failures`` / ``threshold`` then count failures within
    the window against ``min_events``, not consecutive ones. None otherwise.
    """
    window = window_rule(target)
    if rule is not AlertRule.FAILURES_IN_WINDOW or window is None:
        return None
    times = failure_times.times if failure_times is not None else ()
    latest = times[-1] if times else 0.0
    recent = sum(1 for at in times if latest - at <= window.seconds)
    return recent, window.min_events
