"""An import answers once its targets run; their entities follow in slices."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.pialert.const import DOMAIN, SUBENTRY_TYPE_TARGET
from custom_components.pialert.engine.models import TargetKind
from custom_components.pialert.parsed_targets import ParsedTargets

COUNT = 30


def _sensors(prefix: str) -> list[dict[str, Any]]:
    return [
        {
            "name": f"{prefix} {i:02d}",
            "kind": TargetKind.ENTITY.value,
            "entity_id": "sensor.cpu",
            "condition": "above",
            "value": "80",
        }
        for i in range(COUNT)
    ]


async def _import_rooms(hass: HomeAssistant, user: MockUser) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        "import_targets",
        {"document": {"targets": _sensors("Room")}},
        blocking=True,
        return_response=True,
        context=Context(user_id=user.id),
    )


def _their_entities(hass: HomeAssistant, entry: MockConfigEntry) -> int:
    new = {
        sid for sid, sub in entry.subentries.items() if sub.title.startswith("Room ")
    }
    registry = er.async_get(hass)
    return sum(1 for e in registry.entities.values() if e.config_subentry_id in new)


async def test_import_answers_before_the_entities_are_all_added(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_admin_user: MockUser
) -> None:
    """Checks start at once; each loop turn adds only a slice of the entities."""
    entry = init_integration
    coordinator = entry.runtime_data.coordinator
    hass.states.async_set("sensor.cpu", "95")  # every new target fails at once
    # One target's entities per slice: the loop runs between any two targets.
    with patch("custom_components.pialert.entity_adder.SLICE_SECONDS", 0):
        response = await _import_rooms(hass, hass_admin_user)
        assert response is not None
        assert len(response["created"]) == COUNT
        # Answered: the targets are stored, in the engine and already checked.
        new = [t for t in coordinator.monitor.targets.values() if t.name[:5] == "Room "]
        assert len(new) == COUNT
        states = coordinator.monitor.states
        assert all(states[t.id].last_check is not None for t in new)
        assert all(coordinator.data.targets[t.id].status == "down" for t in new)
        # Their entities are on their way, not all there yet.
        added_at_answer = _their_entities(hass, entry)
        await hass.async_block_till_done()
    per_target = _their_entities(hass, entry) // COUNT
    assert per_target > 3
    assert _their_entities(hass, entry) == per_target * COUNT
    assert added_at_answer < per_target * COUNT
    state = hass.states.get("sensor.room_29_status")
    assert state is not None
    assert state.state == "down"


async def test_entities_added_later_stop_when_the_hub_unloads(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_admin_user: MockUser
) -> None:
    entry = init_integration
    with patch("custom_components.pialert.entity_adder.SLICE_SECONDS", 0):
        await _import_rooms(hass, hass_admin_user)
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    assert not [
        state
        for state in hass.states.async_all()
        if state.entity_id.startswith("sensor.room_") and state.state != "unavailable"
    ]


def _subentry(name: str) -> ConfigSubentry:
    return ConfigSubentry(
        data=MappingProxyType(
            {"name": name, "kind": "entity", "entity_id": "sensor.x", "value": "1"}
        ),
        subentry_type=SUBENTRY_TYPE_TARGET,
        title=name,
        unique_id=None,
    )


def test_unchanged_subentries_are_not_parsed_again() -> None:
    parsed = ParsedTargets()
    first, second = _subentry("A"), _subentry("B")
    a, b = parsed.targets([first, second])
    changed = ConfigSubentry(
        data=MappingProxyType({**first.data, "name": "A2"}),
        subentry_type=SUBENTRY_TYPE_TARGET,
        title="A2",
        unique_id=None,
        subentry_id=first.subentry_id,
    )
    a2, b2 = parsed.targets([changed, second])
    assert b2 is b
    assert a2 is not a
    assert (a2.id, a2.name) == (a.id, "A2")
    assert parsed.targets([second]) == [b]
