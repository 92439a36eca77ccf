"""Which targets depend on which (``depends_on``, reversed)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .models import Status, Target
from .state import TargetState


class Dependants:
    """The targets below each target, for passing status changes down."""

    def __init__(self, targets: Iterable[Target] = ()) -> None:
        """Index ``targets`` by the target each depends on."""
        self._children: dict[str, list[str]] = {}
        for target in targets:
            if target.depends_on is not None:
                self._children.setdefault(target.depends_on, []).append(target.id)

    def of(self, target_id: str) -> set[str]:
        """Return the targets that depend on ``target_id``, directly or not."""
        found: set[str] = set()
        to_visit = [target_id]
        while to_visit:
            for child in self._children.get(to_visit.pop(), ()):
                if child not in found:
                    found.add(child)
                    to_visit.append(child)
        found.discard(target_id)
        return found


def status_with_parents(
    target_id: str,
    targets: Mapping[str, Target],
    states: Mapping[str, TargetState],
    seen: set[str] | None = None,
) -> Status:
    """Return a target's status: unreachable while a parent is down or unreachable."""
    target = targets[target_id]
    if not target.enabled:
        return Status.PAUSED
    raw = states[target_id].raw_status()
    parent = target.depends_on
    seen = set() if seen is None else seen
    if (
        raw in (Status.PENDING, Status.DOWN)
        and parent is not None
        and parent in targets
        and parent not in seen
    ):
        seen.add(target_id)
        if status_with_parents(parent, targets, states, seen) in (
            Status.DOWN,
            Status.UNREACHABLE,
        ):
            return Status.UNREACHABLE
    return raw
