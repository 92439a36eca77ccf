"""Sensors: status, timings and counters per target; hub counters."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import PiAlertConfigEntry
from .const import HEARTBEAT_URL
from .engine.alerting import Snapshot, TargetView
from .engine.models import Status, TargetKind
from .entity import PiAlertHubEntity, PiAlertTargetEntity, async_add_target_entities

PARALLEL_UPDATES = 0

# Names listed in the failing-targets attribute; the count is always exact.
MAX_LISTED_TARGETS = 20


@dataclass(frozen=True, kw_only=True)
class TargetSensorDescription(SensorEntityDescription):
    """A sensor reading a target's view."""

    value_fn: Callable[[TargetView], str | int | float | datetime | None]
    attributes_fn: Callable[[TargetView], Mapping[str, Any]] | None = None
    exists_fn: Callable[[TargetView], bool] = lambda _view: True


@dataclass(frozen=True, kw_only=True)
class HubSensorDescription(SensorEntityDescription):
    """A sensor reading the whole snapshot."""

    value_fn: Callable[[Snapshot], int]
    attributes_fn: Callable[[Snapshot], Mapping[str, Any]] | None = None


def _status_attributes(view: TargetView) -> dict[str, Any]:
    ack = view.acknowledgement
    attributes: dict[str, Any] = {
        "acknowledged": ack is not None,
        "acknowledged_by": ack.by if ack else None,
        "acknowledgement_note": ack.note if ack else None,
        "silenced": view.silenced,
        "last_error": view.last_error,
    }
    if view.target.kind is TargetKind.HEARTBEAT:
        attributes["ping_url"] = HEARTBEAT_URL.format(
            token=view.target.settings["token"]
        )
    return attributes


TARGET_SENSORS: tuple[TargetSensorDescription, ...] = (
    TargetSensorDescription(
        key="status",
        translation_key="status",
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in Status],
        value_fn=lambda view: view.status.value,
        attributes_fn=_status_attributes,
    ),
    TargetSensorDescription(
        key="response_time",
        translation_key="response_time",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MILLISECONDS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        # It changes with every check: opt in to keep the recorder small.
        entity_registry_enabled_default=False,
        exists_fn=lambda view: view.target.kind is not TargetKind.ENTITY,
        value_fn=lambda view: (
            round(view.response_time_ms, 1)
            if view.response_time_ms is not None
            else None
        ),
    ),
    TargetSensorDescription(
        key="consecutive_failures",
        translation_key="consecutive_failures",
        entity_category=EntityCategory.DIAGNOSTIC,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda view: view.consecutive_failures,
    ),
    TargetSensorDescription(
        key="uptime_24h",
        translation_key="uptime_24h",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda view: view.uptime_24h,
    ),
    TargetSensorDescription(
        key="last_check",
        translation_key="last_check",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda view: view.last_check,
    ),
    TargetSensorDescription(
        key="cert_days_remaining",
        translation_key="cert_days_remaining",
        native_unit_of_measurement=UnitOfTime.DAYS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda view: view.cert_days_remaining,
        exists_fn=lambda view: (
            view.target.kind is TargetKind.HTTP
            and str(view.target.settings.get("url", "")).lower().startswith("https:")
        ),
    ),
)


def _failing_attributes(snapshot: Snapshot) -> dict[str, Any]:
    return {"targets": [f.name for f in snapshot.failing[:MAX_LISTED_TARGETS]]}


HUB_SENSORS: tuple[HubSensorDescription, ...] = (
    HubSensorDescription(
        key="failing_targets",
        translation_key="failing_targets",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda snapshot: len(snapshot.failing),
        attributes_fn=_failing_attributes,
    ),
    HubSensorDescription(
        key="active_silences",
        translation_key="active_silences",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda snapshot: snapshot.active_silences,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PiAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add hub sensors and each target's sensors."""
    coordinator = entry.runtime_data
    async_add_entities(HubSensor(coordinator, d) for d in HUB_SENSORS)
    async_add_target_entities(
        coordinator,
        entry,
        async_add_entities,
        lambda target_id, view: [
            TargetSensor(coordinator, d, target_id)
            for d in TARGET_SENSORS
            if d.exists_fn(view)
        ],
    )


class TargetSensor(PiAlertTargetEntity, SensorEntity):
    """A value of one target."""

    entity_description: TargetSensorDescription
    # Secrets and free text stay out of the recorder.
    _unrecorded_attributes = frozenset(
        {"ping_url", "last_error", "acknowledgement_note"}
    )

    def _current(self) -> Hashable:
        attributes = self.extra_state_attributes
        return (
            self.native_value,
            tuple(attributes.items()) if attributes else None,
        )

    @property
    def native_value(self) -> str | int | float | datetime | None:
        """Return the value."""
        view = self.view
        return self.entity_description.value_fn(view) if view else None

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return details, if this sensor has any."""
        view = self.view
        if view is None or self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(view)


class HubSensor(PiAlertHubEntity, SensorEntity):
    """A hub-wide count."""

    entity_description: HubSensorDescription
    _unrecorded_attributes = frozenset({"targets"})

    def _current(self) -> Hashable:
        attributes = self.extra_state_attributes
        return (
            self.native_value,
            tuple((k, tuple(v)) for k, v in attributes.items()) if attributes else None,
        )

    @property
    def native_value(self) -> int | None:
        """Return the count."""
        data = self.coordinator.data
        return self.entity_description.value_fn(data) if data else None

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the names behind the count, if any."""
        data = self.coordinator.data
        if data is None or self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(data)
