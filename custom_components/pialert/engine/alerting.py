"""The alert state machine: check results in, new state and events out.

``Monitor`` is the only place target state changes. Everything else (the
coordinator, entities, the API, the relay) reads the immutable ``Snapshot``
it produces, so the hub's alert state cannot be reported two ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo

from .changes import restart_message, restart_reason
from .client_watch import ClientWatch
from .dependencies import Dependants, status_with_parents
from .errors import RefusedError
from .events import Event
from .heartbeats import next_deadline, overdue_results, pushed_result, sync_trackers
from .history import History
from .hub_alert import HubAlert, alert_event
from .maintenance import MaintenanceWindows
from .models import (
    Acknowledgement,
    CheckResult,
    HistoryEventType,
    Incident,
    Silence,
    SilenceState,
    Status,
    Target,
)
from .probes.heartbeat import HeartbeatTracker, Ping
from .recording import Recorder
from .silences import (
    SilenceRequest,
    UnsilenceRequest,
    describe_silence,
    ended,
    is_live,
    plan_silence,
    refuse_bad_times,
    refuse_unknown_targets,
    silences_to_end,
)
from .state import FailingTarget, Snapshot, TargetState, TargetView, Transition
from .timetext import TimeText, iso_seconds


class Monitor:
    """Targets, their states, acknowledgements and silences."""

    def __init__(self, history: History | None = None) -> None:
        """Start with no targets."""
        # Writes times into user-facing text; Home Assistant sets a local one.
        self.describe_time: TimeText = iso_seconds
        self.time_zone: tzinfo = UTC  # cron heartbeats naming no zone
        # The hub alert as last announced: each change is announced once, by
        # whatever call first sees it (time alone moves silences in and out).
        self._alert_announced = False
        self.targets: dict[str, Target] = {}
        self.states: dict[str, TargetState] = {}
        self.silences: dict[str, Silence] = {}
        self.maintenance = MaintenanceWindows()
        self.history = history or History()
        self.recorder = Recorder(self.history)
        self.heartbeats: dict[str, HeartbeatTracker] = {}
        self.clients = ClientWatch()  # updated by the coordinator's tick
        # Targets down, and those making the hub alert: per-result work O(1).
        self._down: set[str] = set()
        self._alert = HubAlert()
        # Snapshot cache: views by id, and which need rebuilding (None: all).
        self._views: dict[str, TargetView] = {}
        self._dirty: set[str] | None = None
        self._snapshot_revision = -1  # the revision the last snapshot was taken at
        self.revision = 0  # grows with every change of state: savers save then
        self._dependants = Dependants()  # depends_on, reversed
        self._active_silences: frozenset[str] = frozenset()
        self._views_hour: int | None = None  # uptime_24h moves with the hour

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
            shown = target or old
            self.history.add_event(
                reason,
                now,
                shown,
                restart_message(reason, shown.name, incident is not None),
            )
            if target is None:
                self.states.pop(target_id, None)
                self.history.forget_target(target_id)
            else:
                self.states[target_id] = TargetState()
                if reason is HistoryEventType.RESUMED:
                    resumed.add(target_id)
        for target_id in new.keys() - self.states.keys():
            self.states[target_id] = TargetState()
        self.targets = new
        self._dependants = Dependants(new.values())
        sync_trackers(self.heartbeats, new, resumed, now)
        return self._alert_change(now)

    def settle_alert(self, now: datetime) -> None:
        """Take the alert at ``now`` as announced (after restoring saved state)."""
        self._alert_announced = self._alerts(now)

    def restore_state(self, target_id: str, state: TargetState) -> None:
        """Put back a saved state (used when loading from storage)."""
        self._mark_dirty()
        self.states[target_id] = state
        if state.is_down:
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
        match state.fold(result, target):
            case Transition.WENT_DOWN:
                self._down.add(target_id)
                events.append(self.recorder.went_down(target, state, result))
            case Transition.CAME_UP:
                self._down.discard(target_id)
                incident = self._close_incident(target_id, result.checked_at)
                events.append(self.recorder.came_up(target, result, incident))
            case Transition.STILL_DOWN if state.incident_id is not None:
                self.history.update_incident(
                    state.incident_id,
                    state.consecutive_failures,
                    state.last_error or "",
                )
        self.history.record_check(target_id, result)
        self._mark_dirty(target_id)
        if state.raw_status() is not raw_before:
            # A status change can change dependants' status too.
            for dependant in self._dependants.of(target_id):
                self._mark_dirty(dependant)
        events.extend(self._alert_change(result.checked_at))
        return events

    # --- heartbeats ---------------------------------------------------------

    def heartbeat(self, target_id: str, ping: Ping) -> list[Event]:
        """Take a pushed ping: ``success``, ``start``, ``fail`` or ``log``."""
        tracker = self.heartbeats.get(target_id)
        if tracker is None:
            raise RefusedError("unknown_target", target=target_id)
        result = pushed_result(tracker, self.targets[target_id].enabled, ping)
        return [] if result is None else self.record(target_id, result)

    def check_heartbeats(self, now: datetime) -> list[Event]:
        """Count missed heartbeat deadlines as failures."""
        overdue = overdue_results(
            self.heartbeats, self.targets, now, self.describe_time, self.time_zone
        )
        return [event for tid, result in overdue for event in self.record(tid, result)]

    def next_heartbeat_deadline(self) -> datetime | None:
        """Return the earliest heartbeat deadline of enabled targets."""
        return next_deadline(self.heartbeats, self.targets, self.time_zone)

    # --- acknowledgement -------------------------------------------------

    def acknowledge(
        self, target_id: str, by: str, now: datetime, note: str | None = None
    ) -> list[Event]:
        """Acknowledge the target's alert until it recovers."""
        target, state = self._get(target_id)
        if not state.is_down:
            raise RefusedError("target_not_down", target=target.name)
        self._mark_dirty(target_id)
        state.acknowledgement = Acknowledgement(by=by, at=now, note=note or None)
        events = [self.recorder.acknowledged(target, state, by, now, note)]
        events.extend(self._alert_change(now))
        return events

    def acknowledge_down(
        self, target_ids: Sequence[str], by: str, now: datetime, note: str | None
    ) -> list[Event]:
        """Acknowledge those of ``target_ids`` that are down; refuse if none is."""
        down = [tid for tid in target_ids if self._get(tid)[1].is_down]
        if not down:
            raise RefusedError("target_not_down", target=self._names(target_ids))
        events: list[Event] = []
        for target_id in down:
            events.extend(self.acknowledge(target_id, by, now, note))
        return events

    def unacknowledge(self, target_id: str, by: str, now: datetime) -> list[Event]:
        """Withdraw an acknowledgement: the alert counts again."""
        return self.withdraw_acknowledgements([target_id], by, now)

    def withdraw_acknowledgements(
        self, target_ids: Sequence[str], by: str, now: datetime
    ) -> list[Event]:
        """Withdraw the acknowledgements of those of ``target_ids`` that have one."""
        acknowledged = [
            tid for tid in target_ids if self._get(tid)[1].acknowledgement is not None
        ]
        if not acknowledged:
            raise RefusedError(
                "target_not_acknowledged", target=self._names(target_ids)
            )
        for target_id in acknowledged:
            self._mark_dirty(target_id)
            self.states[target_id].acknowledgement = None
            self.recorder.unacknowledged(self.targets[target_id], by, now)
        return self._alert_change(now)

    # --- silences ----------------------------------------------------------

    def silence(
        self, request: SilenceRequest, by: str, now: datetime
    ) -> tuple[Silence, list[Event]]:
        """Apply the silence rules to ``request`` and add the silence."""
        silence = plan_silence(request, self.targets, by, now)
        return silence, self.add_silence(silence, now)

    def add_silence(self, silence: Silence, now: datetime) -> list[Event]:
        """Mute matching targets from ``starts_at`` until ``ends_at``."""
        refuse_bad_times(silence, now)
        refuse_unknown_targets(silence.target_ids, self.targets.keys())
        self._mark_dirty()
        self.silences[silence.id] = silence
        event = self.recorder.silenced(
            silence,
            describe_silence(silence, self.targets),
            self.describe_time(silence.ends_at, now),
            now,
        )
        return [event, *self._alert_change(now)]

    def remove_silence(self, silence_id: str, by: str, now: datetime) -> list[Event]:
        """End a silence now; it stays listed as expired."""
        silence = self.silences.get(silence_id)
        if silence is None or not is_live(silence, now):
            raise RefusedError("unknown_silence", silence=silence_id)
        self._mark_dirty()
        self.silences[silence_id] = ended(silence, now)
        self.recorder.unsilenced(describe_silence(silence, self.targets), by, now)
        return self._alert_change(now)

    def unsilence(
        self, request: UnsilenceRequest, by: str, now: datetime
    ) -> tuple[list[str], list[Event]]:
        """End the live silences ``request`` names; return their ids."""
        chosen = silences_to_end(self.silences.values(), request, now)
        events = [e for s in chosen for e in self.remove_silence(s.id, by, now)]
        return [s.id for s in chosen], events

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
        return status_with_parents(target_id, self.targets, self.states)

    def _active(self, now: datetime) -> list[Silence]:
        return [
            s for s in self.silences.values() if s.state(now) is SilenceState.ACTIVE
        ] + self.maintenance.active(now)  # recurring windows mute as silences

    def is_silenced(self, target: Target, now: datetime) -> bool:
        """Return whether an active silence covers ``target`` at ``now``."""
        return any(silence.matches(target) for silence in self._active(now))

    def _alerts(self, now: datetime) -> bool:
        """Bring the hub alert up to date; return whether the hub alerts."""
        down = (self._down, self.targets, self.states, self.status, self._active(now))
        return bool(self._alert.update(*down) or self.clients.failing)

    def _hub_alert(self, now: datetime) -> dict[str, FailingTarget]:
        self._alerts(now)  # API clients that stopped polling come last
        return self._alert.ordered(self.targets) | self.clients.failing

    def _alert_change(self, now: datetime) -> list[Event]:
        """Return the hub alert's change since it was last announced."""
        if self._alert_announced == self._alerts(now):
            return []
        after = self._hub_alert(now)
        self._alert_announced = bool(after)
        return [alert_event(after)]

    def snapshot(self, now: datetime) -> Snapshot:
        """Return an immutable view of everything at ``now``.

        Views of targets that did not change are reused, so a snapshot after
        one result costs little more than copying a dict.
        """
        hub_alert = self._hub_alert(now)
        active = self._active(now)  # once, not once per view
        active_silences = frozenset(s.id for s in active)
        hour = int(now.timestamp()) // 3600
        if active_silences != self._active_silences or hour != self._views_hour:
            self._active_silences = active_silences
            self._views_hour = hour
            self._dirty = None
            # A reader that misses this snapshot must not take the next one's
            # changes for all there are (Snapshot.changed_from).
            self.revision += 1
        dirty = self.targets.keys() if self._dirty is None else self._dirty
        for target_id in dirty:
            target = self.targets.get(target_id)
            if target is None:
                self._views.pop(target_id, None)
                continue
            self._views[target_id] = self.states[target_id].view(
                target,
                status=self.status(target_id),
                silenced=any(silence.matches(target) for silence in active),
                in_hub_alert=target_id in hub_alert,
                **self.history.view_uptimes(target_id, now),
            )
        if self._dirty is None:
            for target_id in self._views.keys() - self.targets.keys():
                del self._views[target_id]
        # Which views differ from the previous snapshot's (None: any may).
        changed = None if self._dirty is None else frozenset(self._dirty)
        self._dirty = set()
        since, self._snapshot_revision = self._snapshot_revision, self.revision
        silences = tuple(
            sorted(self.silences.values(), key=lambda s: (s.starts_at, s.id))
        )
        return Snapshot(
            targets=dict(self._views),
            failing=tuple(hub_alert.values()),
            silences=silences,
            active_silences=len(active_silences),
            revision=self.revision,
            changed_since=since,
            changed=changed,
        )

    def _mark_dirty(self, target_id: str | None = None) -> None:
        """Note that a target's view (or, with None, every view) must be rebuilt."""
        self.revision += 1
        self._alert.changed(target_id)
        if target_id is None:
            self._dirty = None
        elif self._dirty is not None:
            self._dirty.add(target_id)

    # --- helpers -----------------------------------------------------------

    def _get(self, target_id: str) -> tuple[Target, TargetState]:
        target = self.targets.get(target_id)
        if target is None:
            raise RefusedError("unknown_target", target=target_id)
        return target, self.states[target_id]

    def _names(self, target_ids: Iterable[str]) -> str:
        return ", ".join(self.targets[tid].name for tid in target_ids)

    def _close_incident(self, target_id: str, now: datetime) -> Incident | None:
        state = self.states.get(target_id)
        if state is None or state.incident_id is None:
            return None
        incident = self.history.close_incident(state.incident_id, now)
        state.incident_id = None
        return incident
