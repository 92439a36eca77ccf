"""The prose of the incident workflow and targets-as-code operations."""

from __future__ import annotations

from typing import Final

from ..engine.incident_workflow import MAX_TEXT
from .base import API_PREFIX
from .openapi_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Json,
    choice_param,
    error_refs,
    json_answer,
    operation,
)
from .openapi_shapes import ref
from .shapes import IncidentBody, TargetChangesBody, TargetsExportBody

INCIDENT_ID: Final[Json] = {
    "name": "incident_id",
    "in": "path",
    "required": True,
    "description": "The incident's id (from GET incidents).",
    "schema": {"type": "string"},
}
_TEXT: Final[Json] = {"type": ["string", "null"], "maxLength": MAX_TEXT}


def inline_body(schema: Json) -> Json:
    """Return a required JSON request body of an inline schema."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}


INCIDENT_UPDATE: Final[Json] = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        "root_cause": {
            **_TEXT,
            "description": "Free text or one of the hub's presets; empty or null clears.",
        },
        "action_taken": {
            **_TEXT,
            "description": "Free text or one of the hub's presets; empty or null clears.",
        },
        "note": {**_TEXT, "description": "Added to the incident's notes."},
        "dismissed": {"type": "boolean", "description": "false reopens."},
    },
}


def incident_operations() -> dict[str, Json]:
    """Return {path: {method: operation}} of one incident."""
    answer = json_answer(IncidentBody, "The incident.")
    return {
        f"{API_PREFIX}/incidents/{{incident_id}}": {
            "get": operation(
                "getIncident",
                "Get an incident",
                "alerts",
                {"200": answer, **error_refs(*READ_ERRORS, "404")},
                parameters=[INCIDENT_ID],
            ),
            "patch": operation(
                "updateIncident",
                "Record root cause, action taken, a note or a dismissal",
                "alerts",
                {"200": answer, **error_refs(*WRITE_ERRORS, "404")},
                parameters=[INCIDENT_ID],
                body=inline_body(INCIDENT_UPDATE),
                description="Each change records when and by whom ('API key "
                "<key name>'), adds a history event and fires "
                "pialert_incident_updated. A change that changes nothing is "
                "refused (400).",
            ),
        },
    }


def _query_flag(name: str, description: str) -> Json:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "enum": ["true", "false"], "default": "false"},
    }


BULK_UPDATE: Final[Json] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["target_ids", "updates"],
    "properties": {
        "target_ids": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "updates": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "description": "What to set on every listed target; null unsets a number.",
            "properties": {
                "enabled": {"type": "boolean", "description": "false pauses."},
                "tags": {"type": "array", "items": {"type": "string"}},
                "add_tags": {"type": "array", "items": {"type": "string"}},
                "remove_tags": {"type": "array", "items": {"type": "string"}},
                "interval": {"type": ["integer", "null"]},
                "timeout": {"type": ["number", "null"]},
                "failure_threshold": {"type": ["integer", "null"]},
                "success_threshold": {"type": ["integer", "null"]},
            },
        },
        "dry_run": {"type": "boolean", "default": False},
    },
}
IMPORT_DOCUMENT: Final[Json] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["targets"],
    "properties": {
        "version": {"type": "integer", "enum": [1]},
        "targets": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "description": "As in GET targets/export: a target's fields, "
                "depends_on by name.",
            },
        },
    },
}


def targets_as_code_operations() -> dict[str, Json]:
    """Return {path: {method: operation}} of bulk changes, export and import."""
    changes = json_answer(TargetChangesBody, "What changed (or would, dry).")
    refused = error_refs(*WRITE_ERRORS)
    return {
        f"{API_PREFIX}/targets/bulk": {
            "put": operation(
                "bulkUpdateTargets",
                "Change many targets at once",
                "targets",
                {"200": changes, **refused},
                body=inline_body(BULK_UPDATE),
                description="Pause, resume, set or add/remove tags, interval, "
                "timeout or thresholds of the listed targets. All or nothing: "
                "when one target would be invalid, nothing changes and the "
                "detail names each refused target.",
            )
        },
        f"{API_PREFIX}/targets/export": {
            "get": operation(
                "exportTargets",
                "Export every target",
                "targets",
                {
                    "200": {
                        "description": "Every target, ordered by name.",
                        "content": {
                            "application/json": {"schema": ref(TargetsExportBody)},
                            "application/yaml": {"schema": {"type": "string"}},
                        },
                    },
                    **refused,
                },
                parameters=[
                    choice_param("format", ["json", "yaml"], "json or yaml.", "json"),
                    _query_flag(
                        "secrets", "Include heartbeat tokens (ping URLs keep working)."
                    ),
                ],
                description="Needs a write key: it shows every URL in full.",
            )
        },
        f"{API_PREFIX}/targets/import": {
            "post": operation(
                "importTargets",
                "Import targets (create or update by name)",
                "targets",
                {"200": changes, **refused},
                parameters=[_query_flag("dry_run", "Only answer what would change.")],
                body={
                    "required": True,
                    "content": {
                        "application/json": {"schema": IMPORT_DOCUMENT},
                        "application/yaml": {"schema": {"type": "string"}},
                    },
                },
                description="Each listed target is created, or updated when a "
                "target has its name; others stay. Validated as the target form "
                "does; all or nothing. A heartbeat keeps its token unless one "
                "is given.",
            )
        },
    }
