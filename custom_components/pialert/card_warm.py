"""Keep the card's views built from setup on, so subscribing costs no building.

Building every target's view takes about 0.1 ms a target (its check bars,
uptimes and status time), 100 ms or more for 1,000 targets: too long for a
subscriber to wait. The views are built in chunks once the hub is set up and
rebuilt, again in chunks, for the targets each new snapshot changes, so the
first subscriber's message is only the kept views put together. A view names
its target's device: one built before the device existed is rebuilt when the
device registry creates it (entities of an import are added in slices).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Final

from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .card_views import SharedViews
from .const import DOMAIN
from .coordinator import PiAlertConfigEntry, PiAlertCoordinator

BUILD_CHUNK: Final = 25
"""Views built between two yields to the event loop (about 2 ms: a burst's other
work, writing entities and sending messages, shares each loop turn)."""
BUILD_AT_ONCE: Final = 5
"""Views a snapshot may change and still be rebuilt at once (under 1 ms):
cheaper than a background task for each of the many snapshots of one check."""


def card_device_lookup(
    hass: HomeAssistant, entry: PiAlertConfigEntry
) -> Callable[[str], str | None]:
    """Return a function naming a target's device id (None until it exists)."""
    devices = dr.async_get(hass)

    def device_id(target_id: str) -> str | None:
        device = devices.async_get_device_by_identifier(
            (DOMAIN, target_id), entry.entry_id
        )
        return device.id if device is not None else None

    return device_id


async def async_build_views(
    coordinator: PiAlertCoordinator, views: SharedViews, target_ids: list[str]
) -> None:
    """Build these targets' views in chunks, yielding to the loop between.

    Each chunk reads the latest snapshot, leaving out targets removed since.
    """
    for start in range(0, len(target_ids), BUILD_CHUNK):
        snapshot = coordinator.data
        chunk = target_ids[start : start + BUILD_CHUNK]
        views.views(
            snapshot, [t for t in chunk if t in snapshot.targets], coordinator.now()
        )
        await asyncio.sleep(0)


class CardViewWarmer:
    """Rebuilds the views a snapshot made stale, in the background."""

    def __init__(
        self, hass: HomeAssistant, entry: PiAlertConfigEntry, views: SharedViews
    ) -> None:
        """Keep ``views`` of ``entry``'s coordinator current."""
        self._hass = hass
        self._entry = entry
        self._views = views
        self._task: asyncio.Task[None] | None = None
        self._again = False

    @callback
    def schedule(self) -> None:
        """Rebuild what is stale soon (once, however many snapshots come)."""
        coordinator = self._entry.runtime_data.coordinator
        if (snapshot := coordinator.data) is not None:
            self._views.note(snapshot)
        if self._task is not None and not self._task.done():
            self._again = True
            return
        waiting = self._views.waiting
        if snapshot is not None and waiting is not None and waiting <= BUILD_AT_ONCE:
            now = coordinator.now()
            self._views.views(snapshot, self._views.stale(snapshot, now), now)
            return
        self._task = self._entry.async_create_background_task(
            self._hass, self._rebuild(), "pialert card views"
        )

    async def _rebuild(self) -> None:
        coordinator = self._entry.runtime_data.coordinator
        again = True
        while again:
            self._again = False
            stale = self._views.stale(coordinator.data, coordinator.now())
            await async_build_views(coordinator, self._views, stale)
            again = self._again

    @callback
    def device_created(self, event: Event[dr.EventDeviceRegistryUpdatedData]) -> None:
        """Rebuild the view of a target whose device was just created."""
        device = dr.async_get(self._hass).async_get(event.data["device_id"])
        if device is None or self._entry.entry_id not in device.config_entries:
            return
        for domain, target_id in device.identifiers:
            if domain == DOMAIN:
                self._views.invalidate(target_id)
                self.schedule()


@callback
def _is_created(event_data: dr.EventDeviceRegistryUpdatedData) -> bool:
    return event_data["action"] == "create"


@callback
def async_keep_card_views(hass: HomeAssistant, entry: PiAlertConfigEntry) -> None:
    """Build the card's views now and after every snapshot (until unload)."""
    coordinator = entry.runtime_data.coordinator
    warmer = CardViewWarmer(
        hass, entry, SharedViews(coordinator, card_device_lookup(hass, entry))
    )
    entry.async_on_unload(coordinator.async_add_listener(warmer.schedule))
    entry.async_on_unload(
        hass.bus.async_listen(
            dr.EVENT_DEVICE_REGISTRY_UPDATED,
            warmer.device_created,
            event_filter=_is_created,
        )
    )
    warmer.schedule()
