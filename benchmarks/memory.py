"""memory: engine memory per target, and the failed-authentication limiter's memory.

Each measurement runs in a fresh child process (``python -m benchmarks.memory
--child ...``), once with tracemalloc (Python allocations, exact) and once
without it (resident set size from /proc/self/statm, what the OS sees), so
neither disturbs the other and every baseline is clean.

* targets: N HTTP targets in a ``Monitor`` with a year behind them: one
  check per target and day counted into the daily counters for the 365 days
  before (fixed-size arrays: a full year costs what one day does), then 100 results per
  target with timestamps spread over the last 100 minutes (one a minute, about
  1 in 30 failed, response times varying) so the check log is full, then a
  snapshot, as the coordinator keeps it. The baseline is the process with the
  engine imported and nothing created.
* limiter: ``api.limits.WindowLimiter`` as ``ApiState`` builds it for failed
  authentications (``max_names=MAX_TRACKED_ADDRESSES``), fed 100,000 failed
  attempts from distinct addresses the way ``api.base.authenticate`` does
  (``retry_after`` then ``hit``) on a fake clock; then the clock moves past
  the window and (a) only successful requests arrive (``retry_after`` alone),
  (b) one more failed attempt arrives (``hit``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
from pathlib import Path
import random
import subprocess
import sys
import time
import tracemalloc
from typing import Any

from . import ROOT, Result, say

NAME = "memory"
TITLE = "Memory: engine per target, auth rate limiter"

FULL = {"targets": 5_000, "results_per_target": 100, "addresses": 100_000}
QUICK = {"targets": 1_000, "results_per_target": 100, "addresses": 20_000}
# The last 100 checks and a year of daily counters per target (issue 12).
GOAL_PER_TARGET_KIB = 6.0
YEAR_DAYS = 365
# "Back to baseline": at most this much above it once the window has passed.
BASELINE_TOLERANCE_KIB = 64.0


def rss_bytes() -> int:
    """Return this process's resident set size."""
    pages = int(Path("/proc/self/statm").read_text(encoding="utf-8").split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


class Meter:
    """Reads either tracemalloc's current size or RSS."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        if mode == "tracemalloc":
            tracemalloc.start()

    def read(self) -> int:
        """Return bytes in use now (after a full collection)."""
        gc.collect()
        if self.mode == "tracemalloc":
            return tracemalloc.get_traced_memory()[0]
        return rss_bytes()


def child_targets(mode: str, n: int, per_target: int) -> dict[str, Any]:
    """Build the monitor with a year of history and a full check log; return memory at each stage."""
    from custom_components.pialert.engine.alerting import Monitor  # noqa: PLC0415
    from custom_components.pialert.engine.config import (  # noqa: PLC0415
        target_from_data,
    )
    from custom_components.pialert.engine.daily_uptime import (  # noqa: PLC0415
        DayCounts,
    )
    from custom_components.pialert.engine.history import History  # noqa: PLC0415
    from custom_components.pialert.engine.models import (  # noqa: PLC0415
        CheckResult,
        TargetKind,
    )

    meter = Meter(mode)
    rng = random.Random(1)
    now = dt.datetime.now(dt.UTC)
    start = now - dt.timedelta(minutes=per_target)
    # Build the results' inputs first: they are not part of what is kept.
    offsets = [dt.timedelta(seconds=60 * i + 30) for i in range(per_target)]
    baseline = meter.read()
    monitor = Monitor(History())
    targets = [
        target_from_data(
            f"01TARGET{i:018d}",
            {
                "kind": TargetKind.HTTP,
                "name": f"Web site {i:05d}",
                "url": f"http://127.0.0.1:8080/site/{i}",
                "method": "GET",
                "accepted_status": "200-299",
                "keyword_absent": False,
                "verify_ssl": True,
                "interval": 60,
                "timeout": 10,
            },
        )
        for i in range(n)
    ]
    year_ago = start - dt.timedelta(days=YEAR_DAYS)
    monitor.set_targets(targets, year_ago)
    monitor.snapshot(year_ago)
    configured = meter.read()
    # A year of daily counts, one check a day (every ninth failed), counted
    # straight into each target's day counters: their size does not depend on
    # how the days were filled, and this keeps the run short.
    first_day = year_ago.date().toordinal()
    for target in targets:
        counts = monitor.history.days.targets[target.id] = DayCounts()
        for day in range(YEAR_DAYS):
            counts.add(first_day + day, day % 9 != 0)
    for offset in offsets:
        at = start + offset
        for target in targets:
            ok = rng.random() >= 1 / 30
            monitor.record(
                target.id,
                CheckResult(
                    success=ok,
                    checked_at=at,
                    error=None if ok else "HTTP 503 (expected 200-299)",
                    response_time_ms=rng.uniform(5, 400),
                ),
            )
    snapshot = monitor.snapshot(now)
    with_history = meter.read()
    return {
        "mode": mode,
        "targets": n,
        "results_per_target": per_target,
        "baseline_bytes": baseline,
        "configured_bytes": configured,
        "with_history_bytes": with_history,
        "per_target_bytes": (with_history - baseline) / n,
        "per_target_config_bytes": (configured - baseline) / n,
        "per_target_history_bytes": (with_history - configured) / n,
        "incidents": len(monitor.history.incidents),
        "events": len(monitor.history.events),
        "views": len(snapshot.targets),
    }


def child_limiter(mode: str, addresses: int) -> dict[str, Any]:
    """Flood the failed-auth limiter from distinct addresses; return memory."""
    from custom_components.pialert.api.limits import (  # noqa: PLC0415
        FAILED_AUTH_LIMIT,
        MAX_TRACKED_ADDRESSES,
        WINDOW_SECONDS,
        WindowLimiter,
    )

    clock = [1000.0]
    # Names made up front; loopback-range strings, no traffic is sent.
    names = [f"127.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}" for i in range(addresses)]
    other = "127.255.255.254"
    meter = Meter(mode)
    baseline = meter.read()
    limiter = WindowLimiter(max_names=MAX_TRACKED_ADDRESSES, clock=lambda: clock[0])
    step = 10.0 / addresses  # the whole flood within 10 s of fake time
    started = time.perf_counter()
    for name in names:
        clock[0] += step
        if limiter.retry_after(name, FAILED_AUTH_LIMIT) is None:
            limiter.hit(name, FAILED_AUTH_LIMIT)
    elapsed = time.perf_counter() - started
    flooded = meter.read()
    tracked_after_flood = len(limiter)
    clock[0] += WINDOW_SECONDS + 1
    for _ in range(100):
        limiter.retry_after(other, FAILED_AUTH_LIMIT)
    after_window_reads = meter.read()
    tracked_after_reads = len(limiter)
    limiter.hit(other, FAILED_AUTH_LIMIT)
    after_window_hit = meter.read()
    tracked_after_hit = len(limiter)
    return {
        "mode": mode,
        "addresses": addresses,
        "max_names": MAX_TRACKED_ADDRESSES,
        "baseline_bytes": baseline,
        "flooded_bytes": flooded,
        "after_window_reads_bytes": after_window_reads,
        "after_window_hit_bytes": after_window_hit,
        "tracked_after_flood": tracked_after_flood,
        "tracked_after_window_reads": tracked_after_reads,
        "tracked_after_window_hit": tracked_after_hit,
        "us_per_failed_attempt": elapsed * 1e6 / addresses,
    }


def run_child(*args: str) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", "--child", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"memory child {args} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(quick: bool) -> Result:
    """Run every measurement and compare with the goals."""
    size = QUICK if quick else FULL
    result = Result(NAME, TITLE, params=dict(size))
    n, per = size["targets"], size["results_per_target"]
    runs: dict[str, Any] = {}
    for mode in ("tracemalloc", "rss"):
        runs[f"targets_{mode}"] = run_child("targets", mode, str(n), str(per))
        say(
            f"memory targets ({mode}): "
            f"{runs[f'targets_{mode}']['per_target_bytes'] / 1024:.2f} KiB per target"
        )
        runs[f"limiter_{mode}"] = run_child("limiter", mode, str(size["addresses"]))
    result.details["runs"] = runs
    goal = f"<= {GOAL_PER_TARGET_KIB:g} KiB"
    for mode, label in (("tracemalloc", "tracemalloc"), ("rss", "RSS")):
        r = runs[f"targets_{mode}"]
        per_kib = r["per_target_bytes"] / 1024
        result.add(
            f"{n:,} targets, 100 checks + 1 y days: per target ({label})",
            per_kib,
            "KiB",
            goal,
            per_kib <= GOAL_PER_TARGET_KIB,
            f"config+state {r['per_target_config_bytes'] / 1024:.2f} KiB,"
            f" history {r['per_target_history_bytes'] / 1024:.2f} KiB",
        )
    for mode, label in (("tracemalloc", "tracemalloc"), ("rss", "RSS")):
        r = runs[f"limiter_{mode}"]
        flood_kib = (r["flooded_bytes"] - r["baseline_bytes"]) / 1024
        reads_kib = (r["after_window_reads_bytes"] - r["baseline_bytes"]) / 1024
        hit_kib = (r["after_window_hit_bytes"] - r["baseline_bytes"]) / 1024
        result.add(
            f"limiter after {r['addresses']:,} addresses ({label})",
            flood_kib,
            "KiB",
            f"bounded ({r['max_names']:,} names)",
            r["tracked_after_flood"] <= r["max_names"],
            f"{r['tracked_after_flood']:,} names tracked",
        )
        # Judged on tracemalloc: freed memory stays in the allocator's arenas,
        # so RSS does not fall back whatever the limiter does.
        judged = mode == "tracemalloc"
        goal_text = f"<= {BASELINE_TOLERANCE_KIB:g} KiB over baseline" if judged else ""
        result.add(
            f"limiter after the window, no new failure ({label})",
            reads_kib,
            "KiB",
            goal_text,
            reads_kib <= BASELINE_TOLERANCE_KIB if judged else None,
            f"{r['tracked_after_window_reads']:,} names tracked",
        )
        result.add(
            f"limiter after the window + 1 failure ({label})",
            hit_kib,
            "KiB",
            goal_text,
            hit_kib <= BASELINE_TOLERANCE_KIB if judged else None,
            f"{r['tracked_after_window_hit']:,} names tracked",
        )
    result.add(
        "limiter: cost per failed attempt",
        runs["limiter_rss"]["us_per_failed_attempt"],
        "µs",
    )
    return result


def main() -> None:
    """Child entry point."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs="+", required=True)
    args = parser.parse_args()
    what, mode, *rest = args.child
    if what == "targets":
        out = child_targets(mode, int(rest[0]), int(rest[1]))
    else:
        out = child_limiter(mode, int(rest[0]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
