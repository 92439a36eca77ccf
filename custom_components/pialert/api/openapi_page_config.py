"""The schemas and prose of creating, changing and deleting status pages.

The schemas come from the page's field table (``PAGE_FIELDS`` and
``GROUP_FIELDS`` in engine/status_pages.py), the one the page form and the
API's checks read.
"""

from __future__ import annotations

from typing import Final

from ..engine.fields import Field
from ..engine.status_pages import (
    CONF_GROUPS,
    CONF_SLUG,
    GROUP_FIELDS,
    MAX_GROUPS,
    PAGE_FIELDS,
    SLUG_PATTERN,
)
from .base import API_PREFIX
from .openapi_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Json,
    error_answer,
    error_refs,
    json_answer,
    json_body,
    operation,
    schema_ref,
)
from .openapi_notify import field_schema
from .page_config import UNKNOWN_PAGE
from .shapes import DeletedBody

PAGE_REFUSALS: Final = (
    "Also refused, as no schema can say it: target ids that name no target of "
    "the hub (400), and a slug another page has (409)."
)


def _field(described: Field, *, answer: bool = False) -> Json:
    schema = field_schema(described)
    if answer and isinstance(schema["type"], list):  # answers are never null
        schema["type"] = schema["type"][0]
    if described.name == CONF_SLUG:
        schema["pattern"] = SLUG_PATTERN.pattern
    if "items" in schema:  # blank names are refused
        schema["items"].setdefault("pattern", "\\S")
    return schema


def _group(*, answer: bool = False) -> Json:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.name: _field(f, answer=answer) for f in GROUP_FIELDS},
        **({"required": [f.name for f in GROUP_FIELDS]} if answer else {}),
    }


def _groups(*, answer: bool = False) -> Json:
    return {
        "type": "array",
        "items": _group(answer=answer),
        "maxItems": MAX_GROUPS,
        "description": "Headings and their targets. A group needs target ids "
        "or tags; groups without either are left out, and a page needs at "
        "least one group.",
    }


def _settings(*, answer: bool = False) -> Json:
    return {
        **{f.name: _field(f, answer=answer) for f in PAGE_FIELDS},
        CONF_GROUPS: _groups(answer=answer),
    }


def page_config_schemas() -> Json:
    """Return the component schemas of a page's settings."""
    answer_fields: Json = {
        "id": {"type": "string"},
        **_settings(answer=True),
        "html_url": {"type": "string", "description": "The public page (HTML)."},
        "json_url": {"type": "string", "description": "The public page (JSON)."},
        "open_incidents": {"type": "integer", "minimum": 0},
    }
    return {
        "StatusPageConfig": {
            "type": "object",
            "description": "A status page's settings.",
            "additionalProperties": False,
            "required": list(answer_fields),
            "properties": answer_fields,
        },
        "StatusPageConfigList": {
            "type": "object",
            "additionalProperties": False,
            "required": ["status_pages"],
            "properties": {
                "status_pages": {
                    "type": "array",
                    "items": schema_ref("StatusPageConfig"),
                }
            },
        },
        "StatusPageCreate": {
            "type": "object",
            "description": f"A new status page. {PAGE_REFUSALS}",
            "additionalProperties": False,
            "required": [
                *(f.name for f in PAGE_FIELDS if f.spec.required),
                CONF_GROUPS,
            ],
            "properties": {**_settings(), CONF_GROUPS: {**_groups(), "minItems": 1}},
        },
        "StatusPageUpdate": {
            "type": "object",
            "description": "The settings to change; the others stay. groups "
            f"replaces all groups; null resets a setting. {PAGE_REFUSALS}",
            "additionalProperties": False,
            "properties": _settings(),
        },
    }


def _page_param() -> Json:
    return {
        "name": "page",
        "in": "path",
        "required": True,
        "description": "The page's slug or id.",
        "schema": {"type": "string"},
    }


def _not_found() -> Json:
    return error_answer("No page with this slug or id.", UNKNOWN_PAGE)


def _conflict() -> Json:
    return error_answer(
        "Another page has this slug.",
        "Invalid field 'slug': Another status page has this address.",
    )


def page_collection_operations() -> dict[str, Json]:
    """Return {path: {method: operation}} of listing and creating pages."""
    return {
        f"{API_PREFIX}/status-pages": {
            "get": operation(
                "listStatusPages",
                "List status pages",
                "status pages",
                {
                    "200": json_answer(
                        schema_ref("StatusPageConfigList"), "Pages by title."
                    ),
                    **error_refs(*READ_ERRORS),
                },
            ),
            "post": operation(
                "createStatusPage",
                "Create a status page",
                "status pages",
                {
                    "201": json_answer(schema_ref("StatusPageConfig"), "The new page."),
                    "409": _conflict(),
                    **error_refs(*WRITE_ERRORS),
                },
                body=json_body("StatusPageCreate"),
                description="The page is a subentry of the hub, as if added in "
                "the UI, and is served at once at its html_url and json_url.",
            ),
        }
    }


def page_item_operations() -> Json:
    """Return {method: operation} of changing and deleting one page."""
    return {
        "patch": operation(
            "changeStatusPage",
            "Change a status page",
            "status pages",
            {
                "200": json_answer(schema_ref("StatusPageConfig"), "The page."),
                "404": _not_found(),
                "409": _conflict(),
                **error_refs(*WRITE_ERRORS),
            },
            parameters=[_page_param()],
            body=json_body("StatusPageUpdate"),
            description="Incident messages posted on the page are kept.",
        ),
        "delete": operation(
            "deleteStatusPage",
            "Delete a status page",
            "status pages",
            {
                "200": json_answer(DeletedBody, "The deleted page's id."),
                "404": _not_found(),
                **error_refs(*WRITE_ERRORS),
            },
            parameters=[_page_param()],
            description="Its address answers 404 at once; its badges go with it "
            "unless another public page shows the targets.",
        ),
    }
