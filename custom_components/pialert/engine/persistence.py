"""Turning the monitor's state into JSON-safe data and back.

The format is versioned by the Home Assistant store that saves it; this module
only knows the current shape. It tolerates missing keys, and refuses anything
else it does not know or of the wrong type (SavedStateError) before it touches
the monitor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .alerting import Monitor, TargetState
from .history import Bucket, TargetStats
from .models import (
    Acknowledgement,
    HistoryEvent,
    HistoryEventType,
    Incident,
    Silence,
)
from .probes.heartbeat import HeartbeatTracker


def _ts(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class SavedStateError(ValueError):
    """Saved state of the wrong shape or type; the message says where."""


def _fail(where: str, expected: str, value: Any) -> SavedStateError:
    return SavedStateError(f"{where}: expected {expected}, got {value!r:.60}")


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(where, "an object", value)
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(where, "a list", value)
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _fail(where, "a string", value)
    return value


def _opt_str(value: Any, where: str) -> str | None:
    return None if value is None else _str(value, where)


def _count(value: Any, where: str) -> int:
    # bool is an int to Python, not to the JSON that was saved.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _fail(where, "a whole number of 0 or more", value)


def _opt_count(value: Any, where: str) -> int | None:
    return None if value is None else _count(value, where)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(where, "a number", value)
    return float(value)


def _opt_number(value: Any, where: str) -> float | None:
    return None if value is None else _number(value, where)


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(where, "true or false", value)
    return value


def _dt(value: Any, where: str = "timestamp") -> datetime | None:
    """Parse an optional timestamp; it must carry its time zone."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _fail(where, "a timestamp", value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(where, "a timestamp", value) from None
    if parsed.tzinfo is None:
        # Compared with aware times later, a naive one would fail there.
        raise _fail(where, "a timestamp with a time zone", value)
    return parsed


def _req_dt(value: Any, where: str = "timestamp") -> datetime:
    parsed = _dt(value, where)
    if parsed is None:
        raise SavedStateError(f"{where}: missing timestamp")
    return parsed


def _str_set(value: Any, where: str) -> frozenset[str]:
    return frozenset(
        _str(item, f"{where}[{i}]") for i, item in enumerate(_list(value, where))
    )


def dump(monitor: Monitor) -> dict[str, Any]:
    """Return the monitor's state as JSON-safe data."""
    history = monitor.history
    return {
        "states": {
            target_id: {
                "consecutive_failures": state.consecutive_failures,
                "consecutive_successes": state.consecutive_successes,
                "alerting": state.alerting,
                "last_check": _ts(state.last_check),
                "last_success": _ts(state.last_success),
                "last_error": state.last_error,
                "response_time_ms": state.response_time_ms,
                "cert_days_remaining": state.cert_days_remaining,
                "acknowledgement": (
                    {
                        "by": state.acknowledgement.by,
                        "at": _ts(state.acknowledgement.at),
                        "note": state.acknowledgement.note,
                    }
                    if state.acknowledgement
                    else None
                ),
                "incident_id": state.incident_id,
                "monitored_since": _ts(state.monitored_since),
            }
            for target_id, state in monitor.states.items()
        },
        "heartbeats": {
            target_id: {
                "awaited_since": _ts(tracker.awaited_since),
                "last_ping": _ts(tracker.last_ping),
                "started_at": _ts(tracker.started_at),
            }
            for target_id, tracker in monitor.heartbeats.items()
        },
        "silences": [
            {
                "id": s.id,
                "starts_at": _ts(s.starts_at),
                "ends_at": _ts(s.ends_at),
                "created_by": s.created_by,
                "created_at": _ts(s.created_at),
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
                "started_at": _ts(i.started_at),
                "ended_at": _ts(i.ended_at),
                "failures": i.failures,
                "first_error": i.first_error,
                "last_error": i.last_error,
                "acknowledged_at": _ts(i.acknowledged_at),
                "acknowledged_by": i.acknowledged_by,
                "acknowledgement_note": i.acknowledgement_note,
            }
            for i in history.incidents.values()
        ],
        "events": [
            {
                "id": e.id,
                "type": e.type.value,
                "at": _ts(e.at),
                "target_id": e.target_id,
                "target_name": e.target_name,
                "message": e.message,
            }
            for e in history.events
        ],
        "stats": {
            target_id: {
                "hourly": [b.as_list() for b in stats.hourly],
                "daily": [b.as_list() for b in stats.daily],
            }
            for target_id, stats in history.stats.items()
        },
    }


