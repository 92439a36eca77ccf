"""Listeners of one target's view: each target entity wakes for its own target.

Views of unchanged targets are usually the same objects from one snapshot to
the next, so most are told apart by identity; waking every entity for every
result would cost more than the checks themselves.
"""

from __future__ import annotations

from homeassistant.core import CALLBACK_TYPE, callback

from .engine.state import Snapshot


class TargetListeners:
    """Callbacks by target id, called when that target's view changes."""

    def __init__(self) -> None:
        """Start with no listener."""
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}
        self._notified: tuple[Snapshot | None, bool] = (None, True)

    @callback
    def add(self, target_id: str, update_callback: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``update_callback`` when this target's view changes."""
        listeners = self._listeners.setdefault(target_id, [])
        listeners.append(update_callback)

        @callback
        def remove() -> None:
            listeners.remove(update_callback)
            if not listeners:
                self._listeners.pop(target_id, None)

        return remove

    @callback
    def notify(self, current: Snapshot | None, success: bool) -> None:
        """Call the listeners of targets whose view differs from the last call.

        All are called on the first call and when ``success`` changes (their
        availability follows it).
        """
        previous, previous_success = self._notified
        self._notified = (current, success)
        everything = previous is None or previous_success != success
        old_views = previous.targets if previous is not None else {}
        new_views = current.targets if current is not None else {}
        # After one result only that target's view changed: look at it alone
        # instead of at every target's.
        changed = (
            current.changed_from(previous)
            if current is not None and previous is not None and not everything
            else None
        )
        for target_id, listeners in (
            list(self._listeners.items())
            if changed is None
            else [(tid, self._listeners.get(tid, [])) for tid in changed]
        ):
            view = new_views.get(target_id)
            old_view = old_views.get(target_id)
            # Rebuilt views (after a status change, all are) may still be equal.
            if (
                everything
                or view is None
                or (view is not old_view and view != old_view)
            ):
                for update_callback in list(listeners):
                    update_callback()
