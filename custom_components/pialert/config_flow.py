"""Config flow for PiAlert: one hub, targets as subentries, hub options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

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
from homeassistant.helpers.typing import UNDEFINED
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
from .form_numbers import FormNumber, number_errors, whole_numbers
from .key_table import key_rows
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
from .target_checks import hass_target_errors
from .urls import heartbeat_ping_url

if TYPE_CHECKING:
    from . import PiAlertConfigEntry


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


def _choices(words: tuple[str, ...]) -> list[str]:
    """Select options for protocol words ("GET", "AAAA").

    Option values double as translation keys, which must be lowercase; targets,
    the API and the engine keep the protocol's spelling (see _clean).
    """
    return [word.lower() for word in words]


# Fields whose select options are the lowercase form of what is saved.
UPPERCASE_CHOICES = frozenset({"method", "record_type"})

TEXT = selector.TextSelector()
URL = selector.TextSelector(
    selector.TextSelectorConfig(type=selector.TextSelectorType.URL)
)
BOOLEAN = selector.BooleanSelector()

# Kind-specific fields: (key, default or vol.UNDEFINED, selector, required).
KIND_FIELDS: dict[TargetKind, list[tuple[str, Any, selector.Selector[Any], bool]]] = {
    TargetKind.HTTP: [
        ("url", vol.UNDEFINED, URL, True),
        ("method", "get", _select(_choices(http.METHODS), "method"), True),
        ("accepted_status", "200-299", TEXT, True),
        ("keyword", vol.UNDEFINED, TEXT, False),
        ("keyword_absent", False, BOOLEAN, True),
        ("verify_ssl", True, BOOLEAN, True),
        (
            "cert_expiry_days",
            vol.UNDEFINED,
            FormNumber(1, 365, "invalid_cert_expiry_days", unit="d"),
            False,
        ),
    ],
    TargetKind.TCP: [
        ("host", vol.UNDEFINED, TEXT, True),
        # Optional in the schema so the box starts empty (the frontend fills a
        # required number with its minimum); the TCP validator requires it.
        ("port", vol.UNDEFINED, FormNumber(1, 65535, "invalid_port"), False),
    ],
    TargetKind.PING: [
        ("host", vol.UNDEFINED, TEXT, True),
        ("count", 3, FormNumber(1, 10, "invalid_count"), True),
    ],
    TargetKind.DNS: [
        ("hostname", vol.UNDEFINED, TEXT, True),
        (
            "record_type",
            "a",
            _select(_choices(dns.RECORD_TYPES), "record_type"),
            True,
        ),
        ("expected", vol.UNDEFINED, TEXT, False),
        ("resolver", vol.UNDEFINED, TEXT, False),
    ],
    TargetKind.HEARTBEAT: [
        ("period", 3600, FormNumber(10, 31 * 86400, "invalid_period", unit="s"), True),
        ("grace", 300, FormNumber(0, 7 * 86400, "invalid_grace", unit="s"), True),
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
        (
            "for_seconds",
            0,
            FormNumber(0, 7 * 86400, "invalid_duration", unit="s"),
            True,
        ),
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
        return self._async_numbers_form("relay", RELAY_SCHEMA, user_input)

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

    def _api(self) -> ApiState:
        return self.config_entry.runtime_data.api  # type: ignore[no-any-return]

    async def async_step_api_keys(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """List keys with their metadata; create one or manage one."""
        keys = self._api().keys.listing()
        return self.async_show_menu(
            step_id="api_keys",
            menu_options=["create_key", "manage_key"] if keys else ["create_key"],
            description_placeholders={"keys": key_rows(keys)},
        )

    async def async_step_manage_key(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Disable, enable or delete a key."""
        api = self._api()
        errors: dict[str, str] = {}
        if user_input is not None:
            key_id = user_input.get("key_id")
            if key_id not in api.keys.keys:
                errors["key_id"] = "key_required"
            else:
                action = user_input["action"]
                if action == "delete":
                    api.keys.delete(key_id)
                    api.key_limiter.forget(key_id)
                else:
                    api.keys.set_enabled(key_id, action == "enable")
                api.schedule_save()
                return self.async_abort(reason="api_keys_updated")
        schema = vol.Schema(
            {
                vol.Required("key_id"): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[
                            selector.SelectOptionDict(
                                value=k.id, label=f"{k.name} ({k.hint})"
                            )
                            for k in api.keys.listing()
                        ],
                        mode=selector.SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Required("action", default="disable"): _select(
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
    ) -> ConfigFlowResult:
        """Name a new key and pick its scope."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = number_errors(CREATE_KEY_SCHEMA, user_input)
        if user_input is not None and not errors:
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
        """Show the new key once, in a read-only field that is easy to copy."""
        if user_input is not None:
            return self.async_abort(reason="api_keys_updated")
        name, plaintext = self._new_key
        return self.async_show_form(
            step_id="key_created",
            data_schema=self.add_suggested_values_to_schema(
                KEY_CREATED_SCHEMA, {"api_key": plaintext}
            ),
            description_placeholders={"name": name},
        )


KEY_CREATED_SCHEMA = vol.Schema(
    {
        vol.Optional("api_key"): selector.TextSelector(
            selector.TextSelectorConfig(read_only=True)
        )
    }
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
        ): _select([mode.value for mode in RelayMode], "relay_mode"),
        vol.Required(CONF_RELAY_PATTERN, default=RelayPattern.STEADY.value): _select(
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

CREATE_KEY_SCHEMA = vol.Schema(
    {
        vol.Required("name"): TEXT,
        vol.Required("scope", default=Scope.READ.value): _select(
            [scope.value for scope in Scope], "scope"
        ),
        vol.Required("rate_limit", default=DEFAULT_RATE_LIMIT): FormNumber(
            1, MAX_RATE_LIMIT, "invalid_rate_limit"
        ),
    }
)


def _form_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Show saved data in the form: protocol words as their lowercase options."""
    return {
        key: value.lower()
        if key in UPPERCASE_CHOICES and isinstance(value, str)
        else value
        for key, value in data.items()
    }


def _clean(kind: TargetKind, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Turn form input into subentry data: whole numbers, trimmed text, tags."""
    data: dict[str, Any] = {CONF_KIND: kind.value}
    for key, raw in user_input.items():
        value = raw.strip() if isinstance(raw, str) else raw
        if value == "" and key != CONF_NAME:
            continue  # an emptied optional field means "not set"
        if key in INTEGER_FIELDS and isinstance(value, float) and value.is_integer():
            value = int(value)
        if key in UPPERCASE_CHOICES and isinstance(value, str):
            value = value.upper()
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
        schema = self._schema(kind, existing, target_id)
        if user_input is not None:
            data = _clean(kind, user_input)
            if kind is TargetKind.HEARTBEAT:
                data["token"] = (current or {}).get("token") or new_token()
            errors = validate_target(data, target_id=target_id, existing=existing)
            errors = hass_target_errors(self.hass, data) | errors
            # The form's ranges (shown in the boxes) have the last word.
            errors |= number_errors(schema, user_input)
            if not errors:
                return self._async_finish(kind, data, current)
        suggested: Mapping[str, Any] = user_input or _form_values(current or {})
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

    @staticmethod
    def _schema(
        kind: TargetKind, existing: Mapping[str, Target], target_id: str | None
    ) -> vol.Schema:
        fields: dict[Any, Any] = {vol.Required(CONF_NAME): TEXT}
        for key, default, field_selector, required in KIND_FIELDS[kind]:
            marker = vol.Required if required else vol.Optional
            fields[marker(key, default=default)] = field_selector
        if kind in POLLED_KINDS:
            fields[vol.Required(CONF_INTERVAL, default=DEFAULT_INTERVAL)] = FormNumber(
                MIN_INTERVAL, MAX_INTERVAL, "invalid_interval", unit="s"
            )
            fields[vol.Required(CONF_TIMEOUT, default=DEFAULT_TIMEOUT)] = FormNumber(
                0.5, 300, "invalid_timeout", unit="s", step=0.5
            )
        fields[
            vol.Required(
                CONF_FAILURE_THRESHOLD, default=default_failure_threshold(kind)
            )
        ] = FormNumber(1, MAX_THRESHOLD, "invalid_threshold")
        fields[
            vol.Required(CONF_SUCCESS_THRESHOLD, default=DEFAULT_SUCCESS_THRESHOLD)
        ] = FormNumber(1, MAX_THRESHOLD, "invalid_threshold")
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
