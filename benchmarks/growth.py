"""growth: how setup time, memory, CPU per check and loop lag grow with targets.

One real Home Assistant per size (100, 1,000, 5,000 and 10,000 HTTP targets;
quick: 100 and 1,000), each started cold from a fresh config dir with the hub
entry and its targets written into ``.storage/core.config_entries``. Every
target checks a URL of the loopback slow server (100 ms per answer) on the
same interval (60 s; quick: 10 s), so the checks are spread over the interval
by each target's phase. After the first round of checks (every never-checked
target is checked at once after a start) and half an interval (the next check
of each is on its phase at least half an interval later), the window opens:
for one whole interval, which then holds every target's check once, the
process's CPU time (all threads, /proc) and the server's request
count are read, while bench_probe's ``/api/bench_lag`` ticks on the event loop
every 10 ms and reports how late the ticks were.

The baseline is the same Home Assistant with the hub and no target, measured
first in the same run: its setup time, RSS and loop lag are the ratios' base,
and its idle CPU (per second) is taken out of the CPU per check. The 100-target
figures are the base of growth (the "x 100" ratios).

Home Assistant 2026.10 enables at most 10,000 entities per config entry
(``MAX_ENABLED_ENTITIES_PER_CONFIG_ENTRY``): with 6 entities per target, from
about 1,660 targets on it logs a WARNING and adds no more entities. Their
targets are still checked (the figures count the server's requests). The
benchmark reports how many entities exist; an ERROR line fails it.

``PIALERT_GROWTH_SIZES=1000,5000`` measures only these sizes (after the
baseline and 100 targets, the base of the ratios), to compare two builds
without the hour a full run takes.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any
import urllib.request

from homeassistant.helpers.entity_platform import MAX_ENABLED_ENTITIES_PER_CONFIG_ENTRY

from . import Result, say
from ._hass import HassInstance, http_target, hub_entry
from ._servers import SlowServer

NAME = "growth"
TITLE = "Growth with the number of targets (real Home Assistant)"

FULL: dict[str, Any] = {
    "sizes": [100, 1_000, 5_000, 10_000],
    "interval": 60,
    "baseline_window": 20,
}
QUICK: dict[str, Any] = {"sizes": [100, 1_000], "interval": 10, "baseline_window": 5}
# Enabled by default per target, at least (waited for before measuring; the
# count per target is measured at 100 targets).
ENTITIES_PER_TARGET = 6
# The hub's own entities count towards Home Assistant's limit too.
HUB_ENTITY_MARGIN = 50
SERVER_PORTS = 20
SETTLE_SECONDS = 2.0
LAG_GOAL_MS = 50.0
# The lag goal is for checks spread over 60 s, at 1,000 and 5,000.
LAG_GOAL_SIZES = (1_000, 5_000)
LIMIT_WARNING = "Reached the maximum of"
# This machine's missing ffmpeg and libturbojpeg, not PiAlert's.
IGNORED_ERRORS = ("ffmpeg", "turbojpeg")

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


SIZES_VARIABLE = "PIALERT_GROWTH_SIZES"


def chosen_sizes(default: list[int]) -> list[int]:
    """Return the sizes to measure: 100 (the growth base) and the chosen ones."""
    chosen = os.environ.get(SIZES_VARIABLE, "").replace("_", "")
    if not chosen.strip():
        return default
    sizes = sorted({int(part) for part in chosen.split(",") if part.strip()})
    return [100, *(n for n in sizes if n != 100)]


def expected_entities(targets: int) -> int:
    """Return how many PiAlert entities to wait for before measuring (at least)."""
    return min(
        targets * ENTITIES_PER_TARGET,
        MAX_ENABLED_ENTITIES_PER_CONFIG_ENTRY - HUB_ENTITY_MARGIN,
    )


def loop_lag(hass: HassInstance, seconds: float) -> dict[str, Any]:
    """Return bench_probe's loop-lag figures over the next ``seconds``."""
    url = f"{hass.base_url}/api/bench_lag?seconds={seconds:g}"
    with _OPENER.open(url, timeout=seconds + 120) as response:
        data: dict[str, Any] = json.loads(response.read())
    return data


