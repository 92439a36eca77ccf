"""The notification rule subentry flow: what, when and where, in three steps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.data_entry_flow import section
from homeassistant.helpers import selector
import probatio as vol

from .const import SUBENTRY_TYPE_TARGET
from .engine.fields import FieldType
from .engine.notify.rule_fields import RULE_FIELDS, RULE_SPECS, STEP_FIELDS, STEP_SPECS
from .engine.notify.rules import MAX_STEPS, parse_rule
from .form_numbers import BOOLEAN, TEXT, FormNumber, select_box

STEP_SECTIONS: Final = tuple(f"step_{n}" for n in range(1, MAX_STEPS + 1))
# The boxes' bounds, choices and error keys are the rule's field table's
# (engine/notify/rule_fields.py), which the API and OpenAPI document read too.
STEP_KEYS: Final = tuple(f.name for f in STEP_FIELDS if f.name != "after_minutes")
TOP_NUMBERS: Final = tuple(
    f.name for f in RULE_FIELDS if f.spec.type is FieldType.INTEGER
)
TEMPLATE = selector.TemplateSelector()
URL_LIST = selector.TextSelector(
    selector.TextSelectorConfig(type=selector.TextSelectorType.URL, multiple=True)
)


def _multi(options: list[str], key: str | None = None, custom: bool = False) -> Any:
    config = selector.SelectSelectorConfig(
        options=options, multiple=True, custom_value=custom
    )
    if key is not None:
        config["translation_key"] = key
    return selector.SelectSelector(config)


def _picked(options: list[selector.SelectOptionDict]) -> Any:
    return selector.SelectSelector(
        selector.SelectSelectorConfig(options=options, multiple=True)
    )


def _number(name: str, minimum: float | None = None) -> FormNumber:
    spec = RULE_SPECS.get(name) or STEP_SPECS[name]
    low = spec.minimum if minimum is None else minimum
    return FormNumber(
        low or 0, spec.maximum or 0, spec.error or f"invalid_{name}", unit=spec.unit
    )


def _choices(name: str) -> list[str]:
    return [str(choice) for choice in RULE_SPECS[name].choices]


def _step_schema(index: int, services: list[str]) -> vol.Schema:
    fields: dict[Any, Any] = {}
    if index:
        # Later steps wait at least a minute (the first step is the alert).
        fields[vol.Optional("after_minutes", default=10 * index)] = _number(
            "after_minutes", 1
        )
    fields |= {
        vol.Optional("notify_entities"): selector.EntitySelector(
            selector.EntitySelectorConfig(domain="notify", multiple=True)
        ),
        vol.Optional("notify_services"): _multi(services, custom=True),
        vol.Optional("persistent", default=False): BOOLEAN,
        vol.Optional("relay", default=False): BOOLEAN,
        vol.Optional("webhook_url"): selector.TextSelector(
            selector.TextSelectorConfig(type=selector.TextSelectorType.URL)
        ),
        vol.Optional("webhook_secret"): selector.TextSelector(
            selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
        ),
        vol.Optional("alertmanager_urls"): URL_LIST,
    }
    return vol.Schema(fields)


def form_to_data(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Turn the form's sections into the rule's saved data (a list of steps)."""
    data: dict[str, Any] = {
        k: v for k, v in user_input.items() if k not in STEP_SECTIONS and v != ""
    }
    for key in TOP_NUMBERS:
        if isinstance(data.get(key), float) and data[key].is_integer():
            data[key] = int(data[key])
    steps: list[dict[str, Any]] = []
    for index, name in enumerate(STEP_SECTIONS):
        raw = dict(user_input.get(name) or {})
        step = {k: v for k, v in raw.items() if v not in ("", None, [])}
        if index and not any(step.get(k) for k in STEP_KEYS):
            continue  # a later step left empty is no step
        after = step.pop("after_minutes", 0) if index else 0
        step["after_minutes"] = int(after) if isinstance(after, float) else after
        steps.append(step)
    data["steps"] = steps
    return data


def data_to_form(data: Mapping[str, Any]) -> dict[str, Any]:
    """Show saved data in the form's sections."""
    form = {k: v for k, v in data.items() if k != "steps"}
    for name, step in zip(STEP_SECTIONS, data.get("steps") or [], strict=False):
        form[name] = dict(step)
    return form


class NotificationRuleFlow(ConfigSubentryFlow):
    """Add or change a notification rule."""

    def _schema(self) -> vol.Schema:
        entry = self._get_entry()
        targets = sorted(
            (
                s
                for s in entry.subentries.values()
                if s.subentry_type == SUBENTRY_TYPE_TARGET
            ),
            key=lambda s: s.title.casefold(),
        )
        tags = sorted({str(t) for s in targets for t in s.data.get("tags") or []})
        services = sorted(
            f"notify.{name}"
            for name in self.hass.services.async_services_for_domain("notify")
            if name not in ("send_message", "persistent_notification")
        )
        fields: dict[Any, Any] = {
            vol.Required("name"): TEXT,
            vol.Required("scope", default=RULE_SPECS["scope"].default): select_box(
                _choices("scope"), "rule_scope"
            ),
            vol.Optional("tags"): _multi(tags, custom=True),
            vol.Optional("target_ids"): _picked(
                [
                    selector.SelectOptionDict(value=s.subentry_id, label=s.title)
                    for s in targets
                ]
            ),
            vol.Optional("severities"): _multi(_choices("severities"), "severity"),
            vol.Required("when", default=list(RULE_SPECS["when"].default)): _multi(
                _choices("when"), "rule_when"
            ),
        }
        for name in TOP_NUMBERS:
            fields[vol.Required(name, default=RULE_SPECS[name].default)] = _number(name)
        for index, name in enumerate(STEP_SECTIONS):
            fields[vol.Required(name)] = section(
                _step_schema(index, services), {"collapsed": index > 0}
            )
        fields |= {
            vol.Optional("title_template"): TEMPLATE,
            vol.Optional("message_template"): TEMPLATE,
            vol.Optional("site"): TEXT,
        }
        return vol.Schema(fields)

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a rule."""
        return await self._async_form("user", user_input, None)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a rule."""
        return await self._async_form(
            "reconfigure", user_input, self._get_reconfigure_subentry().data
        )

    async def _async_form(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        current: Mapping[str, Any] | None,
    ) -> SubentryFlowResult:
        errors: dict[str, str] = {}
        schema = self._schema()
        if user_input is not None:
            data = form_to_data(user_input)
            rule, problems = parse_rule("new", data)
            errors = {
                key if key in schema.schema or key in TOP_NUMBERS else "base": error
                for key, error in problems.items()
            }
            if rule is not None:
                if current is None:
                    return self.async_create_entry(title=rule.name, data=data)
                return self.async_update_and_abort(
                    self._get_entry(),
                    self._get_reconfigure_subentry(),
                    title=rule.name,
                    data=data,
                )
        suggested = user_input or data_to_form(current or {})
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
        )
