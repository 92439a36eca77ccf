"""Many targets changing at once wake their entities a slice per loop turn."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Generator
from functools import partial
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert import sliced_jobs
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.sliced_jobs import SlicedJobs

from .conftest import SetupHub
from .platform_helpers import coordinator_of

N = 40


def _target(i: int) -> dict[str, Any]:
    return {
        "id": f"t{i:02d}",
        "kind": "entity",
        "name": f"Watched {i:02d}",
        "entity_id": f"sensor.watched_{i:02d}",
        "condition": "unavailable",
        "for_seconds": 0,
        "failure_threshold": 1,
        "success_threshold": 1,
        "enabled": True,
    }


def _status(i: int) -> str:
    return f"sensor.watched_{i:02d}_status"


class LoopTurns:
    """Counts event-loop turns, and PiAlert state writes in each turn."""

    def __init__(self, hass: HomeAssistant, entity_ids: set[str]) -> None:
        self.turn = 0
        self.writes: Counter[int] = Counter()
        self.written: list[tuple[str, str]] = []
        self._running = True
        self._entity_ids = entity_ids
        hass.loop.call_soon(self._tick, hass.loop)
        self._unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, self._changed)

    def _tick(self, loop: asyncio.AbstractEventLoop) -> None:
        # Each loop turn runs the callbacks scheduled before it: one tick each.
        self.turn += 1
        if self._running:
            loop.call_soon(self._tick, loop)

    @callback
    def _changed(self, event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if event.data["entity_id"] in self._entity_ids and new is not None:
            self.writes[self.turn] += 1
            self.written.append((event.data["entity_id"], new.state))

    def stop(self) -> None:
        self._running = False
        self._unsub()


@pytest.fixture
def one_target_per_slice() -> Generator[None]:
    """Make every slice as short as possible: one target's entities each."""
    with patch("custom_components.pialert.target_listeners.WAKE_SLICE_SECONDS", 0):
        yield


async def _hub(hass: HomeAssistant, setup_hub: SetupHub) -> PiAlertCoordinator:
    """Set up a hub of N entity targets, all up; return its coordinator."""
    for i in range(N):
        hass.states.async_set(f"sensor.watched_{i:02d}", "12")
    entry = await setup_hub(*(_target(i) for i in range(N)))
    assert all(hass.states.get(_status(i)).state == "up" for i in range(N))
    return coordinator_of(entry)


def _pialert_entities(hass: HomeAssistant, coordinator: PiAlertCoordinator) -> set[str]:
    entry_id = coordinator.config_entry.entry_id
    return {
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry_id)
    }


async def _until_waiting(coordinator: PiAlertCoordinator) -> None:
    """Let the loop turn until the burst is published and partly written."""
    for _ in range(100):
        if coordinator._target_listeners.pending:
            return
        await asyncio.sleep(0)
    pytest.fail("no wake waits for a later slice")


def _all_down(hass: HomeAssistant) -> None:
    for i in range(N):
        hass.states.async_set(f"sensor.watched_{i:02d}", "unavailable")


