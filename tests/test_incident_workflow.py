"""The incident workflow through the ``pialert.update_incident`` action."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.pialert.const import DOMAIN, STORAGE_KEY
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.engine.incident_workflow import (
    CONF_ACTION_PRESETS,
    CONF_ALLOW_CUSTOM_TEXT,
    CONF_ROOT_CAUSE_PRESETS,
)
from custom_components.pialert.engine.models import HistoryEventType
from custom_components.pialert.logbook import async_describe_events

from .platform_helpers import CPU_ID, coordinator_of


@pytest.fixture
def options() -> dict[str, Any]:
    """Return a hub with presets."""
    return {
        CONF_ROOT_CAUSE_PRESETS: ["Power cut", "Disk full"],
        CONF_ACTION_PRESETS: ["Rebooted"],
    }


async def cpu_down(hass: HomeAssistant) -> str:
    """Take the CPU target down; return its incident's id."""
    hass.states.async_set("sensor.cpu", "95")
    await hass.async_block_till_done()
    incidents = coordinator(hass).monitor.history.incidents_between(
        None, None, target_id=CPU_ID
    )
    assert len(incidents) == 1
    return incidents[0].id


def coordinator(hass: HomeAssistant) -> PiAlertCoordinator:
    """Return the loaded hub's coordinator."""
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    return coordinator_of(entry)  # type: ignore[arg-type]


