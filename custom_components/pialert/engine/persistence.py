"""Turning the monitor's state into JSON-safe data and back.

The format is versioned by the Home Assistant store that saves it; this module
only knows the current shape and tolerates missing keys.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def _dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _req_dt(value: Any) -> datetime:
    parsed = _dt(value)
    if parsed is None:
        raise ValueError("missing timestamp")
    return parsed


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


def restore(monitor: Monitor, data: Mapping[str, Any]) -> None:
    """Load saved state into a monitor whose targets are already set.

    State of targets that no longer exist is ignored.
    """
    history = monitor.history
    for item in data.get("incidents", []):
        incident = Incident(
            id=item["id"],
            target_id=item["target_id"],
            target_name=item["target_name"],
            started_at=_req_dt(item["started_at"]),
            ended_at=_dt(item.get("ended_at")),
            failures=int(item.get("failures", 0)),
            first_error=item.get("first_error"),
            last_error=item.get("last_error"),
            acknowledged_at=_dt(item.get("acknowledged_at")),
            acknowledged_by=item.get("acknowledged_by"),
            acknowledgement_note=item.get("acknowledgement_note"),
        )
        history.incidents[incident.id] = incident
    for item in data.get("events", []):
        history.events.append(
            HistoryEvent(
                id=item["id"],
                type=HistoryEventType(item["type"]),
                at=_req_dt(item["at"]),
                target_id=item.get("target_id"),
                target_name=item.get("target_name"),
                message=item.get("message", ""),
            )
        )
    for target_id, item in data.get("stats", {}).items():
        if target_id in monitor.targets:
            stats = history.stats[target_id] = TargetStats()
            stats.hourly.extend(Bucket.from_list(b) for b in item.get("hourly", []))
            stats.daily.extend(Bucket.from_list(b) for b in item.get("daily", []))
    for item in data.get("silences", []):
        silence = Silence(
            id=item["id"],
            starts_at=_req_dt(item["starts_at"]),
            ends_at=_req_dt(item["ends_at"]),
            created_by=item.get("created_by", ""),
            created_at=_dt(item.get("created_at")),
            comment=item.get("comment", ""),
            target_ids=frozenset(item.get("target_ids", [])),
            tags=frozenset(item.get("tags", [])),
        )
        monitor.silences[silence.id] = silence
    for target_id, item in data.get("states", {}).items():
        if target_id not in monitor.targets:
            continue
        ack = item.get("acknowledgement")
        state = TargetState(
            consecutive_failures=int(item.get("consecutive_failures", 0)),
            consecutive_successes=int(item.get("consecutive_successes", 0)),
            alerting=bool(item.get("alerting", False)),
            last_check=_dt(item.get("last_check")),
            last_success=_dt(item.get("last_success")),
            last_error=item.get("last_error"),
            response_time_ms=item.get("response_time_ms"),
            cert_days_remaining=item.get("cert_days_remaining"),
            acknowledgement=(
                Acknowledgement(
                    by=ack["by"], at=_req_dt(ack["at"]), note=ack.get("note")
                )
                if ack
                else None
            ),
            incident_id=item.get("incident_id"),
            monitored_since=_dt(item.get("monitored_since")),
        )
        monitor.restore_state(target_id, state)
    for target_id, item in data.get("heartbeats", {}).items():
        if target_id in monitor.heartbeats:
            monitor.heartbeats[target_id] = HeartbeatTracker(
                awaited_since=_req_dt(item["awaited_since"]),
                last_ping=_dt(item.get("last_ping")),
                started_at=_dt(item.get("started_at")),
            )
