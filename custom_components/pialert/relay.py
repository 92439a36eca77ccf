"""A GPIO relay (siren, lamp, stack light) that follows the alert state.

GPIO calls block, so every one runs in the executor. Blinking is timed by
Home Assistant's scheduler rather than a gpiozero background thread, which
keeps it testable with a frozen clock and stops cleanly on unload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
import logging
from typing import Any, Protocol

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later

from .const import ISSUE_RELAY_UNAVAILABLE
from .engine.snapshot_changes import LoudTargets
from .engine.state import Snapshot
from .issues import async_clear_issue, async_raise_issue

_LOGGER = logging.getLogger(__name__)

CONF_RELAY_ENABLED = "relay_enabled"
CONF_RELAY_PIN = "relay_pin"
CONF_RELAY_ACTIVE_LOW = "relay_active_low"
CONF_RELAY_MODE = "relay_mode"
CONF_RELAY_PATTERN = "relay_pattern"
CONF_RELAY_ON_SECONDS = "relay_on_seconds"
CONF_RELAY_OFF_SECONDS = "relay_off_seconds"


class RelayMode(StrEnum):
    """What the relay follows."""

    FOLLOW_ALERT = "follow_alert"
    """On while any target is down, acknowledged or not (a status lamp)."""
    FOLLOW_UNACKNOWLEDGED = "follow_unacknowledged"
    """On while the hub alerts: some down target is unacknowledged (a siren)."""
    MANUAL = "manual"
    """Only the switch entity moves it."""


class RelayPattern(StrEnum):
    """How an active relay behaves."""

    STEADY = "steady"
    BLINK = "blink"


@dataclass(frozen=True, slots=True)
class RelaySettings:
    """The relay options of the hub."""

    pin: int
    active_low: bool = False
    mode: RelayMode = RelayMode.FOLLOW_UNACKNOWLEDGED
    pattern: RelayPattern = RelayPattern.STEADY
    on_seconds: float = 1.0
    off_seconds: float = 1.0

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> RelaySettings | None:
        """Return the relay settings, or None when the relay is off."""
        if not options.get(CONF_RELAY_ENABLED):
            return None
        return cls(
            pin=int(options[CONF_RELAY_PIN]),
            active_low=bool(options.get(CONF_RELAY_ACTIVE_LOW, False)),
            mode=RelayMode(
                options.get(CONF_RELAY_MODE, RelayMode.FOLLOW_UNACKNOWLEDGED)
            ),
            pattern=RelayPattern(options.get(CONF_RELAY_PATTERN, RelayPattern.STEADY)),
            on_seconds=float(options.get(CONF_RELAY_ON_SECONDS, 1.0)),
            off_seconds=float(options.get(CONF_RELAY_OFF_SECONDS, 1.0)),
        )


class SnapshotSource(Protocol):
    """Where the relay reads the alert state: the hub's coordinator."""

    data: Snapshot

    def async_add_listener(
        self, update_callback: CALLBACK_TYPE, context: Any = None
    ) -> Callable[[], None]:
        """Call ``update_callback`` when a new snapshot is published."""


class _OutputDevice(Protocol):
    def on(self) -> None: ...
    def off(self) -> None: ...
    def close(self) -> None: ...


