"""The hub alert: which down targets count, and how its changes are announced."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

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
        if entry := _failing(target_id, targets, states, status, active):
            alerts[target_id] = entry
    return alerts


def _failing(
    target_id: str,
    targets: Mapping[str, Target],
    states: Mapping[str, TargetState],
    status: Callable[[str], Status],
    active: Sequence[Silence],
) -> FailingTarget | None:
    """Return the target's entry in the hub alert, or None if it does not count."""
    state = states[target_id]
    target = targets[target_id]
    if (
        state.acknowledgement is not None
        or status(target_id) is not Status.DOWN
        or any(silence.matches(target) for silence in active)
    ):
        return None
    failures, threshold = alert_counts(
        state.alert_rule, state.failure_times, target
    ) or (state.consecutive_failures, target.failure_threshold)
    return FailingTarget(name=target.name, failures=failures, threshold=threshold)


class HubAlert:
    """``hub_alert`` kept in step with changes: O(changed targets) per result.

    Recomputing over every down target after each result made a thousand
    targets failing at once cost a million evaluations. The monitor names
    each target whose state changed (``changed``); a change of the active
    silences, or ``changed(None)``, recomputes them all.
    """

    def __init__(self) -> None:
        """Start with everything to compute."""
        self._entries: dict[str, FailingTarget] = {}
        self._stale: set[str] | None = None
        self._silences: tuple[Silence, ...] | None = None
        self._ordered: dict[str, FailingTarget] | None = None

    def changed(self, target_id: str | None) -> None:
        """Note that a target's state (None: anything) changed."""
        if target_id is None:
            self._stale = None
        elif self._stale is not None:
            self._stale.add(target_id)

    def update(
        self,
        down: Collection[str],
        targets: Mapping[str, Target],
        states: Mapping[str, TargetState],
        status: Callable[[str], Status],
        active_silences: Sequence[Silence],
    ) -> Mapping[str, FailingTarget]:
        """Bring the entries up to date; return them (in no particular order)."""
        active = tuple(active_silences)
        if active != self._silences:
            self._silences, self._stale = active, None
        stale: Iterable[str] = down if self._stale is None else self._stale
        if self._stale is None:
            self._entries = {}
        for target_id in stale:
            entry = (
                _failing(target_id, targets, states, status, active)
                if target_id in down
                else None
            )
            if entry is not None:
                if self._entries.get(target_id) != entry:
                    self._entries[target_id] = entry
                    self._ordered = None
            elif self._entries.pop(target_id, None) is not None:
                self._ordered = None
        if self._stale is None:
            self._ordered = None
        self._stale = set()
        return self._entries

    def ordered(self, targets: Mapping[str, Target]) -> dict[str, FailingTarget]:
        """Return the entries as ``hub_alert`` does, in name order (after update)."""
        if self._ordered is None:
            self._ordered = {
                tid: self._entries[tid]
                for tid in sorted(self._entries, key=lambda tid: targets[tid].name)
            }
        return self._ordered


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
