"""Entity targets: conditions on a Home Assistant entity's state.

The engine knows nothing of Home Assistant: the glue pushes each new state
string here and records what ``evaluate`` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
import math
import re
from typing import Any

UNAVAILABLE_STATES = frozenset({"unavailable", "unknown"})
ENTITY_ID = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")
MAX_FOR_SECONDS = 7 * 86400


class EntityCondition(StrEnum):
    """When an entity target fails."""

    UNAVAILABLE = "unavailable"
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    ABOVE = "above"
    BELOW = "below"


NUMERIC_CONDITIONS = frozenset({EntityCondition.ABOVE, EntityCondition.BELOW})


@dataclass(frozen=True, slots=True)
class EntitySettings:
    """Which entity to watch and what counts as a failure."""

    entity_id: str
    condition: EntityCondition = EntityCondition.UNAVAILABLE
    value: str | None = None
    for_seconds: int = 0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> EntitySettings:
        """Build from a target's settings."""
        value = data.get("value")
        return cls(
            entity_id=str(data["entity_id"]),
            condition=EntityCondition(
                data.get("condition", EntityCondition.UNAVAILABLE)
            ),
            value=None if value in (None, "") else str(value),
            for_seconds=int(data.get("for_seconds", 0) or 0),
        )


def _number(text: str | None) -> float | None:
    try:
        number = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def validate(data: Mapping[str, Any]) -> dict[str, str]:
    """Return {field: error_key} for bad entity settings."""
    errors: dict[str, str] = {}
    if not ENTITY_ID.fullmatch(str(data.get("entity_id", ""))):
        errors["entity_id"] = "invalid_entity_id"
    try:
        condition = EntityCondition(data.get("condition", EntityCondition.UNAVAILABLE))
    except ValueError:
        errors["condition"] = "invalid_condition"
        return errors
    value = data.get("value")
    if (
        condition in NUMERIC_CONDITIONS
        and _number(None if value is None else str(value)) is None
    ):
        errors["value"] = "value_not_numeric"
    elif condition in (
        EntityCondition.EQUALS,
        EntityCondition.NOT_EQUALS,
    ) and value in (
        None,
        "",
    ):
        errors["value"] = "value_required"
    try:
        raw = data.get("for_seconds", 0) or 0
        for_seconds = int(float(raw)) if float(raw).is_integer() else -1
    except (TypeError, ValueError):
        for_seconds = -1
    if not 0 <= for_seconds <= MAX_FOR_SECONDS:
        errors["for_seconds"] = "invalid_duration"
    return errors


def evaluate(settings: EntitySettings, state: str | None) -> str | None:
    """Return why ``state`` is a failure, or None when it is fine."""
    entity_id = settings.entity_id
    if state is None:
        return f"{entity_id} does not exist"
    if state in UNAVAILABLE_STATES:
        return f"{entity_id} is {state}"
    condition = settings.condition
    if condition is EntityCondition.EQUALS:
        return f"{entity_id} is {state}" if state == settings.value else None
    if condition is EntityCondition.NOT_EQUALS:
        return (
            f"{entity_id} is {state}, expected {settings.value}"
            if state != settings.value
            else None
        )
    if condition in NUMERIC_CONDITIONS:
        number = _number(state)
        limit = _number(settings.value)
        if number is None or limit is None:
            return f"{entity_id} state {state!r} is not a number"
        if condition is EntityCondition.ABOVE and number > limit:
            return f"{entity_id} is {state}, above {settings.value}"
        if condition is EntityCondition.BELOW and number < limit:
            return f"{entity_id} is {state}, below {settings.value}"
    return None
