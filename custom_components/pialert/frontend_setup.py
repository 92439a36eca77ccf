"""PiAlert's card and sidebar panel: serve the bundle, load it, show the panel.

One ES module (``frontend/pialert-card.js``, built from ``frontend/`` at the
repository's root) defines both the Lovelace card and the panel. Its URL
carries a hash of its content, so browsers fetch a new bundle after an update.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Final

from homeassistant.components import frontend, panel_custom
from homeassistant.components.http.server import StaticPathConfig
from homeassistant.core import HomeAssistant
import probatio as vol

from .const import DOMAIN, HUB_TITLE
from .form_numbers import BOOLEAN

if TYPE_CHECKING:
    from .coordinator import PiAlertConfigEntry

FRONTEND_DIR: Final = Path(__file__).parent / "frontend"
BUNDLE_NAME: Final = "pialert-card.js"
STATIC_URL: Final = f"/{DOMAIN}_frontend"
PANEL_URL_PATH: Final = DOMAIN
PANEL_ELEMENT: Final = "pialert-panel"
PANEL_ICON: Final = "mdi:monitor-eye"

# Hub option: the "PiAlert" sidebar panel (on unless turned off).
CONF_SHOW_PANEL: Final = "show_panel"
DASHBOARD_SCHEMA: Final = vol.Schema(
    {vol.Required(CONF_SHOW_PANEL, default=True): BOOLEAN}
)

_BUNDLE_URL_KEY: Final = f"{DOMAIN}_bundle_url"


def _bundle_version() -> str:
    return hashlib.sha256((FRONTEND_DIR / BUNDLE_NAME).read_bytes()).hexdigest()[:12]


async def async_register_frontend(hass: HomeAssistant) -> None:
    """Serve the bundle and load it on every dashboard (once, at set-up)."""
    version = await hass.async_add_executor_job(_bundle_version)
    await hass.http.async_register_static_paths(
        [StaticPathConfig(STATIC_URL, str(FRONTEND_DIR), cache_headers=True)]
    )
    url = f"{STATIC_URL}/{BUNDLE_NAME}?v={version}"
    hass.data[_BUNDLE_URL_KEY] = url
    frontend.add_extra_js_url(hass, url)


async def async_setup_panel(hass: HomeAssistant, entry: PiAlertConfigEntry) -> None:
    """Show the sidebar panel while the hub is loaded, unless turned off."""
    if not entry.options.get(CONF_SHOW_PANEL, True):
        return
    await panel_custom.async_register_panel(
        hass,
        frontend_url_path=PANEL_URL_PATH,
        webcomponent_name=PANEL_ELEMENT,
        sidebar_title=HUB_TITLE,
        sidebar_icon=PANEL_ICON,
        module_url=hass.data[_BUNDLE_URL_KEY],
        embed_iframe=False,
        require_admin=False,
    )
    entry.async_on_unload(lambda: frontend.async_remove_panel(hass, PANEL_URL_PATH))
