"""Buttons: acknowledge a target's alert."""

from __future__ import annotations

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import (
    ATTR_ENTITY_ID,
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.engine.models import Status

from .platform_helpers import (
    BACKUP_ID,
    CPU_ID,
    NOW,
    SITE_ID,
    coordinator_of,
    set_cpu,
)


@pytest.fixture
def platforms() -> list[Platform]:
    """Load only the button platform."""
    return [Platform.BUTTON]


async def press(
    hass: HomeAssistant, entity_id: str, context: Context | None = None
) -> None:
    """Press a button as a user would."""
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
        context=context,
    )
    await hass.async_block_till_done()


async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One acknowledge button per target, none on the hub."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)
    entries = er.async_entries_for_config_entry(
        entity_registry, init_integration.entry_id
    )
    assert sorted(e.entity_id for e in entries) == [
        "button.backup_acknowledge",
        "button.cpu_acknowledge",
        "button.site_acknowledge",
    ]
    assert {e.config_subentry_id for e in entries} == {CPU_ID, BACKUP_ID, SITE_ID}


async def test_acknowledge_when_down(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_admin_user: MockUser
) -> None:
    """Pressing acknowledges the alert as the user who pressed."""
    events = async_capture_events(hass, "pialert_acknowledged")
    await set_cpu(hass, "95")
    coordinator = coordinator_of(init_integration)
    assert coordinator.data.alert

    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    await press(hass, "button.cpu_acknowledge", Context(user_id=hass_admin_user.id))

    view = coordinator.data.targets[CPU_ID]
    assert view.status is Status.DOWN
    assert view.acknowledgement is not None
    assert view.acknowledgement.by == "Mock User"
    assert view.acknowledgement.note is None
    assert not coordinator.data.alert
    assert len(events) == 1
    assert events[0].data["target_id"] == CPU_ID
    assert events[0].data["by"] == "Mock User"
    # One "pressed" state, then nothing left to acknowledge.
    assert [
        e.data["new_state"].state
        for e in changes
        if e.data["entity_id"] == "button.cpu_acknowledge"
    ] == [NOW, STATE_UNAVAILABLE]


async def test_acknowledge_by_automation(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Without a user the acknowledgement is by Home Assistant."""
    coordinator_of(init_integration).async_heartbeat(BACKUP_ID, "fail")
    await hass.async_block_till_done()
    await press(hass, "button.backup_acknowledge")
    ack = coordinator_of(init_integration).data.targets[BACKUP_ID].acknowledgement
    assert ack is not None
    assert ack.by == "Home Assistant"


async def test_nothing_to_acknowledge_button_unavailable(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Up: the button is unavailable, and a press changes nothing.

    A refused press used to write a "pressed" state (a logbook line) first.
    """
    events = async_capture_events(hass, "pialert_acknowledged")
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    assert hass.states.get("button.cpu_acknowledge").state == STATE_UNAVAILABLE

    await press(hass, "button.cpu_acknowledge")

    assert hass.states.get("button.cpu_acknowledge").state == STATE_UNAVAILABLE
    assert [e for e in changes if e.data["entity_id"] == "button.cpu_acknowledge"] == []
    assert events == []
    assert coordinator_of(init_integration).data.targets[CPU_ID].acknowledgement is None


async def test_available_only_while_there_is_an_alert(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Down and unacknowledged: available; acknowledged or up again: not."""
    # A heartbeat never pinged has nothing to acknowledge either.
    assert hass.states.get("button.backup_acknowledge").state == STATE_UNAVAILABLE
    await set_cpu(hass, "95")
    assert hass.states.get("button.cpu_acknowledge").state == STATE_UNKNOWN

    await press(hass, "button.cpu_acknowledge")
    assert (
        coordinator_of(init_integration).data.targets[CPU_ID].acknowledgement
        is not None
    )
    assert hass.states.get("button.cpu_acknowledge").state == STATE_UNAVAILABLE

    await hass.services.async_call(
        DOMAIN, "unacknowledge", {"entity_id": "button.cpu_acknowledge"}, blocking=True
    )
    await hass.async_block_till_done()
    # Available again, showing when it was last pressed.
    assert hass.states.get("button.cpu_acknowledge").state == NOW

    await set_cpu(hass, "20")
    assert hass.states.get("button.cpu_acknowledge").state == STATE_UNAVAILABLE


async def test_acknowledge_service_still_explains_refusal(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The action (not the button) on a target that is up says why it refuses."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "acknowledge",
            {"entity_id": "button.cpu_acknowledge"},
            blocking=True,
        )
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "target_not_down"
    assert err.value.translation_placeholders == {"target": "CPU"}


async def test_button_state_untouched_by_updates(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Updates that do not change whether it can be pressed write nothing."""
    await set_cpu(hass, "95")
    state = hass.states.get("button.cpu_acknowledge")
    assert state.state == STATE_UNKNOWN
    await set_cpu(hass, "96")
    await set_cpu(hass, "97")
    assert hass.states.get("button.cpu_acknowledge").last_updated == (
        state.last_updated
    )
