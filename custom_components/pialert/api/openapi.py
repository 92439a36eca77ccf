"""``/openapi.json``: an OpenAPI 3.1 description of every PiAlert endpoint."""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from aiohttp import web

from ..const import HEARTBEAT_URL
from ..engine.history import UPTIME_WINDOWS
from ..engine.models import HistoryEventType, SilenceState, Status, TargetKind
from .base import (
    API_PREFIX,
    HEADER_API_KEY,
    INVALID_KEY,
    MISSING_KEY,
    ApiError,
    PiAlertView,
)
from .heartbeat import MAX_EXIT_CODE, SIGNALS
from .history import FORMATS
from .keys import DEFAULT_RATE_LIMIT
from .openapi_targets import target_body_schemas
from .silences import MAX_SILENCE
from .status import AlertStatusView
from .targets import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_NOTE_LENGTH,
    SORTS,
    check_query,
)

OPENAPI_VERSION: Final = "3.1.0"
API_VERSION: Final = "1.0.0"

type Json = dict[str, Any]

NULLABLE_STRING: Final[Json] = {"type": ["string", "null"]}
NULLABLE_TIME: Final[Json] = {"type": ["string", "null"], "format": "date-time"}


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def _response(name: str) -> Json:
    return {"$ref": f"#/components/responses/{name}"}


def _param(name: str) -> Json:
    return {"$ref": f"#/components/parameters/{name}"}


def _json(schema: Json, description: str) -> Json:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def _query(name: str, schema: Json, description: str) -> Json:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _errors(*codes: str) -> Json:
    names = {
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "NotLoaded",
    }
    return {code: _response(names[code]) for code in codes}


READ_ERRORS: Final = ("400", "401", "429", "500", "503")
WRITE_ERRORS: Final = ("400", "401", "403", "429", "500", "503")


def _operation(
    operation_id: str,
    summary: str,
    tag: str,
    responses: Json,
    *,
    description: str | None = None,
    parameters: list[Json] | None = None,
    body: Json | None = None,
    public: bool = False,
) -> Json:
    operation: Json = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "responses": responses,
    }
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = body
        responses.setdefault("413", _response("PayloadTooLarge"))
    if public:
        operation["security"] = []
    return operation


# --- schemas ---------------------------------------------------------------------