SECTIONS = frozenset(
    {"states", "heartbeats", "silences", "incidents", "events", "stats"}
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


def _incident(item: Any, where: str) -> Incident:
    item = _mapping(item, where)
    return Incident(
        id=_str(item.get("id"), f"{where}.id"),
        target_id=_str(item.get("target_id"), f"{where}.target_id"),
        target_name=_str(item.get("target_name"), f"{where}.target_name"),
        started_at=_req_dt(item.get("started_at"), f"{where}.started_at"),
        ended_at=_dt(item.get("ended_at"), f"{where}.ended_at"),
        failures=_count(item.get("failures", 0), f"{where}.failures"),
        first_error=_opt_str(item.get("first_error"), f"{where}.first_error"),
        last_error=_opt_str(item.get("last_error"), f"{where}.last_error"),
        acknowledged_at=_dt(item.get("acknowledged_at"), f"{where}.acknowledged_at"),
        acknowledged_by=_opt_str(
            item.get("acknowledged_by"), f"{where}.acknowledged_by"
        ),
        acknowledgement_note=_opt_str(
            item.get("acknowledgement_note"), f"{where}.acknowledgement_note"
        ),
    )


def _event(item: Any, where: str) -> HistoryEvent:
    item = _mapping(item, where)
    event_type = _str(item.get("type"), f"{where}.type")
    if event_type not in set(HistoryEventType):
        raise _fail(f"{where}.type", "a history event type", event_type)
    return HistoryEvent(
        id=_str(item.get("id"), f"{where}.id"),
        type=HistoryEventType(event_type),
        at=_req_dt(item.get("at"), f"{where}.at"),
        target_id=_opt_str(item.get("target_id"), f"{where}.target_id"),
        target_name=_opt_str(item.get("target_name"), f"{where}.target_name"),
        message=_str(item.get("message", ""), f"{where}.message"),
    )


def _bucket(item: Any, where: str) -> Bucket:
    values = _list(item, where)
    if len(values) != 5:
        raise _fail(where, "5 numbers", values)
    start, total, ok, rt_sum, rt_count = values
    return Bucket(
        _count(start, f"{where}[0]"),
        _count(total, f"{where}[1]"),
        _count(ok, f"{where}[2]"),
        _number(rt_sum, f"{where}[3]"),
        _count(rt_count, f"{where}[4]"),
    )


def _stats(item: Any, where: str) -> TargetStats:
    item = _mapping(item, where)
    stats = TargetStats()
    for name, buckets in (("hourly", stats.hourly), ("daily", stats.daily)):
        path = f"{where}.{name}"
        buckets.extend(
            _bucket(b, f"{path}[{i}]")
            for i, b in enumerate(_list(item.get(name, []), path))
        )
    return stats


def _silence(item: Any, where: str) -> Silence:
    item = _mapping(item, where)
    return Silence(
        id=_str(item.get("id"), f"{where}.id"),
        starts_at=_req_dt(item.get("starts_at"), f"{where}.starts_at"),
        ends_at=_req_dt(item.get("ends_at"), f"{where}.ends_at"),
        created_by=_str(item.get("created_by", ""), f"{where}.created_by"),
        created_at=_dt(item.get("created_at"), f"{where}.created_at"),
        comment=_str(item.get("comment", ""), f"{where}.comment"),
        target_ids=_str_set(item.get("target_ids", []), f"{where}.target_ids"),
        tags=_str_set(item.get("tags", []), f"{where}.tags"),
    )


def _acknowledgement(item: Any, where: str) -> Acknowledgement | None:
    if item is None:
        return None
    item = _mapping(item, where)
    return Acknowledgement(
        by=_str(item.get("by"), f"{where}.by"),
        at=_req_dt(item.get("at"), f"{where}.at"),
        note=_opt_str(item.get("note"), f"{where}.note"),
    )


def _target_state(item: Any, where: str) -> TargetState:
    item = _mapping(item, where)
    return TargetState(
        consecutive_failures=_count(
            item.get("consecutive_failures", 0), f"{where}.consecutive_failures"
        ),
        consecutive_successes=_count(
            item.get("consecutive_successes", 0), f"{where}.consecutive_successes"
        ),
        alerting=_bool(item.get("alerting", False), f"{where}.alerting"),
        last_check=_dt(item.get("last_check"), f"{where}.last_check"),
        last_success=_dt(item.get("last_success"), f"{where}.last_success"),
        last_error=_opt_str(item.get("last_error"), f"{where}.last_error"),
        response_time_ms=_opt_number(
            item.get("response_time_ms"), f"{where}.response_time_ms"
        ),
        cert_days_remaining=_opt_int(
            item.get("cert_days_remaining"), f"{where}.cert_days_remaining"
        ),
        acknowledgement=_acknowledgement(
            item.get("acknowledgement"), f"{where}.acknowledgement"
        ),
        incident_id=_opt_str(item.get("incident_id"), f"{where}.incident_id"),
        monitored_since=_dt(item.get("monitored_since"), f"{where}.monitored_since"),
    )


def _opt_int(value: Any, where: str) -> int | None:
    # A certificate may have expired: its remaining days go below 0.
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _fail(where, "a whole number", value)


def _heartbeat(item: Any, where: str) -> HeartbeatTracker:
    item = _mapping(item, where)
    return HeartbeatTracker(
        awaited_since=_req_dt(item.get("awaited_since"), f"{where}.awaited_since"),
        last_ping=_dt(item.get("last_ping"), f"{where}.last_ping"),
        started_at=_dt(item.get("started_at"), f"{where}.started_at"),
    )


def parse(data: Any) -> SavedState:
    """Check saved data and build what it describes; raise SavedStateError.

    Every value is type-checked here, so a wrong type in the file is refused
    at load rather than failing later, where it is used.
    """
    data = _mapping(data, "state")
    if unknown := set(data) - SECTIONS:
        raise SavedStateError(f"state: unknown keys {sorted(unknown)}")

    def items(section: str) -> list[tuple[str, Any]]:
        return [
            (f"{section}[{i}]", item)
            for i, item in enumerate(_list(data.get(section, []), section))
        ]

    def by_target(section: str) -> list[tuple[str, str, Any]]:
        return [
            (f"{section}.{target_id}", target_id, item)
            for target_id, item in _mapping(data.get(section, {}), section).items()
        ]

    return SavedState(
        incidents=[_incident(item, where) for where, item in items("incidents")],
        events=[_event(item, where) for where, item in items("events")],
        stats={tid: _stats(item, where) for where, tid, item in by_target("stats")},
        silences=[_silence(item, where) for where, item in items("silences")],
        states={
            tid: _target_state(item, where) for where, tid, item in by_target("states")
        },
        heartbeats={
            tid: _heartbeat(item, where) for where, tid, item in by_target("heartbeats")
        },
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
    for silence in saved.silences:
        monitor.silences[silence.id] = silence
    for target_id, state in saved.states.items():
        if target_id in monitor.targets:
            monitor.restore_state(target_id, state)
    for target_id, tracker in saved.heartbeats.items():
        if target_id in monitor.heartbeats:
            monitor.heartbeats[target_id] = tracker


def restore(monitor: Monitor, data: Any) -> None:
    """Check and load saved state; on an error the monitor is left untouched."""
    apply(monitor, parse(data))
