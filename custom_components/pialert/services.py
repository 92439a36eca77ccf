"""PiAlert's services: acknowledge, silence, check now, pause and resume."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial
from typing import Any
import uuid

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
    device_registry as dr,
    entity_registry as er,
    target as target_helpers,
)
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util import dt as dt_util
import probatio as vol

from .api import loaded_coordinator
from .api.keys import DEFAULT_RATE_LIMIT, ApiKeyError, Scope
from .const import DOMAIN
from .coordinator import PiAlertCoordinator
from .engine.config import normalize_tags
from .engine.models import Silence
from .helpers import async_set_targets_enabled, async_user_name, monitor_errors

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
ATTR_KEY_ID = "key_id"
ATTR_TARGETS = "targets"

MAX_SILENCE = timedelta(days=365)

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
    }
)
KEY_ID_SCHEMA = vol.Schema({vol.Required(ATTR_KEY_ID): cv.string})


def _coordinator(hass: HomeAssistant) -> PiAlertCoordinator:
    coordinator = loaded_coordinator(hass)
    if coordinator is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="not_loaded"
        )
    return coordinator


def _selected_targets(
    hass: HomeAssistant, coordinator: PiAlertCoordinator, call: ServiceCall
) -> list[str]:
    """Resolve the call's target (devices, entities, areas...) to target ids.

    The hub device or a hub entity stands for every target.
    """
    selection = target_helpers.TargetSelection(call.data)
    if not selection.has_any_target:
        return []
    entry_id = coordinator.config_entry.entry_id
    targets = coordinator.monitor.targets
    device_registry = dr.async_get(hass)
    entity_registry = er.async_get(hass)
    for entity_id in selection.entity_ids:
        entity = entity_registry.async_get(entity_id)
        if entity is None or entity.platform != DOMAIN:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_a_pialert_entity",
                translation_placeholders={"entity_id": entity_id},
            )
    for device_id in selection.device_ids:
        device = device_registry.async_get(device_id)
        if device is None or not any(d == DOMAIN for d, _ in device.identifiers):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_a_pialert_device",
                translation_placeholders={"device_id": device_id},
            )
    referenced = target_helpers.async_extract_referenced_entity_ids(hass, selection)
    device_ids = set(referenced.referenced_devices)
    for entity_id in referenced.referenced | referenced.indirectly_referenced:
        entity = entity_registry.async_get(entity_id)
        if entity is not None and entity.platform == DOMAIN and entity.device_id:
            device_ids.add(entity.device_id)
    selected: set[str] = set()
    for device_id in device_ids:
        device = device_registry.async_get(device_id)
        if device is None:
            continue
        for domain, ident in device.identifiers:
            if domain != DOMAIN:
                continue
            if ident == entry_id:
                selected.update(targets)
            elif ident in targets:
                selected.add(ident)
    return sorted(selected, key=lambda tid: targets[tid].name)


def _required_targets(
    hass: HomeAssistant, coordinator: PiAlertCoordinator, call: ServiceCall
) -> list[str]:
    selected = _selected_targets(hass, coordinator, call)
    if not selected:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_targets"
        )
    return selected


async def _async_acknowledge(call: ServiceCall) -> None:
    hass = call.hass
    coordinator = _coordinator(hass)
    target_ids = _required_targets(hass, coordinator, call)
    by = await async_user_name(hass, call.context)
    monitor = coordinator.monitor
    down = [tid for tid in target_ids if monitor.states[tid].alerting]
    if not down:
        names = ", ".join(monitor.targets[tid].name for tid in target_ids)
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="target_not_down",
            translation_placeholders={"target": names},
        )
    now = coordinator.now()
    for target_id in down:
        with monitor_errors():
            coordinator.async_apply(
                monitor.acknowledge(target_id, by, now, call.data.get(ATTR_NOTE))
            )


async def _async_unacknowledge(call: ServiceCall) -> None:
    hass = call.hass
    coordinator = _coordinator(hass)
    target_ids = _required_targets(hass, coordinator, call)
    by = await async_user_name(hass, call.context)
    monitor = coordinator.monitor
    acked = [tid for tid in target_ids if monitor.states[tid].acknowledgement]
    if not acked:
        names = ", ".join(monitor.targets[tid].name for tid in target_ids)
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="target_not_acknowledged",
            translation_placeholders={"target": names},
        )
    for target_id in acked:
        coordinator.async_apply(monitor.unacknowledge(target_id, by, coordinator.now()))


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt_util.get_default_time_zone())
    return dt_util.as_utc(value)


def _time_field(call: ServiceCall, field: str) -> datetime | None:
    """Return a date-time field in UTC; a bad one is a translated refusal."""
    if (value := call.data.get(field)) is None:
        return None
    try:
        return _as_utc(cv.datetime(value))
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
    coordinator = _coordinator(hass)
    target_ids = _selected_targets(hass, coordinator, call)
    tags = normalize_tags(call.data.get(ATTR_TAGS))
    everything = call.data.get(ATTR_ALL, False)
    if everything and (target_ids or tags):
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="all_with_targets"
        )
    if not everything and not target_ids and not tags:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="silence_needs_scope"
        )
    known_tags = {tag for t in coordinator.monitor.targets.values() for tag in t.tags}
    if unknown := sorted(set(tags) - known_tags):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_tag",
            translation_placeholders={"tag": ", ".join(unknown)},
        )
    now = coordinator.now()
    starts_at = _time_field(call, ATTR_STARTS_AT) or now
    duration = _duration_field(call)
    end = _time_field(call, ATTR_ENDS_AT)
    if duration is not None and end is not None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="duration_and_end"
        )
    if duration is not None:
        ends_at = max(starts_at, now) + duration
    elif end is not None:
        ends_at = end
    else:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="silence_needs_end"
        )
    if ends_at - starts_at > MAX_SILENCE:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="silence_too_long"
        )
    silence = Silence(
        id=uuid.uuid4().hex,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=await async_user_name(hass, call.context),
        created_at=now,
        comment=call.data[ATTR_COMMENT],
        target_ids=frozenset(target_ids),
        tags=frozenset(tags),
    )
    with monitor_errors():
        coordinator.async_apply(coordinator.monitor.add_silence(silence, now))
    return {
        "silence_id": silence.id,
        "starts_at": silence.starts_at.isoformat(),
        "ends_at": silence.ends_at.isoformat(),
    }


async def _async_unsilence(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    coordinator = _coordinator(hass)
    monitor = coordinator.monitor
    now = coordinator.now()
    target_ids = set(_selected_targets(hass, coordinator, call))
    tags = set(normalize_tags(call.data.get(ATTR_TAGS)))
    silence_id = call.data.get(ATTR_SILENCE_ID)
    everything = call.data.get(ATTR_ALL, False)
    if not (everything or target_ids or tags or silence_id):
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="unsilence_needs_scope"
        )
    live = [s for s in monitor.silences.values() if s.ends_at > now]
    chosen = [
        s
        for s in live
        if everything
        or s.id == silence_id
        or (target_ids and target_ids & s.target_ids)
        or (tags and tags & s.tags)
    ]
    if not chosen:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_matching_silence"
        )
    by = await async_user_name(hass, call.context)
    for silence in chosen:
        coordinator.async_apply(monitor.remove_silence(silence.id, by, now))
    return {"removed": [s.id for s in chosen]}


async def _async_check_now(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    coordinator = _coordinator(hass)
    target_ids = _selected_targets(hass, coordinator, call)
    if not target_ids:
        if not call.data.get(ATTR_ALL, False):
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="no_targets"
            )
        target_ids = list(coordinator.monitor.targets)
    results = await coordinator.async_check_now(target_ids)
    snapshot = coordinator.monitor.snapshot(coordinator.now())
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


async def _async_pause(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass)
    await async_set_targets_enabled(
        coordinator, _required_targets(call.hass, coordinator, call), False
    )


async def _async_resume(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass)
    await async_set_targets_enabled(
        coordinator, _required_targets(call.hass, coordinator, call), True
    )


@contextmanager
def _key_errors() -> Iterator[None]:
    try:
        yield
    except ApiKeyError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=err.key,
            translation_placeholders=err.placeholders,
        ) from err


async def _async_create_api_key(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call.hass)
    with _key_errors():
        key, plaintext = coordinator.api.keys.create(
            call.data[ATTR_NAME],
            Scope(call.data[ATTR_SCOPE]),
            coordinator.now(),
            call.data[ATTR_RATE_LIMIT],
        )
    coordinator.api.schedule_save()
    # The only time the key itself is ever shown.
    return {**key.public(), "key": plaintext}


async def _async_list_api_keys(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call.hass)
    return {"keys": [key.public() for key in coordinator.api.keys.listing()]}


def _find_key(coordinator: PiAlertCoordinator, key_id: str) -> str:
    """Accept a key's id or its name."""
    keys = coordinator.api.keys.keys
    if key_id in keys:
        return key_id
    for key in keys.values():
        if key.name.casefold() == key_id.casefold():
            return key.id
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="unknown_api_key",
        translation_placeholders={"key_id": key_id},
    )


async def _async_set_api_key_enabled(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call.hass)
    key_id = _find_key(coordinator, call.data[ATTR_KEY_ID])
    key = coordinator.api.keys.set_enabled(
        key_id, call.service == SERVICE_ENABLE_API_KEY
    )
    coordinator.api.schedule_save()
    return key.public()


async def _async_delete_api_key(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call.hass)
    key_id = _find_key(coordinator, call.data[ATTR_KEY_ID])
    key = coordinator.api.keys.delete(key_id)
    coordinator.api.key_limiter.forget(key_id)
    coordinator.api.schedule_save()
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
    register(DOMAIN, SERVICE_PAUSE, _async_pause, TARGETS_SCHEMA)
    register(DOMAIN, SERVICE_RESUME, _async_resume, TARGETS_SCHEMA)
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
