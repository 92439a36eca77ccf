"""PiAlert: monitoring and alerting inside Home Assistant."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.storage import Store
from homeassistant.helpers.typing import ConfigType

from .api.heartbeat import async_sync_webhooks
from .api.live import async_start_live_events
from .api.state import KEYS_STORAGE_KEY, KEYS_STORAGE_VERSION, ApiState
from .api.views import async_register_views
from .card_warm import async_keep_card_views
from .const import DOMAIN, STORAGE_KEY, STORAGE_VERSION
from .coordinator import PiAlertConfigEntry, PiAlertCoordinator, PiAlertData
from .entity import hub_device_info
from .frontend_setup import async_register_frontend, async_setup_panel
from .incident_services import async_setup_incident_services
from .maintenance_services import async_setup_maintenance_services
from .notifier import async_start_notifier
from .notify_services import async_setup_notify_services
from .notify_state import NOTIFY_STATE_KEY, NOTIFY_STATE_VERSION
from .outbound_heartbeat import async_start_outbound_heartbeat
from .page_services import async_setup_page_services
from .relay import Relay, RelaySettings
from .services import async_setup_services
from .suggested_targets import (
    SUGGESTIONS_STORAGE_KEY,
    SUGGESTIONS_STORAGE_VERSION,
    async_start_target_suggestions,
)
from .target_code_services import async_setup_target_code_services
from .webhook_outbox import OUTBOX_KEY, OUTBOX_VERSION
from .websocket_api import async_register_websocket_commands

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register what does not depend on the hub entry: the HTTP views."""
    async_register_views(hass)
    async_setup_services(hass)
    async_setup_notify_services(hass)
    async_setup_incident_services(hass)
    async_setup_target_code_services(hass)
    async_setup_page_services(hass)
    async_setup_maintenance_services(hass)
    async_register_websocket_commands(hass)
    await async_register_frontend(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: PiAlertConfigEntry) -> bool:
    """Set up the PiAlert hub from a config entry."""
    # Target devices hang below the hub device, which must exist first.
    hub_device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **hub_device_info(entry.entry_id)
    )
    coordinator = PiAlertCoordinator(hass, entry, hub_device.id)
    await coordinator.async_config_entry_first_refresh()
    api = ApiState(hass)
    await api.async_load()
    # Nothing is written over a key file that failed to load (see safe_store).
    entry.async_on_unload(api.async_close)
    entry.runtime_data = data = PiAlertData(coordinator, api)

    webhooks: set[str] = set()

    def sync_webhooks() -> None:
        async_sync_webhooks(hass, coordinator.heartbeat_tokens.tokens(), webhooks)

    options = dict(entry.options)

    async def async_entry_updated(
        hass: HomeAssistant, entry: PiAlertConfigEntry
    ) -> None:
        if coordinator.hold_target_sync:
            return  # a bulk change: its last subentry change applies them all
        if dict(entry.options) != options:
            # Hub options size the engine: rebuild it (state is saved first).
            hass.config_entries.async_schedule_reload(entry.entry_id)
            return
        # Targets (subentries) changed: apply them in place, no reload.
        await coordinator.async_sync_targets()
        sync_webhooks()
        device_registry = dr.async_get(hass)
        for target in coordinator.monitor.targets.values():
            device = device_registry.async_get_device_by_identifier(
                (DOMAIN, target.id), entry.entry_id
            )
            if device is not None and device.name != target.name:
                device_registry.async_update_device(device.id, name=target.name)

    sync_webhooks()
    entry.async_on_unload(lambda: async_sync_webhooks(hass, set(), webhooks))
    if (relay_settings := RelaySettings.from_options(dict(entry.options))) is not None:
        data.relay = Relay(hass, coordinator, relay_settings)
        await data.relay.async_start()
        entry.async_on_unload(data.relay.async_stop)
    entry.async_on_unload(entry.add_update_listener(async_entry_updated))
    async_start_outbound_heartbeat(hass, entry)
    await async_start_notifier(hass, entry)
    entry.async_on_unload(async_start_live_events(hass, coordinator))
    await async_setup_panel(hass, entry)
    await async_start_target_suggestions(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # After the platforms: the targets' devices exist, the views name them.
    async_keep_card_views(hass, entry)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: PiAlertConfigEntry) -> bool:
    """Unload the PiAlert hub, saving its state."""
    # The coordinator saves and stops itself: it registered async_shutdown
    # with the entry's unload callbacks.
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: PiAlertConfigEntry) -> None:
    """Delete the hub's saved history and API keys with the hub."""
    for key, version in (
        (STORAGE_KEY, STORAGE_VERSION),
        (KEYS_STORAGE_KEY, KEYS_STORAGE_VERSION),
        (OUTBOX_KEY, OUTBOX_VERSION),
        (NOTIFY_STATE_KEY, NOTIFY_STATE_VERSION),
        (SUGGESTIONS_STORAGE_KEY, SUGGESTIONS_STORAGE_VERSION),
    ):
        await Store[dict[str, object]](hass, version, key).async_remove()
