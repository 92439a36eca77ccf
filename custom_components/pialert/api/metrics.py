"""``/metrics``: the alert state in Prometheus' text exposition format 0.0.4.

Written by hand from the snapshot: no client library at run time, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Final

from aiohttp import web

from ..engine.history import UPTIME_WINDOWS, History
from ..engine.models import Status
from ..engine.state import Snapshot, TargetView
from .base import API_PREFIX, PiAlertView, api_endpoint
from .keys import ApiKey, Scope
from .request import check_query
from .target_json import effective_view

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator

CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"

type Sample = tuple[Mapping[str, str], float]


def escape_label(value: str) -> str:
    """Escape a label value: backslash, double quote and line feed."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def format_value(value: float) -> str:
    """Return a sample value as Prometheus reads it."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def family(name: str, help_text: str, samples: Iterable[Sample]) -> list[str]:
    """Return the lines of one gauge family."""
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    for labels, value in samples:
        if labels:
            pairs = ",".join(f'{k}="{escape_label(v)}"' for k, v in labels.items())
            lines.append(f"{name}{{{pairs}}} {format_value(value)}")
        else:
            lines.append(f"{name} {format_value(value)}")
    return lines


def render(
    snapshot: Snapshot, views: list[TargetView], history: History, now: datetime
) -> str:
    """Return the exposition text for ``snapshot``."""

    def labels(view: TargetView, **extra: str) -> dict[str, str]:
        target = view.target
        return {
            "target": target.name,
            "kind": target.kind.value,
            "id": target.id,
            **extra,
        }

    lines: list[str] = []
    lines += family(
        "pialert_alert",
        "1 when a target is down and neither acknowledged nor silenced, else 0.",
        [({}, int(snapshot.alert))],
    )
    lines += family(
        "pialert_failing_targets",
        "Targets in the alert state.",
        [({}, len(snapshot.failing))],
    )
    lines += family(
        "pialert_active_silences",
        "Silences in force now.",
        [({}, snapshot.active_silences)],
    )
    lines += family(
        "pialert_target_up",
        "1 when the target's status is up, else 0.",
        ((labels(v), int(v.status is Status.UP)) for v in views),
    )
    lines += family(
        "pialert_target_status",
        "The target's status: 1 for the current one, 0 for the others.",
        (
            (labels(v, status=status.value), int(v.status is status))
            for v in views
            for status in Status
        ),
    )
    lines += family(
        "pialert_target_consecutive_failures",
        "Failed checks in a row.",
        ((labels(v), v.consecutive_failures) for v in views),
    )
    lines += family(
        "pialert_target_response_time_seconds",
        "Response time of the last check, in seconds (when known).",
        (
            (labels(v), v.response_time_ms / 1000)
            for v in views
            if v.response_time_ms is not None
        ),
    )
    lines += family(
        "pialert_target_certificate_days_remaining",
        "Days until the TLS certificate expires (when known).",
        (
            (labels(v), v.cert_days_remaining)
            for v in views
            if v.cert_days_remaining is not None
        ),
    )
    lines += family(
        "pialert_target_alerting",
        "1 when the target is part of the alert state, else 0.",
        ((labels(v), int(v.in_hub_alert)) for v in views),
    )
    lines += family(
        "pialert_target_acknowledged",
        "1 when the target's alert is acknowledged, else 0.",
        ((labels(v), int(v.acknowledgement is not None)) for v in views),
    )
    lines += family(
        "pialert_target_silenced",
        "1 when an active silence covers the target, else 0.",
        ((labels(v), int(v.silenced)) for v in views),
    )
    uptime: list[Sample] = []
    for view in views:
        for window in UPTIME_WINDOWS:
            ratio = history.uptime(view.target.id, now, window)
            if ratio is not None:
                uptime.append((labels(view, window=window), ratio / 100))
    lines += family(
        "pialert_target_uptime_ratio",
        "Share of successful checks over the window, 0 to 1 (when checked).",
        uptime,
    )
    return "\n".join(lines) + "\n"


class MetricsView(PiAlertView):
    """``/metrics``: Prometheus scrape target (a read key, as bearer token)."""

    url = f"{API_PREFIX}/metrics"
    name = "api:pialert:metrics"

    @api_endpoint(Scope.READ)
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Return the metrics, built once per snapshot and configuration."""
        check_query(request, ())
        now = coordinator.now()
        snapshot = coordinator.data
        entry = coordinator.config_entry

        def build() -> bytes:
            views = sorted(
                (
                    effective_view(coordinator, t, snapshot.targets.get(t.id), now)
                    for t in coordinator.configured_targets()
                ),
                key=lambda v: (v.target.name.casefold(), v.target.id),
            )
            return render(snapshot, views, coordinator.monitor.history, now).encode()

        # The configuration is an input too: right after the API changed a
        # target, the views come from it before a new snapshot is published.
        body = entry.runtime_data.api.metrics_text.get(
            (snapshot, entry.subentries), now, build
        )
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})
