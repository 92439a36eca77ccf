"""Reading a notification rule body: types from the rule's field table, merges.

Each field's JSON type and bounds come from engine/notify/rule_fields.py (the
table the form and the OpenAPI document use too); what a type cannot say (a
later step waiting longer, a step without a channel, ...) is left to the
engine's ``parse_rule`` and its translated errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ..engine.fields import MAX_LIST_ITEMS, Field, FieldSpec, FieldType, whole_number
from ..engine.notify.rule_fields import RULE_FIELDS, STEP_FIELDS, STEP_KEYS
from ..engine.notify.rules import MAX_STEPS

SECRET_KEY: Final = "webhook_secret"  # noqa: S105 - a field name, not a password
STEPS_WANTED: Final = f"expected a list of 1 to {MAX_STEPS} objects"


def wanted(spec: FieldSpec) -> str:
    """Return what a field takes, in words (the 400 detail's end)."""
    match spec.type:
        case FieldType.INTEGER:
            return f"expected a whole number from {spec.minimum:g} to {spec.maximum:g}"
        case FieldType.BOOLEAN:
            return "expected true or false"
        case FieldType.CHOICE:
            return f"expected one of {', '.join(spec.choices)}"
        case FieldType.LIST if spec.choices:
            least = "at least one of" if spec.minimum else "any of"
            return f"expected a list of {least} {', '.join(spec.choices)}"
        case FieldType.LIST:
            return "expected a list of strings"
        case _:
            return f"expected a string of at most {spec.maximum:g} characters"


def fits(spec: FieldSpec, value: Any) -> bool:
    """Return whether a given (not null) value has the field's type and bounds."""
    match spec.type:
        case FieldType.INTEGER:
            number = whole_number(value) if isinstance(value, int | float) else None
            return number is not None and spec.in_range(number)
        case FieldType.BOOLEAN:
            return isinstance(value, bool)
        case FieldType.CHOICE:
            return value in spec.choices
        case FieldType.LIST:
            return (
                isinstance(value, list)
                and (spec.minimum or 0) <= len(value) <= MAX_LIST_ITEMS
                and all(isinstance(item, str) for item in value)
                and (not spec.choices or set(value) <= set(spec.choices))
            )
        case _:
            return isinstance(value, str) and (
                spec.maximum is None or len(value) <= spec.maximum
            )


def _field_errors(
    fields: tuple[Field, ...], body: Mapping[str, Any], prefix: str = ""
) -> list[str]:
    return [
        f"Invalid field '{prefix}{f.name}': {wanted(f.spec)}"
        for f in fields
        if body.get(f.name) is not None and not fits(f.spec, body[f.name])
    ]


def body_type_errors(body: Mapping[str, Any], *, creating: bool) -> list[str]:
    """Return a sentence per field of the wrong type (steps included)."""
    problems = _field_errors(RULE_FIELDS, body)
    if "steps" not in body and not creating:
        return problems
    steps = body.get("steps")
    if (
        not isinstance(steps, list)
        or not 1 <= len(steps) <= MAX_STEPS
        or not all(isinstance(step, dict) for step in steps)
    ):
        return [*problems, f"Invalid field 'steps': {STEPS_WANTED}"]
    for index, step in enumerate(steps):
        if unknown := sorted(set(step) - STEP_KEYS):
            problems.append(f"Unknown field in steps[{index}]: {', '.join(unknown)}")
        problems += _field_errors(STEP_FIELDS, step, f"steps[{index}].")
    return problems


def _without_nulls(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def patched(saved: Mapping[str, Any], body: Mapping[str, Any]) -> dict[str, Any]:
    """Return saved rule data with the body's fields applied (null unsets one).

    A given ``steps`` replaces the saved ones; a step that leaves out
    ``webhook_secret`` keeps the saved step's secret for the same URL (the
    API never shows it, so a client cannot send it back).
    """
    data = _without_nulls({**saved, **body})
    if "steps" not in body:
        return data
    old_steps = list(saved.get("steps") or [])
    steps = []
    for index, step in enumerate(body["steps"]):
        new = dict(step)
        old = old_steps[index] if index < len(old_steps) else {}
        if (
            SECRET_KEY not in new
            and old.get(SECRET_KEY)
            and new.get("webhook_url") == old.get("webhook_url")
        ):
            new[SECRET_KEY] = old[SECRET_KEY]
        steps.append(_without_nulls(new))
    data["steps"] = steps
    return data
