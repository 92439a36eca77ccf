"""Entity targets: conditions on real Home Assistant state changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.pialert.engine.models import Status
from custom_components.pialert.engine.state import TargetView

from .conftest import SetupHub

TARGET_ID = "entity_target"


def entity_target(**settings: Any) -> dict[str, Any]:
    """Return the subentry data of an entity target (failure threshold 1)."""
    data: dict[str, Any] = {
        "id": TARGET_ID,
        "kind": "entity",
        "name": "Watched entity",
        "entity_id": "sensor.watched",
        "condition": "unavailable",
        "for_seconds": 0,
        "failure_threshold": 1,
        "success_threshold": 1,
        "enabled": True,
    }
    data.update(settings)
    return data


def view(entry: MockConfigEntry, target_id: str = TARGET_ID) -> TargetView:
    """Return the target's view in the coordinator's latest snapshot."""
    return entry.runtime_data.coordinator.data.targets[target_id]


async def set_state(
    hass: HomeAssistant,
    entity_id: str,
    state: str,
    attributes: dict[str, Any] | None = None,
) -> None:
    """Set a state and let PiAlert react and publish."""
    hass.states.async_set(entity_id, state, attributes)
    await hass.async_block_till_done()


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Move the clock on and run what became due."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def test_default_condition_unavailable_and_unknown(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """By default a target fails while its entity is unavailable or unknown."""
    hass.states.async_set("sensor.watched", "12")
    entry = await setup_hub(entity_target())
    assert view(entry).status is Status.UP
    assert view(entry).consecutive_successes == 1

    down = async_capture_events(hass, "pialert_target_down")
    up = async_capture_events(hass, "pialert_target_up")
    await set_state(hass, "sensor.watched", "unavailable")
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "sensor.watched is unavailable"
    assert [e.data["name"] for e in down] == ["Watched entity"]

    await set_state(hass, "sensor.watched", "13")
    assert view(entry).status is Status.UP
    assert len(up) == 1

    await set_state(hass, "sensor.watched", "unknown")
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "sensor.watched is unknown"
    assert len(down) == 2


async def test_missing_entity_fails(hass: HomeAssistant, setup_hub: SetupHub) -> None:
    """An entity that does not exist (or is removed) is a failure."""
    entry = await setup_hub(entity_target())
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "sensor.watched does not exist"

    await set_state(hass, "sensor.watched", "on")
    assert view(entry).status is Status.UP

    hass.states.async_remove("sensor.watched")
    await hass.async_block_till_done()
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "sensor.watched does not exist"


async def test_equals_and_not_equals(hass: HomeAssistant, setup_hub: SetupHub) -> None:
    """Equals fails on the value, not_equals fails on anything else."""
    hass.states.async_set("binary_sensor.door", "off")
    hass.states.async_set("sensor.mode", "auto")
    entry = await setup_hub(
        entity_target(
            id="door",
            name="Door",
            entity_id="binary_sensor.door",
            condition="equals",
            value="on",
        ),
        entity_target(
            id="mode",
            name="Mode",
            entity_id="sensor.mode",
            condition="not_equals",
            value="auto",
        ),
    )
    assert view(entry, "door").status is Status.UP
    assert view(entry, "mode").status is Status.UP

    await set_state(hass, "binary_sensor.door", "on")
    assert view(entry, "door").status is Status.DOWN
    assert view(entry, "door").last_error == "binary_sensor.door is on"

    await set_state(hass, "sensor.mode", "manual")
    assert view(entry, "mode").status is Status.DOWN
    assert view(entry, "mode").last_error == "sensor.mode is manual, expected auto"
    assert {f.name for f in entry.runtime_data.coordinator.data.failing} == {
        "Door",
        "Mode",
    }

    await set_state(hass, "binary_sensor.door", "off")
    await set_state(hass, "sensor.mode", "auto")
    assert view(entry, "door").status is Status.UP
    assert view(entry, "mode").status is Status.UP
    assert not entry.runtime_data.coordinator.data.alert


async def test_cpu_over_80_percent(hass: HomeAssistant, setup_hub: SetupHub) -> None:
    """The README example: sensor.cpu above 80 alerts at threshold 1."""
    hass.states.async_set("sensor.cpu", "35")
    entry = await setup_hub(
        entity_target(
            name="CPU over 80 %",
            entity_id="sensor.cpu",
            condition="above",
            value="80",
        )
    )
    down = async_capture_events(hass, "pialert_target_down")
    started = async_capture_events(hass, "pialert_alert_started")
    assert view(entry).status is Status.UP

    await set_state(hass, "sensor.cpu", "80")  # not above
    assert view(entry).status is Status.UP

    await set_state(hass, "sensor.cpu", "85")
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "sensor.cpu is 85, above 80"
    assert len(down) == 1
    assert down[0].data["threshold"] == 1
    assert {
        "failing_count": 1,
        "failing_targets": ["CPU over 80 %"],
    }.items() <= started[0].data.items()
    assert entry.runtime_data.coordinator.data.alert


async def test_below_and_non_numeric_states(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Below compares numbers; a state that is no number fails."""
    hass.states.async_set("sensor.battery", "50")
    entry = await setup_hub(
        entity_target(
            entity_id="sensor.battery",
            condition="below",
            value="20.5",
            failure_threshold=2,
        )
    )
    assert view(entry).status is Status.UP

    await set_state(hass, "sensor.battery", "20")
    assert view(entry).status is Status.PENDING
    assert view(entry).last_error == "sensor.battery is 20, below 20.5"

    await set_state(hass, "sensor.battery", "charging")
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "sensor.battery state 'charging' is not a number"

    await set_state(hass, "sensor.battery", "nan")
    assert view(entry).last_error == "sensor.battery state 'nan' is not a number"

    await set_state(hass, "sensor.battery", "21")
    assert view(entry).status is Status.UP


