"""The demo router's config flow: one entry for the closed loopback port."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult

from . import DOMAIN, HOST, PORT


class DemoRouterConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add the demo router (no questions: the demo decides where it is)."""

    VERSION = 1

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Create the entry once."""
        await self.async_set_unique_id(f"{HOST}:{PORT}")
        self._abort_if_unique_id_configured()
        return self.async_create_entry(
            title="Demo router", data={"host": HOST, "port": PORT}
        )
