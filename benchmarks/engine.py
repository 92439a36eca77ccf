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
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import resource
import time
from typing import Any

import aiohttp

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.history import History
from custom_components.pialert.engine.models import CheckResult, Target, TargetKind
from custom_components.pialert.engine.probes import http, tcp
from custom_components.pialert.engine.runner import CheckRunner
from custom_components.pialert.engine.schedule import (
    DEFAULT_MAX_CONCURRENT,
    ProbeCall,
    Scheduler,
)
from custom_components.pialert.engine.settings import HttpSettings, TcpSettings
from custom_components.pialert.engine.state import Snapshot

from . import Result, say
from ._servers import SlowServer, raise_nofile_limit

NAME = "engine"
TITLE = "Engine check cycle (in-process, loopback targets)"

FULL_SIZES = (100, 1_000, 5_000)
QUICK_SIZES = (100,)
HTTP_PORTS = 64  # 5,000 targets / 64 ports = 79 per port, under HA's 100 per host
TCP_PORTS = 16
DELAY = 0.1
# Home Assistant's shared aiohttp connector (helpers/aiohttp_client.py).
HA_LIMIT = 4096
HA_LIMIT_PER_HOST = 100
CYCLE_TIMEOUT = 120.0

GOAL_WALL_MS = {1_000: 300.0, 5_000: 1_500.0}
GOAL_CPU_MS = 0.25
GOAL_LAG_MS = 50.0


def utcnow() -> dt.datetime:
    """Return the current time (UTC), like dt_util.utcnow."""
    return dt.datetime.now(dt.UTC)


def make_targets(
    kind: TargetKind, n: int, server: SlowServer, one_port: bool
) -> list[Target]:
    """Return ``n`` targets of ``kind`` on the loopback server."""
    targets = []
    for i in range(n):
        if kind is TargetKind.HTTP:
            url = server.url(0 if one_port else i)
            if one_port:
                url = url.rsplit("/", 1)[0] + f"/{i}"
            saved: dict[str, Any] = {
                "url": url,
                "method": "GET",
                "accepted_status": "200-299",
                "keyword_absent": False,
                "verify_ssl": True,
            }
            settings: HttpSettings | TcpSettings = HttpSettings.from_mapping(saved)
        else:
            saved = {"host": "127.0.0.1", "port": server.tcp_port(i)}
            settings = TcpSettings.from_mapping(saved)
        targets.append(
            Target(
                id=f"t{i:05d}",
                name=f"Target {i:05d}",
                kind=kind,
                settings=settings,
                saved_settings=saved,
                interval=60,
                timeout=10,
            )
        )
    return targets


class Heartbeat:
    """A task that wakes every 10 ms and records how late it woke."""

    def __init__(self, period: float = 0.01) -> None:
        self.period = period
        self.max_lag = 0.0
        self.samples = 0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        perf = time.perf_counter
        while True:
            started = perf()
            await asyncio.sleep(self.period)
            lag = perf() - started - self.period
            self.samples += 1
            self.max_lag = max(self.max_lag, lag)

    def start(self) -> None:
        """Start measuring."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop measuring."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class CoordinatorLike:
    """The coordinator's run loop and per-result work, without Home Assistant."""

    def __init__(
        self, targets: list[Target], concurrency: int, session: aiohttp.ClientSession
    ) -> None:
        self.monitor = Monitor(History())
        self.monitor.set_targets(targets, utcnow())
        self.scheduler = Scheduler(concurrency)
        self.scheduler.sync(targets)
        self.runner = CheckRunner(self.scheduler, self._probe_call, self.record, utcnow)
        self.session = session
        self.data: Snapshot | None = self.monitor.snapshot(utcnow())
        self.publishes = 0
        self.recorded = 0
        self.failures = 0
        self.errors: dict[str, int] = {}
        self._publish_pending = False
        self._done: asyncio.Event = asyncio.Event()
        self._pending = 0

    def _probe_call(self, target: Target) -> ProbeCall:
        # probe_calls.py polled_probe_call, with this session.
        settings = target.settings
        if isinstance(settings, HttpSettings):
            session = self.session
            return lambda: http.probe(settings, session, target.timeout)
        assert isinstance(settings, TcpSettings)
        return lambda: tcp.probe(settings)

    def record(self, target_id: str, result: CheckResult) -> None:
        events = self.monitor.record(target_id, result)
        del events  # the coordinator fires them on the bus; none are expected here
        self.recorded += 1
        if not result.success:
            self.failures += 1
            key = result.error or "?"
            self.errors[key] = self.errors.get(key, 0) + 1
        self.publish()
        self._pending -= 1
        if self._pending <= 0:
            self._done.set()

    def publish(self) -> None:
        if self._publish_pending:
            return
        self._publish_pending = True
        asyncio.get_running_loop().call_soon(self._publish)

    def _publish(self) -> None:
        self._publish_pending = False
        snapshot = self.monitor.snapshot(utcnow())
        if snapshot != self.data:
            self.data = snapshot
            self.publishes += 1

    async def cycle(self) -> None:
        """Start every due check (like one tick) and wait for all results."""
        # Every target is due: results count down from their number (an eager
        # check can finish while later ones are still being started).
        self._pending = len(self.monitor.targets)
        self._done.clear()
        await self.runner.async_start_due(self.monitor.targets)
        async with asyncio.timeout(CYCLE_TIMEOUT):
            await self._done.wait()
        # The last publish is part of the cycle.
        await asyncio.sleep(0)


def ha_like_session() -> aiohttp.ClientSession:
    """Return a session with Home Assistant's shared connector limits."""
    connector = aiohttp.TCPConnector(limit=HA_LIMIT, limit_per_host=HA_LIMIT_PER_HOST)
    return aiohttp.ClientSession(connector=connector)


async def measured_cycle(coordinator: CoordinatorLike) -> dict[str, float]:
    """Run one cycle with the heartbeat on; return wall, CPU and lag."""
    gc.collect()
    heartbeat = Heartbeat()
    heartbeat.start()
    await asyncio.sleep(0.05)  # heartbeat running before the cycle starts
    heartbeat.max_lag = 0.0
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
        "publishes": steady["publishes"],
        "first_wall_ms": first["wall_ms"],
        "first_cpu_ms_per_check": first["cpu_s"] * 1000 / n,
        "first_max_lag_ms": first["max_lag_ms"],
        "first_publishes": first["publishes"],
        "failures": coordinator.failures,
        "failures_first_cycle": failures_first,
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
    }
    runs: list[dict[str, Any]] = []
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
                f" lag {run['first_max_lag_ms']:.1f} ms), failures {run['failures']}"
            )
            await asyncio.sleep(0.2)
        result.details["server_cpu_s"] = server.cpu_seconds()
    result.details["runs"] = runs
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
