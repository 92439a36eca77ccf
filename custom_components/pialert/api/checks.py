"""``/targets/{target_id}/checks``: a target's recent check results, paged.

The log holds the last ``CHECK_LOG_SIZE`` checks per target (engine/check_log.py),
in memory: reading it costs no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from aiohttp import web

from ..engine.check_log import CheckRecord
from .base import API_PREFIX, PiAlertView, api_endpoint, json_response
from .history import parse_date_range
from .keys import ApiKey, Scope
from .request import DEFAULT_LIMIT, MAX_LIMIT, check_query, int_param
from .shapes import CheckBody, CheckPageBody
from .targets import target_subentry

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator

CHECK_PARAMS: Final = frozenset({"start_date", "end_date", "limit", "offset"})


def check_json(record: CheckRecord) -> CheckBody:
    """Return a logged check as the API shows it."""
    return {
        "checked_at": record.checked_at.isoformat(),
        "ok": record.ok,
        "response_time_ms": record.response_time_ms,
        "error": record.error,
    }


class TargetChecksView(PiAlertView):
    """``/targets/{target_id}/checks``: check results, newest first."""

    url = f"{API_PREFIX}/targets/{{target_id}}/checks"
    name = "api:pialert:target:checks"

    @api_endpoint(Scope.READ)
    async def get(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        target_id: str,
    ) -> web.Response:
        """Return a page of a target's checks within a date range."""
        query = check_query(request, CHECK_PARAMS)
        target_subentry(coordinator, target_id)
        start, end = parse_date_range(query)
        limit = int_param(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = int_param(query, "offset", 0, 0)
        records, total = coordinator.monitor.history.checks.page(
            target_id, start=start, end=end, limit=limit, offset=offset
        )
        page: CheckPageBody = {
            "checks": [check_json(r) for r in records],
            "total": total,
            "limit": limit,
            "offset": offset,
        }
        return json_response(page)
