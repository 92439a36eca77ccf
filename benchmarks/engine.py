"""engine: one check cycle of N polled targets, in-process, without Home Assistant.

The cycle runs the coordinator's own run loop (``engine.runner.CheckRunner``,
which the coordinator's tick drives): ``Scheduler.due()`` marks every target
running, each check is an eagerly started task doing ``Scheduler.run`` with the
real probe (``http.probe`` with a session shaped like Home Assistant's shared
one, or ``tcp.probe``), each result goes through ``Monitor.record``, and
snapshots are published at most once per event-loop iteration, compared with
the previous one as the coordinator does (coordinator.py ``async_record``,
``_publish``).

The targets are on a loopback server in another process (benchmarks._servers):
HTTP answers after 100 ms; TCP listeners accept. Targets are spread over many
ports because Home Assistant's session allows 100 connections per host:port
(one figure shows what happens when they all share one).

Measured per cycle: wall time from ``due()`` to the last result folded in,
process CPU time per check (this process only; the server runs elsewhere), and
the largest lateness of a 10 ms heartbeat task (event-loop lag).

Those cycles are bursts (every target due at once, as after ``run_now`` for
all). The spread runs measure the steady state instead: targets restarted with
a last check on record start on their phase (``Scheduler.sync(last_checks=)``),
and a tick loop like the coordinator's (wake at the next due time, at most once
a second; each tick starts due checks and builds the snapshot) runs for
SPREAD_WINDOW seconds of the default 60 s interval: the same checks per second
as a whole interval, in a quarter of the time. Reported: max and p99
event-loop lag, and process CPU per check over the window (ticks, checks,
publishes, until the last result is in) less the CPU the loop uses with only
the lag sampler running (measured just before, in the same run).
"""

from __future__ import annotations

import asyncio
import gc
import resource
import time
from typing import Any

from custom_components.pialert.engine.models import CheckResult, TargetKind
from custom_components.pialert.engine.schedule import DEFAULT_MAX_CONCURRENT

from . import Result, say
from ._engine_loop import (
    HA_LIMIT,
    HA_LIMIT_PER_HOST,
    CoordinatorLike,
    Heartbeat,
    ha_like_session,
    make_targets,
    utcnow,
)
from ._servers import SlowServer, raise_nofile_limit

NAME = "engine"
TITLE = "Engine check cycle (in-process, loopback targets)"

FULL_SIZES = (100, 1_000, 5_000)
QUICK_SIZES = (100,)
HTTP_PORTS = 64  # 5,000 targets / 64 ports = 79 per port, under HA's 100 per host
TCP_PORTS = 16
DELAY = 0.1

SPREAD_SIZES = (1_000, 5_000)
QUICK_SPREAD_SIZES = (100,)
SPREAD_INTERVAL = 60
SPREAD_WINDOW = 15.0
IDLE_BASELINE_S = 3.0
QUICK_SPREAD_WINDOW = 5.0
# The coordinator's tick: at most once a second, at least every MAX_TICK_SECONDS.
MIN_TICK_S = 1.0
MAX_TICK_S = 10.0

GOAL_WALL_MS = {1_000: 300.0, 5_000: 1_500.0}
GOAL_CPU_MS = 0.25
GOAL_LAG_MS = 50.0


async def measured_cycle(coordinator: CoordinatorLike) -> dict[str, float]:
    """Run one cycle with the heartbeat on; return wall, CPU and lag."""
    gc.collect()
    heartbeat = Heartbeat()
    heartbeat.start()
    await asyncio.sleep(0.05)  # heartbeat running before the cycle starts
    heartbeat.max_lag = 0.0
    heartbeat.lags.clear()
    publishes = coordinator.publishes
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    await coordinator.cycle()
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    await heartbeat.stop()
    return {
        "wall_ms": wall * 1000,
        "cpu_s": cpu,
        "max_lag_ms": heartbeat.max_lag * 1000,
        "p99_lag_ms": heartbeat.p99() * 1000,
        "publishes": coordinator.publishes - publishes,
    }


async def one_cycle(
    kind: TargetKind,
    n: int,
    concurrency: int,
    server: SlowServer,
    one_port: bool = False,
) -> dict[str, Any]:
    """Run two cycles of ``n`` targets: the first after start, then a steady one.

    The first cycle turns every target from unknown to up; the second changes
    no status, which is what nearly every cycle does. Each cycle gets a fresh
    session: with the default 60 s interval, pooled keep-alive connections
    (15 s) have closed before the next cycle, so every check connects anew.
    """
    targets = make_targets(kind, n, server, one_port)
    session = ha_like_session()
    coordinator = CoordinatorLike(targets, concurrency, session)
    try:
        first = await measured_cycle(coordinator)
        await session.close()
        session = coordinator.session = ha_like_session()
        for target in targets:
            coordinator.scheduler.run_now(target.id)
        failures_first = coordinator.failures
        steady = await measured_cycle(coordinator)
    finally:
        await session.close()
    return {
        "kind": kind.value,
        "targets": n,
        "concurrency": concurrency,
        "one_port": one_port,
        "wall_ms": steady["wall_ms"],
        "cpu_s": steady["cpu_s"],
        "cpu_ms_per_check": steady["cpu_s"] * 1000 / n,
        "max_lag_ms": steady["max_lag_ms"],
        "p99_lag_ms": steady["p99_lag_ms"],
        "publishes": steady["publishes"],
        "first_wall_ms": first["wall_ms"],
        "first_cpu_ms_per_check": first["cpu_s"] * 1000 / n,
        "first_max_lag_ms": first["max_lag_ms"],
        "first_publishes": first["publishes"],
        "failures": coordinator.failures,
        "failures_first_cycle": failures_first,
        "errors": dict(list(coordinator.errors.items())[:5]),
    }