async def test_for_seconds_fails_only_after_holding(
    hass: HomeAssistant, setup_hub: SetupHub, freezer: FrozenDateTimeFactory
) -> None:
    """With for_seconds the condition must hold that long to count."""
    hass.states.async_set("sensor.cpu", "10")
    entry = await setup_hub(
        entity_target(
            entity_id="sensor.cpu", condition="above", value="80", for_seconds=60
        )
    )
    down = async_capture_events(hass, "pialert_target_down")
    assert view(entry).status is Status.UP

    await set_state(hass, "sensor.cpu", "90")
    assert view(entry).status is Status.UP
    await advance(hass, freezer, 30)
    # Another failing value does not restart the wait.
    await set_state(hass, "sensor.cpu", "95")
    await advance(hass, freezer, 29)
    assert view(entry).status is Status.UP
    assert not down

    await advance(hass, freezer, 2)
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "sensor.cpu is 95, above 80 for 60 s"
    assert len(down) == 1

    await set_state(hass, "sensor.cpu", "10")
    assert view(entry).status is Status.UP


async def test_for_seconds_cancelled_on_recovery(
    hass: HomeAssistant, setup_hub: SetupHub, freezer: FrozenDateTimeFactory
) -> None:
    """A condition that recovers before for_seconds never counts."""
    hass.states.async_set("sensor.cpu", "10")
    entry = await setup_hub(
        entity_target(
            entity_id="sensor.cpu", condition="above", value="80", for_seconds=60
        )
    )
    await set_state(hass, "sensor.cpu", "90")
    await advance(hass, freezer, 30)
    await set_state(hass, "sensor.cpu", "50")
    await advance(hass, freezer, 10)
    # Bad again at 40 s: a new wait, not the first one ending at 60 s.
    await set_state(hass, "sensor.cpu", "90")
    await advance(hass, freezer, 30)
    assert view(entry).status is Status.UP
    assert view(entry).consecutive_failures == 0
    await advance(hass, freezer, 31)
    assert view(entry).consecutive_failures == 1


