"""Target configuration: the flat mapping stored in a config subentry <-> Target.

Validation lives here, free of Home Assistant, so the config flow, services
and the REST API all apply the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, fields as dataclass_fields
from typing import Any

from .any_settings import AnySettings
from .fields import Field, FieldSpec, FieldType, fields_of, finite_number, parse_fields
from .group_settings import EntityGroupSettings, IntegrationHealthSettings
from .models import (
    DEFAULT_FAILURE_THRESHOLD,
    DEFAULT_INTERVAL,
    DEFAULT_SUCCESS_THRESHOLD,
    DEFAULT_TIMEOUT,
    MAX_INTERVAL,
    MAX_THRESHOLD,
    MIN_INTERVAL,
    Target,
    TargetKind,
)
from .names import name_problem, same_name, tags_problem
from .rule_fields import RULE_KEYS, RULE_NUMBERS, rule_numbers, window_errors
from .settings import (
    DnsSettings,
    EntitySettings,
    HeartbeatSettings,
    HttpSettings,
    PingSettings,
    TcpSettings,
)

CONF_KIND = "kind"
CONF_NAME = "name"
CONF_INTERVAL = "interval"
CONF_TIMEOUT = "timeout"
CONF_FAILURE_THRESHOLD = "failure_threshold"
CONF_SUCCESS_THRESHOLD = "success_threshold"
CONF_ENABLED = "enabled"
CONF_DEPENDS_ON = "depends_on"
CONF_TAGS = "tags"

COMMON_KEYS = frozenset(
    {
        CONF_KIND,
        CONF_NAME,
        CONF_INTERVAL,
        CONF_TIMEOUT,
        CONF_FAILURE_THRESHOLD,
        CONF_SUCCESS_THRESHOLD,
        CONF_ENABLED,
        CONF_DEPENDS_ON,
        CONF_TAGS,
        *RULE_KEYS,
    }
)
MAX_TIMEOUT = 300

SETTINGS_TYPES: Mapping[TargetKind, type[AnySettings]] = {
    TargetKind.HTTP: HttpSettings,
    TargetKind.TCP: TcpSettings,
    TargetKind.PING: PingSettings,
    TargetKind.DNS: DnsSettings,
    TargetKind.HEARTBEAT: HeartbeatSettings,
    TargetKind.ENTITY: EntitySettings,
    TargetKind.ENTITY_GROUP: EntityGroupSettings,
    TargetKind.INTEGRATION_HEALTH: IntegrationHealthSettings,
}


def kind_fields(kind: TargetKind) -> tuple[Field, ...]:
    """Return the fields of ``kind``'s settings, in form order."""
    return fields_of(SETTINGS_TYPES[kind])


# Kind-specific keys a target's data may hold (besides COMMON_KEYS).
KIND_KEYS: Mapping[TargetKind, frozenset[str]] = {
    kind: frozenset(f.name for f in kind_fields(kind)) for kind in TargetKind
}

_THRESHOLD = FieldSpec(
    FieldType.INTEGER, "invalid_threshold", minimum=1, maximum=MAX_THRESHOLD
)
# The numbers every kind has; interval and timeout only for polled kinds.
# The timeout's lower bound is the form's step: any positive timeout works.
COMMON_NUMBERS: tuple[Field, ...] = (
    Field(
        CONF_INTERVAL,
        FieldSpec(
            FieldType.INTEGER,
            "invalid_interval",
            default=DEFAULT_INTERVAL,
            minimum=MIN_INTERVAL,
            maximum=MAX_INTERVAL,
            unit="s",
        ),
    ),
    Field(
        CONF_TIMEOUT,
        FieldSpec(
            FieldType.NUMBER,
            "invalid_timeout",
            default=DEFAULT_TIMEOUT,
            minimum=0.5,
            maximum=MAX_TIMEOUT,
            step=0.5,
            unit="s",
            description="Seconds; shorter than the interval.",
        ),
    ),
    Field(CONF_FAILURE_THRESHOLD, _THRESHOLD),
    Field(CONF_SUCCESS_THRESHOLD, _THRESHOLD),
    *RULE_NUMBERS,
)

# Pushed kinds are not polled: a missed heartbeat or a bad entity state alerts
# at once unless the user asks for more.
DEFAULT_FAILURE_THRESHOLDS = {
    TargetKind.HEARTBEAT: 1,
    TargetKind.ENTITY: 1,
    TargetKind.ENTITY_GROUP: 1,
    TargetKind.INTEGRATION_HEALTH: 1,
}


def default_failure_threshold(kind: TargetKind) -> int:
    """Return the default failure threshold of a kind."""
    return DEFAULT_FAILURE_THRESHOLDS.get(kind, DEFAULT_FAILURE_THRESHOLD)


def common_default(field_name: str, kind: TargetKind) -> Any:
    """Return a common number's default for ``kind``."""
    if field_name == CONF_FAILURE_THRESHOLD:
        return default_failure_threshold(kind)
    if field_name == CONF_SUCCESS_THRESHOLD:
        return DEFAULT_SUCCESS_THRESHOLD
    return next(f.spec.default for f in COMMON_NUMBERS if f.name == field_name)