async def spread_run(
    n: int, interval: int, window: float, server: SlowServer
) -> dict[str, Any]:
    """Run ``window`` seconds of ``n`` http targets spread by the scheduler.

    The targets restart with a success and a last check one interval ago on
    record, so no check in the window changes a status.
    """
    gc.collect()
    heartbeat = Heartbeat()
    heartbeat.start()
    # The baseline: the loop with only the lag sampler running (100 wake-ups
    # a second, not PiAlert's work); subtracted from the window's CPU.
    idle_cpu0 = time.process_time()
    await asyncio.sleep(IDLE_BASELINE_S)
    idle_cpu_per_s = (time.process_time() - idle_cpu0) / IDLE_BASELINE_S
    targets = make_targets(TargetKind.HTTP, n, server, False, interval)
    ago = time.time() - interval
    session = ha_like_session()
    coordinator = CoordinatorLike(
        targets, n, session, last_checks=dict.fromkeys((t.id for t in targets), ago)
    )
    for target in targets:
        coordinator.monitor.record(
            target.id, CheckResult(success=True, checked_at=utcnow())
        )
    coordinator.data = coordinator.monitor.snapshot(utcnow())
    await asyncio.sleep(0.05)  # the sampler's wake-up late by the set-up
    heartbeat.max_lag = 0.0
    heartbeat.lags.clear()
    ticks = 0
    started_per_tick: list[int] = []
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    try:
        while True:
            # The coordinator's tick (coordinator.py _async_update_data).
            started_per_tick.append(
                await coordinator.runner.async_start_due(coordinator.monitor.targets)
            )
            coordinator.monitor.snapshot(utcnow())
            ticks += 1
            if time.perf_counter() - wall0 >= window:
                break
            wait = coordinator.scheduler.seconds_until_next()
            wait = MAX_TICK_S if wait is None else min(wait, MAX_TICK_S)
            await asyncio.sleep(max(MIN_TICK_S, wait))
        coordinator.expect(sum(started_per_tick) - coordinator.recorded)
        await coordinator.wait_for_results()
        wall = time.perf_counter() - wall0
        cpu = time.process_time() - cpu0
    finally:
        await heartbeat.stop()
        await session.close()
    checks = coordinator.recorded
    return {
        "kind": "http",
        "targets": n,
        "interval_s": interval,
        "window_s": window,
        "concurrency": n,
        "wall_s": wall,
        "checks": checks,
        "ticks": ticks,
        "max_started_per_tick": max(started_per_tick, default=0),
        "cpu_s": cpu,
        "idle_cpu_s": idle_cpu_per_s * wall,
        "cpu_ms_per_check": (cpu - idle_cpu_per_s * wall) * 1000 / max(checks, 1),
        "max_lag_ms": heartbeat.max_lag * 1000,
        "p99_lag_ms": heartbeat.p99() * 1000,
        "publishes": coordinator.publishes,
        "failures": coordinator.failures,
        "errors": dict(list(coordinator.errors.items())[:5]),
    }


