"""A notification rule's fields, described once: type, bounds, default, error key.

The rule form (notify_rule_flow.py) takes its boxes' bounds, choices and
error keys from here, the API its accepted fields, and the OpenAPI document
its rule schemas; ``parse_rule`` (rules.py) checks saved data against the
same bounds. ``rule_data`` writes a parsed rule back as the subentry keeps it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ..fields import Field, FieldSpec, FieldType
from ..settings import Severity
from .rules import (
    DEFAULT_GROUP_WAIT,
    DEFAULT_MAX_REMINDERS,
    DEFAULT_WHEN,
    MAX_GROUP_WAIT,
    MAX_REMINDER_MINUTES,
    MAX_REMINDERS,
    MAX_RULE_NAME,
    MAX_SECRET,
    MAX_STEP_MINUTES,
    MAX_TEMPLATE,
    MAX_URL,
    NOTIFY_ID,
    NotificationRule,
    Scope,
    Step,
    When,
)

# ``maximum`` of a text field is its length, ``minimum`` of a list its fewest
# items. ``item`` of a list of notify entity or service ids:
NOTIFY_ITEM: Final = "notify"
NOTIFY_PATTERN: Final = NOTIFY_ID.pattern

RULE_FIELDS: Final[tuple[Field, ...]] = (
    Field(
        "name",
        FieldSpec(
            FieldType.TEXT, "invalid_rule_name", required=True, maximum=MAX_RULE_NAME
        ),
    ),
    Field(
        "scope",
        FieldSpec(
            FieldType.CHOICE,
            "invalid_scope",
            default=Scope.ALL.value,
            choices=tuple(Scope),
            description="all targets, those with one of the tags, or target_ids.",
        ),
    ),
    Field(
        "tags",
        FieldSpec(
            FieldType.LIST,
            "tags_required",
            item="tag",
            description="Scope tags: targets with any of these tags.",
        ),
    ),
    Field(
        "target_ids",
        FieldSpec(
            FieldType.LIST,
            "targets_required",
            item="target",
            description="Scope targets: these targets' ids.",
        ),
    ),
    Field(
        "severities",
        FieldSpec(
            FieldType.LIST,
            "invalid_severities",
            choices=tuple(Severity),
            description="Only targets of these severities; empty means every one.",
        ),
    ),
    Field(
        "when",
        FieldSpec(
            FieldType.LIST,
            "invalid_when",
            default=tuple(w.value for w in DEFAULT_WHEN),
            minimum=1,
            choices=tuple(When),
            description="What the rule tells about (at least one).",
        ),
    ),
    Field(
        "group_wait",
        FieldSpec(
            FieldType.INTEGER,
            "invalid_group_wait",
            default=DEFAULT_GROUP_WAIT,
            minimum=0,
            maximum=MAX_GROUP_WAIT,
            unit="s",
            description="Targets going down within this many seconds share one "
            "message; 0 sends at once.",
        ),
    ),
    Field(
        "reminder_minutes",
        FieldSpec(
            FieldType.INTEGER,
            "invalid_reminder_minutes",
            default=0,
            minimum=0,
            maximum=MAX_REMINDER_MINUTES,
            unit="min",
            description="Minutes between reminders while down and "
            "unacknowledged; 0 sends none.",
        ),
    ),
    Field(
        "max_reminders",
        FieldSpec(
            FieldType.INTEGER,
            "invalid_max_reminders",
            default=DEFAULT_MAX_REMINDERS,
            minimum=1,
            maximum=MAX_REMINDERS,
        ),
    ),
    Field(
        "title_template",
        FieldSpec(
            FieldType.TEXT,
            "invalid_title_template",
            maximum=MAX_TEMPLATE,
            description="Home Assistant template replacing the title.",
        ),
    ),
    Field(
        "message_template",
        FieldSpec(
            FieldType.TEXT,
            "invalid_message_template",
            maximum=MAX_TEMPLATE,
            description="Home Assistant template replacing the message (the "
            "default one is in `message`).",
        ),
    ),
    Field(
        "site",
        FieldSpec(
            FieldType.TEXT,
            "invalid_site",
            maximum=MAX_TEMPLATE,
            description="The site label of alerts sent to Alertmanager.",
        ),
    ),
)

STEP_FIELDS: Final[tuple[Field, ...]] = (
    Field(
        "after_minutes",
        FieldSpec(
            FieldType.INTEGER,
            "invalid_step_delay",
            default=0,
            minimum=0,
            maximum=MAX_STEP_MINUTES,
            unit="min",
            description="0 for the first step; each later step waits longer "
            "(1 or more) for an unacknowledged alert.",
        ),
    ),
    Field(
        "notify_entities",
        FieldSpec(FieldType.LIST, "invalid_notify_target", item=NOTIFY_ITEM),
    ),
    Field(
        "notify_services",
        FieldSpec(
            FieldType.LIST,
            "invalid_notify_target",
            item=NOTIFY_ITEM,
            description="notify.mobile_app_* services get Acknowledge and "
            "Silence 1 h buttons.",
        ),
    ),
    Field("persistent", FieldSpec(FieldType.BOOLEAN, "invalid_steps", default=False)),
    Field("relay", FieldSpec(FieldType.BOOLEAN, "invalid_steps", default=False)),
    Field(
        "webhook_url",
        FieldSpec(FieldType.URL, "invalid_webhook_url", maximum=MAX_URL),
    ),
    Field(
        "webhook_secret",
        FieldSpec(
            FieldType.TEXT,
            "invalid_webhook_url",
            maximum=MAX_SECRET,
            description="Signs each body (HMAC-SHA256). Never shown back.",
        ),
    ),
    Field(
        "alertmanager_urls",
        FieldSpec(FieldType.LIST, "invalid_alertmanager_url", item="url"),
    ),
)

RULE_KEYS: Final = frozenset(f.name for f in RULE_FIELDS) | {"steps"}
STEP_KEYS: Final = frozenset(f.name for f in STEP_FIELDS)
RULE_SPECS: Final[Mapping[str, FieldSpec]] = {f.name: f.spec for f in RULE_FIELDS}
STEP_SPECS: Final[Mapping[str, FieldSpec]] = {f.name: f.spec for f in STEP_FIELDS}


def _step_data(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = {
        "after_minutes": step.after_minutes,
        "persistent": step.persistent,
        "relay": step.relay,
    }
    for key in ("notify_entities", "notify_services", "alertmanager_urls"):
        if values := getattr(step, key):
            data[key] = list(values)
    for key in ("webhook_url", "webhook_secret"):
        if (text := getattr(step, key)) is not None:
            data[key] = text
    return data


def rule_data(rule: NotificationRule) -> dict[str, Any]:
    """Return a parsed rule as its subentry keeps it (what the form saves)."""
    data: dict[str, Any] = {
        "name": rule.name,
        "scope": rule.scope.value,
        "tags": sorted(rule.tags),
        "target_ids": sorted(rule.target_ids),
        "severities": sorted(rule.severities),
        "when": [w.value for w in When if w in rule.when],
        "group_wait": rule.group_wait,
        "reminder_minutes": rule.reminder_minutes,
        "max_reminders": rule.max_reminders,
        "steps": [_step_data(step) for step in rule.steps],
    }
    for key in ("title_template", "message_template", "site"):
        if (text := getattr(rule, key)) is not None:
            data[key] = text
    return data
