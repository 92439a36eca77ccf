"""The prose of the live event, status page and badge operations."""

from __future__ import annotations

from ..engine.page_incidents import IncidentStatus
from .badges import BADGES, MAX_LABEL_LENGTH
from .base import API_PREFIX
from .event_streams import KEEPALIVE_SECONDS
from .live import CHANNELS, MAX_STREAMS_PER_KEY, QUEUE_SIZE
from .openapi_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Json,
    error_answer,
    error_refs,
    json_answer,
    operation,
    query_param,
)
from .openapi_page_config import page_collection_operations, page_item_operations
from .page_config import UNKNOWN_PAGE
from .page_shapes import PageIncidentBody, StatusPageBody

_EVENTS = (
    "Each message is JSON with `event`, `channel` and `timestamp`: "
    "`monitor.status` (a target's status changed: `monitor` with id, name, kind, "
    "status, previous_status), `alert.started` / `alert.cleared` (`alert`), "
    "`incident.opened` / `incident.updated` / `incident.resolved` and "
    "`status_page.incident` (`incident`). Channels: "
    + ", ".join(f"`{c}`" for c in CHANNELS)
    + f". Each client has a queue of {QUEUE_SIZE} events: a client that falls "
    "further behind is dropped with a reason (SSE: a `closed` event; WebSocket: "
    f"close code 4408). At most {MAX_STREAMS_PER_KEY} streams per key."
)


def _page_param(description: str) -> Json:
    return {
        "name": "page",
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


def _limit_answer() -> Json:
    return error_answer(
        "Too many streams for this key, or too many requests.",
        f"Too many open event streams for this API key (at most {MAX_STREAMS_PER_KEY})",
        "Rate limit exceeded. Try again in 30 seconds.",
    )


def live_page_operations() -> dict[str, Json]:
    """Return {path: {method: operation}} of events, status pages and badges."""
    not_found = error_answer("No page with this slug or id.", UNKNOWN_PAGE)
    return {
        f"{API_PREFIX}/events": {
            "get": operation(
                "streamEvents",
                "Live events (Server-Sent Events)",
                "alerts",
                {
                    "200": {
                        "description": "An endless `text/event-stream`: a `ready` "
                        "event, then the hub's events (`event:` is the event name, "
                        f"`data:` its JSON), a comment every {KEEPALIVE_SECONDS:g} s.",
                        "content": {
                            "text/event-stream": {"schema": {"type": "string"}}
                        },
                    },
                    **error_refs(*READ_ERRORS),
                    "429": _limit_answer(),
                },
                parameters=[
                    query_param(
                        "subscribe",
                        {"type": "string"},
                        "Comma-separated channels (default: all).",
                    )
                ],
                description=_EVENTS,
            )
        },
        f"{API_PREFIX}/ws": {
            "get": operation(
                "eventSocket",
                "Live events (WebSocket)",
                "alerts",
                {
                    "101": {
                        "description": 'Switching to WebSocket. Send first {"auth": '
                        '"KEY", "subscribe": ["monitor.status", "incident.updates"]}; '
                        'the answer is {"type": "subscribed", "channels": [...]}, or '
                        '{"type": "error", "detail": ...} and close code 4401 (key), '
                        "4400 (message) or 4429 (too many streams)."
                    },
                    **error_refs("503"),
                },
                description=_EVENTS,
                public=True,
            )
        },
        f"{API_PREFIX}/status-pages/{{page}}": {
            "get": operation(
                "getStatusPage",
                "A status page",
                "status pages",
                {
                    "200": json_answer(StatusPageBody, "The page as published."),
                    "401": error_answer(
                        "A private page needs a read key or a Home Assistant login.",
                        "Missing API key in x-api-key header",
                    ),
                    "404": not_found,
                    "429": _limit_answer(),
                    **error_refs("400", "503"),
                },
                parameters=[_page_param("The page's slug or id.")],
                description="Public pages need no key. Only what the page chose "
                "to show is in it. Cached per snapshot; limited per client address.",
                public=True,
            ),
            "put": operation(
                "postStatusPageIncident",
                "Post an incident message",
                "status pages",
                {
                    "200": json_answer(PageIncidentBody, "The incident, updated."),
                    "404": not_found,
                    **error_refs(*WRITE_ERRORS),
                },
                parameters=[_page_param("The page's slug or id.")],
                body={
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["incident_status", "incident_message"],
                                "properties": {
                                    "incident_status": {
                                        "type": "string",
                                        "enum": [s.value for s in IncidentStatus],
                                    },
                                    "incident_message": {
                                        "type": "string",
                                        "minLength": 1,
                                        "maxLength": 2000,
                                    },
                                    "incident_id": {
                                        "type": "string",
                                        "description": "Continue this incident; "
                                        "by default the open one, or a new one.",
                                    },
                                },
                            }
                        }
                    },
                },
                description="Adds a message to the page's open incident (or "
                "`incident_id`), or opens one. `resolved` closes it.",
            ),
            **page_item_operations(),
        },
        **page_collection_operations(),
        f"{API_PREFIX}/badges/{{target}}/{{badge}}.svg": {
            "get": operation(
                "getBadge",
                "An SVG badge of a published target",
                "status pages",
                {
                    "200": {
                        "description": "A flat, shields-style badge.",
                        "content": {"image/svg+xml": {"schema": {"type": "string"}}},
                    },
                    "404": error_answer(
                        "The target is on no public page (or the page does not "
                        "show this figure).",
                        "No such badge: the target is not shown on a public status page",
                    ),
                    "429": _limit_answer(),
                    **error_refs("400", "503"),
                },
                parameters=[
                    {
                        "name": "target",
                        "in": "path",
                        "required": True,
                        "description": "The target's id.",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "badge",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": list(BADGES)},
                    },
                    query_param(
                        "label",
                        {"type": "string", "maxLength": MAX_LABEL_LENGTH},
                        "Text of the badge's left side.",
                    ),
                ],
                public=True,
            )
        },
    }
