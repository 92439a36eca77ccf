"""Action buttons of phone notifications: Acknowledge and Silence 1 h.

The mobile app fires ``mobile_app_notification_action`` with the tapped
button's ``action``; PiAlert's actions carry the target ids, and the tap
goes through the hub's one command door like any user action.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
import logging
from typing import Any, Final

from homeassistant.core import Event, HomeAssistant, callback

from .api import loaded_hub_data
from .commands import HubCommands
from .engine.errors import RefusedError
from .engine.silences import SilenceRequest
from .helpers import async_user_name

_LOGGER = logging.getLogger(__name__)

MOBILE_ACTION_EVENT: Final = "mobile_app_notification_action"
ACK_PREFIX: Final = "PIALERT_ACK:"
SILENCE_PREFIX: Final = "PIALERT_SILENCE_1H:"
SILENCE_DURATION: Final = timedelta(hours=1)


def action_buttons(
    target_ids: Sequence[str], ack_title: str, silence_title: str
) -> list[dict[str, str]]:
    """Return the notify ``data.actions`` for an alert about these targets."""
    ids = ",".join(target_ids)
    return [
        {"action": f"{ACK_PREFIX}{ids}", "title": ack_title},
        {"action": f"{SILENCE_PREFIX}{ids}", "title": silence_title},
    ]


@callback
def async_listen_actions(hass: HomeAssistant) -> Callable[[], None]:
    """Act on PiAlert's buttons when tapped; return the unsubscribe."""

    async def _async_on_action(event: Event[dict[str, Any]]) -> None:
        action = str(event.data.get("action", ""))
        if not action.startswith((ACK_PREFIX, SILENCE_PREFIX)):
            return
        data = loaded_hub_data(hass)
        if data is None:
            return
        hub = HubCommands.of(data)
        prefix, _, ids_text = action.partition(":")
        known = data.coordinator.monitor.targets
        target_ids = [t for t in ids_text.split(",") if t in known]
        if not target_ids:
            return
        by = await async_user_name(hass, event.context)
        try:
            if f"{prefix}:" == ACK_PREFIX:
                hub.acknowledge(target_ids, by, "from a notification")
            else:
                request = SilenceRequest(
                    target_ids=frozenset(target_ids),
                    duration=SILENCE_DURATION,
                    comment="from a notification",
                )
                hub.silence(request, by)
        except RefusedError as err:
            # Tapped after someone else acted (or the target recovered).
            _LOGGER.info("Notification action %s refused: %s", action, err.key)

    return hass.bus.async_listen(MOBILE_ACTION_EVENT, _async_on_action)
