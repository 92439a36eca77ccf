"""Integration health targets against a real test integration that fails set-up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryDisabler,
    ConfigEntryState,
    ConfigFlow,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError, ConfigEntryNotReady
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    async_capture_events,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from custom_components.pialert.engine.models import Status
from custom_components.pialert.engine.state import TargetView

from .conftest import SetupHub
from .test_entity_targets import advance

HEALTH_ID = "health"


class _TestFlow(ConfigFlow):
    """The test integrations' (empty) config flow: set-up needs a handler."""

    VERSION = 1


@pytest.fixture(autouse=True)
def test_flows() -> Iterator[None]:
    """Register the test integrations' config flows."""
    with (
        mock_config_flow("zwave_test", _TestFlow),
        mock_config_flow("broken_test", _TestFlow),
    ):
        yield


def health_target(**settings: Any) -> dict[str, Any]:
    """Return the subentry data of an integration health target."""
    data: dict[str, Any] = {
        "id": HEALTH_ID,
        "kind": "integration_health",
        "name": "Integrations",
        "failed_for": 60,
        "failure_threshold": 1,
        "success_threshold": 1,
        "enabled": True,
    }
    data.update(settings)
    return data


def view(entry: MockConfigEntry) -> TargetView:
    """Return the health target's view in the latest snapshot."""
    return entry.runtime_data.coordinator.data.targets[HEALTH_ID]


def flaky_integration(hass: HomeAssistant, domain: str) -> dict[str, bool]:
    """Register ``domain``: set-up fails ("Failed to connect") until told to work."""
    control = {"working": False}

    async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        if not control["working"]:
            raise ConfigEntryNotReady("Failed to connect")
        return True

    async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        return True

    mock_integration(
        hass,
        MockModule(
            domain,
            async_setup_entry=async_setup_entry,
            async_unload_entry=async_unload_entry,
        ),
    )
    mock_platform(hass, f"{domain}.config_flow", None)
    return control


async def test_failing_setup_raises_then_clears(
    hass: HomeAssistant, setup_hub: SetupHub, freezer: FrozenDateTimeFactory
) -> None:
    """An entry retrying set-up for the chosen time fails the target with its reason."""
    control = flaky_integration(hass, "zwave_test")
    entry = await setup_hub(health_target())
    assert view(entry).status is Status.UP

    source = MockConfigEntry(domain="zwave_test", title="Z-Wave JS")
    source.add_to_hass(hass)
    await hass.config_entries.async_setup(source.entry_id)
    await hass.async_block_till_done()
    assert source.state is ConfigEntryState.SETUP_RETRY
    assert view(entry).status is Status.UP  # not failed for 60 s yet

    down = async_capture_events(hass, "pialert_target_down")
    await advance(hass, freezer, 61)
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "Z-Wave JS: Failed to connect"
    assert down[0].data["error"] == "Z-Wave JS: Failed to connect"

    # Home Assistant retries; this time set-up works and the target recovers.
    control["working"] = True
    await advance(hass, freezer, 600)
    assert source.state is ConfigEntryState.LOADED
    assert view(entry).status is Status.UP


async def test_chosen_integrations_and_disabled_entries(
    hass: HomeAssistant, setup_hub: SetupHub, freezer: FrozenDateTimeFactory
) -> None:
    """Only the chosen integrations count; disabled entries never do."""

    async def broken(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        raise ConfigEntryError("Invalid credentials")

    mock_integration(hass, MockModule("broken_test", async_setup_entry=broken))
    mock_platform(hass, "broken_test.config_flow", None)
    other = MockConfigEntry(domain="broken_test", title="Cloud")
    other.add_to_hass(hass)
    await hass.config_entries.async_setup(other.entry_id)
    await hass.async_block_till_done()
    assert other.state is ConfigEntryState.SETUP_ERROR

    entry = await setup_hub(
        health_target(failed_for=0, integrations=["zwave_test"]),
        health_target(id="all", name="All", failed_for=0),
    )
    targets = entry.runtime_data.coordinator.data.targets
    assert targets[HEALTH_ID].status is Status.UP
    assert targets["all"].status is Status.DOWN
    assert targets["all"].last_error == "Cloud: Invalid credentials"

    await hass.config_entries.async_set_disabled_by(
        other.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()
    await advance(hass, freezer, 1)
    assert entry.runtime_data.coordinator.data.targets["all"].status is Status.UP
