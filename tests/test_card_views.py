"""The card's views: shared between subscribers until a target changes."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert.card_views import CardFeed

from .platform_helpers import CPU_ID, SITE_ID, coordinator_of, set_cpu


async def test_second_subscriber_reuses_unchanged_views(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A second feed gets the first one's views; a changed target is rebuilt."""
    coordinator = coordinator_of(init_integration)
    first = CardFeed(coordinator, lambda _: None)
    views = {v["id"]: v for v in first.full(coordinator.data, coordinator.now())}

    await set_cpu(hass, "99")
    changed, removed = first.changes(coordinator.data, coordinator.now())
    assert [v["id"] for v in changed] == [CPU_ID]
    assert removed == []

    second = CardFeed(coordinator, lambda _: None)
    again = {v["id"]: v for v in second.full(coordinator.data, coordinator.now())}
    assert again[SITE_ID] is views[SITE_ID]
    assert again[CPU_ID] is changed[0]
    assert again[CPU_ID]["status"] == "down"
