"""Notification rules: down-to-notify latency, a 1,000-target burst, the outbox.

Runs in-process on one asyncio loop with PiAlert's own engine and notifier
code (Monitor -> snapshot -> planner -> message -> an async notify call),
without a Home Assistant process around it:

* latency: a target's failing check to the notify call, group wait 0,
  against a baseline of the same check folded and published with no rule;
* burst: 1,000 targets down in one loop iteration, two rules -> exactly one
  grouped message per rule, with the loop's lag measured by a 10 ms ticker;
* outbox: 10,000 pending webhook deliveries (reference payloads), measured
  with tracemalloc, against the bare bodies as a baseline.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import time
import tracemalloc
from typing import Any

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.models import CheckResult, Target, TargetKind
from custom_components.pialert.engine.notify.messages import Detail, compose
from custom_components.pialert.engine.notify.planner import Dispatch, Planner
from custom_components.pialert.engine.notify.planner_state import (
    planner_fingerprint,
    planner_saved,
)
from custom_components.pialert.engine.notify.rules import parse_rule
from custom_components.pialert.engine.notify.seen import seen_of
from custom_components.pialert.engine.notify.webhooks import Delivery, payload
from custom_components.pialert.engine.settings import TcpSettings

from . import Result, say
from ._engine_loop import Heartbeat

NAME = "notify"
TITLE = "Notification rules"
FULL = {"latency_runs": 500, "burst": 1000, "outbox": 10_000}
QUICK = {"latency_runs": 100, "burst": 1000, "outbox": 10_000}
MIB = 1024 * 1024


def _targets(n: int) -> list[Target]:
    saved = {"host": "127.0.0.1", "port": 9}
    settings = TcpSettings.from_mapping(saved)
    return [
        Target(
            id=f"t{i:05d}",
            name=f"Target {i:05d}",
            kind=TargetKind.TCP,
            settings=settings,
            saved_settings=saved,
            failure_threshold=1,
        )
        for i in range(n)
    ]


def _planner(*names: str) -> Planner:
    planner = Planner()
    rules = []
    for name in names:
        rule, errors = parse_rule(
            name,
            {
                "name": name,
                "group_wait": 0,
                "steps": [{"notify_services": ["notify.mobile_app_phone"]}],
            },
        )
        assert rule is not None, errors
        rules.append(rule)
    planner.set_rules(rules)
    return planner


def _result(ok: bool, now: dt.datetime) -> CheckResult:
    return CheckResult(success=ok, checked_at=now, error=None if ok else "refused")


async def _latency(runs: int, with_rule: bool) -> list[float]:
    """Return seconds from a failing result to the notify call, per run."""
    targets = _targets(1)
    monitor = Monitor()
    now = dt.datetime.now(dt.UTC)
    monitor.set_targets(targets, now)
    planner = _planner("phone")
    sent: list[str] = []

    async def notify(message: str) -> None:
        sent.append(message)

    planner.observe(seen_of(monitor.snapshot(now)), now)
    samples: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        now = dt.datetime.now(dt.UTC)
        monitor.record("t00000", _result(False, now))
        snapshot = monitor.snapshot(now)
        if with_rule:
            for dispatch in planner.observe(seen_of(snapshot), now):
                details = {
                    t: Detail(t, snapshot.targets[t].target.name)
                    for t in dispatch.target_ids
                }
                await notify(compose(dispatch, details, "phone")[1])
        samples.append(time.perf_counter() - started)
        monitor.record("t00000", _result(True, now))
        planner.observe(seen_of(monitor.snapshot(now)), now)
    assert not with_rule or len(sent) == runs
    return samples


async def _burst(n: int) -> dict[str, Any]:
    """1,000 targets down in one go, two rules: one message per rule."""
    targets = _targets(n)
    monitor = Monitor()
    now = dt.datetime.now(dt.UTC)
    monitor.set_targets(targets, now)
    planner = _planner("phone", "dashboard")
    planner.observe(seen_of(monitor.snapshot(now)), now)
    # The engine folds the results first (its cost is reported apart): the
    # goal is the notifier's, from the snapshot to the grouped messages.
    folded = time.perf_counter()
    for target in targets:
        monitor.record(target.id, _result(False, now))
    folded = time.perf_counter() - folded
    # The coordinator publishes this snapshot anyway; the rules read it.
    snapshot = monitor.snapshot(now)
    ticker = Heartbeat()
    ticker.start()
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    dispatches: list[Dispatch] = planner.observe(seen_of(snapshot), now)
    messages = [
        compose(
            d,
            {t: Detail(t, snapshot.targets[t].target.name) for t in d.target_ids},
            d.rule_id,
        )[1]
        for d in dispatches
    ]
    # The notifier then checks whether the planner's state changed (each
    # snapshot) and, as it did, saves it (0.1 s later, in the same loop).
    saving = time.perf_counter()
    planner_fingerprint(planner)
    saved = planner_saved(planner)
    saving = time.perf_counter() - saving
    work = time.perf_counter() - started
    checking = time.perf_counter()
    planner_fingerprint(planner)
    checking = time.perf_counter() - checking
    await asyncio.sleep(0.05)
    await ticker.stop()
    return {
        "messages_per_rule": {
            rule: sum(1 for d in dispatches if d.rule_id == rule)
            for rule in ("phone", "dashboard")
        },
        "targets_in_message": len(dispatches[0].target_ids) if dispatches else 0,
        "message_chars": len(messages[0]) if messages else 0,
        "work_seconds": work,
        "engine_fold_seconds": folded,
        "state_save_seconds": saving,
        "state_check_seconds": checking,
        "saved_outages": sum(len(r["episodes"]) for r in saved["rules"].values()),
        "max_lag_seconds": ticker.max_lag,
    }


def _outbox_bytes(n: int) -> tuple[int, int]:
    """Return (bytes of n pending deliveries, bytes of their bodies alone)."""
    stamp = "2026-11-26T02:30:00.123456+00:00"

    def body(i: int) -> bytes:
        monitor = {
            "id": f"01JD{i:022d}",
            "name": f"Target {i:05d}",
            "type": "website",
            "target": f"https://service-{i:05d}.example.com/health",
            "status": "down",
        }
        incident = {
            "id": f"inc{i:029d}",
            "started_at": stamp,
            "error_message": "HTTP 503",
        }
        return payload("monitor.down", stamp, monitor, incident)

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    bodies = [body(i) for i in range(n)]
    bare = tracemalloc.get_traced_memory()[0] - before
    del bodies
    before = tracemalloc.get_traced_memory()[0]
    now = time.time()
    pending = {
        d.id: d
        for d in (
            Delivery.new(f"{i:032x}", "rule:0", "rule", "monitor.down", body(i), now)
            for i in range(n)
        )
    }
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len(pending) == n
    return used, bare


def run(quick: bool) -> Result:
    """Measure and compare with the issue's goals."""
    size = QUICK if quick else FULL
    result = Result(NAME, TITLE, params=dict(size))
    baseline = asyncio.run(_latency(size["latency_runs"], with_rule=False))
    notified = asyncio.run(_latency(size["latency_runs"], with_rule=True))
    median, base = statistics.median(notified), statistics.median(baseline)
    say(
        f"notify: down -> notify call median {median * 1000:.3f} ms (baseline {base * 1000:.3f} ms)"
    )
    result.add(
        "Down -> notify call in-process, median (group wait 0)",
        round(median * 1000, 3),
        "ms",
        "< 100 ms",
        median < 0.1,
        note=f"{median / base:.2f} x the check folded and published without rules",
    )
    burst = asyncio.run(_burst(size["burst"]))
    one_each = all(v == 1 for v in burst["messages_per_rule"].values())
    say(f"notify: burst {burst}")
    result.add(
        f"{size['burst']:,} targets down at once: messages per rule",
        max(burst["messages_per_rule"].values()),
        "",
        "1 per rule",
        one_each,
        note=f"{burst['targets_in_message']} targets named in one message",
    )
    result.add(
        f"{size['burst']:,} targets down at once: event loop lag",
        round(burst["max_lag_seconds"] * 1000, 1),
        "ms",
        "< 100 ms",
        burst["max_lag_seconds"] < 0.1,
        note=(
            f"snapshot to messages {burst['work_seconds'] * 1000:.1f} ms, of which"
            f" {burst['state_save_seconds'] * 1000:.1f} ms to save the state of"
            f" {burst['saved_outages']:,} outages (then"
            f" {burst['state_check_seconds'] * 1000:.1f} ms per snapshot to see"
            " no change)"
        ),
    )
    result.add(
        f"{size['burst']:,} failing results folded by the engine (before the rules)",
        round(burst["engine_fold_seconds"] * 1000, 1),
        "ms",
        note="Monitor.record recomputes the hub alert per result: O(n^2)",
    )
    used, bare = _outbox_bytes(size["outbox"])
    say(f"notify: outbox {used / MIB:.2f} MiB (bodies alone {bare / MIB:.2f} MiB)")
    result.add(
        f"Outbox with {size['outbox']:,} pending deliveries",
        round(used / MIB, 2),
        "MiB",
        "< 5 MiB",
        used < 5 * MIB,
        note=f"{used / bare:.2f} x the bodies alone",
    )
    result.details = {"burst": burst, "latency_baseline_ms": base * 1000}
    return result
