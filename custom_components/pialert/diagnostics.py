"""Diagnostics for PiAlert, with secrets redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry

from .const import DOMAIN
from .coordinator import PiAlertConfigEntry
from .engine.state import TargetView
from .notifier import notifications_diagnostics

# Heartbeat tokens are the secret of their ping URLs; API key hashes and
# URLs (which may carry credentials) are kept out too.
TO_REDACT = {
    "token",
    "ping_url",
    "key_hash",
    "api_keys",
    "url",
    # Notification rules' receivers and the secret signing their webhooks.
    "webhook_url",
    "webhook_secret",
    "alertmanager_urls",
}


def _view(view: TargetView) -> dict[str, Any]:
    data = asdict(view)
    # Diagnostics keep the API's word for it.
    data["alerting"] = data.pop("in_hub_alert")
    # The settings as the user saved them (the typed copy says the same).
    data["target"]["settings"] = data["target"].pop("saved_settings")
    return async_redact_data(data, TO_REDACT)


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: PiAlertConfigEntry
) -> dict[str, Any]:
    """Return the hub's configuration and state."""
    coordinator = entry.runtime_data.coordinator
    snapshot = coordinator.data
    return {
        "entry": async_redact_data(
            {"options": dict(entry.options), "data": dict(entry.data)}, TO_REDACT
        ),
        "subentries": [
            async_redact_data(
                {"title": sub.title, "type": sub.subentry_type, "data": dict(sub.data)},
                TO_REDACT,
            )
            for sub in entry.subentries.values()
        ],
        "coordinator": coordinator.as_dict(),
        "alert": snapshot.alert,
        "failing": [asdict(f) for f in snapshot.failing],
        "targets": {tid: _view(view) for tid, view in snapshot.targets.items()},
        # Frozensets do not serialise to JSON: list them, sorted.
        "silences": [
            {**asdict(s), "target_ids": sorted(s.target_ids), "tags": sorted(s.tags)}
            for s in snapshot.silences
        ],
        "history": {
            "incidents": len(coordinator.monitor.history.incidents),
            "events": len(coordinator.monitor.history.events),
        },
        "notifications": notifications_diagnostics(hass),
    }


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: PiAlertConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """Return one target's configuration and state."""
    snapshot = entry.runtime_data.coordinator.data
    for domain, ident in device.identifiers:
        if domain == DOMAIN and ident in snapshot.targets:
            return {"target": _view(snapshot.targets[ident])}
    return {"hub": {"alert": snapshot.alert, "targets": len(snapshot.targets)}}
