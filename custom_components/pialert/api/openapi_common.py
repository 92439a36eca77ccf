"""Building blocks of the OpenAPI document: shared answers, parameters, operations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from ..engine.silences import MAX_SILENCE
from .base import INVALID_KEY, MISSING_KEY
from .heartbeat import MAX_EXIT_CODE
from .keys import DEFAULT_RATE_LIMIT
from .openapi_shapes import ref
from .request import DEFAULT_LIMIT, MAX_LIMIT, MAX_NOTE_LENGTH

type Json = dict[str, Any]

NULLABLE_STRING: Final[Json] = {"type": ["string", "null"]}
DATE_TIME: Final[Json] = {"type": "string", "format": "date-time"}
READ_ERRORS: Final = ("400", "401", "429", "500", "503")
WRITE_ERRORS: Final = ("400", "401", "403", "429", "500", "503")
_ERROR_NAMES: Final = {
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


def schema_ref(name: str) -> Json:
    """Return a reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def response_ref(name: str) -> Json:
    """Return a reference to a shared answer."""
    return {"$ref": f"#/components/responses/{name}"}


def param_ref(name: str) -> Json:
    """Return a reference to a shared parameter."""
    return {"$ref": f"#/components/parameters/{name}"}


def json_answer(schema: Json | type, description: str) -> Json:
    """Return a JSON answer; a TypedDict stands for its generated schema."""
    if isinstance(schema, type):
        schema = ref(schema)
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def json_body(schema_name: str, *, required: bool = True) -> Json:
    """Return a JSON request body of a component schema."""
    return {
        "required": required,
        "content": {"application/json": {"schema": schema_ref(schema_name)}},
    }


def query_param(name: str, schema: Json, description: str) -> Json:
    """Return an optional query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def choice_param(
    name: str, choices: Iterable[str], description: str, default: str | None = None
) -> Json:
    """Return an optional query parameter taking one of ``choices``."""
    schema: Json = {"type": "string", "enum": list(choices)}
    if default is not None:
        schema["default"] = default
    return query_param(name, schema, description)


def error_refs(*codes: str) -> Json:
    """Return the shared error answers of ``codes``."""
    return {code: response_ref(_ERROR_NAMES[code]) for code in codes}


def operation(
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
    """Return an operation; one taking a body may be refused as too large."""
    described: Json = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "responses": responses,
    }
    if description:
        described["description"] = description
    if parameters:
        described["parameters"] = parameters
    if body is not None:
        described["requestBody"] = body
        responses.setdefault("413", response_ref("PayloadTooLarge"))
    if public:
        described["security"] = []
    return described


def request_schemas() -> Json:
    """Return the schemas of the request bodies other than targets'."""
    return {
        "Acknowledge": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"note": {**NULLABLE_STRING, "maxLength": MAX_NOTE_LENGTH}},
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
                "starts_at": {**DATE_TIME, "description": "Default: now."},
                "ends_at": DATE_TIME,
                "duration_seconds": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "maximum": MAX_SILENCE.total_seconds(),
                },
                "comment": {"type": "string", "maxLength": MAX_NOTE_LENGTH},
            },
        },
    }


def error_answer(description: str, *examples: str) -> Json:
    """Return an error answer with examples of its detail."""
    media: Json = {"schema": schema_ref("Error")}
    if len(examples) == 1:
        media["example"] = {"detail": examples[0]}
    elif examples:
        media["examples"] = {
            f"example{i}": {"value": {"detail": text}}
            for i, text in enumerate(examples, 1)
        }
    return {"description": description, "content": {"application/json": media}}


def shared_responses() -> Json:
    """Return the answers operations share."""
    unauthorized = error_answer("No valid API key.")
    unauthorized["content"]["application/json"]["examples"] = {
        "missing": {"summary": "No key", "value": {"detail": MISSING_KEY}},
        "invalid": {
            "summary": "Wrong or disabled key",
            "value": {"detail": INVALID_KEY},
        },
    }
    too_many = error_answer(
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
    bad_request = error_answer(
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
        "PayloadTooLarge": error_answer(
            "The body is over Home Assistant's limit (16 MiB).",
            "Request body is too large: Maximum request body size 16777216 exceeded.",
        ),
        "Unauthorized": unauthorized,
        "Forbidden": error_answer(
            "The key is read-only.",
            "This API key is read-only; this endpoint needs a key with write scope",
        ),
        "NotFound": error_answer(
            "No such target or silence.", "Unknown target: 01J0..."
        ),
        "Conflict": error_answer(
            "The target is not down.",
            "Web is not down, so there is no alert to acknowledge.",
        ),
        "TooManyRequests": too_many,
        "InternalError": error_answer("Unexpected failure.", "Internal error"),
        "NotLoaded": error_answer("PiAlert is not set up.", "PiAlert is not loaded"),
    }


def shared_parameters() -> Json:
    """Return the parameters operations share."""

    def path(name: str, description: str) -> Json:
        return {
            "name": name,
            "in": "path",
            "required": True,
            "description": description,
            "schema": {"type": "string"},
        }

    return {
        "Limit": query_param(
            "limit",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIMIT,
                "default": DEFAULT_LIMIT,
            },
            "Page size.",
        ),
        "Offset": query_param(
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
