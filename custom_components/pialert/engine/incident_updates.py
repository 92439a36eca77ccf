"""Applying a person's update to an incident: record it, in history and as events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
import uuid

from .errors import RefusedError
from .events import Event, EventType
from .history import History
from .incident_workflow import (
    ACTION_TAKEN,
    DISMISSED,
    NOTE,
    ROOT_CAUSE,
    IncidentUpdate,
    Presets,
    apply_update,
    first_view,
)
from .models import HistoryEvent, HistoryEventType, Incident

_SET_WORDS = {ROOT_CAUSE: "root cause", ACTION_TAKEN: "action taken"}


def change_words(what: str, value: str | None, by: str) -> str:
    """Return one change in words, without the target's name (logbook style)."""
    if what == NOTE:
        return f"incident note by {by}: {value}"
    if what == DISMISSED:
        verb = "dismissed" if value == "true" else "reopened"
        return f"incident {verb} by {by}"
    if value is None:
        return f"incident {_SET_WORDS[what]} cleared by {by}"
    return f"incident {_SET_WORDS[what]} set by {by}: {value}"


def change_text(data: Mapping[str, Any]) -> str:
    """Return a ``pialert_incident_updated`` event's data in words."""
    value = data.get("value")
    return change_words(
        str(data.get("change")),
        None if value is None else str(value),
        str(data.get("by")),
    )


def update_incident(
    history: History,
    incident_id: str,
    update: IncidentUpdate,
    presets: Presets,
    by: str,
    at: datetime,
) -> tuple[Incident, list[Event]]:
    """Change an incident's work; return it and one event per change."""
    incident = history.incidents.get(incident_id)
    if incident is None:
        raise RefusedError("unknown_incident", incident_id=incident_id)
    incident.work, changes = apply_update(incident.work, update, presets, by, at)
    events: list[Event] = []
    for what, value in changes:
        history.events.append(
            HistoryEvent(
                id=uuid.uuid4().hex,
                type=HistoryEventType.INCIDENT_UPDATED,
                at=at,
                target_id=incident.target_id,
                target_name=incident.target_name,
                message=f"{incident.target_name}: {change_words(what, value, by)}",
            )
        )
        events.append(
            Event(
                EventType.INCIDENT_UPDATED,
                {
                    "incident_id": incident.id,
                    "target_id": incident.target_id,
                    "name": incident.target_name,
                    "change": what,
                    "value": value,
                    "by": by,
                    "at": at.isoformat(),
                },
            )
        )
    return incident, events


def record_view(
    history: History, incident_id: str, by: str, at: datetime
) -> tuple[Incident, bool]:
    """Return an incident and whether this was its first view (now recorded).

    Refuses an unknown id.
    """
    incident = history.incidents.get(incident_id)
    if incident is None:
        raise RefusedError("unknown_incident", incident_id=incident_id)
    viewed = first_view(incident.work, by, at)
    if viewed is None:
        return incident, False
    incident.work = viewed
    return incident, True


def latest_incident(history: History, target_id: str, target_name: str) -> Incident:
    """Return a target's open incident, else its latest one."""
    found = history.incidents_between(None, None, target_id=target_id)
    if not found:
        raise RefusedError("no_incident", target=target_name)
    open_ones = [i for i in found if i.ended_at is None]
    return open_ones[0] if open_ones else found[0]
