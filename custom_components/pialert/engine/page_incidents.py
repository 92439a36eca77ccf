"""A status page's incident messages: investigating → identified → monitoring → resolved.

Each incident is a thread of updates; the newest update's status is the
incident's. Pages keep the newest ``MAX_INCIDENTS`` incidents, saved with the
page's own data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final
import uuid

from .errors import RefusedError

MAX_INCIDENTS: Final = 50
MAX_UPDATES: Final = 50
MAX_MESSAGE_LENGTH: Final = 2000


class IncidentStatus(StrEnum):
    """Where a published incident stands (the reference's ``incident_status``)."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class IncidentUpdate:
    """One message of an incident."""

    status: IncidentStatus
    message: str
    at: datetime
    by: str

    def dump(self) -> dict[str, str]:
        """Return the saved form."""
        return {
            "status": self.status.value,
            "message": self.message,
            "at": self.at.isoformat(),
            "by": self.by,
        }


@dataclass(frozen=True, slots=True)
class PageIncident:
    """An incident published on a page, with its updates (oldest first)."""

    id: str
    updates: tuple[IncidentUpdate, ...]

    @property
    def status(self) -> IncidentStatus:
        """Return the status of the newest update."""
        return self.updates[-1].status

    @property
    def active(self) -> bool:
        """Return whether the incident is not resolved."""
        return self.status is not IncidentStatus.RESOLVED

    @property
    def started_at(self) -> datetime:
        """Return when the first message was posted."""
        return self.updates[0].at

    def dump(self) -> dict[str, Any]:
        """Return the saved form."""
        return {"id": self.id, "updates": [update.dump() for update in self.updates]}


def _parse_update(raw: Any) -> IncidentUpdate | None:
    if not isinstance(raw, Mapping):
        return None
    try:
        return IncidentUpdate(
            status=IncidentStatus(raw["status"]),
            message=str(raw["message"]),
            at=datetime.fromisoformat(str(raw["at"])),
            by=str(raw.get("by", "")),
        )
    except KeyError, ValueError:
        return None


def parse_incidents(value: Any) -> tuple[PageIncident, ...]:
    """Return the incidents saved with a page; unusable entries are skipped."""
    if not isinstance(value, list):
        return ()
    incidents = []
    for raw in value:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("updates"), list):
            continue
        updates = tuple(
            update
            for update in map(_parse_update, raw["updates"])
            if update is not None
        )
        if updates:
            incidents.append(PageIncident(str(raw.get("id", "")), updates))
    return tuple(incidents)


def post_update(
    incidents: tuple[PageIncident, ...],
    *,
    status: str,
    message: str,
    by: str,
    now: datetime,
    incident_id: str | None = None,
) -> tuple[tuple[PageIncident, ...], PageIncident]:
    """Add a message: to ``incident_id``, else to the open incident, else a new one.

    Returns every incident (newest last) and the one changed.
    """
    try:
        new_status = IncidentStatus(status)
    except ValueError:
        raise RefusedError(
            "invalid_incident_status",
            statuses=", ".join(s.value for s in IncidentStatus),
        ) from None
    text = message.strip()
    if not text or len(text) > MAX_MESSAGE_LENGTH:
        raise RefusedError("invalid_incident_message", maximum=str(MAX_MESSAGE_LENGTH))
    update = IncidentUpdate(new_status, text, now, by)
    if incident_id is not None:
        index = next(
            (i for i, inc in enumerate(incidents) if inc.id == incident_id), None
        )
        if index is None:
            raise RefusedError("unknown_page_incident", incident_id=incident_id)
    else:
        # Without an id, a message continues the open incident (one at a time
        # is the common case); a resolved page starts a new one.
        index = next(
            (i for i in reversed(range(len(incidents))) if incidents[i].active), None
        )
    if index is None:
        if new_status is IncidentStatus.RESOLVED:
            raise RefusedError("no_open_page_incident")
        changed = PageIncident(uuid.uuid4().hex, (update,))
        kept = (*incidents, changed)[-MAX_INCIDENTS:]
        return kept, changed
    current = incidents[index]
    changed = PageIncident(current.id, (*current.updates, update)[-MAX_UPDATES:])
    return (*incidents[:index], changed, *incidents[index + 1 :]), changed
