"""The card's views: shared between subscribers until a target changes."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.pialert.card_views import CardFeed, SharedViews
from custom_components.pialert.card_warm import async_build_views

from .platform_helpers import CPU_ID, SITE_ID, coordinator_of, set_cpu
from .test_websocket_api import subscribe


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


async def test_views_are_built_at_setup_and_kept_current(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Subscribing builds no view: they were built at setup, and each change
    rebuilds the changed target's view only, before a subscriber asks."""
    await hass.async_block_till_done(wait_background_tasks=True)
    coordinator = coordinator_of(init_integration)
    views = SharedViews(coordinator, lambda _: None)
    target_count = len(coordinator.data.targets)
    assert views.built == target_count
    assert views.stale(coordinator.data, coordinator.now()) == []
    kept = views.views(coordinator.data, coordinator.data.targets, coordinator.now())

    client = await hass_ws_client(hass)
    sub_id, first = await subscribe(client)
    assert views.built == target_count
    assert {view["id"]: view for view in first} == kept
    # The views name the targets' devices (the platforms made them first).
    assert all(view["device_id"] for view in first)

    await set_cpu(hass, "99")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert views.built == target_count + 1
    message = await client.receive_json()
    assert message["id"] == sub_id
    assert [view["id"] for view in message["event"]["changed"]] == [CPU_ID]
    assert views.stale(coordinator.data, coordinator.now()) == []


async def test_building_leaves_out_targets_removed_meanwhile(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Ids listed before a snapshot removed them are skipped, not a KeyError."""
    coordinator = coordinator_of(init_integration)
    views = SharedViews(coordinator, lambda _: None)
    await async_build_views(coordinator, views, [CPU_ID, "removed-meanwhile"])
    assert CPU_ID not in views.stale(coordinator.data, coordinator.now())
