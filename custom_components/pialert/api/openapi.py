"""The OpenAPI 3.1 description of every PiAlert endpoint.

Its paths and methods are those of the views given (the registered ones),
its answer schemas are generated from the answers' TypedDicts and its target
body schemas from the engine's field table; the prose comes from
``openapi_paths.py``. A view or method without prose cannot be described.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any, Final

from .base import HEADER_API_KEY
from .deliveries import DELIVERY_BODIES
from .maintenance import MAINTENANCE_BODIES
from .notification_rules import NOTIFICATION_RULE_BODIES
from .openapi_common import (
    Json,
    request_schemas,
    shared_parameters,
    shared_responses,
)
from .openapi_page_config import page_config_schemas
from .openapi_paths import described_operations
from .openapi_shapes import response_schemas
from .openapi_targets import target_body_schemas
from .page_shapes import PAGE_BODIES
from .pings import PING_BODIES
from .shapes import RESPONSE_BODIES

OPENAPI_VERSION: Final = "3.1.0"
API_VERSION: Final = "1.0.0"
# The handler methods Home Assistant routes (OPTIONS is its CORS preflight).
HANDLER_METHODS: Final = ("get", "post", "put", "patch", "delete", "head")


class UndocumentedError(LookupError):
    """A view serves a path or method that has no prose."""


def view_routes(views: Iterable[type[Any]]) -> dict[str, tuple[str, ...]]:
    """Return {path: handler methods} of view classes, as Home Assistant routes them."""
    routes: dict[str, tuple[str, ...]] = {}
    for view in views:
        methods = tuple(m for m in HANDLER_METHODS if hasattr(view, m))
        for url in (view.url, *getattr(view, "extra_urls", ())):
            routes[url] = methods
    return routes


def _paths(routes: dict[str, tuple[str, ...]]) -> Json:
    prose = described_operations()
    paths: Json = {}
    for path, methods in routes.items():
        missing = [m for m in methods if m not in prose.get(path, {})]
        if missing:
            raise UndocumentedError(f"No description of {missing} {path}")
        paths[path] = {method: prose[path][method] for method in methods}
    return paths


@cache
def openapi_document(views: tuple[type[Any], ...]) -> Json:
    """Return the OpenAPI document of ``views`` (built once)."""
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
            {"name": "status pages", "description": "Public pages and badges."},
            {
                "name": "notifications",
                "description": "Notification rules and deliveries.",
            },
            {"name": "meta", "description": "This description."},
        ],
        "security": [{"ApiKeyHeader": []}, {"BearerAuth": []}],
        "paths": _paths(view_routes(views)),
        "components": {
            "schemas": {
                **response_schemas(
                    RESPONSE_BODIES
                    + PAGE_BODIES
                    + PING_BODIES
                    + DELIVERY_BODIES
                    + MAINTENANCE_BODIES
                    + NOTIFICATION_RULE_BODIES
                ),
                **target_body_schemas(),
                **page_config_schemas(),
                **request_schemas(),
            },
            "responses": shared_responses(),
            "parameters": shared_parameters(),
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
