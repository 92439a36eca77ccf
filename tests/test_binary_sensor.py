"""Binary sensors: each target's problem sensor, the hub's Alert, and devices."""

from __future__ import annotations

from types import MappingProxyType

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigSubentry,
)
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.pialert.const import DOMAIN, SUBENTRY_TYPE_TARGET
from custom_components.pialert.engine.models import CheckResult, Status

from .platform_helpers import BACKUP_ID, CPU, CPU_ID, SITE_ID, coordinator_of, set_cpu


@pytest.fixture
def platforms() -> list[Platform]:
    """Load only the platform under test."""
    return [Platform.BINARY_SENSOR]


def device_of(
    device_registry: dr.DeviceRegistry, entry: MockConfigEntry, ident: str
) -> dr.DeviceEntry:
    """Return the hub's (ident = entry id) or a target's device."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, ident), entry.entry_id
    )
    assert device is not None
    return device


def hub_alert_matches(hass: HomeAssistant, entry: MockConfigEntry) -> bool:
    """Return whether the hub's Alert shows exactly the snapshot's alert."""
    state = hass.states.get("binary_sensor.pialert_alert")
    assert state is not None
    expected = STATE_ON if coordinator_of(entry).data.alert else STATE_OFF
    return state.state == expected


# --- snapshots -------------------------------------------------------------


async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every binary sensor, its registry entry and its state."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


async def test_snapshot_devices(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """The hub device and one device per target."""
    devices = sorted(
        dr.async_entries_for_config_entry(device_registry, init_integration.entry_id),
        key=lambda device: device.name or "",
    )
    for device in devices:
        assert device == snapshot(name=device.name)


# --- devices -----------------------------------------------------------------


async def test_devices_link_subentries_and_hub(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """One hub device; each target's device hangs below it, in its subentry."""
    devices = dr.async_entries_for_config_entry(
        device_registry, init_integration.entry_id
    )
    assert len(devices) == 1 + len(init_integration.subentries)
    hub_device = device_of(device_registry, init_integration, init_integration.entry_id)
    assert hub_device.id == coordinator_of(init_integration).hub_device_id
    assert hub_device.via_device_id is None
    assert hub_device.config_entry_id == init_integration.entry_id
    assert hub_device.config_subentry_id is None
    for target_id in (CPU_ID, BACKUP_ID, SITE_ID):
        device = device_of(device_registry, init_integration, target_id)
        assert device.name == init_integration.subentries[target_id].title
        assert device.via_device_id == hub_device.id
        assert device.config_entry_id == init_integration.entry_id
        assert device.config_subentry_id == target_id
        entities = er.async_entries_for_device(entity_registry, device.id)
        assert [e.config_subentry_id for e in entities] == [target_id]
    hub_entities = er.async_entries_for_device(entity_registry, hub_device.id)
    assert [e.entity_id for e in hub_entities] == ["binary_sensor.pialert_alert"]
    assert hub_entities[0].config_subentry_id is None


async def test_removing_subentry_removes_device_and_entities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A removed target takes its device, entities and state with it."""
    device = device_of(device_registry, init_integration, CPU_ID)
    assert hass.states.get("binary_sensor.cpu") is not None

    assert hass.config_entries.async_remove_subentry(init_integration, CPU_ID)
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.LOADED
    assert device_registry.async_get(device.id) is None
    assert entity_registry.async_get("binary_sensor.cpu") is None
    assert hass.states.get("binary_sensor.cpu") is None
    assert CPU_ID not in coordinator_of(init_integration).data.targets
    # The others stay.
    assert hass.states.get("binary_sensor.backup") is not None


async def test_adding_subentry_adds_entities_without_reload(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A target added at runtime gets its device and entities in place."""
    coordinator = coordinator_of(init_integration)
    hass.states.async_set("sensor.disk", "10")
    hass.config_entries.async_add_subentry(
        init_integration,
        ConfigSubentry(
            data=MappingProxyType(
                {
                    "kind": "entity",
                    "name": "Disk",
                    "entity_id": "sensor.disk",
                    "condition": "above",
                    "value": "90",
                }
            ),
            subentry_type=SUBENTRY_TYPE_TARGET,
            title="Disk",
            unique_id=None,
            subentry_id="disk_target",
        ),
    )
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data.coordinator is coordinator  # not reloaded
    device = device_of(device_registry, init_integration, "disk_target")
    assert device.config_subentry_id == "disk_target"
    assert device.via_device_id == coordinator.hub_device_id
    entry = entity_registry.async_get("binary_sensor.disk")
    assert entry is not None
    assert entry.config_subentry_id == "disk_target"
    assert entry.unique_id == "disk_target_problem"
    state = hass.states.get("binary_sensor.disk")
    assert state is not None
    assert state.state == STATE_OFF

    hass.states.async_set("sensor.disk", "95")
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.disk").state == STATE_ON


