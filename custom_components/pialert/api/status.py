"""``GET /api/v1/alert-status``: the contract's polling endpoint."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiohttp import web

from .base import API_PREFIX, PiAlertView, api_endpoint, json_bytes_response
from .keys import ApiKey, Scope

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator


class AlertStatusView(PiAlertView):
    """Current alert state, from memory: no disk or network I/O per request."""

    url = "/api/v1/alert-status"
    extra_urls = [f"{API_PREFIX}/alert-status"]  # noqa: RUF012
    name = "api:pialert:alert-status"

    @api_endpoint(Scope.READ, failure_detail="Unable to fetch alert status")
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Return the alert status; only the timestamp is written per request."""
        return json_bytes_response(
            coordinator.config_entry.runtime_data.api.status_body.render(
                coordinator.data, datetime.now(UTC)
            )
        )
