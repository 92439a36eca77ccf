"""A notification rule as saved in its subentry: what, when and where.

The subentry (and the API) keep a flat mapping with a list of ``steps``;
``rule_from_data`` parses it, ``rule_errors`` says what is wrong with it
(error keys the rule form's translations hold).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
import re
from typing import Any, Final

from ..settings import Severity
from ..syntax import is_http_url

DEFAULT_GROUP_WAIT: Final = 30
MAX_GROUP_WAIT: Final = 3600
MAX_REMINDER_MINUTES: Final = 7 * 1440
DEFAULT_MAX_REMINDERS: Final = 3
MAX_REMINDERS: Final = 100
MAX_STEPS: Final = 3
MAX_STEP_MINUTES: Final = 7 * 1440
MAX_TEMPLATE: Final = 2000
MAX_RULE_NAME: Final = 100
MAX_URL: Final = 2000
MAX_SECRET: Final = 500
NOTIFY_ID: Final = re.compile(r"^notify\.[a-z0-9_]+$")


class Scope(StrEnum):
    """Which targets a rule is about."""

    ALL = "all"
    TAGS = "tags"
    TARGETS = "targets"


class When(StrEnum):
    """What a rule tells about."""

    DOWN = "down"
    REMINDER = "reminder"
    ACKNOWLEDGED = "acknowledged"
    RECOVERED = "recovered"
    UPDATED = "updated"


DEFAULT_WHEN: Final = (When.DOWN, When.REMINDER, When.ACKNOWLEDGED, When.RECOVERED)


@dataclass(frozen=True, slots=True)
class Step:
    """Where messages go, from ``after_minutes`` into an unacknowledged alert."""

    after_minutes: int = 0
    notify_entities: tuple[str, ...] = ()
    notify_services: tuple[str, ...] = ()
    persistent: bool = False
    relay: bool = False
    webhook_url: str | None = None
    webhook_secret: str | None = None
    alertmanager_urls: tuple[str, ...] = ()

    def channels(self, step_index: int) -> tuple[str, ...]:
        """Return the step's channel keys (``kind:address``)."""
        keys = [f"entity:{e}" for e in self.notify_entities]
        keys += [f"service:{s}" for s in self.notify_services]
        if self.persistent:
            keys.append("persistent:")
        if self.relay:
            keys.append("relay:")
        if self.webhook_url:
            keys.append(f"webhook:{step_index}")
        keys += [f"alertmanager:{url}" for url in self.alertmanager_urls]
        return tuple(keys)


@dataclass(frozen=True, slots=True)
class NotificationRule:
    """What a rule is about, when it tells, and where."""

    id: str
    name: str
    scope: Scope = Scope.ALL
    tags: frozenset[str] = frozenset()
    target_ids: frozenset[str] = frozenset()
    severities: frozenset[Severity] = frozenset()
    when: frozenset[When] = frozenset(DEFAULT_WHEN)
    group_wait: int = DEFAULT_GROUP_WAIT
    reminder_minutes: int = 0
    max_reminders: int = DEFAULT_MAX_REMINDERS
    steps: tuple[Step, ...] = field(default_factory=lambda: (Step(),))
    title_template: str | None = None
    message_template: str | None = None
    site: str | None = None

    def covers(self, target_id: str, tags: Sequence[str], severity: str) -> bool:
        """Return whether a target with these tags and severity is the rule's."""
        if self.severities and severity not in self.severities:
            return False
        if self.scope is Scope.TAGS:
            return bool(self.tags.intersection(tags))
        if self.scope is Scope.TARGETS:
            return target_id in self.target_ids
        return True

    def step_channels(self, step_index: int) -> tuple[str, ...]:
        """Return the channel keys of one step."""
        return self.steps[step_index].channels(step_index)

    def webhook(self, step_index: int) -> tuple[str, str | None] | None:
        """Return (url, secret) of a step's webhook, if it has one."""
        if not 0 <= step_index < len(self.steps):
            return None
        step = self.steps[step_index]
        return (step.webhook_url, step.webhook_secret) if step.webhook_url else None


def _texts(raw: Any) -> tuple[str, ...] | None:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple) or not all(isinstance(x, str) for x in raw):
        return None
    return tuple(sorted({x.strip() for x in raw if x.strip()}))


def _whole(raw: Any, default: int, low: int, high: int) -> int | None:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    if not float(raw).is_integer() or not low <= raw <= high:
        return None
    return int(raw)


def _optional_text(raw: Any, limit: int) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or len(raw) > limit:
        raise ValueError
    return raw.strip() or None


