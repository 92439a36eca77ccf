"""Real-time events for clients outside Home Assistant (SSE and WebSocket).

The hub's events (target status changes, alert started/cleared, incidents
opened/updated/resolved, status page messages) are put on each subscribed
client's bounded queue without waiting. A client whose queue is full is
dropped with a reason: a slow reader never holds Home Assistant up, and the
memory a client can cost is bounded. Each key may hold a few streams at once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
import logging
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN, EVENT_PREFIX
from ..engine.snapshot_changes import SnapshotFollower
from .base import ApiError
from .keys import ApiKey

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator

_LOGGER = logging.getLogger(__name__)

CHANNEL_STATUS: Final = "monitor.status"
CHANNEL_ALERTS: Final = "alert.status"
CHANNEL_INCIDENTS: Final = "incident.updates"
CHANNELS: Final = (CHANNEL_STATUS, CHANNEL_ALERTS, CHANNEL_INCIDENTS)
QUEUE_SIZE: Final = 256
"""Events waiting for one client; one more drops it."""
MAX_STREAMS_PER_KEY: Final = 5
ABORT_AFTER_SECONDS: Final = 1.0
# Kernel send buffer of a stream: with aiohttp's own buffer, what a client that
# stops reading can hold before its queue fills and it is dropped.
STREAM_SEND_BUFFER: Final = 65536
SLOW_CLIENT: Final = "Too slow: more than {size} events waited to be sent"
_LIVE: Final[HassKey[LiveEvents]] = HassKey(f"{DOMAIN}_live_events")

# Home Assistant bus events → (channel, event name).
_BUS_EVENTS: Final = {
    "target_down": (CHANNEL_INCIDENTS, "incident.opened"),
    "target_up": (CHANNEL_INCIDENTS, "incident.resolved"),
    "acknowledged": (CHANNEL_INCIDENTS, "incident.updated"),
    "incident_updated": (CHANNEL_INCIDENTS, "incident.updated"),
    "status_page_incident": (CHANNEL_INCIDENTS, "status_page.incident"),
    "alert_started": (CHANNEL_ALERTS, "alert.started"),
    "alert_cleared": (CHANNEL_ALERTS, "alert.cleared"),
}
# Fields of bus events that mean nothing outside Home Assistant.
_HA_ONLY: Final = frozenset({"device_id"})


def now_text() -> str:
    """Return the current time as the events write it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True, eq=False)
class LiveClient:
    """One connected stream: its key, channels and bounded queue."""

    key: ApiKey
    channels: frozenset[str]
    queue: asyncio.Queue[dict[str, Any] | None] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_SIZE)
    )
    closed: str | None = None
    """Why the stream ends (dropped as too slow, hub unloaded), once it does."""
    abort: Callable[[], None] | None = None
    """Cuts the connection of a client too slow to take even its last message."""

    def offer(self, message: dict[str, Any]) -> None:
        """Queue a message without waiting; a full queue drops the client."""
        if self.closed is not None or message["channel"] not in self.channels:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.end(SLOW_CLIENT.format(size=QUEUE_SIZE))
            if self.abort is not None:
                # Its writer is stuck on a full socket: give the reason a moment
                # to get through, then free the buffers.
                asyncio.get_running_loop().call_later(ABORT_AFTER_SECONDS, self.abort)

    def end(self, reason: str) -> None:
        """End the stream: drop what waits and wake its writer."""
        if self.closed is not None:
            return
        self.closed = reason
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)


