"""Property test: bodies generated from the OpenAPI schemas get no 500.

Bodies valid for ``TargetCreate`` are created, or refused only for the
reasons its description documents (what no schema can say).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
import re
from typing import Any

from hypothesis import HealthCheck, assume, given, settings, strategies as st
from jsonschema import Draft202012Validator

from custom_components.pialert.api.views import api_document

from .conftest import Hub

ERRORS = json.loads(
    (
        Path(__file__).parents[2] / "custom_components/pialert/translations/en.json"
    ).read_text(encoding="utf-8")
)["config_subentries"]["target"]["error"]
# The refusals TargetCreate's description documents.
DOCUMENTED = {
    "name_exists",
    "invalid_name_invisible",
    "invalid_tag",
    "invalid_timeout",
    "invalid_dependency",
    "invalid_expected",
    "keyword_with_head",
    # A pattern cannot say which bracketed texts are IPv6 addresses, nor
    # that a range of status codes runs upwards (200-100).
    "invalid_resolver",
    "invalid_status_codes",
    "empty_selection",
    "group_matches_nothing",
    "at_least_required",
    "share_required",
    "own_entity",
    "invalid_schedule",
    "invalid_time_zone",
    "window_incomplete",
    "json_with_head",
    "json_path_required",
    "json_value_required",
    "value_not_numeric",
    "header_name_required",
}
DOCUMENTED_TEXTS = {ERRORS[key] for key in DOCUMENTED}
FIELD_ERROR = re.compile(r"Invalid field '[a-z_]+': ")

DOCUMENT = api_document()
SCHEMAS = DOCUMENT["components"]["schemas"]


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    return resolve(SCHEMAS[ref.rsplit("/", 1)[1]])


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Return a strategy for the subset of JSON Schema the document uses."""
    schema = resolve(schema)
    if "oneOf" in schema or "anyOf" in schema:
        branches = schema.get("oneOf") or schema["anyOf"]
        base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
        if base.get("type") == "object":
            return st.one_of([from_schema(merge(base, resolve(b))) for b in branches])
        return st.one_of([from_schema(b) for b in branches])
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return st.one_of([from_schema({**schema, "type": k}) for k in kinds])
    if kinds == "null":
        return st.none()
    if kinds == "boolean":
        return st.booleans()
    if kinds == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kinds == "number":
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        return st.floats(
            low,
            schema.get("maximum"),
            exclude_min="exclusiveMinimum" in schema,
            allow_nan=False,
            allow_infinity=False,
        ) | st.integers(None if low is None else int(low) + 1, schema.get("maximum"))
    if kinds == "string":
        pattern = schema.get("pattern")
        text = (
            st.from_regex(pattern, fullmatch=True)
            if pattern
            else st.text(max_size=schema.get("maxLength", 50))
        )
        return text.filter(
            lambda t: schema.get("minLength", 0)
            <= len(t)
            <= schema.get("maxLength", 10**9)
        )
    if kinds == "array":
        return st.lists(
            from_schema(schema["items"]), max_size=min(schema.get("maxItems", 5), 5)
        )
    if kinds == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {name: from_schema(properties[name]) for name in sorted(required)},
            optional={
                name: from_schema(sub)
                for name, sub in properties.items()
                if name not in required
            },
        )
    raise AssertionError(f"schema not handled: {schema}")


def merge(base: dict[str, Any], branch: dict[str, Any]) -> dict[str, Any]:
    """Return an object schema narrowed by a branch (its properties win)."""
    return {
        **base,
        "properties": {**base["properties"], **branch.get("properties", {})},
        "required": sorted({*base.get("required", ()), *branch.get("required", ())}),
    }


def documented(detail: str) -> bool:
    """Return whether every field error in ``detail`` is a documented refusal."""
    parts = [p.strip() for p in FIELD_ERROR.split(detail) if p.strip()]
    return bool(parts) and all(part in DOCUMENTED_TEXTS for part in parts)


async def test_schema_valid_creation_bodies_are_accepted(hub: Hub) -> None:
    """Hypothesis draws TargetCreate bodies; each is created or refused as documented."""
    validator = Draft202012Validator(
        {
            "$ref": "#/components/schemas/TargetCreate",
            "components": DOCUMENT["components"],
        }
    )
    loop = asyncio.get_running_loop()
    outcomes: dict[int, int] = {}

    async def post(body: dict[str, Any]) -> tuple[int, Any]:
        response = await hub.request("POST", "/targets", json=body)
        answer = await response.json()
        if response.status == 201:
            await hub.json("DELETE", f"/targets/{answer['id']}")
        await hub.settle()
        return response.status, answer

    @settings(
        max_examples=120,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(body=from_schema(SCHEMAS["TargetCreate"]))
    def check(body: dict[str, Any]) -> None:
        assume(validator.is_valid(body))
        status, answer = asyncio.run_coroutine_threadsafe(post(body), loop).result()
        # Drawn labels, areas, ... match no entity of the test hub, and drawn
        # dependency ids name no target: such bodies are refused (as
        # documented), so they do not count for the schema's tightness.
        if body["kind"] != "entity_group" and not body.get("depends_on"):
            outcomes[status] = outcomes.get(status, 0) + 1
        assert status in (201, 400), (body, answer)
        if status == 400:
            assert documented(answer["detail"]), (body, answer)

    # Hypothesis runs in a worker thread; the requests run on the event loop.
    await hub.hass.async_add_executor_job(check)
    assert outcomes.get(201, 0) > outcomes.get(400, 0), outcomes


@settings(max_examples=300, deadline=None, database=None)
@given(body=from_schema(SCHEMAS["TargetCreate"]))
def test_generated_bodies_are_schema_valid(body: dict[str, Any]) -> None:
    """The generator stays inside the schema (so the test above tests it)."""
    validator = Draft202012Validator(
        {
            "$ref": "#/components/schemas/TargetCreate",
            "components": DOCUMENT["components"],
        }
    )
    assert not list(validator.iter_errors(body))