async def test_attribute_changes_do_not_count(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Only state changes are checks: attribute updates are ignored."""
    hass.states.async_set("sensor.cpu", "90", {"unit_of_measurement": "%"})
    entry = await setup_hub(
        entity_target(
            entity_id="sensor.cpu",
            condition="above",
            value="80",
            failure_threshold=3,
        )
    )
    assert view(entry).consecutive_failures == 1

    for load in range(5):
        await set_state(
            hass, "sensor.cpu", "90", {"unit_of_measurement": "%", "load": load}
        )
    assert view(entry).consecutive_failures == 1
    assert view(entry).status is Status.PENDING

    await set_state(hass, "sensor.cpu", "91", {"unit_of_measurement": "%"})
    assert view(entry).consecutive_failures == 2


async def test_config_changes_do_not_count_as_checks(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Adding or changing other targets does not re-count an entity's state."""
    hass.states.async_set("sensor.cpu", "90")
    entry = await setup_hub(
        entity_target(
            entity_id="sensor.cpu",
            condition="above",
            value="80",
            failure_threshold=2,
        )
    )
    down = async_capture_events(hass, "pialert_target_down")
    assert view(entry).consecutive_failures == 1

    for name in ("Other one", "Other two"):
        hass.config_entries.async_add_subentry(
            entry,
            ConfigSubentry(
                data={
                    "kind": "heartbeat",
                    "name": name,
                    "period": 3600,
                    "grace": 60,
                    "token": name.replace(" ", "-"),
                },
                subentry_type="target",
                title=name,
                unique_id=None,
            ),
        )
        await hass.async_block_till_done()
    assert len(entry.runtime_data.coordinator.monitor.targets) == 3
    assert view(entry).consecutive_failures == 1
    assert view(entry).status is Status.PENDING
    assert not down


async def test_changed_entity_target_is_evaluated_again(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """A target whose condition changed is evaluated against the current state."""
    hass.states.async_set("sensor.cpu", "90")
    entry = await setup_hub(
        entity_target(entity_id="sensor.cpu", condition="above", value="80")
    )
    assert view(entry).status is Status.DOWN

    subentry = entry.subentries[TARGET_ID]
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "value": "95"}
    )
    await hass.async_block_till_done()
    assert view(entry).status is Status.UP
    assert view(entry).consecutive_successes == 1

    # Paused: not watched any more; resumed: evaluated again.
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "value": "80", "enabled": False}
    )
    await hass.async_block_till_done()
    assert view(entry).status is Status.PAUSED
    await set_state(hass, "sensor.cpu", "99")
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "value": "80", "enabled": True}
    )
    await hass.async_block_till_done()
    assert view(entry).status is Status.DOWN


async def test_removed_target_stops_watching(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Removing the last entity target drops the listener and pending timers."""
    hass.states.async_set("sensor.cpu", "90")
    entry = await setup_hub(
        entity_target(
            entity_id="sensor.cpu", condition="above", value="80", for_seconds=60
        )
    )
    coordinator = entry.runtime_data.coordinator
    assert hass.config_entries.async_remove_subentry(entry, TARGET_ID)
    await hass.async_block_till_done()
    assert TARGET_ID not in coordinator.data.targets
    recorded: list[str] = []
    monkeypatch.setattr(
        coordinator.monitor,
        "record",
        lambda target_id, result: recorded.append(target_id) or [],
    )

    await advance(hass, freezer, 61)  # the wait started at set-up has ended
    await set_state(hass, "sensor.cpu", "10")
    await set_state(hass, "sensor.cpu", "99")
    assert recorded == []
    assert not coordinator.data.failing


async def test_changed_duration_restarts_the_wait(
    hass: HomeAssistant, setup_hub: SetupHub, freezer: FrozenDateTimeFactory
) -> None:
    """A pending for_seconds wait follows the target's new settings."""
    hass.states.async_set("sensor.cpu", "90")
    entry = await setup_hub(
        entity_target(
            entity_id="sensor.cpu", condition="above", value="80", for_seconds=60
        )
    )
    await advance(hass, freezer, 30)
    subentry = entry.subentries[TARGET_ID]
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "for_seconds": 300}
    )
    await hass.async_block_till_done()

    await advance(hass, freezer, 31)
    assert view(entry).status is Status.UNKNOWN
    await advance(hass, freezer, 270)
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "sensor.cpu is 90, above 80 for 300 s"


async def test_pending_wait_survives_unrelated_changes_and_ends_on_unload(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Other targets' changes keep a pending wait; unloading cancels it."""
    hass.states.async_set("sensor.cpu", "90")
    entry = await setup_hub(
        entity_target(
            entity_id="sensor.cpu", condition="above", value="80", for_seconds=60
        ),
        entity_target(id="other", name="Other", entity_id="sensor.other"),
    )
    coordinator = entry.runtime_data.coordinator
    await advance(hass, freezer, 30)
    subentry = entry.subentries["other"]
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "name": "Renamed"}
    )
    await hass.async_block_till_done()

    # The wait begun at set-up ends at 60 s, not 60 s after the change.
    await advance(hass, freezer, 31)
    assert view(entry).status is Status.DOWN

    await set_state(hass, "sensor.cpu", "10")
    await set_state(hass, "sensor.cpu", "95")
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    recorded: list[str] = []
    monkeypatch.setattr(
        coordinator.monitor,
        "record",
        lambda target_id, result: recorded.append(target_id) or [],
    )
    await advance(hass, freezer, 61)
    await set_state(hass, "sensor.cpu", "10")
    assert recorded == []
