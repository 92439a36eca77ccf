"""Buttons: acknowledge a target's alert."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.config_entries import ConfigEntryState, ConfigSubentryDataWithId
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNKNOWN, Platform
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.pialert.const import DOMAIN, HUB_TITLE, SUBENTRY_TYPE_TARGET
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.engine.models import Status
from custom_components.pialert.engine.probes import ProbeOutcome

NOW = "2026-01-01T12:00:00+00:00"
HUB_ENTRY_ID = "pialert_hub_entry"

CPU_ID = "cpu_target"
BACKUP_ID = "backup_target"
SITE_ID = "site_target"

CPU = {
    "kind": "entity",
    "name": "CPU",
    "entity_id": "sensor.cpu",
    "condition": "above",
    "value": "80",
}
BACKUP = {
    "kind": "heartbeat",
    "name": "Backup",
    "period": 3600,
    "grace": 60,
    "token": "tok",
}
SITE = {
    "kind": "http",
    "name": "Site",
    "url": "https://example.invalid",
    "interval": 60,
    "timeout": 10,
}


def subentry(target_id: str, data: dict[str, Any]) -> ConfigSubentryDataWithId:
    """Return a target subentry with a fixed id (so unique ids are stable)."""
    return ConfigSubentryDataWithId(
        data=data,
        subentry_type=SUBENTRY_TYPE_TARGET,
        title=data["name"],
        unique_id=None,
        subentry_id=target_id,
    )


@pytest.fixture
def http_probe() -> Generator[AsyncMock]:
    """Answer HTTP checks without any network."""
    with patch(
        "custom_components.pialert.engine.probes.http.probe",
        new=AsyncMock(
            return_value=ProbeOutcome(
                success=True, response_time_ms=42.0, cert_days_remaining=30
            )
        ),
    ) as probe:
        yield probe


@pytest.fixture
def targets() -> dict[str, dict[str, Any]]:
    """Return the hub's targets by subentry id."""
    return {CPU_ID: CPU, BACKUP_ID: BACKUP, SITE_ID: SITE}


@pytest.fixture
async def hub(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    platforms: list[Platform],
    targets: dict[str, dict[str, Any]],
    http_probe: AsyncMock,
) -> AsyncGenerator[MockConfigEntry]:
    """Set up the hub with its targets at a fixed time."""
    freezer.move_to(NOW)
    hass.states.async_set("sensor.cpu", "50")
    entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id=HUB_ENTRY_ID,
        title=HUB_TITLE,
        data={},
        unique_id=None,
        subentries_data=[subentry(tid, data) for tid, data in targets.items()],
    )
    entry.add_to_hass(hass)
    with patch("custom_components.pialert.PLATFORMS", platforms):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.state is ConfigEntryState.LOADED
        yield entry


def coordinator_of(entry: MockConfigEntry) -> PiAlertCoordinator:
    """Return the hub's coordinator."""
    return entry.runtime_data


def status_of(entry: MockConfigEntry, target_id: str) -> Status:
    """Return a target's status in the latest snapshot."""
    return coordinator_of(entry).data.targets[target_id].status


async def set_cpu(hass: HomeAssistant, value: str) -> None:
    """Change the watched entity and let PiAlert publish."""
    hass.states.async_set("sensor.cpu", value)
    await hass.async_block_till_done()


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise like Home Assistant core, into tests/snapshots/."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def platforms() -> list[Platform]:
    """Load only the button platform."""
    return [Platform.BUTTON]


async def press(
    hass: HomeAssistant, entity_id: str, context: Context | None = None
) -> None:
    """Press a button as a user would."""
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
        context=context,
    )
    await hass.async_block_till_done()


async def test_snapshot(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One acknowledge button per target, none on the hub."""
    await snapshot_platform(hass, entity_registry, snapshot, hub.entry_id)
    entries = er.async_entries_for_config_entry(entity_registry, hub.entry_id)
    assert sorted(e.entity_id for e in entries) == [
        "button.backup_acknowledge",
        "button.cpu_acknowledge",
        "button.site_acknowledge",
    ]
    assert {e.config_subentry_id for e in entries} == {CPU_ID, BACKUP_ID, SITE_ID}


async def test_acknowledge_when_down(
    hass: HomeAssistant, hub: MockConfigEntry, hass_admin_user: MockUser
) -> None:
    """Pressing acknowledges the alert as the user who pressed."""
    events = async_capture_events(hass, "pialert_acknowledged")
    await set_cpu(hass, "95")
    coordinator = coordinator_of(hub)
    assert coordinator.data.alert

    await press(hass, "button.cpu_acknowledge", Context(user_id=hass_admin_user.id))

    view = coordinator.data.targets[CPU_ID]
    assert view.status is Status.DOWN
    assert view.acknowledgement is not None
    assert view.acknowledgement.by == "Mock User"
    assert view.acknowledgement.note is None
    assert not coordinator.data.alert
    assert len(events) == 1
    assert events[0].data["target_id"] == CPU_ID
    assert events[0].data["by"] == "Mock User"
    # The button shows when it was last pressed.
    assert hass.states.get("button.cpu_acknowledge").state == NOW


async def test_acknowledge_by_automation(
    hass: HomeAssistant, hub: MockConfigEntry
) -> None:
    """Without a user the acknowledgement is by Home Assistant."""
    coordinator_of(hub).async_heartbeat(BACKUP_ID, "fail")
    await hass.async_block_till_done()
    await press(hass, "button.backup_acknowledge")
    ack = coordinator_of(hub).data.targets[BACKUP_ID].acknowledgement
    assert ack is not None
    assert ack.by == "Home Assistant"


async def test_acknowledge_when_up_fails(
    hass: HomeAssistant, hub: MockConfigEntry
) -> None:
    """A target that is not down has nothing to acknowledge."""
    events = async_capture_events(hass, "pialert_acknowledged")
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, "button.cpu_acknowledge")
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "target_not_down"
    assert err.value.translation_placeholders == {"target": "CPU"}
    assert str(err.value) == "CPU is not down, so there is no alert to acknowledge"
    assert events == []
    assert coordinator_of(hub).data.targets[CPU_ID].acknowledgement is None


async def test_button_state_untouched_by_updates(
    hass: HomeAssistant, hub: MockConfigEntry
) -> None:
    """Coordinator updates do not rewrite the button's state."""
    state = hass.states.get("button.cpu_acknowledge")
    assert state.state == STATE_UNKNOWN
    await set_cpu(hass, "95")
    assert hass.states.get("button.cpu_acknowledge").last_updated == (
        state.last_updated
    )
