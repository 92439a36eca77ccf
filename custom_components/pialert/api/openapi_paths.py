"""The prose of every API operation, by path and method.

The document lists what the registered views serve (``openapi.py``); this
table says what each operation does, takes and answers.
"""

from __future__ import annotations

from ..engine.models import HistoryEventType, SilenceState, Status, TargetKind
from .base import API_PREFIX
from .history import FORMATS
from .openapi_checks import check_log_operations
from .openapi_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Json,
    choice_param,
    error_answer,
    error_refs,
    json_answer,
    json_body,
    operation,
    param_ref,
    query_param,
    response_ref,
)
from .openapi_deliveries import delivery_operations
from .openapi_heartbeat import heartbeat_operations
from .openapi_live_pages import live_page_operations
from .openapi_maintenance import maintenance_operations
from .openapi_notify import notification_rule_operations
from .openapi_shapes import ref
from .openapi_workflow import incident_operations, targets_as_code_operations
from .shapes import (
    AlertStatusBody,
    DeletedBody,
    HistoryPageBody,
    IncidentListBody,
    SilenceBody,
    SilenceListBody,
    TargetBody,
    TargetListBody,
)
from .status import AlertStatusView
from .target_json import SORTS


def _alert_status(operation_id: str) -> Json:
    responses: Json = {
        "200": json_answer(AlertStatusBody, "The current alert state."),
        **error_refs("401", "429", "503"),
        "500": error_answer(
            "The status could not be built.", "Unable to fetch alert status"
        ),
    }
    return {
        "get": operation(
            operation_id,
            "Current alert state",
            "alerts",
            responses,
            description="Lightweight polling endpoint (10-30 s intervals): whether "
            "any target alerts, and which. Acknowledged, silenced and paused "
            "targets are left out.",
        )
    }


