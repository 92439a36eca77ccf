"""The alert state machine: check results in, new state and events out.

``Monitor`` is the only place target state changes. Everything else (the
coordinator, entities, the API, the relay) reads the immutable ``Snapshot``
it produces, so the hub's alert state cannot be reported two ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .changes import restart_message, restart_reason
from .history import History
from .models import (
    Acknowledgement,
    CheckResult,
    HistoryEventType,
    Incident,
    Silence,
    SilenceState,
    Status,
    Target,
    TargetKind,
)
from .probes.heartbeat import HeartbeatSettings, HeartbeatTracker
from .timetext import TimeText, iso_seconds


class EventType(StrEnum):
    """What a state change means to the outside world."""

    TARGET_DOWN = "target_down"
    TARGET_UP = "target_up"
    ALERT_STARTED = "alert_started"
    ALERT_CLEARED = "alert_cleared"
    ACKNOWLEDGED = "acknowledged"
    SILENCED = "silenced"


@dataclass(frozen=True, slots=True)
class Event:
    """A transition to announce (Home Assistant turns these into bus events)."""

    type: EventType
    data: Mapping[str, object]


class MonitorError(Exception):
    """A request the monitor cannot honour; ``key`` names the reason."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """Store the translation key and its placeholders."""
        super().__init__(key)
        self.key = key
        self.placeholders = placeholders


@dataclass(slots=True)
class TargetState:
    """What we know about a target (mutable, owned by ``Monitor``)."""

    consecutive_failures: int = 0
    consecutive_successes: int = 0
    alerting: bool = False
    last_check: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    response_time_ms: float | None = None
    cert_days_remaining: int | None = None
    acknowledgement: Acknowledgement | None = None
    incident_id: str | None = None
    monitored_since: datetime | None = None

    def raw_status(self) -> Status:
        """Return the status from this target's own results."""
        if self.alerting:
            return Status.DOWN
        if self.last_check is None:
            return Status.UNKNOWN
        if self.consecutive_failures:
            return Status.PENDING
        return Status.UP

    def view(
        self,
        target: Target,
        *,
        status: Status,
        silenced: bool,
        alerting: bool,
        uptime_24h: float | None = None,
    ) -> TargetView:
        """Freeze this state, with what the monitor derived, for readers."""
        return TargetView(
            target=target,
            status=status,
            consecutive_failures=self.consecutive_failures,
            consecutive_successes=self.consecutive_successes,
            last_check=self.last_check,
            last_success=self.last_success,
            last_error=self.last_error,
            response_time_ms=self.response_time_ms,
            cert_days_remaining=self.cert_days_remaining,
            acknowledgement=self.acknowledgement,
            silenced=silenced,
            alerting=alerting,
            uptime_24h=uptime_24h,
        )


@dataclass(frozen=True, slots=True)
class TargetView:
    """A target with its state, frozen for readers."""

    target: Target
    status: Status
    consecutive_failures: int
    consecutive_successes: int
    last_check: datetime | None
    last_success: datetime | None
    last_error: str | None
    response_time_ms: float | None
    cert_days_remaining: int | None
    acknowledgement: Acknowledgement | None
    silenced: bool
    alerting: bool
    """True when this target is part of the hub's alert state."""
    uptime_24h: float | None = None


