"""bench_probe: a helper integration the benchmarks copy into their temporary config.

It never ships with PiAlert. In a benchmark's Home Assistant it

* registers ``/api/bench_bare``: a bare ``HomeAssistantView`` (no auth) that
  answers GET with a constant JSON body, set beforehand with a POST, so the API
  benchmark can compare PiAlert's view with Home Assistant's own floor;
* once Home Assistant has started and the PiAlert entry is loaded, writes
  ``bench_probe.json`` into the config dir: the integration setup times as Home
  Assistant records them (what the ``integration/setup_info`` websocket command
  returns), entity counts and, when asked, a PiAlert API key made with the
  ``pialert.create_api_key`` service;
* registers ``/api/bench_probe/load``: PiAlert's entity count and the loop's
  largest lag since a POST (the targets-as-code import figures);
* registers ``/api/bench_lag``: measures the event loop's lag over a window
  (the growth benchmark's loop-lag figure, in the real process).
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import json
import os
import pstats
import time
from typing import Any

from aiohttp import web
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.setup import async_get_domain_setup_times, async_get_setup_timings

from .gc_pauses import GcPauses
from .memory_probe import MemoryView
from .notify_bench import setup_notify_bench

DOMAIN = "bench_probe"
OUT_FILE = "bench_probe.json"
ENTRY_WAIT_SECONDS = 600


class BareView(HomeAssistantView):
    """Answers a constant JSON body: the floor of Home Assistant's HTTP stack."""

    url = "/api/bench_bare"
    name = "api:bench_bare"
    requires_auth = False

    def __init__(self) -> None:
        self.body: Any = {"alert": False}

    async def get(self, request: web.Request) -> web.Response:
        """Return the body (serialised per request, like PiAlert's view)."""
        return self.json(self.body)

    async def post(self, request: web.Request) -> web.Response:
        """Replace the body."""
        self.body = await request.json()
        return self.json({"ok": True})


class LagView(HomeAssistantView):
    """Measures the event loop's lag for a while: ``GET /api/bench_lag?seconds=N``.

    A 10 ms ticker on the loop: each tick's lateness is the lag. The answer
    comes when the window ends, with PiAlert's entity count at that moment.
    """

    url = "/api/bench_lag"
    name = "api:bench_lag"
    requires_auth = False

    async def get(self, request: web.Request) -> web.Response:
        """Tick for ``seconds``; return the lag figures."""
        hass: HomeAssistant = request.app[KEY_HASS]
        seconds = float(request.query.get("seconds", "10"))
        lag = await measure_lag(seconds)
        del lag["worst_tick_span"]  # perf_counter times: meaningless outside
        return self.json(
            {
                **lag,
                "states": len(hass.states.async_all()),
                "pialert_states": _pialert_states(hass),
            }
        )


async def measure_lag(seconds: float, tick: float = 0.01) -> dict[str, Any]:
    """Return the loop's lag (ms) over ``seconds``, the loop thread's CPU, and GC.

    The garbage collector's pauses are recorded too, with how much of the
    worst tick they took: a lag may be Home Assistant's heap being collected.
    """
    loop = asyncio.get_running_loop()
    lags: list[float] = []
    worst, worst_span = -1.0, (0.0, 0.0)
    cpu0 = time.thread_time()
    end = loop.time() + seconds
    with GcPauses() as pauses:
        while (before := loop.time()) < end:
            started = time.perf_counter()
            await asyncio.sleep(tick)
            lag = max(0.0, loop.time() - before - tick)
            lags.append(lag)
            if lag > worst:
                worst, worst_span = lag, (started, time.perf_counter())
    cpu = time.thread_time() - cpu0
    lags.sort()
    return {
        "ticks": len(lags),
        "max_ms": lags[-1] * 1000 if lags else None,
        "p99_ms": lags[int(len(lags) * 0.99)] * 1000 if lags else None,
        "p50_ms": lags[len(lags) // 2] * 1000 if lags else None,
        "loop_thread_cpu_s": cpu,
        **pauses.figures(),
        "gc_in_worst_tick_ms": pauses.within(*worst_span) * 1000,
        # perf_counter times: where the worst tick lies among other records.
        "worst_tick_span": list(worst_span),
    }


class LoadView(HomeAssistantView):
    """``/api/bench_probe/load``: PiAlert's entity count and the loop's lag.

    POST (re)starts a 10 ms ticker that records how late it wakes (the
    event loop's lag); GET returns the registry's PiAlert entities, their
    states and the largest lag since the POST.
    """

    url = "/api/bench_probe/load"
    name = "api:bench_probe:load"
    requires_auth = False

    def __init__(self) -> None:
        self.max_lag = 0.0
        self.ticker: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            self.max_lag = max(self.max_lag, time.perf_counter() - started - 0.01)

    async def post(self, request: web.Request) -> web.Response:
        """Start (or restart) measuring the lag."""
        hass: HomeAssistant = request.app[KEY_HASS]
        if self.ticker is not None:
            self.ticker.cancel()
        self.max_lag = 0.0
        self.ticker = hass.async_create_background_task(self._tick(), "bench lag")
        return self.json({"ok": True})

    async def get(self, request: web.Request) -> web.Response:
        """Return entity counts and the largest lag so far."""
        hass: HomeAssistant = request.app[KEY_HASS]
        registry = er.async_get(hass)
        ours = [e for e in registry.entities.values() if e.platform == "pialert"]
        return self.json(
            {
                "pialert_entities": len(ours),
                "pialert_hub_entities": sum(
                    1 for e in ours if not e.config_subentry_id
                ),
                "pialert_states": _pialert_states(hass),
                "max_lag_ms": round(self.max_lag * 1000, 1),
            }
        )


def _process_age() -> float:
    """Return seconds since this process started (from /proc)."""
    with open("/proc/self/stat", encoding="utf-8") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
    with open("/proc/uptime", encoding="utf-8") as handle:
        uptime = float(handle.read().split()[0])
    return uptime - started


def _pialert_states(hass: HomeAssistant) -> int:
    registry = er.async_get(hass)
    return sum(
        1
        for state in hass.states.async_all()
        if (entry := registry.async_get(state.entity_id)) is not None
        and entry.platform == "pialert"
    )


def _write(path: str, data: dict[str, Any]) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, default=str)
    os.replace(tmp, path)


