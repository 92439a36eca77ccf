"""Work one check does in a running hub: what needs no redoing per check is not redone.

Each test counts the work a check used to repeat (a session lookup, a walk
over every target, a clock read per window) and fails on the old code.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from unittest.mock import AsyncMock, patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import aiohttp_client
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.daily_uptime import DailyUptime
from custom_components.pialert.engine.models import CheckResult

from .hub_walks import T0, counted, monitor_of
from .platform_helpers import SITE_ID


def _ok(seconds: int) -> CheckResult:
    return CheckResult(
        success=True, checked_at=T0 + timedelta(seconds=seconds), response_time_ms=1.0
    )


async def test_checks_reuse_their_probe_call(
    hass: HomeAssistant, init_integration: MockConfigEntry, http_probe: AsyncMock
) -> None:
    """The shared session is looked up once per target, not once per check."""
    coordinator = init_integration.runtime_data.coordinator
    with patch(
        "custom_components.pialert.probe_calls.async_get_clientsession",
        wraps=aiohttp_client.async_get_clientsession,
    ) as lookups:
        for _ in range(3):
            await coordinator.async_check_now([SITE_ID])
        assert http_probe.await_count >= 3
        assert lookups.call_count <= 1

        # A changed target is a new object: its call is made again.
        target = coordinator.monitor.targets[SITE_ID]
        changed = replace(target, timeout=target.timeout + 1)
        assert coordinator.probe_calls(changed) is not coordinator.probe_calls(target)
        assert coordinator.probe_calls(changed) is coordinator.probe_calls(changed)


async def test_results_do_not_walk_every_target_for_new_entities(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The platforms' 'new target?' listeners look at the changed targets only."""
    coordinator = init_integration.runtime_data.coordinator
    adders = [
        update
        for update, _context in list(coordinator._listeners.values())
        if "add_new_targets" in update.__qualname__
    ]
    assert len(adders) >= 2  # sensor and binary_sensor at least
    monitor = coordinator.monitor
    monitor.record(SITE_ID, _ok(1))
    coordinator.data = monitor.snapshot(T0 + timedelta(seconds=1))
    for update in adders:
        update()  # each has now seen this snapshot

    walked: list[str] = []
    monitor.record(SITE_ID, _ok(2))
    coordinator.data = counted(monitor.snapshot(T0 + timedelta(seconds=2)), walked)
    for update in adders:
        update()

    assert walked == []


def test_a_snapshot_finds_active_silences_once() -> None:
    """Rebuilding every view asks for the active silences once, not per view."""
    monitor = monitor_of(50)
    monitor.set_targets(list(monitor.targets.values()), T0)  # every view dirty
    with patch.object(Monitor, "_active", autospec=True, wraps=Monitor._active) as a:
        snapshot = monitor.snapshot(T0)
    assert len(snapshot.targets) == 50
    assert a.call_count <= 2


def test_view_uptimes_read_the_day_once() -> None:
    """A view's 90-day and 1-year uptimes share one day lookup."""
    monitor = monitor_of(3)
    history = monitor.history
    for second in range(1, 5):
        history.record_check("t0001", _ok(second))
    now = T0 + timedelta(seconds=5)
    with patch.object(
        DailyUptime, "day_of", autospec=True, wraps=DailyUptime.day_of
    ) as day_of:
        uptimes = history.view_uptimes("t0001", now)
    assert day_of.call_count == 1
    assert uptimes == {
        "uptime_24h": history.uptime("t0001", now, "24h"),
        "uptime_90d": history.uptime("t0001", now, "90d"),
        "uptime_1y": history.uptime("t0001", now, "1y"),
    }
    assert history.view_uptimes("t0404", now) == {
        "uptime_24h": None,
        "uptime_90d": None,
        "uptime_1y": None,
    }
