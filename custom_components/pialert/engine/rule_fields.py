"""The optional alert-rule numbers every kind shares: the failure window, the limit.

Described once here; engine/config.py adds them to the common numbers, from
which the form, the API and the OpenAPI document follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .fields import Field, FieldSpec, FieldType, whole_number
from .models import MAX_THRESHOLD

CONF_TIME_WINDOW_SECONDS: Final = "time_window_seconds"
CONF_MIN_EVENTS: Final = "min_events"
CONF_RESPONSE_TIME_LIMIT_MS: Final = "response_time_limit_ms"

RULE_NUMBERS: Final[tuple[Field, ...]] = (
    Field(
        CONF_MIN_EVENTS,
        FieldSpec(
            FieldType.INTEGER,
            "invalid_min_events",
            minimum=1,
            maximum=MAX_THRESHOLD,
            description="Failures within the time window that put the target "
            "down, besides the consecutive failures; set with "
            "time_window_seconds.",
        ),
    ),
    Field(
        CONF_TIME_WINDOW_SECONDS,
        FieldSpec(
            FieldType.INTEGER,
            "invalid_time_window",
            minimum=10,
            maximum=7 * 86400,
            unit="s",
            description="Seconds in which min_events failures put the target "
            "down; set with min_events.",
        ),
    ),
    Field(
        CONF_RESPONSE_TIME_LIMIT_MS,
        FieldSpec(
            FieldType.INTEGER,
            "invalid_response_time_limit",
            minimum=1,
            maximum=300_000,
            unit="ms",
            description="Polled kinds: a slower answer fails the check.",
        ),
    ),
)
RULE_KEYS: Final = frozenset(f.name for f in RULE_NUMBERS)
POLLED_RULE_KEYS: Final = frozenset({CONF_RESPONSE_TIME_LIMIT_MS})


def rule_numbers(data: Mapping[str, Any]) -> dict[str, int | None]:
    """Return the rule numbers of a target's (valid) data, None when unset."""
    return {f.name: whole_number(data.get(f.name)) for f in RULE_NUMBERS}


def window_errors(data: Mapping[str, Any]) -> dict[str, str]:
    """Require the window's two numbers together."""
    given = [
        data.get(n) not in (None, "")
        for n in (CONF_MIN_EVENTS, CONF_TIME_WINDOW_SECONDS)
    ]
    if given[0] and not given[1]:
        return {CONF_TIME_WINDOW_SECONDS: "window_incomplete"}
    if given[1] and not given[0]:
        return {CONF_MIN_EVENTS: "window_incomplete"}
    return {}