def described_operations() -> dict[str, Json]:
    """Return the prose of every operation: {path: {method: operation}}."""
    limit_offset = [param_ref("Limit"), param_ref("Offset")]
    target_id = [param_ref("TargetId")]
    target_answer = json_answer(TargetBody, "The target.")
    return {
        AlertStatusView.url: _alert_status("getAlertStatus"),
        f"{API_PREFIX}/alert-status": _alert_status("getAlertStatusV1"),
        f"{API_PREFIX}/targets": {
            "get": operation(
                "listTargets",
                "List targets",
                "targets",
                {
                    "200": json_answer(TargetListBody, "A page of targets."),
                    **error_refs(*READ_ERRORS),
                },
                parameters=[
                    choice_param(
                        "status",
                        [s.value for s in Status],
                        "Only targets with this status.",
                    ),
                    choice_param(
                        "kind",
                        [k.value for k in TargetKind],
                        "Only targets of this kind.",
                    ),
                    query_param(
                        "tag", {"type": "string"}, "Only targets with this tag."
                    ),
                    choice_param(
                        "sort",
                        SORTS,
                        "Order; a leading - reverses it. status puts down, "
                        "unreachable, pending, unknown, up, paused in that order; "
                        "never-checked targets come last for last_check.",
                        default="name",
                    ),
                    *limit_offset,
                ],
            ),
            "post": operation(
                "createTarget",
                "Create a target",
                "targets",
                {
                    "201": json_answer(TargetBody, "The new target."),
                    **error_refs(*WRITE_ERRORS),
                },
                body=json_body("TargetCreate"),
                description="Adds a target to the hub, as the UI does.",
            ),
        },
        f"{API_PREFIX}/targets/{{target_id}}": {
            "get": operation(
                "getTarget",
                "Get a target",
                "targets",
                {"200": target_answer, **error_refs(*READ_ERRORS, "404")},
                parameters=target_id,
            ),
            "patch": operation(
                "updateTarget",
                "Change a target",
                "targets",
                {"200": target_answer, **error_refs(*WRITE_ERRORS, "404")},
                parameters=target_id,
                body=json_body("TargetUpdate"),
            ),
            "delete": operation(
                "deleteTarget",
                "Delete a target",
                "targets",
                {
                    "200": json_answer(DeletedBody, "The target was deleted."),
                    **error_refs(*WRITE_ERRORS, "404"),
                },
                parameters=target_id,
                description="Targets that depended on it no longer do.",
            ),
        },
        f"{API_PREFIX}/targets/{{target_id}}/acknowledge": {
            "post": operation(
                "acknowledgeTarget",
                "Acknowledge a target's alert",
                "targets",
                {"200": target_answer, **error_refs(*WRITE_ERRORS, "404", "409")},
                parameters=target_id,
                body=json_body("Acknowledge", required=False),
                description="The target leaves the alert state until it recovers. "
                "Acknowledged by 'API key <key name>'.",
            )
        },
        f"{API_PREFIX}/silences": {
            "get": operation(
                "listSilences",
                "List silences",
                "silences",
                {
                    "200": json_answer(SilenceListBody, "Silences, by start."),
                    **error_refs(*READ_ERRORS),
                },
                parameters=[
                    choice_param(
                        "state",
                        [s.value for s in SilenceState],
                        "Only silences in this state. Expired ones stay listed for "
                        "7 days.",
                    )
                ],
            ),
            "post": operation(
                "createSilence",
                "Create a silence",
                "silences",
                {
                    "201": json_answer(SilenceBody, "The new silence."),
                    **error_refs(*WRITE_ERRORS),
                },
                body=json_body("SilenceCreate"),
            ),
        },
        f"{API_PREFIX}/silences/{{silence_id}}": {
            "get": operation(
                "getSilence",
                "Get a silence",
                "silences",
                {
                    "200": json_answer(SilenceBody, "The silence."),
                    **error_refs(*READ_ERRORS, "404"),
                },
                parameters=[param_ref("SilenceId")],
            ),
            "delete": operation(
                "deleteSilence",
                "End a silence",
                "silences",
                {
                    "200": json_answer(SilenceBody, "The silence, now expired."),
                    **error_refs(*WRITE_ERRORS, "404"),
                },
                parameters=[param_ref("SilenceId")],
                description="Ends an active or pending silence now; it stays listed "
                "as expired.",
            ),
        },
        f"{API_PREFIX}/alerts/history": {
            "get": operation(
                "listAlertHistory",
                "Alert history",
                "alerts",
                {
                    "200": json_answer(HistoryPageBody, "Events, newest first."),
                    **error_refs(*READ_ERRORS),
                },
                parameters=[
                    *limit_offset,
                    query_param(
                        "target_id", {"type": "string"}, "Only this target's events."
                    ),
                    query_param(
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
            "get": operation(
                "listIncidents",
                "Incidents",
                "alerts",
                {
                    "200": {
                        "description": "Incidents overlapping the range, newest first.",
                        "content": {
                            "application/json": {"schema": ref(IncidentListBody)},
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
                    **error_refs(*READ_ERRORS),
                },
                parameters=[
                    query_param(
                        "start_date",
                        {"type": "string"},
                        "YYYY-MM-DD (start of that day) or ISO 8601; Home "
                        "Assistant's time zone when no offset is given.",
                    ),
                    query_param(
                        "end_date",
                        {"type": "string"},
                        "YYYY-MM-DD (end of that day) or ISO 8601. Not before "
                        "start_date.",
                    ),
                    query_param(
                        "target_id", {"type": "string"}, "Only this target's incidents."
                    ),
                    choice_param(
                        "format",
                        FORMATS,
                        "json, or csv with a header row.",
                        default="json",
                    ),
                ],
            ),
        },
        f"{API_PREFIX}/metrics": {
            "get": operation(
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
                    **error_refs(*READ_ERRORS),
                },
                description="Scrape with a read key as bearer token.",
            )
        },
        f"{API_PREFIX}/openapi.json": {
            "get": operation(
                "getOpenApi",
                "This document",
                "meta",
                {
                    "200": json_answer({"type": "object"}, "The OpenAPI document."),
                    "400": response_ref("BadRequest"),
                },
                public=True,
            )
        },
        **heartbeat_operations(),
        **incident_operations(),
        **targets_as_code_operations(),
        **check_log_operations(),
        **live_page_operations(),
        **delivery_operations(),
        **maintenance_operations(),
        **notification_rule_operations(),
    }