async def run_all(quick: bool) -> Result:
    """Run every size, kind and concurrency setting."""
    result = Result(NAME, TITLE)
    sizes = QUICK_SIZES if quick else FULL_SIZES
    limits = raise_nofile_limit()
    result.params = {
        "sizes": list(sizes),
        "server_delay_s": DELAY,
        "http_ports": HTTP_PORTS,
        "tcp_ports": TCP_PORTS,
        "ha_connector_limit": HA_LIMIT,
        "ha_connector_limit_per_host": HA_LIMIT_PER_HOST,
        "default_concurrency": DEFAULT_MAX_CONCURRENT,
        "nofile_limit": list(limits),
        "spread_sizes": list(QUICK_SPREAD_SIZES if quick else SPREAD_SIZES),
        "spread_interval_s": SPREAD_INTERVAL,
        "spread_window_s": QUICK_SPREAD_WINDOW if quick else SPREAD_WINDOW,
    }
    runs: list[dict[str, Any]] = []
    spread_runs: list[dict[str, Any]] = []
    with SlowServer(http_ports=HTTP_PORTS, tcp_ports=TCP_PORTS, delay=DELAY) as server:
        # Warm-up: imports, first connections, lazily built objects.
        await one_cycle(TargetKind.HTTP, 20, 20, server)
        await one_cycle(TargetKind.TCP, 20, 20, server)
        plan: list[tuple[TargetKind, int, int, bool]] = []
        for kind in (TargetKind.HTTP, TargetKind.TCP):
            for n in sizes:
                plan.append((kind, n, n, False))
                if n > DEFAULT_MAX_CONCURRENT:
                    plan.append((kind, n, DEFAULT_MAX_CONCURRENT, False))
        if not quick:
            plan.append((TargetKind.HTTP, 1_000, 1_000, True))
        for kind, n, concurrency, one_port in plan:
            run = await one_cycle(kind, n, concurrency, server, one_port)
            runs.append(run)
            say(
                f"engine {kind.value} n={n} concurrency={concurrency}"
                f"{' one port' if one_port else ''}: {run['wall_ms']:.0f} ms, "
                f"{run['cpu_ms_per_check']:.3f} ms CPU/check, lag {run['max_lag_ms']:.1f} ms"
                f" (first cycle {run['first_wall_ms']:.0f} ms,"
                f" {run['first_cpu_ms_per_check']:.3f} ms CPU/check,"
                f" lag {run['first_max_lag_ms']:.1f} ms), failures {run['failures']},"
                f" lag p99 {run['p99_lag_ms']:.1f} ms"
            )
            await asyncio.sleep(0.2)
        for n in result.params["spread_sizes"]:
            spread = await spread_run(
                n,
                result.params["spread_interval_s"],
                result.params["spread_window_s"],
                server,
            )
            spread_runs.append(spread)
            say(
                f"engine spread http n={n} on {spread['interval_s']} s,"
                f" {spread['window_s']:g} s of it:"
                f" {spread['checks']} checks in {spread['ticks']} ticks"
                f" (at most {spread['max_started_per_tick']} a tick),"
                f" {spread['cpu_ms_per_check']:.3f} ms CPU/check,"
                f" lag max {spread['max_lag_ms']:.1f} ms p99 {spread['p99_lag_ms']:.1f} ms,"
                f" failures {spread['failures']}"
            )
            await asyncio.sleep(0.2)
        result.details["server_cpu_s"] = server.cpu_seconds()
    result.details["runs"] = runs
    result.details["spread_runs"] = spread_runs
    for spread in spread_runs:
        label = f"http {spread['targets']:,} spread over {spread['interval_s']} s"
        note = (
            f"{spread['window_s']:g} s of the interval measured;"
            f" less the idle loop ({spread['idle_cpu_s']:.2f} s CPU)"
        )
        if spread["failures"]:
            note += f"; {spread['failures']} failed checks"
        result.add(
            f"{label}: CPU per check",
            spread["cpu_ms_per_check"],
            "ms",
            f"<= {GOAL_CPU_MS} ms",
            spread["cpu_ms_per_check"] <= GOAL_CPU_MS,
            note,
        )
        result.add(
            f"{label}: max loop lag",
            spread["max_lag_ms"],
            "ms",
            f"< {GOAL_LAG_MS:.0f} ms",
            spread["max_lag_ms"] < GOAL_LAG_MS and not spread["failures"],
        )
        result.add(f"{label}: p99 loop lag", spread["p99_lag_ms"], "ms")
    for run in runs:
        label = f"{run['kind']} {run['targets']:,}"
        label += f" c={run['concurrency']:,}"
        if run["one_port"]:
            label += " one host:port"
        wall_goal = GOAL_WALL_MS.get(run["targets"])
        raised = run["concurrency"] >= run["targets"] and not run["one_port"]
        note = f"{run['failures']} failed checks" if run["failures"] else ""
        if wall_goal is not None and raised:
            result.add(
                f"{label}: cycle wall",
                run["wall_ms"],
                "ms",
                f"<= {wall_goal:,.0f} ms",
                run["wall_ms"] <= wall_goal and not run["failures"],
                note,
            )
        else:
            result.add(f"{label}: cycle wall", run["wall_ms"], "ms", note=note)
        result.add(
            f"{label}: CPU per check",
            run["cpu_ms_per_check"],
            "ms",
            f"<= {GOAL_CPU_MS} ms",
            run["cpu_ms_per_check"] <= GOAL_CPU_MS,
        )
        result.add(
            f"{label}: first cycle CPU per check",
            run["first_cpu_ms_per_check"],
            "ms",
            f"<= {GOAL_CPU_MS} ms",
            run["first_cpu_ms_per_check"] <= GOAL_CPU_MS,
            f"every status changes (unknown -> up); wall {run['first_wall_ms']:,.0f} ms,"
            f" lag {run['first_max_lag_ms']:.0f} ms",
        )
        result.add(
            f"{label}: max loop lag",
            run["max_lag_ms"],
            "ms",
            f"< {GOAL_LAG_MS:.0f} ms",
            run["max_lag_ms"] < GOAL_LAG_MS,
        )
    return result


def run(quick: bool) -> Result:
    """Run the benchmark."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    say(f"engine: open-files limit {soft}/{hard}")
    return asyncio.run(run_all(quick))
