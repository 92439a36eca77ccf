"""``GET /api/v1/alert-status``: the contract's polling endpoint."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiohttp import web
from homeassistant.helpers.json import json_bytes

from .base import API_PREFIX, PiAlertView, api_endpoint, json_bytes_response
from .keys import ApiKey, Scope
from .shapes import FailingTargetBody

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator
    from ..engine.state import Snapshot

# The body ends with the timestamp, so everything before it is the snapshot's.
_TIMESTAMP_TAIL = b'"}'


def snapshot_fields(snapshot: Snapshot) -> dict[str, object]:
    """Return the body's fields that depend only on ``snapshot``, in order."""
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
    }


def format_timestamp(now: datetime) -> str:
    """Return the body's timestamp: UTC, always six fractional digits.

    isoformat alone drops the digits when the microsecond is 0; the contract
    shows them.
    """
    if now.tzinfo is not UTC:
        now = now.astimezone(UTC)
    return now.isoformat(timespec="microseconds")


def snapshot_head(snapshot: Snapshot) -> bytes:
    """Return the body's JSON up to the timestamp's value.

    Encoded with an empty timestamp and cut before its closing quote: the
    same bytes Home Assistant's JSON encoder writes for the whole body.
    """
    encoded = json_bytes({**snapshot_fields(snapshot), "timestamp": ""})
    return encoded[: -len(_TIMESTAMP_TAIL)]


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
        now = datetime.now(UTC)
        snapshot = coordinator.data
        head = coordinator.config_entry.runtime_data.api.status_head.get(
            (snapshot,), now, lambda: snapshot_head(snapshot)
        )
        return json_bytes_response(
            head + format_timestamp(now).encode() + _TIMESTAMP_TAIL
        )
