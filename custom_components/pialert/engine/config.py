"""Target configuration: the flat mapping stored in a config subentry <-> Target.

Validation lives here, free of Home Assistant, so the config flow, services
and the REST API all apply the same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

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
from .probes import dns, entity, heartbeat, http, ping, tcp

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
    }
)

# Kind-specific keys a target's data may hold (besides COMMON_KEYS).
KIND_KEYS: Mapping[TargetKind, frozenset[str]] = {
    TargetKind.HTTP: frozenset(
        {
            "url",
            "method",
            "accepted_status",
            "keyword",
            "keyword_absent",
            "verify_ssl",
            "cert_expiry_days",
        }
    ),
    TargetKind.TCP: frozenset({"host", "port"}),
    TargetKind.PING: frozenset({"host", "count"}),
    TargetKind.DNS: frozenset({"hostname", "record_type", "expected", "resolver"}),
    TargetKind.HEARTBEAT: frozenset({"period", "grace", "token"}),
    TargetKind.ENTITY: frozenset({"entity_id", "condition", "value", "for_seconds"}),
}

KIND_VALIDATORS: Mapping[TargetKind, Callable[[Mapping[str, Any]], dict[str, str]]] = {
    TargetKind.HTTP: http.validate,
    TargetKind.TCP: tcp.validate,
    TargetKind.PING: ping.validate,
    TargetKind.DNS: dns.validate,
    TargetKind.HEARTBEAT: heartbeat.validate,
    TargetKind.ENTITY: entity.validate,
}

# Pushed kinds are not polled: a missed heartbeat or a bad entity state alerts
# at once unless the user asks for more.
DEFAULT_FAILURE_THRESHOLDS = {
    TargetKind.HEARTBEAT: 1,
    TargetKind.ENTITY: 1,
}


def default_failure_threshold(kind: TargetKind) -> int:
    """Return the default failure threshold of a kind."""
    return DEFAULT_FAILURE_THRESHOLDS.get(kind, DEFAULT_FAILURE_THRESHOLD)


def normalize_tags(value: Any) -> tuple[str, ...]:
    """Return tags as a sorted tuple of unique, trimmed, lower-case words."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(
        sorted({str(tag).strip().lower() for tag in items if str(tag).strip()})
    )


def target_from_data(target_id: str, data: Mapping[str, Any]) -> Target:
    """Build a Target from a subentry's data."""
    kind = TargetKind(data[CONF_KIND])
    return Target(
        id=target_id,
        name=str(data[CONF_NAME]),
        kind=kind,
        settings={k: v for k, v in data.items() if k not in COMMON_KEYS},
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
    )


def _int(data: Mapping[str, Any], key: str, default: int) -> int | None:
    value = data.get(key, default)
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number == int(number) else None


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
    interval = _int(data, CONF_INTERVAL, DEFAULT_INTERVAL)
    if interval is None or not MIN_INTERVAL <= interval <= MAX_INTERVAL:
        errors[CONF_INTERVAL] = "invalid_interval"
    try:
        timeout = float(data.get(CONF_TIMEOUT, DEFAULT_TIMEOUT))
    except (TypeError, ValueError):
        timeout = -1
    if not 0 < timeout <= 300 or (interval is not None and timeout >= interval):
        errors[CONF_TIMEOUT] = "invalid_timeout"
    failure = _int(data, CONF_FAILURE_THRESHOLD, default_failure_threshold(kind))
    if failure is None or not 1 <= failure <= MAX_THRESHOLD:
        errors[CONF_FAILURE_THRESHOLD] = "invalid_threshold"
    success = _int(data, CONF_SUCCESS_THRESHOLD, DEFAULT_SUCCESS_THRESHOLD)
    if success is None or not 1 <= success <= MAX_THRESHOLD:
        errors[CONF_SUCCESS_THRESHOLD] = "invalid_threshold"
    depends_on = data.get(CONF_DEPENDS_ON) or None
    if depends_on is not None:
        if depends_on == target_id or depends_on not in existing:
            errors[CONF_DEPENDS_ON] = "invalid_dependency"
        elif target_id is not None and _depends_on(existing, depends_on, target_id):
            errors[CONF_DEPENDS_ON] = "dependency_cycle"
    errors.update(KIND_VALIDATORS[kind](data))
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
