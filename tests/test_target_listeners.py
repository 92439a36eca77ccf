"""Target listeners look at the targets that changed, not at every target."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.models import CheckResult, Target, TargetKind
from custom_components.pialert.engine.settings import TcpSettings
from custom_components.pialert.engine.state import Snapshot, TargetView
from custom_components.pialert.target_listeners import TargetListeners

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
N = 1_000


class CountingViews(Mapping[str, TargetView]):
    """A snapshot's views that count how many are looked up."""

    def __init__(self, views: Mapping[str, TargetView], lookups: list[str]) -> None:
        self._views = views
        self._lookups = lookups

    def __getitem__(self, key: str) -> TargetView:
        self._lookups.append(key)
        return self._views[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._views)

    def __len__(self) -> int:
        return len(self._views)


def _monitor() -> Monitor:
    monitor = Monitor()
    monitor.set_targets(
        [
            Target(
                id=f"t{i:04d}",
                name=f"Target {i:04d}",
                kind=TargetKind.TCP,
                settings=TcpSettings(host="127.0.0.1", port=1000 + i),
            )
            for i in range(N)
        ],
        T0,
    )
    return monitor


def _listening() -> tuple[Monitor, TargetListeners, list[str]]:
    """Return a monitor of N targets and listeners of each, told once."""
    monitor = _monitor()
    listeners = TargetListeners()
    woken: list[str] = []
    for i in range(N):
        listeners.add(f"t{i:04d}", lambda tid=f"t{i:04d}": woken.append(tid))
    listeners.notify(monitor.snapshot(T0), True)
    assert len(woken) == N  # the first call wakes everyone
    return monitor, listeners, woken


def _ok(at: datetime) -> CheckResult:
    return CheckResult(success=True, checked_at=at, response_time_ms=1.0)


def test_one_result_looks_at_one_target() -> None:
    monitor, listeners, woken = _listening()
    woken.clear()

    lookups: list[str] = []
    for second in range(1, 11):
        at = T0 + timedelta(seconds=second)
        target_id = f"t{second:04d}"
        monitor.record(target_id, _ok(at))
        snapshot = monitor.snapshot(at)
        assert snapshot.changed == {target_id}
        listeners.notify(
            replace(snapshot, targets=CountingViews(snapshot.targets, lookups)), True
        )

    assert woken == [f"t{second:04d}" for second in range(1, 11)]
    # Only the changed target's view is looked up (in the new snapshot and in
    # the one before), not all 1,000 each time.
    assert set(lookups) == {f"t{second:04d}" for second in range(1, 11)}
    assert len(lookups) <= 2 * 10


def test_a_snapshot_that_was_not_seen_means_looking_at_all() -> None:
    monitor, listeners, woken = _listening()
    woken.clear()

    monitor.record("t0001", _ok(T0))
    monitor.snapshot(T0)  # taken, never handed to the listeners
    monitor.record("t0002", _ok(T0))
    latest = monitor.snapshot(T0)
    assert latest.changed == {"t0002"}
    lookups: list[str] = []
    listeners.notify(
        replace(latest, targets=CountingViews(latest.targets, lookups)), True
    )

    assert sorted(woken) == ["t0001", "t0002"]
    assert len(lookups) == N


def test_default_snapshots_look_at_everything() -> None:
    first, second = Snapshot(), Snapshot()
    assert second.changed_from(first) is None
