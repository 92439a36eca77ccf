"""Entity group targets: 5,000 entities in 50 groups, a burst of 1,000 changes.

Runs PiAlert's group watcher (group_watch.py) on a real Home Assistant core
(pytest-homeassistant-custom-component's in-process instance: real state
machine, real entity and label registries) and folds its verdicts into the
engine's Monitor, as the coordinator does. A 10 ms ticker measures the event
loop's lag while 1,000 state changes land in one loop iteration; the baseline
is the same burst with nothing watching, in the same run, and again with one
no-op state-change listener (what any real install has: the recorder's), since
a listener alone makes Home Assistant build an Event per change. Lag and the
loop thread's CPU time per burst are medians of 10 bursts. Also measured: one
membership rebuild (what a registry change costs, once a second at most).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import tempfile
import time
from typing import Any

from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, callback
from homeassistant.helpers import entity_registry as er, label_registry as lr
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    async_test_home_assistant,
)

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.config import target_from_data
from custom_components.pialert.engine.models import CheckResult
from custom_components.pialert.group_watch import EntityGroupWatcher

from . import Result, say
from ._engine_loop import Heartbeat

NAME = "entity-groups"
TITLE = "Entity group targets"
FULL = {"entities": 5000, "groups": 50, "burst": 1000}
QUICK = {"entities": 1000, "groups": 10, "burst": 1000}
LAG_GOAL_MS = 50.0
ROUNDS = 5


async def _burst_lag(
    hass: Any, entity_ids: list[str], state: str
) -> tuple[float, float]:
    """Set ``state`` on these entities in one loop iteration.

    Return the max lag (s) and the loop thread's CPU time (s) until every
    consequence has run: the CPU time does not count moments when the
    shared machine ran something else, so it is the steadier figure.
    """
    ticker = Heartbeat()
    ticker.start()
    await asyncio.sleep(0.05)
    cpu = time.thread_time()
    for entity_id in entity_ids:
        hass.states.async_set(entity_id, state)
    await hass.async_block_till_done()
    cpu = time.thread_time() - cpu
    await asyncio.sleep(0.1)
    await ticker.stop()
    return ticker.max_lag, cpu


async def _rounds(hass: Any, entity_ids: list[str]) -> tuple[float, float]:
    """Return the median max lag and CPU (s) of bursts to unavailable and back."""
    lags, cpus = [], []
    for _ in range(ROUNDS):
        for state in ("unavailable", "on"):
            lag, cpu = await _burst_lag(hass, entity_ids, state)
            lags.append(lag)
            cpus.append(cpu)
    return statistics.median(lags), statistics.median(cpus)


async def _measure(params: dict[str, int]) -> dict[str, Any]:
    # A throw-away config dir: the registries are saved when the core stops.
    with tempfile.TemporaryDirectory() as config_dir:
        return await _measure_in(params, config_dir)


async def _measure_in(params: dict[str, int], config_dir: str) -> dict[str, Any]:
    n, groups, burst = params["entities"], params["groups"], params["burst"]
    figures: dict[str, Any] = {}
    async with async_test_home_assistant(config_dir=config_dir) as hass:
        labels = [lr.async_get(hass).async_create(f"group {g}") for g in range(groups)]
        registry = er.async_get(hass)
        entity_ids = []
        for i in range(n):
            entry = registry.async_get_or_create(
                "binary_sensor", "bench", f"e{i}", suggested_object_id=f"e{i}"
            )
            registry.async_update_entity(
                entry.entity_id, labels={labels[i % groups].label_id}
            )
            hass.states.async_set(entry.entity_id, "on", {"friendly_name": f"E {i}"})
            entity_ids.append(entry.entity_id)
        await hass.async_block_till_done()
        # Spread over the groups: every group sees its share of the burst.
        burst_ids = entity_ids[:burst]

        say(f"baseline: {burst} state changes, nothing watching, {ROUNDS} rounds")
        baseline = await _rounds(hass, burst_ids)
        # Any listener makes Home Assistant build an Event per change (and
        # its Context <-> Event reference cycle, left to the garbage
        # collector); a real install always has one: the recorder's.
        unlisten = hass.bus.async_listen(EVENT_STATE_CHANGED, _ignore)
        say(f"baseline: {burst} state changes, one no-op listener (as the recorder)")
        listened = await _rounds(hass, burst_ids)
        unlisten()

        monitor = Monitor()
        targets = [
            target_from_data(
                f"g{g}",
                {
                    "kind": "entity_group",
                    "name": f"Group {g}",
                    "labels": [labels[g].label_id],
                    "failure_threshold": 1,
                },
            )
            for g in range(groups)
        ]
        now = dt.datetime.now(dt.UTC)
        monitor.set_targets(targets, now)
        recorded = 0

        def record(target_id: str, result: CheckResult) -> None:
            nonlocal recorded
            recorded += 1
            monitor.record(target_id, result)

        watcher = EntityGroupWatcher(hass, record)
        started = time.perf_counter()
        watcher.async_sync(targets)
        figures["sync_ms"] = (time.perf_counter() - started) * 1000
        assert len(watcher.index) == n, len(watcher.index)
        started = time.perf_counter()
        watcher.rebuild()
        figures["rebuild_ms"] = (time.perf_counter() - started) * 1000

        say(f"{burst} state changes, {n} entities watched in {groups} groups")
        recorded = 0
        await _burst_lag(hass, burst_ids, "unavailable")
        figures["groups_down"] = sum(1 for s in monitor.states.values() if s.is_down)
        figures["records"] = recorded
        await _burst_lag(hass, burst_ids, "on")
        watched = await _rounds(hass, burst_ids)
        watcher.async_stop()
        await hass.async_stop(force=True)
    for name, (lag, cpu) in (
        ("baseline", baseline),
        ("listened", listened),
        ("watched", watched),
    ):
        figures[f"{name}_lag_ms"] = lag * 1000
        figures[f"{name}_cpu_ms"] = cpu * 1000
    return figures


@callback
def _ignore(_event: Event) -> None:
    """Listen to state changes and do nothing (the baseline's listener)."""


def _times(value: float, base: float) -> str:
    return f"{value / max(base, 0.001):.2f}x"


def run(quick: bool) -> Result:
    """Measure and return the figures."""
    params = QUICK if quick else FULL
    result = Result(NAME, TITLE, params=dict(params))
    figures = asyncio.run(_measure(params))
    result.details = {k: round(v, 2) for k, v in figures.items()}
    lag = figures["watched_lag_ms"]
    burst = (
        f"burst of {params['burst']} changes, "
        f"{params['entities']} entities in {params['groups']} groups"
    )
    result.add(
        f"Loop lag, {burst}",
        round(lag, 1),
        "ms",
        f"< {LAG_GOAL_MS:.0f} ms",
        lag < LAG_GOAL_MS,
        note=f"Home Assistant alone {figures['baseline_lag_ms']:.1f} ms ="
        f" {_times(lag, figures['baseline_lag_ms'])}; with one no-op listener"
        f" {figures['listened_lag_ms']:.1f} ms ="
        f" {_times(lag, figures['listened_lag_ms'])}",
    )
    cpu = figures["watched_cpu_ms"]
    result.add(
        f"Loop CPU, {burst}",
        round(cpu, 1),
        "ms",
        note=f"Home Assistant alone {figures['baseline_cpu_ms']:.1f} ms ="
        f" {_times(cpu, figures['baseline_cpu_ms'])}; with one no-op listener"
        f" {figures['listened_cpu_ms']:.1f} ms ="
        f" {_times(cpu, figures['listened_cpu_ms'])}",
    )
    result.add(
        "Membership rebuild (a registry change)", round(figures["rebuild_ms"], 1), "ms"
    )
    result.add("Groups down after the burst", figures["groups_down"], "")
    return result
