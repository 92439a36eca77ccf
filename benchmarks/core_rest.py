"""core-rest: CPU of polling N URLs with core ``rest`` binary sensors vs PiAlert.

Two Home Assistant processes, one after the other, poll the same N URLs of
the loopback slow server (100 ms per answer) at the same interval:

* ``rest``: N ``binary_sensor: - platform: rest`` entries in configuration.yaml;
* ``pialert``: the PiAlert hub with N HTTP targets.

For each, after start-up and a first full round of requests, the process's
CPU time (/proc/PID/stat, all threads) is read when the server has seen the
start of the window and again after exactly K more rounds of N requests: the
same number of cycles for both. In the full run an idle Home Assistant with
the same base configuration (no polling at all) is measured over the same
wall time, to show what the pollers add on top of it.

Then both poll at once, each its own N paths, and their CPU per request is
read over the same window ("side by side"): on a shared machine the load
then weighs on both alike, where one after the other it may not.
"""

from __future__ import annotations

import time
from typing import Any

from . import Result, say
from ._hass import HassInstance, http_target, hub_entry
from ._servers import SlowServer

NAME = "core-rest"
TITLE = "Polling cost: core rest binary sensors vs PiAlert (Home Assistant CPU)"

FULL = {"urls": 1_000, "cycles": 3, "interval": 10}
QUICK = {"urls": 50, "cycles": 2, "interval": 5}
PORTS = 20
DELAY = 0.1
GOAL_RATIO = 0.5


def rest_yaml(urls: list[str], interval: int) -> str:
    """Return N rest binary sensors."""
    lines = ["binary_sensor:"]
    for index, url in enumerate(urls):
        lines += [
            "  - platform: rest",
            f"    resource: {url}",
            f"    name: Rest {index:04d}",
            f"    scan_interval: {interval}",
            "    timeout: 5",
        ]
    return "\n".join(lines) + "\n"


def measure(
    hass: HassInstance,
    server: SlowServer,
    n: int,
    cycles: int,
    interval: int,
    base: int,
) -> dict[str, Any]:
    """Start, wait for a first round, then measure K rounds of N requests."""
    hass.start()
    info = hass.wait_ready(timeout=600)
    say(f"core-rest {hass.name}: ready after {info['ready_after_s']:.1f} s")
    deadline = time.monotonic() + 60 + interval * (cycles + 2) * 3

    def slow_requests() -> int:
        return int(server.stats()["slow_requests"])

    def wait_for(count: int) -> None:
        while slow_requests() < count:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{hass.name}: the server saw {slow_requests()} requests,"
                    f" expected {count} (polling stalled?)\n{hass.log_tail()}"
                )
            if not hass.running:
                raise RuntimeError(f"{hass.name} exited\n{hass.log_tail()}")
            time.sleep(0.05)

    # The first round (at setup) is start-up work: the window opens once it
    # is complete and closes after K more rounds (their idle gaps included).
    wait_for(base + n)
    start_count = slow_requests()
    cpu0 = hass.cpu_seconds()
    t0 = time.monotonic()
    wait_for(start_count + cycles * n)
    time.sleep(min(1.0, interval / 4))  # results of the last requests folded in
    cpu1 = hass.cpu_seconds()
    t1 = time.monotonic()
    end_count = slow_requests()
    rss = hass.rss_bytes()
    errors = hass.errors()
    hass.stop()
    requests = end_count - start_count
    cpu = cpu1 - cpu0
    return {
        "ready_after_s": info["ready_after_s"],
        "window_s": t1 - t0,
        "requests": requests,
        "cycles": requests / n,
        "cpu_s": cpu,
        "cpu_s_per_cycle": cpu / (requests / n) if requests else None,
        "cpu_ms_per_request": cpu * 1000 / requests if requests else None,
        "rss_mib": rss / 2**20,
        "errors": errors[:5],
        "states": info.get("states"),
    }


def measure_idle(seconds: float) -> dict[str, Any]:
    """Return an idle Home Assistant's CPU over ``seconds``."""
    with HassInstance("idle", entry=None) as hass:
        hass.start()
        info = hass.wait_ready(timeout=300)
        time.sleep(3)
        cpu0 = hass.cpu_seconds()
        time.sleep(seconds)
        cpu = hass.cpu_seconds() - cpu0
        return {
            "ready_after_s": info["ready_after_s"],
            "window_s": seconds,
            "cpu_s": cpu,
        }


def requests_by_path(server: SlowServer) -> dict[str, int]:
    """Return the slow server's request counts by the segment after ``/u/``."""
    counts: dict[str, int] = {}
    for path, count in server.control("_stats/paths")["paths"].items():
        parts = path.split("/")
        if len(parts) > 3 and parts[1] == "u":
            counts[parts[2]] = counts.get(parts[2], 0) + int(count)
    return counts


