"""``/targets/{target_id}/pings``: a heartbeat's latest pings and the job's output.

Kept in memory and saved with the state: at most ``MAX_PINGS_KEPT`` pings and
``OUTPUT_LIMIT`` bytes of output per heartbeat (engine/ping_log.py).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated, Final, TypedDict

from aiohttp import web

from ..engine.ping_log import MAX_PINGS_KEPT, OUTPUT_LIMIT, PingRecord
from .base import API_PREFIX, ApiError, PiAlertView, api_endpoint, json_response
from .keys import ApiKey, Scope
from .request import check_query
from .shapes import HeartbeatSignal, Timestamp, described
from .targets import target_subentry

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator


class PingBody(TypedDict):
    """One ping of a heartbeat job."""

    at: Timestamp
    signal: HeartbeatSignal
    rid: Annotated[str | None, described("The run id given as ?rid=.")]
    exit_code: int | None
    duration_ms: Annotated[
        float | None, described("Start to finish, for a finish that had a start.")
    ]
    body: Annotated[str, described("The tail of the body the job sent.")]


class PingListBody(TypedDict):
    """A heartbeat's latest pings, newest first."""

    pings: list[PingBody]
    output_limit: Annotated[int, described("Bytes of output kept per heartbeat.")]


PING_BODIES: Final[tuple[type, ...]] = (PingListBody,)


def ping_json(ping: PingRecord) -> PingBody:
    """Return a kept ping as the API shows it."""
    signal: HeartbeatSignal = ping.signal  # type: ignore[assignment]  # kept as taken
    return {
        "at": ping.at.isoformat(),
        "signal": signal,
        "rid": ping.rid,
        "exit_code": ping.exit_code,
        "duration_ms": ping.duration_ms,
        "body": ping.body,
    }


class TargetPingsView(PiAlertView):
    """``/targets/{target_id}/pings``: a heartbeat's pings, newest first."""

    url = f"{API_PREFIX}/targets/{{target_id}}/pings"
    name = "api:pialert:target:pings"

    @api_endpoint(Scope.READ)
    async def get(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        target_id: str,
    ) -> web.Response:
        """Return the heartbeat's kept pings and output."""
        check_query(request, ())
        target_subentry(coordinator, target_id)
        tracker = coordinator.monitor.heartbeats.get(target_id)
        if tracker is None:
            raise ApiError(HTTPStatus.NOT_FOUND, f"Not a heartbeat target: {target_id}")
        page: PingListBody = {
            "pings": [ping_json(p) for p in tracker.log.latest()],
            "output_limit": OUTPUT_LIMIT,
        }
        return json_response(page)


PINGS_DESCRIPTION: Final = (
    f"The heartbeat's last {MAX_PINGS_KEPT} pings (fewer when their bodies "
    f"exceed {OUTPUT_LIMIT} bytes together): signal, run id, exit code, run "
    "time and the tail of what the job sent (POST body)."
)
