"""Maintenance windows in the hub's options: add, change, delete, bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.api.base import API_PREFIX
from custom_components.pialert.api.keys import Scope
from custom_components.pialert.api.maintenance import WINDOW_FIELDS
from custom_components.pialert.const import STORAGE_KEY
from custom_components.pialert.maintenance_flow import REFUSAL_FIELDS, window_schema

from .platform_helpers import CPU_ID

TRANSLATIONS = json.loads(
    (
        Path(__file__).parents[1] / "custom_components/pialert/translations/en.json"
    ).read_text(encoding="utf-8")
)
# The hub's clock starts Thursday 2026-01-01 12:00 UTC; Friday 03:00 in
# Berlin (CET) is 02:00 UTC.
FRIDAY_3AM_BERLIN = datetime(2026, 1, 2, 2, 0, tzinfo=UTC)
NAS_REBOOT = {
    "name": "NAS reboot",
    "days": ["fri"],
    "start_time": "03:00:00",
    "end_time": "03:30:00",
    "time_zone": "Europe/Berlin",
    "target_ids": [CPU_ID],
}


async def _open(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> str:
    """Open the options at the maintenance menu's ``step``; return the flow id."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert "maintenance" in result["menu_options"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "maintenance"}
    )
    assert result["type"] is FlowResultType.MENU
    assert step in result["menu_options"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    return str(result["flow_id"])


async def _submit(hass: HomeAssistant, flow_id: str, data: dict[str, Any]) -> Any:
    return await hass.config_entries.options.async_configure(flow_id, data)


@pytest.fixture
async def api(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> Any:
    """Return a function calling the REST API with a read key."""
    client = await hass_client_no_auth()
    now = init_integration.runtime_data.coordinator.now()
    _, key = init_integration.runtime_data.api.keys.create(
        "Reader", Scope.READ, now, rate_limit=100_000
    )

    async def _get(path: str) -> Any:
        url = path if path.startswith("/api/") else API_PREFIX + path
        response = await client.get(url, headers={"x-api-key": key})
        assert response.status == 200
        return await response.json()

    return _get


async def _cpu_alerts(hass: HomeAssistant, entry: MockConfigEntry, api: Any) -> bool:
    """Return whether the CPU target is in the alert status (others may be)."""
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    status = await api("/api/v1/alert-status")
    return "CPU" in [t["name"] for t in status["failing_targets"]]


def test_form_offers_the_api_fields(init_integration: MockConfigEntry) -> None:
    """The form is the API's window body: no field more, none less."""
    fields = {str(key) for key in window_schema(init_integration.runtime_data).schema}
    assert fields == WINDOW_FIELDS


async def test_add_change_and_delete_a_window(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    api: Any,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    entry = init_integration
    coordinator = entry.runtime_data.coordinator
    options = dict(entry.options)
    hass.states.async_set("sensor.cpu", "95")
    assert await _cpu_alerts(hass, entry, api)

    hass_storage.pop(STORAGE_KEY, None)
    result = await _submit(
        hass, await _open(hass, entry, "maintenance_add"), NAS_REBOOT
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Saved at once (not with the checks' debounce), and no reload.
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    (saved,) = hass_storage[STORAGE_KEY]["data"]["maintenance_windows"]
    assert saved["name"] == "NAS reboot"
    assert dict(entry.options) == options
    assert entry.runtime_data.coordinator is coordinator

    (window,) = (await api("/maintenance-windows"))["maintenance_windows"]
    assert window["days"] == ["fri"]
    assert (window["start_time"], window["end_time"]) == ("03:00", "03:30")
    assert window["target_ids"] == [CPU_ID]
    assert window["state"] == "pending"
    assert window["next_starts_at"] == FRIDAY_3AM_BERLIN.isoformat()
    assert window["created_by"] == "Home Assistant"

    # Active inside its range only.
    assert await _cpu_alerts(hass, entry, api)
    freezer.move_to(FRIDAY_3AM_BERLIN - timedelta(seconds=1))
    assert await _cpu_alerts(hass, entry, api)
    freezer.move_to(FRIDAY_3AM_BERLIN + timedelta(minutes=10))
    assert not await _cpu_alerts(hass, entry, api)
    freezer.move_to(FRIDAY_3AM_BERLIN + timedelta(minutes=30))
    assert await _cpu_alerts(hass, entry, api)

    # Change it: the form shows the window as it is; the id stays.
    flow_id = await _open(hass, entry, "maintenance_choose")
    result = await _submit(hass, flow_id, {"window_id": window["id"]})
    assert result["step_id"] == "maintenance_edit"
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description
    }
    assert suggested == {
        "name": "NAS reboot",
        "days": ["fri"],
        "start_time": "03:00",
        "end_time": "03:30",
        "time_zone": "Europe/Berlin",
        "target_ids": [CPU_ID],
    }
    result = await _submit(hass, flow_id, {**NAS_REBOOT, "end_time": "04:00:00"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    (changed,) = (await api("/maintenance-windows"))["maintenance_windows"]
    assert (changed["id"], changed["end_time"]) == (window["id"], "04:00")
    freezer.move_to(FRIDAY_3AM_BERLIN + timedelta(days=7, minutes=45))
    assert not await _cpu_alerts(hass, entry, api)

    # Delete it: the target alerts again at once.
    flow_id = await _open(hass, entry, "maintenance_remove")
    result = await _submit(hass, flow_id, {"window_id": window["id"]})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert (await api("/maintenance-windows"))["maintenance_windows"] == []
    assert await _cpu_alerts(hass, entry, api)


async def test_a_cron_window_through_the_form(
    hass: HomeAssistant, init_integration: MockConfigEntry, api: Any
) -> None:
    flow_id = await _open(hass, init_integration, "maintenance_add")
    result = await _submit(
        hass,
        flow_id,
        {
            "name": "Backups",
            "cron": "50 23 * * *",
            "duration_seconds": {"hours": 0, "minutes": 20, "seconds": 0},
            "all": True,
            "until": "2026-06-30 12:00:00",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    (window,) = (await api("/maintenance-windows"))["maintenance_windows"]
    assert (window["cron"], window["duration_seconds"]) == ("50 23 * * *", 1200)
    assert window["all"] is True
    # Without a zone, Home Assistant's; the date box's time is local.
    assert window["time_zone"] == hass.config.time_zone
    local_noon = datetime(2026, 6, 30, 12, tzinfo=dt_util.get_default_time_zone())
    assert datetime.fromisoformat(window["until"]) == local_noon


@pytest.mark.parametrize(
    ("changes", "errors", "placeholder"),
    [
        ({"end_time": "03:00:00"}, {"end_time": "window_empty_range"}, None),
        ({"days": []}, {"days": "weekly_needs_days_and_times"}, None),
        (
            {
                "cron": "every sunday",
                "duration_seconds": {"minutes": 10},
                "days": [],
                "start_time": None,
                "end_time": None,
            },
            {"cron": "invalid_cron"},
            ("cron", "every sunday"),
        ),
        (
            {"time_zone": "Mars/Olympus"},
            {"time_zone": "invalid_time_zone"},
            ("zone", "Mars/Olympus"),
        ),
        ({"cron": "0 3 * * *"}, {"base": "window_needs_schedule"}, None),
        ({"target_ids": [], "all": False}, {"base": "silence_needs_scope"}, None),
    ],
)
async def test_bad_input_gets_a_translated_form_error(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    changes: dict[str, Any],
    errors: dict[str, str],
    placeholder: tuple[str, str] | None,
) -> None:
    flow_id = await _open(hass, init_integration, "maintenance_add")
    data = {k: v for k, v in (NAS_REBOOT | changes).items() if v not in (None, [])}
    result = await _submit(hass, flow_id, data)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    (key,) = errors.values()
    text = TRANSLATIONS["options"]["error"][key]
    if placeholder is not None:
        name, value = placeholder
        assert f"{{{name}}}" in text
        assert result["description_placeholders"][name] == value
    assert init_integration.runtime_data.coordinator.monitor.maintenance.windows == {}
    # Corrected, the same form saves.
    result = await _submit(hass, flow_id, NAS_REBOOT)
    assert result["type"] is FlowResultType.CREATE_ENTRY


def test_form_errors_say_what_the_actions_say() -> None:
    """Each refusal the form shows reads as the action's translated error."""
    exceptions, form_errors = (
        TRANSLATIONS["exceptions"],
        TRANSLATIONS["options"]["error"],
    )
    for key in REFUSAL_FIELDS:
        assert form_errors[key] == exceptions[key]["message"], key


async def test_only_admins_open_the_options(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    hass_read_only_access_token: str,
) -> None:
    """Home Assistant's options-flow views refuse non-admins (require_admin)."""
    assert await async_setup_component(hass, "config", {})
    url = "/api/config/config_entries/options/flow"
    body = {"handler": init_integration.entry_id}
    read_only = await hass_client(hass_read_only_access_token)
    response = await read_only.post(url, json=body)
    assert response.status == 401
    admin = await hass_client()
    response = await admin.post(url, json=body)
    assert response.status == 200
    assert "maintenance" in (await response.json())["menu_options"]