def measure_size(
    server: SlowServer, n: int, interval: int, window: float
) -> dict[str, Any]:
    """Start Home Assistant with ``n`` targets; return its figures."""
    targets = [
        http_target(f"Site {i:05d}", server.url(i), interval=interval) for i in range(n)
    ]
    probe = {"wait_pialert_states": expected_entities(n)} if n else {}
    base = int(server.stats()["slow_requests"])
    with HassInstance(f"growth-{n}", entry=hub_entry(targets), probe=probe) as hass:
        hass.start()
        info = hass.wait_ready(timeout=1200)
        deadline = time.monotonic() + 300 + n / 50
        # The first round: every target is checked at once after a start.
        while int(server.stats()["slow_requests"]) < base + n:
            if time.monotonic() > deadline or not hass.running:
                raise RuntimeError(
                    f"{n:,} targets: the first round of checks did not finish\n"
                    + hass.log_tail()
                )
            time.sleep(0.2)
        # Each target's next check is on its phase at least half an interval
        # after the first one: from then on, one interval holds each once.
        time.sleep(max(SETTLE_SECONDS, interval / 2) if n else SETTLE_SECONDS)
        count0 = int(server.stats()["slow_requests"])
        cpu0, wall0 = hass.cpu_seconds(), time.monotonic()
        lag = loop_lag(hass, window)
        cpu, wall = hass.cpu_seconds() - cpu0, time.monotonic() - wall0
        checks = int(server.stats()["slow_requests"]) - count0
        rss = hass.rss_bytes()
        log = hass.log_file.read_text(encoding="utf-8", errors="replace")
        errors = [
            line
            for line in hass.errors()
            if not any(word in line.lower() for word in IGNORED_ERRORS)
        ]
    return {
        "targets": n,
        "pialert_setup_s": info["setup_timings"].get("pialert"),
        "entry_loaded_after_s": info.get("entry_loaded_after_s"),
        "entities_after_s": info.get("pialert_states_after_s"),
        "pialert_states": lag["pialert_states"],
        "limit_warnings": log.count(LIMIT_WARNING),
        "window_s": wall,
        "checks": checks,
        "cpu_s": cpu,
        "rss_mib": rss / 2**20,
        "lag": lag,
        "error_lines": len(errors),
        "errors": errors[:3],
    }


def _ratio(value: float | None, base: float | None) -> float | None:
    return value / base if value is not None and base else None


def _times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _gc_note(lag: dict[str, Any]) -> str:
    """Say how much of the worst tick was the garbage collector (probe figures)."""
    if "gc_max_ms" not in lag:
        return "not recorded"
    return (
        f"{lag['gc_in_worst_tick_ms']:.0f} ms of the worst tick, longest pause"
        f" {lag['gc_max_ms']:.0f} ms, {lag['gc_full_collections']} full collections"
    )


def growth_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return each size's figures with their ratios (baseline: no targets; growth: 100)."""
    empty, first = rows[0], rows[1]
    idle_per_s = empty["cpu_s"] / empty["window_s"]
    # Entities per target as measured below Home Assistant's limit (100 targets).
    per_target = (first["pialert_states"] - empty["pialert_states"]) / first["targets"]
    table = []
    for row in rows[1:]:
        row["expected_entities"] = empty["pialert_states"] + round(
            per_target * row["targets"]
        )
        net_cpu = row["cpu_s"] - idle_per_s * row["window_s"]
        # At 100 targets the checks' CPU is within the idle process's own
        # variation: a net figure at or below zero says nothing.
        row["cpu_ms_per_check"] = (
            net_cpu * 1000 / row["checks"] if row["checks"] and net_cpu > 0 else None
        )
        row["raw_cpu_ms_per_check"] = (
            row["cpu_s"] * 1000 / row["checks"] if row["checks"] else None
        )
    # CPU growth is read from the smallest size with a figure.
    cpu_base = next((r for r in rows[1:] if r["cpu_ms_per_check"] is not None), first)
    for row in rows[1:]:
        table.append(
            {
                "targets": row["targets"],
                "setup_s": row["pialert_setup_s"],
                "setup_x_empty": _ratio(
                    row["pialert_setup_s"], empty["pialert_setup_s"]
                ),
                "setup_x_100": _ratio(row["pialert_setup_s"], first["pialert_setup_s"]),
                "rss_mib": row["rss_mib"],
                "rss_x_empty": _ratio(row["rss_mib"], empty["rss_mib"]),
                "rss_kib_per_target": (row["rss_mib"] - empty["rss_mib"])
                * 1024
                / row["targets"],
                "cpu_ms_per_check": row["cpu_ms_per_check"],
                "cpu_x_base": _ratio(
                    row["cpu_ms_per_check"], cpu_base["cpu_ms_per_check"]
                ),
                "cpu_base_targets": cpu_base["targets"],
                "lag_max_ms": row["lag"]["max_ms"],
                "lag_p99_ms": row["lag"]["p99_ms"],
                "lag_x_empty": _ratio(row["lag"]["max_ms"], empty["lag"]["max_ms"]),
                "entities": row["pialert_states"],
                "expected_entities": row["expected_entities"],
            }
        )
    return table


def markdown(table: list[dict[str, Any]], empty: dict[str, Any], interval: int) -> str:
    """Return the growth table as Markdown (for docs/performance.md)."""
    lines = [
        "| targets | PiAlert setup | RSS | RSS per target | CPU per check"
        f" | loop lag max / p99 (spread over {interval} s) | entities |",
        "|---:|---|---|---:|---|---|---|",
        f"| 0 (baseline) | {empty['pialert_setup_s']:.2f} s | {empty['rss_mib']:.0f} MiB"
        f" | | | {empty['lag']['max_ms']:.1f} / {empty['lag']['p99_ms']:.1f} ms | |",
    ]
    for row in table:
        cpu = row["cpu_ms_per_check"]
        lines.append(
            f"| {row['targets']:,} | {row['setup_s']:.2f} s"
            f" ({_times(row['setup_x_empty'])} empty, {_times(row['setup_x_100'])} 100)"
            f" | {row['rss_mib']:.0f} MiB ({_times(row['rss_x_empty'])} empty)"
            f" | {row['rss_kib_per_target']:.1f} KiB"
            f" | {'n/a' if cpu is None else f'{cpu:.3f} ms'}"
            f" ({_times(row['cpu_x_base'])} {row['cpu_base_targets']:,})"
            f" | {row['lag_max_ms']:.1f} / {row['lag_p99_ms']:.1f} ms"
            f" ({_times(row['lag_x_empty'])} empty)"
            f" | {row['entities']:,} of {row['expected_entities']:,} |"
        )
    return "\n".join(lines)


