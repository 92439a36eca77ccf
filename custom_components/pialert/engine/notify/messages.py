"""The default words of notifications, written for people.

Phrases are ``str.format`` patterns; Home Assistant passes translated ones
(the English ones below are the fallback), and a rule's templates may
replace the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from .planner import Dispatch, What

PHRASES: Final = {
    "notify_title": "PiAlert",
    "notify_down_one": "{name} is down: {error} since {since}, {failure_count}",
    # English has two forms (1 failure, 3 failures); the phrase is picked by count.
    "notify_failures_one": "{failures} failure",
    "notify_failures_other": "{failures} failures",
    "notify_down_many": "{count} targets down: {names}",
    "notify_escalation": "Still unacknowledged after {minutes} min: {names}",
    "notify_reminder": "Still down: {names}",
    "notify_acknowledged": "{names} acknowledged by {by}",
    "notify_recovered_one": "{name} is up again",
    "notify_recovered_many": "{count} targets up again: {names}",
    "notify_dependants": "Also unreachable because of it: {names}",
    "notify_updated": "Still down, now: {details}",
    "notify_test": "Test message from the notification rule {rule}",
}


@dataclass(frozen=True, slots=True)
class Detail:
    """What a message says of one target."""

    id: str
    name: str
    error: str = ""
    since: str = ""
    failures: int = 0
    severity: str = "critical"


def _failures(words: Mapping[str, str], count: int) -> str:
    form = "one" if count == 1 else "other"
    return words[f"notify_failures_{form}"].format(failures=count)


def _names(ids: tuple[str, ...], details: Mapping[str, Detail]) -> str:
    return ", ".join(details[t].name if t in details else t for t in ids)


def compose(
    dispatch: Dispatch,
    details: Mapping[str, Detail],
    rule_name: str,
    minutes: int = 0,
    phrases: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """Return (title, message) of a dispatch in ``phrases`` (English if none)."""
    words = {**PHRASES, **(phrases or {})}
    ids = dispatch.target_ids
    names = _names(ids, details)
    fill = {"names": names, "count": len(ids), "rule": rule_name, "minutes": minutes}
    fill["details"] = "; ".join(
        f"{details[t].name}: {details[t].error}" for t in ids if t in details
    )
    if len(ids) == 1 and ids[0] in details:
        detail = details[ids[0]]
        fill |= {
            "name": detail.name,
            "error": detail.error,
            "since": detail.since,
            "failures": detail.failures,
            "failure_count": _failures(words, detail.failures),
        }
    key = {
        What.DOWN: "notify_down_one" if len(ids) == 1 else "notify_down_many",
        What.ESCALATION: "notify_escalation",
        What.REMINDER: "notify_reminder",
        What.ACKNOWLEDGED: "notify_acknowledged",
        What.RECOVERED: "notify_recovered_one"
        if len(ids) == 1
        else "notify_recovered_many",
        What.UPDATED: "notify_updated",
        What.TEST: "notify_test",
    }[dispatch.what]
    message = words[key].format(**fill, by=dispatch.by or "")
    if dispatch.dependants:
        message += "\n" + words["notify_dependants"].format(
            names=_names(dispatch.dependants, details)
        )
    return words["notify_title"], message
