"""Which targets changed between the snapshots one reader saw.

A hub-wide reader (the card's views, the notifier, live streams) looks at
each published snapshot. After one check result only one target's view is
new: the reader asks this which, instead of walking every target.
"""

from __future__ import annotations

from collections.abc import Collection

from .models import Status
from .state import Snapshot


class SnapshotFollower:
    """Remembers the last snapshot a reader saw, to tell it what changed since."""

    __slots__ = ("last",)

    def __init__(self) -> None:
        """Start having seen nothing (the first snapshot changes everything)."""
        self.last: Snapshot | None = None

    def advance(self, snapshot: Snapshot) -> Collection[str] | None:
        """Take ``snapshot`` as seen; return the ids whose views may differ.

        None means any may differ (the first snapshot, or one the engine
        cannot relate to the last seen): the reader looks at all of them.
        Removed targets are among the ids returned.
        """
        previous, self.last = self.last, snapshot
        if previous is None:
            return None
        if previous is snapshot:
            return ()
        return snapshot.changed_from(previous)

    def forget(self) -> None:
        """Start over: the next snapshot is looked at whole."""
        self.last = None


class LoudTargets:
    """The targets down and not silenced, kept current from each snapshot's changes."""

    __slots__ = ("_follower", "ids", "looked_at")

    def __init__(self) -> None:
        """Start knowing of none."""
        self.ids: set[str] = set()
        self._follower = SnapshotFollower()
        self.looked_at = 0
        """How many targets' views were read."""

    def update(self, snapshot: Snapshot) -> bool:
        """Follow ``snapshot`` (each published one); return whether any is loud."""
        changed = self._follower.advance(snapshot)
        targets = snapshot.targets
        if changed is None:
            self.ids = set()
        for target_id in targets if changed is None else changed:
            self.looked_at += 1
            view = targets.get(target_id)
            if view is not None and view.status is Status.DOWN and not view.silenced:
                self.ids.add(target_id)
            else:
                self.ids.discard(target_id)
        return bool(self.ids)
