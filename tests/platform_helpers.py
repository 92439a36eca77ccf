"""The standard hub's targets and helpers building hubs (see conftest.py)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigSubentryData,
    ConfigSubentryDataWithId,
)
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert.const import DOMAIN, HUB_TITLE, SUBENTRY_TYPE_TARGET
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.engine.models import Status

NOW = "2026-01-01T12:00:00+00:00"
HUB_ENTRY_ID = "pialert_hub_entry"

CPU_ID = "cpu_target"
DISK_ID = "disk_target"
BACKUP_ID = "backup_target"
SITE_ID = "site_target"

CPU = {
    "kind": "entity",
    "name": "CPU",
    "entity_id": "sensor.cpu",
    "condition": "above",
    "value": "80",
}
DISK = {
    "kind": "entity",
    "name": "Disk",
    "entity_id": "sensor.disk",
    "condition": "above",
    "value": "90",
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


def target_subentry(target: dict[str, Any]) -> ConfigSubentryData:
    """Return a target's subentry; an ``id`` key fixes its subentry id.

    A fixed id (the target id) keeps unique ids and snapshots stable.
    """
    data = dict(target)
    subentry_id = data.pop("id", None)
    if subentry_id is None:
        return ConfigSubentryData(
            data=data,
            subentry_type=SUBENTRY_TYPE_TARGET,
            title=data["name"],
            unique_id=None,
        )
    return ConfigSubentryDataWithId(
        data=data,
        subentry_type=SUBENTRY_TYPE_TARGET,
        title=data["name"],
        unique_id=None,
        subentry_id=subentry_id,
    )


def mock_hub_entry(
    *targets: dict[str, Any],
    options: dict[str, Any] | None = None,
    entry_id: str | None = None,
) -> MockConfigEntry:
    """Return an unsaved hub entry with these targets (see target_subentry)."""
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=entry_id,
        title=HUB_TITLE,
        data={},
        options=options or {},
        unique_id=None,
        subentries_data=[target_subentry(target) for target in targets],
    )


async def setup_loaded(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """Add the hub entry, set it up and check that it loaded."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


def coordinator_of(entry: MockConfigEntry) -> PiAlertCoordinator:
    """Return the hub's coordinator."""
    return entry.runtime_data.coordinator


def status_of(entry: MockConfigEntry, target_id: str) -> Status:
    """Return a target's status in the latest snapshot."""
    return coordinator_of(entry).data.targets[target_id].status


async def set_cpu(hass: HomeAssistant, value: str) -> None:
    """Change the watched entity and let PiAlert publish."""
    hass.states.async_set("sensor.cpu", value)
    await hass.async_block_till_done()
