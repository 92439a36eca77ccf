"""Turning the monitor's state into JSON-safe data and back.

The format is versioned by the Home Assistant store that saves it; this module
only knows the current shape. It tolerates missing keys, and refuses anything
else it does not know or of the wrong type (SavedStateError) before it touches
the monitor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .alert_rules import restored_rule_state, saved_rule_state
from .alerting import Monitor
from .check_persistence import (
    SECTIONS as CHECK_SECTIONS,
    SavedChecks,
    apply_checks,
    dump_checks,
    parse_checks,
)
from .heartbeat_persistence import dump_tracker, parse_tracker
from .history import Bucket, TargetStats
from .incident_workflow import dump_work, parse_work
from .maintenance import MaintenanceWindow
from .maintenance_store import dump_windows, parse_windows
from .models import (
    Acknowledgement,
    HistoryEvent,
    HistoryEventType,
    Incident,
    Silence,
)
from .probes.heartbeat import HeartbeatTracker
from .saved_values import (
    SavedStateError,
    as_bool,
    as_count,
    as_list,
    as_mapping,
    as_moment,
    as_number,
    as_opt_int,
    as_opt_number,
    as_opt_str,
    as_req_moment,
    as_str,
    as_str_set,
    invalid,
    iso_or_none,
)
from .state import TargetState


def dump(monitor: Monitor, *, checks: bool = True) -> dict[str, Any]:
    """Return the monitor's state as JSON-safe data (``checks``: the check log too)."""
    history = monitor.history
    return {
        "states": {
            target_id: {
                "consecutive_failures": state.consecutive_failures,
                "consecutive_successes": state.consecutive_successes,
                "alerting": state.is_down,
                "last_check": iso_or_none(state.last_check),
                "last_success": iso_or_none(state.last_success),
                "last_error": state.last_error,
                "response_time_ms": state.response_time_ms,
                "cert_days_remaining": state.cert_days_remaining,
                "acknowledgement": (
                    {
                        "by": state.acknowledgement.by,
                        "at": iso_or_none(state.acknowledgement.at),
                        "note": state.acknowledgement.note,
                    }
                    if state.acknowledgement
                    else None
                ),
                "incident_id": state.incident_id,
                **saved_rule_state(state.alert_rule, state.failure_times),
            }
            for target_id, state in monitor.states.items()
        },
        "heartbeats": {
            target_id: dump_tracker(tracker)
            for target_id, tracker in monitor.heartbeats.items()
        },
        "silences": [
            {
                "id": s.id,
                "starts_at": iso_or_none(s.starts_at),
                "ends_at": iso_or_none(s.ends_at),
                "created_by": s.created_by,
                "created_at": iso_or_none(s.created_at),
                "comment": s.comment,
                "target_ids": sorted(s.target_ids),
                "tags": sorted(s.tags),
            }
            for s in monitor.silences.values()
        ],
        "incidents": [
            {
                "id": i.id,
                "target_id": i.target_id,
                "target_name": i.target_name,
                "started_at": iso_or_none(i.started_at),
                "ended_at": iso_or_none(i.ended_at),
                "failures": i.failures,
                "first_error": i.first_error,
                "last_error": i.last_error,
                "acknowledged_at": iso_or_none(i.acknowledged_at),
                "acknowledged_by": i.acknowledged_by,
                "acknowledgement_note": i.acknowledgement_note,
                "work": dump_work(i.work),
                "output": i.output,
            }
            for i in history.incidents.values()
        ],
        "events": [
            {
                "id": e.id,
                "type": e.type.value,
                "at": iso_or_none(e.at),
                "target_id": e.target_id,
                "target_name": e.target_name,
                "message": e.message,
            }
            for e in history.events
        ],
        "stats": {
            target_id: {
                "hourly": [b.as_list() for b in stats.hourly],
            }
            for target_id, stats in history.stats.items()
        },
        **(dump_checks(history) if checks else {}),
        "maintenance_windows": dump_windows(monitor.maintenance),
    }


SECTIONS = frozenset(
    {"states", "heartbeats", "silences", "incidents", "events", "stats"}
    | CHECK_SECTIONS
    | {"maintenance_windows"}
)