def _schemas() -> Json:
    time = {"type": "string", "format": "date-time"}
    uptime = {"type": ["number", "null"], "minimum": 0, "maximum": 100}
    return {
        "Error": {
            "type": "object",
            "required": ["detail"],
            "properties": {"detail": {"type": "string"}},
        },
        "FailingTarget": {
            "type": "object",
            "required": ["name", "status", "failures", "threshold"],
            "properties": {
                "name": {"type": "string"},
                "status": {"type": "string", "enum": [Status.DOWN.value]},
                "failures": {"type": "integer"},
                "threshold": {"type": "integer"},
            },
        },
        "AlertStatus": {
            "type": "object",
            "required": ["alert", "failing_targets", "failing_count", "timestamp"],
            "properties": {
                "alert": {"type": "boolean"},
                "failing_targets": {"type": "array", "items": _ref("FailingTarget")},
                "failing_count": {"type": "integer"},
                "timestamp": time,
            },
        },
        "Acknowledgement": {
            "type": "object",
            "required": ["by", "at", "note"],
            "properties": {
                "by": {"type": "string"},
                "at": time,
                "note": NULLABLE_STRING,
            },
        },
        "Target": {
            "type": "object",
            "required": [
                "id",
                "name",
                "kind",
                "enabled",
                "interval",
                "timeout",
                "failure_threshold",
                "success_threshold",
                "depends_on",
                "tags",
                "settings",
                "status",
                "consecutive_failures",
                "last_check",
                "last_success",
                "last_error",
                "response_time_ms",
                "cert_days_remaining",
                "uptime",
                "acknowledged",
                "silenced",
                "alerting",
            ],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "kind": {"type": "string", "enum": [k.value for k in TargetKind]},
                "enabled": {"type": "boolean"},
                "interval": {"type": "integer"},
                "timeout": {"type": "number"},
                "failure_threshold": {"type": "integer"},
                "success_threshold": {"type": "integer"},
                "depends_on": NULLABLE_STRING,
                "tags": {"type": "array", "items": {"type": "string"}},
                "settings": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "Kind-specific configuration. A heartbeat's "
                    "token is never shown; keys with write scope get its "
                    "ping_url.",
                    "properties": {"ping_url": {"type": "string"}},
                },
                "status": {"type": "string", "enum": [s.value for s in Status]},
                "consecutive_failures": {"type": "integer"},
                "last_check": NULLABLE_TIME,
                "last_success": NULLABLE_TIME,
                "last_error": NULLABLE_STRING,
                "response_time_ms": {"type": ["number", "null"]},
                "cert_days_remaining": {"type": ["integer", "null"]},
                "uptime": {
                    "type": "object",
                    "description": "Successful checks in percent, null when none ran.",
                    "required": list(UPTIME_WINDOWS),
                    "properties": dict.fromkeys(UPTIME_WINDOWS, uptime),
                },
                "acknowledged": {"oneOf": [_ref("Acknowledgement"), {"type": "null"}]},
                "silenced": {"type": "boolean"},
                "alerting": {
                    "type": "boolean",
                    "description": "Part of the hub's alert state.",
                },
            },
        },
        "TargetList": _page_schema("targets", "Target"),
        **target_body_schemas(),
        "Acknowledge": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"note": {**NULLABLE_STRING, "maxLength": MAX_NOTE_LENGTH}},
        },
        "Deleted": {
            "type": "object",
            "required": ["deleted"],
            "properties": {"deleted": {"type": "string"}},
        },
        "Silence": {
            "type": "object",
            "required": [
                "id",
                "target_ids",
                "targets",
                "tags",
                "all",
                "starts_at",
                "ends_at",
                "created_by",
                "created_at",
                "comment",
                "state",
            ],
            "properties": {
                "id": {"type": "string"},
                "target_ids": {"type": "array", "items": {"type": "string"}},
                "targets": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Names of the silenced targets.",
                },
                "tags": {"type": "array", "items": {"type": "string"}},
                "all": {"type": "boolean"},
                "starts_at": time,
                "ends_at": time,
                "created_by": {"type": "string"},
                "created_at": NULLABLE_TIME,
                "comment": {"type": "string"},
                "state": {"type": "string", "enum": [s.value for s in SilenceState]},
            },
        },
        "SilenceList": {
            "type": "object",
            "required": ["silences"],
            "properties": {"silences": {"type": "array", "items": _ref("Silence")}},
        },
        "SilenceCreate": {
            "type": "object",
            "description": "Say what to silence (target_ids and/or tags, or all) "
            "and until when (ends_at or duration_seconds). At most "
            f"{MAX_SILENCE.days} days.",
            "additionalProperties": False,
            "properties": {
                "target_ids": {"type": "array", "items": {"type": "string"}},
                "tags": {"type": "array", "items": {"type": "string"}},
                "all": {"type": "boolean", "default": False},
                "starts_at": {**time, "description": "Default: now."},
                "ends_at": time,
                "duration_seconds": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "maximum": MAX_SILENCE.total_seconds(),
                },
                "comment": {"type": "string", "maxLength": MAX_NOTE_LENGTH},
            },
        },
        "HistoryEvent": {
            "type": "object",
            "required": ["id", "type", "target_id", "target_name", "message", "at"],
            "properties": {
                "id": {"type": "string"},
                "type": {
                    "type": "string",
                    "enum": [t.value for t in HistoryEventType],
                },
                "target_id": NULLABLE_STRING,
                "target_name": NULLABLE_STRING,
                "message": {"type": "string"},
                "at": time,
            },
        },
        "HistoryPage": _page_schema("history", "HistoryEvent"),
        "Incident": {
            "type": "object",
            "required": [
                "id",
                "target_id",
                "target_name",
                "started_at",
                "ended_at",
                "duration_seconds",
                "failures",
                "first_error",
                "last_error",
                "acknowledged_at",
                "acknowledged_by",
                "acknowledgement_note",
            ],
            "properties": {
                "id": {"type": "string"},
                "target_id": {"type": "string"},
                "target_name": {"type": "string"},
                "started_at": time,
                "ended_at": {
                    **NULLABLE_TIME,
                    "description": "null while ongoing.",
                },
                "duration_seconds": {"type": ["number", "null"]},
                "failures": {"type": "integer"},
                "first_error": NULLABLE_STRING,
                "last_error": NULLABLE_STRING,
                "acknowledged_at": NULLABLE_TIME,
                "acknowledged_by": NULLABLE_STRING,
                "acknowledgement_note": NULLABLE_STRING,
            },
        },
        "IncidentList": {
            "type": "object",
            "required": ["incidents"],
            "properties": {"incidents": {"type": "array", "items": _ref("Incident")}},
        },
        "HeartbeatPing": {
            "type": "object",
            "required": ["ok", "target", "signal"],
            "properties": {
                "ok": {"type": "boolean"},
                "target": {"type": "string"},
                "signal": {"type": "string", "enum": ["success", *SIGNALS]},
            },
        },
    }


