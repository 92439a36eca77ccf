"""The coordinator's run loop without Home Assistant, shared by the engine benchmark.

``CoordinatorLike`` drives ``engine.runner.CheckRunner`` with the real probes and
folds results into a ``Monitor``, publishing at most once per event-loop
iteration as coordinator.py does; ``Heartbeat`` measures event-loop lag.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from typing import Any

import aiohttp

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.history import History
from custom_components.pialert.engine.models import CheckResult, Target, TargetKind
from custom_components.pialert.engine.probes import http, tcp
from custom_components.pialert.engine.runner import CheckRunner
from custom_components.pialert.engine.schedule import ProbeCall, Scheduler
from custom_components.pialert.engine.settings import HttpSettings, TcpSettings
from custom_components.pialert.engine.state import Snapshot

from ._servers import SlowServer

# Home Assistant's shared aiohttp connector (helpers/aiohttp_client.py).
HA_LIMIT = 4096
HA_LIMIT_PER_HOST = 100
CYCLE_TIMEOUT = 120.0


def utcnow() -> dt.datetime:
    """Return the current time (UTC), like dt_util.utcnow."""
    return dt.datetime.now(dt.UTC)


def make_targets(
    kind: TargetKind, n: int, server: SlowServer, one_port: bool, interval: int = 60
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
                interval=interval,
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
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        perf = time.perf_counter
        while True:
            started = perf()
            await asyncio.sleep(self.period)
            lag = perf() - started - self.period
            self.samples += 1
            self.lags.append(lag)
            self.max_lag = max(self.max_lag, lag)

    def p99(self) -> float:
        """Return the 99th percentile of the lags seen."""
        if not self.lags:
            return 0.0
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]

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
        self,
        targets: list[Target],
        concurrency: int,
        session: aiohttp.ClientSession,
        last_checks: dict[str, float] | None = None,
    ) -> None:
        self.monitor = Monitor(History())
        self.monitor.set_targets(targets, utcnow())
        self.scheduler = Scheduler(concurrency)
        self.scheduler.sync(targets, last_checks=last_checks)
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

    def expect(self, results: int) -> None:
        """Count down from this many results (before starting their checks).

        An eager check can finish while later ones are still being started.
        """
        self._pending = results
        if results > 0:
            self._done.clear()
        else:
            self._done.set()

    async def wait_for_results(self) -> None:
        """Wait until the expected results are in, and their publish."""
        async with asyncio.timeout(CYCLE_TIMEOUT):
            await self._done.wait()
        await asyncio.sleep(0)

    async def cycle(self) -> None:
        """Start every due check (like one tick) and wait for all results."""
        self.expect(len(self.monitor.targets))  # every target is due
        await self.runner.async_start_due(self.monitor.targets)
        await self.wait_for_results()


def ha_like_session() -> aiohttp.ClientSession:
    """Return a session with Home Assistant's shared connector limits."""
    connector = aiohttp.TCPConnector(limit=HA_LIMIT, limit_per_host=HA_LIMIT_PER_HOST)
    return aiohttp.ClientSession(connector=connector)
