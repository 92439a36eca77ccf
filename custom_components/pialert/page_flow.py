"""Status page subentry flow: add or change a public (or private) status page."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.helpers import selector
import probatio as vol

from .const import SUBENTRY_TYPE_TARGET
from .engine.config import target_from_data
from .engine.fields import Field
from .engine.status_pages import (
    CONF_GROUPS,
    CONF_INCIDENTS,
    GROUP_NAME,
    GROUP_TAGS,
    GROUP_TARGETS,
    PAGE_FIELDS,
    PageInputError,
    check_page,
    page_from_data,
)
from .form_numbers import TEXT, number_errors, whole_numbers
from .published_pages import configured_pages
from .target_form import field_selector

FORM_GROUPS: Final = 3
"""Group slots the form offers."""


def _marker(field: Field) -> vol.Marker:
    if field.spec.default is None:
        return vol.Required(field.name)
    return vol.Required(field.name, default=field.spec.default)


def _group_fields(index: int) -> tuple[str, str, str]:
    return (f"group_{index}_name", f"group_{index}_targets", f"group_{index}_tags")


def page_schema(targets: dict[str, str], tags: list[str]) -> vol.Schema:
    """Return the page form: settings, then the group slots."""
    target_box = selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=[
                selector.SelectOptionDict(value=tid, label=name)
                for tid, name in sorted(targets.items(), key=lambda i: i[1].casefold())
            ],
            multiple=True,
        )
    )
    tag_box = selector.SelectSelector(
        selector.SelectSelectorConfig(options=tags, multiple=True, custom_value=True)
    )
    fields: dict[Any, Any] = {
        _marker(field): field_selector(field) for field in PAGE_FIELDS
    }
    for index in range(1, FORM_GROUPS + 1):
        name, picked, tagged = _group_fields(index)
        fields[vol.Optional(name)] = TEXT
        fields[vol.Optional(picked)] = target_box
        fields[vol.Optional(tagged)] = tag_box
    return vol.Schema(fields)


def form_to_data(user_input: dict[str, Any]) -> dict[str, Any]:
    """Return a page's settings from the form; ``check_page`` cleans them."""
    data = {
        key: value for key, value in user_input.items() if not key.startswith("group_")
    }
    groups = []
    for index in range(1, FORM_GROUPS + 1):
        name, picked, tagged = _group_fields(index)
        groups.append(
            {
                # An empty heading takes the slot's default name.
                GROUP_NAME: str(user_input.get(name) or "").strip() or None,
                GROUP_TARGETS: list(user_input.get(picked) or []),
                GROUP_TAGS: list(user_input.get(tagged) or []),
            }
        )
    data[CONF_GROUPS] = groups
    return data


def data_to_form(data: dict[str, Any]) -> dict[str, Any]:
    """Return the form's values of a saved page."""
    values = {k: v for k, v in data.items() if k not in (CONF_GROUPS, CONF_INCIDENTS)}
    for index, group in enumerate(data.get(CONF_GROUPS) or [], start=1):
        if index > FORM_GROUPS:
            break
        name, picked, tagged = _group_fields(index)
        values[name] = group.get(GROUP_NAME, "")
        values[picked] = list(group.get(GROUP_TARGETS) or [])
        values[tagged] = list(group.get(GROUP_TAGS) or [])
    return values


class StatusPageSubentryFlow(ConfigSubentryFlow):
    """Add or change a status page."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a status page."""
        return await self._async_page_step("user", user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a status page (its incident messages are kept)."""
        return await self._async_page_step("reconfigure", user_input)

    async def _async_page_step(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> SubentryFlowResult:
        entry = self._get_entry()
        targets = {
            sid: target_from_data(sid, sub.data)
            for sid, sub in entry.subentries.items()
            if sub.subentry_type == SUBENTRY_TYPE_TARGET
        }
        tags = sorted({tag for target in targets.values() for tag in target.tags})
        schema = page_schema({t.id: t.name for t in targets.values()}, tags)
        current = (
            dict(self._get_reconfigure_subentry().data)
            if step_id == "reconfigure"
            else None
        )
        page_id = self._reconfigure_subentry_id if current is not None else None
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = number_errors(schema, user_input)
            try:
                data = check_page(
                    form_to_data(whole_numbers(schema, user_input)),
                    page_id=page_id,
                    existing=configured_pages(entry),
                    target_ids=targets,
                )
            except PageInputError as err:
                errors = err.errors | errors
            # The groups are several boxes: their errors go under the form.
            if CONF_GROUPS in errors:
                errors["base"] = errors.pop(CONF_GROUPS)
            if not errors:
                return self._async_save(data, current)
        suggested = user_input or data_to_form(current or {})
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
        )

    def _async_save(
        self, data: dict[str, Any], current: dict[str, Any] | None
    ) -> SubentryFlowResult:
        title = page_from_data("", data).title
        if current is None:
            return self.async_create_entry(title=title, data=data)
        data[CONF_INCIDENTS] = current.get(CONF_INCIDENTS, [])
        return self.async_update_and_abort(
            self._get_entry(),
            self._get_reconfigure_subentry(),
            title=title,
            data=data,
        )
