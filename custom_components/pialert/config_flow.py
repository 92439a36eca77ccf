"""Config flow for PiAlert: one hub, targets as subentries, hub options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
)
from homeassistant.core import callback
import probatio as vol

from .const import (
    CONF_MAX_CONCURRENT,
    CONF_MAX_EVENTS,
    CONF_RETENTION_DAYS,
    DEFAULT_MAX_CONCURRENT,
    DOMAIN,
    HUB_TITLE,
    SUBENTRY_TYPE_API_KEYS,
    SUBENTRY_TYPE_NOTIFICATION_RULE,
    SUBENTRY_TYPE_STATUS_PAGE,
    SUBENTRY_TYPE_TARGET,
)
from .engine.history import DEFAULT_MAX_EVENTS, DEFAULT_RETENTION_DAYS
from .form_numbers import (
    BOOLEAN,
    FormNumber,
    number_errors,
    select_box,
    whole_numbers,
)
from .frontend_setup import DASHBOARD_SCHEMA
from .incident_options import INCIDENT_OPTIONS_SCHEMA, incident_options
from .key_flow import ApiKeysFlow
from .maintenance_flow import MaintenanceOptionsFlow
from .notify_rule_flow import NotificationRuleFlow
from .outbound_heartbeat import async_step_outbound
from .page_flow import StatusPageSubentryFlow
from .relay import (
    CONF_RELAY_ACTIVE_LOW,
    CONF_RELAY_ENABLED,
    CONF_RELAY_MODE,
    CONF_RELAY_OFF_SECONDS,
    CONF_RELAY_ON_SECONDS,
    CONF_RELAY_PATTERN,
    CONF_RELAY_PIN,
    RelayMode,
    RelayPattern,
)
from .target_flow import TargetSubentryFlow

if TYPE_CHECKING:
    from .coordinator import PiAlertConfigEntry


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

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Targets are subentries of the hub."""
        # API keys live in their own file, not in subentries: their flow only
        # manages them (shown as "Manage API keys" on the hub's page).
        return {
            SUBENTRY_TYPE_TARGET: TargetSubentryFlow,
            SUBENTRY_TYPE_API_KEYS: ApiKeysFlow,
            SUBENTRY_TYPE_NOTIFICATION_RULE: NotificationRuleFlow,
            SUBENTRY_TYPE_STATUS_PAGE: StatusPageSubentryFlow,
        }

    @staticmethod
    @callback
    def async_get_options_flow(
        config_entry: PiAlertConfigEntry,
    ) -> PiAlertOptionsFlow:
        """Return the hub options flow."""
        return PiAlertOptionsFlow()


OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_MAX_CONCURRENT, default=DEFAULT_MAX_CONCURRENT): FormNumber(
            1, 1000, "invalid_max_concurrent_checks"
        ),
        vol.Required(CONF_RETENTION_DAYS, default=DEFAULT_RETENTION_DAYS): FormNumber(
            1, 3650, "invalid_retention_days", unit="d"
        ),
        vol.Required(CONF_MAX_EVENTS, default=DEFAULT_MAX_EVENTS): FormNumber(
            100, 100_000, "invalid_max_history_events"
        ),
    }
)


class PiAlertOptionsFlow(MaintenanceOptionsFlow):
    """Hub options: checks and history, the GPIO relay, maintenance windows."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose what to change."""
        return self.async_show_menu(
            step_id="init",
            menu_options=[
                "settings",
                "relay",
                "incidents",
                "dashboard",
                "outbound_heartbeat",
                "maintenance",
            ],
        )

    async def async_step_outbound_heartbeat(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ping a URL outside this house every few minutes (reloads the hub)."""
        return async_step_outbound(self, user_input)

    async def async_step_incidents(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit the preset root causes and actions of incidents."""
        if user_input is not None:
            return self.async_create_entry(
                data={**self.config_entry.options, **incident_options(user_input)}
            )
        return self.async_show_form(
            step_id="incidents",
            data_schema=self.add_suggested_values_to_schema(
                INCIDENT_OPTIONS_SCHEMA, self.config_entry.options
            ),
        )

    async def async_step_relay(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Configure the GPIO relay (reloads the hub)."""
        return self._async_numbers_form("relay", RELAY_SCHEMA, user_input)

    async def async_step_dashboard(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show or hide the PiAlert sidebar panel (reloads the hub)."""
        return self._async_numbers_form("dashboard", DASHBOARD_SCHEMA, user_input)

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and save the hub options."""
        return self._async_numbers_form("settings", OPTIONS_SCHEMA, user_input)

    def _async_numbers_form(
        self, step_id: str, schema: vol.Schema, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Save a page of options once its numbers are in range."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = number_errors(schema, user_input)
            if not errors:
                return self.async_create_entry(
                    data={
                        **self.config_entry.options,
                        **whole_numbers(schema, user_input),
                    }
                )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or self.config_entry.options
            ),
            errors=errors,
        )


RELAY_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_RELAY_ENABLED, default=False): BOOLEAN,
        vol.Required(CONF_RELAY_PIN, default=17): FormNumber(
            0, 27, "invalid_relay_pin"
        ),
        vol.Required(CONF_RELAY_ACTIVE_LOW, default=False): BOOLEAN,
        vol.Required(
            CONF_RELAY_MODE, default=RelayMode.FOLLOW_UNACKNOWLEDGED.value
        ): select_box([mode.value for mode in RelayMode], "relay_mode"),
        vol.Required(CONF_RELAY_PATTERN, default=RelayPattern.STEADY.value): select_box(
            [pattern.value for pattern in RelayPattern], "relay_pattern"
        ),
        vol.Required(CONF_RELAY_ON_SECONDS, default=1.0): FormNumber(
            0.1, 60, "invalid_blink_seconds", unit="s", step=0.1
        ),
        vol.Required(CONF_RELAY_OFF_SECONDS, default=1.0): FormNumber(
            0.1, 60, "invalid_blink_seconds", unit="s", step=0.1
        ),
    }
)
