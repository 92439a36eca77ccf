"""Websocket commands for the card and the panel (Home Assistant's own socket).

Any logged-in user reads; acknowledge and silence run as that user through
the one command door, as the services do, so history names who acted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    async_response,
    websocket_command,
)
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
import probatio as vol

from .api import loaded_hub_data
from .api.checks import check_json
from .api.history import incident_json
from .card_views import CardFeed
from .card_warm import async_build_views, card_device_lookup
from .commands import HubCommands
from .coordinator import PiAlertData
from .engine.check_log import CHECK_LOG_SIZE
from .engine.daily_uptime import DAYS_KEPT
from .engine.errors import RefusedError
from .engine.history import DAY
from .engine.silences import SilenceRequest, UnsilenceRequest
from .helpers import async_user_name
from .refusals import refusal_text
from .websocket_deliveries import ws_deliveries

ERR_NOT_LOADED: Final = "not_loaded"
ERR_REFUSED: Final = "refused"
MAX_INCIDENTS: Final = 500


def async_register_websocket_commands(hass: HomeAssistant) -> None:
    """Register the commands (once, from ``async_setup``)."""
    for command in (
        ws_subscribe_targets,
        ws_target_checks,
        ws_incidents,
        ws_incident,
        ws_acknowledge,
        ws_unacknowledge,
        ws_silence,
        ws_unsilence,
        ws_deliveries,
    ):
        async_register_command(hass, command)


def _hub(connection: ActiveConnection, msg: dict[str, Any]) -> PiAlertData | None:
    data = loaded_hub_data(connection.hass)
    if data is None:
        connection.send_error(msg["id"], ERR_NOT_LOADED, "PiAlert is not set up.")
    return data


def _known_target(
    connection: ActiveConnection,
    msg: dict[str, Any],
    data: PiAlertData,
) -> bool:
    if msg["target_id"] in data.coordinator.monitor.targets:
        return True
    _refuse(connection, msg, RefusedError("unknown_target", target=msg["target_id"]))
    return False


def _refuse(
    connection: ActiveConnection,
    msg: dict[str, Any],
    err: RefusedError,
) -> None:
    connection.send_error(msg["id"], ERR_REFUSED, refusal_text(err))


@websocket_command({vol.Required("type"): "pialert/targets/subscribe"})
@async_response
async def ws_subscribe_targets(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Send every target's view, then only the views that change.

    Events: ``{"targets": [...]}`` first, then ``{"changed": [...],
    "removed": [ids]}``; ``{"reload": true}`` when the hub unloads (the
    client subscribes again).
    """
    if (data := _hub(connection, msg)) is None:
        return
    coordinator = data.coordinator
    entry = coordinator.config_entry
    feed = CardFeed(coordinator, card_device_lookup(hass, entry))
    # Views are shared and kept built from setup on (card_warm); any still
    # stale (a snapshot just published) are built in chunks, not at once.
    await async_build_views(
        coordinator, feed.views, feed.views.stale(coordinator.data, coordinator.now())
    )
    snapshot, now = coordinator.data, coordinator.now()
    if entry.state is not ConfigEntryState.LOADED:
        connection.send_error(msg["id"], ERR_NOT_LOADED, "PiAlert is not set up.")
        return

    @callback
    def forward_changes() -> None:
        changed, removed = feed.changes(coordinator.data, coordinator.now())
        if changed or removed:
            connection.send_message(
                event_message(msg["id"], {"changed": changed, "removed": removed})
            )

    remove_listener = coordinator.async_add_listener(forward_changes)

    @callback
    def on_entry_state() -> None:
        # Once unloaded, this coordinator is done: tell the client once.
        if entry.state is ConfigEntryState.LOADED:
            return
        unsubscribe()
        connection.send_message(event_message(msg["id"], {"reload": True}))

    remove_state_listener = entry.async_on_state_change(on_entry_state)

    listening = True

    @callback
    def unsubscribe() -> None:
        nonlocal listening
        if listening:
            listening = False
            remove_listener()
            remove_state_listener()

    connection.subscriptions[msg["id"]] = unsubscribe
    connection.send_result(msg["id"])
    connection.send_message(
        event_message(msg["id"], {"targets": feed.full(snapshot, now)})
    )
    # What was published while the views were built follows as a change.
    forward_changes()


