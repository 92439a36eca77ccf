"""Binary sensors: a problem sensor per target and the hub's Alert."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import PiAlertConfigEntry
from .engine.models import Status
from .engine.state import Snapshot, TargetView
from .entity import PiAlertHubEntity, PiAlertTargetEntity, async_add_target_entities

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class TargetBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor reading a target's view."""

    is_on_fn: Callable[[TargetView], bool | None]


@dataclass(frozen=True, kw_only=True)
class HubBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor reading the whole snapshot."""

    is_on_fn: Callable[[Snapshot], bool]


def _is_down(view: TargetView) -> bool | None:
    """Return whether the target is down; unknown before its first result."""
    if view.status is Status.UNKNOWN:
        return None  # never checked (e.g. a heartbeat never pinged) is not OK
    return view.status is Status.DOWN


TARGET_PROBLEM = TargetBinarySensorDescription(
    key="problem",
    name=None,  # the target's main entity carries the device's name
    device_class=BinarySensorDeviceClass.PROBLEM,
    is_on_fn=_is_down,
)

HUB_ALERT = HubBinarySensorDescription(
    key="alert",
    translation_key="alert",
    device_class=BinarySensorDeviceClass.PROBLEM,
    is_on_fn=lambda snapshot: snapshot.alert,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PiAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the hub's Alert and each target's problem sensor."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities([HubBinarySensor(coordinator, HUB_ALERT)])
    async_add_target_entities(
        coordinator,
        entry,
        async_add_entities,
        lambda target_id, _view: [
            TargetBinarySensor(coordinator, TARGET_PROBLEM, target_id)
        ],
    )


class TargetBinarySensor(PiAlertTargetEntity, BinarySensorEntity):
    """On while the target is down."""

    entity_description: TargetBinarySensorDescription

    def _current(self) -> Hashable:
        return self.is_on

    @property
    def is_on(self) -> bool | None:
        """Return whether the target is down."""
        view = self.view
        return self.entity_description.is_on_fn(view) if view else None


class HubBinarySensor(PiAlertHubEntity, BinarySensorEntity):
    """The hub's Alert: exactly the API's ``alert`` field."""

    entity_description: HubBinarySensorDescription

    def _current(self) -> Hashable:
        return self.is_on

    @property
    def is_on(self) -> bool | None:
        """Return whether the hub alerts."""
        data = self.coordinator.data
        return self.entity_description.is_on_fn(data) if data else None
