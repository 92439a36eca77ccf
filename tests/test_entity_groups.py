"""Entity group targets on real registries and real state changes."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
    label_registry as lr,
)
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.pialert.engine.models import Status
from custom_components.pialert.engine.state import TargetView
from custom_components.pialert.group_watch import REGISTRY_SETTLE_SECONDS

from .conftest import SetupHub
from .test_entity_targets import advance

GROUP_ID = "zigbee_group"


def group_target(**settings: Any) -> dict[str, Any]:
    """Return the subentry data of an entity group target."""
    data: dict[str, Any] = {
        "id": GROUP_ID,
        "kind": "entity_group",
        "name": "Zigbee sensors",
        "labels": ["zigbee"],
        "condition": "unavailable",
        "for_seconds": 0,
        "failure_threshold": 1,
        "success_threshold": 1,
        "enabled": True,
    }
    data.update(settings)
    return data


def register(
    hass: HomeAssistant,
    object_id: str,
    name: str,
    *,
    state: str = "on",
    platform: str = "zha",
    **changes: Any,
) -> str:
    """Register a binary sensor of ``platform`` with a state and return its id."""
    registry = er.async_get(hass)
    entry = registry.async_get_or_create(
        "binary_sensor", platform, object_id, suggested_object_id=object_id
    )
    if changes:
        registry.async_update_entity(entry.entity_id, **changes)
    hass.states.async_set(entry.entity_id, state, {"friendly_name": name})
    return entry.entity_id


def view(entry: MockConfigEntry, target_id: str = GROUP_ID) -> TargetView:
    """Return the group target's view in the latest snapshot."""
    return entry.runtime_data.coordinator.data.targets[target_id]


def members(entry: MockConfigEntry) -> dict[str, list[str]]:
    """Return the group watcher's index (entity id -> group target ids)."""
    return entry.runtime_data.coordinator.group_watcher.index


async def set_state(hass: HomeAssistant, entity_id: str, state: str) -> None:
    """Set a state; the group judges once the loop iteration's changes are in."""
    hass.states.async_set(entity_id, state)
    await hass.async_block_till_done()
    await hass.async_block_till_done()


