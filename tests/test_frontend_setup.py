"""The card bundle is served and loaded; the sidebar panel follows the hub option."""

from __future__ import annotations

import hashlib

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL, DATA_PANELS
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.frontend_setup import (
    BUNDLE_NAME,
    CONF_SHOW_PANEL,
    FRONTEND_DIR,
    PANEL_URL_PATH,
)


def bundle_urls(hass: HomeAssistant) -> list[str]:
    """Return the extra module URLs that point at PiAlert's bundle."""
    return [url for url in hass.data[DATA_EXTRA_MODULE_URL].urls if BUNDLE_NAME in url]


async def test_bundle_is_served_with_a_versioned_url(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Every dashboard loads the bundle; its URL changes with its content."""
    [url] = bundle_urls(hass)
    content = (FRONTEND_DIR / BUNDLE_NAME).read_bytes()
    assert url.endswith(f"?v={hashlib.sha256(content).hexdigest()[:12]}")
    client = await hass_client()
    response = await client.get(url)
    assert response.status == 200
    body = await response.read()
    assert body == content
    # The one module defines the card, its editor and the panel.
    for element in (b"pialert-card", b"pialert-card-editor", b"pialert-panel"):
        assert element in body


async def test_panel_shown_by_default_and_removed_on_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The "PiAlert" panel is there for every user while the hub is loaded."""
    panel = hass.data[DATA_PANELS][PANEL_URL_PATH]
    assert panel.sidebar_title == "PiAlert"
    assert panel.require_admin is False
    assert panel.config is not None
    module_url = panel.config["_panel_custom"]["module_url"]
    assert module_url == bundle_urls(hass)[0]
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert PANEL_URL_PATH not in hass.data[DATA_PANELS]


@pytest.mark.parametrize("options", [{CONF_SHOW_PANEL: False}])
async def test_panel_can_be_turned_off(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """With the option off there is no panel; the card still loads."""
    assert PANEL_URL_PATH not in hass.data[DATA_PANELS]
    assert bundle_urls(hass)


async def test_options_flow_turns_the_panel_off(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Hub options → Sidebar panel: switching it off reloads without the panel."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert "dashboard" in result["menu_options"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "dashboard"}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SHOW_PANEL: False}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert init_integration.options[CONF_SHOW_PANEL] is False
    assert init_integration.state is ConfigEntryState.LOADED
    assert PANEL_URL_PATH not in hass.data[DATA_PANELS]
