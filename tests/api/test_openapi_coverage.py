"""The document cannot miss a view, a kind's field or a key of an answer."""

from __future__ import annotations

from typing import Any

from aiohttp import web
import pytest

from custom_components.pialert.api.base import API_PREFIX, PiAlertView
from custom_components.pialert.api.openapi import UndocumentedError, openapi_document
from custom_components.pialert.api.openapi_shapes import component_name
from custom_components.pialert.api.shapes import (
    AlertStatusBody,
    DeletedBody,
    ErrorBody,
    HeartbeatPingBody,
    HistoryPageBody,
    IncidentListBody,
    SilenceBody,
    SilenceListBody,
    TargetBody,
    TargetListBody,
)
from custom_components.pialert.api.target_bodies import editable_fields
from custom_components.pialert.api.views import VIEW_TYPES, api_document
from custom_components.pialert.engine.config import kind_fields
from custom_components.pialert.engine.fields import FieldType
from custom_components.pialert.engine.models import TargetKind

from .conftest import Hub

DOCUMENT = api_document()
SCHEMAS = DOCUMENT["components"]["schemas"]


def registered_routes(hub: Hub) -> set[tuple[str, str]]:
    """Return PiAlert's (path template, method) routes as aiohttp serves them."""
    return {
        (route.resource.canonical, route.method.lower())
        for route in hub.hass.http.app.router.routes()
        if route.resource is not None
        and route.resource.canonical.startswith(("/api/pialert/", "/api/v1/"))
        and route.method != "OPTIONS"  # Home Assistant's CORS preflight
    }


async def test_every_registered_route_is_an_operation(hub: Hub) -> None:
    described = {
        (path, method) for path, item in DOCUMENT["paths"].items() for method in item
    }
    registered = registered_routes(hub)
    assert ("/api/pialert/v1/targets/{target_id}", "patch") in registered
    assert registered - described == set()
    assert described - registered == set()


def test_a_view_without_prose_cannot_be_described() -> None:
    class ExportView(PiAlertView):
        url = f"{API_PREFIX}/export"
        name = "api:pialert:export"

        async def get(self, request: web.Request) -> web.Response:
            return web.Response()

    class PutTargetsView(PiAlertView):
        url = f"{API_PREFIX}/targets"
        name = "api:pialert:targets:put"

        async def put(self, request: web.Request) -> web.Response:
            return web.Response()

    for extra in (ExportView, PutTargetsView):
        with pytest.raises(UndocumentedError, match=extra.url):
            openapi_document((*VIEW_TYPES, extra))


@pytest.mark.parametrize("kind", list(TargetKind))
def test_every_field_of_a_kind_is_in_its_variants(kind: TargetKind) -> None:
    name = kind.value.capitalize()
    create = SCHEMAS[f"{name}TargetCreate"]
    update = SCHEMAS[f"{name}TargetUpdate"]
    ref = f"#/components/schemas/{name}TargetCreate"
    assert {"$ref": ref} in SCHEMAS["TargetCreate"]["oneOf"]
    assert SCHEMAS["TargetCreate"]["discriminator"]["mapping"][kind.value] == ref
    assert set(create["properties"]) == set(editable_fields(kind))
    assert set(update["properties"]) == set(editable_fields(kind))
    for field in kind_fields(kind):
        if field.spec.type is FieldType.SECRET:
            assert field.name not in create["properties"]
        elif field.spec.required:
            assert field.name in create["required"], field.name


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow references, and from "an object or null" take the object."""
    if "oneOf" in schema:
        schema = next(s for s in schema["oneOf"] if s.get("type") != "null")
    if "$ref" in schema:
        return resolve(SCHEMAS[schema["$ref"].rsplit("/", 1)[1]])
    return schema


def keys_missing(body: Any, schema: dict[str, Any], at: str = "") -> list[str]:
    """Return where ``body`` and ``schema`` disagree on keys, walking nested objects."""
    schema = resolve(schema)
    if isinstance(body, list):
        return [
            problem
            for index, item in enumerate(body)
            for problem in keys_missing(item, schema["items"], f"{at}[{index}]")
        ]
    if not isinstance(body, dict):
        return []
    properties = schema.get("properties", {})
    problems = [
        f"{at}.{key} not in the schema" for key in body if key not in properties
    ]
    if schema.get("additionalProperties") is True:
        problems = []
    problems += [
        f"{at}.{key} missing" for key in schema.get("required", ()) if key not in body
    ]
    for key, value in body.items():
        if key in properties:
            problems += keys_missing(value, properties[key], f"{at}.{key}")
    return problems


async def busy(hub: Hub) -> None:
    """Give every optional part of the answers a value."""
    hub.record("backup", False)
    hub.record("cpu", True, response_time_ms=5.0, cert_days_remaining=3)
    await hub.settle()
    await hub.json("POST", "/targets/backup/acknowledge", json={"note": "n"})
    await hub.json("POST", "/silences", 201, json={"all": True, "duration_seconds": 60})
    hub.record("backup", True)
    hub.record("backup", False)
    await hub.settle()


async def test_every_answer_key_is_in_its_schema(hub: Hub) -> None:
    """Real answers of the real views: each key is described, each required key given."""
    await busy(hub)
    await hub.json("POST", "/targets/backup/acknowledge", json={"note": "again"})
    silence = (await hub.json("GET", "/silences"))["silences"][0]
    target = await hub.json("GET", "/targets/backup")
    answers: list[tuple[type, Any]] = [
        (AlertStatusBody, await hub.json("GET", "/api/v1/alert-status")),
        (TargetListBody, await hub.json("GET", "/targets")),
        (TargetBody, target),
        (SilenceListBody, await hub.json("GET", "/silences")),
        (SilenceBody, await hub.json("DELETE", f"/silences/{silence['id']}")),
        (HistoryPageBody, await hub.json("GET", "/alerts/history")),
        (IncidentListBody, await hub.json("GET", "/incidents")),
        (
            HeartbeatPingBody,
            await hub.json("GET", target["settings"]["ping_url"], key=None),
        ),
        (ErrorBody, await hub.json("GET", "/targets", 401, key=None)),
        (DeletedBody, await hub.json("DELETE", "/targets/door")),
    ]
    for body_type, body in answers:
        assert body, body_type
        assert set(body) == body_type.__required_keys__, body_type
        schema = SCHEMAS[component_name(body_type)]
        assert keys_missing(body, schema) == [], body_type
    # The walk goes deep: a target's acknowledgement and uptime are checked too.
    assert target["acknowledged"]
    assert set(target["uptime"]) == {"24h", "7d", "30d", "90d", "1y"}
