"""Small pieces shared by services, buttons and switches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .engine.alerting import MonitorError

if TYPE_CHECKING:
    from .coordinator import PiAlertCoordinator


@contextmanager
def monitor_errors() -> Iterator[None]:
    """Turn the engine's refusals into translated validation errors."""
    try:
        yield
    except MonitorError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=err.key,
            translation_placeholders=err.placeholders,
        ) from err


async def async_user_name(hass: HomeAssistant, context: Context | None) -> str:
    """Return who acts: the user's name, or Home Assistant for automations."""
    if context is not None and context.user_id:
        user = await hass.auth.async_get_user(context.user_id)
        if user is not None and user.name:
            return user.name
    return "Home Assistant"


async def async_set_targets_enabled(
    coordinator: PiAlertCoordinator, target_ids: Iterable[str], enabled: bool
) -> None:
    """Pause or resume targets by changing their subentries (the UI sees it too)."""
    entry = coordinator.config_entry
    hass = coordinator.hass
    for target_id in target_ids:
        subentry = entry.subentries[target_id]
        if subentry.data.get("enabled", True) != enabled:
            hass.config_entries.async_update_subentry(
                entry, subentry, data={**subentry.data, "enabled": enabled}
            )
