"""The prose and body schemas of the notification-rule operations.

The body schemas come from the rule's field table (engine/notify/rule_fields.py),
the one the rule form and the API's checks read.
"""

from __future__ import annotations

from typing import Final

from ..engine.fields import MAX_LIST_ITEMS, Field, FieldType
from ..engine.notify.rule_fields import (
    NOTIFY_ITEM,
    NOTIFY_PATTERN,
    RULE_FIELDS,
    STEP_FIELDS,
)
from ..engine.notify.rules import MAX_STEPS
from .base import API_PREFIX
from .notification_rules import (
    NotificationRuleBody,
    NotificationRuleListBody,
    RuleTestBody,
)
from .openapi_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Json,
    error_refs,
    json_answer,
    operation,
)
from .openapi_targets import HTTP_URL_PATTERN, NAME_PATTERN, TAG_PATTERN
from .openapi_workflow import inline_body
from .shapes import DeletedBody

# Also refused, as no schema can say it (the rule form's own checks).
RULE_REFUSALS: Final = (
    "Also refused, as no schema can say it: scope tags without a tag, scope "
    "targets without a target, target_ids naming no target of the hub, a step "
    "without a channel (notify entity or service, persistent, relay, webhook "
    "or Alertmanager), a first step with after_minutes above 0 or a later "
    "step not waiting longer than the one before it, and unknown fields."
)
_ITEM_PATTERNS: Final = {
    NOTIFY_ITEM: NOTIFY_PATTERN,
    "tag": TAG_PATTERN,
    "url": HTTP_URL_PATTERN,
}
_TYPES: Final = {
    FieldType.INTEGER: "integer",
    FieldType.BOOLEAN: "boolean",
    FieldType.LIST: "array",
}


def field_schema(described: Field) -> Json:
    """Return a rule field's schema from its description (null unsets it)."""
    spec = described.spec
    kind = _TYPES.get(spec.type, "string")
    schema: Json = {"type": kind if spec.required else [kind, "null"]}
    if spec.type is FieldType.INTEGER:
        schema |= {"minimum": spec.minimum, "maximum": spec.maximum}
    elif spec.type is FieldType.LIST:
        item: Json = {"type": "string", "minLength": 1}
        if spec.choices:
            item["enum"] = list(spec.choices)
        if pattern := _ITEM_PATTERNS.get(spec.item or ""):
            item["pattern"] = pattern
        schema |= {"items": item, "maxItems": MAX_LIST_ITEMS}
        if spec.minimum:
            schema["minItems"] = int(spec.minimum)
    elif spec.type is FieldType.CHOICE:
        schema["enum"] = [*spec.choices, None]
    elif spec.maximum is not None:
        schema["maxLength"] = int(spec.maximum)
    if spec.type is FieldType.URL:
        schema["pattern"] = HTTP_URL_PATTERN
    if spec.required:
        schema |= {"minLength": 1, "pattern": NAME_PATTERN}
    if spec.default is not None:
        default = spec.default
        schema["default"] = list(default) if isinstance(default, tuple) else default
    if spec.unit:
        schema["description"] = f"In {spec.unit}. {spec.description}".strip()
    elif spec.description:
        schema["description"] = spec.description
    return schema


def _object(fields: tuple[Field, ...]) -> Json:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.name: field_schema(f) for f in fields},
    }


STEP_SCHEMA: Final[Json] = {
    **_object(STEP_FIELDS),
    "description": "Where one step sends. Omit webhook_secret in a change to "
    "keep the saved one for the same webhook_url; null removes it.",
}
STEPS_SCHEMA: Final[Json] = {
    "type": "array",
    "minItems": 1,
    "maxItems": MAX_STEPS,
    "items": STEP_SCHEMA,
    "description": "The first step is the alert itself (after_minutes 0); later "
    "steps escalate after their after_minutes while unacknowledged.",
}


def rule_create_schema() -> Json:
    """Return the body of a rule's creation."""
    schema = _object(RULE_FIELDS)
    schema["properties"]["steps"] = STEPS_SCHEMA
    schema["required"] = ["name", "steps"]
    schema["description"] = RULE_REFUSALS
    return schema


def rule_update_schema() -> Json:
    """Return the body of a rule's change: any fields; steps replaces all."""
    schema = _object(RULE_FIELDS)
    schema["properties"]["steps"] = STEPS_SCHEMA
    schema["properties"]["name"] = {
        **schema["properties"]["name"],
        "type": "string",
    }
    schema["minProperties"] = 1
    schema["description"] = RULE_REFUSALS
    return schema


_RULE_ID: Final = [
    {
        "name": "rule_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }
]


def notification_rule_operations() -> dict[str, Json]:
    """Return {path: {method: operation}} of the notification rules."""
    rule = json_answer(NotificationRuleBody, "The rule.")
    return {
        f"{API_PREFIX}/notification-rules": {
            "get": operation(
                "listNotificationRules",
                "List notification rules",
                "notifications",
                {
                    "200": json_answer(NotificationRuleListBody, "Rules by name."),
                    **error_refs(*READ_ERRORS),
                },
                description="The same rules as the hub's Notification rule "
                "entries in the UI. Webhook secrets are never shown; passwords in "
                "URLs only to write keys.",
            ),
            "post": operation(
                "createNotificationRule",
                "Create a notification rule",
                "notifications",
                {
                    "201": json_answer(NotificationRuleBody, "The new rule."),
                    **error_refs(*WRITE_ERRORS),
                },
                body=inline_body(rule_create_schema()),
                description="Saved at once as a Notification rule entry of the "
                "hub (the UI lists it).",
            ),
        },
        f"{API_PREFIX}/notification-rules/{{rule_id}}": {
            "get": operation(
                "getNotificationRule",
                "Get a notification rule",
                "notifications",
                {"200": rule, **error_refs(*READ_ERRORS, "404")},
                parameters=_RULE_ID,
            ),
            "patch": operation(
                "updateNotificationRule",
                "Change a notification rule",
                "notifications",
                {"200": rule, **error_refs(*WRITE_ERRORS, "404")},
                parameters=_RULE_ID,
                body=inline_body(rule_update_schema()),
                description="Fields left out stay; null resets one to its "
                "default; steps, when given, replaces every step.",
            ),
            "delete": operation(
                "deleteNotificationRule",
                "Delete a notification rule",
                "notifications",
                {
                    "200": json_answer(DeletedBody, "The deleted rule's id."),
                    **error_refs(*WRITE_ERRORS, "404"),
                },
                parameters=_RULE_ID,
            ),
        },
        f"{API_PREFIX}/notification-rules/{{rule_id}}/test": {
            "post": operation(
                "testNotificationRule",
                "Send a test message",
                "notifications",
                {
                    "200": json_answer(RuleTestBody, "The outcome per channel."),
                    **error_refs(*WRITE_ERRORS, "404", "409"),
                },
                parameters=_RULE_ID,
                description="Sends a test message to every channel of every "
                "step of the rule, as the UI's Send test does.",
            ),
        },
    }
