"""Logbook lines for PiAlert's events."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.util import dt as dt_util

from .const import DOMAIN, EVENT_PREFIX, HUB_TITLE
from .engine.incident_updates import change_text as incident_change_text
from .local_time import local_time_text


def _local(data: Mapping[str, Any]) -> str:
    """Return a silence's end in local time (with its date unless same-day)."""
    ends_at = dt_util.parse_datetime(str(data.get("ends_at")))
    if ends_at is None:
        return str(data.get("ends_at"))
    starts_at = dt_util.parse_datetime(str(data.get("starts_at"))) or ends_at
    return local_time_text(ends_at, starts_at)


def _describe(event: Event) -> dict[str, str]:
    data: Mapping[str, Any] = event.data
    kind = str(event.event_type).removeprefix(EVENT_PREFIX)
    name = str(data.get("name") or HUB_TITLE)
    match kind:
        case "target_down":
            message = f"went down: {data.get('error')}"
        case "target_up":
            message = "is up again"
        case "alert_started":
            targets = ", ".join(data.get("failing_targets", []))
            message = f"started alerting ({targets})"
        case "alert_cleared":
            message = "stopped alerting"
        case "acknowledged":
            note = data.get("note")
            message = f"was acknowledged by {data.get('by')}" + (
                f": {note}" if note else ""
            )
        case "incident_updated":
            message = incident_change_text(data)
        case "client_stopped_polling":
            interval = data.get("poll_interval")
            message = f"stopped polling (no request in 3 intervals of {interval} s)"
        case "client_polling_again":
            message = "is polling again"
        case _:
            message = f"silenced until {_local(data)}" + (
                f" by {data.get('created_by')}" if data.get("created_by") else ""
            )
    return {LOGBOOK_ENTRY_NAME: name, LOGBOOK_ENTRY_MESSAGE: message}


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe PiAlert's events in the logbook."""
    for kind in (
        "target_down",
        "target_up",
        "alert_started",
        "alert_cleared",
        "acknowledged",
        "silenced",
        "incident_updated",
        "client_stopped_polling",
        "client_polling_again",
    ):
        async_describe_event(DOMAIN, f"{EVENT_PREFIX}{kind}", _describe)
