"""Targets as the API shows them: state while changes apply, masking, order."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Final

from ..const import HEARTBEAT_URL
from ..engine.history import UPTIME_WINDOWS
from ..engine.models import Status, Target
from ..engine.settings import HeartbeatSettings
from ..engine.state import TargetState, TargetView
from ..url_masking import mask_password
from .keys import ApiKey, Scope
from .request import iso
from .shapes import TargetBody
from .target_bodies import TOKEN

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator


# ``?sort=`` values; a leading ``-`` reverses the order.
SORT_FIELDS: Final = ("name", "status", "kind", "last_check")
SORTS: Final = tuple(f"{prefix}{f}" for f in SORT_FIELDS for prefix in ("", "-"))
# ``sort=status`` puts what needs attention first.
STATUS_ORDER: Final = {
    Status.DOWN: 0,
    Status.UNREACHABLE: 1,
    Status.PENDING: 2,
    Status.UNKNOWN: 3,
    Status.UP: 4,
    Status.PAUSED: 5,
}


def effective_view(
    coordinator: PiAlertCoordinator,
    target: Target,
    published: TargetView | None,
    now: datetime,
) -> TargetView:
    """Return a target's view, also while a change is still being applied.

    The published snapshot is used when it shows this very configuration.
    Right after the API changed a subentry, the update listener may not have
    applied it yet: the view is then built from the engine's state (kept when
    what is checked stays the same, as the engine will keep it).
    """
    if published is not None and published.target == target:
        return published
    monitor = coordinator.monitor
    known = monitor.targets.get(target.id)
    state = monitor.states.get(target.id)
    if known is None or state is None or known.check_config() != target.check_config():
        state = TargetState()
    if not target.enabled:
        status = Status.PAUSED
    elif known == target:
        status = monitor.status(target.id)
    else:
        status = state.raw_status()
    silenced = monitor.is_silenced(target, now)
    return state.view(
        target,
        status=status,
        silenced=silenced,
        in_hub_alert=status is Status.DOWN
        and state.acknowledgement is None
        and not silenced,
    )


def target_json(
    coordinator: PiAlertCoordinator, view: TargetView, now: datetime, *, write: bool
) -> TargetBody:
    """Return a target and its state as the API shows it.

    A heartbeat's token is its secret: it is never shown; keys with write
    scope see the ping URL (which contains it). Read keys see an http
    target's URL without its password.
    """
    target = view.target
    settings = {k: v for k, v in target.saved_settings.items() if k != TOKEN}
    if write and isinstance(target.settings, HeartbeatSettings):
        settings["ping_url"] = HEARTBEAT_URL.format(token=target.settings.token)
    if not write and isinstance(url := settings.get("url"), str):
        settings["url"] = mask_password(url)
    ack = view.acknowledgement
    history = coordinator.monitor.history
    return {
        "id": target.id,
        "name": target.name,
        "kind": target.kind.value,
        "enabled": target.enabled,
        "interval": target.interval,
        "timeout": target.timeout,
        "failure_threshold": target.failure_threshold,
        "success_threshold": target.success_threshold,
        "min_events": target.min_events,
        "time_window_seconds": target.time_window_seconds,
        "response_time_limit_ms": target.response_time_limit_ms,
        "depends_on": target.depends_on,
        "tags": list(target.tags),
        "settings": settings,
        "status": view.status.value,
        "consecutive_failures": view.consecutive_failures,
        "last_check": iso(view.last_check),
        "last_success": iso(view.last_success),
        "last_error": view.last_error,
        "alert_rule": view.alert_rule,
        "response_time_ms": (
            round(view.response_time_ms, 3)
            if view.response_time_ms is not None
            else None
        ),
        "cert_days_remaining": view.cert_days_remaining,
        "uptime": {
            window: history.uptime(target.id, now, window) for window in UPTIME_WINDOWS
        },
        "acknowledged": (
            {"by": ack.by, "at": ack.at.isoformat(), "note": ack.note}
            if ack is not None
            else None
        ),
        "silenced": view.silenced,
        "alerting": view.in_hub_alert,
    }


def describe_target(
    coordinator: PiAlertCoordinator, target: Target, key: ApiKey
) -> TargetBody:
    """Return one target's JSON from its configuration and current state."""
    now = coordinator.now()
    published = coordinator.data.targets.get(target.id)
    view = effective_view(coordinator, target, published, now)
    return target_json(coordinator, view, now, write=key.scope is Scope.WRITE)


def sort_views(views: list[TargetView], sort: str) -> list[TargetView]:
    """Order views by ``sort``; ties (and never-checked targets) go by name."""
    descending = sort.startswith("-")
    field_name = sort.removeprefix("-")
    ordered = sorted(views, key=lambda v: (v.target.name.casefold(), v.target.id))
    if field_name == "name":
        return ordered[::-1] if descending else ordered
    if field_name == "last_check":
        checked = [v for v in ordered if v.last_check is not None]
        checked.sort(key=lambda v: v.last_check or datetime.min, reverse=descending)
        return checked + [v for v in ordered if v.last_check is None]
    # sorted() is stable, also reversed: equal keys stay in name order.
    if field_name == "status":
        return sorted(ordered, key=lambda v: STATUS_ORDER[v.status], reverse=descending)
    return sorted(ordered, key=lambda v: v.target.kind.value, reverse=descending)
