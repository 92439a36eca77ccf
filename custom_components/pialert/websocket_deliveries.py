"""``pialert/deliveries``: the notification rules' last deliveries, for the panel."""

from __future__ import annotations

from typing import Any

from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import websocket_command
from homeassistant.core import HomeAssistant, callback
import probatio as vol

from .api.deliveries import delivery_page
from .api.request import DEFAULT_LIMIT
from .notify_log import MAX_RECORDS


@websocket_command(
    {
        vol.Required("type"): "pialert/deliveries",
        vol.Optional("rule_id"): str,
        vol.Optional("limit", default=DEFAULT_LIMIT): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=MAX_RECORDS)
        ),
    }
)
@callback
def ws_deliveries(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Return the last deliveries, newest first, as ``GET /deliveries`` does.

    Any signed-in user may read them: the shaping keeps secrets out (webhook
    secrets are never recorded; Alertmanager URLs lose their password).
    """
    connection.send_result(
        msg["id"], delivery_page(hass, msg.get("rule_id"), msg["limit"])
    )
