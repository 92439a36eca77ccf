"""The ``pialert.post_status_page_incident`` action: a message on a status page."""

from __future__ import annotations

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
from .commands import HubCommands
from .const import DOMAIN
from .engine.page_incidents import MAX_MESSAGE_LENGTH, IncidentStatus
from .engine.page_view import incident_body
from .helpers import async_user_name
from .published_pages import PageMessage, find_page
from .refusals import as_service_errors

SERVICE_POST_STATUS_PAGE_INCIDENT = "post_status_page_incident"
ATTR_STATUS_PAGE = "status_page"
ATTR_STATUS = "status"
ATTR_MESSAGE = "message"
ATTR_INCIDENT_ID = "incident_id"

POST_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_STATUS_PAGE): cv.string,
        vol.Required(ATTR_STATUS): vol.In([s.value for s in IncidentStatus]),
        vol.Required(ATTR_MESSAGE): vol.All(
            cv.string, vol.Length(min=1, max=MAX_MESSAGE_LENGTH)
        ),
        vol.Optional(ATTR_INCIDENT_ID): cv.string,
    }
)


async def _async_post(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    data = loaded_hub_data(hass)
    if data is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="not_loaded"
        )
    page = find_page(data.coordinator.config_entry, call.data[ATTR_STATUS_PAGE])
    if page is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_status_page",
            translation_placeholders={"page": call.data[ATTR_STATUS_PAGE]},
        )
    message = PageMessage(
        status=call.data[ATTR_STATUS],
        message=call.data[ATTR_MESSAGE],
        by=await async_user_name(hass, call.context),
        incident_id=call.data.get(ATTR_INCIDENT_ID),
    )
    with as_service_errors():
        incident = HubCommands.of(data).post_page_incident(page.id, message)
    return dict(incident_body(incident))


@callback
def async_setup_page_services(hass: HomeAssistant) -> None:
    """Register the status page action (admins only: it publishes)."""
    async_register_admin_service(
        hass,
        DOMAIN,
        SERVICE_POST_STATUS_PAGE_INCIDENT,
        _async_post,
        schema=POST_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
