"""Config flow for PiAlert: one hub, targets as subentries, hub options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
    SubentryFlowResult,
)
from homeassistant.core import callback
from homeassistant.helpers import selector
from homeassistant.util import dt as dt_util
import probatio as vol

from .api.keys import DEFAULT_RATE_LIMIT, MAX_RATE_LIMIT, ApiKeyError, Scope
from .api.state import ApiState
from .const import (
    CONF_MAX_CONCURRENT,
    CONF_MAX_EVENTS,
    CONF_RETENTION_DAYS,
    DEFAULT_MAX_CONCURRENT,
    DOMAIN,
    HUB_TITLE,
    SUBENTRY_TYPE_TARGET,
)
from .engine.config import (
    CONF_DEPENDS_ON,
    CONF_ENABLED,
    CONF_FAILURE_THRESHOLD,
    CONF_INTERVAL,
    CONF_KIND,
    CONF_NAME,
    CONF_SUCCESS_THRESHOLD,
    CONF_TAGS,
    CONF_TIMEOUT,
    default_failure_threshold,
    normalize_tags,
    target_from_data,
    validate_target,
)
from .engine.history import DEFAULT_MAX_EVENTS, DEFAULT_RETENTION_DAYS
from .engine.models import (
    DEFAULT_INTERVAL,
    DEFAULT_SUCCESS_THRESHOLD,
    DEFAULT_TIMEOUT,
    MAX_INTERVAL,
    MAX_THRESHOLD,
    MIN_INTERVAL,
    POLLED_KINDS,
    Target,
    TargetKind,
)
from .engine.probes import dns, http
from .engine.probes.entity import EntityCondition
from .engine.probes.heartbeat import new_token
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


def _number(
    minimum: float, maximum: float, unit: str | None = None, step: float = 1
) -> selector.NumberSelector:
    config = selector.NumberSelectorConfig(
        min=minimum, max=maximum, step=step, mode=selector.NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return selector.NumberSelector(config)


def _select(
    options: list[str], key: str, custom: bool = False
) -> selector.SelectSelector:
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=options,
            translation_key=key,
            mode=selector.SelectSelectorMode.DROPDOWN,
            custom_value=custom,
        )
    )


TEXT = selector.TextSelector()
URL = selector.TextSelector(
    selector.TextSelectorConfig(type=selector.TextSelectorType.URL)
)
BOOLEAN = selector.BooleanSelector()

# Kind-specific fields: (key, default or vol.UNDEFINED, selector, required).
KIND_FIELDS: dict[TargetKind, list[tuple[str, Any, selector.Selector[Any], bool]]] = {
    TargetKind.HTTP: [
        ("url", vol.UNDEFINED, URL, True),
        ("method", "GET", _select(list(http.METHODS), "method"), True),
        ("accepted_status", "200-299", TEXT, True),
        ("keyword", vol.UNDEFINED, TEXT, False),
        ("keyword_absent", False, BOOLEAN, True),
        ("verify_ssl", True, BOOLEAN, True),
        ("cert_expiry_days", vol.UNDEFINED, _number(1, 365, "d"), False),
    ],
    TargetKind.TCP: [
        ("host", vol.UNDEFINED, TEXT, True),
        ("port", vol.UNDEFINED, _number(1, 65535), True),
    ],
    TargetKind.PING: [
        ("host", vol.UNDEFINED, TEXT, True),
        ("count", 3, _number(1, 10), True),
    ],
    TargetKind.DNS: [
        ("hostname", vol.UNDEFINED, TEXT, True),
        ("record_type", "A", _select(list(dns.RECORD_TYPES), "record_type"), True),
        ("expected", vol.UNDEFINED, TEXT, False),
        ("resolver", vol.UNDEFINED, TEXT, False),
    ],
    TargetKind.HEARTBEAT: [
        ("period", 3600, _number(10, 31 * 86400, "s"), True),
        ("grace", 300, _number(0, 7 * 86400, "s"), True),
    ],
    TargetKind.ENTITY: [
        ("entity_id", vol.UNDEFINED, selector.EntitySelector(), True),
        (
            "condition",
            EntityCondition.UNAVAILABLE.value,
            _select([c.value for c in EntityCondition], "condition"),
            True,
        ),
        ("value", vol.UNDEFINED, TEXT, False),
        ("for_seconds", 0, _number(0, 7 * 86400, "s"), True),
    ],
}

INTEGER_FIELDS = frozenset(
    {
        CONF_INTERVAL,
        CONF_FAILURE_THRESHOLD,
        CONF_SUCCESS_THRESHOLD,
        "port",
        "count",
        "period",
        "grace",
        "for_seconds",
        "cert_expiry_days",
    }
)


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
        return {SUBENTRY_TYPE_TARGET: TargetSubentryFlow}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> PiAlertOptionsFlow:
        """Return the hub options flow."""
        return PiAlertOptionsFlow()


OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_MAX_CONCURRENT, default=DEFAULT_MAX_CONCURRENT): _number(
            1, 1000
        ),
        vol.Required(CONF_RETENTION_DAYS, default=DEFAULT_RETENTION_DAYS): _number(
            1, 3650, "d"
        ),
        vol.Required(CONF_MAX_EVENTS, default=DEFAULT_MAX_EVENTS): _number(
            100, 100_000
        ),
    }
)


class PiAlertOptionsFlow(OptionsFlow):
    """Hub options (concurrency, retention) and API keys."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose what to change."""
        return self.async_show_menu(
            step_id="init", menu_options=["settings", "relay", "api_keys"]
        )

    async def async_step_relay(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Configure the GPIO relay (reloads the hub)."""
        if user_input is not None:
            relay = dict(user_input)
            relay[CONF_RELAY_PIN] = int(relay[CONF_RELAY_PIN])
            return self.async_create_entry(data={**self.config_entry.options, **relay})
        return self.async_show_form(
            step_id="relay",
            data_schema=self.add_suggested_values_to_schema(
                RELAY_SCHEMA, self.config_entry.options
            ),
        )

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and save the hub options."""
        if user_input is not None:
            return self.async_create_entry(
                data={
                    **self.config_entry.options,
                    **{key: int(value) for key, value in user_input.items()},
                }
            )
        return self.async_show_form(
            step_id="settings",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA, self.config_entry.options
            ),
        )

    def _api(self) -> ApiState:
        return self.config_entry.runtime_data.api  # type: ignore[no-any-return]

    async def async_step_api_keys(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """List keys with their metadata; pick an action."""
        api = self._api()
        errors: dict[str, str] = {}
        keys = api.keys.listing()
        if user_input is not None:
            action = user_input["action"]
            if action == "create":
                return await self.async_step_create_key()
            key_id = user_input.get("key_id")
            if key_id not in api.keys.keys:
                errors["key_id"] = "key_required"
            else:
                if action == "delete":
                    api.keys.delete(key_id)
                    api.key_limiter.forget(key_id)
                else:
                    api.keys.set_enabled(key_id, action == "enable")
                api.schedule_save()
                return self.async_abort(reason="api_keys_updated")
        lines = [
            f"- **{k.name}** ({k.hint}) — {k.scope.value}, "
            f"{'active' if k.enabled else 'disabled'}, created "
            f"{k.created_at.strftime('%Y-%m-%d %H:%M')} UTC, used {k.usage_count} times"
            + (
                f", last {k.last_used_at.strftime('%Y-%m-%d %H:%M')} UTC"
                if k.last_used_at
                else ""
            )
            for k in keys
        ]
        actions = ["create"] + (["disable", "enable", "delete"] if keys else [])
        schema: dict[Any, Any] = {
            vol.Required("action", default="create"): _select(actions, "key_action")
        }
        if keys:
            schema[vol.Optional("key_id")] = selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=[
                        selector.SelectOptionDict(
                            value=k.id, label=f"{k.name} ({k.hint})"
                        )
                        for k in keys
                    ],
                    mode=selector.SelectSelectorMode.DROPDOWN,
                )
            )
        return self.async_show_form(
            step_id="api_keys",
            data_schema=vol.Schema(schema),
            errors=errors,
            description_placeholders={"keys": "\n".join(lines) or "No API keys yet."},
        )

    async def async_step_create_key(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name a new key and pick its scope."""
        errors: dict[str, str] = {}
        if user_input is not None:
            api = self._api()
            try:
                key, plaintext = api.keys.create(
                    user_input["name"],
                    Scope(user_input["scope"]),
                    dt_util.utcnow(),
                    int(user_input["rate_limit"]),
                )
            except ApiKeyError as err:
                errors["name" if "name" in err.key else "rate_limit"] = err.key
            else:
                api.schedule_save()
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
    ) -> ConfigFlowResult:
        """Show the new key once."""
        if user_input is not None:
            return self.async_abort(reason="api_keys_updated")
        name, plaintext = self._new_key
        return self.async_show_form(
            step_id="key_created",
            data_schema=vol.Schema({}),
            description_placeholders={"name": name, "key": plaintext},
        )


RELAY_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_RELAY_ENABLED, default=False): BOOLEAN,
        vol.Required(CONF_RELAY_PIN, default=17): _number(0, 27),
        vol.Required(CONF_RELAY_ACTIVE_LOW, default=False): BOOLEAN,
        vol.Required(
            CONF_RELAY_MODE, default=RelayMode.FOLLOW_UNACKNOWLEDGED.value
        ): _select([mode.value for mode in RelayMode], "relay_mode"),
        vol.Required(CONF_RELAY_PATTERN, default=RelayPattern.STEADY.value): _select(
            [pattern.value for pattern in RelayPattern], "relay_pattern"
        ),
        vol.Required(CONF_RELAY_ON_SECONDS, default=1.0): _number(
            0.1, 60, "s", step=0.1
        ),
        vol.Required(CONF_RELAY_OFF_SECONDS, default=1.0): _number(
            0.1, 60, "s", step=0.1
        ),
    }
)

CREATE_KEY_SCHEMA = vol.Schema(
    {
        vol.Required("name"): TEXT,
        vol.Required("scope", default=Scope.READ.value): _select(
            [scope.value for scope in Scope], "scope"
        ),
        vol.Required("rate_limit", default=DEFAULT_RATE_LIMIT): _number(
            1, MAX_RATE_LIMIT
        ),
    }
)


def _clean(kind: TargetKind, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Turn form input into subentry data: whole numbers, trimmed text, tags."""
    data: dict[str, Any] = {CONF_KIND: kind.value}
    for key, raw in user_input.items():
        value = raw.strip() if isinstance(raw, str) else raw
        if value == "" and key != CONF_NAME:
            continue  # an emptied optional field means "not set"
        if key in INTEGER_FIELDS and isinstance(value, float) and value.is_integer():
            value = int(value)
        data[key] = value
    if CONF_TAGS in data:
        data[CONF_TAGS] = list(normalize_tags(data[CONF_TAGS]))
    return data


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
        if user_input is not None:
            data = _clean(kind, user_input)
            if kind is TargetKind.HEARTBEAT:
                data["token"] = (current or {}).get("token") or new_token()
            errors = validate_target(data, target_id=target_id, existing=existing)
            if not errors:
                if current is not None:
                    return self.async_update_and_abort(
                        self._get_entry(),
                        self._get_reconfigure_subentry(),
                        title=data[CONF_NAME],
                        data=data,
                    )
                return self.async_create_entry(title=data[CONF_NAME], data=data)
        schema = self._schema(kind, existing, target_id)
        suggested: Mapping[str, Any] = user_input or current or {}
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
            description_placeholders={"kind": kind.value},
        )

    @staticmethod
    def _schema(
        kind: TargetKind, existing: Mapping[str, Target], target_id: str | None
    ) -> vol.Schema:
        fields: dict[Any, Any] = {vol.Required(CONF_NAME): TEXT}
        for key, default, field_selector, required in KIND_FIELDS[kind]:
            marker = vol.Required if required else vol.Optional
            fields[marker(key, default=default)] = field_selector
        if kind in POLLED_KINDS:
            fields[vol.Required(CONF_INTERVAL, default=DEFAULT_INTERVAL)] = _number(
                MIN_INTERVAL, MAX_INTERVAL, "s"
            )
            fields[vol.Required(CONF_TIMEOUT, default=DEFAULT_TIMEOUT)] = _number(
                0.5, 300, "s", step=0.5
            )
        fields[
            vol.Required(
                CONF_FAILURE_THRESHOLD, default=default_failure_threshold(kind)
            )
        ] = _number(1, MAX_THRESHOLD)
        fields[
            vol.Required(CONF_SUCCESS_THRESHOLD, default=DEFAULT_SUCCESS_THRESHOLD)
        ] = _number(1, MAX_THRESHOLD)
        others = [
            selector.SelectOptionDict(value=tid, label=t.name)
            for tid, t in sorted(existing.items(), key=lambda kv: kv[1].name)
            if tid != target_id
        ]
        if others:
            fields[vol.Optional(CONF_DEPENDS_ON)] = selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=others, mode=selector.SelectSelectorMode.DROPDOWN
                )
            )
        tags = sorted({tag for t in existing.values() for tag in t.tags})
        fields[vol.Optional(CONF_TAGS)] = selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=tags, multiple=True, custom_value=True
            )
        )
        fields[vol.Required(CONF_ENABLED, default=True)] = BOOLEAN
        return vol.Schema(fields)
