"""The hub alert: which down targets count, and how its changes are announced."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from .alert_rules import alert_counts
from .events import Event, EventType
from .models import Silence, Status, Target
from .state import FailingTarget, TargetState


def hub_alert(
    down: Iterable[str],
    targets: Mapping[str, Target],
    states: Mapping[str, TargetState],
    status: Callable[[str], Status],
    active_silences: Iterable[Silence],
) -> dict[str, FailingTarget]:
    """Return, by id and in name order, the down targets that make the hub alert.

    A target counts while it is down (not unreachable behind a down parent),
    unacknowledged and not silenced.
    """
    active = list(active_silences)
    alerts: dict[str, FailingTarget] = {}
    for target_id in sorted(down, key=lambda tid: targets[tid].name):
        state = states[target_id]
        target = targets[target_id]
        if (
            state.acknowledgement is not None
            or status(target_id) is not Status.DOWN
            or any(silence.matches(target) for silence in active)
        ):
            continue
        failures, threshold = alert_counts(
            state.alert_rule, state.failure_times, target
        ) or (state.consecutive_failures, target.failure_threshold)
        alerts[target_id] = FailingTarget(
            name=target.name, failures=failures, threshold=threshold
        )
    return alerts


def alert_event(alerts: Mapping[str, FailingTarget]) -> Event:
    """Return the announcement of the hub alert becoming ``alerts``."""
    if alerts:
        return Event(
            EventType.ALERT_STARTED,
            {
                "failing_count": len(alerts),
                "failing_targets": [f.name for f in alerts.values()],
            },
        )
    return Event(EventType.ALERT_CLEARED, {"failing_count": 0})
