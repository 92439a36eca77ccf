"""``/api/pialert/v1/maintenance-windows``: list, create and delete recurring windows.

The same rules as the ``pialert.add_maintenance_window`` action (the engine's,
engine/maintenance.py). A window without a time zone takes Home Assistant's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from http import HTTPStatus
import math
from typing import TYPE_CHECKING, Annotated, Any, Final, TypedDict

from aiohttp import web

from ..commands import HubCommands
from ..engine.config import normalize_tags
from ..engine.errors import RefusedError
from ..engine.maintenance import MAX_DURATION, MaintenanceWindow, WindowRequest
from ..engine.models import SilenceState, Target
from ..refusals import refusal_text
from .base import API_PREFIX, ApiError, PiAlertView, api_endpoint, json_response
from .dates import parse_moment
from .keys import ApiKey, Scope
from .request import (
    MAX_TAG_LENGTH,
    acted_by,
    bad_request,
    check_query,
    iso,
    read_json_object,
    reject_unknown_fields,
)
from .shapes import Timestamp, described, one_of_values
from .silences import _string_list

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator

WINDOW_FIELDS: Final = frozenset(
    {
        "name",
        "time_zone",
        "days",
        "start_time",
        "end_time",
        "cron",
        "duration_seconds",
        "target_ids",
        "tags",
        "all",
        "until",
    }
)


class MaintenanceWindowBody(TypedDict):
    """A recurring maintenance window and its running or next occurrence."""

    id: str
    name: str
    time_zone: str
    days: Annotated[list[str], described("Weekly windows: mon ... sun.")]
    start_time: Annotated[str | None, described("Weekly windows: HH:MM.")]
    end_time: Annotated[str | None, described("Weekly windows: HH:MM.")]
    cron: Annotated[str, described("When it starts (weekly ones as cron too).")]
    duration_seconds: float
    target_ids: list[str]
    tags: list[str]
    all: bool
    until: Timestamp | None
    created_by: str
    created_at: Timestamp
    state: Annotated[str, one_of_values(SilenceState)]
    next_starts_at: Annotated[
        Timestamp | None,
        described("The running occurrence's start, else the next one's."),
    ]
    next_ends_at: Timestamp | None


class MaintenanceWindowListBody(TypedDict):
    """The hub's maintenance windows."""

    maintenance_windows: list[MaintenanceWindowBody]


MAINTENANCE_BODIES: Final[tuple[type, ...]] = (
    MaintenanceWindowBody,
    MaintenanceWindowListBody,
)


def window_json(
    window: MaintenanceWindow, targets: Mapping[str, Target], now: datetime
) -> MaintenanceWindowBody:
    """Return a window as the API (and the list action) shows it."""
    span = window.occurrence(now)
    return {
        "id": window.id,
        "name": window.name,
        "time_zone": window.time_zone,
        "days": list(window.days),
        "start_time": _clock(window.start_time),
        "end_time": _clock(window.end_time),
        "cron": window.cron,
        "duration_seconds": window.duration.total_seconds(),
        "target_ids": sorted(window.target_ids),
        "tags": sorted(window.tags),
        "all": not window.target_ids and not window.tags,
        "until": iso(window.until),
        "created_by": window.created_by,
        "created_at": window.created_at.isoformat(),
        "state": window.state(now).value,
        "next_starts_at": None if span is None else span[0].isoformat(),
        "next_ends_at": None if span is None else span[1].isoformat(),
    }


def _clock(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _text(body: Mapping[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and (not isinstance(value, str) or len(value) > 200):
        raise bad_request(f"Invalid field '{name}': expected a string")
    return value


def _clock_field(body: Mapping[str, Any], name: str) -> time | None:
    text = _text(body, name)
    if text is None:
        return None
    try:
        parsed = time.fromisoformat(text.strip())
    except ValueError:
        parsed = None
    if parsed is None or parsed.second or parsed.microsecond or parsed.tzinfo:
        raise bad_request(f"Invalid field '{name}': expected a time HH:MM")
    return parsed


def window_request(body: Mapping[str, Any], default_zone: str) -> WindowRequest:
    """Read a creation body; the window rules are the engine's."""
    reject_unknown_fields(body, WINDOW_FIELDS)
    everything = body.get("all", False)
    if not isinstance(everything, bool):
        raise bad_request("Invalid field 'all': expected true or false")
    duration = body.get("duration_seconds")
    if duration is not None and (
        isinstance(duration, bool)
        or not isinstance(duration, int | float)
        or not math.isfinite(duration)
        or duration <= 0
    ):
        raise bad_request(
            "Invalid field 'duration_seconds': expected a number of seconds above 0"
        )
    until = body.get("until")
    return WindowRequest(
        name=_text(body, "name") or "",
        time_zone=_text(body, "time_zone") or default_zone,
        days=tuple(d.strip().lower() for d in _string_list(body, "days", 20)),
        start_time=_clock_field(body, "start_time"),
        end_time=_clock_field(body, "end_time"),
        cron=_text(body, "cron"),
        # Capped first: a huge number of seconds is no timedelta.
        duration=None
        if duration is None
        else timedelta(seconds=min(duration, MAX_DURATION.total_seconds() + 1)),
        target_ids=frozenset(_string_list(body, "target_ids", 200)),
        tags=frozenset(normalize_tags(_string_list(body, "tags", MAX_TAG_LENGTH))),
        everything=everything,
        until=None if until is None else parse_moment(until, "until"),
    )


def _listing(coordinator: PiAlertCoordinator) -> MaintenanceWindowListBody:
    now, monitor = coordinator.now(), coordinator.monitor
    windows = sorted(
        monitor.maintenance.windows.values(), key=lambda w: (w.name.casefold(), w.id)
    )
    return {
        "maintenance_windows": [window_json(w, monitor.targets, now) for w in windows]
    }


class MaintenanceWindowsView(PiAlertView):
    """``/maintenance-windows``: list and create recurring windows."""

    url = f"{API_PREFIX}/maintenance-windows"
    name = "api:pialert:maintenance_windows"

    @api_endpoint(Scope.READ)
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """List the windows with their next occurrence."""
        check_query(request, ())
        return json_response(_listing(coordinator))

    @api_endpoint(Scope.WRITE)
    async def post(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Create a window (saved at once)."""
        check_query(request, ())
        body = await read_json_object(request)
        wanted = window_request(body, str(coordinator.hass.config.time_zone))
        commands = HubCommands.of(coordinator.config_entry.runtime_data)
        try:
            window = commands.add_maintenance_window(wanted, acted_by(key))
        except RefusedError as err:
            raise bad_request(refusal_text(err)) from None
        return json_response(
            window_json(window, coordinator.monitor.targets, coordinator.now()),
            HTTPStatus.CREATED,
        )


class MaintenanceWindowView(PiAlertView):
    """``/maintenance-windows/{window_id}``: delete one window."""

    url = f"{API_PREFIX}/maintenance-windows/{{window_id}}"
    name = "api:pialert:maintenance_window"

    @api_endpoint(Scope.WRITE)
    async def delete(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        window_id: str,
    ) -> web.Response:
        """Delete a window; its targets alert again at once if still down."""
        check_query(request, ())
        commands = HubCommands.of(coordinator.config_entry.runtime_data)
        try:
            commands.remove_maintenance_window(window_id)
        except RefusedError as err:
            raise ApiError(HTTPStatus.NOT_FOUND, refusal_text(err)) from None
        return json_response({"deleted": window_id})
