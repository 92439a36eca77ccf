"""Which targets depend on which (``depends_on``, reversed)."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Target


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
