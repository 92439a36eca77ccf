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