@dataclass(frozen=True, slots=True)
class FailingTarget:
    """An entry of the alert status' ``failing_targets``."""

    name: str
    failures: int
    threshold: int
    status: str = Status.DOWN.value


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything readers need, immutable and comparable."""

    targets: Mapping[str, TargetView] = field(default_factory=dict)
    failing: tuple[FailingTarget, ...] = ()
    silences: tuple[Silence, ...] = ()
    active_silences: int = 0

    @property
    def alert(self) -> bool:
        """Return whether the hub alerts."""
        return bool(self.failing)


class Monitor:
    """Targets, their states, acknowledgements and silences."""

    def __init__(self, history: History | None = None) -> None:
        """Start with no targets."""
        # Writes times into user-facing text; Home Assistant sets a local one.
        self.describe_time: TimeText = iso_seconds
        # The hub alert as last announced: each change is announced once, by
        # whatever call first sees it (time alone moves silences in and out).
        self._alert_announced = False
        self.targets: dict[str, Target] = {}
        self.states: dict[str, TargetState] = {}
        self.silences: dict[str, Silence] = {}
        self.history = history or History()
        self.heartbeats: dict[str, HeartbeatTracker] = {}
        # Ids of targets whose state is alerting: keeps per-result work O(down).
        self._down: set[str] = set()
        # Snapshot cache: views by id, and which need rebuilding (None: all).
        self._views: dict[str, TargetView] = {}
        self._dirty: set[str] | None = None
        self.revision = 0
        # depends_on, reversed: which targets depend on each target.
        self._children: dict[str, list[str]] = {}
        """Grows with every change of state: tells savers whether to save."""
        self._active_silences: frozenset[str] = frozenset()
        # uptime_24h moves with the hour: views are rebuilt when it changes.
        self._views_hour: int | None = None

    # --- configuration -------------------------------------------------

    def set_targets(self, targets: Iterable[Target], now: datetime) -> list[Event]:
        """Replace the configured targets, keeping state where it still applies.

        Removing, pausing, resuming a target or changing what it checks
        restarts it (see changes.py). Return the alert change this causes.
        """
        self._mark_dirty()
        new = {target.id: target for target in targets}
        resumed: set[str] = set()
        for target_id, old in self.targets.items():
            target = new.get(target_id)
            reason = restart_reason(old, target)
            if reason is None:
                continue
            incident = self._close_incident(target_id, now)
            self._down.discard(target_id)
            self.history.add_event(
                reason,
                now,
                target or old,
                restart_message(reason, (target or old).name, incident is not None),
            )
            if target is None:
                self.states.pop(target_id, None)
                self.history.forget_target(target_id)
            else:
                self.states[target_id] = TargetState(monitored_since=now)
                if reason is HistoryEventType.RESUMED:
                    resumed.add(target_id)
        for target_id in new.keys() - self.states.keys():
            self.states[target_id] = TargetState(monitored_since=now)
        self.targets = new
        self._children = {}
        for target in new.values():
            if target.depends_on is not None:
                self._children.setdefault(target.depends_on, []).append(target.id)
        for target_id in self.heartbeats.keys() - {
            t.id for t in new.values() if t.kind is TargetKind.HEARTBEAT
        }:
            del self.heartbeats[target_id]
        for target in new.values():
            if target.kind is not TargetKind.HEARTBEAT:
                continue
            tracker = self.heartbeats.get(target.id)
            if tracker is None:
                self.heartbeats[target.id] = HeartbeatTracker(awaited_since=now)
            elif target.id in resumed:
                # A resumed heartbeat gets a full period before it counts as missed.
                tracker.awaited_since = now
                tracker.started_at = None
        return self._alert_change(now)

    def settle_alert(self, now: datetime) -> None:
        """Take the alert at ``now`` as announced (after restoring saved state)."""
        self._alert_announced = bool(self._alert_names(now))

    def restore_state(self, target_id: str, state: TargetState) -> None:
        """Put back a saved state (used when loading from storage)."""
        self._mark_dirty()
        self.states[target_id] = state
        if state.alerting:
            self._down.add(target_id)
        else:
            self._down.discard(target_id)

    # --- results ---------------------------------------------------------

    def record(self, target_id: str, result: CheckResult) -> list[Event]:
        """Fold one check result into the target's state."""
        target = self.targets.get(target_id)
        if target is None:
            return []  # removed while its check was running
        state = self.states[target_id]
        raw_before = state.raw_status()
        events: list[Event] = []
        state.last_check = result.checked_at
        state.response_time_ms = result.response_time_ms
        if result.cert_days_remaining is not None:
            state.cert_days_remaining = result.cert_days_remaining
        if result.success:
            state.consecutive_successes += 1
            state.consecutive_failures = 0
            state.last_success = result.checked_at
            state.last_error = None
            if (
                state.alerting
                and state.consecutive_successes >= target.success_threshold
            ):
                state.alerting = False
                self._down.discard(target_id)
                state.acknowledgement = None
                incident = self._close_incident(target_id, result.checked_at)
                events.append(
                    Event(
                        EventType.TARGET_UP,
                        {
                            "target_id": target_id,
                            "name": target.name,
                            "downtime_seconds": (
                                incident.duration_seconds if incident else None
                            ),
                        },
                    )
                )
                self.history.add_event(
                    HistoryEventType.UP,
                    result.checked_at,
                    target,
                    f"{target.name} is up again",
                )
        else:
            state.consecutive_failures += 1
            state.consecutive_successes = 0
            state.last_error = result.error or "Check failed"
            if state.alerting and state.incident_id is not None:
                self.history.update_incident(
                    state.incident_id, state.consecutive_failures, state.last_error
                )
            elif (
                not state.alerting
                and state.consecutive_failures >= target.failure_threshold
            ):
                state.alerting = True
                self._down.add(target_id)
                incident = self.history.open_incident(
                    target,
                    result.checked_at,
                    state.consecutive_failures,
                    state.last_error,
                )
                state.incident_id = incident.id
                events.append(
                    Event(
                        EventType.TARGET_DOWN,
                        {
                            "target_id": target_id,
                            "name": target.name,
                            "failures": state.consecutive_failures,
                            "threshold": target.failure_threshold,
                            "error": state.last_error,
                        },
                    )
                )
                self.history.add_event(
                    HistoryEventType.DOWN,
                    result.checked_at,
                    target,
                    f"{target.name} is down: {state.last_error}",
                )
        self.history.record_check(target_id, result)
        self._mark_dirty(target_id)
        if state.raw_status() is not raw_before:
            # A status change can change dependants' status too.
            for dependant in self._dependants(target_id):
                self._mark_dirty(dependant)
        events.extend(self._alert_change(result.checked_at))
        return events

    # --- heartbeats ---------------------------------------------------------

    def heartbeat(
        self, target_id: str, signal: str, now: datetime, exit_code: int | None = None
    ) -> list[Event]:
        """Take a pushed ping: ``success``, ``start`` or ``fail``."""
        tracker = self.heartbeats.get(target_id)
        if tracker is None:
            raise MonitorError("unknown_target", target=target_id)
        if not self.targets[target_id].enabled:
            return []
        if signal == "start":
            tracker.start(now)
            return []
        if signal == "success":
            return self.record(target_id, tracker.success(now))
        error = (
            f"Job reported exit code {exit_code}"
            if exit_code is not None
            else "Job reported a failure"
        )
        return self.record(target_id, tracker.failure(now, error))

    def check_heartbeats(self, now: datetime) -> list[Event]:
        """Count missed heartbeat deadlines as failures."""
        events: list[Event] = []
        for target_id, tracker in self.heartbeats.items():
            target = self.targets[target_id]
            if not target.enabled:
                continue
            result = tracker.overdue(
                HeartbeatSettings.from_mapping(target.settings),
                now,
                self.describe_time,
            )
            if result is not None:
                events.extend(self.record(target_id, result))
        return events

    def next_heartbeat_deadline(self) -> datetime | None:
        """Return the earliest heartbeat deadline of enabled targets."""
        deadlines = [
            tracker.next_deadline(
                HeartbeatSettings.from_mapping(self.targets[tid].settings)
            )
            for tid, tracker in self.heartbeats.items()
            if self.targets[tid].enabled
        ]
        return min(deadlines, default=None)

    # --- acknowledgement -------------------------------------------------

    def acknowledge(
        self, target_id: str, by: str, now: datetime, note: str | None = None
    ) -> list[Event]:
        """Acknowledge the target's alert until it recovers."""
        target, state = self._get(target_id)
        if not state.alerting:
            raise MonitorError("target_not_down", target=target.name)
        self._mark_dirty(target_id)
        state.acknowledgement = Acknowledgement(by=by, at=now, note=note or None)
        if state.incident_id is not None:
            self.history.acknowledge_incident(state.incident_id, by, now, note)
        self.history.add_event(
            HistoryEventType.ACKNOWLEDGED,
            now,
            target,
            f"{target.name} acknowledged by {by}" + (f": {note}" if note else ""),
        )
        events = [
            Event(
                EventType.ACKNOWLEDGED,
                {"target_id": target_id, "name": target.name, "by": by, "note": note},
            )
        ]
        events.extend(self._alert_change(now))
        return events

    def unacknowledge(self, target_id: str, by: str, now: datetime) -> list[Event]:
        """Withdraw an acknowledgement: the alert counts again."""
        target, state = self._get(target_id)
        if state.acknowledgement is None:
            raise MonitorError("target_not_acknowledged", target=target.name)
        self._mark_dirty(target_id)
        state.acknowledgement = None
        self.history.add_event(
            HistoryEventType.UNACKNOWLEDGED,
            now,
            target,
            f"Acknowledgement of {target.name} withdrawn by {by}",
        )
        return self._alert_change(now)

    # --- silences ----------------------------------------------------------

    def add_silence(self, silence: Silence, now: datetime) -> list[Event]:
        """Mute matching targets from ``starts_at`` until ``ends_at``."""
        # An end in the past is the clearer message, even if it is also
        # before the (default: now) start.
        if silence.ends_at <= now:
            raise MonitorError("silence_in_past")
        if silence.ends_at <= silence.starts_at:
            raise MonitorError("silence_ends_before_start")
        unknown = silence.target_ids - self.targets.keys()
        if unknown:
            raise MonitorError("unknown_target", target=", ".join(sorted(unknown)))
        self._mark_dirty()
        self.silences[silence.id] = silence
        self.history.add_event(
            HistoryEventType.SILENCED,
            now,
            None,
            f"Silence {self.describe_silence(silence)} until "
            f"{self.describe_time(silence.ends_at, now)} by {silence.created_by}"
            + (f": {silence.comment}" if silence.comment else ""),
        )
        events = [
            Event(
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
        ]
        events.extend(self._alert_change(now))
        return events

    def remove_silence(self, silence_id: str, by: str, now: datetime) -> list[Event]:
        """End a silence now."""
        silence = self.silences.get(silence_id)
        if silence is None or silence.state(now) is SilenceState.EXPIRED:
            raise MonitorError("unknown_silence", silence=silence_id)
        self._mark_dirty()
        # Expire rather than delete, so the silence stays visible as history.
        self.silences[silence_id] = Silence(
            id=silence.id,
            starts_at=min(silence.starts_at, now),
            ends_at=now,
            created_by=silence.created_by,
            comment=silence.comment,
            target_ids=silence.target_ids,
            tags=silence.tags,
            created_at=silence.created_at,
        )
        self.history.add_event(
            HistoryEventType.UNSILENCED,
            now,
            None,
            f"Silence {self.describe_silence(silence)} ended by {by}",
        )
        return self._alert_change(now)

    def describe_silence(self, silence: Silence) -> str:
        """Return a short text naming what a silence covers."""
        if silence.matches_all:
            return "of all targets"
        parts = [
            self.targets[tid].name if tid in self.targets else tid
            for tid in sorted(silence.target_ids)
        ]
        parts += [f"#{tag}" for tag in sorted(silence.tags)]
        return "of " + ", ".join(parts)

    def prune_silences(self, now: datetime, keep_expired_seconds: float) -> None:
        """Forget silences that expired more than ``keep_expired_seconds`` ago."""
        for silence_id, silence in list(self.silences.items()):
            if (now - silence.ends_at).total_seconds() > keep_expired_seconds:
                del self.silences[silence_id]

    def tick(self, now: datetime) -> list[Event]:
        """Return events caused by time alone (silences starting or ending)."""
        return self._alert_change(now)

    # --- reading -----------------------------------------------------------

    def status(self, target_id: str) -> Status:
        """Return a target's status, dependencies considered."""
        return self._status(target_id, set())

    def _status(self, target_id: str, seen: set[str]) -> Status:
        target = self.targets[target_id]
        if not target.enabled:
            return Status.PAUSED
        raw = self.states[target_id].raw_status()
        parent = target.depends_on
        if (
            raw in (Status.PENDING, Status.DOWN)
            and parent is not None
            and parent in self.targets
            and parent not in seen
        ):
            seen.add(target_id)
            if self._status(parent, seen) in (Status.DOWN, Status.UNREACHABLE):
                return Status.UNREACHABLE
        return raw

    def is_silenced(self, target: Target, now: datetime) -> bool:
        """Return whether an active silence covers ``target`` at ``now``."""
        return any(
            silence.state(now) is SilenceState.ACTIVE and silence.matches(target)
            for silence in self.silences.values()
        )

    def _alert_names(self, now: datetime) -> dict[str, FailingTarget]:
        """Return the targets in the alert state at ``now``, by id."""
        active = [
            s for s in self.silences.values() if s.state(now) is SilenceState.ACTIVE
        ]
        alerting: dict[str, FailingTarget] = {}
        for target_id in sorted(self._down, key=lambda tid: self.targets[tid].name):
            state = self.states[target_id]
            if state.acknowledgement is not None:
                continue
            target = self.targets[target_id]
            if self.status(target_id) is not Status.DOWN:
                continue
            if any(silence.matches(target) for silence in active):
                continue
            alerting[target_id] = FailingTarget(
                name=target.name,
                failures=state.consecutive_failures,
                threshold=target.failure_threshold,
            )
        return alerting

    def _alert_change(self, now: datetime) -> list[Event]:
        """Return the hub alert's change since it was last announced."""
        after = self._alert_names(now)
        if self._alert_announced == bool(after):
            return []
        self._alert_announced = bool(after)
        if after:
            return [
                Event(
                    EventType.ALERT_STARTED,
                    {
                        "failing_count": len(after),
                        "failing_targets": [f.name for f in after.values()],
                    },
                )
            ]
        return [Event(EventType.ALERT_CLEARED, {"failing_count": 0})]

    def snapshot(self, now: datetime) -> Snapshot:
        """Return an immutable view of everything at ``now``.

        Views of targets that did not change are reused, so a snapshot after
        one result costs little more than copying a dict.
        """
        alerting = self._alert_names(now)
        active_silences = frozenset(
            sid
            for sid, s in self.silences.items()
            if s.state(now) is SilenceState.ACTIVE
        )
        hour = int(now.timestamp()) // 3600
        if active_silences != self._active_silences or hour != self._views_hour:
            self._active_silences = active_silences
            self._views_hour = hour
            self._dirty = None
        dirty = self.targets.keys() if self._dirty is None else self._dirty
        for target_id in dirty:
            target = self.targets.get(target_id)
            if target is None:
                self._views.pop(target_id, None)
                continue
            state = self.states[target_id]
            self._views[target_id] = state.view(
                target,
                status=self.status(target_id),
                silenced=self.is_silenced(target, now),
                alerting=target_id in alerting,
                uptime_24h=self.history.uptime(target_id, now, "24h"),
            )
        if self._dirty is None:
            for target_id in self._views.keys() - self.targets.keys():
                del self._views[target_id]
        self._dirty = set()
        silences = tuple(
            sorted(self.silences.values(), key=lambda s: (s.starts_at, s.id))
        )
        return Snapshot(
            targets=dict(self._views),
            failing=tuple(alerting.values()),
            silences=silences,
            active_silences=len(active_silences),
        )

    def _dependants(self, target_id: str) -> set[str]:
        """Return the targets that depend on ``target_id``, directly or not."""
        found: set[str] = set()
        pending = [target_id]
        while pending:
            for child in self._children.get(pending.pop(), ()):
                if child not in found:
                    found.add(child)
                    pending.append(child)
        found.discard(target_id)
        return found

    def _mark_dirty(self, target_id: str | None = None) -> None:
        """Note that a target's view (or, with None, every view) must be rebuilt."""
        self.revision += 1
        if target_id is None:
            self._dirty = None
        elif self._dirty is not None:
            self._dirty.add(target_id)

    # --- helpers -----------------------------------------------------------

    def _get(self, target_id: str) -> tuple[Target, TargetState]:
        target = self.targets.get(target_id)
        if target is None:
            raise MonitorError("unknown_target", target=target_id)
        return target, self.states[target_id]

    def _close_incident(self, target_id: str, now: datetime) -> Incident | None:
        state = self.states.get(target_id)
        if state is None or state.incident_id is None:
            return None
        incident = self.history.close_incident(state.incident_id, now)
        state.incident_id = None
        return incident
