"""The hub alert is kept in step with results, not recomputed over every target."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.pialert.engine import hub_alert as hub_alert_module
from custom_components.pialert.engine.events import EventType
from custom_components.pialert.engine.hub_alert import hub_alert
from custom_components.pialert.engine.models import SilenceState

from .test_alerting import T0, fail, make, ok, silence, tcp

N = 1_000


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count how often a down target's place in the hub alert is evaluated."""
    calls: list[str] = []
    counts = hub_alert_module.alert_counts

    def counting(*args: object) -> object:
        calls.append("x")
        return counts(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(hub_alert_module, "alert_counts", counting)
    return calls


def test_a_thousand_targets_failing_at_once_cost_linear_work(
    evaluations: list[str],
) -> None:
    targets = [tcp(f"t{i:04d}") for i in range(N)]
    monitor = make(*targets)

    events = []
    for target in targets:
        events += monitor.record(target.id, fail(T0))
    alert_events = [e for e in events if e.type is EventType.ALERT_STARTED]

    # Recomputed per result this was N * (N + 1) / 2 = 500,500 evaluations.
    assert len(evaluations) <= 2 * N
    assert len(alert_events) == 1
    assert alert_events[0].data["failing_count"] == 1
    snapshot = monitor.snapshot(T0)
    assert [f.name for f in snapshot.failing] == sorted(t.name for t in targets)

    # Still failing: each result evaluates its own target only.
    evaluations.clear()
    for target in targets:
        monitor.record(target.id, fail(T0 + timedelta(seconds=10)))
    assert len(evaluations) == N
    assert {f.failures for f in monitor.snapshot(T0).failing} == {2}


def test_kept_alert_matches_a_full_computation() -> None:
    parent = tcp("p", "Parent")
    child = tcp("c", "Child", depends_on="p")
    others = [tcp(f"o{i}", f"Other {i}") for i in range(5)]
    monitor = make(parent, child, *others)

    def full() -> list[str]:
        return [
            f.name
            for f in hub_alert(
                {tid for tid, s in monitor.states.items() if s.is_down},
                monitor.targets,
                monitor.states,
                monitor.status,
                [
                    s
                    for s in monitor.silences.values()
                    if s.state(T0) is SilenceState.ACTIVE
                ],
            ).values()
        ]

    def kept() -> list[str]:
        return [f.name for f in monitor.snapshot(T0).failing]

    for target in (child, *others):
        monitor.record(target.id, fail(T0))
    assert kept() == full() == ["Child", *(o.name for o in others)]
    # The parent going down makes its child unreachable: it leaves the alert.
    monitor.record("p", fail(T0))
    assert kept() == full() == [*(o.name for o in others), "Parent"]
    monitor.acknowledge("o1", "alice", T0)
    monitor.record("o2", ok(T0))
    assert kept() == full() == ["Other 0", "Other 3", "Other 4", "Parent"]
    monitor.add_silence(silence(target_ids=frozenset({"o3", "p"})), T0)
    assert kept() == full() == ["Other 0", "Other 4"]
    # The parent is back: its child is down in its own right again.
    monitor.record("p", ok(T0))
    assert kept() == full() == ["Child", "Other 0", "Other 4"]
    monitor.unacknowledge("o1", "alice", T0)
    assert kept() == full() == ["Child", "Other 0", "Other 1", "Other 4"]
