"""What a configuration change does to a target's checks and open incident.

Editing only how a target is presented or judged (name, tags, thresholds,
interval, dependency) keeps its state and incident. Pausing, resuming,
removing it or changing what is checked (kind or settings) restarts it: its
open incident ends, its counters start over, and the history says why.
"""

from __future__ import annotations

from .models import HistoryEventType, Target


def restart_reason(old: Target, new: Target | None) -> HistoryEventType | None:
    """Return why this change restarts the target, or None if it keeps state."""
    if new is None:
        return HistoryEventType.REMOVED
    if old.enabled and not new.enabled:
        return HistoryEventType.PAUSED
    if new.enabled and not old.enabled:
        return HistoryEventType.RESUMED
    if old.check_config() != new.check_config():
        return HistoryEventType.EDITED
    return None


_MESSAGES = {
    HistoryEventType.REMOVED: "{name} removed",
    HistoryEventType.PAUSED: "{name} paused",
    HistoryEventType.RESUMED: "{name} resumed: its checks start over",
    HistoryEventType.EDITED: "{name} now checks something else: its checks start over",
}


def restart_message(reason: HistoryEventType, name: str, ended_incident: bool) -> str:
    """Return the history line for a restart."""
    message = _MESSAGES[reason].format(name=name)
    return message + ("; its incident ended" if ended_incident else "")
