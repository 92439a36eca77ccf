"""Switches: enable or pause a target."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from gpiozero.pins.mock import MockFactory
from homeassistant.components.switch import (
    DOMAIN as SWITCH_DOMAIN,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
)
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.pialert.engine.models import Status

from .platform_helpers import (
    BACKUP,
    BACKUP_ID,
    CPU_ID,
    HUB_ENTRY_ID,
    SITE,
    SITE_ID,
    coordinator_of,
    set_cpu,
    status_of,
)

RELAY_PIN = 17


@pytest.fixture
def platforms() -> list[Platform]:
    """Load only the switch platform."""
    return [Platform.SWITCH]


RELAY_OPTIONS = {"relay_enabled": True, "relay_pin": RELAY_PIN}


async def turn(hass: HomeAssistant, service: str, entity_id: str) -> None:
    """Turn a switch on or off as a user would."""
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )
    await hass.async_block_till_done()


async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One enable switch per target, a configuration entity."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)
    for entry in er.async_entries_for_config_entry(
        entity_registry, init_integration.entry_id
    ):
        assert entry.entity_category == "config"


@pytest.mark.parametrize(
    "platforms", [[Platform.SWITCH, Platform.BINARY_SENSOR, Platform.SENSOR]]
)
async def test_off_pauses_on_resumes(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Off pauses the target (in its subentry too) and ends its alert."""
    coordinator = coordinator_of(init_integration)
    cleared = async_capture_events(hass, "pialert_alert_cleared")
    started = async_capture_events(hass, "pialert_alert_started")
    await set_cpu(hass, "95")
    assert coordinator.data.alert
    assert hass.states.get("binary_sensor.pialert_alert").state == STATE_ON
    assert len(started) == 1

    await turn(hass, SERVICE_TURN_OFF, "switch.cpu_monitoring_enabled")

    assert hass.states.get("switch.cpu_monitoring_enabled").state == STATE_OFF
    assert init_integration.subentries[CPU_ID].data["enabled"] is False
    assert status_of(init_integration, CPU_ID) is Status.PAUSED
    assert hass.states.get("sensor.cpu_status").state == Status.PAUSED
    assert not coordinator.data.alert
    assert hass.states.get("binary_sensor.pialert_alert").state == STATE_OFF
    assert hass.states.get("binary_sensor.cpu").state == STATE_OFF
    assert len(cleared) == 1
    assert (
        init_integration.runtime_data.coordinator is coordinator
    )  # applied in place, no reload

    # Paused entity targets ignore their entity.
    await set_cpu(hass, "99")
    assert status_of(init_integration, CPU_ID) is Status.PAUSED
    assert not coordinator.data.alert

    await turn(hass, SERVICE_TURN_ON, "switch.cpu_monitoring_enabled")

    assert hass.states.get("switch.cpu_monitoring_enabled").state == STATE_ON
    assert init_integration.subentries[CPU_ID].data["enabled"] is True
    # Resumed, the entity is evaluated again at once: still too hot.
    assert status_of(init_integration, CPU_ID) is Status.DOWN
    assert coordinator.data.alert
    assert hass.states.get("binary_sensor.pialert_alert").state == STATE_ON
    assert len(started) == 2


async def test_switching_to_current_state_changes_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Turning on an enabled target leaves its subentry alone."""
    data = init_integration.subentries[CPU_ID].data
    await turn(hass, SERVICE_TURN_ON, "switch.cpu_monitoring_enabled")
    assert init_integration.subentries[CPU_ID].data is data
    assert "enabled" not in init_integration.subentries[CPU_ID].data


@pytest.mark.parametrize(
    "targets", [{BACKUP_ID: BACKUP, SITE_ID: {**SITE, "enabled": False}}]
)
async def test_paused_targets_are_not_checked(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    http_probe: AsyncMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A paused HTTP target is never probed; a paused heartbeat never misses."""
    assert hass.states.get("switch.site_monitoring_enabled").state == STATE_OFF
    assert status_of(init_integration, SITE_ID) is Status.PAUSED
    http_probe.assert_not_called()

    await turn(hass, SERVICE_TURN_OFF, "switch.backup_monitoring_enabled")
    freezer.tick(timedelta(hours=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert status_of(init_integration, BACKUP_ID) is Status.PAUSED
    assert not coordinator_of(init_integration).data.alert

    # Resumed, the heartbeat gets a full period before it counts as missed.
    await turn(hass, SERVICE_TURN_ON, "switch.backup_monitoring_enabled")
    assert status_of(init_integration, BACKUP_ID) is Status.UNKNOWN
    freezer.tick(timedelta(minutes=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert status_of(init_integration, BACKUP_ID) is Status.UNKNOWN

    # Resumed, the HTTP target is checked at once.
    await turn(hass, SERVICE_TURN_ON, "switch.site_monitoring_enabled")
    http_probe.assert_called_once()
    assert status_of(init_integration, SITE_ID) is Status.UP


# --- the relay switch (only with a relay configured) -------------------------------


@pytest.mark.usefixtures("mock_pins")
@pytest.mark.parametrize("options", [RELAY_OPTIONS])
async def test_snapshot_with_relay(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """With a relay the hub has a relay switch too."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)
    relay = entity_registry.async_get("switch.pialert_relay")
    assert relay is not None
    assert relay.config_subentry_id is None
    assert relay.unique_id == f"{HUB_ENTRY_ID}_relay"


@pytest.mark.parametrize("options", [RELAY_OPTIONS])
async def test_relay_switch_overrides(
    hass: HomeAssistant, mock_pins: MockFactory, init_integration: MockConfigEntry
) -> None:
    """The relay follows the alert; the switch overrides it until it changes."""
    pin = mock_pins.pin(RELAY_PIN)
    state = hass.states.get("switch.pialert_relay")
    assert state.state == STATE_OFF
    assert state.attributes["override"] is False
    assert state.attributes["pin"] == RELAY_PIN
    assert state.attributes["mode"] == "follow_unacknowledged"

    await set_cpu(hass, "95")
    assert hass.states.get("switch.pialert_relay").state == STATE_ON
    assert pin.state

    await turn(hass, SERVICE_TURN_OFF, "switch.pialert_relay")
    state = hass.states.get("switch.pialert_relay")
    assert state.state == STATE_OFF
    assert state.attributes["override"] is True
    assert not pin.state

    # The next change of the alert state ends the override.
    await set_cpu(hass, "20")
    state = hass.states.get("switch.pialert_relay")
    assert state.state == STATE_OFF
    assert state.attributes["override"] is False

    await turn(hass, SERVICE_TURN_ON, "switch.pialert_relay")
    state = hass.states.get("switch.pialert_relay")
    assert state.state == STATE_ON
    assert state.attributes["override"] is True
    assert pin.state