def cpu_device(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """Return the CPU target's device id."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, CPU_ID), entry.entry_id
    )
    assert device is not None
    return device.id


async def update(
    hass: HomeAssistant, data: dict[str, Any], user: MockUser | None = None
) -> dict[str, Any]:
    """Call the action and return its response."""
    response = await hass.services.async_call(
        DOMAIN,
        "update_incident",
        data,
        blocking=True,
        return_response=True,
        context=Context(user_id=user.id) if user else None,
    )
    await hass.async_block_till_done()
    assert isinstance(response, dict)
    return response


async def test_workflow_records_who_and_when(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_admin_user: MockUser,
    freezer: FrozenDateTimeFactory,
) -> None:
    incident_id = await cpu_down(hass)
    events = async_capture_events(hass, f"{DOMAIN}_incident_updated")
    device = cpu_device(hass, init_integration)
    freezer.tick(timedelta(minutes=5))
    at = coordinator(hass).now().isoformat()

    # By target (its open incident); a preset in any case takes its spelling.
    body = await update(
        hass,
        {"targets": {"device_id": device}, "root_cause": "disk FULL"},
        hass_admin_user,
    )
    assert body["id"] == incident_id
    assert body["root_cause"] == "Disk full"
    assert body["root_cause_set_by"] == hass_admin_user.name
    assert body["root_cause_set_at"] == at
    # By id: an action, a note and a dismissal in one call, each an event.
    body = await update(
        hass,
        {
            "incident_id": incident_id,
            "action_taken": "Deleted old snapshots",
            "note": "Second time this month",
            "dismissed": True,
        },
    )
    assert body["action_taken"] == "Deleted old snapshots"
    assert body["acted_by"] == "Home Assistant"
    assert body["notes"] == [
        {"text": "Second time this month", "at": at, "by": "Home Assistant"}
    ]
    assert body["dismissed_at"] == at
    assert body["dismissed_by"] == "Home Assistant"
    assert [(e.data["change"], e.data["value"]) for e in events] == [
        ("root_cause", "Disk full"),
        ("action_taken", "Deleted old snapshots"),
        ("note", "Second time this month"),
        ("dismissed", "true"),
    ]
    assert events[0].data["by"] == hass_admin_user.name
    assert events[0].data["device_id"] == device
    assert events[0].data["incident_id"] == incident_id
    # History lists each change.
    history = coordinator(hass).monitor.history
    logged, _ = history.page_events(10, types=[HistoryEventType.INCIDENT_UPDATED])
    assert [e.message for e in reversed(logged)] == [
        f"CPU: incident root cause set by {hass_admin_user.name}: Disk full",
        "CPU: incident action taken set by Home Assistant: Deleted old snapshots",
        "CPU: incident note by Home Assistant: Second time this month",
        "CPU: incident dismissed by Home Assistant",
    ]
    # Clearing and reopening.
    body = await update(
        hass, {"incident_id": incident_id, "root_cause": "", "dismissed": False}
    )
    assert body["root_cause"] is None
    assert body["root_cause_set_at"] is None
    assert body["dismissed_at"] is None
    assert [(e.data["change"], e.data["value"]) for e in events[4:]] == [
        ("root_cause", None),
        ("dismissed", "false"),
    ]


async def test_saved_at_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    incident_id = await cpu_down(hass)
    async_fire_time_changed(hass, coordinator(hass).now() + timedelta(minutes=1))
    await hass.async_block_till_done()
    hass_storage.pop(STORAGE_KEY, None)
    await update(hass, {"incident_id": incident_id, "root_cause": "Power cut"})
    # A user's action is written now, not with the 30 s debounce of checks.
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    saved = hass_storage[STORAGE_KEY]["data"]
    (incident,) = [i for i in saved["incidents"] if i["id"] == incident_id]
    assert incident["work"]["root_cause"]["text"] == "Power cut"


async def test_read_only_user_is_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_read_only_user: MockUser,
) -> None:
    incident_id = await cpu_down(hass)
    with pytest.raises(Unauthorized):
        await update(
            hass, {"incident_id": incident_id, "note": "hi"}, hass_read_only_user
        )
    incident = coordinator(hass).monitor.history.incidents[incident_id]
    assert incident.work.notes == ()


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        (
            {"incident_id": "nope", "note": "x"},
            "unknown_incident",
            {"incident_id": "nope"},
        ),
        ({"note": "x"}, "incident_needs_one", None),
        ({"incident_id": "{id}"}, "incident_unchanged", None),
        ({"incident_id": "{id}", "note": "   "}, "incident_unchanged", None),
    ],
)
async def test_bad_input_is_a_translated_refusal(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    incident_id = await cpu_down(hass)
    data = {k: v.replace("{id}", incident_id) for k, v in data.items()}
    with pytest.raises(ServiceValidationError) as err:
        await update(hass, data)
    assert err.value.translation_key == key
    assert (err.value.translation_placeholders or {}) == (placeholders or {})
    assert str(err.value) not in ("", key)  # translated, not the bare key


async def test_target_without_incident_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await update(
            hass,
            {"targets": {"device_id": cpu_device(hass, init_integration)}, "note": "x"},
        )
    assert err.value.translation_key == "no_incident"
    assert err.value.translation_placeholders == {"target": "CPU"}


@pytest.mark.parametrize(
    "options", [{CONF_ROOT_CAUSE_PRESETS: ["Power cut"], CONF_ALLOW_CUSTOM_TEXT: False}]
)
async def test_presets_only(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    incident_id = await cpu_down(hass)
    with pytest.raises(ServiceValidationError) as err:
        await update(hass, {"incident_id": incident_id, "root_cause": "Aliens"})
    assert err.value.translation_key == "incident_not_a_preset"
    assert err.value.translation_placeholders == {
        "field": "root_cause",
        "presets": "Power cut",
    }
    body = await update(hass, {"incident_id": incident_id, "root_cause": "power cut"})
    assert body["root_cause"] == "Power cut"


async def test_presets_are_edited_in_the_hub_options(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "incidents"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "incidents"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_ROOT_CAUSE_PRESETS: [" Power cut ", "power CUT", "Provider outage"],
            CONF_ACTION_PRESETS: ["Rebooted"],
            CONF_ALLOW_CUSTOM_TEXT: False,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert init_integration.options[CONF_ROOT_CAUSE_PRESETS] == [
        "Power cut",
        "Provider outage",
    ]
    assert init_integration.options[CONF_ALLOW_CUSTOM_TEXT] is False
    # The reloaded hub applies them.
    incident_id = await cpu_down(hass)
    with pytest.raises(ServiceValidationError):
        await update(hass, {"incident_id": incident_id, "action_taken": "Prayed"})
    body = await update(hass, {"incident_id": incident_id, "action_taken": "rebooted"})
    assert body["action_taken"] == "Rebooted"


def test_logbook_describes_incident_updates(hass: HomeAssistant) -> None:
    described: dict[str, Any] = {}

    def collect(domain: str, event_type: str, describe: Any) -> None:
        described[event_type] = describe

    async_describe_events(hass, collect)
    describe = described[f"{DOMAIN}_incident_updated"]
    line = describe(
        Event(
            f"{DOMAIN}_incident_updated",
            {"name": "NAS", "change": "root_cause", "value": "Power cut", "by": "Ann"},
        )
    )
    assert line == {
        "name": "NAS",
        "message": "incident root cause set by Ann: Power cut",
    }
    line = describe(
        Event(
            f"{DOMAIN}_incident_updated",
            {"name": "NAS", "change": "dismissed", "value": "false", "by": "Ann"},
        )
    )
    assert line["message"] == "incident reopened by Ann"