class Relay:
    """Drives the pin from the hub's snapshots."""

    def __init__(
        self, hass: HomeAssistant, snapshots: SnapshotSource, settings: RelaySettings
    ) -> None:
        """Prepare; nothing touches the pin until ``async_start``."""
        self.hass = hass
        self._snapshots = snapshots
        self.settings = settings
        self._device: _OutputDevice | None = None
        self._wanted_by_alerts = False
        # Kept from each snapshot's changes, not found by walking every target.
        self._loud = LoudTargets()
        self.override: bool | None = None
        """A manual state that holds until the alert state next changes."""
        self._blink_cancel: CALLBACK_TYPE | None = None
        self._unsubs: list[CALLBACK_TYPE] = []
        self._listeners: list[CALLBACK_TYPE] = []

    @property
    def available(self) -> bool:
        """Return whether the pin could be opened."""
        return self._device is not None

    @property
    def is_on(self) -> bool:
        """Return whether the relay is active (steady on or blinking)."""
        if self.override is not None:
            return self.override
        return self._wanted_by_alerts

    def _open(self) -> _OutputDevice:
        from gpiozero import OutputDevice  # noqa: PLC0415 - import in the executor

        device: _OutputDevice = OutputDevice(
            self.settings.pin,
            active_high=not self.settings.active_low,
            initial_value=False,
        )
        return device

    async def async_start(self) -> None:
        """Open the pin (safe state: off) and follow the snapshots."""
        try:
            self._device = await self.hass.async_add_executor_job(self._open)
        except Exception as err:  # noqa: BLE001 - any GPIO failure: not a Pi, busy, denied
            _LOGGER.warning("Cannot open GPIO pin %s: %s", self.settings.pin, err)
            async_raise_issue(
                self.hass,
                ISSUE_RELAY_UNAVAILABLE,
                ir.IssueSeverity.ERROR,
                {
                    "pin": str(self.settings.pin),
                    "error": str(err) or type(err).__name__,
                },
            )
            return
        async_clear_issue(self.hass, ISSUE_RELAY_UNAVAILABLE)
        self._unsubs.append(
            self._snapshots.async_add_listener(self._async_snapshot_changed)
        )
        self._unsubs.append(
            self.hass.bus.async_listen_once(
                EVENT_HOMEASSISTANT_STOP, self._async_on_stop
            )
        )
        if self._snapshots.data is not None:
            self._wanted_by_alerts = self._wanted(self._snapshots.data)
        await self._async_drive_pin()

    async def _async_on_stop(self, _event: Event) -> None:
        await self.async_stop()

    async def async_stop(self) -> None:
        """Switch off and release the pin.

        The pin's repair issue goes too: a reload with the relay still on
        raises it again if the pin still cannot be opened; with the relay
        turned off (or the hub removed) it no longer applies.
        """
        async_clear_issue(self.hass, ISSUE_RELAY_UNAVAILABLE)
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        self._cancel_blink()
        device, self._device = self._device, None
        if device is not None:
            await self.hass.async_add_executor_job(_release, device)
        self._notify()

    @callback
    def async_add_listener(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``listener`` when the relay changes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _wanted(self, snapshot: Snapshot) -> bool:
        """Return whether the alert state asks for the relay to be on."""
        if self.settings.mode is RelayMode.FOLLOW_UNACKNOWLEDGED:
            return snapshot.alert
        if self.settings.mode is RelayMode.FOLLOW_ALERT:
            return self._loud.update(snapshot)
        return False

    @callback
    def _async_snapshot_changed(self) -> None:
        wanted = self._wanted(self._snapshots.data)
        if wanted == self._wanted_by_alerts:
            return
        self._wanted_by_alerts = wanted
        # A manual override lasts until the alert state changes.
        self.override = None
        self.hass.async_create_task(self._async_drive_pin(), eager_start=True)

    async def async_set_override(self, on: bool | None) -> None:
        """Force the relay on or off (None: follow the alerts again)."""
        self.override = on
        await self._async_drive_pin()

    async def _async_drive_pin(self) -> None:
        """Set the pin (and blinking) to what the relay should show now."""
        self._cancel_blink()
        if self.is_on and self.settings.pattern is RelayPattern.BLINK:
            await self._async_set_level(True)
            self._schedule_blink(False, self.settings.on_seconds)
        else:
            await self._async_set_level(self.is_on)
        self._notify()

    async def _async_set_level(self, level: bool) -> None:
        device = self._device
        if device is None:
            return
        await self.hass.async_add_executor_job(device.on if level else device.off)

    def _schedule_blink(self, next_level: bool, after: float) -> None:
        @callback
        def _toggle(_now: datetime) -> None:
            self._blink_cancel = None
            self.hass.async_create_task(
                self._async_blink_step(next_level), eager_start=True
            )

        self._blink_cancel = async_call_later(
            self.hass, timedelta(seconds=after), _toggle
        )

    async def _async_blink_step(self, level: bool) -> None:
        if not self.is_on or self._device is None:
            return
        await self._async_set_level(level)
        self._schedule_blink(
            not level, self.settings.on_seconds if level else self.settings.off_seconds
        )

    def _cancel_blink(self) -> None:
        if self._blink_cancel is not None:
            self._blink_cancel()
            self._blink_cancel = None


def _release(device: _OutputDevice) -> None:
    """Leave the pin off and free it (runs in the executor)."""
    try:
        device.off()
    finally:
        device.close()
