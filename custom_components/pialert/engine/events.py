"""Events: what a change of state means to the outside world."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class EventType(StrEnum):
    """What a state change means to the outside world."""

    TARGET_DOWN = "target_down"
    TARGET_UP = "target_up"
    ALERT_STARTED = "alert_started"
    ALERT_CLEARED = "alert_cleared"
    ACKNOWLEDGED = "acknowledged"
    SILENCED = "silenced"
    INCIDENT_UPDATED = "incident_updated"
    CLIENT_STOPPED_POLLING = "client_stopped_polling"
    CLIENT_POLLING_AGAIN = "client_polling_again"


@dataclass(frozen=True, slots=True)
class Event:
    """A transition to announce (Home Assistant turns these into bus events)."""

    type: EventType
    data: Mapping[str, object]