def normalize_tags(value: Any) -> tuple[str, ...]:
    """Return tags as a sorted tuple of unique, trimmed, lower-case words."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(
        sorted({str(tag).strip().lower() for tag in items if str(tag).strip()})
    )


def target_from_data(target_id: str, data: Mapping[str, Any]) -> Target:
    """Build a Target, its settings parsed, from a subentry's (valid) data."""
    kind = TargetKind(data[CONF_KIND])
    saved = {k: v for k, v in data.items() if k not in COMMON_KEYS}
    return Target(
        id=target_id,
        name=str(data[CONF_NAME]),
        kind=kind,
        settings=SETTINGS_TYPES[kind].from_mapping(saved),
        saved_settings=saved,
        interval=int(data.get(CONF_INTERVAL, DEFAULT_INTERVAL)),
        timeout=float(data.get(CONF_TIMEOUT, DEFAULT_TIMEOUT)),
        failure_threshold=int(
            data.get(CONF_FAILURE_THRESHOLD, default_failure_threshold(kind))
        ),
        success_threshold=int(
            data.get(CONF_SUCCESS_THRESHOLD, DEFAULT_SUCCESS_THRESHOLD)
        ),
        enabled=bool(data.get(CONF_ENABLED, True)),
        depends_on=data.get(CONF_DEPENDS_ON) or None,
        tags=normalize_tags(data.get(CONF_TAGS)),
        **rule_numbers(data),
    )


def kind_errors(kind: TargetKind, data: Mapping[str, Any]) -> dict[str, str]:
    """Return {field: error_key} for the kind's settings in ``data``."""
    settings_type = SETTINGS_TYPES[kind]
    values, errors = parse_fields(settings_type, data)
    # Rules between fields see the defaults of fields not given (an expected
    # answer is judged against the default record type), never a bad value.
    defaults = {
        f.name: f.default
        for f in dataclass_fields(settings_type)
        if f.default is not MISSING and f.name not in errors
    }
    return settings_type.cross_errors(defaults | values) | errors


def _common_errors(kind: TargetKind, data: Mapping[str, Any]) -> dict[str, str]:
    """Return {field: error_key} for the common numbers in ``data``."""
    errors: dict[str, str] = {}
    for number in COMMON_NUMBERS:
        if number.name == CONF_TIMEOUT:
            continue  # any positive timeout works (the form steps by 0.5)
        value = data.get(number.name, common_default(number.name, kind))
        if value is None and number.name in RULE_KEYS:
            continue  # the rules are optional
        try:
            number.spec.parse(value)
        except ValueError:
            errors[number.name] = number.error
    if not errors.keys() & RULE_KEYS:  # a bad number is error enough
        errors.update(window_errors(data))
    timeout = finite_number(data.get(CONF_TIMEOUT, DEFAULT_TIMEOUT))
    interval = finite_number(data.get(CONF_INTERVAL, DEFAULT_INTERVAL))
    if (
        timeout is None
        or not 0 < timeout <= MAX_TIMEOUT
        or (interval is not None and timeout >= interval)
    ):
        errors[CONF_TIMEOUT] = "invalid_timeout"
    return errors


def validate_target(
    data: Mapping[str, Any],
    *,
    target_id: str | None,
    existing: Mapping[str, Target],
) -> dict[str, str]:
    """Return {field: error_key} for a target's data; empty when valid.

    ``existing`` holds the hub's other targets by id; ``target_id`` is the
    target being edited (None when creating one).
    """
    errors: dict[str, str] = {}
    try:
        kind = TargetKind(str(data.get(CONF_KIND)))
    except ValueError:
        return {CONF_KIND: "invalid_kind"}
    name = str(data.get(CONF_NAME, "")).strip()
    if problem := name_problem(name):
        errors[CONF_NAME] = problem
    elif any(
        same_name(t.name, name) for tid, t in existing.items() if tid != target_id
    ):
        errors[CONF_NAME] = "name_exists"
    if problem := tags_problem(data.get(CONF_TAGS)):
        errors[CONF_TAGS] = problem
    errors.update(_common_errors(kind, data))
    depends_on = data.get(CONF_DEPENDS_ON) or None
    if depends_on is not None:
        if depends_on == target_id or depends_on not in existing:
            errors[CONF_DEPENDS_ON] = "invalid_dependency"
        elif target_id is not None and _depends_on(existing, depends_on, target_id):
            errors[CONF_DEPENDS_ON] = "dependency_cycle"
    errors.update(kind_errors(kind, data))
    return errors


def _depends_on(targets: Mapping[str, Target], start: str, wanted: str) -> bool:
    """Return whether following depends_on from ``start`` reaches ``wanted``."""
    seen: set[str] = set()
    current: str | None = start
    while current is not None and current not in seen:
        if current == wanted:
            return True
        seen.add(current)
        parent = targets.get(current)
        current = parent.depends_on if parent else None
    return False