def _page_schema(key: str, item: str) -> Json:
    return {
        "type": "object",
        "required": [key, "total", "limit", "offset"],
        "properties": {
            key: {"type": "array", "items": _ref(item)},
            "total": {"type": "integer", "description": "Matches before paging."},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
        },
    }


def _error(description: str, *examples: str) -> Json:
    media: Json = {"schema": _ref("Error")}
    if len(examples) == 1:
        media["example"] = {"detail": examples[0]}
    elif examples:
        media["examples"] = {
            f"example{i}": {"value": {"detail": text}}
            for i, text in enumerate(examples, 1)
        }
    return {"description": description, "content": {"application/json": media}}


def _responses() -> Json:
    unauthorized = _error("No valid API key.")
    unauthorized["content"]["application/json"]["examples"] = {
        "missing": {"summary": "No key", "value": {"detail": MISSING_KEY}},
        "invalid": {
            "summary": "Wrong or disabled key",
            "value": {"detail": INVALID_KEY},
        },
    }
    too_many = _error(
        f"Rate limited: {DEFAULT_RATE_LIMIT} requests per minute per key (settable "
        "per key), and 10 failed authentications per minute per address.",
        "Rate limit exceeded. Try again in 42 seconds.",
        "Too many failed authentication attempts. Try again in 60 seconds.",
    )
    too_many["headers"] = {
        "Retry-After": {
            "description": "Seconds until a request will be served again.",
            "schema": {"type": "integer", "minimum": 1},
        }
    }
    bad_request = _error(
        "Invalid request: unknown query parameter or field, bad value, or "
        "malformed JSON. A malformed request line or a query Home Assistant's "
        "security filter refuses is answered by Home Assistant itself, before "
        "PiAlert, as text/plain.",
        "Invalid field 'url': Enter an http:// or https:// URL with a host.",
        "Unknown query parameter: foo",
    )
    bad_request["content"]["text/plain"] = {
        "schema": {"type": "string"},
        "example": "400: Bad Request",
    }
    return {
        "BadRequest": bad_request,
        "PayloadTooLarge": _error(
            "The body is over Home Assistant's limit (16 MiB).",
            "Request body is too large: Maximum request body size 16777216 exceeded.",
        ),
        "Unauthorized": unauthorized,
        "Forbidden": _error(
            "The key is read-only.",
            "This API key is read-only; this endpoint needs a key with write scope",
        ),
        "NotFound": _error("No such target or silence.", "Unknown target: 01J0..."),
        "Conflict": _error(
            "The target is not down.",
            "Web is not down, so there is no alert to acknowledge.",
        ),
        "TooManyRequests": too_many,
        "InternalError": _error("Unexpected failure.", "Internal error"),
        "NotLoaded": _error("PiAlert is not set up.", "PiAlert is not loaded"),
    }


