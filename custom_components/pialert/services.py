"""PiAlert's services: acknowledge, silence, check now, pause and resume."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
)
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util import dt as dt_util
import probatio as vol

from .api import loaded_hub_data
from .api.keys import DEFAULT_RATE_LIMIT, Scope
from .commands import HubCommands
from .const import DOMAIN
from .coordinator import PiAlertData
from .engine.config import normalize_tags
from .engine.silences import SilenceRequest, UnsilenceRequest
from .helpers import async_user_name
from .local_time import as_utc
from .refusals import as_service_errors
from .service_targets import required_targets, selected_targets

SERVICE_ACKNOWLEDGE = "acknowledge"
SERVICE_UNACKNOWLEDGE = "unacknowledge"
SERVICE_SILENCE = "silence"
SERVICE_UNSILENCE = "unsilence"
SERVICE_CHECK_NOW = "check_now"
SERVICE_PAUSE = "pause"
SERVICE_RESUME = "resume"
SERVICE_CREATE_API_KEY = "create_api_key"
SERVICE_LIST_API_KEYS = "list_api_keys"
SERVICE_DISABLE_API_KEY = "disable_api_key"
SERVICE_ENABLE_API_KEY = "enable_api_key"
SERVICE_DELETE_API_KEY = "delete_api_key"

ATTR_NOTE = "note"
ATTR_TAGS = "tags"
ATTR_ALL = "all"
ATTR_DURATION = "duration"
ATTR_STARTS_AT = "starts_at"
ATTR_ENDS_AT = "ends_at"
ATTR_COMMENT = "comment"
ATTR_SILENCE_ID = "silence_id"
ATTR_NAME = "name"
ATTR_SCOPE = "scope"
ATTR_RATE_LIMIT = "rate_limit"
ATTR_POLL_INTERVAL = "poll_interval"
ATTR_KEY_ID = "key_id"
ATTR_TARGETS = "targets"

TARGET_FIELDS = cv.TARGET_SERVICE_FIELDS
TARGET_PICKER_SCHEMA = vol.Schema(TARGET_FIELDS)


def _lift_targets(value: Any) -> Any:
    """Merge the optional ``targets`` picker into the usual target fields.

    Services that also work without a target (``all``, ``tags``) offer the
    target as an optional field: a service-level target makes the action
    editor insist on one. Calls with ``target:``/``entity_id``/``device_id``
    keep working.
    """
    if not isinstance(value, dict) or ATTR_TARGETS not in value:
        return value
    data = dict(value)
    picked = TARGET_PICKER_SCHEMA(data.pop(ATTR_TARGETS) or {})
    for key, ids in picked.items():
        data[key] = [*cv.ensure_list(data.get(key)), *cv.ensure_list(ids)]
    return data


ACKNOWLEDGE_SCHEMA = vol.Schema(
    {**TARGET_FIELDS, vol.Optional(ATTR_NOTE): vol.All(cv.string, vol.Length(max=500))}
)
TARGETS_SCHEMA = vol.Schema(TARGET_FIELDS)
CHECK_NOW_SCHEMA = vol.All(
    _lift_targets,
    vol.Schema({**TARGET_FIELDS, vol.Optional(ATTR_ALL): cv.boolean}),
)
SILENCE_SCHEMA = vol.All(
    _lift_targets,
    vol.Schema(
        {
            **TARGET_FIELDS,
            vol.Optional(ATTR_TAGS): vol.All(cv.ensure_list, [cv.string]),
            vol.Optional(ATTR_ALL): cv.boolean,
            # Times are checked by the handler, to answer in the user's words.
            vol.Optional(ATTR_DURATION): cv.match_all,
            vol.Optional(ATTR_ENDS_AT): cv.match_all,
            vol.Optional(ATTR_STARTS_AT): cv.match_all,
            vol.Optional(ATTR_COMMENT, default=""): vol.All(
                cv.string, vol.Length(max=500)
            ),
        }
    ),
)
UNSILENCE_SCHEMA = vol.All(
    _lift_targets,
    vol.Schema(
        {
            **TARGET_FIELDS,
            vol.Optional(ATTR_SILENCE_ID): cv.string,
            vol.Optional(ATTR_TAGS): vol.All(cv.ensure_list, [cv.string]),
            vol.Optional(ATTR_ALL): cv.boolean,
        }
    ),
)


CREATE_KEY_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_NAME): cv.string,
        vol.Optional(ATTR_SCOPE, default=Scope.READ.value): vol.In(
            [scope.value for scope in Scope]
        ),
        # Range errors come from KeyRing.create, as a translated message.
        vol.Optional(ATTR_RATE_LIMIT, default=DEFAULT_RATE_LIMIT): vol.Coerce(int),
        vol.Optional(ATTR_POLL_INTERVAL): vol.Coerce(int),
    }
)
KEY_ID_SCHEMA = vol.Schema({vol.Required(ATTR_KEY_ID): cv.string})


def _hub_data(hass: HomeAssistant) -> PiAlertData:
    data = loaded_hub_data(hass)
    if data is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="not_loaded"
        )
    return data


def _commands(hass: HomeAssistant) -> HubCommands:
    return HubCommands.of(_hub_data(hass))


async def _targets_and_actor(
    call: ServiceCall,
) -> tuple[HubCommands, list[str], str]:
    """Return the commands, the call's targets (at least one) and who acts."""
    data = _hub_data(call.hass)
    target_ids = required_targets(call.hass, data.coordinator, call)
    return (
        HubCommands.of(data),
        target_ids,
        await async_user_name(call.hass, call.context),
    )


