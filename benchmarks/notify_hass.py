"""Notification rules in a real Home Assistant: down -> notify call, a burst.

A real ``hass`` process (benchmarks/_hass.py) runs the PiAlert hub with two
notification rules, group wait 0, each sending to a notify service that the
benchmark probe (ha_probe/notify_bench.py) registers and that records the
moment it was called (CLOCK_MONOTONIC, shared by both processes):

* latency: an HTTP target on a loopback server (failure threshold 1, long
  interval) flips from 200 to 500 and ``pialert.check_now`` is called; the
  figure is the flip to the ``notify.bench_phone`` call. The baseline, in
  the same run, is the flip to the target's status sensor turning ``down``
  in Home Assistant's state machine (the check and its publication, no
  rule involved). Then it flips back to 200 and recovers.
* burst: N entity targets go down in one loop iteration (the probe sets their
  entities ``unavailable``): messages per rule, and the event loop's lag from
  a 10 ms ticker in the process, against the same burst on entities no
  target watches.
* the garbage collector: each burst starts from a settled collector (a full
  collection just before, outside the window, for the baseline too), so the
  lag is the burst's own work. When a full collection comes depends on all
  that was allocated since the last one (here, Home Assistant's start-up),
  and it costs the same whichever allocation tips it: its time in this
  heap is reported, with how far the burst brings the collector towards the
  next one (objects promoted to the oldest generation, against a quarter of
  it), next to the same number of state writes with no target watching.
  ``PIALERT_BENCH_COLLECT=0`` measures the bursts as start-up left the
  collector instead.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import json
import os
import threading
import time
from typing import Any
import urllib.request

from . import Result, say
from ._hass import HassInstance, entity_target, http_target, hub_entry, new_id
from ._servers import HOST, get_json, wait_until

NAME = "notify-hass"
TITLE = "Notification rules in a real Home Assistant"
FULL = {"flips": 20, "burst": 1000}
QUICK = {"flips": 20, "burst": 50}
WATCHED = "sensor.flip_status"
WAIT_SECONDS = 10.0
BURST_SECONDS = 3.0
# Unwatched entities for the writes-alike burst: each target that goes down
# writes its own state and a few of its entities'.
PLAIN_PER_TARGET = 6
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class FlipServer(ThreadingHTTPServer):
    """A loopback HTTP server answering ``status`` (200, or 500 when flipped)."""

    def __init__(self) -> None:
        """Listen on a free loopback port."""
        self.status = 200
        super().__init__((HOST, 0), _FlipHandler)
        self.url = f"http://{HOST}:{self.server_address[1]}/health"


class _FlipHandler(BaseHTTPRequestHandler):
    server: FlipServer

    def do_GET(self) -> None:
        body = b"ok" if self.server.status == 200 else b"broken"
        self.send_response(self.server.status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        """Stay quiet."""


def _post(hass: HassInstance, body: dict[str, Any], timeout: float = 30) -> Any:
    request = urllib.request.Request(
        f"{hass.base_url}/api/bench_notify",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with _OPENER.open(request, timeout=timeout) as response:
        return json.loads(response.read())


def _rule(name: str, service: str) -> dict[str, Any]:
    return {
        "data": {
            "name": name,
            "scope": "all",
            "group_wait": 0,
            "steps": [{"notify_services": [f"notify.{service}"]}],
        },
        "subentry_id": new_id(),
        "subentry_type": "notification_rule",
        "title": name,
        "unique_id": None,
    }


def _entry(server: FlipServer, burst: int) -> dict[str, Any]:
    targets = [http_target("Flip", server.url, interval=3600, failure_threshold=1)]
    targets += [
        entity_target(f"Burst {i:04d}", f"sensor.bench_burst_{i:04d}")
        for i in range(burst)
    ]
    entry = hub_entry(targets)
    entry["subentries"] += [
        _rule("Phone", "bench_phone"),
        _rule("Dashboard", "bench_dashboard"),
    ]
    return entry


def _down_calls(recorded: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        c
        for c in recorded["calls"]
        if c["service"] == "bench_phone"
        and str(c["message"]).startswith("Flip is down")
    ]


def _seen(hass: HassInstance) -> tuple[int, int]:
    """Return how many down messages and sensor downs were recorded."""
    recorded = get_json(f"{hass.base_url}/api/bench_notify")
    return len(_down_calls(recorded)), len(recorded["down_at"])


def _flips(hass: HassInstance, server: FlipServer, flips: int) -> dict[str, Any]:
    """Flip ``flips`` times; return the samples (seconds)."""
    to_notify: list[float] = []
    to_sensor: list[float] = []
    _post(hass, {"action": "reset"})
    for flip in range(flips):
        server.status = 500
        flipped = time.monotonic()
        _post(hass, {"action": "check", "entity_id": WATCHED})
        if not wait_until(
            lambda wanted=flip + 1: _seen(hass) >= (wanted, wanted), WAIT_SECONDS, 0.01
        ):
            raise RuntimeError("no notify call after the target went down")
        recorded = get_json(f"{hass.base_url}/api/bench_notify")
        to_notify.append(_down_calls(recorded)[flip]["at"] - flipped)
        to_sensor.append(recorded["down_at"][flip] - flipped)
        server.status = 200
        _post(hass, {"action": "check", "entity_id": WATCHED})
    return {"to_notify": to_notify, "to_sensor": to_sensor}


def _ms(samples: list[float], quantile: float = 0.5) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * quantile))] * 1000


def measure(size: dict[str, int]) -> dict[str, Any]:
    """Start Home Assistant; flip, then burst; return the figures."""
    burst = size["burst"]
    entities = [f"sensor.bench_burst_{i:04d}" for i in range(burst)]
    idle = [f"sensor.bench_idle_{i:04d}" for i in range(burst)]
    plain = [f"sensor.bench_plain_{i:05d}" for i in range(burst * PLAIN_PER_TARGET)]
    server = FlipServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # Both sets exist (``ok``) from the start: each burst changes existing states.
    probe = {"notify_bench": {"watch": WATCHED, "entities": entities + idle + plain}}
    collect_first = os.environ.get("PIALERT_BENCH_COLLECT", "1") == "1"
    try:
        with HassInstance("notify", entry=_entry(server, burst), probe=probe) as hass:
            hass.start()
            info = hass.wait_ready(timeout=600)

            def _checkable() -> bool:
                try:
                    _post(hass, {"action": "check", "entity_id": WATCHED})
                except OSError:
                    return False
                return True

            if not wait_until(_checkable, 120, 0.5):
                raise RuntimeError("the flip target's sensor never appeared")
            time.sleep(1)  # let the start-up's own messages pass
            flips = _flips(hass, server, size["flips"])
            base = _post(
                hass,
                {
                    "action": "burst",
                    "entity_ids": idle,
                    "state": "unavailable",
                    "seconds": BURST_SECONDS,
                    "collect_first": collect_first,
                },
            )
            down = _post(
                hass,
                {
                    "action": "burst",
                    "entity_ids": entities,
                    "state": "unavailable",
                    "seconds": BURST_SECONDS,
                    "collect_first": collect_first,
                    # With PIALERT_BENCH_KEEP, the profile stays in the config dir.
                    "profile": bool(os.environ.get("PIALERT_BENCH_PROFILE")),
                },
                timeout=120,
            )
            # As many state writes as the burst made, on unwatched entities:
            # what Home Assistant itself leaves the collector for them.
            alike = _post(
                hass,
                {
                    "action": "burst",
                    "entity_ids": plain[: down["state_writes"]],
                    "state": "unavailable",
                    "seconds": BURST_SECONDS,
                    "collect_first": True,
                },
                timeout=120,
            )
            errors = [
                line
                for line in hass.errors()
                if "ffmpeg" not in line.lower() and "turbojpeg" not in line.lower()
            ]
    finally:
        server.shutdown()
        server.server_close()
    return {
        "ready_after_s": info.get("ready_after_s"),
        "flips": flips,
        "burst_baseline": {k: v for k, v in base.items() if k != "calls"},
        "burst": {k: v for k, v in down.items() if k != "calls"},
        "writes_alike": {k: v for k, v in alike.items() if k != "calls"},
        "first_burst_message_after_ms": (
            (down["calls"][0]["at"] - down["started_at"]) * 1000
            if down["calls"]
            else None
        ),
        "error_lines": errors[:3],
    }


def _add_collector(
    result: Result, count: int, burst: dict[str, Any], alike: dict[str, Any]
) -> None:
    """Add how far the burst brings a full collection, and what one costs."""
    # CPython collects everything once the objects promoted since the last
    # full collection pass a quarter of those it kept.
    threshold = burst["gc_oldest_before"] / 4
    share, alike_share = (
        burst["gc_promoted"] / threshold,
        alike["gc_promoted"] / threshold,
    )
    full_ms = burst["full_collection_before_ms"] or alike["full_collection_before_ms"]
    result.add(
        f"{count:,} targets down at once: way to a full garbage collection",
        round(share * 100, 1),
        "%",
        "reported",
        None,
        note=(
            f"{burst['gc_promoted']:,} objects promoted, threshold"
            f" {threshold:,.0f}; the same {alike['state_writes']:,} state writes"
            f" with no target watching: {alike['gc_promoted']:,}"
            f" ({alike_share * 100:.1f} %); a full collection of this heap"
            f" ({burst['gc_oldest_before']:,} objects) takes {full_ms:.0f} ms"
        ),
    )


def run(quick: bool) -> Result:
    """Measure and compare with the issue's goals."""
    size = QUICK if quick else FULL
    result = Result(NAME, TITLE, params=dict(size))
    figures = measure(size)
    flips = figures["flips"]
    median, p95 = _ms(flips["to_notify"]), _ms(flips["to_notify"], 0.95)
    sensor = _ms(flips["to_sensor"])
    say(
        f"notify-hass: flip -> notify call median {median:.1f} ms, p95 {p95:.1f} ms"
        f" (flip -> status sensor down {sensor:.1f} ms)"
    )
    result.add(
        "Down -> notify call in Home Assistant, median (group wait 0)",
        round(median, 1),
        "ms",
        "< 100 ms",
        median < 100,
        note=(
            f"p95 {p95:.1f} ms over {len(flips['to_notify'])} flips; "
            f"{median / sensor:.2f} x the flip -> status sensor down ({sensor:.1f} ms)"
        ),
    )
    burst, base = figures["burst"], figures["burst_baseline"]
    per_rule = burst["messages_per_service"]
    say(f"notify-hass: burst {burst}, baseline {base}")
    result.add(
        f"{size['burst']:,} targets down at once: messages per rule (real HA)",
        max(per_rule.values()),
        "",
        "1 per rule",
        all(v == 1 for v in per_rule.values()),
        note=f"per notify service {per_rule}",
    )
    lag, lag_base = burst["max_ms"], base["max_ms"]
    settled = burst["full_collection_before_ms"] is not None
    slowest = max(burst["slow_callbacks"], key=lambda c: c[1], default=None)
    result.add(
        f"{size['burst']:,} targets down at once: event loop lag (real HA)",
        round(lag, 1),
        "ms",
        "< 100 ms",
        lag < 100,
        note=(
            f"{lag / max(lag_base, 0.1):.2f} x the same burst on unwatched entities"
            f" ({lag_base:.1f} ms); "
            + (
                "collector settled first; "
                if settled
                else "collector as start-up left it; "
            )
            + f"loop thread CPU in the window {burst['loop_thread_cpu_s']:.2f} s"
            f" against {base['loop_thread_cpu_s']:.2f} s; longest garbage-collector"
            f" pause {burst['gc_max_ms']:.0f} ms"
            f" ({burst['gc_full_collections']} full collections); slowest callback"
            + (f" {slowest[2]} {slowest[1]:.0f} ms" if slowest else " under 1 ms")
        ),
    )
    _add_collector(result, size["burst"], burst, figures["writes_alike"])
    if figures["error_lines"]:
        raise RuntimeError(f"Home Assistant logged errors: {figures['error_lines']}")
    result.details = figures
    return result
