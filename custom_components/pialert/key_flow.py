"""Manage the REST API's keys: a flow of their own, not the hub's options.

Keys are kept in PiAlert's key file (as hashes), not in subentries: this
subentry type only offers the "Manage API keys" flow and never creates a
subentry, so every change goes through the hub's commands. Like all config
flows, it is for admins only.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers import selector
import probatio as vol

from .api.keys import DEFAULT_RATE_LIMIT, MAX_RATE_LIMIT, Scope
from .commands import HubCommands
from .coordinator import PiAlertConfigEntry
from .engine.client_watch import MAX_POLL_INTERVAL, MIN_POLL_INTERVAL
from .engine.errors import RefusedError
from .form_numbers import TEXT, FormNumber, number_errors, select_box
from .key_table import key_rows

CREATE_KEY_SCHEMA = vol.Schema(
    {
        vol.Required("name"): TEXT,
        vol.Required("scope", default=Scope.READ.value): select_box(
            [scope.value for scope in Scope], "scope"
        ),
        vol.Required("rate_limit", default=DEFAULT_RATE_LIMIT): FormNumber(
            1, MAX_RATE_LIMIT, "invalid_rate_limit"
        ),
        vol.Optional("poll_interval"): FormNumber(
            MIN_POLL_INTERVAL, MAX_POLL_INTERVAL, "invalid_poll_interval", unit="s"
        ),
    }
)

KEY_CREATED_SCHEMA = vol.Schema(
    {
        vol.Optional("api_key"): selector.TextSelector(
            selector.TextSelectorConfig(read_only=True)
        )
    }
)

DONE = "api_keys_updated"
# The form field a refusal of KeyRing.create is shown at (others: name).
_REFUSED_FIELDS = {
    "invalid_rate_limit": "rate_limit",
    "invalid_poll_interval": "poll_interval",
}


def _optional_int(value: Any) -> int | None:
    """Return an optional form number as an int (the form checked it is whole)."""
    return None if value is None else int(value)


class ApiKeysFlow(ConfigSubentryFlow):
    """List keys; create one (shown once) or disable, enable, delete one."""

    _new_key: tuple[str, str]

    def _commands(self) -> HubCommands:
        entry: PiAlertConfigEntry = self._get_entry()
        if entry.state is not ConfigEntryState.LOADED:
            raise AbortFlow("not_loaded")
        return HubCommands.of(entry.runtime_data)

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """List keys with their metadata; create one or manage one."""
        commands = self._commands()
        keys = commands.api_keys()
        return self.async_show_menu(
            step_id="user",
            menu_options=["create_key", "manage_key"] if keys else ["create_key"],
            description_placeholders={"keys": key_rows(keys)},
        )

    async def async_step_manage_key(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Disable, enable or delete a key."""
        commands = self._commands()
        errors: dict[str, str] = {}
        if user_input is not None:
            key_id = user_input.get("key_id")
            try:
                if not key_id:
                    raise RefusedError("key_required")
                if user_input["action"] == "delete":
                    commands.delete_key(key_id)
                else:
                    enabled = user_input["action"] == "enable"
                    commands.set_key_enabled(key_id, enabled)
            except RefusedError:
                errors["key_id"] = "key_required"
            else:
                return self.async_abort(reason=DONE)
        schema = vol.Schema(
            {
                vol.Required("key_id"): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[
                            selector.SelectOptionDict(
                                value=k.id, label=f"{k.name} ({k.hint})"
                            )
                            for k in commands.api_keys()
                        ],
                        mode=selector.SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Required("action", default="disable"): select_box(
                    ["disable", "enable", "delete"], "key_action"
                ),
            }
        )
        return self.async_show_form(
            step_id="manage_key",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
        )

    async def async_step_create_key(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Name a new key and pick its scope."""
        commands = self._commands()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = number_errors(CREATE_KEY_SCHEMA, user_input)
        if user_input is not None and not errors:
            try:
                key, plaintext = commands.create_key(
                    user_input["name"],
                    Scope(user_input["scope"]),
                    int(user_input["rate_limit"]),
                    _optional_int(user_input.get("poll_interval")),
                )
            except RefusedError as err:
                errors[_REFUSED_FIELDS.get(err.key, "name")] = err.key
            else:
                self._new_key = (key.name, plaintext)
                return await self.async_step_key_created()
        return self.async_show_form(
            step_id="create_key",
            data_schema=self.add_suggested_values_to_schema(
                CREATE_KEY_SCHEMA, user_input or {}
            ),
            errors=errors,
        )

    async def async_step_key_created(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Show the new key once, in a read-only field that is easy to copy."""
        if user_input is not None:
            return self.async_abort(reason=DONE)
        name, plaintext = self._new_key
        return self.async_show_form(
            step_id="key_created",
            data_schema=self.add_suggested_values_to_schema(
                KEY_CREATED_SCHEMA, {"api_key": plaintext}
            ),
            description_placeholders={"name": name},
        )
