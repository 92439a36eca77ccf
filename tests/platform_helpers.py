"""Constants and helpers shared by the platform tests (see conftest's ``hub``)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigSubentryDataWithId
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert.const import SUBENTRY_TYPE_TARGET
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
