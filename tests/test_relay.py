"""The GPIO relay, driven through gpiozero's own MockFactory."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from gpiozero.pins.mock import MockFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
)

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.engine.models import Silence
from custom_components.pialert.relay import Relay

from .conftest import SetupHub

PIN = 17
RELAY_SWITCH = "switch.pialert_relay"


FREEZER = {
    "kind": "entity",
    "name": "Freezer",
    "entity_id": "sensor.freezer",
    "condition": "above",
    "value": "-10",
}

type StartHub = Callable[..., Awaitable[PiAlertCoordinator]]


@pytest.fixture
def start_hub(hass: HomeAssistant, setup_hub: SetupHub) -> StartHub:
    """Return a function setting up a hub with the relay on, watching a freezer."""

    async def _start(**options: object) -> PiAlertCoordinator:
        hass.states.async_set("sensor.freezer", "-18")
        entry = await setup_hub(
            FREEZER, options={"relay_enabled": True, "relay_pin": PIN, **options}
        )
        return entry.runtime_data.coordinator  # type: ignore[no-any-return]

    return _start


def _level(factory: MockFactory) -> bool:
    return bool(factory.pin(PIN).state)


def _target_id(coordinator: PiAlertCoordinator) -> str:
    return next(iter(coordinator.monitor.targets))


async def _set(hass: HomeAssistant, value: str) -> None:
    hass.states.async_set("sensor.freezer", value)
    await hass.async_block_till_done()


async def test_follows_unacknowledged_alert(
    hass: HomeAssistant, mock_pins: MockFactory, start_hub: StartHub
) -> None:
    """Up -> down -> acknowledged -> silenced -> recovered, pin level each step."""
    coordinator = await start_hub()
    assert not _level(mock_pins)
    assert hass.states.get(RELAY_SWITCH).state == STATE_OFF

    await _set(hass, "-2")  # down
    assert _level(mock_pins)
    assert hass.states.get(RELAY_SWITCH).state == STATE_ON

    target_id = _target_id(coordinator)
    coordinator.async_commit(
        coordinator.monitor.acknowledge(target_id, "Ann", coordinator.now())
    )
    await hass.async_block_till_done()
    assert not _level(mock_pins)  # acknowledged: the siren stops

    coordinator.async_commit(
        coordinator.monitor.unacknowledge(target_id, "Ann", coordinator.now())
    )
    await hass.async_block_till_done()
    assert _level(mock_pins)

    now = coordinator.now()
    coordinator.async_commit(
        coordinator.monitor.add_silence(
            Silence(
                id="s1",
                starts_at=now,
                ends_at=now + timedelta(hours=1),
                created_by="Ann",
            ),
            now,
        )
    )
    await hass.async_block_till_done()
    assert not _level(mock_pins)  # silenced

    await _set(hass, "-19")  # recovered
    assert not _level(mock_pins)


async def test_follow_alert_ignores_acknowledgement(
    hass: HomeAssistant, mock_pins: MockFactory, start_hub: StartHub
) -> None:
    """A status lamp stays on while the target is down, acknowledged or not."""
    coordinator = await start_hub(relay_mode="follow_alert")
    await _set(hass, "0")
    assert _level(mock_pins)
    coordinator.async_commit(
        coordinator.monitor.acknowledge(
            _target_id(coordinator), "Ann", coordinator.now()
        )
    )
    await hass.async_block_till_done()
    assert _level(mock_pins)
    await _set(hass, "-20")
    assert not _level(mock_pins)


async def test_manual_mode_and_override(
    hass: HomeAssistant, mock_pins: MockFactory, start_hub: StartHub
) -> None:
    """Manual: only the switch moves it; an override lasts until the alert changes."""
    await start_hub(relay_mode="manual")
    await _set(hass, "0")
    assert not _level(mock_pins)
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": RELAY_SWITCH}, blocking=True
    )
    assert _level(mock_pins)
    assert hass.states.get(RELAY_SWITCH).attributes["override"] is True
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": RELAY_SWITCH}, blocking=True
    )
    assert not _level(mock_pins)


async def test_override_clears_on_alert_change(
    hass: HomeAssistant, mock_pins: MockFactory, start_hub: StartHub
) -> None:
    """Silencing the siren by hand holds only until the alert state changes."""
    await start_hub()
    await _set(hass, "0")
    assert _level(mock_pins)
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": RELAY_SWITCH}, blocking=True
    )
    assert not _level(mock_pins)
    await _set(hass, "1")  # still down: the override holds
    assert not _level(mock_pins)
    await _set(hass, "-20")  # recovered: override cleared, relay off
    assert hass.states.get(RELAY_SWITCH).attributes["override"] is False
    await _set(hass, "0")  # a new alert switches it on again
    assert _level(mock_pins)


async def test_active_low(
    hass: HomeAssistant, mock_pins: MockFactory, start_hub: StartHub
) -> None:
    """Active-low boards get the inverted level; safe state is high."""
    await start_hub(relay_active_low=True)
    assert _level(mock_pins)  # off = high on an active-low board
    await _set(hass, "0")
    assert not _level(mock_pins)


async def test_blink(
    hass: HomeAssistant,
    mock_pins: MockFactory,
    start_hub: StartHub,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Blinking follows the configured on/off times on a frozen clock."""
    await start_hub(relay_pattern="blink", relay_on_seconds=2.0, relay_off_seconds=3.0)
    await _set(hass, "0")
    assert _level(mock_pins)
    levels = []
    for step in (2, 3, 2, 3):
        freezer.tick(timedelta(seconds=step))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        levels.append(_level(mock_pins))
    assert levels == [False, True, False, True]
    await _set(hass, "-20")
    freezer.tick(timedelta(seconds=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert not _level(mock_pins)


async def test_unload_releases_pin_off(
    hass: HomeAssistant, mock_pins: MockFactory, start_hub: StartHub
) -> None:
    """Unloading leaves the pin off and free to be opened again."""
    coordinator = await start_hub()
    await _set(hass, "0")
    assert _level(mock_pins)
    relay = coordinator.config_entry.runtime_data.relay
    assert isinstance(relay, Relay)
    entry = coordinator.config_entry
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert not _level(mock_pins)
    assert not relay.available
    # Released: gpiozero lets the pin be opened again.
    from gpiozero import OutputDevice  # noqa: PLC0415

    OutputDevice(PIN).close()


async def test_pin_unavailable_raises_repair(
    hass: HomeAssistant, mock_pins: MockFactory, start_hub: StartHub
) -> None:
    """A busy pin gives a repair issue; the rest of PiAlert runs."""
    from gpiozero import OutputDevice  # noqa: PLC0415

    blocker = OutputDevice(PIN)
    try:
        coordinator = await start_hub()
        assert coordinator.config_entry.state is ConfigEntryState.LOADED
        assert hass.states.get(RELAY_SWITCH).state == STATE_UNAVAILABLE
        assert ir.async_get(hass).async_get_issue(DOMAIN, "relay_unavailable")
        await _set(hass, "0")
        assert coordinator.data.alert
    finally:
        blocker.close()


async def test_relay_options_flow(
    hass: HomeAssistant, mock_pins: MockFactory, setup_hub: SetupHub
) -> None:
    """The relay is configured in the hub options and the hub reloads."""
    entry = await setup_hub()
    assert hass.states.get(RELAY_SWITCH) is None
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "relay"}
    )
    assert result["step_id"] == "relay"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "relay_enabled": True,
            "relay_pin": 22.0,
            "relay_active_low": False,
            "relay_mode": "follow_alert",
            "relay_pattern": "steady",
            "relay_on_seconds": 1.0,
            "relay_off_seconds": 1.0,
        },
    )
    await hass.async_block_till_done()
    assert entry.options["relay_pin"] == 22
    assert hass.states.get(RELAY_SWITCH).state == STATE_OFF
    assert mock_pins.pin(22).state == 0


