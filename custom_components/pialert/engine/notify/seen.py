"""What the notification planner sees of each target, kept per snapshot.

After one check result only one target looks different: the map is updated
for the targets the snapshot says changed, and the planner is told which,
instead of both walking every target on each snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Status
from ..snapshot_changes import SnapshotFollower
from ..state import Snapshot, TargetView
from .planner import Seen


def seen_one(view: TargetView) -> Seen:
    """Return what the planner needs of one target."""
    target = view.target
    ack = view.acknowledgement
    return Seen(
        id=target.id,
        name=target.name,
        tags=target.tags,
        severity=str(target.settings.severity),
        down=view.status is Status.DOWN,
        quiet=ack is not None or view.silenced,
        acknowledged_by=ack.by if ack is not None else None,
        error=view.last_error,
        unreachable_parent=target.depends_on
        if view.status is Status.UNREACHABLE
        else None,
    )


def seen_of(
    snapshot: Snapshot, cache: dict[str, tuple[TargetView, Seen]] | None = None
) -> dict[str, Seen]:
    """Return what the planner needs of each target.

    ``cache`` keeps each view's answer: views of unchanged targets are the
    same objects from one snapshot to the next.
    """
    seen: dict[str, Seen] = {}
    for target_id, view in snapshot.targets.items():
        if cache is not None and (kept := cache.get(target_id)) and kept[0] is view:
            seen[target_id] = kept[1]
            continue
        seen[target_id] = seen_one(view)
        if cache is not None:
            cache[target_id] = (view, seen[target_id])
    if cache is not None and len(cache) > len(seen):
        for gone in set(cache) - set(seen):
            del cache[gone]
    return seen


class SeenTargets:
    """The planner's view of every target, following the hub's snapshots."""

    def __init__(self) -> None:
        """Start having seen nothing."""
        self.seen: dict[str, Seen] = {}
        self._cache: dict[str, tuple[TargetView, Seen]] = {}
        self._order: dict[str, int] = {}
        self._follower = SnapshotFollower()
        self.looked_at = 0
        """How many targets' views were read (each builds a ``Seen``)."""

    def forget(self) -> None:
        """Look at every target on the next snapshot (the rules changed)."""
        self._follower.forget()

    def update(self, snapshot: Snapshot) -> Sequence[str] | None:
        """Follow ``snapshot``; return the targets that may look different.

        They come in the map's order (the snapshot's), as a walk over all
        targets would meet them; None when every target was looked at.
        """
        changed = self._follower.advance(snapshot)
        targets = snapshot.targets
        if changed is not None and all(
            target_id in self._order and target_id in targets for target_id in changed
        ):
            for target_id in changed:
                self.looked_at += 1
                view = targets[target_id]
                self.seen[target_id] = seen_one(view)
                self._cache[target_id] = (view, self.seen[target_id])
            return sorted(changed, key=self._order.__getitem__)
        # The first snapshot, or targets added or removed: look at all.
        self.looked_at += len(targets)
        self.seen = seen_of(snapshot, self._cache)
        self._order = {target_id: i for i, target_id in enumerate(self.seen)}
        return None
