"""The form, the API's validation and the OpenAPI schemas all follow the field table.

For every field of every kind, read from the engine's table: the subentry form
shows its bounds and default, the API refuses a value just outside its bounds
(and takes one on them), and the OpenAPI variant states the same bounds,
default and choices.
"""

from __future__ import annotations

from itertools import count
from typing import Any

import probatio as vol
import pytest

from custom_components.pialert.api.target_bodies import FIELD_TYPES
from custom_components.pialert.api.views import api_document
from custom_components.pialert.engine.config import (
    COMMON_NUMBERS,
    CONF_INTERVAL,
    CONF_TIMEOUT,
    common_default,
    kind_fields,
)
from custom_components.pialert.engine.fields import NUMERIC_TYPES, Field, FieldType
from custom_components.pialert.engine.models import POLLED_KINDS, TargetKind
from custom_components.pialert.engine.rule_fields import (
    CONF_MIN_EVENTS,
    CONF_TIME_WINDOW_SECONDS,
)
from custom_components.pialert.form_numbers import FormNumber
from custom_components.pialert.target_form import POLLED_ONLY, target_schema

from .conftest import Hub

SCHEMAS = api_document()["components"]["schemas"]
VALID_BODIES: dict[TargetKind, dict[str, Any]] = {
    TargetKind.HTTP: {"kind": "http", "url": "https://example.org/health"},
    TargetKind.TCP: {"kind": "tcp", "host": "127.0.0.1", "port": 5432},
    TargetKind.PING: {"kind": "ping", "host": "router.lan"},
    TargetKind.DNS: {"kind": "dns", "hostname": "example.org"},
    TargetKind.HEARTBEAT: {"kind": "heartbeat", "period": 3600, "grace": 60},
    TargetKind.ENTITY: {"kind": "entity", "entity_id": "sensor.cpu"},
    TargetKind.ENTITY_GROUP: {"kind": "entity_group", "entities": ["sensor.cpu"]},
    TargetKind.INTEGRATION_HEALTH: {"kind": "integration_health"},
}
NAMES = count()


def table(kind: TargetKind) -> list[Field]:
    """Return the fields of ``kind`` a user gives, common numbers included."""
    own = [f for f in kind_fields(kind) if f.spec.type is not FieldType.SECRET]
    return [*own, *COMMON_NUMBERS]


def default_of(field: Field, kind: TargetKind) -> Any:
    if field in COMMON_NUMBERS:
        return common_default(field.name, kind)
    return field.spec.default


def form_box(kind: TargetKind, name: str) -> tuple[vol.Marker, Any] | None:
    for marker, box in target_schema(kind, {}, None).schema.items():
        if str(marker) == name:
            return marker, box
    return None


@pytest.mark.parametrize("kind", list(TargetKind))
def test_form_follows_the_table(kind: TargetKind) -> None:
    for field in table(kind):
        found = form_box(kind, field.name)
        if field.name in POLLED_ONLY and kind not in POLLED_KINDS:
            assert found is None, field.name  # pushed kinds are not polled
            continue
        assert found is not None, field.name
        marker, box = found
        default = default_of(field, kind)
        shown = marker.default() if callable(marker.default) else None
        if field.spec.type is FieldType.CHOICE:
            assert shown == str(default).lower(), field.name
            assert box.config["options"] == [c.lower() for c in field.spec.choices]
        else:
            assert shown == default, field.name
        if field.spec.type in NUMERIC_TYPES:
            assert isinstance(box, FormNumber), field.name
            assert (box.config["min"], box.config["max"]) == (
                field.spec.minimum,
                field.spec.maximum,
            ), field.name
            assert box.whole == (field.spec.type is FieldType.INTEGER), field.name


@pytest.mark.parametrize("kind", list(TargetKind))
def test_openapi_follows_the_table(kind: TargetKind) -> None:
    variant = SCHEMAS[f"{kind.value.capitalize()}TargetCreate"]
    for field in table(kind):
        schema = variant["properties"][field.name]
        spec = field.spec
        assert schema.get("default") == default_of(field, kind), field.name
        if spec.type in NUMERIC_TYPES:
            wanted = "integer" if spec.type is FieldType.INTEGER else "number"
            assert wanted in schema["type"], field.name
            assert schema["maximum"] == spec.maximum, field.name
            if field.name == CONF_TIMEOUT:
                # The engine takes any positive timeout; the form steps by 0.5.
                assert schema["exclusiveMinimum"] == 0
            else:
                assert schema["minimum"] == spec.minimum, field.name
        if spec.choices:
            assert [c for c in schema["enum"] if c is not None] == list(spec.choices)
        assert (field.name in variant["required"]) == (
            spec.required and field not in COMMON_NUMBERS
        ), field.name


def test_api_types_follow_the_table() -> None:
    wanted = {
        FieldType.INTEGER: "int",
        FieldType.NUMBER: "number",
        FieldType.BOOLEAN: "bool",
        FieldType.TEXT_OR_NUMBER: "str_or_number",
        FieldType.LIST: "list",
    }
    for kind in TargetKind:
        for field in table(kind):
            assert FIELD_TYPES[field.name] == wanted.get(field.spec.type, "str")


async def post(hub: Hub, kind: TargetKind, **fields: Any) -> tuple[int, Any]:
    body = {**VALID_BODIES[kind], "name": f"Target {next(NAMES)}", **fields}
    if kind is TargetKind.ENTITY and "value" not in fields:
        body.setdefault("condition", "unavailable")
    response = await hub.request("POST", "/targets", json=body)
    return response.status, await response.json()


@pytest.mark.parametrize("kind", list(TargetKind))
async def test_api_refuses_just_outside_the_bounds(hub: Hub, kind: TargetKind) -> None:
    for field in table(kind):
        spec = field.spec
        if spec.type not in NUMERIC_TYPES:
            continue
        # Timeout and interval bound each other: leave room for the other's bounds.
        room = {
            CONF_TIMEOUT: {CONF_INTERVAL: 86400},
            CONF_INTERVAL: {CONF_TIMEOUT: 1},
            # The failure window's two numbers come together.
            CONF_MIN_EVENTS: {CONF_TIME_WINDOW_SECONDS: 60},
            CONF_TIME_WINDOW_SECONDS: {CONF_MIN_EVENTS: 3},
        }.get(field.name, {})
        step = spec.step
        for value in (spec.minimum, spec.maximum):
            status, answer = await post(hub, kind, **room, **{field.name: value})
            assert status == 201, (field.name, value, answer)
        for value in (spec.minimum - step, spec.maximum + step):
            if field.name == CONF_TIMEOUT and value > 0:
                value = 0  # noqa: PLW2901 - any positive timeout is taken
            status, answer = await post(hub, kind, **room, **{field.name: value})
            assert status == 400, (field.name, value, answer)
            assert answer["detail"].startswith(f"Invalid field '{field.name}'")
    for field in table(kind):
        if field.spec.choices:
            status, answer = await post(hub, kind, **{field.name: "nonsense"})
            assert status == 400, (field.name, answer)
            assert f"Invalid field '{field.name}'" in answer["detail"]
