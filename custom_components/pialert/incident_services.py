"""The ``pialert.update_incident`` action: the work people record on an incident."""

from __future__ import annotations

from typing import cast

from homeassistant.auth.permissions.const import POLICY_CONTROL
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers import config_validation as cv
import probatio as vol

from .api import loaded_hub_data
from .api.history import incident_json
from .commands import HubCommands
from .const import DOMAIN
from .engine.incident_updates import latest_incident
from .engine.incident_workflow import (
    ACTION_TAKEN,
    DISMISSED,
    MAX_TEXT,
    NOTE,
    ROOT_CAUSE,
    IncidentUpdate,
)
from .helpers import async_user_name
from .refusals import as_service_errors
from .service_targets import selected_targets
from .services import _lift_targets as lift_targets

SERVICE_UPDATE_INCIDENT = "update_incident"
ATTR_INCIDENT_ID = "incident_id"

_TEXT = vol.All(cv.string, vol.Length(max=MAX_TEXT))
# The target is optional (an incident id names the incident too): offered as
# the ``targets`` field, as pialert.silence does.
UPDATE_INCIDENT_SCHEMA = vol.All(
    lift_targets,
    vol.Schema(
        {
            **cv.TARGET_SERVICE_FIELDS,
            vol.Optional(ATTR_INCIDENT_ID): cv.string,
            vol.Optional(ROOT_CAUSE): vol.Any(None, _TEXT),
            vol.Optional(ACTION_TAKEN): vol.Any(None, _TEXT),
            vol.Optional(NOTE): _TEXT,
            vol.Optional(DISMISSED): cv.boolean,
        }
    ),
)


async def async_check_may_change(hass: HomeAssistant, call: ServiceCall) -> None:
    """Refuse users who may only look (Home Assistant's read-only users)."""
    if not call.context.user_id:
        return  # automations and scripts
    user = await hass.auth.async_get_user(call.context.user_id)
    if user is None:
        raise Unauthorized(context=call.context)
    if not user.is_admin and not user.permissions.access_all_entities(POLICY_CONTROL):
        raise Unauthorized(context=call.context, permission=POLICY_CONTROL)


async def _async_update_incident(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    data = loaded_hub_data(hass)
    if data is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="not_loaded"
        )
    await async_check_may_change(hass, call)
    coordinator = data.coordinator
    history = coordinator.monitor.history
    target_ids = selected_targets(hass, coordinator, call)
    incident_id = call.data.get(ATTR_INCIDENT_ID)
    if (incident_id is None) == (len(target_ids) != 1):
        # Exactly one way to name the incident: its id, or one target.
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="incident_needs_one"
        )
    update = IncidentUpdate(
        root_cause=_cleared(call, ROOT_CAUSE),
        action_taken=_cleared(call, ACTION_TAKEN),
        note=call.data.get(NOTE),
        dismissed=call.data.get(DISMISSED),
    )
    by = await async_user_name(hass, call.context)
    with as_service_errors():
        if incident_id is None:
            target = coordinator.monitor.targets[target_ids[0]]
            incident_id = latest_incident(history, target.id, target.name).id
        incident = HubCommands.of(data).update_incident(incident_id, update, by)
    # The incident's JSON is JSON-safe by construction (the API answers it).
    return cast("ServiceResponse", incident_json(incident))


def _cleared(call: ServiceCall, field: str) -> str | None:
    """Return a text field; given as null, it clears (as an empty text does)."""
    if field not in call.data:
        return None
    value = call.data[field]
    return "" if value is None else str(value)


@callback
def async_setup_incident_services(hass: HomeAssistant) -> None:
    """Register the incident workflow's action."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_UPDATE_INCIDENT,
        _async_update_incident,
        UPDATE_INCIDENT_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
