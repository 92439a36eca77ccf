"""The hub options' "Maintenance windows" pages: add, change and delete.

The form's fields are the REST API's (``WINDOW_FIELDS``): what is entered is
read into a request by the API's own reader, and the engine's rules refuse
it with the same keys the actions translate, shown here as form errors.
Windows are saved by the hub (not in the options), through the command door.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
import re
from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult, OptionsFlow
from homeassistant.helpers import selector
from homeassistant.util import dt as dt_util
import probatio as vol

from .api.base import ApiError
from .api.maintenance import WINDOW_FIELDS, window_json, window_request
from .commands import HubCommands
from .engine.errors import RefusedError
from .engine.maintenance import DAYS
from .form_numbers import BOOLEAN
from .helpers import async_user_name

if TYPE_CHECKING:
    from .coordinator import PiAlertData

WINDOW_ID: Final = "window_id"
# The engine's refusals, shown under the field they are about (else the form's).
REFUSAL_FIELDS: Final = {
    "invalid_window_name": "name",
    "invalid_days": "days",
    "weekly_needs_days_and_times": "days",
    "window_empty_range": "end_time",
    "invalid_cron": "cron",
    "invalid_window_duration": "duration_seconds",
    "invalid_time_zone": "time_zone",
    "unknown_target": "target_ids",
    "unknown_tag": "tags",
    "all_with_targets": "all",
    "window_until_past": "until",
    "window_needs_schedule": "base",
    "silence_needs_scope": "base",
    "too_many_windows": "base",
    "unknown_maintenance_window": "base",
}
_INVALID_FIELD = re.compile(r"Invalid field '(?P<field>\w+)'")


def _text() -> selector.Selector[Any]:
    return selector.TextSelector()


def _time() -> selector.Selector[Any]:
    return selector.TimeSelector()


def _multiple(options: list[selector.SelectOptionDict]) -> selector.Selector[Any]:
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=options, multiple=True, custom_value=True, sort=True
        )
    )


# One box per field of the API's window body; a test checks they match.
_BOXES: Final[dict[str, Callable[[PiAlertData], selector.Selector[Any]]]] = {
    "name": lambda _: _text(),
    "days": lambda _: selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=list(DAYS), multiple=True, translation_key="weekday"
        )
    ),
    "start_time": lambda _: _time(),
    "end_time": lambda _: _time(),
    "cron": lambda _: _text(),
    "duration_seconds": lambda _: selector.DurationSelector(),
    "time_zone": lambda _: _text(),
    "target_ids": lambda data: _multiple(
        [
            selector.SelectOptionDict(value=target.id, label=target.name)
            for target in data.coordinator.monitor.targets.values()
        ]
    ),
    "tags": lambda data: _multiple(
        [
            selector.SelectOptionDict(value=tag, label=tag)
            for tag in sorted(
                {t for x in data.coordinator.monitor.targets.values() for t in x.tags}
            )
        ]
    ),
    "all": lambda _: BOOLEAN,
    "until": lambda _: selector.DateTimeSelector(),
}


def window_schema(data: PiAlertData) -> vol.Schema:
    """Return the window form: the API's fields, in the order a person fills them."""
    return vol.Schema(
        {
            (vol.Required if name == "name" else vol.Optional)(name): box(data)
            for name, box in _BOXES.items()
        }
    )