def _parameters() -> Json:
    def path(name: str, description: str) -> Json:
        return {
            "name": name,
            "in": "path",
            "required": True,
            "description": description,
            "schema": {"type": "string"},
        }

    return {
        "Limit": _query(
            "limit",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIMIT,
                "default": DEFAULT_LIMIT,
            },
            "Page size.",
        ),
        "Offset": _query(
            "offset", {"type": "integer", "minimum": 0, "default": 0}, "Items to skip."
        ),
        "TargetId": path("target_id", "The target's id (its config subentry id)."),
        "SilenceId": path("silence_id", "The silence's id."),
        "Token": path("token", "The heartbeat target's secret ping token."),
        "Signal": {
            "name": "signal",
            "in": "path",
            "required": True,
            "description": f"start, fail, or the job's exit code (0 to {MAX_EXIT_CODE}; "
            "0 is a success, others a failure).",
            "schema": {
                "type": "string",
                "pattern": "^(start|fail|[0-9]{1,3})$",
            },
        },
    }


# --- paths -----------------------------------------------------------------------


def _alert_status(operation_id: str) -> Json:
    responses: Json = {
        "200": _json(_ref("AlertStatus"), "The current alert state."),
        **_errors("401", "429", "503"),
        "500": _error("The status could not be built.", "Unable to fetch alert status"),
    }
    return {
        "get": _operation(
            operation_id,
            "Current alert state",
            "alerts",
            responses,
            description="Lightweight polling endpoint (10-30 s intervals): whether "
            "any target alerts, and which. Acknowledged, silenced and paused "
            "targets are left out.",
        )
    }


def _heartbeat(with_signal: bool) -> Json:
    parameters = [_param("Token")] + ([_param("Signal")] if with_signal else [])
    responses: Json = {
        "200": _json(_ref("HeartbeatPing"), "The ping was recorded."),
        "404": _error("No heartbeat target has this token.", "Unknown heartbeat token"),
        "503": _response("NotLoaded"),
    }
    if with_signal:
        responses["400"] = _error(
            "Unknown signal.", "Expected /start, /fail or an exit code from 0 to 255"
        )
    item: Json = {}
    for method in ("get", "head", "post"):
        suffix = "Signal" if with_signal else ""
        item[method] = _operation(
            f"heartbeat{suffix}{method.capitalize()}",
            "Report a job's start, failure or exit code"
            if with_signal
            else "Report a job's success",
            "heartbeat",
            responses,
            parameters=parameters,
            public=True,
            description="No API key: the token in the path is the secret.",
        )
    return item


