"""Listeners of one target's view: each target entity wakes for its own target.

Views of unchanged targets are usually the same objects from one snapshot to
the next, so most are told apart by identity; waking every entity for every
result would cost more than the checks themselves.

When many targets change in one snapshot (1,000 going down at once), their
entities' state writes would hold the event loop for a second: past one
slice, the rest are woken a slice per loop turn (sliced_jobs.py). A target
changing again while it waits keeps its place, and its entities write the
coordinator's data as it is when they run, so the latest state.
"""

from __future__ import annotations

from functools import partial

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .engine.state import Snapshot
from .sliced_jobs import SlicedJobs

# The longest the loop is held by waking entities during a burst.
WAKE_SLICE_SECONDS = 0.005


class TargetListeners:
    """Callbacks by target id, called when that target's view changes."""

    def __init__(self, jobs: SlicedJobs | None = None) -> None:
        """Start with no listener; wake in ``jobs``' slices, or all at once."""
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}
        self._notified: tuple[Snapshot | None, bool] = (None, True)
        self._jobs = jobs

    @classmethod
    def sliced(cls, hass: HomeAssistant, entry: ConfigEntry) -> TargetListeners:
        """Return listeners of this hub that wake a burst a slice at a time."""
        return cls(
            SlicedJobs(hass, entry, "pialert wake target entities", WAKE_SLICE_SECONDS)
        )

    @property
    def pending(self) -> int:
        """Return how many targets wait to be woken."""
        return self._jobs.pending if self._jobs is not None else 0

    @callback
    def stop(self) -> None:
        """Wake nobody any more (the hub is unloading)."""
        if self._jobs is not None:
            self._jobs.stop()

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
        availability follows it). Past one slice of work, the rest are called
        in later loop turns, after those still waiting from earlier calls.
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
        woken = [
            target_id
            for target_id in (self._listeners if changed is None else changed)
            # Rebuilt views (after a status change, all are) may still be equal.
            if everything
            or (view := new_views.get(target_id)) is None
            or (view is not (old_view := old_views.get(target_id)) and view != old_view)
        ]
        jobs = self._jobs
        if jobs is None:
            for target_id in woken:
                self._wake(target_id)
            return
        for target_id in woken:
            jobs.add(target_id, partial(self._wake, target_id))
        jobs.run_now()  # a few targets: all of them, now

    @callback
    def _wake(self, target_id: str) -> None:
        # Looked up when it runs: entities removed meanwhile are not called.
        for update_callback in list(self._listeners.get(target_id, ())):
            update_callback()
