"""Shared fixtures for PiAlert tests."""

from __future__ import annotations

from collections.abc import Generator

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

# Importing the integration before the hass fixture runs makes Home Assistant
# find our custom_components package instead of the plugin's testing config.
from custom_components.pialert.const import DOMAIN, HUB_TITLE


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,
) -> Generator[None]:
    """Let Home Assistant load custom integrations in every test."""
    return


@pytest.fixture
def hub_entry() -> MockConfigEntry:
    """Return an unsaved PiAlert hub entry."""
    return MockConfigEntry(domain=DOMAIN, title=HUB_TITLE, data={}, unique_id=None)


# --- a hub with preloaded targets --------------------------------------------
# (imports kept with the fixtures that use them; the block above stays as is)

from collections.abc import Awaitable, Callable  # noqa: E402
from typing import Any  # noqa: E402

from homeassistant.config_entries import (  # noqa: E402
    ConfigEntryState,
    ConfigSubentryData,
    ConfigSubentryDataWithId,
)
from homeassistant.core import HomeAssistant  # noqa: E402

from custom_components.pialert.const import SUBENTRY_TYPE_TARGET  # noqa: E402


def target_subentry(
    data: dict[str, Any], subentry_id: str | None = None
) -> ConfigSubentryData:
    """Return the subentry data of a target, with a fixed id when given."""
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


type SetupHub = Callable[..., Awaitable[MockConfigEntry]]


@pytest.fixture
def setup_hub(hass: HomeAssistant) -> SetupHub:
    """Return a function adding and setting up a hub with these targets.

    Each target is a subentry data dict; an extra ``id`` key fixes its
    subentry id (the target id).
    """

    async def _setup(
        *targets: dict[str, Any], options: dict[str, Any] | None = None
    ) -> MockConfigEntry:
        subentries = []
        for target in targets:
            data = dict(target)
            subentry_id = data.pop("id", None)
            subentries.append(target_subentry(data, subentry_id))
        entry = MockConfigEntry(
            domain=DOMAIN,
            title=HUB_TITLE,
            data={},
            options=options or {},
            unique_id=None,
            subentries_data=subentries,
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.state is ConfigEntryState.LOADED
        return entry

    return _setup


# --- the platform tests' hub (constants in tests/platform_helpers.py) --------
# A test module overrides ``platforms``, ``targets``, ``options``,
# ``entity_states`` or ``http_probe`` where its hub differs.

from collections.abc import AsyncGenerator  # noqa: E402
from unittest.mock import AsyncMock, patch  # noqa: E402

from freezegun.api import FrozenDateTimeFactory  # noqa: E402
from homeassistant.const import Platform  # noqa: E402
from pytest_homeassistant_custom_component.syrupy import (  # noqa: E402
    HomeAssistantSnapshotExtension,
)
from syrupy.assertion import SnapshotAssertion  # noqa: E402

from custom_components.pialert import PLATFORMS  # noqa: E402
from custom_components.pialert.engine.probes import ProbeOutcome  # noqa: E402

from .platform_helpers import (  # noqa: E402
    BACKUP,
    BACKUP_ID,
    CPU,
    CPU_ID,
    HUB_ENTRY_ID,
    NOW,
    SITE,
    SITE_ID,
    subentry,
)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise like Home Assistant core, into tests/snapshots/."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


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
async def hub(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    platforms: list[Platform],
    targets: dict[str, dict[str, Any]],
    options: dict[str, Any],
    entity_states: dict[str, str],
    http_probe: AsyncMock,
) -> AsyncGenerator[MockConfigEntry]:
    """Set up the hub with its targets at a fixed time."""
    freezer.move_to(NOW)
    for entity_id, state in entity_states.items():
        hass.states.async_set(entity_id, state)
    entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id=HUB_ENTRY_ID,
        title=HUB_TITLE,
        data={},
        options=options,
        unique_id=None,
        subentries_data=[subentry(tid, data) for tid, data in targets.items()],
    )
    entry.add_to_hass(hass)
    with patch("custom_components.pialert.PLATFORMS", platforms):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.state is ConfigEntryState.LOADED
        yield entry
