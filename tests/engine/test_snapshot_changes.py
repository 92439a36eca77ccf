"""Readers of successive snapshots learn which targets changed."""

from __future__ import annotations

from datetime import timedelta
import random

from custom_components.pialert.engine.errors import RefusedError
from custom_components.pialert.engine.models import Silence, Status
from custom_components.pialert.engine.snapshot_changes import (
    LoudTargets,
    SnapshotFollower,
)

from ..hub_walks import T0, counted, monitor_of, result, silence_one

N = 2_000


def test_a_follower_is_told_what_changed_since_it_last_looked() -> None:
    monitor = monitor_of(10)
    follower = SnapshotFollower()
    first = monitor.snapshot(T0)
    assert follower.advance(first) is None  # nothing seen yet: all
    assert follower.advance(first) == ()
    monitor.record("t0003", result(ok=False, at=T0))
    assert follower.advance(monitor.snapshot(T0)) == {"t0003"}
    monitor.record("t0004", result(ok=False, at=T0))
    monitor.snapshot(T0)  # taken, never shown to the follower
    monitor.record("t0005", result(ok=False, at=T0))
    assert follower.advance(monitor.snapshot(T0)) is None


def test_a_snapshot_rebuilding_every_view_is_not_hidden_when_missed() -> None:
    """A silence that ends rebuilds every view without a change of state: a
    reader that missed that snapshot must still look at every target."""
    monitor = monitor_of(10)
    follower = SnapshotFollower()
    silence = Silence("s", T0, T0 + timedelta(minutes=1), "Ann")
    monitor.add_silence(silence, T0)
    follower.advance(monitor.snapshot(T0))
    ended = monitor.snapshot(T0 + timedelta(minutes=2))  # missed by the reader
    assert ended.changed is None
    monitor.record("t0001", result(ok=True, at=T0 + timedelta(minutes=2)))
    assert follower.advance(monitor.snapshot(T0 + timedelta(minutes=2))) is None


def test_loud_targets_read_only_changed_views() -> None:
    monitor = monitor_of(N)
    loud = LoudTargets()
    assert loud.update(monitor.snapshot(T0)) is False
    lookups: list[str] = []
    at = T0
    for number in range(1, 11):
        at += timedelta(seconds=1)
        for _ in range(3):  # down after the default threshold
            monitor.record(f"t{number:04d}", result(ok=False, at=at))
        assert loud.update(counted(monitor.snapshot(at), lookups)) is True
    assert loud.ids == {f"t{number:04d}" for number in range(1, 11)}
    assert len(lookups) <= 10  # not 2,000 per snapshot


def test_loud_targets_match_a_full_walk() -> None:
    rng = random.Random(15)
    monitor = monitor_of(40)
    loud = LoudTargets()
    at = T0
    for step in range(500):
        at += timedelta(seconds=rng.choice((1, 30, 400)))
        target_id = f"t{rng.randrange(40):04d}"
        try:
            if rng.random() < 0.85:
                monitor.record(target_id, result(ok=rng.random() < 0.4, at=at))
            else:
                silence_one(monitor, target_id, at, 5, f"s{step}")
        except RefusedError:
            pass
        snapshot = monitor.snapshot(at)
        if rng.random() < 0.9:  # some snapshots are never shown to it
            loud.update(snapshot)
            assert loud.ids == {
                t
                for t, view in snapshot.targets.items()
                if view.status is Status.DOWN and not view.silenced
            }, step