def _paths() -> Json:
    limit_offset = [_param("Limit"), _param("Offset")]
    target_id = [_param("TargetId")]
    target_json = _json(_ref("Target"), "The target.")
    return {
        AlertStatusView.url: _alert_status("getAlertStatus"),
        f"{API_PREFIX}/alert-status": _alert_status("getAlertStatusV1"),
        f"{API_PREFIX}/targets": {
            "get": _operation(
                "listTargets",
                "List targets",
                "targets",
                {
                    "200": _json(_ref("TargetList"), "A page of targets."),
                    **_errors(*READ_ERRORS),
                },
                parameters=[
                    _query(
                        "status",
                        {"type": "string", "enum": [s.value for s in Status]},
                        "Only targets with this status.",
                    ),
                    _query(
                        "kind",
                        {"type": "string", "enum": [k.value for k in TargetKind]},
                        "Only targets of this kind.",
                    ),
                    _query("tag", {"type": "string"}, "Only targets with this tag."),
                    _query(
                        "sort",
                        {"type": "string", "enum": list(SORTS), "default": "name"},
                        "Order; a leading - reverses it. status puts down, "
                        "unreachable, pending, unknown, up, paused in that order; "
                        "never-checked targets come last for last_check.",
                    ),
                    *limit_offset,
                ],
            ),
            "post": _operation(
                "createTarget",
                "Create a target",
                "targets",
                {
                    "201": _json(_ref("Target"), "The new target."),
                    **_errors(*WRITE_ERRORS),
                },
                body={
                    "required": True,
                    "content": {"application/json": {"schema": _ref("TargetCreate")}},
                },
                description="Adds a target to the hub, as the UI does.",
            ),
        },
        f"{API_PREFIX}/targets/{{target_id}}": {
            "get": _operation(
                "getTarget",
                "Get a target",
                "targets",
                {"200": target_json, **_errors(*READ_ERRORS, "404")},
                parameters=target_id,
            ),
            "patch": _operation(
                "updateTarget",
                "Change a target",
                "targets",
                {"200": target_json, **_errors(*WRITE_ERRORS, "404")},
                parameters=target_id,
                body={
                    "required": True,
                    "content": {"application/json": {"schema": _ref("TargetUpdate")}},
                },
            ),
            "delete": _operation(
                "deleteTarget",
                "Delete a target",
                "targets",
                {
                    "200": _json(_ref("Deleted"), "The target was deleted."),
                    **_errors(*WRITE_ERRORS, "404"),
                },
                parameters=target_id,
                description="Targets that depended on it no longer do.",
            ),
        },
        f"{API_PREFIX}/targets/{{target_id}}/acknowledge": {
            "post": _operation(
                "acknowledgeTarget",
                "Acknowledge a target's alert",
                "targets",
                {"200": target_json, **_errors(*WRITE_ERRORS, "404", "409")},
                parameters=target_id,
                body={
                    "required": False,
                    "content": {"application/json": {"schema": _ref("Acknowledge")}},
                },
                description="The target leaves the alert state until it recovers. "
                "Acknowledged by 'API key <key name>'.",
            )
        },
        f"{API_PREFIX}/silences": {
            "get": _operation(
                "listSilences",
                "List silences",
                "silences",
                {
                    "200": _json(_ref("SilenceList"), "Silences, by start."),
                    **_errors(*READ_ERRORS),
                },
                parameters=[
                    _query(
                        "state",
                        {"type": "string", "enum": [s.value for s in SilenceState]},
                        "Only silences in this state. Expired ones stay listed for "
                        "7 days.",
                    )
                ],
            ),
            "post": _operation(
                "createSilence",
                "Create a silence",
                "silences",
                {
                    "201": _json(_ref("Silence"), "The new silence."),
                    **_errors(*WRITE_ERRORS),
                },
                body={
                    "required": True,
                    "content": {"application/json": {"schema": _ref("SilenceCreate")}},
                },
            ),
        },
        f"{API_PREFIX}/silences/{{silence_id}}": {
            "get": _operation(
                "getSilence",
                "Get a silence",
                "silences",
                {
                    "200": _json(_ref("Silence"), "The silence."),
                    **_errors(*READ_ERRORS, "404"),
                },
                parameters=[_param("SilenceId")],
            ),
            "delete": _operation(
                "deleteSilence",
                "End a silence",
                "silences",
                {
                    "200": _json(_ref("Silence"), "The silence, now expired."),
                    **_errors(*WRITE_ERRORS, "404"),
                },
                parameters=[_param("SilenceId")],
                description="Ends an active or pending silence now; it stays listed "
                "as expired.",
            ),
        },
        f"{API_PREFIX}/alerts/history": {
            "get": _operation(
                "listAlertHistory",
                "Alert history",
                "alerts",
                {
                    "200": _json(_ref("HistoryPage"), "Events, newest first."),
                    **_errors(*READ_ERRORS),
                },
                parameters=[
                    *limit_offset,
                    _query(
                        "target_id", {"type": "string"}, "Only this target's events."
                    ),
                    _query(
                        "type",
                        {"type": "string"},
                        "Only these event types, comma-separated: "
                        + ", ".join(t.value for t in HistoryEventType)
                        + ".",
                    ),
                ],
            ),
        },
        f"{API_PREFIX}/incidents": {
            "get": _operation(
                "listIncidents",
                "Incidents",
                "alerts",
                {
                    "200": {
                        "description": "Incidents overlapping the range, newest first.",
                        "content": {
                            "application/json": {"schema": _ref("IncidentList")},
                            "text/csv": {
                                "schema": {"type": "string"},
                                "example": "id,target_id,target_name,started_at,...",
                            },
                        },
                        "headers": {
                            "Content-Disposition": {
                                "description": 'With format=csv: attachment; filename="pialert-incidents.csv"',
                                "schema": {"type": "string"},
                            }
                        },
                    },
                    **_errors(*READ_ERRORS),
                },
                parameters=[
                    _query(
                        "start_date",
                        {"type": "string"},
                        "YYYY-MM-DD (start of that day) or ISO 8601; Home "
                        "Assistant's time zone when no offset is given.",
                    ),
                    _query(
                        "end_date",
                        {"type": "string"},
                        "YYYY-MM-DD (end of that day) or ISO 8601. Not before "
                        "start_date.",
                    ),
                    _query(
                        "target_id", {"type": "string"}, "Only this target's incidents."
                    ),
                    _query(
                        "format",
                        {"type": "string", "enum": list(FORMATS), "default": "json"},
                        "json, or csv with a header row.",
                    ),
                ],
            ),
        },
        f"{API_PREFIX}/metrics": {
            "get": _operation(
                "getMetrics",
                "Prometheus metrics",
                "metrics",
                {
                    "200": {
                        "description": "Text exposition format 0.0.4.",
                        "content": {
                            "text/plain": {
                                "schema": {"type": "string"},
                                "example": "# HELP pialert_alert ...\n"
                                "# TYPE pialert_alert gauge\npialert_alert 0\n",
                            }
                        },
                    },
                    **_errors(*READ_ERRORS),
                },
                description="Scrape with a read key as bearer token.",
            )
        },
        f"{API_PREFIX}/openapi.json": {
            "get": _operation(
                "getOpenApi",
                "This document",
                "meta",
                {
                    "200": _json({"type": "object"}, "The OpenAPI document."),
                    "400": _response("BadRequest"),
                },
                public=True,
            )
        },
        HEARTBEAT_URL: _heartbeat(with_signal=False),
        HEARTBEAT_URL + "/{signal}": _heartbeat(with_signal=True),
    }