class LiveEvents:
    """The hub's event fan-out to connected streams."""

    def __init__(self, coordinator: PiAlertCoordinator) -> None:
        """Follow this hub's coordinator (see ``async_start_live_events``)."""
        self._coordinator = coordinator
        self.clients: set[LiveClient] = set()
        self._per_key: Counter[str] = Counter()
        self._seen = SnapshotFollower()

    def open(self, key: ApiKey, channels: Iterable[str]) -> LiveClient:
        """Register a stream, or refuse when the key holds too many."""
        if self._per_key[key.id] >= MAX_STREAMS_PER_KEY:
            raise ApiError(
                HTTPStatus.TOO_MANY_REQUESTS,
                "Too many open event streams for this API key "
                f"(at most {MAX_STREAMS_PER_KEY})",
            )
        client = LiveClient(key, frozenset(channels))
        if not self.clients:
            # Status changes are told from here on.
            self._seen.last = self._coordinator.data
        self.clients.add(client)
        self._per_key[key.id] += 1
        return client

    def close(self, client: LiveClient) -> None:
        """Forget a stream that ended."""
        if client in self.clients:
            self.clients.discard(client)
            self._per_key[client.key.id] -= 1
            if client.closed is not None and client.closed.startswith("Too slow"):
                _LOGGER.info(
                    "Dropped an event stream of API key %s: %s",
                    client.key.name,
                    client.closed,
                )

    def publish(self, message: dict[str, Any]) -> None:
        """Offer a message to every stream."""
        for client in list(self.clients):
            client.offer(message)

    @callback
    def snapshot_changed(self) -> None:
        """Tell streams of targets whose status changed."""
        snapshot = self._coordinator.data
        last = self._seen.last
        # Only the targets the snapshot changed are looked at, not all.
        changed = self._seen.advance(snapshot)
        if not self.clients or last is None or snapshot is last:
            return
        targets = snapshot.targets
        for target_id in (
            targets if changed is None else sorted(t for t in changed if t in targets)
        ):
            view = targets[target_id]
            before = last.targets.get(target_id)
            if before is view or (before is not None and before.status is view.status):
                continue
            self.publish(
                {
                    "event": CHANNEL_STATUS,
                    "channel": CHANNEL_STATUS,
                    "timestamp": now_text(),
                    "monitor": {
                        "id": target_id,
                        "name": view.target.name,
                        "kind": view.target.kind.value,
                        "status": view.status.value,
                        "previous_status": before.status.value if before else None,
                    },
                }
            )

    @callback
    def bus_event(self, event: Event[dict[str, Any]]) -> None:
        """Turn a PiAlert bus event into a stream message."""
        if not self.clients:
            return
        channel, name = _BUS_EVENTS[str(event.event_type).removeprefix(EVENT_PREFIX)]
        data = {k: v for k, v in event.data.items() if k not in _HA_ONLY}
        if channel == CHANNEL_INCIDENTS and "target_id" in data:
            data.setdefault("incident_id", self._incident_id(str(data["target_id"])))
        body_name = "alert" if channel == CHANNEL_ALERTS else "incident"
        self.publish(
            {
                "event": name,
                "channel": channel,
                "timestamp": now_text(),
                body_name: data,
            }
        )

    def _incident_id(self, target_id: str) -> str | None:
        state = self._coordinator.monitor.states.get(target_id)
        if state is not None and state.incident_id is not None:
            return state.incident_id
        # Just resolved: the target's newest incident.
        incidents = self._coordinator.monitor.history.incidents.values()
        for incident in reversed(list(incidents)):
            if incident.target_id == target_id:
                return incident.id
        return None

    def stop(self, reason: str) -> None:
        """End every stream (the hub unloads)."""
        for client in list(self.clients):
            client.end(reason)


def live_events(hass: HomeAssistant) -> LiveEvents | None:
    """Return the loaded hub's event fan-out."""
    return hass.data.get(_LIVE)


@callback
def async_start_live_events(
    hass: HomeAssistant, coordinator: PiAlertCoordinator
) -> CALLBACK_TYPE:
    """Follow the hub's snapshots and bus events; return the stopper."""
    live = hass.data[_LIVE] = LiveEvents(coordinator)
    unsubscribers: list[Callable[[], None]] = [
        coordinator.async_add_listener(live.snapshot_changed)
    ]
    unsubscribers += [
        hass.bus.async_listen(f"{EVENT_PREFIX}{name}", live.bus_event)
        for name in _BUS_EVENTS
    ]

    @callback
    def stop() -> None:
        for unsubscribe in unsubscribers:
            unsubscribe()
        live.stop("PiAlert was unloaded")
        if hass.data.get(_LIVE) is live:
            del hass.data[_LIVE]

    return stop