async def _async_acknowledge(call: ServiceCall) -> None:
    commands, target_ids, by = await _targets_and_actor(call)
    with as_service_errors():
        commands.acknowledge(target_ids, by, call.data.get(ATTR_NOTE))


async def _async_unacknowledge(call: ServiceCall) -> None:
    commands, target_ids, by = await _targets_and_actor(call)
    with as_service_errors():
        commands.unacknowledge(target_ids, by)


def _time_field(call: ServiceCall, field: str) -> datetime | None:
    """Return a date-time field in UTC; a bad one is a translated refusal."""
    if (value := call.data.get(field)) is None:
        return None
    try:
        return as_utc(cv.datetime(value))
    except (vol.Invalid, ValueError, OverflowError) as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_time",
            translation_placeholders={"field": field},
        ) from err


def _duration_field(call: ServiceCall) -> timedelta | None:
    """Return the duration; a bad one is a translated refusal."""
    if (value := call.data.get(ATTR_DURATION)) is None:
        return None
    try:
        duration: timedelta = cv.positive_time_period(value)
    except (vol.Invalid, ValueError, OverflowError) as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_duration",
        ) from err
    return duration


async def _async_silence(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    data = _hub_data(hass)
    commands = HubCommands.of(data)
    request = SilenceRequest(
        target_ids=frozenset(selected_targets(hass, data.coordinator, call)),
        tags=frozenset(normalize_tags(call.data.get(ATTR_TAGS))),
        everything=call.data.get(ATTR_ALL, False),
        starts_at=_time_field(call, ATTR_STARTS_AT),
        ends_at=_time_field(call, ATTR_ENDS_AT),
        duration=_duration_field(call),
        comment=call.data[ATTR_COMMENT],
    )
    by = await async_user_name(hass, call.context)
    with as_service_errors():
        silence = commands.silence(request, by)
    return {
        "silence_id": silence.id,
        "starts_at": silence.starts_at.isoformat(),
        "ends_at": silence.ends_at.isoformat(),
    }


async def _async_unsilence(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    data = _hub_data(hass)
    commands = HubCommands.of(data)
    request = UnsilenceRequest(
        silence_id=call.data.get(ATTR_SILENCE_ID),
        target_ids=frozenset(selected_targets(hass, data.coordinator, call)),
        tags=frozenset(normalize_tags(call.data.get(ATTR_TAGS))),
        everything=call.data.get(ATTR_ALL, False),
    )
    by = await async_user_name(hass, call.context)
    with as_service_errors():
        removed = commands.unsilence(request, by)
    return {"removed": list(removed)}


async def _async_check_now(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    data = _hub_data(hass)
    commands = HubCommands.of(data)
    monitor = data.coordinator.monitor
    target_ids = selected_targets(hass, data.coordinator, call)
    if not target_ids:
        if not call.data.get(ATTR_ALL, False):
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="no_targets"
            )
        target_ids = list(monitor.targets)
    results = await commands.check_now(target_ids)
    snapshot = monitor.snapshot(dt_util.utcnow())
    response: dict[str, Any] = {}
    for target_id in target_ids:
        view = snapshot.targets[target_id]
        result = results.get(target_id)
        response[view.target.name] = {
            "status": view.status.value,
            "success": result.success if result else None,
            "error": result.error if result else view.last_error,
            "response_time_ms": (
                round(result.response_time_ms, 1)
                if result and result.response_time_ms is not None
                else None
            ),
        }
    return {"results": response}


async def _async_pause_or_resume(call: ServiceCall) -> None:
    data = _hub_data(call.hass)
    target_ids = required_targets(call.hass, data.coordinator, call)
    HubCommands.of(data).set_enabled(target_ids, call.service == SERVICE_RESUME)


async def _async_create_api_key(call: ServiceCall) -> ServiceResponse:
    commands = _commands(call.hass)
    with as_service_errors():
        key, plaintext = commands.create_key(
            call.data[ATTR_NAME],
            Scope(call.data[ATTR_SCOPE]),
            call.data[ATTR_RATE_LIMIT],
            call.data.get(ATTR_POLL_INTERVAL),
        )
    # The only time the key itself is ever shown.
    return {**key.public(), "key": plaintext}


async def _async_list_api_keys(call: ServiceCall) -> ServiceResponse:
    return {"keys": [key.public() for key in _commands(call.hass).api_keys()]}


async def _async_set_api_key_enabled(call: ServiceCall) -> ServiceResponse:
    commands = _commands(call.hass)
    enabled = call.service == SERVICE_ENABLE_API_KEY
    with as_service_errors():
        return commands.set_key_enabled(call.data[ATTR_KEY_ID], enabled).public()


async def _async_delete_api_key(call: ServiceCall) -> ServiceResponse:
    commands = _commands(call.hass)
    with as_service_errors():
        key = commands.delete_key(call.data[ATTR_KEY_ID])
    return {"deleted": key.id, "name": key.name}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register PiAlert's services.

    Operating alerts (acknowledge, silence, check, pause and resume) is open
    to every user, as entity actions are in Home Assistant: each target's
    switch pauses it too. Changing settings goes through admin-only flows.
    """
    register = hass.services.async_register
    register(DOMAIN, SERVICE_ACKNOWLEDGE, _async_acknowledge, ACKNOWLEDGE_SCHEMA)
    register(DOMAIN, SERVICE_UNACKNOWLEDGE, _async_unacknowledge, TARGETS_SCHEMA)
    register(
        DOMAIN,
        SERVICE_SILENCE,
        _async_silence,
        SILENCE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    register(
        DOMAIN,
        SERVICE_UNSILENCE,
        _async_unsilence,
        UNSILENCE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    register(
        DOMAIN,
        SERVICE_CHECK_NOW,
        _async_check_now,
        CHECK_NOW_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    for service in (SERVICE_PAUSE, SERVICE_RESUME):
        register(DOMAIN, service, _async_pause_or_resume, TARGETS_SCHEMA)
    # Keys decide who reaches the REST API: managing (and listing) them is for
    # admins, like Home Assistant's own users and integrations.
    admin = partial(async_register_admin_service, hass, DOMAIN)
    admin(
        SERVICE_CREATE_API_KEY,
        _async_create_api_key,
        CREATE_KEY_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    admin(
        SERVICE_LIST_API_KEYS,
        _async_list_api_keys,
        vol.Schema({}),
        supports_response=SupportsResponse.ONLY,
    )
    for service in (SERVICE_DISABLE_API_KEY, SERVICE_ENABLE_API_KEY):
        admin(
            service,
            _async_set_api_key_enabled,
            KEY_ID_SCHEMA,
            supports_response=SupportsResponse.OPTIONAL,
        )
    admin(
        SERVICE_DELETE_API_KEY,
        _async_delete_api_key,
        KEY_ID_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