@cache
def openapi_document() -> Json:
    """Return the OpenAPI document (built once)."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "PiAlert API",
            "version": API_VERSION,
            "description": "Monitoring and alerting inside Home Assistant. "
            f"Authenticate with an API key in the {HEADER_API_KEY} header or as "
            "a bearer token. Read keys may use GET endpoints; changes need a "
            'key with write scope. Errors are JSON: {"detail": "..."}.',
        },
        "tags": [
            {"name": "alerts", "description": "Alert state, history and incidents."},
            {"name": "targets", "description": "What PiAlert watches."},
            {"name": "silences", "description": "Muting alerts for a while."},
            {"name": "metrics", "description": "Prometheus exposition."},
            {"name": "heartbeat", "description": "Ping URLs for jobs."},
            {"name": "meta", "description": "This description."},
        ],
        "security": [{"ApiKeyHeader": []}, {"BearerAuth": []}],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "responses": _responses(),
            "parameters": _parameters(),
            "securitySchemes": {
                "ApiKeyHeader": {
                    "type": "apiKey",
                    "in": "header",
                    "name": HEADER_API_KEY,
                },
                "BearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The same API key, as Authorization: Bearer <key>.",
                },
            },
        },
    }


class OpenApiView(PiAlertView):
    """``/openapi.json``: needs no key, says nothing secret."""

    url = f"{API_PREFIX}/openapi.json"
    name = "api:pialert:openapi"

    async def get(self, request: web.Request) -> web.Response:
        """Return the document."""
        try:
            check_query(request, ())
        except ApiError as err:
            return err.response()
        return self.json(openapi_document())
