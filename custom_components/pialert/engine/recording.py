"""What the monitor writes into history, and the events it announces with it."""

from __future__ import annotations

from datetime import datetime

from .alert_rules import AlertRule, down_because
from .events import Event, EventType
from .history import History
from .models import CheckResult, HistoryEventType, Incident, Silence, Target
from .state import TargetState


class Recorder:
    """Writes incidents and history lines; returns the events to announce."""

    def __init__(self, history: History) -> None:
        """Write into ``history``."""
        self.history = history

    def went_down(
        self, target: Target, state: TargetState, result: CheckResult
    ) -> Event:
        """Open an incident for a target past its failure threshold."""
        error = state.last_error
        rule = state.alert_rule or AlertRule.CONSECUTIVE_FAILURES
        incident = self.history.open_incident(
            target, result.checked_at, state.consecutive_failures, error
        )
        state.incident_id = incident.id
        incident.output = result.output
        self.history.add_event(
            HistoryEventType.DOWN,
            result.checked_at,
            target,
            f"{target.name} is down{down_because(rule, target)}: {error}",
        )
        return Event(
            EventType.TARGET_DOWN,
            {
                "target_id": target.id,
                "name": target.name,
                "failures": state.consecutive_failures,
                "threshold": target.failure_threshold,
                "error": error,
                "alert_rule": rule.value,
            },
        )

    def came_up(
        self, target: Target, result: CheckResult, incident: Incident | None
    ) -> Event:
        """Note a recovery (its incident is already closed)."""
        self.history.add_event(
            HistoryEventType.UP,
            result.checked_at,
            target,
            f"{target.name} is up again",
        )
        return Event(
            EventType.TARGET_UP,
            {
                "target_id": target.id,
                "name": target.name,
                "downtime_seconds": incident.duration_seconds if incident else None,
            },
        )

    def acknowledged(
        self,
        target: Target,
        state: TargetState,
        by: str,
        now: datetime,
        note: str | None,
    ) -> Event:
        """Note an acknowledgement, on the incident too."""
        if state.incident_id is not None:
            self.history.acknowledge_incident(state.incident_id, by, now, note)
        self.history.add_event(
            HistoryEventType.ACKNOWLEDGED,
            now,
            target,
            f"{target.name} acknowledged by {by}" + (f": {note}" if note else ""),
        )
        return Event(
            EventType.ACKNOWLEDGED,
            {"target_id": target.id, "name": target.name, "by": by, "note": note},
        )

    def unacknowledged(self, target: Target, by: str, now: datetime) -> None:
        """Note a withdrawn acknowledgement."""
        self.history.add_event(
            HistoryEventType.UNACKNOWLEDGED,
            now,
            target,
            f"Acknowledgement of {target.name} withdrawn by {by}",
        )

    def silenced(
        self, silence: Silence, covers: str, until: str, now: datetime
    ) -> Event:
        """Note a new silence; ``covers`` and ``until`` are its words."""
        self.history.add_event(
            HistoryEventType.SILENCED,
            now,
            None,
            f"Silence {covers} until {until} by {silence.created_by}"
            + (f": {silence.comment}" if silence.comment else ""),
        )
        return Event(
            EventType.SILENCED,
            {
                "silence_id": silence.id,
                "target_ids": sorted(silence.target_ids),
                "tags": sorted(silence.tags),
                "starts_at": silence.starts_at.isoformat(),
                "ends_at": silence.ends_at.isoformat(),
                "created_by": silence.created_by,
                "comment": silence.comment,
            },
        )

    def unsilenced(self, covers: str, by: str, now: datetime) -> None:
        """Note a silence ended early."""
        self.history.add_event(
            HistoryEventType.UNSILENCED, now, None, f"Silence {covers} ended by {by}"
        )
