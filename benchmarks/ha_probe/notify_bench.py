"""The notify benchmark's side inside Home Assistant.

Registers notify services (``notify.bench_phone``, ``notify.bench_dashboard``)
that record when they were called (``time.monotonic()``, the system-wide
CLOCK_MONOTONIC on Linux, so the benchmark process compares it with its own),
and records when a watched PiAlert status sensor turns ``down``.
``/api/bench_notify`` (no auth, loopback benchmark only):

* ``GET``: the calls and the sensor's down times so far;
* ``POST {"action": "reset"}``: forget them;
* ``POST {"action": "check", "entity_id": ...}``: ``pialert.check_now`` on it;
* ``POST {"action": "burst", "entity_ids": [...], "state": ..., "seconds": s}``:
  set every entity's state in one loop iteration while a 10 ms ticker
  measures the loop's lag; answer after ``seconds`` with the lag, the
  garbage collector's longest pause in that window (it adds to the lag), the
  objects the window promoted to the oldest generation, the state writes it
  made, the slowest loop callbacks by name and the calls
  (``"collect_first": true`` settles the collector before the window;
  ``"profile": true`` writes a cProfile of the window to
  ``bench_burst_profile.txt`` in the config dir).
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import io
import pstats
import time
from typing import Any

from aiohttp import web
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import (
    Event,
    EventStateChangedData,
    HomeAssistant,
    ServiceCall,
    callback,
)
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView

from .gc_pauses import GcPauses
from .slow_callbacks import SlowCallbacks

SERVICES = ("bench_phone", "bench_dashboard")


class NotifyRecorder:
    """What the benchmark's notify services and watched sensor saw."""

    def __init__(self, watched: str) -> None:
        """Watch ``watched`` (a status sensor) for ``down``."""
        self.watched = watched
        self.calls: list[dict[str, Any]] = []
        self.down_at: list[float] = []
        self.state_changes = 0

    async def notify(self, call: ServiceCall) -> None:
        """Record a notify call (first thing, before anything else)."""
        self.calls.append(
            {
                "at": time.monotonic(),
                "service": call.service,
                "title": call.data.get("title"),
                "message": call.data.get("message"),
            }
        )

    @callback
    def state_changed(self, event: Event[EventStateChangedData]) -> None:
        """Record when the watched sensor turned down (on the loop, not a thread)."""
        self.state_changes += 1
        new = event.data["new_state"]
        if event.data["entity_id"] == self.watched and new and new.state == "down":
            self.down_at.append(time.monotonic())

    def as_json(self) -> dict[str, Any]:
        """Return what was recorded."""
        return {"calls": self.calls, "down_at": self.down_at}


class NotifyBenchView(HomeAssistantView):
    """``/api/bench_notify``: read, reset, force a check, or a burst."""

    url = "/api/bench_notify"
    name = "api:bench_notify"
    requires_auth = False

    def __init__(self, recorder: NotifyRecorder) -> None:
        """Serve this recorder."""
        self.recorder = recorder

    async def get(self, request: web.Request) -> web.Response:
        """Return the calls and down times."""
        return self.json(self.recorder.as_json())

    async def post(self, request: web.Request) -> web.Response:
        """Do one action."""
        hass: HomeAssistant = request.app[KEY_HASS]
        body = await request.json()
        action = body.get("action")
        if action == "reset":
            self.recorder.calls.clear()
            self.recorder.down_at.clear()
            return self.json({"ok": True})
        if action == "check":
            called = time.monotonic()
            await hass.services.async_call(
                "pialert",
                "check_now",
                {"entity_id": body["entity_id"]},
                blocking=True,
            )
            return self.json({"called_at": called, "done_at": time.monotonic()})
        if action == "burst":
            return self.json(await self._burst(hass, body))
        return self.json({"error": "unknown action"}, status_code=400)

    async def _burst(self, hass: HomeAssistant, body: dict[str, Any]) -> dict[str, Any]:
        # Imported here: the probe's main module imports this one.
        from . import _write_text, measure_lag  # noqa: PLC0415

        seconds = float(body.get("seconds", 3))
        settle_ms = None
        if body.get("collect_first"):
            # A full collection now, outside the window: the burst then starts
            # from a settled collector, as the baseline's does.
            started = time.perf_counter()
            gc.collect()
            settle_ms = (time.perf_counter() - started) * 1000
        # A full collection comes once the objects promoted to the oldest
        # generation since the last one reach a quarter of it.
        oldest = len(gc.get_objects(2))
        first_call = len(self.recorder.calls)
        slow = SlowCallbacks(threshold_ms=1.0)
        with GcPauses(count_promotions=True) as gc_pauses, slow:
            lag = asyncio.ensure_future(measure_lag(seconds))
            await asyncio.sleep(0.1)
            profiler = cProfile.Profile() if body.get("profile") else None
            if profiler is not None:
                profiler.enable()
            changes_before = self.recorder.state_changes
            started, started_perf = time.monotonic(), time.perf_counter()
            for entity_id in body["entity_ids"]:
                hass.states.async_set(entity_id, body["state"])
            set_seconds = time.monotonic() - started
            lag_figures = await lag
            # Promote what the window left in the young generations, so the
            # count covers every object the burst kept, not only those a
            # collection happened to move.
            gc.collect(1)
            figures = {
                **lag_figures,  # with the collector's pauses in the window
                "gc_promoted": gc_pauses.promoted,
                "full_collection_before_ms": settle_ms,
                "gc_oldest_before": oldest,
                "state_writes": self.recorder.state_changes - changes_before,
                **slow.figures(started_perf, top=60),
            }
        figures["worst_tick_span"] = [
            round((at - started_perf) * 1000, 1) for at in figures["worst_tick_span"]
        ]
        if profiler is not None:
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(40)
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
            path = hass.config.path("bench_burst_profile.txt")
            await hass.async_add_executor_job(_write_text, path, out.getvalue())
        calls = self.recorder.calls[first_call:]
        return {
            **figures,
            "set_seconds": set_seconds,
            "started_at": started,
            "calls": [{k: c[k] for k in ("at", "service", "title")} for c in calls],
            "messages_per_service": {
                s: sum(1 for c in calls if c["service"] == s) for s in SERVICES
            },
        }


def setup_notify_bench(hass: HomeAssistant, conf: dict[str, Any]) -> None:
    """Register the recording notify services, the listener and the view."""
    recorder = NotifyRecorder(str(conf.get("watch", "")))
    for service in SERVICES:
        hass.services.async_register("notify", service, recorder.notify)
    hass.bus.async_listen(EVENT_STATE_CHANGED, recorder.state_changed)
    for entity_id in conf.get("entities", []):
        hass.states.async_set(entity_id, "ok")
    hass.http.register_view(NotifyBenchView(recorder))
