"""What a status page publishes, built from a snapshot: its JSON body.

Only what the page chose is put in: names and states always; uptime and
response time when chosen; addresses and error text only when chosen. The
HTML page is rendered from this same body, so both show the same things.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from .daily_bars import BAR_DAYS, DayCount, daily_counts, uptime_over
from .history import History
from .models import Status
from .page_incidents import PageIncident
from .state import Snapshot, TargetView
from .status_pages import StatusPage, public_address

UPTIME_DAYS = {"7d": 7, "30d": 30, "90d": 90}
# Incidents resolved longer ago than this leave the page's history.
HISTORY_DAYS = 14


class PublicState(StrEnum):
    """A target's or page's state as the public sees it."""

    OPERATIONAL = "operational"
    DEGRADED = "degraded"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"
    OUTAGE = "outage"
    MAINTENANCE = "maintenance"
    UNKNOWN = "unknown"


_TARGET_STATE = {
    Status.UP: PublicState.OPERATIONAL,
    Status.PENDING: PublicState.DEGRADED,
    Status.DOWN: PublicState.OUTAGE,
    Status.UNREACHABLE: PublicState.OUTAGE,
    Status.PAUSED: PublicState.MAINTENANCE,
    Status.UNKNOWN: PublicState.UNKNOWN,
}


def target_state(status: Status) -> PublicState:
    """Return the public state of a target status."""
    return _TARGET_STATE[status]


def overall_state(states: Iterable[PublicState]) -> PublicState:
    """Return a group's or page's state from its targets' states."""
    seen = list(states)
    watched = [
        s for s in seen if s not in (PublicState.MAINTENANCE, PublicState.UNKNOWN)
    ]
    outages = sum(1 for s in watched if s is PublicState.OUTAGE)
    if outages:
        return (
            PublicState.MAJOR_OUTAGE
            if outages == len(watched)
            else PublicState.PARTIAL_OUTAGE
        )
    if PublicState.DEGRADED in watched:
        return PublicState.DEGRADED
    if watched:
        return PublicState.OPERATIONAL
    if seen and all(s is PublicState.MAINTENANCE for s in seen):
        return PublicState.MAINTENANCE
    return PublicState.UNKNOWN


def day_state(count: DayCount) -> str:
    """Return a day's bar colour: no data, operational, degraded or outage."""
    uptime = count.uptime
    if uptime is None:
        return "no_data"
    if uptime >= 99.9:
        return PublicState.OPERATIONAL.value
    if uptime >= 95.0:
        return PublicState.DEGRADED.value
    return PublicState.OUTAGE.value


def _target_body(
    page: StatusPage, view: TargetView, history: History, now: datetime
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": view.target.id,
        "name": view.target.name,
        "state": target_state(view.status).value,
    }
    if page.show_uptime:
        counts = daily_counts(history, view.target.id, now, BAR_DAYS)
        body["uptime"] = {
            "24h": view.uptime_24h,
            **{name: uptime_over(counts, days) for name, days in UPTIME_DAYS.items()},
        }
        body["days"] = [
            {"date": c.day.isoformat(), "uptime": c.uptime, "state": day_state(c)}
            for c in counts
        ]
    if page.show_response_time:
        rt = view.response_time_ms
        body["response_time_ms"] = round(rt) if rt is not None else None
    if page.show_details:
        body["address"] = public_address(view.target)
        body["error"] = view.last_error
    return body


def incident_body(incident: PageIncident) -> dict[str, Any]:
    """Return a published incident with its updates, newest first."""
    return {
        "id": incident.id,
        "status": incident.status.value,
        "started_at": incident.started_at.isoformat(),
        "updated_at": incident.updates[-1].at.isoformat(),
        "updates": [
            {"status": u.status.value, "message": u.message, "at": u.at.isoformat()}
            for u in reversed(incident.updates)
        ],
    }


def page_body(
    page: StatusPage, snapshot: Snapshot, history: History, now: datetime
) -> dict[str, Any]:
    """Return the page's public JSON body."""
    targets = [view.target for view in snapshot.targets.values()]
    groups = []
    states: list[PublicState] = []
    for group, members in page.targets(targets):
        bodies = [
            _target_body(page, snapshot.targets[target.id], history, now)
            for target in members
        ]
        group_states = [PublicState(body["state"]) for body in bodies]
        states += group_states
        groups.append(
            {
                "name": group.name,
                "state": overall_state(group_states).value,
                "targets": bodies,
            }
        )
    cutoff = now.timestamp() - HISTORY_DAYS * 86400
    incidents = sorted(page.incidents, key=lambda i: i.updates[-1].at, reverse=True)
    return {
        "id": page.id,
        "title": page.title,
        "slug": page.slug,
        "state": overall_state(states).value,
        "updated_at": now.isoformat(timespec="seconds"),
        "groups": groups,
        "active_incidents": [incident_body(i) for i in incidents if i.active],
        "incident_history": [
            incident_body(i)
            for i in incidents
            if not i.active and i.updates[-1].at.timestamp() >= cutoff
        ],
    }
