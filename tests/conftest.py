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