async def settle(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let a registry change reach the groups."""
    await hass.async_block_till_done()
    await advance(hass, freezer, REGISTRY_SETTLE_SECONDS)


async def test_label_added_at_run_time_joins_the_group(
    hass: HomeAssistant, setup_hub: SetupHub, freezer: FrozenDateTimeFactory
) -> None:
    """Membership follows the registries without a reload, failures name members."""
    lr.async_get(hass).async_create("zigbee")
    hall = register(hass, "hall", "Hall motion", labels={"zigbee"})
    garage = register(hass, "garage", "Garage door")
    entry = await setup_hub(group_target())
    assert set(members(entry)) == {hall}
    assert view(entry).status is Status.UP

    er.async_get(hass).async_update_entity(garage, labels={"zigbee"})
    await settle(hass, freezer)
    assert set(members(entry)) == {hall, garage}

    down = async_capture_events(hass, "pialert_target_down")
    await set_state(hass, garage, "unavailable")
    await set_state(hass, hall, "unavailable")
    assert view(entry).status is Status.DOWN
    # First failing first.
    assert view(entry).last_error == (
        "2 of 2 Zigbee sensors unavailable: Garage door, Hall motion"
    )
    assert down[0].data["error"] == "1 of 2 Zigbee sensors unavailable: Garage door"

    # Removing the label lets the member go; the group recovers from Hall alone.
    er.async_get(hass).async_update_entity(hall, labels=set())
    await set_state(hass, garage, "on")
    await settle(hass, freezer)
    assert set(members(entry)) == {garage}
    assert view(entry).status is Status.UP


async def test_area_floor_device_integration_domain_and_exclusions(
    hass: HomeAssistant, setup_hub: SetupHub, freezer: FrozenDateTimeFactory
) -> None:
    """Each selection chooses members; exclusions, disabled and hidden do not."""
    floor = fr.async_get(hass).async_create("Upstairs")
    attic = ar.async_get(hass).async_create("Attic", floor_id=floor.floor_id)
    cellar = ar.async_get(hass).async_create("Cellar")
    source = MockConfigEntry(domain="zha")
    source.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=source.entry_id, identifiers={("zha", "plug")}, name="Plug"
    )
    dr.async_get(hass).async_update_device(device.id, area_id=cellar.id)
    in_attic = register(hass, "attic", "Attic temperature", area_id=attic.id)
    on_device = register(hass, "plug", "Plug power", device_id=device.id)
    mqtt = register(hass, "mqtt_door", "MQTT door", platform="mqtt")
    disabled = register(
        hass, "old", "Old sensor", disabled_by=er.RegistryEntryDisabler.USER
    )
    hidden = register(hass, "quiet", "Quiet", hidden_by=er.RegistryEntryHider.USER)
    excluded = register(hass, "noisy", "Noisy")
    hass.states.async_set("light.yaml_only", "on")

    entry = await setup_hub(
        group_target(labels=None, floors=[floor.floor_id]),
        group_target(id="by_area", name="Cellar", labels=None, areas=[cellar.id]),
        group_target(
            id="by_integration",
            name="ZHA",
            labels=None,
            integrations=["zha"],
            exclude_entities=[excluded],
        ),
        group_target(
            id="by_domain",
            name="Binary",
            labels=None,
            domains=["binary_sensor", "light"],
            exclude_integrations=["zha"],
            include_hidden=True,
        ),
    )
    index = members(entry)
    assert index[in_attic] == [GROUP_ID, "by_integration"]
    assert index[on_device] == ["by_area", "by_integration"]  # the device's area
    assert index[mqtt] == ["by_domain"]
    assert index["light.yaml_only"] == ["by_domain"]
    assert disabled not in index
    assert index.get(hidden) is None or "by_integration" not in index[hidden]
    assert excluded not in index
    # PiAlert's own entities are never members.
    assert not [e for e in index if e.startswith("binary_sensor.zigbee")]


async def test_at_least_and_share_rules(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """At least N members, or a share of them, must fail."""
    lr.async_get(hass).async_create("zigbee")
    ids = [register(hass, f"s{n}", f"Sensor {n}", labels={"zigbee"}) for n in range(4)]
    entry = await setup_hub(
        group_target(rule="at_least", at_least=2),
        group_target(id="half", name="Half", rule="share", share=50),
    )
    await set_state(hass, ids[0], "unavailable")
    assert view(entry).status is Status.UP
    assert view(entry, "half").status is Status.UP
    await set_state(hass, ids[3], "unknown")
    assert view(entry).status is Status.DOWN
    assert view(entry, "half").status is Status.DOWN
    assert view(entry, "half").last_error == (
        "2 of 4 Half unavailable: Sensor 0, Sensor 3"
    )
    await set_state(hass, ids[0], "on")
    assert view(entry).status is Status.UP
    assert view(entry, "half").status is Status.UP


async def test_held_for_a_duration(
    hass: HomeAssistant, setup_hub: SetupHub, freezer: FrozenDateTimeFactory
) -> None:
    """A member counts only once its condition has held for ``for_seconds``."""
    lr.async_get(hass).async_create("zigbee")
    door = register(hass, "door", "Door", state="off", labels={"zigbee"})
    entry = await setup_hub(
        group_target(condition="equals", value="on", for_seconds=60)
    )
    await set_state(hass, door, "on")
    await advance(hass, freezer, 59)
    assert view(entry).status is Status.UP
    await advance(hass, freezer, 2)
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "1 of 1 Zigbee sensors on for 60 s: Door"
    # A brief drop does not alert: back before the time is up.
    await set_state(hass, door, "off")
    assert view(entry).status is Status.UP
    await set_state(hass, door, "on")
    await advance(hass, freezer, 30)
    await set_state(hass, door, "off")
    await advance(hass, freezer, 60)
    assert view(entry).status is Status.UP


async def test_a_burst_in_one_loop_iteration_is_judged_once_on_its_last_states(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Changes set together count by each member's last state, one verdict."""
    lr.async_get(hass).async_create("zigbee")
    sensors = [
        register(hass, f"s{i}", f"Sensor {i}", labels={"zigbee"}) for i in range(3)
    ]
    entry = await setup_hub(group_target())
    down = async_capture_events(hass, "pialert_target_down")
    # One loop iteration: nothing runs between these calls.
    for entity_id in sensors:
        hass.states.async_set(entity_id, "unavailable")
    hass.states.async_set(sensors[1], "on")
    await hass.async_block_till_done()
    await hass.async_block_till_done()
    assert view(entry).status is Status.DOWN
    assert [event.data["error"] for event in down] == [
        "2 of 3 Zigbee sensors unavailable: Sensor 0, Sensor 2"
    ]


async def test_named_members_are_bounded(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Ten members are named; the rest are counted."""
    hass.states.async_set("sensor.a00", "1")
    for n in range(1, 14):
        hass.states.async_set(f"sensor.a{n:02}", "unavailable")
    entry = await setup_hub(group_target(labels=None, domains=["sensor"]))
    error = view(entry).last_error
    assert error is not None
    assert error.startswith("13 of 14 Zigbee sensors unavailable: sensor.a01, ")
    assert error.endswith("sensor.a10 and 3 more")


async def test_a_group_whose_members_all_left_fails(
    hass: HomeAssistant, setup_hub: SetupHub, freezer: FrozenDateTimeFactory
) -> None:
    """Watching nothing is not fine: the target says so."""
    lr.async_get(hass).async_create("zigbee")
    only = register(hass, "only", "Only", labels={"zigbee"})
    entry = await setup_hub(group_target())
    er.async_get(hass).async_remove(only)
    await settle(hass, freezer)
    assert view(entry).status is Status.DOWN
    assert view(entry).last_error == "No entity matches the selection"
