"""Actions for targets as code: bulk changes, export and import (admins only)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, cast

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
import probatio as vol

from .api import loaded_hub_data
from .api.base import ApiError
from .api.targets_as_code import from_yaml, import_items, to_yaml
from .const import DOMAIN
from .coordinator import PiAlertCoordinator
from .service_targets import required_targets
from .target_code import (
    BULK_FIELDS,
    Plan,
    async_apply_plan,
    async_plan_bulk,
    async_plan_import,
    export_document,
)

SERVICE_BULK_UPDATE = "bulk_update_targets"
SERVICE_EXPORT = "export_targets"
SERVICE_IMPORT = "import_targets"
ATTR_DRY_RUN = "dry_run"
ATTR_SECRETS = "secrets"
ATTR_FORMAT = "format"
ATTR_DOCUMENT = "document"

_TAGS = vol.All(cv.ensure_list, [cv.string])
BULK_SCHEMA = vol.Schema(
    {
        **cv.TARGET_SERVICE_FIELDS,
        vol.Optional("enabled"): cv.boolean,
        vol.Optional("tags"): _TAGS,
        vol.Optional("add_tags"): _TAGS,
        vol.Optional("remove_tags"): _TAGS,
        # Ranges are checked with the target form's rules, in its words.
        vol.Optional("interval"): vol.Coerce(float),
        vol.Optional("timeout"): vol.Coerce(float),
        vol.Optional("failure_threshold"): vol.Coerce(float),
        vol.Optional("success_threshold"): vol.Coerce(float),
        vol.Optional(ATTR_DRY_RUN, default=False): cv.boolean,
    }
)
EXPORT_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_FORMAT, default="json"): vol.In(["json", "yaml"]),
        vol.Optional(ATTR_SECRETS, default=False): cv.boolean,
    }
)
IMPORT_SCHEMA = vol.Schema(
    {
        # YAML text (as exported) or the export document itself.
        vol.Required(ATTR_DOCUMENT): vol.Any(cv.string, dict, list),
        vol.Optional(ATTR_DRY_RUN, default=False): cv.boolean,
    }
)


def _coordinator(hass: HomeAssistant) -> PiAlertCoordinator:
    data = loaded_hub_data(hass)
    if data is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="not_loaded"
        )
    return data.coordinator


def _refused(detail: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="targets_refused",
        translation_placeholders={"errors": detail},
    )


async def _async_carry_out(
    coordinator: PiAlertCoordinator,
    planning: Callable[[], Awaitable[Plan]],
    dry_run: bool,
) -> ServiceResponse:
    """Plan, refuse with every item's errors, else apply unless dry."""
    try:
        plan = await planning()
    except ApiError as err:
        raise _refused(err.detail) from None
    if plan.errors:
        raise _refused(plan.error_text())
    if not dry_run:
        await async_apply_plan(coordinator, plan)
    return cast("ServiceResponse", plan.summary(dry_run=dry_run))


async def _async_bulk_update(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call.hass)
    target_ids = required_targets(call.hass, coordinator, call)
    updates = {k: v for k, v in call.data.items() if k in BULK_FIELDS}
    return await _async_carry_out(
        coordinator,
        partial(async_plan_bulk, coordinator, target_ids, updates),
        call.data[ATTR_DRY_RUN],
    )


async def _async_export(call: ServiceCall) -> ServiceResponse:
    document = export_document(_coordinator(call.hass), secrets=call.data[ATTR_SECRETS])
    if call.data[ATTR_FORMAT] == "yaml":
        return {"yaml": to_yaml(document)}
    return cast("ServiceResponse", document)


async def _async_import(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call.hass)
    document: Any = call.data[ATTR_DOCUMENT]
    try:
        if isinstance(document, str):
            document = from_yaml(document)
        items = import_items(document)
    except ApiError as err:
        raise _refused(err.detail) from None
    return await _async_carry_out(
        coordinator,
        partial(async_plan_import, coordinator, items),
        call.data[ATTR_DRY_RUN],
    )


@callback
def async_setup_target_code_services(hass: HomeAssistant) -> None:
    """Register the targets-as-code actions; they change configuration: admins only."""
    admin = partial(async_register_admin_service, hass, DOMAIN)
    admin(
        SERVICE_BULK_UPDATE,
        _async_bulk_update,
        BULK_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    admin(
        SERVICE_EXPORT,
        _async_export,
        EXPORT_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    admin(
        SERVICE_IMPORT,
        _async_import,
        IMPORT_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
