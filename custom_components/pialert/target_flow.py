"""Target subentry flow: add or reconfigure a monitored target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.helpers.typing import UNDEFINED

from .const import SUBENTRY_TYPE_TARGET
from .engine.config import (
    CONF_KIND,
    CONF_NAME,
    target_from_data,
    validate_target,
)
from .engine.models import (
    Target,
    TargetKind,
)
from .engine.probes.heartbeat import new_token
from .form_numbers import number_errors
from .target_checks import hass_target_errors
from .target_form import clean_form_input, form_values, target_schema
from .urls import heartbeat_ping_url


class TargetSubentryFlow(ConfigSubentryFlow):
    """Add or reconfigure a monitored target."""

    def _existing(self) -> dict[str, Target]:
        entry = self._get_entry()
        return {
            sub_id: target_from_data(sub_id, sub.data)
            for sub_id, sub in entry.subentries.items()
            if sub.subentry_type == SUBENTRY_TYPE_TARGET
        }

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Pick the kind of target."""
        return self.async_show_menu(
            step_id="user", menu_options=[kind.value for kind in TargetKind]
        )

    async def async_step_http(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a website or HTTP API."""
        return await self._async_kind_step(TargetKind.HTTP, user_input)

    async def async_step_tcp(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a TCP port."""
        return await self._async_kind_step(TargetKind.TCP, user_input)

    async def async_step_ping(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a host to ping."""
        return await self._async_kind_step(TargetKind.PING, user_input)

    async def async_step_dns(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a DNS record."""
        return await self._async_kind_step(TargetKind.DNS, user_input)

    async def async_step_heartbeat(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a heartbeat (a job that pings PiAlert)."""
        return await self._async_kind_step(TargetKind.HEARTBEAT, user_input)

    async def async_step_entity(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a Home Assistant entity."""
        return await self._async_kind_step(TargetKind.ENTITY, user_input)

    async def async_step_entity_group(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add many entities chosen by label, area, integration, ..."""
        return await self._async_kind_step(TargetKind.ENTITY_GROUP, user_input)

    async def async_step_integration_health(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a watch on integrations that fail to set up."""
        return await self._async_kind_step(TargetKind.INTEGRATION_HEALTH, user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a target (its kind stays)."""
        subentry = self._get_reconfigure_subentry()
        kind = TargetKind(subentry.data[CONF_KIND])
        return await self._async_kind_step(
            kind, user_input, step_id="reconfigure", current=subentry.data
        )

    async def _async_kind_step(
        self,
        kind: TargetKind,
        user_input: dict[str, Any] | None,
        *,
        step_id: str | None = None,
        current: Mapping[str, Any] | None = None,
    ) -> SubentryFlowResult:
        step_id = step_id or kind.value
        existing = self._existing()
        target_id = self._reconfigure_subentry_id if current is not None else None
        errors: dict[str, str] = {}
        schema = target_schema(kind, existing, target_id)
        if user_input is not None:
            data = clean_form_input(kind, user_input)
            if kind is TargetKind.HEARTBEAT:
                data["token"] = (current or {}).get("token") or new_token()
            errors = validate_target(data, target_id=target_id, existing=existing)
            errors = hass_target_errors(self.hass, data) | errors
            # The form's ranges (shown in the boxes) have the last word.
            errors |= number_errors(schema, user_input)
            if not errors:
                return self._async_finish(kind, data, current)
        suggested: Mapping[str, Any] = user_input or form_values(kind, current or {})
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
            description_placeholders={"kind": kind.value},
        )

    def _async_finish(
        self, kind: TargetKind, data: dict[str, Any], current: Mapping[str, Any] | None
    ) -> SubentryFlowResult:
        """Save the target; a heartbeat's message shows its full ping URL."""
        placeholders = (
            {"ping_url": heartbeat_ping_url(self.hass, data["token"])}
            if kind is TargetKind.HEARTBEAT
            else None
        )
        if current is None:
            return self.async_create_entry(
                title=data[CONF_NAME],
                data=data,
                description="heartbeat_created" if placeholders else None,
                description_placeholders=placeholders,
            )
        result = self.async_update_and_abort(
            self._get_entry(),
            self._get_reconfigure_subentry(),
            title=data[CONF_NAME],
            data=data,
            reason="heartbeat_reconfigured" if placeholders else UNDEFINED,
        )
        if placeholders:
            result["description_placeholders"] = placeholders
        return result
