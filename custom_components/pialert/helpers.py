"""Who acts: shared by services and entities."""

from __future__ import annotations

from homeassistant.core import Context, HomeAssistant


async def async_user_name(hass: HomeAssistant, context: Context | None) -> str:
    """Return who acts: the user's name, or Home Assistant for automations."""
    if context is not None and context.user_id:
        user = await hass.auth.async_get_user(context.user_id)
        if user is not None and user.name:
            return user.name
    return "Home Assistant"