@websocket_command(
    {
        vol.Required("type"): "pialert/targets/checks",
        vol.Required("target_id"): str,
        vol.Optional("days", default=30): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=DAYS_KEPT)
        ),
    }
)
@callback
def ws_target_checks(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Return a target's last checks (newest first) and its daily uptime."""
    if (data := _hub(connection, msg)) is None or not _known_target(
        connection, msg, data
    ):
        return
    history = data.coordinator.monitor.history
    target_id = msg["target_id"]
    checks, _ = history.checks.page(target_id, limit=CHECK_LOG_SIZE)
    days = history.days.bars(target_id, data.coordinator.now(), msg["days"])
    connection.send_result(
        msg["id"],
        {
            "target_id": target_id,
            "checks": [check_json(check) for check in checks],
            "days": [
                {
                    "day": bar.day.isoformat(),
                    "ok": bar.ok,
                    "total": bar.total,
                    "uptime": bar.uptime,
                }
                for bar in days
            ],
        },
    )


@websocket_command(
    {
        vol.Required("type"): "pialert/incidents",
        vol.Optional("target_id"): str,
        vol.Optional("limit", default=50): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=MAX_INCIDENTS)
        ),
    }
)
@callback
def ws_incidents(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Return open incidents, then the most recent closed ones, newest first."""
    if (data := _hub(connection, msg)) is None:
        return
    found = data.coordinator.monitor.history.incidents_between(
        None, None, msg.get("target_id")
    )
    found.sort(key=lambda incident: incident.ended_at is not None)
    connection.send_result(
        msg["id"],
        {"incidents": [incident_json(i) for i in found[: msg["limit"]]]},
    )


@websocket_command(
    {vol.Required("type"): "pialert/incident", vol.Required("incident_id"): str}
)
@async_response
async def ws_incident(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Show one incident; its first view is recorded as the connection's user."""
    await _async_act(
        connection,
        msg,
        lambda commands, by: {
            "incident": incident_json(commands.view_incident(msg["incident_id"], by))
        },
    )


@websocket_command(
    {
        vol.Required("type"): "pialert/acknowledge",
        vol.Required("target_id"): str,
        vol.Optional("note"): vol.All(str, vol.Length(max=500)),
    }
)
@async_response
async def ws_acknowledge(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Acknowledge a down target as the connection's user."""
    await _async_act(
        connection,
        msg,
        lambda commands, by: commands.acknowledge(
            [msg["target_id"]], by, msg.get("note")
        ),
    )


@websocket_command(
    {vol.Required("type"): "pialert/unacknowledge", vol.Required("target_id"): str}
)
@async_response
async def ws_unacknowledge(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Withdraw a target's acknowledgement as the connection's user."""
    await _async_act(
        connection,
        msg,
        lambda commands, by: commands.unacknowledge([msg["target_id"]], by),
    )


@websocket_command(
    {
        vol.Required("type"): "pialert/silence",
        vol.Required("target_id"): str,
        vol.Exclusive("duration", "end"): vol.All(
            vol.Coerce(int), vol.Range(min=60, max=365 * DAY)
        ),
        vol.Exclusive("ends_at", "end"): cv.datetime,
        vol.Optional("comment", default=""): vol.All(str, vol.Length(max=500)),
    }
)
@async_response
async def ws_silence(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Silence one target for ``duration`` seconds or until ``ends_at``."""
    ends_at: datetime | None = msg.get("ends_at")
    if ends_at is not None and ends_at.tzinfo is None:
        ends_at = ends_at.astimezone()  # the user's browser sends local time
    request = SilenceRequest(
        target_ids=frozenset({msg["target_id"]}),
        duration=timedelta(seconds=msg["duration"]) if "duration" in msg else None,
        ends_at=ends_at,
        comment=msg["comment"],
    )
    await _async_act(
        connection,
        msg,
        lambda commands, by: {"silence_id": commands.silence(request, by).id},
    )


@websocket_command(
    {vol.Required("type"): "pialert/unsilence", vol.Required("target_id"): str}
)
@async_response
async def ws_unsilence(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """End the silences naming this target, as the connection's user."""
    request = UnsilenceRequest(target_ids=frozenset({msg["target_id"]}))
    await _async_act(
        connection,
        msg,
        lambda commands, by: {"ended": commands.unsilence(request, by)},
    )


async def _async_act(
    connection: ActiveConnection,
    msg: dict[str, Any],
    action: Callable[[HubCommands, str], object],
) -> None:
    """Run ``action(commands, user name)``; answer its result or the refusal.

    A message naming a target is refused first if the target is unknown.
    """
    if (data := _hub(connection, msg)) is None or (
        "target_id" in msg and not _known_target(connection, msg, data)
    ):
        return
    by = await async_user_name(connection.hass, connection.context(msg))
    try:
        result = action(HubCommands.of(data), by)
    except RefusedError as err:
        _refuse(connection, msg, err)
        return
    connection.send_result(msg["id"], result)
