"""The prose of the heartbeat operations: pings (no key) and their log."""

from __future__ import annotations

from ..const import HEARTBEAT_URL
from ..engine.ping_log import OUTPUT_LIMIT
from .base import API_PREFIX
from .heartbeat import BAD_RUN_ID, BAD_SIGNAL, BODY_TOO_LARGE, RUN_ID
from .openapi_common import (
    READ_ERRORS,
    Json,
    error_answer,
    error_refs,
    json_answer,
    operation,
    param_ref,
    query_param,
    response_ref,
)
from .pings import PINGS_DESCRIPTION, PingListBody
from .shapes import HeartbeatPingBody


def _ping_operations(with_signal: bool) -> Json:
    parameters = [param_ref("Token")] + ([param_ref("Signal")] if with_signal else [])
    parameters.append(
        query_param(
            "rid",
            {"type": "string", "pattern": RUN_ID.pattern},
            "Run id: a start and a finish with the same rid are timed together, "
            "so overlapping runs of one job are timed separately.",
        )
    )
    responses: Json = {
        "200": json_answer(HeartbeatPingBody, "The ping was recorded."),
        "400": error_answer("Bad run id.", BAD_RUN_ID),
        "404": error_answer(
            "No heartbeat target has this token.", "Unknown heartbeat token"
        ),
        "413": error_answer("The body is too large.", BODY_TOO_LARGE),
        "503": response_ref("NotLoaded"),
    }
    if with_signal:
        responses["400"] = error_answer("Bad run id or signal.", BAD_SIGNAL, BAD_RUN_ID)
    item: Json = {}
    for method in ("get", "head", "post"):
        suffix = "Signal" if with_signal else ""
        item[method] = operation(
            f"heartbeat{suffix}{method.capitalize()}",
            "Report a job's start, failure, log or exit code"
            if with_signal
            else "Report a job's success",
            "heartbeat",
            responses,
            parameters=parameters,
            public=True,
            description="No API key: the token in the path is the secret. "
            f"A POST body is the job's output; its last {OUTPUT_LIMIT} bytes "
            "are kept. /log records output without changing the status.",
        )
    return item


def heartbeat_operations() -> dict[str, Json]:
    """Return {path: {method: operation}} of pings and the ping log."""
    return {
        HEARTBEAT_URL: _ping_operations(with_signal=False),
        HEARTBEAT_URL + "/{signal}": _ping_operations(with_signal=True),
        f"{API_PREFIX}/targets/{{target_id}}/pings": {
            "get": operation(
                "listHeartbeatPings",
                "Heartbeat pings and output",
                "heartbeat",
                {
                    "200": json_answer(PingListBody, "Pings, newest first."),
                    **error_refs(*READ_ERRORS, "404"),
                },
                parameters=[param_ref("TargetId")],
                description=PINGS_DESCRIPTION,
            )
        },
    }