async def test_renaming_subentry_renames_device(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A new name renames the device, and the entity's friendly name."""
    await set_cpu(hass, "95")
    subentry_ = init_integration.subentries[CPU_ID]
    assert hass.config_entries.async_update_subentry(
        init_integration,
        subentry_,
        title="Processor",
        data={**subentry_.data, "name": "Processor"},
    )
    await hass.async_block_till_done()

    device = device_of(device_registry, init_integration, CPU_ID)
    assert device.name == "Processor"
    state = hass.states.get("binary_sensor.cpu")
    assert state is not None
    assert state.attributes["friendly_name"] == "Processor"
    # A new name is no new check: the target stays down.
    assert state.state == STATE_ON
    assert (
        coordinator_of(init_integration).data.targets[CPU_ID].target.name == "Processor"
    )


async def test_hub_reload_keeps_entities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Changing hub options reloads the hub; the same entities come back."""
    before = sorted(
        e.entity_id
        for e in er.async_entries_for_config_entry(
            entity_registry, init_integration.entry_id
        )
    )
    hass.config_entries.async_update_entry(
        init_integration, options={"retention_days": 30}
    )
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    after = sorted(
        e.entity_id
        for e in er.async_entries_for_config_entry(
            entity_registry, init_integration.entry_id
        )
    )
    assert after == before
    assert hass.states.get("binary_sensor.pialert_alert").state == STATE_OFF


# --- behaviour --------------------------------------------------------------


async def test_problem_sensor_on_while_down(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The problem sensor follows the target's down status, not pending."""
    assert hass.states.get("binary_sensor.cpu").state == STATE_OFF
    await set_cpu(hass, "95")
    assert coordinator_of(init_integration).data.targets[CPU_ID].status is Status.DOWN
    assert hass.states.get("binary_sensor.cpu").state == STATE_ON
    await set_cpu(hass, "20")
    assert hass.states.get("binary_sensor.cpu").state == STATE_OFF


async def test_never_checked_is_unknown_not_ok(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A heartbeat never pinged has no result: its problem sensor is unknown.

    Only a first result says OK (off) or problem (on).
    """
    coordinator = coordinator_of(init_integration)
    assert coordinator.data.targets[BACKUP_ID].status is Status.UNKNOWN
    assert hass.states.get("binary_sensor.backup").state == STATE_UNKNOWN

    coordinator.async_heartbeat(BACKUP_ID, "success")
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.backup").state == STATE_OFF
    coordinator.async_heartbeat(BACKUP_ID, "fail")
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.backup").state == STATE_ON


async def test_problem_sensor_pending_is_off(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Below the failure threshold a target is pending and no problem yet."""
    coordinator = coordinator_of(init_integration)
    now = coordinator.now()
    # The HTTP target fails after three consecutive failures.
    coordinator.async_record(
        SITE_ID, CheckResult(success=False, checked_at=now, error="HTTP 500")
    )
    await hass.async_block_till_done()
    assert coordinator.data.targets[SITE_ID].status is Status.PENDING
    assert hass.states.get("binary_sensor.site").state == STATE_OFF
    for _ in range(2):
        coordinator.async_record(
            SITE_ID, CheckResult(success=False, checked_at=now, error="HTTP 500")
        )
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.site").state == STATE_ON


async def test_hub_alert_follows_snapshot(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Alert equals the snapshot's alert: up, down, acked, silenced, recovered."""
    coordinator = coordinator_of(init_integration)

    # Up.
    assert not coordinator.data.alert
    assert hub_alert_matches(hass, init_integration)

    # Down.
    await set_cpu(hass, "95")
    assert coordinator.data.alert
    assert hub_alert_matches(hass, init_integration)
    assert hass.states.get("binary_sensor.cpu").state == STATE_ON

    # Acknowledged: the hub stops alerting, the target is still down.
    await hass.services.async_call(
        DOMAIN, "acknowledge", {"entity_id": "binary_sensor.cpu"}, blocking=True
    )
    await hass.async_block_till_done()
    assert not coordinator.data.alert
    assert hub_alert_matches(hass, init_integration)
    assert hass.states.get("binary_sensor.cpu").state == STATE_ON

    # The acknowledgement withdrawn: alerting again.
    await hass.services.async_call(
        DOMAIN, "unacknowledge", {"entity_id": "binary_sensor.cpu"}, blocking=True
    )
    await hass.async_block_till_done()
    assert coordinator.data.alert
    assert hub_alert_matches(hass, init_integration)

    # Silenced.
    await hass.services.async_call(
        DOMAIN,
        "silence",
        {"entity_id": "binary_sensor.cpu", "duration": {"hours": 1}},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert not coordinator.data.alert
    assert hub_alert_matches(hass, init_integration)
    assert hass.states.get("binary_sensor.cpu").state == STATE_ON

    # Recovered.
    await set_cpu(hass, "20")
    assert not coordinator.data.alert
    assert hub_alert_matches(hass, init_integration)
    assert hass.states.get("binary_sensor.cpu").state == STATE_OFF


async def test_paused_target_is_no_problem(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Pausing a down target clears its problem and the hub's Alert."""
    await set_cpu(hass, "95")
    assert hass.states.get("binary_sensor.pialert_alert").state == STATE_ON
    await hass.services.async_call(
        DOMAIN, "pause", {"entity_id": "binary_sensor.cpu"}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.cpu").state == STATE_OFF
    assert hass.states.get("binary_sensor.pialert_alert").state == STATE_OFF


async def test_entities_unavailable_after_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Unloading the hub leaves the entities unavailable."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.cpu").state == "unavailable"
    assert hass.states.get("binary_sensor.pialert_alert").state == "unavailable"


@pytest.mark.parametrize("targets", [{CPU_ID: CPU}])
async def test_unchanged_state_is_not_written_again(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Publishing an equal value writes no new state."""
    state = hass.states.get("binary_sensor.cpu")
    coordinator = coordinator_of(init_integration)
    coordinator.async_record(
        CPU_ID, CheckResult(success=True, checked_at=coordinator.now())
    )
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.cpu").last_updated == state.last_updated


async def test_all_entities_enabled_by_default(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """No binary sensor is hidden or disabled."""
    for entry in er.async_entries_for_config_entry(
        entity_registry, init_integration.entry_id
    ):
        assert entry.disabled_by is None
        assert entry.hidden_by is None
