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
from homeassistant.const import (
    EVENT_CORE_CONFIG_UPDATE,
    PERCENTAGE,
    EntityCategory,
    UnitOfTime,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import PiAlertConfigEntry
from .engine.models import POLLED_KINDS, Status, TargetKind
from .engine.settings import HeartbeatSettings, HttpSettings
from .engine.state import Snapshot, TargetView
from .entity import PiAlertHubEntity, PiAlertTargetEntity, async_add_target_entities
from .shown_response_time import ShownResponseTime
from .urls import heartbeat_ping_path, heartbeat_ping_url

PARALLEL_UPDATES = 0

# Names listed in the alerting-targets attribute; the count is always exact.
MAX_LISTED_TARGETS = 20

# Shown instead of "down" once someone acknowledged the alert. Only this
# sensor shows it: the engine and the API keep "down" (the API contract).
ACKNOWLEDGED = "acknowledged"

# The frontend colours an enum sensor's history timeline by the index of the
# state in ``options`` (palette: blue, amber, red, teal-green, purple, pink),
# so this order makes down red, pending amber and up green.
STATUS_OPTIONS: list[str] = [
    Status.PAUSED.value,
    Status.PENDING.value,
    Status.DOWN.value,
    Status.UP.value,
    Status.UNREACHABLE.value,
    ACKNOWLEDGED,
    Status.UNKNOWN.value,  # drawn in the frontend's own "unknown" colour
]


def shown_status(view: TargetView) -> str | None:
    """Return the status as the status sensor shows it."""
    if view.status is Status.DOWN and view.acknowledgement is not None:
        return ACKNOWLEDGED
    if view.status is Status.PENDING:
        # A failure below the threshold is not a state change worth a logbook
        # line or a recorder row: show the last settled state; the count is
        # the consecutive failures sensor's, the state the API's.
        return Status.UP.value if view.last_success is not None else None
    return view.status.value


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
    if view.alert_rule is not None:  # while down: which rule put it down
        attributes["alert_rule"] = view.alert_rule.value
    if isinstance(settings := view.target.settings, HeartbeatSettings):
        # The path (scripts prefix it); the Ping URL sensor shows the full URL.
        attributes["ping_url"] = heartbeat_ping_path(settings.token)
    return attributes


def _rounded_response_time(view: TargetView) -> float | None:
    if view.response_time_ms is None:
        return None
    return round(float(view.response_time_ms), 1)


TARGET_SENSORS: tuple[TargetSensorDescription, ...] = (
    TargetSensorDescription(
        key="status",
        translation_key="status",
        device_class=SensorDeviceClass.ENUM,
        options=STATUS_OPTIONS,
        value_fn=shown_status,
        attributes_fn=_status_attributes,
    ),
    TargetSensorDescription(
        key="consecutive_failures",
        translation_key="consecutive_failures",
        entity_category=EntityCategory.DIAGNOSTIC,
        state_class=SensorStateClass.MEASUREMENT,
        # Diagnostic, and an enabled entity costs ~7 KiB and a row per failure
        # (docs/performance.md, memory-hass); the API and /metrics keep it.
        entity_registry_enabled_default=False,
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
    # Local days of Home Assistant's time zone, today included (daily counters).
    TargetSensorDescription(
        key="uptime_90d",
        translation_key="uptime_90d",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda view: view.uptime_90d,
    ),
    TargetSensorDescription(
        key="uptime_1y",
        translation_key="uptime_1y",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda view: view.uptime_1y,
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
            isinstance(view.target.settings, HttpSettings)
            and view.target.settings.url.lower().startswith("https:")
        ),
    ),
)

RESPONSE_TIME = TargetSensorDescription(
    key="response_time",
    translation_key="response_time",
    device_class=SensorDeviceClass.DURATION,
    native_unit_of_measurement=UnitOfTime.MILLISECONDS,
    state_class=SensorStateClass.MEASUREMENT,
    suggested_display_precision=0,
    exists_fn=lambda view: view.target.kind in POLLED_KINDS,
    value_fn=_rounded_response_time,
)
# A heartbeat measures a job's run time only when the job pings its start:
# kept, but opt-in.
JOB_DURATION = TargetSensorDescription(
    key="response_time",
    translation_key="response_time",
    device_class=SensorDeviceClass.DURATION,
    native_unit_of_measurement=UnitOfTime.MILLISECONDS,
    state_class=SensorStateClass.MEASUREMENT,
    suggested_display_precision=0,
    entity_registry_enabled_default=False,
    exists_fn=lambda view: view.target.kind is TargetKind.HEARTBEAT,
    value_fn=_rounded_response_time,
)
PING_URL = TargetSensorDescription(
    key="ping_url",
    translation_key="ping_url",
    entity_category=EntityCategory.DIAGNOSTIC,
    exists_fn=lambda view: view.target.kind is TargetKind.HEARTBEAT,
    value_fn=lambda _view: None,  # the URL needs Home Assistant: see PingUrlSensor
)


def _alerting_attributes(snapshot: Snapshot) -> dict[str, Any]:
    return {"targets": [f.name for f in snapshot.failing[:MAX_LISTED_TARGETS]]}


HUB_SENSORS: tuple[HubSensorDescription, ...] = (
    HubSensorDescription(
        # Counts what the hub alerts for (the API's failing_count): down,
        # not acknowledged, not silenced, not unreachable. The key keeps
        # the first name so existing unique ids stay.
        key="failing_targets",
        translation_key="alerting_targets",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda snapshot: len(snapshot.failing),
        attributes_fn=_alerting_attributes,
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
    coordinator = entry.runtime_data.coordinator
    async_add_entities(HubSensor(coordinator, d) for d in HUB_SENSORS)

    def build(target_id: str, view: TargetView) -> list[TargetSensor]:
        sensors = [
            TargetSensor(coordinator, d, target_id)
            for d in TARGET_SENSORS
            if d.exists_fn(view)
        ]
        sensors += [
            ResponseTimeSensor(coordinator, d, target_id)
            for d in (RESPONSE_TIME, JOB_DURATION)
            if d.exists_fn(view)
        ]
        if PING_URL.exists_fn(view):
            sensors.append(PingUrlSensor(coordinator, PING_URL, target_id))
        return sensors

    async_add_target_entities(coordinator, entry, async_add_entities, build)


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


class ResponseTimeSensor(TargetSensor):
    """The response time, written only when it changed meaningfully."""

    def __init__(self, *args: Any) -> None:
        """Start with nothing shown; a job's run time is shown at once."""
        super().__init__(*args)
        self._shown = ShownResponseTime(
            confirm=self.entity_description is not JOB_DURATION
        )

    def _current(self) -> Hashable:
        view = self.view
        measured = _rounded_response_time(view) if view else None
        return self._shown.update(measured, view.last_check if view else None)

    @property
    def native_value(self) -> float | None:
        """Return the last response time that differed enough to be shown."""
        return self._shown.shown


class PingUrlSensor(TargetSensor):
    """A heartbeat's full ping URL, for the device page (copy it into the job)."""

    async def async_added_to_hass(self) -> None:
        """Follow changes of Home Assistant's own URLs too."""
        await super().async_added_to_hass()

        @callback
        def _core_config_updated(_event: Event[Any]) -> None:
            self._handle_coordinator_update()

        self.async_on_remove(
            self.hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, _core_config_updated)
        )

    @property
    def native_value(self) -> str | None:
        """Return the full ping URL."""
        view = self.view
        if view is None or not isinstance(view.target.settings, HeartbeatSettings):
            return None
        return heartbeat_ping_url(self.hass, view.target.settings.token)


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
