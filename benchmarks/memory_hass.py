"""memory-hass: RSS of a real Home Assistant per PiAlert target vs core rest.

Four Home Assistant processes, one after the other, each with ``bench_probe``
(``/api/bench_probe/memory``: RSS after a full collection, and instance
counts per class):

* ``empty``: no polling at all (the baseline of core rest);
* ``rest``: N core ``rest`` binary sensors polling the loopback server;
* ``hub``: the PiAlert hub without targets (the baseline of PiAlert);
* ``pialert``: the hub with N HTTP targets on the same URLs.

Memory is read after every URL was polled at least twice. Per-target
figures are ``(run - baseline) / N``. Where the memory goes, by file, is
measured in-process with tracemalloc by ``tests/test_memory_per_target.py``
(``-s`` prints it): tracing a whole Home Assistant start takes minutes.
"""

from __future__ import annotations

import time
from typing import Any

from . import Result, say
from ._hass import HassInstance, http_target, hub_entry
from ._servers import SlowServer, get_json
from .core_rest import rest_yaml

NAME = "memory-hass"
TITLE = "Memory per target in a real Home Assistant: PiAlert vs core rest"

FULL = {"urls": 1_000, "interval": 10}
QUICK = {"urls": 200, "interval": 10}
PORTS = 10
DELAY = 0.02
GOAL_RATIO = 1.1
# Instance counts shown per target (class name suffixes).
COUNTED = (
    "homeassistant.core.State",
    "homeassistant.helpers.entity_registry.RegistryEntry",
    "homeassistant.helpers.device_registry.DeviceEntry",
)


def measure(
    name: str,
    server: SlowServer,
    yaml: str,
    entry: dict[str, Any] | None,
    urls: int,
    interval: int,
) -> dict[str, Any]:
    """Start one Home Assistant, wait for two polls of every URL, read memory."""
    with HassInstance(f"mem-{name}", yaml=yaml, entry=entry) as hass:
        hass.start()
        info = hass.wait_ready(timeout=900)
        base = int(server.stats()["slow_requests"])
        deadline = time.monotonic() + 120 + interval * 4
        while int(server.stats()["slow_requests"]) - base < 2 * urls:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name}: polling stalled\n{hass.log_tail()}")
            time.sleep(0.2)
        time.sleep(2)
        memory = dict(get_json(f"{hass.base_url}/api/bench_probe/memory", 300))
        memory["ready_after_s"] = info["ready_after_s"]
        memory["errors"] = hass.errors()[:5]
        memory["registry_entities"] = info.get("registry_entities")
        memory["states"] = info.get("states")
    say(f"memory-hass {name}: {memory['rss_bytes'] / 2**20:.0f} MiB RSS")
    return memory


def run(quick: bool) -> Result:
    """Measure the four processes; compare PiAlert's growth with core rest's."""
    size = QUICK if quick else FULL
    n, interval = size["urls"], size["interval"]
    result = Result(NAME, TITLE, params=dict(size))
    runs: dict[str, dict[str, Any]] = {}
    with SlowServer(http_ports=PORTS, delay=DELAY) as server:
        urls = [server.url(i) for i in range(n)]
        targets = [
            http_target(f"Site {i:04d}", url, interval=interval)
            for i, url in enumerate(urls)
        ]
        setups = {
            "empty": ("", None, 0),
            "rest": (rest_yaml(urls, interval), None, n),
            "hub": ("", hub_entry([]), 0),
            "pialert": ("", hub_entry(targets), n),
        }
        for name, (yaml, entry, polled) in setups.items():
            runs[name] = measure(name, server, yaml, entry, polled, interval)
    result.details["runs"] = runs
    mib = {k: v["rss_bytes"] / 2**20 for k, v in runs.items()}
    ratio = mib["pialert"] / mib["rest"]
    result.add(
        "RSS: empty Home Assistant / empty hub",
        mib["empty"],
        "MiB",
        note=f"hub {mib['hub']:.0f} MiB",
    )
    result.add(f"RSS: core rest, {n:,} URLs", mib["rest"], "MiB")
    result.add(f"RSS: PiAlert, {n:,} targets", mib["pialert"], "MiB")
    result.add(
        "RSS: PiAlert / core rest", ratio, "x", f"<= {GOAL_RATIO}x", ratio <= GOAL_RATIO
    )
    result.add(
        "RSS per URL: core rest (over empty Home Assistant)",
        (mib["rest"] - mib["empty"]) * 1024 / n,
        "KiB",
    )
    result.add(
        "RSS per target: PiAlert (over the empty hub)",
        (mib["pialert"] - mib["hub"]) * 1024 / n,
        "KiB",
    )
    for name in COUNTED:
        per = {
            k: (runs[k]["objects"].get(name, 0) - runs[base]["objects"].get(name, 0))
            / n
            for k, base in (("rest", "empty"), ("pialert", "hub"))
        }
        result.add(
            f"{name.rsplit('.', 1)[1]} per target: PiAlert (core rest)",
            per["pialert"],
            "",
            note=f"core rest {per['rest']:.1f}",
        )
    return result
