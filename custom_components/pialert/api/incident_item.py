"""``/incidents/{incident_id}``: read one incident, record the work done on it."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web

from ..commands import HubCommands
from ..engine.errors import RefusedError
from ..engine.incident_workflow import (
    ACTION_TAKEN,
    DISMISSED,
    MAX_TEXT,
    NOTE,
    ROOT_CAUSE,
    IncidentUpdate,
)
from ..engine.models import Incident
from ..refusals import refusal_text
from .base import API_PREFIX, ApiError, PiAlertView, api_endpoint, json_response
from .history import incident_json
from .keys import ApiKey, Scope
from .request import (
    acted_by,
    bad_request,
    check_query,
    read_json_object,
    reject_unknown_fields,
)

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator

TEXT_FIELDS: Final = (ROOT_CAUSE, ACTION_TAKEN, NOTE)
UPDATE_FIELDS: Final = (*TEXT_FIELDS, DISMISSED)


def incident_update(body: Mapping[str, Any]) -> IncidentUpdate:
    """Return the update a PATCH body asks for; ``null`` clears a text."""
    reject_unknown_fields(body, UPDATE_FIELDS)
    if not body:
        raise bad_request(
            "Request body must set at least one of: " + ", ".join(UPDATE_FIELDS)
        )
    texts: dict[str, str | None] = {}
    for name in TEXT_FIELDS:
        value = body.get(name)
        if name in body and value is None and name != NOTE:
            value = ""  # null clears a root cause or action, as "" does
        if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT):
            raise bad_request(
                f"Invalid field '{name}': expected a string of at most "
                f"{MAX_TEXT} characters"
            )
        texts[name] = value
    dismissed = body.get(DISMISSED)
    if dismissed is not None and not isinstance(dismissed, bool):
        raise bad_request(f"Invalid field '{DISMISSED}': expected true or false")
    return IncidentUpdate(
        root_cause=texts[ROOT_CAUSE],
        action_taken=texts[ACTION_TAKEN],
        note=texts[NOTE],
        dismissed=dismissed,
    )


def find_incident(coordinator: PiAlertCoordinator, incident_id: str) -> Incident:
    """Return an incident; 404 when there is none."""
    incident = coordinator.monitor.history.incidents.get(incident_id)
    if incident is None:
        raise ApiError(HTTPStatus.NOT_FOUND, f"Unknown incident: {incident_id}")
    return incident


class IncidentItemView(PiAlertView):
    """``/incidents/{incident_id}``: one incident and the work recorded on it."""

    url = f"{API_PREFIX}/incidents/{{incident_id}}"
    name = "api:pialert:incident"

    @api_endpoint(Scope.READ)
    async def get(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        incident_id: str,
    ) -> web.Response:
        """Return one incident; its first view is recorded (``viewed_at``)."""
        check_query(request, ())
        find_incident(coordinator, incident_id)
        commands = HubCommands.of(coordinator.config_entry.runtime_data)
        incident = commands.view_incident(incident_id, acted_by(key))
        return json_response(incident_json(incident))

    @api_endpoint(Scope.WRITE)
    async def patch(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        incident_id: str,
    ) -> web.Response:
        """Set root cause or action taken, add a note, dismiss or reopen."""
        check_query(request, ())
        find_incident(coordinator, incident_id)
        update = incident_update(await read_json_object(request))
        commands = HubCommands.of(coordinator.config_entry.runtime_data)
        try:
            incident = commands.update_incident(incident_id, update, acted_by(key))
        except RefusedError as err:
            raise bad_request(refusal_text(err)) from None
        return json_response(incident_json(incident))
