"""``/alerts/history`` and ``/incidents``: what happened, from memory."""

from __future__ import annotations

import csv
from datetime import datetime
import io
from typing import TYPE_CHECKING, Final

from aiohttp import web

from ..engine.models import HistoryEvent, HistoryEventType, Incident
from .base import API_PREFIX, PiAlertView, api_endpoint, json_response
from .dates import parse_moment
from .incident_work import csv_value, presets_json, stamp_at, stamp_by, stamp_text
from .keys import ApiKey, Scope
from .request import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    bad_request,
    check_query,
    choice_param,
    int_param,
    iso,
)
from .shapes import HistoryEventBody, HistoryPageBody, IncidentBody, IncidentListBody

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..coordinator import PiAlertCoordinator

HISTORY_PARAMS: Final = frozenset({"limit", "offset", "target_id", "type"})
INCIDENT_PARAMS: Final = frozenset({"start_date", "end_date", "target_id", "format"})
FORMATS: Final = ("json", "csv")
# The CSV columns: the JSON keys, in order.
INCIDENT_FIELDS: Final = tuple(IncidentBody.__annotations__)
CSV_CONTENT_TYPE: Final = "text/csv; charset=utf-8"
CSV_FILENAME: Final = "pialert-incidents.csv"
_FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")


def event_json(event: HistoryEvent) -> HistoryEventBody:
    """Return a history event as the API shows it."""
    return {
        "id": event.id,
        "type": event.type.value,
        "target_id": event.target_id,
        "target_name": event.target_name,
        "message": event.message,
        "at": event.at.isoformat(),
    }


def incident_json(incident: Incident) -> IncidentBody:
    """Return an incident as the API shows it."""
    work = incident.work
    return {
        "id": incident.id,
        "target_id": incident.target_id,
        "target_name": incident.target_name,
        "started_at": incident.started_at.isoformat(),
        "ended_at": iso(incident.ended_at),
        "duration_seconds": incident.duration_seconds,
        "failures": incident.failures,
        "first_error": incident.first_error,
        "last_error": incident.last_error,
        "acknowledged_at": iso(incident.acknowledged_at),
        "acknowledged_by": incident.acknowledged_by,
        "acknowledgement_note": incident.acknowledgement_note,
        "root_cause": stamp_text(work.root_cause),
        "root_cause_set_at": stamp_at(work.root_cause),
        "root_cause_set_by": stamp_by(work.root_cause),
        "action_taken": stamp_text(work.action_taken),
        "acted_at": stamp_at(work.action_taken),
        "acted_by": stamp_by(work.action_taken),
        "notes": [
            {"text": n.text, "at": n.at.isoformat(), "by": n.by} for n in work.notes
        ],
        "dismissed_at": stamp_at(work.dismissed),
        "dismissed_by": stamp_by(work.dismissed),
        "viewed_at": stamp_at(work.viewed),
        "viewed_by": stamp_by(work.viewed),
        "output": incident.output,
    }


def csv_cell(value: object) -> str:
    """Return a cell's text, neutralised against formula injection.

    Spreadsheets run a cell starting with one of OWASP's trigger characters
    as a formula; a leading single quote makes it plain text.
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_TRIGGERS) else text


def incidents_csv(incidents: list[IncidentBody]) -> str:
    """Return incidents as CSV (RFC 4180 quoting, a header row first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(INCIDENT_FIELDS)
    for incident in incidents:
        row: Mapping[str, object] = incident
        writer.writerow(csv_cell(csv_value(row[name])) for name in INCIDENT_FIELDS)
    return out.getvalue()


def parse_bound(query: Mapping[str, str], name: str, *, end: bool) -> datetime | None:
    """Return a date bound as UTC.

    A date alone means the start of that day (or, for an end, its last
    moment) in Home Assistant's time zone, as does a time without an offset.
    """
    raw = query.get(name)
    if raw is None:
        return None
    return parse_moment(raw, name, source="query parameter", end_of_day=end)


def parse_date_range(
    query: Mapping[str, str],
) -> tuple[datetime | None, datetime | None]:
    """Return the ``start_date`` and ``end_date`` bounds; 400 if they cross."""
    start = parse_bound(query, "start_date", end=False)
    end = parse_bound(query, "end_date", end=True)
    if start is not None and end is not None and start > end:
        raise bad_request("start_date must not be after end_date")
    return start, end


class AlertHistoryView(PiAlertView):
    """``/alerts/history``: alert events, newest first, paged."""

    url = f"{API_PREFIX}/alerts/history"
    name = "api:pialert:alerts:history"

    @api_endpoint(Scope.READ)
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Return a page of alert history."""
        query = check_query(request, HISTORY_PARAMS)
        limit = int_param(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = int_param(query, "offset", 0, 0)
        types: list[HistoryEventType] | None = None
        if (raw := query.get("type")) is not None:
            types = []
            choices = [t.value for t in HistoryEventType]
            for item in raw.split(","):
                choice_param({"type": item.strip()}, "type", choices)
                types.append(HistoryEventType(item.strip()))
        events, total = coordinator.monitor.history.page_events(
            limit, offset, target_id=query.get("target_id"), types=types
        )
        page: HistoryPageBody = {
            "history": [event_json(e) for e in events],
            "total": total,
            "limit": limit,
            "offset": offset,
        }
        return json_response(page)


class IncidentsView(PiAlertView):
    """``/incidents``: down periods overlapping a date range, as JSON or CSV."""

    url = f"{API_PREFIX}/incidents"
    name = "api:pialert:incidents"

    @api_endpoint(Scope.READ)
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Return incidents, newest first."""
        query = check_query(request, INCIDENT_PARAMS)
        start, end = parse_date_range(query)
        output = choice_param(query, "format", FORMATS) or "json"
        incidents = [
            incident_json(i)
            for i in coordinator.monitor.history.incidents_between(
                start, end, target_id=query.get("target_id")
            )
        ]
        if output == "csv":
            return web.Response(
                body=incidents_csv(incidents).encode(),
                headers={
                    "Content-Type": CSV_CONTENT_TYPE,
                    "Content-Disposition": f'attachment; filename="{CSV_FILENAME}"',
                },
            )
        listed: IncidentListBody = {
            "incidents": incidents,
            "presets": presets_json(coordinator.config_entry.options),
        }
        return json_response(listed)