async def _report(hass: HomeAssistant, conf: dict[str, Any]) -> None:
    deadline = time.monotonic() + ENTRY_WAIT_SECONDS
    entries = hass.config_entries.async_entries("pialert")
    while entries and time.monotonic() < deadline:
        if all(
            e.state
            in (
                ConfigEntryState.LOADED,
                ConfigEntryState.SETUP_ERROR,
                ConfigEntryState.SETUP_RETRY,
            )
            for e in entries
        ):
            break
        await asyncio.sleep(0.1)
    info_times: dict[str, float] = {
        "entry_loaded_after_s": await hass.async_add_executor_job(_process_age)
    }
    if wanted := int(conf.get("wait_pialert_states", 0)):
        while time.monotonic() < deadline:
            if _pialert_states(hass) >= wanted:
                break
            await asyncio.sleep(0.05)
    info_times["pialert_states_after_s"] = await hass.async_add_executor_job(
        _process_age
    )
    registry = er.async_get(hass)
    by_platform: dict[str, int] = {}
    for entry in registry.entities.values():
        by_platform[entry.platform] = by_platform.get(entry.platform, 0) + 1
    info: dict[str, Any] = {
        "pid": os.getpid(),
        "written_at": time.time(),
        "process_cpu_s": time.process_time(),
        "setup_timings": async_get_setup_timings(hass),
        "pialert_setup_times": {
            str(group): {str(phase): seconds for phase, seconds in phases.items()}
            for group, phases in async_get_domain_setup_times(hass, "pialert").items()
        },
        "entries": [
            {"entry_id": e.entry_id, "state": e.state.value, "reason": e.reason}
            for e in entries
        ],
        "states": len(hass.states.async_all()),
        "pialert_states": _pialert_states(hass),
        **info_times,
        "registry_entities": by_platform,
    }
    if (key := conf.get("api_key")) and entries:
        response = await hass.services.async_call(
            "pialert",
            "create_api_key",
            dict(key),
            blocking=True,
            return_response=True,
        )
        info["api_key"] = response["key"] if response else None
    await hass.async_add_executor_job(_write, hass.config.path(OUT_FILE), info)
    if churn := conf.get("churn"):
        hass.async_create_background_task(
            _churn(hass, str(churn["entity_id"]), float(churn["every"])),
            "bench_probe churn",
        )
    if profile := conf.get("profile"):
        await _profile(hass, float(profile["after"]), float(profile["seconds"]))


async def _churn(hass: HomeAssistant, entity_id: str, every: float) -> None:
    """Change an entity's state every ``every`` seconds (a busy sensor)."""
    value = 0
    while True:
        value += 1
        hass.states.async_set(entity_id, str(100 + value % 50))
        await asyncio.sleep(every)


async def _profile(hass: HomeAssistant, after: float, seconds: float) -> None:
    """Profile the event loop's thread for a while; write the top functions."""
    await asyncio.sleep(after)
    profiler = cProfile.Profile()
    profiler.enable()
    await asyncio.sleep(seconds)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(40)
    path = hass.config.path("bench_profile.txt")
    await hass.async_add_executor_job(_write_text, path, out.getvalue())


def _write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


async def async_setup(hass: HomeAssistant, config: dict[str, Any]) -> bool:
    """Register the bare view; report once started."""
    conf = config.get(DOMAIN) or {}
    hass.http.register_view(BareView())
    hass.http.register_view(LoadView())
    hass.http.register_view(LagView())
    hass.http.register_view(MemoryView())
    if notify_bench := conf.get("notify_bench"):
        setup_notify_bench(hass, notify_bench)

    async def _started(_event: Event) -> None:
        hass.async_create_task(_report(hass, conf), "bench_probe report")

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STARTED, _started)
    return True
