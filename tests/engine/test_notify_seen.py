"""The notifier looks at the targets a snapshot changed, not at every target."""

from __future__ import annotations

from datetime import timedelta
import random

from custom_components.pialert.engine.errors import RefusedError
from custom_components.pialert.engine.notify.planner import Planner
from custom_components.pialert.engine.notify.planner_state import planner_fingerprint
from custom_components.pialert.engine.notify.rules import NotificationRule, parse_rule
from custom_components.pialert.engine.notify.seen import SeenTargets, seen_of

from ..hub_walks import (
    T0,
    Counting,
    counted,
    monitor_of,
    result,
    silence_one,
    tcp_target,
)

N = 2_000


def _rules() -> list[NotificationRule]:
    rules = []
    for rule_id, extra in (
        ("all", {"group_wait": 0, "reminder_minutes": 5, "max_reminders": 2}),
        ("grouped", {"group_wait": 60, "when": ["down", "recovered", "updated"]}),
        ("tagged", {"group_wait": 0, "scope": "tags", "tags": ["odd"]}),
    ):
        rule, errors = parse_rule(
            rule_id,
            {
                "name": rule_id,
                "steps": [
                    {"notify_services": ["notify.phone"]},
                    {"after_minutes": 10, "notify_services": ["notify.pager"]},
                ],
                **extra,
            },
        )
        assert errors == {}
        assert rule is not None
        rules.append(rule)
    return rules


def _planner() -> Planner:
    planner = Planner()
    planner.set_rules(_rules())
    return planner


def test_one_result_reads_one_target_of_thousands() -> None:
    monitor = monitor_of(N)
    seen, planner = SeenTargets(), _planner()
    assert seen.update(monitor.snapshot(T0)) is None
    planner.observe(seen.seen, T0, None)
    assert seen.looked_at == N

    lookups: list[str] = []
    reads: list[str] = []
    at = T0
    for number in range(1, 11):
        at += timedelta(seconds=1)
        monitor.record(f"t{number:04d}", result(ok=False, at=at))
        if number % 2 == 0:  # some go down (threshold 1): every rule tells
            monitor.record(f"t{number:04d}", result(ok=False, at=at))
        changed = seen.update(counted(monitor.snapshot(at), lookups))
        assert changed == [f"t{number:04d}"]
        planner.observe(Counting(seen.seen, reads), at, changed)

    # Before, every snapshot meant 2,000 views read and 2,000 targets
    # looked at by each of the 3 rules.
    assert seen.looked_at == N + 10
    assert len(lookups) <= 2 * 10
    assert len(reads) <= 3 * 3 * 10


def test_dispatches_are_those_of_a_full_walk() -> None:
    """Whatever happens, the incremental notifier sends exactly what looking
    at every target on every snapshot sends, and keeps the same state."""
    rng = random.Random(15)
    count = 60
    monitor = monitor_of(count)
    full, incremental, seen = _planner(), _planner(), SeenTargets()
    live = {f"t{i:04d}" for i in range(count)}
    odd = {f"t{i:04d}" for i in range(1, count, 2)}
    at = T0
    for step in range(600):
        at += timedelta(seconds=rng.choice((1, 20, 61, 300, 700)))
        target_id = rng.choice(sorted(live))
        action = rng.random()
        try:
            if action < 0.65:
                error = rng.choice(("Connection refused", "Timed out"))
                monitor.record(
                    target_id, result(ok=rng.random() < 0.45, at=at, error=error)
                )
            elif action < 0.75:
                monitor.acknowledge(target_id, "Ann", at)
            elif action < 0.8:
                monitor.unacknowledge(target_id, "Ann", at)
            elif action < 0.84:
                silence_one(monitor, target_id, at, rng.choice((2, 20)), f"s{step}")
            elif action < 0.87:
                live = set(rng.sample(sorted(live), len(live) - 2)) | {
                    f"t{count + step:04d}"
                }
                monitor.set_targets(
                    [
                        tcp_target(int(t[1:]), tags=("odd",) if t in odd else ())
                        for t in sorted(live)
                    ],
                    at,
                )
        except RefusedError:
            pass  # acknowledging a target that is not down, and so on
        if rng.random() < 0.25:
            # A timer (reminders, escalation, the group wait) between snapshots.
            assert incremental.due(seen.seen, at) == full.due(seen.seen, at), step
        snapshot = monitor.snapshot(at)
        expected = full.observe(seen_of(snapshot), at)
        changed = seen.update(snapshot)  # replaces the map after a full look
        got = incremental.observe(seen.seen, at, changed)
        assert got == expected, step
        assert seen.seen == seen_of(snapshot)
        assert list(seen.seen) == list(snapshot.targets)
        assert planner_fingerprint(incremental) == planner_fingerprint(full), step
    assert seen.looked_at < 600 * count / 4  # the walks were mostly avoided