def measure_side_by_side(
    server: SlowServer, n: int, cycles: int, interval: int
) -> dict[str, dict[str, Any]]:
    """Run both pollers at once and measure them over the same window.

    Run one after the other, the two figures meet different loads on a
    shared machine; side by side, whatever else runs weighs on both alike.
    Each polls its own paths (``/u/r/…``, ``/u/p/…``) to count its requests.
    """
    rest = HassInstance(
        "rest-pair",
        yaml=rest_yaml([server.url(i, "u/r") for i in range(n)], interval),
        entry=None,
    )
    targets = [
        http_target(f"Site {i:04d}", server.url(i, "u/p"), interval=interval)
        for i in range(n)
    ]
    pialert = HassInstance("pialert-pair", entry=hub_entry(targets))
    pair = {"r": rest, "p": pialert}
    with rest, pialert:
        for hass in pair.values():
            hass.start()
        for hass in pair.values():
            hass.wait_ready(timeout=600)
        deadline = time.monotonic() + 120 + interval * (cycles + 2) * 3
        # The first round of each is start-up work, then one more settles.
        while min(requests_by_path(server).get(key, 0) for key in pair) < 2 * n:
            if time.monotonic() > deadline or not all(h.running for h in pair.values()):
                raise RuntimeError(
                    f"side by side: polling stalled\n{pialert.log_tail()}"
                )
            time.sleep(0.1)
        counts0 = requests_by_path(server)
        cpu0 = {key: hass.cpu_seconds() for key, hass in pair.items()}
        time.sleep(cycles * interval)
        cpu1 = {key: hass.cpu_seconds() for key, hass in pair.items()}
        counts1 = requests_by_path(server)
        errors = {key: hass.errors()[:5] for key, hass in pair.items()}
    runs: dict[str, dict[str, Any]] = {}
    for key, name in (("r", "rest"), ("p", "pialert")):
        requests = counts1.get(key, 0) - counts0.get(key, 0)
        cpu = cpu1[key] - cpu0[key]
        runs[name] = {
            "requests": requests,
            "cpu_s": cpu,
            "cpu_ms_per_request": cpu * 1000 / requests if requests else None,
            "errors": errors[key],
        }
    return runs


def run(quick: bool) -> Result:
    """Run both pollers, then compare."""
    size = QUICK if quick else FULL
    n, cycles, interval = size["urls"], size["cycles"], size["interval"]
    result = Result(
        NAME, TITLE, params={**size, "server_delay_s": DELAY, "ports": PORTS}
    )
    with SlowServer(http_ports=PORTS, delay=DELAY) as server:
        urls = [server.url(i) for i in range(n)]
        runs: dict[str, dict[str, Any]] = {}
        for name in ("rest", "pialert"):
            base = int(server.stats()["slow_requests"])
            if name == "rest":
                hass = HassInstance("rest", yaml=rest_yaml(urls, interval), entry=None)
            else:
                targets = [
                    http_target(f"Site {i:04d}", url, interval=interval)
                    for i, url in enumerate(urls)
                ]
                hass = HassInstance("pialert", entry=hub_entry(targets))
            with hass:
                runs[name] = measure(hass, server, n, cycles, interval, base)
            say(
                f"core-rest {name}: {runs[name]['cpu_s']:.2f} s CPU over"
                f" {runs[name]['cycles']:.2f} cycles"
            )
        result.details["server_cpu_s"] = server.cpu_seconds()
        result.details["side_by_side"] = measure_side_by_side(
            server, n, cycles, interval
        )
    if not quick:
        runs["idle"] = measure_idle(runs["pialert"]["window_s"])
    result.details["runs"] = runs
    rest, pialert = runs["rest"], runs["pialert"]
    result.add(
        f"core rest: CPU per cycle of {n:,} URLs",
        rest["cpu_s_per_cycle"],
        "s",
        note=f"{rest['cpu_ms_per_request']:.3f} ms per request",
    )
    result.add(
        f"PiAlert: CPU per cycle of {n:,} URLs",
        pialert["cpu_s_per_cycle"],
        "s",
        note=f"{pialert['cpu_ms_per_request']:.3f} ms per request",
    )
    ratio = (
        pialert["cpu_s_per_cycle"] / rest["cpu_s_per_cycle"]
        if pialert["cpu_s_per_cycle"] and rest["cpu_s_per_cycle"]
        else None
    )
    result.add(
        "PiAlert / core rest CPU",
        ratio,
        "x",
        f"<= {GOAL_RATIO}x",
        ratio is not None and ratio <= GOAL_RATIO,
    )
    if "idle" in runs:
        idle = runs["idle"]
        idle_per_second = idle["cpu_s"] / idle["window_s"]
        net = {}
        for name in ("rest", "pialert"):
            r = runs[name]
            net[name] = (r["cpu_s"] - idle_per_second * r["window_s"]) / r["cycles"]
        result.details["net_of_idle_cpu_s_per_cycle"] = net
        result.add("idle Home Assistant CPU", idle_per_second * 100, "% of a core")
        result.add(
            "PiAlert / core rest CPU, net of idle",
            net["pialert"] / net["rest"] if net["rest"] > 0 else None,
            "x",
        )
    pair = result.details["side_by_side"]
    pair_rest, pair_pialert = (
        pair[name]["cpu_ms_per_request"] for name in ("rest", "pialert")
    )
    result.add(
        "PiAlert / core rest CPU, side by side",
        pair_pialert / pair_rest if pair_rest and pair_pialert else None,
        "x",
        note=f"{pair_pialert:.3f} vs {pair_rest:.3f} ms per request, same window",
    )
    result.add("core rest: RSS", rest["rss_mib"], "MiB")
    result.add("PiAlert: RSS", pialert["rss_mib"], "MiB")
    return result