@dataclass(slots=True)
class SavedState:
    """Saved state, checked and parsed, not yet applied to a monitor."""

    incidents: list[Incident] = field(default_factory=list)
    events: list[HistoryEvent] = field(default_factory=list)
    stats: dict[str, TargetStats] = field(default_factory=dict)
    silences: list[Silence] = field(default_factory=list)
    states: dict[str, TargetState] = field(default_factory=dict)
    heartbeats: dict[str, HeartbeatTracker] = field(default_factory=dict)
    checks: SavedChecks = field(default_factory=SavedChecks)
    maintenance_windows: list[MaintenanceWindow] = field(default_factory=list)


def _incident(item: Any, where: str) -> Incident:
    item = as_mapping(item, where)
    return Incident(
        id=as_str(item.get("id"), f"{where}.id"),
        target_id=as_str(item.get("target_id"), f"{where}.target_id"),
        target_name=as_str(item.get("target_name"), f"{where}.target_name"),
        started_at=as_req_moment(item.get("started_at"), f"{where}.started_at"),
        ended_at=as_moment(item.get("ended_at"), f"{where}.ended_at"),
        failures=as_count(item.get("failures", 0), f"{where}.failures"),
        first_error=as_opt_str(item.get("first_error"), f"{where}.first_error"),
        last_error=as_opt_str(item.get("last_error"), f"{where}.last_error"),
        acknowledged_at=as_moment(
            item.get("acknowledged_at"), f"{where}.acknowledged_at"
        ),
        acknowledged_by=as_opt_str(
            item.get("acknowledged_by"), f"{where}.acknowledged_by"
        ),
        acknowledgement_note=as_opt_str(
            item.get("acknowledgement_note"), f"{where}.acknowledgement_note"
        ),
        work=parse_work(item.get("work"), f"{where}.work"),
        output=as_opt_str(item.get("output"), f"{where}.output"),
    )


def _event(item: Any, where: str) -> HistoryEvent:
    item = as_mapping(item, where)
    event_type = as_str(item.get("type"), f"{where}.type")
    if event_type not in set(HistoryEventType):
        raise invalid(f"{where}.type", "a history event type", event_type)
    return HistoryEvent(
        id=as_str(item.get("id"), f"{where}.id"),
        type=HistoryEventType(event_type),
        at=as_req_moment(item.get("at"), f"{where}.at"),
        target_id=as_opt_str(item.get("target_id"), f"{where}.target_id"),
        target_name=as_opt_str(item.get("target_name"), f"{where}.target_name"),
        message=as_str(item.get("message", ""), f"{where}.message"),
    )


def _bucket(item: Any, where: str) -> Bucket:
    values = as_list(item, where)
    if len(values) != 5:
        raise invalid(where, "5 numbers", values)
    start, total, ok, rt_sum, rt_count = values
    return Bucket(
        as_count(start, f"{where}[0]"),
        as_count(total, f"{where}[1]"),
        as_count(ok, f"{where}[2]"),
        as_number(rt_sum, f"{where}[3]"),
        as_count(rt_count, f"{where}[4]"),
    )


def _buckets(item: Any, where: str) -> list[Bucket]:
    return [_bucket(b, f"{where}[{i}]") for i, b in enumerate(as_list(item, where))]


def _stats(item: Any, where: str) -> tuple[TargetStats, list[Bucket]]:
    """Return the hourly counts, and the daily buckets older files have."""
    item = as_mapping(item, where)
    hourly = _buckets(item.get("hourly", []), f"{where}.hourly")
    return TargetStats.from_buckets(hourly), _buckets(
        item.get("daily", []), f"{where}.daily"
    )


def _silence(item: Any, where: str) -> Silence:
    item = as_mapping(item, where)
    return Silence(
        id=as_str(item.get("id"), f"{where}.id"),
        starts_at=as_req_moment(item.get("starts_at"), f"{where}.starts_at"),
        ends_at=as_req_moment(item.get("ends_at"), f"{where}.ends_at"),
        created_by=as_str(item.get("created_by", ""), f"{where}.created_by"),
        created_at=as_moment(item.get("created_at"), f"{where}.created_at"),
        comment=as_str(item.get("comment", ""), f"{where}.comment"),
        target_ids=as_str_set(item.get("target_ids", []), f"{where}.target_ids"),
        tags=as_str_set(item.get("tags", []), f"{where}.tags"),
    )


