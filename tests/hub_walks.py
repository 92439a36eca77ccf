"""Helpers of the tests that count how many targets a hub-wide reader looks at."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.models import (
    CheckResult,
    Silence,
    Target,
    TargetKind,
)
from custom_components.pialert.engine.settings import TcpSettings
from custom_components.pialert.engine.state import Snapshot

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class Counting[V](Mapping[str, V]):
    """A map (a snapshot's views, the planner's targets) counting what is read."""

    def __init__(self, views: Mapping[str, V], lookups: list[str]) -> None:
        """Count lookups and walks of ``views`` into ``lookups``."""
        self._views = views
        self._lookups = lookups

    def __getitem__(self, key: str) -> V:
        self._lookups.append(key)
        return self._views[key]

    def __iter__(self) -> Iterator[str]:
        for key in self._views:
            self._lookups.append(key)
            yield key

    def __len__(self) -> int:
        return len(self._views)


def counted(snapshot: Snapshot, lookups: list[str]) -> Snapshot:
    """Return ``snapshot`` whose views count lookups (same revision and changes)."""
    return replace(snapshot, targets=Counting(snapshot.targets, lookups))


def tcp_target(i: int, **extra: object) -> Target:
    """Return TCP target number ``i`` (id ``t0000``…)."""
    target = Target(
        id=f"t{i:04d}",
        name=f"Target {i:04d}",
        kind=TargetKind.TCP,
        settings=TcpSettings(host="127.0.0.1", port=1000 + i),
    )
    return replace(target, **extra)


def monitor_of(count: int, now: datetime = T0) -> Monitor:
    """Return a monitor of ``count`` TCP targets, each checked once (up)."""
    monitor = Monitor()
    monitor.set_targets([tcp_target(i) for i in range(count)], now)
    for i in range(count):
        monitor.record(f"t{i:04d}", result(ok=True, at=now))
    return monitor


def result(*, ok: bool, at: datetime, error: str = "Connection refused") -> CheckResult:
    """Return a check result at ``at``."""
    return CheckResult(
        success=ok,
        checked_at=at,
        error=None if ok else error,
        response_time_ms=1.0 if ok else None,
    )


def silence_one(
    monitor: Monitor, target_id: str, at: datetime, minutes: int, silence_id: str
) -> None:
    """Silence one target from ``at`` for ``minutes``."""
    monitor.add_silence(
        Silence(
            id=silence_id,
            starts_at=at,
            ends_at=at + timedelta(minutes=minutes),
            created_by="Ann",
            target_ids=frozenset({target_id}),
        ),
        at,
    )