def run(quick: bool) -> Result:
    """Measure the hub without targets, then each size; report the growth."""
    size = dict(QUICK if quick else FULL)
    size["sizes"] = chosen_sizes(size["sizes"])
    interval = int(size["interval"])
    result = Result(NAME, TITLE, params=dict(size))
    rows: list[dict[str, Any]] = []
    with SlowServer(http_ports=SERVER_PORTS) as server:
        for n in [0, *size["sizes"]]:
            window = float(size["baseline_window"]) if n == 0 else float(interval)
            started = time.monotonic()
            rows.append(measure_size(server, n, interval, window))
            row = rows[-1]
            say(
                f"growth {n:,} targets: setup {row['pialert_setup_s']:.2f} s,"
                f" RSS {row['rss_mib']:.0f} MiB, {row['checks']} checks,"
                f" CPU {row['cpu_s']:.2f} s, lag max {row['lag']['max_ms']:.1f} ms"
                f" (garbage collection {_gc_note(row['lag'])}),"
                f" {row['pialert_states']:,} entities"
                f" ({time.monotonic() - started:.0f} s)"
            )
    return report(result, rows, interval, quick)


def report(
    result: Result, rows: list[dict[str, Any]], interval: int, quick: bool
) -> Result:
    """Fill ``result`` from each size's measured figures (``details.runs``)."""
    table = growth_table(rows)
    empty = rows[0]
    result.details = {"runs": rows, "table": table}
    result.details["markdown"] = markdown(table, empty, interval)
    say("growth table:\n" + result.details["markdown"])
    result.add(
        "no targets: PiAlert setup (HA setup_info)", empty["pialert_setup_s"], "s"
    )
    result.add("no targets: RSS", empty["rss_mib"], "MiB")
    result.add(
        "no targets: max loop lag",
        empty["lag"]["max_ms"],
        "ms",
        note=f"p99 {empty['lag']['p99_ms']:.1f} ms",
    )
    for row, raw in zip(table, rows[1:], strict=True):
        n = row["targets"]
        result.add(
            f"{n:,} targets: PiAlert setup",
            row["setup_s"],
            "s",
            note=f"{_times(row['setup_x_empty'])} no targets,"
            f" {_times(row['setup_x_100'])} 100 targets",
        )
        result.add(
            f"{n:,} targets: RSS",
            row["rss_mib"],
            "MiB",
            note=f"{_times(row['rss_x_empty'])} no targets;"
            f" {row['rss_kib_per_target']:.1f} KiB per target",
        )
        result.add(
            f"{n:,} targets: CPU per check (net of idle)",
            row["cpu_ms_per_check"],
            "ms",
            note=f"{_times(row['cpu_x_base'])} {row['cpu_base_targets']:,} targets;"
            f" {raw['checks']:,} checks, raw {raw['raw_cpu_ms_per_check']:.3f} ms",
        )
        lag = row["lag_max_ms"]
        goal = not quick and n in LAG_GOAL_SIZES
        result.add(
            f"{n:,} targets: max loop lag, checks spread over {interval} s",
            lag,
            "ms",
            f"< {LAG_GOAL_MS:g} ms" if goal else "",
            (lag < LAG_GOAL_MS) if goal else None,
            note=f"p99 {row['lag_p99_ms']:.1f} ms; {_times(row['lag_x_empty'])} no targets;"
            f" garbage collection {_gc_note(raw['lag'])}",
        )
        warned = raw["limit_warnings"]
        result.add(
            f"{n:,} targets: PiAlert entities",
            row["entities"],
            note=(
                f"of {row['expected_entities']:,}: Home Assistant's limit of"
                f" {MAX_ENABLED_ENTITIES_PER_CONFIG_ENTRY:,} enabled entities per"
                f" config entry (WARNING logged {warned}x); all targets checked"
                if row["entities"] < row["expected_entities"]
                else ""
            ),
        )
    failed = [row for row in rows if row["error_lines"]]
    if failed:
        # Home Assistant logging an error fails the benchmark, not just a figure.
        first = failed[0]["errors"][0]
        result.error = (
            "Home Assistant logged ERROR lines ("
            + ", ".join(f"{r['targets']:,} targets: {r['error_lines']}" for r in failed)
            + f"): {first.split('] ', 1)[-1][:160]}"
        )
    return result