async def test_relay_turned_off_removes_issue_and_switch(
    hass: HomeAssistant, mock_pins: MockFactory, start_hub: StartHub
) -> None:
    """Turning the relay off in the options clears its repair and its switch."""
    from gpiozero import OutputDevice  # noqa: PLC0415

    blocker = OutputDevice(PIN)
    try:
        coordinator = await start_hub()
    finally:
        blocker.close()
    entry = coordinator.config_entry
    entity_registry = er.async_get(hass)
    assert ir.async_get(hass).async_get_issue(DOMAIN, "relay_unavailable")
    assert entity_registry.async_get(RELAY_SWITCH) is not None

    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "relay_enabled": False}
    )
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.coordinator is not coordinator  # reloaded
    assert entry.runtime_data.relay is None
    assert ir.async_get(hass).async_get_issue(DOMAIN, "relay_unavailable") is None
    assert entity_registry.async_get(RELAY_SWITCH) is None
    assert hass.states.get(RELAY_SWITCH) is None
    # The targets' own switches stay.
    assert er.async_entries_for_config_entry(entity_registry, entry.entry_id)


async def test_relay_turned_off_releases_working_pin(
    hass: HomeAssistant, mock_pins: MockFactory, start_hub: StartHub
) -> None:
    """A working relay turned off: pin released off, switch gone."""
    coordinator = await start_hub()
    await _set(hass, "0")
    assert _level(mock_pins)
    entry = coordinator.config_entry
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "relay_enabled": False}
    )
    await hass.async_block_till_done()
    assert not _level(mock_pins)
    assert er.async_get(hass).async_get(RELAY_SWITCH) is None
    assert hass.states.get(RELAY_SWITCH) is None
