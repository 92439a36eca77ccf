"""``GET /api/v1/alert-status``: the contract's polling endpoint."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiohttp import web

from .base import API_PREFIX, PiAlertView, api_endpoint, json_response
from .keys import ApiKey, Scope
from .shapes import AlertStatusBody, FailingTargetBody

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator
    from ..engine.state import Snapshot


def alert_status(snapshot: Snapshot, now: datetime) -> AlertStatusBody:
    """Return the contract's body for ``snapshot``."""
    failing: list[FailingTargetBody] = [
        {
            "name": f.name,
            "status": f.status,
            "failures": f.failures,
            "threshold": f.threshold,
        }
        for f in snapshot.failing
    ]
    return {
        "alert": bool(failing),
        "failing_targets": failing,
        "failing_count": len(failing),
        # Always six fractional digits, as the contract shows (isoformat
        # alone drops them when the microsecond is 0).
        "timestamp": now.astimezone(UTC).isoformat(timespec="microseconds"),
    }


class AlertStatusView(PiAlertView):
    """Current alert state, from memory: no disk or network I/O per request."""

    url = "/api/v1/alert-status"
    extra_urls = [f"{API_PREFIX}/alert-status"]  # noqa: RUF012
    name = "api:pialert:alert-status"

    @api_endpoint(Scope.READ, failure_detail="Unable to fetch alert status")
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Return the alert status."""
        return json_response(alert_status(coordinator.data, datetime.now(UTC)))
