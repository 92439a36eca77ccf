"""Config flow for PiAlert: one hub per Home Assistant."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult

from .const import DOMAIN, HUB_TITLE


class PiAlertConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create the single PiAlert hub."""

    VERSION = 1
    MINOR_VERSION = 1

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm and create the hub."""
        if user_input is None:
            return self.async_show_form(step_id="user")
        return self.async_create_entry(title=HUB_TITLE, data={})
