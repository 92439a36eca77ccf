"""Saves asked while Home Assistant shuts down are not lost and leave no timer."""

from __future__ import annotations

from typing import Any

from homeassistant.core import CoreState, HomeAssistant
from pytest_homeassistant_custom_component.common import get_scheduled_timer_handles

from custom_components.pialert.safe_store import GuardedStore

KEY = "pialert.shutdown_test"


async def _loaded_store(hass: HomeAssistant) -> GuardedStore:
    store = GuardedStore(hass, 1, KEY, issue_id="shutdown_test_corrupt")
    assert await store.async_load_checked(lambda data: data) is None
    assert store.writable
    return store


def _store_timers(hass: HomeAssistant) -> list[Any]:
    return [
        handle
        for handle in get_scheduled_timer_handles(hass.loop)
        if not handle.cancelled() and "delayed_write" in repr(handle)
    ]


async def test_a_save_asked_after_the_final_write_is_written_at_once(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A check result landing after the final write is saved, not timed."""
    store = await _loaded_store(hass)
    hass.set_state(CoreState.final_write)
    try:
        store.async_delay_save(lambda: {"checks": 3}, 30)
        assert _store_timers(hass) == []
        await hass.async_block_till_done()
        assert hass_storage[KEY]["data"] == {"checks": 3}
    finally:
        hass.set_state(CoreState.running)


async def test_a_save_asked_while_running_is_delayed(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """While running, saves still wait their delay (check results are debounced)."""
    store = await _loaded_store(hass)
    store.async_delay_save(lambda: {"checks": 1}, 30)
    assert len(_store_timers(hass)) == 1
    assert KEY not in hass_storage
    await store.async_save({"checks": 1})  # leaves no timer behind