def _acknowledgement(item: Any, where: str) -> Acknowledgement | None:
    if item is None:
        return None
    item = as_mapping(item, where)
    return Acknowledgement(
        by=as_str(item.get("by"), f"{where}.by"),
        at=as_req_moment(item.get("at"), f"{where}.at"),
        note=as_opt_str(item.get("note"), f"{where}.note"),
    )


def _target_state(item: Any, where: str) -> TargetState:
    item = as_mapping(item, where)
    return TargetState(
        consecutive_failures=as_count(
            item.get("consecutive_failures", 0), f"{where}.consecutive_failures"
        ),
        consecutive_successes=as_count(
            item.get("consecutive_successes", 0), f"{where}.consecutive_successes"
        ),
        is_down=as_bool(item.get("alerting", False), f"{where}.alerting"),
        last_check=as_moment(item.get("last_check"), f"{where}.last_check"),
        last_success=as_moment(item.get("last_success"), f"{where}.last_success"),
        last_error=as_opt_str(item.get("last_error"), f"{where}.last_error"),
        response_time_ms=as_opt_number(
            item.get("response_time_ms"), f"{where}.response_time_ms"
        ),
        cert_days_remaining=as_opt_int(
            item.get("cert_days_remaining"), f"{where}.cert_days_remaining"
        ),
        acknowledgement=_acknowledgement(
            item.get("acknowledgement"), f"{where}.acknowledgement"
        ),
        incident_id=as_opt_str(item.get("incident_id"), f"{where}.incident_id"),
        **restored_rule_state(item, where),
    )


def parse(data: Any) -> SavedState:
    """Check saved data and build what it describes; raise SavedStateError.

    Every value is type-checked here, so a wrong type in the file is refused
    at load rather than failing later, where it is used.
    """
    data = as_mapping(data, "state")
    if unknown := set(data) - SECTIONS:
        raise SavedStateError(f"state: unknown keys {sorted(unknown)}")

    def items(section: str) -> list[tuple[str, Any]]:
        return [
            (f"{section}[{i}]", item)
            for i, item in enumerate(as_list(data.get(section, []), section))
        ]

    def by_target(section: str) -> list[tuple[str, str, Any]]:
        return [
            (f"{section}.{target_id}", target_id, item)
            for target_id, item in as_mapping(data.get(section, {}), section).items()
        ]

    stats = {tid: _stats(item, where) for where, tid, item in by_target("stats")}
    return SavedState(
        incidents=[_incident(item, where) for where, item in items("incidents")],
        events=[_event(item, where) for where, item in items("events")],
        stats={tid: hourly for tid, (hourly, _) in stats.items()},
        silences=[_silence(item, where) for where, item in items("silences")],
        states={
            tid: _target_state(item, where) for where, tid, item in by_target("states")
        },
        heartbeats={
            tid: parse_tracker(item, where)
            for where, tid, item in by_target("heartbeats")
        },
        checks=parse_checks(data, {tid: daily for tid, (_, daily) in stats.items()}),
        maintenance_windows=parse_windows(data.get("maintenance_windows", [])),
    )


def apply(monitor: Monitor, saved: SavedState) -> None:
    """Load parsed state into a monitor whose targets are already set.

    State of targets that no longer exist is ignored.
    """
    history = monitor.history
    for incident in saved.incidents:
        history.incidents[incident.id] = incident
    history.events.extend(saved.events)
    for target_id, stats in saved.stats.items():
        if target_id in monitor.targets:
            history.stats[target_id] = stats
    apply_checks(history, saved.checks, monitor.targets)
    for silence in saved.silences:
        monitor.silences[silence.id] = silence
    for window in saved.maintenance_windows:
        monitor.maintenance.add(window)
    for target_id, state in saved.states.items():
        if target_id in monitor.targets:
            monitor.restore_state(target_id, state)
    for target_id, tracker in saved.heartbeats.items():
        if target_id in monitor.heartbeats:
            monitor.heartbeats[target_id] = tracker


def restore(monitor: Monitor, data: Any) -> None:
    """Check and load saved state; on an error the monitor is left untouched."""
    apply(monitor, parse(data))
