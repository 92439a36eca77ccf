"""The monitor's heartbeat trackers: pushed pings and missed deadlines as results."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, tzinfo

from .models import CheckResult, Target, TargetKind
from .probes.heartbeat import HeartbeatTracker, Ping
from .settings import HeartbeatSettings
from .timetext import TimeText

type Trackers = dict[str, HeartbeatTracker]


def _settings(target: Target) -> HeartbeatSettings:
    settings = target.settings
    # Trackers exist for heartbeat targets only (sync_trackers).
    assert isinstance(settings, HeartbeatSettings)
    return settings


def sync_trackers(
    trackers: Trackers, targets: Mapping[str, Target], resumed: set[str], now: datetime
) -> None:
    """Track exactly the heartbeat targets; resumed ones wait a full period anew."""
    heartbeat_ids = {t.id for t in targets.values() if t.kind is TargetKind.HEARTBEAT}
    for target_id in trackers.keys() - heartbeat_ids:
        del trackers[target_id]
    for target_id in heartbeat_ids:
        tracker = trackers.get(target_id)
        if tracker is None:
            trackers[target_id] = HeartbeatTracker(awaited_since=now)
        elif target_id in resumed:
            tracker.awaited_since = now
            tracker.started_at = None
            tracker.runs.clear()


def pushed_result(
    tracker: HeartbeatTracker, enabled: bool, ping: Ping
) -> CheckResult | None:
    """Return the result a pushed ``success``, ``start``, ``fail`` or ``log`` means.

    A paused target ignores its pings (and keeps no output).
    """
    return tracker.take(ping) if enabled else None


def overdue_results(
    trackers: Trackers,
    targets: Mapping[str, Target],
    now: datetime,
    describe_time: TimeText,
    home_zone: tzinfo = UTC,
) -> Iterator[tuple[str, CheckResult]]:
    """Yield a failure for each enabled heartbeat whose deadline passed."""
    for target_id, tracker in trackers.items():
        target = targets[target_id]
        if not target.enabled:
            continue
        if (
            result := tracker.overdue(_settings(target), now, describe_time, home_zone)
        ) is not None:
            yield target_id, result


def next_deadline(
    trackers: Trackers, targets: Mapping[str, Target], home_zone: tzinfo = UTC
) -> datetime | None:
    """Return the earliest heartbeat deadline of enabled targets."""
    deadlines = (
        tracker.next_deadline(targets[tid].settings_as(HeartbeatSettings), home_zone)
        for tid, tracker in trackers.items()
        if targets[tid].enabled
    )
    return min((d for d in deadlines if d is not None), default=None)
