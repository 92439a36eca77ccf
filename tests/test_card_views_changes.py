"""The card's shared views look at the targets a snapshot changed, not at all."""

from __future__ import annotations

from datetime import timedelta
import random
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert.card_views import CardFeed, SharedViews, silenced_until
from custom_components.pialert.const import DOMAIN
from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.errors import RefusedError
from custom_components.pialert.engine.state import Snapshot

from .hub_walks import T0, counted, monitor_of, result, silence_one, tcp_target
from .platform_helpers import CPU_ID, coordinator_of

if TYPE_CHECKING:
    from custom_components.pialert.coordinator import PiAlertCoordinator

N = 2_000


def _coordinator(monitor: Monitor) -> PiAlertCoordinator:
    return cast("PiAlertCoordinator", SimpleNamespace(monitor=monitor))


def _full_stale(views: SharedViews, snapshot: Snapshot, now: object) -> set[str]:
    """What looking at every target (the code before) finds stale."""
    return {
        target_id
        for target_id, view in snapshot.targets.items()
        if views._valid(
            snapshot,
            target_id,
            silenced_until(view, snapshot.silences, now),  # type: ignore[arg-type]
        )
        is None
    }


def test_one_result_looks_at_one_target_of_thousands() -> None:
    monitor = monitor_of(N)
    device_lookups: list[str] = []
    views = SharedViews(
        _coordinator(monitor), lambda tid: device_lookups.append(tid) or None
    )
    snapshot = monitor.snapshot(T0)
    views.views(snapshot, snapshot.targets, T0)
    assert views.stale(snapshot, T0) == []
    device_lookups.clear()

    lookups: list[str] = []
    for second in range(1, 11):
        at = T0 + timedelta(seconds=second)
        target_id = f"t{second:04d}"
        monitor.record(target_id, result(ok=False, at=at))
        published = counted(monitor.snapshot(at), lookups)
        views.note(published)  # as the warmer does for each snapshot
        stale = views.stale(published, at)
        assert stale == [target_id]
        views.views(published, stale, at)

    # The old walk looked up all 2,000 views (and their devices) each time.
    assert len(lookups) <= 6 * 10
    assert device_lookups == [f"t{second:04d}" for second in range(1, 11)]


def test_a_subscriber_feed_looks_at_changed_targets_only() -> None:
    monitor = monitor_of(N)
    feed = CardFeed(_coordinator(monitor), lambda _: "device")
    feed.full(monitor.snapshot(T0), T0)

    lookups: list[str] = []
    at = T0 + timedelta(seconds=1)
    monitor.record("t0007", result(ok=False, at=at))
    changed, removed = feed.changes(counted(monitor.snapshot(at), lookups), at)

    assert [view["id"] for view in changed] == ["t0007"]
    assert changed[0]["status"] == "pending"
    assert removed == []
    assert len(lookups) <= 6


def test_changes_found_are_those_of_a_full_walk() -> None:
    """Whatever happens, and whichever snapshots are noted or skipped, the
    targets found stale are exactly those a walk over all targets finds."""
    rng = random.Random(15)
    count = 300
    monitor = monitor_of(count)
    views = SharedViews(_coordinator(monitor), lambda _: None)
    feed = CardFeed(_coordinator(monitor), lambda _: None)
    snapshot = monitor.snapshot(T0)
    feed.full(snapshot, T0)
    live = {f"t{i:04d}" for i in range(count)}
    at = T0
    for step in range(400):
        at += timedelta(seconds=rng.choice((1, 7, 90, 1800)))
        target_id = rng.choice(sorted(live))
        action = rng.random()
        try:
            if action < 0.6:
                monitor.record(target_id, result(ok=rng.random() < 0.5, at=at))
            elif action < 0.7:
                monitor.acknowledge(target_id, "tester", at)
            elif action < 0.76:
                silence_one(monitor, target_id, at, rng.choice((1, 30)), f"s{step}")
            elif action < 0.8:
                live = set(rng.sample(sorted(live), len(live) - 3)) | {
                    f"t{count + step:04d}"
                }
                monitor.set_targets([tcp_target(int(t[1:])) for t in sorted(live)], at)
            else:
                monitor.tick(at)
        except RefusedError:
            pass  # acknowledging a target that is not down
        snapshot = monitor.snapshot(at)
        if rng.random() < 0.9:  # a snapshot noted (published); some are not
            views.note(snapshot)
        if rng.random() < 0.5:
            expected = _full_stale(views, snapshot, at)
            stale = views.stale(snapshot, at)
            assert sorted(stale) == sorted(expected), step
            # The warmer may be stopped part way: build some of them only.
            views.views(snapshot, stale[: rng.randrange(len(stale) + 1)], at)
        if rng.random() < 0.7:
            before = dict(feed._sent)
            changed, removed = feed.changes(snapshot, at)
            expected_sent = feed.views.views(snapshot, snapshot.targets, at)
            assert feed._sent == expected_sent, step
            assert set(removed) == before.keys() - snapshot.targets.keys()
            assert {view["id"] for view in changed} == {
                t for t, view in expected_sent.items() if before.get(t) != view
            }


async def test_a_device_created_later_is_named_in_the_view(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A view built before its target's device existed is rebuilt when the
    device registry creates it (no device lookup on each snapshot)."""
    await hass.async_block_till_done(wait_background_tasks=True)
    coordinator = coordinator_of(init_integration)
    devices = dr.async_get(hass)
    old = devices.async_get_device_by_identifier(
        (DOMAIN, CPU_ID), init_integration.entry_id
    )
    assert old is not None
    devices.async_remove_device(old.id)
    views = SharedViews(coordinator, lambda _: None)
    views.invalidate(CPU_ID)
    views.views(coordinator.data, [CPU_ID], coordinator.now())
    assert (
        views.views(coordinator.data, [CPU_ID], coordinator.now())[CPU_ID]["device_id"]
        is None
    )

    new = devices.async_get_or_create(
        config_entry_id=init_integration.entry_id,
        config_subentry_id=CPU_ID,
        identifiers={(DOMAIN, CPU_ID)},
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    view = views.views(coordinator.data, [CPU_ID], coordinator.now())[CPU_ID]
    assert view["device_id"] == new.id


async def test_a_small_change_is_built_at_once_without_a_task(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One target's change is rebuilt in the snapshot's listener: a
    background task for each of the many snapshots cost more than the view."""
    await hass.async_block_till_done(wait_background_tasks=True)
    coordinator = coordinator_of(init_integration)
    views = SharedViews(coordinator, lambda _: None)
    built = views.built
    tasks: list[str] = []
    create = hass.async_create_background_task

    def counting(target: Any, name: str, eager_start: bool = True) -> Any:
        tasks.append(name)
        return create(target, name, eager_start)

    monkeypatch.setattr(hass, "async_create_background_task", counting)
    hass.states.async_set("sensor.cpu", "99")
    await hass.async_block_till_done()  # not waiting for background tasks

    assert views.built == built + 1
    assert "pialert card views" not in tasks
    assert views.stale(coordinator.data, coordinator.now()) == []
