"""``pialert.send_test_notification``: a rule's Send test."""

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
import probatio as vol

from .const import DOMAIN
from .notifier import notifier_of

SERVICE_SEND_TEST = "send_test_notification"
ATTR_RULE = "rule"
SEND_TEST_SCHEMA = vol.Schema({vol.Required(ATTR_RULE): cv.string})


@callback
def async_setup_notify_services(hass: HomeAssistant) -> None:
    """Register the notification rules' actions."""

    async def _async_send_test(call: ServiceCall) -> ServiceResponse:
        notifier = notifier_of(hass)
        if notifier is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="not_loaded"
            )
        wanted = call.data[ATTR_RULE].strip()
        rule = notifier.rules.get(wanted) or next(
            (
                r
                for r in notifier.rules.values()
                if r.name.casefold() == wanted.casefold()
            ),
            None,
        )
        if rule is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_rule",
                translation_placeholders={"rule": wanted},
            )
        records = await notifier.async_send_test(rule.id)
        return {
            "deliveries": [
                {"channel": r.channel, "status": r.status, "error": r.error}
                for r in records
            ]
        }

    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_TEST,
        _async_send_test,
        schema=SEND_TEST_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
