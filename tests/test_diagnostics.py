"""Diagnostics: the hub's and each target's, with secrets redacted."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.diagnostics import (
    async_get_config_entry_diagnostics,
    async_get_device_diagnostics,
)
from custom_components.pialert.engine.models import Silence

from .platform_helpers import BACKUP_ID, CPU_ID, HUB_ENTRY_ID, SITE_ID

# The diagnostics are fetched from Home Assistant's own HTTP view, on 127.0.0.1.
# (Tests take ``hub`` before ``hass_client``: the clock is set before the access
# token is issued.)
pytestmark = pytest.mark.usefixtures("socket_enabled")


TOKEN = "hb-secret-7f3a9c"
URL = "https://monitor:pa55w0rd@example.invalid/health?key=abc123"


CPU = {
    "kind": "entity",
    "name": "CPU",
    "entity_id": "sensor.cpu",
    "condition": "above",
    "value": "80",
    "tags": ["servers"],
}
BACKUP = {
    "kind": "heartbeat",
    "name": "Backup",
    "period": 3600,
    "grace": 60,
    "token": TOKEN,
}
SITE = {
    "kind": "http",
    "name": "Site",
    "url": URL,
    "interval": 60,
    "timeout": 10,
}


@pytest.fixture
def targets() -> dict[str, dict[str, Any]]:
    """Return the hub's targets, with their secrets, by subentry id."""
    return {CPU_ID: CPU, BACKUP_ID: BACKUP, SITE_ID: SITE}


@pytest.fixture
def options() -> dict[str, Any]:
    """Return the hub's options."""
    return {"retention_days": 30}


@pytest.fixture
async def hub(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> MockConfigEntry:
    """A hub at a fixed time: CPU down and acknowledged, a silence, a heartbeat."""
    entry = init_integration
    coordinator: PiAlertCoordinator = entry.runtime_data.coordinator
    # Five minutes on: the HTTP target's next checks run (always, for a stable
    # snapshot), then CPU goes down.
    freezer.tick(timedelta(minutes=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    hass.states.async_set("sensor.cpu", "97")
    await hass.async_block_till_done()
    now = coordinator.now()
    coordinator.async_commit(
        coordinator.monitor.acknowledge(CPU_ID, "Ops", now, "Looking into it")
    )
    coordinator.async_commit(
        coordinator.monitor.add_silence(
            Silence(
                id="silence_1",
                starts_at=now,
                ends_at=now + timedelta(hours=2),
                created_by="Ops",
                comment="Deploy",
                tags=frozenset({"servers"}),
                created_at=now,
            ),
            now,
        )
    )
    coordinator.async_heartbeat(BACKUP_ID, "success")
    await hass.async_block_till_done()
    return entry


def device_of(
    hass: HomeAssistant, entry: MockConfigEntry, ident: str
) -> dr.DeviceEntry:
    """Return the hub's (ident = entry id) or a target's device."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, ident), entry.entry_id
    )
    assert device is not None
    return device


def assert_no_secrets(data: Any) -> None:
    """No token, ping URL or target URL shows anywhere."""
    dumped = json.dumps(data, default=str)
    assert TOKEN not in dumped
    assert f"/api/pialert/v1/heartbeat/{TOKEN}" not in dumped
    assert "pa55w0rd" not in dumped
    assert "example.invalid" not in dumped


async def test_config_entry_diagnostics(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    """The hub's diagnostics: configuration, state, silences; secrets redacted."""
    result = await get_diagnostics_for_config_entry(hass, hass_client, hub)
    assert result == snapshot
    assert_no_secrets(result)

    subentries = {sub["title"]: sub for sub in result["subentries"]}
    assert subentries["Backup"]["data"]["token"] == "**REDACTED**"
    assert subentries["Site"]["data"]["url"] == "**REDACTED**"
    assert subentries["CPU"]["data"]["entity_id"] == "sensor.cpu"
    targets = result["targets"]
    assert targets[BACKUP_ID]["target"]["settings"]["token"] == "**REDACTED**"
    assert targets[SITE_ID]["target"]["settings"]["url"] == "**REDACTED**"
    assert result["alert"] is False
    assert targets[CPU_ID]["status"] == "down"
    assert targets[CPU_ID]["acknowledgement"]["note"] == "Looking into it"
    (silence,) = result["silences"]
    assert silence["id"] == "silence_1"
    # Plain JSON lists, not the encoder's fallback for unknown types.
    assert silence["tags"] == ["servers"]
    assert silence["target_ids"] == []
    assert result["history"]["incidents"] == 1


async def test_device_diagnostics(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    """A target's device shows that target; the hub's device a summary."""
    for target_id in (BACKUP_ID, SITE_ID):
        result = await get_diagnostics_for_device(
            hass, hass_client, hub, device_of(hass, hub, target_id)
        )
        assert result == snapshot(name=target_id)
        assert_no_secrets(result)
        assert set(result) == {"target"}
        assert result["target"]["target"]["id"] == target_id

    result = await get_diagnostics_for_device(
        hass, hass_client, hub, device_of(hass, hub, HUB_ENTRY_ID)
    )
    assert result == {"hub": {"alert": False, "targets": 3}}


async def test_diagnostics_functions_redact(
    hass: HomeAssistant, hub: MockConfigEntry
) -> None:
    """Called directly, the functions redact the same way."""
    result = await async_get_config_entry_diagnostics(hass, hub)
    assert_no_secrets(result)
    assert result["coordinator"] == {
        "ping_privileged": None,
        "checks_in_flight": 0,
        "tick_seconds": result["coordinator"]["tick_seconds"],
    }
    device = await async_get_device_diagnostics(
        hass, hub, device_of(hass, hub, BACKUP_ID)
    )
    assert device["target"]["target"]["settings"] == {
        "period": 3600,
        "grace": 60,
        "token": "**REDACTED**",
    }
