"""Actions for recurring maintenance windows: add, list and delete.

Adding and deleting change the hub's configuration: admins only. The rules
are the engine's (engine/maintenance.py); refusals are translated.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import cast

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util.json import JsonObjectType, JsonValueType
import probatio as vol

from .api import loaded_hub_data
from .api.maintenance import window_json
from .commands import HubCommands
from .const import DOMAIN
from .coordinator import PiAlertData
from .engine.config import normalize_tags
from .engine.maintenance import DAYS, WindowRequest
from .helpers import async_user_name
from .local_time import as_utc
from .refusals import as_service_errors
from .service_targets import selected_targets
from .services import TARGET_FIELDS, _lift_targets as lift_targets

SERVICE_ADD = "add_maintenance_window"
SERVICE_LIST = "list_maintenance_windows"
SERVICE_DELETE = "delete_maintenance_window"
ATTR_WINDOW_ID = "window_id"

ADD_SCHEMA = vol.All(
    lift_targets,
    vol.Schema(
        {
            **TARGET_FIELDS,
            vol.Required("name"): vol.All(cv.string, vol.Length(max=100)),
            vol.Optional("tags"): vol.All(cv.ensure_list, [cv.string]),
            vol.Optional("all", default=False): cv.boolean,
            vol.Optional("time_zone"): cv.string,
            vol.Optional("days"): vol.All(cv.ensure_list, [vol.In(DAYS)]),
            vol.Optional("start_time"): cv.time,
            vol.Optional("end_time"): cv.time,
            vol.Optional("cron"): cv.string,
            vol.Optional("duration"): cv.positive_time_period,
            vol.Optional("until"): cv.datetime,
        }
    ),
)
DELETE_SCHEMA = vol.Schema({vol.Required(ATTR_WINDOW_ID): cv.string})


def _hub(hass: HomeAssistant) -> PiAlertData:
    data = loaded_hub_data(hass)
    if data is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="not_loaded"
        )
    return data


async def _async_add(call: ServiceCall) -> ServiceResponse:
    hass, data = call.hass, _hub(call.hass)
    until = call.data.get("until")
    request = WindowRequest(
        name=call.data["name"],
        time_zone=call.data.get("time_zone") or str(hass.config.time_zone),
        days=tuple(call.data.get("days", ())),
        start_time=call.data.get("start_time"),
        end_time=call.data.get("end_time"),
        cron=call.data.get("cron"),
        duration=call.data.get("duration") or timedelta(),
        target_ids=frozenset(selected_targets(hass, data.coordinator, call)),
        tags=frozenset(normalize_tags(call.data.get("tags"))),
        everything=call.data["all"],
        until=None if until is None else as_utc(until),
    )
    by = await async_user_name(hass, call.context)
    with as_service_errors():
        window = HubCommands.of(data).add_maintenance_window(request, by)
    coordinator = data.coordinator
    body = window_json(window, coordinator.monitor.targets, coordinator.now())
    return cast("JsonObjectType", body)


async def _async_list(call: ServiceCall) -> ServiceResponse:
    coordinator = _hub(call.hass).coordinator
    now, monitor = coordinator.now(), coordinator.monitor
    windows = sorted(monitor.maintenance.windows.values(), key=lambda w: w.name)
    listed = [window_json(w, monitor.targets, now) for w in windows]
    return {"maintenance_windows": cast("list[JsonValueType]", listed)}


async def _async_delete(call: ServiceCall) -> ServiceResponse:
    commands = HubCommands.of(_hub(call.hass))
    with as_service_errors():
        commands.remove_maintenance_window(call.data[ATTR_WINDOW_ID])
    return {"deleted": call.data[ATTR_WINDOW_ID]}


@callback
def async_setup_maintenance_services(hass: HomeAssistant) -> None:
    """Register the maintenance-window actions."""
    admin = partial(async_register_admin_service, hass, DOMAIN)
    admin(
        SERVICE_ADD,
        _async_add,
        ADD_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    admin(
        SERVICE_DELETE,
        _async_delete,
        DELETE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_LIST,
        _async_list,
        vol.Schema({}),
        supports_response=SupportsResponse.ONLY,
    )