def form_body(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return what the form holds as the API's creation body."""
    return {
        name: _body_value(name, value)
        for name, value in user_input.items()
        if value not in (None, "", [], {})
    }


def _body_value(name: str, value: Any) -> Any:
    if name == "duration_seconds":
        return timedelta(**value).total_seconds()
    if name == "until":  # the date box gives local time without an offset
        moment = dt_util.parse_datetime(str(value))
        if moment is None:
            return str(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt_util.get_default_time_zone())
        return moment.isoformat()
    return value


def form_values(body: Mapping[str, Any]) -> dict[str, Any]:
    """Return a window as the API shows it, as the form's suggested values."""
    values = {name: body[name] for name in WINDOW_FIELDS if body.get(name)}
    if body.get("days"):  # weekly: its cron and duration follow from days and times
        values.pop("cron", None)
        values.pop("duration_seconds", None)
    elif seconds := body.get("duration_seconds"):
        minutes, second = divmod(int(seconds), 60)
        values["duration_seconds"] = {
            "hours": minutes // 60,
            "minutes": minutes % 60,
            "seconds": second,
        }
    if until := body.get("until"):
        moment = dt_util.parse_datetime(until)
        if moment is not None:
            values["until"] = dt_util.as_local(moment).strftime("%Y-%m-%d %H:%M:%S")
    return values


class MaintenanceOptionsFlow(OptionsFlow):
    """Option pages for the hub's recurring maintenance windows."""

    _window_id: str | None = None

    def _hub(self) -> PiAlertData | None:
        entry = self.config_entry
        return entry.runtime_data if entry.state is ConfigEntryState.LOADED else None

    def _done(self) -> ConfigFlowResult:
        # Windows are saved by the hub at once; the options stay as they were,
        # so finishing does not reload the hub.
        return self.async_create_entry(data=dict(self.config_entry.options))

    async def async_step_maintenance(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """List the windows; add, change or delete one."""
        data = self._hub()
        if data is None:
            return self.async_abort(reason="not_loaded")
        coordinator = data.coordinator
        now, windows = coordinator.now(), coordinator.monitor.maintenance.windows
        rows = [
            window_json(w, coordinator.monitor.targets, now) for w in windows.values()
        ]
        table = "\n".join(
            f"| {w['name']} | {_schedule(w)} | {w['state']} | {_local(w['next_starts_at'])} |"
            for w in sorted(rows, key=lambda w: w["name"].casefold())
        )
        options = ["maintenance_add"]
        if windows:
            options += ["maintenance_choose", "maintenance_remove"]
        return self.async_show_menu(
            step_id="maintenance",
            menu_options=options,
            description_placeholders={"windows": table or "| - | - | - | - |"},
        )

    async def async_step_maintenance_add(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Describe a new window."""
        return await self._async_window_form("maintenance_add", user_input)

    async def async_step_maintenance_choose(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the window to change."""
        if user_input is not None:
            self._window_id = user_input[WINDOW_ID]
            return await self.async_step_maintenance_edit()
        return self._pick_window("maintenance_choose")

    async def async_step_maintenance_edit(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the picked window."""
        return await self._async_window_form("maintenance_edit", user_input)

    async def async_step_maintenance_remove(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick a window and delete it."""
        data = self._hub()
        if data is None:
            return self.async_abort(reason="not_loaded")
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                HubCommands.of(data).remove_maintenance_window(user_input[WINDOW_ID])
            except RefusedError as err:
                errors[WINDOW_ID] = err.key
            else:
                return self._done()
        return self._pick_window("maintenance_remove", errors)

    def _pick_window(
        self, step_id: str, errors: dict[str, str] | None = None
    ) -> ConfigFlowResult:
        data = self._hub()
        if data is None:
            return self.async_abort(reason="not_loaded")
        windows = data.coordinator.monitor.maintenance.windows.values()
        box = selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=[
                    selector.SelectOptionDict(value=w.id, label=w.name)
                    for w in sorted(windows, key=lambda w: w.name.casefold())
                ],
                mode=selector.SelectSelectorMode.DROPDOWN,
            )
        )
        return self.async_show_form(
            step_id=step_id,
            data_schema=vol.Schema({vol.Required(WINDOW_ID): box}),
            errors=errors or {},
        )

    async def _async_window_form(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        data = self._hub()
        if data is None:
            return self.async_abort(reason="not_loaded")
        coordinator = data.coordinator
        window = coordinator.monitor.maintenance.windows.get(self._window_id or "")
        if step_id == "maintenance_edit" and window is None:
            return self.async_abort(reason="unknown_maintenance_window")
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            commands = HubCommands.of(data)
            try:
                request = window_request(
                    form_body(user_input), str(self.hass.config.time_zone)
                )
                if window is None:
                    by = await async_user_name(self.hass, None)
                    commands.add_maintenance_window(request, by)
                else:
                    commands.change_maintenance_window(window.id, request)
            except RefusedError as err:
                errors[REFUSAL_FIELDS.get(err.key, "base")] = err.key
                placeholders = dict(err.placeholders)
            except ApiError as err:
                found = _INVALID_FIELD.match(err.detail)
                field = found["field"] if found else "base"
                errors[field if field in WINDOW_FIELDS else "base"] = (
                    "invalid_window_value"
                )
            else:
                return self._done()
        if user_input is None and window is not None:
            suggested = form_values(
                window_json(window, coordinator.monitor.targets, coordinator.now())
            )
        else:
            suggested = user_input or {"time_zone": str(self.hass.config.time_zone)}
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                window_schema(data), suggested
            ),
            errors=errors,
            description_placeholders={
                "zone": "",
                "cron": "",
                "days": "",
                "target": "",
                "tag": "",
                "limit": "",
                "window": "",
                **placeholders,
            },
        )


def _schedule(window: Mapping[str, Any]) -> str:
    if window["days"]:
        days = ", ".join(window["days"])
        return f"{days} {window['start_time']}-{window['end_time']} ({window['time_zone']})"
    minutes = int(window["duration_seconds"]) // 60
    return f"`{window['cron']}` for {minutes} min ({window['time_zone']})"


def _local(moment: str | None) -> str:
    parsed = dt_util.parse_datetime(moment) if moment else None
    return (
        "-"
        if parsed is None
        else dt_util.as_local(parsed).strftime("%a %Y-%m-%d %H:%M")
    )
