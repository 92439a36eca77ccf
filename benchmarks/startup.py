"""startup: time to set up the PiAlert hub with 1,000 targets.

A real Home Assistant starts with the hub entry and 1,000 HTTP targets (on
the loopback slow server) written into ``.storage/core.config_entries``.
The figure is PiAlert's setup time as Home Assistant itself records it
(``homeassistant.setup.async_get_setup_timings``, what the websocket command
``integration/setup_info`` returns: the integration's own setup plus its
config entry's, waits for other integrations excluded). Also reported: the
time from process start until the entry is loaded and until all of the
targets' entities exist.

Twice: a first start (cold: devices and entities are created in the
registries) and a restart of the same config (warm: registries and PiAlert's
saved state are loaded).
"""

from __future__ import annotations

import time
from typing import Any

from . import Result, say
from ._hass import HassInstance, http_target, hub_entry
from ._servers import SlowServer

NAME = "startup"
TITLE = "Hub setup time with many targets"

FULL = {"targets": 1_000}
QUICK = {"targets": 200}
ENTITIES_PER_TARGET = 6  # enabled by default: see sensor/binary_sensor/switch/button
GOAL_SECONDS = 2.0


def one_start(hass: HassInstance, targets: int) -> dict[str, Any]:
    """Start, wait for the report, stop; return the figures."""
    hass.start()
    info = hass.wait_ready(timeout=600)
    time.sleep(1)
    errors = [
        line
        for line in hass.errors()
        # This machine's missing ffmpeg and libturbojpeg, not PiAlert's.
        if "ffmpeg" not in line.lower() and "turbojpeg" not in line.lower()
    ]
    log = hass.log_file.read_text(encoding="utf-8", errors="replace")
    queued = log.count("events were queued by event listeners")
    hass.stop()
    phases = info.get("pialert_setup_times", {})
    return {
        "pialert_setup_s": info["setup_timings"].get("pialert"),
        "phases": phases,
        "entry_loaded_after_s": info.get("entry_loaded_after_s"),
        "pialert_states_after_s": info.get("pialert_states_after_s"),
        "pialert_states": info.get("pialert_states"),
        "ready_after_s": info["ready_after_s"],
        "expected_states": targets * ENTITIES_PER_TARGET,
        "error_lines": len(errors),
        "event_queue_overflows": queued,
        "errors": errors[:3],
    }


def run(quick: bool) -> Result:
    """Cold start, then warm restart."""
    size = QUICK if quick else FULL
    n = size["targets"]
    result = Result(NAME, TITLE, params=dict(size))
    with SlowServer(http_ports=20) as server:
        targets = [
            http_target(f"Site {i:04d}", server.url(i), interval=60) for i in range(n)
        ]
        probe = {"wait_pialert_states": n * ENTITIES_PER_TARGET}
        with HassInstance("startup", entry=hub_entry(targets), probe=probe) as hass:
            runs = {}
            for name in ("cold", "warm"):
                runs[name] = one_start(hass, n)
                say(
                    f"startup {name}: pialert setup {runs[name]['pialert_setup_s']:.2f} s,"
                    f" entities after {runs[name]['pialert_states_after_s']:.1f} s"
                )
    result.details["runs"] = runs
    for name in ("cold", "warm"):
        r = runs[name]
        label = "first start" if name == "cold" else "restart"
        setup = r["pialert_setup_s"]
        result.add(
            f"{label}: PiAlert setup, {n:,} targets (HA setup_info)",
            setup,
            "s",
            f"< {GOAL_SECONDS:g} s",
            setup is not None and setup < GOAL_SECONDS,
        )
        result.add(
            f"{label}: process start -> hub entry loaded",
            r["entry_loaded_after_s"],
            "s",
        )
        note = ""
        if r["pialert_states"] < r["expected_states"]:
            note = f"only {r['pialert_states']} of {r['expected_states']} entities"
        result.add(
            f"{label}: process start -> all {r['expected_states']:,} entities",
            r["pialert_states_after_s"],
            "s",
            note=note,
        )
        result.add(
            f"{label}: ERROR lines logged",
            r["error_lines"],
            note=(
                f"{r['event_queue_overflows']:,} of them: 'more than 10000 events were"
                " queued ... while dispatching a single event'"
                if r["event_queue_overflows"]
                else (r["errors"][0].split("] ", 1)[-1][:90] if r["errors"] else "")
            ),
        )
    logged = {name: runs[name]["error_lines"] for name in ("cold", "warm")}
    if any(logged.values()):
        # Home Assistant logging an error fails the benchmark, not just a figure.
        first = next(e for r in runs.values() for e in r["errors"])
        result.error = (
            f"Home Assistant logged ERROR lines (first start {logged['cold']},"
            f" restart {logged['warm']}): {first.split('] ', 1)[-1][:160]}"
        )
    return result
