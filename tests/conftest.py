"""Shared fixtures for PiAlert tests, in the style of core's.

``mock_config_entry`` is the standard hub (the ``targets`` and ``options``
fixtures, which a test module overrides where its hub differs),
``init_integration`` sets it up at a fixed time, and ``setup_hub`` sets up a
hub with other targets. Their constants and builders are in platform_helpers.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from gpiozero import Device
from gpiozero.pins.mock import MockFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
)
from syrupy.assertion import SnapshotAssertion

# Importing the integration before the hass fixture runs makes Home Assistant
# find our custom_components package instead of the plugin's testing config.
from custom_components.pialert import PLATFORMS
from custom_components.pialert.engine.probes import ProbeOutcome

from .platform_helpers import (
    BACKUP,
    BACKUP_ID,
    CPU,
    CPU_ID,
    HUB_ENTRY_ID,
    NOW,
    SITE,
    SITE_ID,
    mock_hub_entry,
    setup_loaded,
)

type SetupHub = Callable[..., Awaitable[MockConfigEntry]]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,
) -> Generator[None]:
    """Let Home Assistant load custom integrations in every test."""
    return


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise like Home Assistant core, into tests/snapshots/."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def probe_outcome() -> ProbeOutcome:
    """Return what every HTTP check answers."""
    return ProbeOutcome(success=True, response_time_ms=42.0, cert_days_remaining=30)


@pytest.fixture
def http_probe(probe_outcome: ProbeOutcome) -> Generator[AsyncMock]:
    """Answer HTTP checks without any network."""
    with patch(
        "custom_components.pialert.engine.probes.http.probe",
        new=AsyncMock(return_value=probe_outcome),
    ) as probe:
        yield probe


@pytest.fixture
def mock_pins() -> Generator[MockFactory]:
    """Drive the relay through gpiozero's mock pins for the whole test."""
    factory = MockFactory()
    previous = Device.pin_factory
    Device.pin_factory = factory
    yield factory
    factory.reset()
    Device.pin_factory = previous


@pytest.fixture
def platforms() -> list[Platform]:
    """Return the platforms the hub loads (all of them by default)."""
    return list(PLATFORMS)


@pytest.fixture
def targets() -> dict[str, dict[str, Any]]:
    """Return the hub's targets by subentry id."""
    return {CPU_ID: CPU, BACKUP_ID: BACKUP, SITE_ID: SITE}


@pytest.fixture
def options() -> dict[str, Any]:
    """Return the hub's options."""
    return {}


@pytest.fixture
def entity_states() -> dict[str, str]:
    """Return the states of the watched entities before the hub starts."""
    return {"sensor.cpu": "50"}


@pytest.fixture
def mock_config_entry(
    targets: dict[str, dict[str, Any]], options: dict[str, Any]
) -> MockConfigEntry:
    """Return the standard hub's entry, not yet added."""
    return mock_hub_entry(
        *({**data, "id": target_id} for target_id, data in targets.items()),
        options=options,
        entry_id=HUB_ENTRY_ID,
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    platforms: list[Platform],
    entity_states: dict[str, str],
    http_probe: AsyncMock,
) -> AsyncGenerator[MockConfigEntry]:
    """Set up the standard hub at a fixed time, loading ``platforms`` only."""
    freezer.move_to(NOW)
    for entity_id, state in entity_states.items():
        hass.states.async_set(entity_id, state)
    with patch("custom_components.pialert.PLATFORMS", platforms):
        yield await setup_loaded(hass, mock_config_entry)


@pytest.fixture
def setup_hub(hass: HomeAssistant) -> SetupHub:
    """Return a function setting up a hub with these targets and options.

    Each target is a subentry data dict; an extra ``id`` key fixes its
    subentry id (the target id).
    """

    async def _setup(
        *targets: dict[str, Any], options: dict[str, Any] | None = None
    ) -> MockConfigEntry:
        return await setup_loaded(hass, mock_hub_entry(*targets, options=options))

    return _setup
