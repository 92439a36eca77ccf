"""The planner's outages as saved data, so a restart continues them.

Saved: per rule, each outage told (when it started, the channels told, the
escalation step reached, reminders sent and the next one's time, whether it
is quiet, its error) and the burst still being grouped. Parsing is strict:
data of the wrong shape raises TypeError or ValueError, and the caller sets
the file aside.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .planner import Episode, Planner, RuleState


def planner_saved(planner: Planner) -> dict[str, Any]:
    """Return every rule's outages and grouped burst as JSON-ready data."""
    rules: dict[str, Any] = {}
    for rule_id, rule in planner.rules.items():
        if not rule.episodes and not rule.pending:
            continue
        rules[rule_id] = {
            "episodes": {
                target_id: {
                    "started": e.started.isoformat(),
                    "channels": sorted(e.channels),
                    "step": e.step,
                    "reminders": e.reminders,
                    "next_reminder": _time_saved(e.next_reminder),
                    "quiet": e.quiet,
                    "error": e.error,
                }
                for target_id, e in rule.episodes.items()
            },
            "pending": {t: at.isoformat() for t, at in rule.pending.items()},
            "group_due": _time_saved(rule.group_due),
        }
    return {"rules": rules}


def planner_fingerprint(planner: Planner) -> dict[str, Any]:
    """Return what ``planner_saved`` depends on, cheaply comparable for changes."""
    return {
        rule_id: (
            rule.group_due,
            tuple(rule.pending.items()),
            {
                target_id: (
                    e.started,
                    frozenset(e.channels),
                    e.step,
                    e.reminders,
                    e.next_reminder,
                    e.quiet,
                    e.error,
                )
                for target_id, e in rule.episodes.items()
            },
        )
        for rule_id, rule in planner.rules.items()
        if rule.episodes or rule.pending
    }


def parse_planner(data: Any) -> dict[str, RuleState]:
    """Return the saved rules' states; TypeError/ValueError when malformed."""
    rules = _mapping(_mapping(data)["rules"])
    return {_text(rule_id): _rule_state(saved) for rule_id, saved in rules.items()}


def _rule_state(saved: Any) -> RuleState:
    saved = _mapping(saved)
    episodes = {
        _text(target_id): _episode(_mapping(item))
        for target_id, item in _mapping(saved["episodes"]).items()
    }
    pending = {
        _text(target_id): _time(at)
        for target_id, at in _mapping(saved["pending"]).items()
    }
    return RuleState(episodes, pending, _optional_time(saved["group_due"]))


def _episode(item: Mapping[str, Any]) -> Episode:
    channels = item["channels"]
    if not isinstance(channels, list):
        raise TypeError("channels is not a list")
    error = item["error"]
    if error is not None:
        error = _text(error)
    quiet = item["quiet"]
    if not isinstance(quiet, bool):
        raise TypeError("quiet is not a boolean")
    return Episode(
        started=_time(item["started"]),
        channels={_text(c) for c in channels},
        step=_count(item["step"]),
        reminders=_count(item["reminders"]),
        next_reminder=_optional_time(item["next_reminder"]),
        quiet=quiet,
        error=error,
    )


def _time_saved(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _mapping(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"not a mapping: {value!r}")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not a string: {value!r}")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"not a count: {value!r}")
    return int(value)


def _time(value: Any) -> datetime:
    moment = datetime.fromisoformat(_text(value))
    if moment.tzinfo is None:
        raise ValueError(f"time without a zone: {value!r}")
    return moment


def _optional_time(value: Any) -> datetime | None:
    return None if value is None else _time(value)