def _step(raw: Any, index: int, found: dict[str, str]) -> Step | None:
    errors: dict[str, str] = {}
    if not isinstance(raw, Mapping):
        found["steps"] = "invalid_steps"
        return None
    after = _whole(raw.get("after_minutes"), 0, 0, MAX_STEP_MINUTES)
    entities = _texts(raw.get("notify_entities"))
    services = _texts(raw.get("notify_services"))
    urls = _texts(raw.get("alertmanager_urls"))
    # The first step is the alert itself; later ones wait (longer each).
    if after is None or (index == 0) != (after == 0):
        errors["steps"] = "invalid_step_delay"
    if entities is None or not all(NOTIFY_ID.match(e) for e in entities):
        errors["notify_entities"] = "invalid_notify_target"
    if services is None or not all(NOTIFY_ID.match(s) for s in services):
        errors["notify_services"] = "invalid_notify_target"
    if urls is None or not all(is_http_url(u) for u in urls):
        errors["alertmanager_urls"] = "invalid_alertmanager_url"
    try:
        webhook_url = _optional_text(raw.get("webhook_url"), MAX_URL)
        secret = _optional_text(raw.get("webhook_secret"), MAX_SECRET)
    except ValueError:
        webhook_url = secret = None
        errors["webhook_url"] = "invalid_webhook_url"
    if webhook_url is not None and not is_http_url(webhook_url):
        errors["webhook_url"] = "invalid_webhook_url"
    flags = [raw.get(k, False) for k in ("persistent", "relay")]
    if not all(isinstance(flag, bool) for flag in flags):
        errors["steps"] = "invalid_steps"
    if errors:
        found.update(errors)
        return None
    step = Step(
        after_minutes=after or 0,
        notify_entities=entities or (),
        notify_services=services or (),
        persistent=bool(flags[0]),
        relay=bool(flags[1]),
        webhook_url=webhook_url,
        webhook_secret=secret,
        alertmanager_urls=urls or (),
    )
    if not step.channels(index):
        found["steps"] = "step_without_channel"
        return None
    return step


def parse_rule(
    rule_id: str, data: Mapping[str, Any]
) -> tuple[NotificationRule | None, dict[str, str]]:
    """Return (the rule, {}) or (None, {field: error_key})."""
    errors: dict[str, str] = {}
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_RULE_NAME:
        errors["name"] = "invalid_rule_name"
    try:
        scope = Scope(data.get("scope", Scope.ALL))
    except ValueError:
        scope, errors["scope"] = Scope.ALL, "invalid_scope"
    tags, target_ids = _texts(data.get("tags")), _texts(data.get("target_ids"))
    if tags is None or (scope is Scope.TAGS and not tags):
        errors["tags"] = "tags_required"
    if target_ids is None or (scope is Scope.TARGETS and not target_ids):
        errors["target_ids"] = "targets_required"
    severities = _texts(data.get("severities"))
    if severities is None or not set(severities) <= set(Severity):
        errors["severities"] = "invalid_severities"
    when = _texts(data.get("when", list(DEFAULT_WHEN)))
    if not when or not set(when) <= set(When):
        errors["when"] = "invalid_when"
    group_wait = _whole(data.get("group_wait"), DEFAULT_GROUP_WAIT, 0, MAX_GROUP_WAIT)
    if group_wait is None:
        errors["group_wait"] = "invalid_group_wait"
    reminder = _whole(data.get("reminder_minutes"), 0, 0, MAX_REMINDER_MINUTES)
    if reminder is None:
        errors["reminder_minutes"] = "invalid_reminder_minutes"
    max_reminders = _whole(
        data.get("max_reminders"), DEFAULT_MAX_REMINDERS, 1, MAX_REMINDERS
    )
    if max_reminders is None:
        errors["max_reminders"] = "invalid_max_reminders"
    texts: dict[str, str | None] = {}
    for key in ("title_template", "message_template", "site"):
        try:
            texts[key] = _optional_text(data.get(key), MAX_TEMPLATE)
        except ValueError:
            errors[key] = f"invalid_{key}"
    raw_steps = data.get("steps")
    steps: list[Step] = []
    if not isinstance(raw_steps, list) or not 1 <= len(raw_steps) <= MAX_STEPS:
        errors["steps"] = "invalid_steps"
    else:
        for index, raw in enumerate(raw_steps):
            if (step := _step(raw, index, errors)) is not None:
                steps.append(step)
        if [s.after_minutes for s in steps] != sorted({s.after_minutes for s in steps}):
            errors.setdefault("steps", "invalid_step_delay")
    if errors:
        return None, errors
    return (
        NotificationRule(
            id=rule_id,
            name=str(name).strip(),
            scope=scope,
            tags=frozenset(t.lower() for t in tags or ()),
            target_ids=frozenset(target_ids or ()),
            severities=frozenset(Severity(s) for s in severities or ()),
            when=frozenset(When(w) for w in when or ()),
            group_wait=group_wait or 0,
            reminder_minutes=reminder or 0,
            max_reminders=max_reminders or DEFAULT_MAX_REMINDERS,
            steps=tuple(steps),
            **texts,
        ),
        {},
    )
