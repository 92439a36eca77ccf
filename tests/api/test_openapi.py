"""``/openapi.json``: a valid OpenAPI 3.1 document that matches the routes."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
import pytest

from custom_components.pialert.api.base import INVALID_KEY, MISSING_KEY
from custom_components.pialert.api.views import async_register_views

from .conftest import Hub
from .test_openapi_coverage import busy

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


async def fetch(hub: Hub) -> dict[str, Any]:
    body: dict[str, Any] = await hub.json("GET", "/openapi.json", key=None)
    return body


def routes(hub: Hub) -> dict[str, set[str]]:
    """Return PiAlert's routes as {path template: methods}."""
    found: dict[str, set[str]] = {}
    for route in hub.hass.http.app.router.routes():
        path = route.resource.canonical if route.resource else ""
        # OPTIONS routes are the CORS preflight Home Assistant adds to views.
        if (
            "/api/v1/" in path or "/api/pialert/" in path
        ) and route.method != "OPTIONS":
            found.setdefault(path, set()).add(route.method.lower())
    return found


async def test_document_is_valid_openapi_3_1(hub: Hub) -> None:
    document = await fetch(hub)
    assert document["openapi"] == "3.1.0"
    validate(document)


async def test_every_route_is_described(hub: Hub) -> None:
    document = await fetch(hub)
    described = {
        path: {m for m in item if m in METHODS}
        for path, item in document["paths"].items()
    }
    registered = routes(hub)
    assert "/api/v1/alert-status" in registered
    assert "/api/pialert/v1/heartbeat/{token}/{signal}" in registered
    assert described == registered


async def test_views_register_once(hub: Hub) -> None:
    before = routes(hub)
    async_register_views(hub.hass)
    assert routes(hub) == before


async def test_contents(hub: Hub) -> None:
    document = await fetch(hub)
    components = document["components"]
    assert {
        "AlertStatus",
        "FailingTarget",
        "Target",
        "Silence",
        "HistoryEvent",
        "Incident",
        "Error",
    } <= set(components["schemas"])
    schemes = components["securitySchemes"]
    assert schemes["ApiKeyHeader"] == {
        "type": "apiKey",
        "in": "header",
        "name": "x-api-key",
    }
    assert schemes["BearerAuth"]["type"] == "http"
    assert schemes["BearerAuth"]["scheme"] == "bearer"
    responses = components["responses"]
    examples = responses["Unauthorized"]["content"]["application/json"]["examples"]
    assert {e["value"]["detail"] for e in examples.values()} == {
        MISSING_KEY,
        INVALID_KEY,
    }
    assert "Retry-After" in responses["TooManyRequests"]["headers"]
    status = document["paths"]["/api/v1/alert-status"]["get"]
    assert status["responses"]["500"]["content"]["application/json"]["example"] == {
        "detail": "Unable to fetch alert status"
    }
    assert set(status["responses"]) >= {"200", "401", "429", "500"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            public = operation.get("security") == []
            assert public == (
                "heartbeat" in path
                or path.endswith(
                    ("openapi.json", "/ws")
                )  # the WebSocket: first message
                or "/badges/" in path
                or ("/status-pages/" in path and method == "get")
            )
            if method in {"post", "patch", "delete"} and not public:
                assert "403" in operation["responses"], (path, method)
            if "{target_id}" in path or "{silence_id}" in path:
                assert "404" in operation["responses"], (path, method)
            if not public:
                assert {"401", "429", "500"} <= set(operation["responses"])
                # The contract's alert-status ignores query parameters.
                if "alert-status" not in path:
                    assert "400" in operation["responses"]
    incidents = document["paths"]["/api/pialert/v1/incidents"]["get"]
    assert set(incidents["responses"]["200"]["content"]) == {
        "application/json",
        "text/csv",
    }
    assert {p["name"] for p in incidents["parameters"]} == {
        "start_date",
        "end_date",
        "target_id",
        "format",
    }


def schema_validator(document: dict[str, Any], name: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    )


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        ("/api/v1/alert-status", "AlertStatus"),
        ("/targets", "TargetList"),
        ("/targets/backup", "Target"),
        ("/silences", "SilenceList"),
        ("/alerts/history", "HistoryPage"),
        ("/incidents", "IncidentList"),
    ],
)
async def test_responses_match_their_schemas(hub: Hub, path: str, schema: str) -> None:
    """Real answers, in a busy state, are what the document says."""
    document = await fetch(hub)
    await busy(hub)
    body = await hub.json("GET", path)
    errors = list(schema_validator(document, schema).iter_errors(body))
    assert not errors, errors
    error = await hub.json("GET", path, 401, key=None)
    assert not list(schema_validator(document, "Error").iter_errors(error))


