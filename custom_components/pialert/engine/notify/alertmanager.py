"""PiAlert's alerts in Prometheus Alertmanager's v2 API shape."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

ALERTS_PATH: Final = "/api/v2/alerts"
ALERT_NAME: Final = "PiAlertTargetDown"
# Alertmanager resolves an alert not re-sent within its resolve_timeout
# (5 min by default): firing alerts are re-sent well within it.
RESEND_SECONDS: Final = 60


@dataclass(frozen=True, slots=True)
class AlertInfo:
    """One target's alert as Alertmanager should see it."""

    target_id: str
    name: str
    kind: str
    severity: str
    tags: tuple[str, ...]
    summary: str
    error: str
    starts_at: str
    ends_at: str | None = None


def alert_body(alert: AlertInfo, site: str) -> dict[str, Any]:
    """Return one alert of ``POST /api/v2/alerts``."""
    body: dict[str, Any] = {
        "labels": {
            "alertname": ALERT_NAME,
            "target": alert.name,
            "target_id": alert.target_id,
            "kind": alert.kind,
            "severity": alert.severity,
            "site": site,
        },
        "annotations": {"summary": alert.summary, "error": alert.error},
        "startsAt": alert.starts_at,
    }
    if alert.tags:
        # Left out when empty: Alertmanager treats an empty label as absent.
        body["labels"]["tags"] = ",".join(alert.tags)
    if alert.ends_at is not None:
        body["endsAt"] = alert.ends_at
    return body


def alerts_body(alerts: Sequence[AlertInfo], site: str) -> list[dict[str, Any]]:
    """Return the body of one ``POST /api/v2/alerts``."""
    return [alert_body(alert, site) for alert in alerts]
