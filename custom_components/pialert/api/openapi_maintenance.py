"""The prose and request schema of the maintenance-window operations."""

from __future__ import annotations

from typing import Final

from ..engine.maintenance import DAYS, MAX_DURATION
from .base import API_PREFIX
from .maintenance import MaintenanceWindowBody, MaintenanceWindowListBody
from .openapi_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Json,
    error_refs,
    json_answer,
    operation,
)
from .openapi_workflow import inline_body
from .shapes import DeletedBody

_CLOCK: Final[Json] = {
    "type": "string",
    "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
    "description": "HH:MM, in the window's time zone.",
}
WINDOW_CREATE: Final[Json] = {
    "type": "object",
    "description": "Weekly (days, start_time and end_time; an end before the "
    "start ends the next day) or cron (cron and duration_seconds), in a time "
    "zone (default: Home Assistant's), for target_ids and/or tags, or all. "
    "Also refused, as no schema can say it: unknown targets or tags, an "
    "unknown time zone, a cron expression that never fires, an until in the "
    "past.",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "time_zone": {
            "type": "string",
            "maxLength": 200,
            "examples": ["Europe/Berlin"],
        },
        "days": {
            "type": "array",
            "items": {"type": "string", "enum": list(DAYS)},
            "maxItems": 7,
        },
        "start_time": _CLOCK,
        "end_time": _CLOCK,
        "cron": {"type": "string", "maxLength": 200, "examples": ["0 3 * * 0"]},
        "duration_seconds": {
            "type": "number",
            "minimum": 60,
            "maximum": MAX_DURATION.total_seconds(),
        },
        "target_ids": {"type": "array", "items": {"type": "string"}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "all": {"type": "boolean", "default": False},
        "until": {"type": "string", "format": "date-time"},
    },
    "oneOf": [
        {"required": ["days", "start_time", "end_time"], "not": {"required": ["cron"]}},
        {"required": ["cron", "duration_seconds"], "not": {"required": ["days"]}},
    ],
}


def maintenance_operations() -> dict[str, Json]:
    """Return {path: {method: operation}} of the maintenance windows."""
    return {
        f"{API_PREFIX}/maintenance-windows": {
            "get": operation(
                "listMaintenanceWindows",
                "List maintenance windows",
                "silences",
                {
                    "200": json_answer(
                        MaintenanceWindowListBody,
                        "Windows by name, each with its running or next occurrence.",
                    ),
                    **error_refs(*READ_ERRORS),
                },
            ),
            "post": operation(
                "createMaintenanceWindow",
                "Create a recurring maintenance window",
                "silences",
                {
                    "201": json_answer(MaintenanceWindowBody, "The new window."),
                    **error_refs(*WRITE_ERRORS),
                },
                body=inline_body(WINDOW_CREATE),
                description="While an occurrence runs, its targets are silenced "
                "exactly as by a silence. Saved at once.",
            ),
        },
        f"{API_PREFIX}/maintenance-windows/{{window_id}}": {
            "delete": operation(
                "deleteMaintenanceWindow",
                "Delete a maintenance window",
                "silences",
                {
                    "200": json_answer(DeletedBody, "The deleted window's id."),
                    **error_refs(*WRITE_ERRORS, "404"),
                },
                parameters=[
                    {
                        "name": "window_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
            )
        },
    }