async def test_ping_answer_matches_its_schema(hub: Hub) -> None:
    document = await fetch(hub)
    target = await hub.json("GET", "/targets/backup")
    body = await hub.json("GET", target["settings"]["ping_url"] + "/start", key=None)
    assert not list(schema_validator(document, "HeartbeatPing").iter_errors(body))


async def test_no_key_needed_and_strict_query(hub: Hub) -> None:
    response = await hub.request("GET", "/openapi.json", key=None)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/json")
    detail = await hub.error("GET", "/openapi.json?v=2", 400, key=None)
    assert detail == "Unknown query parameter: v"


VALID_BODIES: dict[str, dict[str, Any]] = {
    "http": {"kind": "http", "name": "Site", "url": "https://example.org/health"},
    "tcp": {"kind": "tcp", "name": "Db", "host": "127.0.0.1", "port": 5432},
    "ping": {"kind": "ping", "name": "Router", "host": "router.lan"},
    "dns": {"kind": "dns", "name": "Resolver", "hostname": "example.org"},
    "heartbeat": {"kind": "heartbeat", "name": "Job", "period": 3600, "grace": 60},
    "entity": {
        "kind": "entity",
        "name": "Load",
        "entity_id": "sensor.cpu",
        "condition": "above",
        "value": "80",
    },
    "entity_group": {
        "kind": "entity_group",
        "name": "CPUs",
        "entities": ["sensor.cpu"],
    },
    "integration_health": {"kind": "integration_health", "name": "Integrations"},
}


async def test_target_creation_is_described_per_kind(hub: Hub) -> None:
    """One schema per kind, chosen by ``kind``: what it accepts, the API accepts."""
    document = await fetch(hub)
    schemas = document["components"]["schemas"]
    create = schemas["TargetCreate"]
    assert create["discriminator"]["propertyName"] == "kind"
    assert set(create["discriminator"]["mapping"]) == set(VALID_BODIES)
    assert len(create["oneOf"]) == len(VALID_BODIES)
    validator = schema_validator(document, "TargetCreate")
    for kind, body in VALID_BODIES.items():
        assert not list(validator.iter_errors(body)), kind
        created = await hub.json("POST", "/targets", 201, json=body)
        assert created["kind"] == kind
        # Another kind's field is invalid for the schema as for the API.
        if kind != "ping":
            assert not validator.is_valid({**body, "count": 3})
    # Today's flat schema took these; the API refuses them, so must the schema.
    refused = [
        {"kind": "tcp", "name": "No port", "host": "db.lan"},
        {"kind": "heartbeat", "name": "No period"},
        {
            "kind": "entity",
            "name": "No value",
            "entity_id": "sensor.a",
            "condition": "above",
        },
        {
            "kind": "entity",
            "name": "Not numeric",
            "entity_id": "sensor.a",
            "condition": "below",
            "value": "high",
        },
        {"kind": "http", "name": "Ftp", "url": "ftp://example.org"},
        {"kind": "http", "name": "Tags", "url": "http://a.lan", "tags": ["a,b"]},
        {"kind": "ping", "name": "Back\u202eup", "host": "a.lan"},
        {"kind": "dns", "name": "IP", "hostname": "192.0.2.1"},
    ]
    for body in refused:
        assert not validator.is_valid(body), body
        response = await hub.request("POST", "/targets", json=body)
        assert response.status == 400, body
    # A change is described by the target's kind's fields, all optional.
    update = schema_validator(document, "TargetUpdate")
    assert update.is_valid({"name": "New"})
    assert update.is_valid({"port": 80, "host": "a.lan"})
    assert not update.is_valid({"port": 80, "period": 60})  # two kinds' fields
    assert not update.is_valid({"color": "red"})


async def test_home_assistants_own_400_is_documented_as_text(hub: Hub) -> None:
    """Home Assistant refuses some requests before PiAlert, in text/plain."""
    response = await hub.request("GET", "/targets?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert response.status == 400
    assert response.content_type == "text/plain"
    document = await fetch(hub)
    bad_request = document["components"]["responses"]["BadRequest"]
    assert set(bad_request["content"]) == {"application/json", "text/plain"}
    # Bodies over the server's limit are documented where a body is taken.
    for item in document["paths"].values():
        for operation in item.values():
            if "requestBody" in operation:
                assert "413" in operation["responses"]
    too_large = document["components"]["responses"]["PayloadTooLarge"]
    assert "application/json" in too_large["content"]
