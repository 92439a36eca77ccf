"""Entity targets: conditions on a Home Assistant entity's state.

The engine knows nothing of Home Assistant: the glue pushes each new state
string here and records what ``evaluate`` says.
"""

from __future__ import annotations

from ..fields import finite_number
from ..settings import NUMERIC_CONDITIONS, EntityCondition, EntitySettings

__all__ = ["EntityCondition", "EntitySettings", "condition_failure", "evaluate"]

UNAVAILABLE_STATES = frozenset({"unavailable", "unknown"})


def evaluate(settings: EntitySettings, state: str | None) -> str | None:
    """Return why ``state`` is a failure, or None when it is fine."""
    return condition_failure(
        settings.entity_id, settings.condition, settings.value, state
    )


def condition_failure(
    entity_id: str, condition: EntityCondition, value: str | None, state: str | None
) -> str | None:
    """Return why ``entity_id``'s ``state`` fails ``condition``, or None."""
    if state is None:
        return f"{entity_id} does not exist"
    if state in UNAVAILABLE_STATES:
        return f"{entity_id} is {state}"
    if condition is EntityCondition.EQUALS:
        return f"{entity_id} is {state}" if state == value else None
    if condition is EntityCondition.NOT_EQUALS:
        return f"{entity_id} is {state}, expected {value}" if state != value else None
    if condition in NUMERIC_CONDITIONS:
        number = finite_number(state)
        limit = finite_number(value)
        if number is None or limit is None:
            return f"{entity_id} state {state!r} is not a number"
        if condition is EntityCondition.ABOVE and number > limit:
            return f"{entity_id} is {state}, above {value}"
        if condition is EntityCondition.BELOW and number < limit:
            return f"{entity_id} is {state}, below {value}"
    return None