@pytest.mark.usefixtures("one_target_per_slice")
async def test_a_burst_is_written_over_many_loop_turns(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """40 targets down at once: their entities are written across many turns."""
    coordinator = await _hub(hass, setup_hub)
    turns = LoopTurns(hass, _pialert_entities(hass, coordinator))

    _all_down(hass)
    await hass.async_block_till_done()
    turns.stop()

    assert all(hass.states.get(_status(i)).state == "down" for i in range(N))
    written = {entity_id for entity_id, state in turns.written if state == "down"}
    assert written == {_status(i) for i in range(N)}
    # One target's entities per turn (a few each), never the whole burst.
    per_target = sum(turns.writes.values()) / N
    assert max(turns.writes.values()) <= 2 * per_target
    assert len(turns.writes) >= N // 2


@pytest.mark.usefixtures("one_target_per_slice")
async def test_a_target_changing_again_while_waiting_ends_in_its_latest_state(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """A recovery while the burst is still being written is what stays."""
    coordinator = await _hub(hass, setup_hub)
    _all_down(hass)
    await _until_waiting(coordinator)
    last = N - 1
    assert hass.states.get(_status(last)).state == "up"  # still waiting
    hass.states.async_set(f"sensor.watched_{last:02d}", "12")
    await hass.async_block_till_done()

    assert hass.states.get(_status(last)).state == "up"
    assert coordinator.data.targets[f"t{last:02d}"].consecutive_successes == 1
    assert all(hass.states.get(_status(i)).state == "down" for i in range(last))


@pytest.mark.usefixtures("one_target_per_slice")
async def test_listeners_removed_while_waiting_are_not_called(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """A listener removed before its slice comes is skipped."""
    coordinator = await _hub(hass, setup_hub)
    calls: Counter[str] = Counter()
    removers = {
        f"t{i:02d}": coordinator.async_add_target_listener(
            f"t{i:02d}", lambda tid=f"t{i:02d}": calls.update([tid])
        )
        for i in range(N)
    }
    _all_down(hass)
    await _until_waiting(coordinator)
    waiting = [tid for tid in removers if calls[tid] == 0]
    assert waiting
    for tid in waiting:
        removers[tid]()
    await hass.async_block_till_done()

    assert all(calls[tid] == 0 for tid in waiting)
    assert sum(calls.values()) == N - len(waiting)


@pytest.mark.usefixtures("one_target_per_slice")
async def test_unloading_with_a_burst_waiting_stops_it(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Unloading ends the waiting writes; nothing lingers (the fixture checks)."""
    coordinator = await _hub(hass, setup_hub)
    _all_down(hass)
    await _until_waiting(coordinator)

    entry = coordinator.config_entry
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.NOT_LOADED
    assert coordinator._target_listeners.pending == 0
    # The entities left unavailable, and no waiting write came after.
    assert {hass.states.get(_status(i)).state for i in range(N)} == {"unavailable"}


async def test_a_few_targets_are_written_before_the_hub_listeners_run(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """With the real slice, a small change is written at once, not a turn later."""
    coordinator = await _hub(hass, setup_hub)
    seen: list[list[str]] = []

    @callback
    def hub_listener() -> None:
        # Hub listeners run right after the target listeners were told.
        seen.append([hass.states.get(_status(i)).state for i in range(3)])

    remove = coordinator.async_add_listener(hub_listener)
    for i in range(3):
        hass.states.async_set(f"sensor.watched_{i:02d}", "unavailable")
    await hass.async_block_till_done()
    remove()

    assert seen == [["down", "down", "down"]]
    assert coordinator._target_listeners.pending == 0


@pytest.fixture
def one_change_per_turn() -> Generator[None]:
    """Record a burst of state changes one per loop turn."""
    with patch("custom_components.pialert.entity_watch.WATCH_SLICE_SECONDS", 0):
        yield


@pytest.mark.usefixtures("one_change_per_turn")
async def test_a_burst_of_changes_is_recorded_in_turns_and_published_once(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """40 entities unavailable at once: recorded over turns, in one snapshot."""
    coordinator = await _hub(hass, setup_hub)
    monitor = coordinator.monitor
    turns = LoopTurns(hass, set())
    recorded_in: Counter[int] = Counter()
    record = monitor.record

    def counting_record(*args: Any, **kwargs: Any) -> Any:
        recorded_in[turns.turn] += 1
        return record(*args, **kwargs)

    monitor.record = counting_record  # type: ignore[method-assign]
    published: list[set[str]] = []

    @callback
    def hub_listener() -> None:
        data = coordinator.data
        published.append({t for t, v in data.targets.items() if v.status == "down"})

    remove = coordinator.async_add_listener(hub_listener)
    _all_down(hass)
    assert coordinator.entity_watcher.pending == N  # nothing recorded in the burst
    await hass.async_block_till_done()
    remove()
    turns.stop()

    assert sum(recorded_in.values()) == N
    assert max(recorded_in.values()) == 1
    # Published once, with the whole burst: one snapshot for the rules to group.
    assert published == [{f"t{i:02d}" for i in range(N)}]
    assert all(hass.states.get(_status(i)).state == "down" for i in range(N))


@pytest.mark.usefixtures("one_change_per_turn")
async def test_changes_waiting_to_be_recorded_keep_their_order_and_time(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Down then up again while waiting: both are checks, the last one stays."""
    coordinator = await _hub(hass, setup_hub)
    _all_down(hass)
    before = coordinator.now()
    hass.states.async_set("sensor.watched_00", "12")  # t00 back, still waiting
    after = coordinator.now()
    assert coordinator.entity_watcher.pending == N + 1
    await hass.async_block_till_done()

    first = coordinator.data.targets["t00"]
    assert first.status == "up"
    assert first.consecutive_successes == 1  # the failure was recorded before
    # Checked when the entity changed, not when the change was recorded.
    assert first.last_check is not None
    assert before <= first.last_check <= after
    assert hass.states.get(_status(0)).state == "up"
    assert all(hass.states.get(_status(i)).state == "down" for i in range(1, N))


@pytest.mark.usefixtures("one_change_per_turn")
async def test_unloading_drops_changes_waiting_to_be_recorded(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Unloading with a burst waiting leaves no task or timer behind."""
    coordinator = await _hub(hass, setup_hub)
    _all_down(hass)
    assert coordinator.entity_watcher.pending == N

    entry = coordinator.config_entry
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.NOT_LOADED
    assert coordinator.entity_watcher.pending == 0


@pytest.mark.usefixtures("one_change_per_turn")
async def test_a_tick_while_a_burst_is_recorded_does_not_publish_part_of_it(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """The coordinator's tick leaves a half-recorded burst unpublished."""
    coordinator = await _hub(hass, setup_hub)
    published: list[int] = []

    @callback
    def hub_listener() -> None:
        data = coordinator.data
        published.append(sum(v.status == "down" for v in data.targets.values()))

    remove = coordinator.async_add_listener(hub_listener)
    _all_down(hass)
    for _ in range(N // 2):
        await asyncio.sleep(0)
    assert 0 < coordinator.entity_watcher.pending < N
    await coordinator.async_refresh()  # the tick, half-way through
    await hass.async_block_till_done()
    remove()

    assert published == [N]


def test_jobs_run_at_once_take_a_short_share_of_the_turn(
    hass: HomeAssistant,
) -> None:
    """A callback queuing a burst runs about 2 ms of it, not a whole slice."""
    entry = MockConfigEntry(domain="pialert")
    entry.add_to_hass(hass)
    jobs = SlicedJobs(hass, entry, "test", slice_seconds=0.01)
    clock = [0.0]
    ran: list[int] = []

    def job(number: int) -> None:
        ran.append(number)
        clock[0] += 0.001  # each job takes 1 ms

    for number in range(20):
        jobs.add(number, partial(job, number))
    with patch.object(sliced_jobs.time, "perf_counter", lambda: clock[0]):
        jobs.run_now()
    jobs.stop()

    assert ran == [0, 1]
