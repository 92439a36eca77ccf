"""Property test: rule bodies drawn from the OpenAPI schema get no 500.

Each is created, or refused only for a reason the schema's description names
(what no schema can say), in the rule form's own words.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings, strategies as st
from jsonschema import Draft202012Validator

from custom_components.pialert.api.views import api_document

from .conftest import Hub
from .test_openapi_bodies import FIELD_ERROR, from_schema

ERRORS = json.loads(
    (
        Path(__file__).parents[2] / "custom_components/pialert/translations/en.json"
    ).read_text(encoding="utf-8")
)["config_subentries"]["notification_rule"]["error"]
# The refusals the creation body's description names.
DOCUMENTED_TEXTS = {
    ERRORS[key]
    for key in (
        "tags_required",
        "targets_required",
        "unknown_rule_targets",
        "step_without_channel",
        "invalid_step_delay",
    )
}
PATH = "/api/pialert/v1/notification-rules"
CREATE = api_document()["paths"][PATH]["post"]["requestBody"]["content"][
    "application/json"
]["schema"]


def documented(detail: str) -> bool:
    """Return whether every field error in ``detail`` is a documented refusal."""
    parts = [p.strip() for p in FIELD_ERROR.split(detail) if p.strip()]
    return bool(parts) and all(part in DOCUMENTED_TEXTS for part in parts)


def without_documented_refusals(body: dict[str, Any]) -> dict[str, Any]:
    """Return the body changed (still schema-valid) so that none can apply."""
    steps = [
        {**step, "after_minutes": 10 * index, "persistent": True}
        for index, step in enumerate(body["steps"])
    ]
    fixed = {**body, "scope": "all", "steps": steps}
    fixed.pop("target_ids", None)
    return fixed


def test_the_description_names_each_documented_refusal() -> None:
    """The texts the test accepts are refusals the schema says it cannot express."""
    for words in ("tags", "targets", "target_ids", "channel", "after_minutes"):
        assert words in CREATE["description"]


async def test_schema_valid_rule_bodies_are_created_or_refused_as_documented(
    hub: Hub,
) -> None:
    """Hypothesis draws creation bodies; none gets a 500 or an undocumented 400.

    Half are first rid of what the documented refusals are about: those must
    all be created.
    """
    validator = Draft202012Validator(CREATE)
    loop = asyncio.get_running_loop()
    outcomes: dict[int, int] = {}

    async def post(body: dict[str, Any]) -> tuple[int, Any]:
        response = await hub.request("POST", PATH, json=body)
        answer = await response.json()
        if response.status == 201:
            await hub.json("DELETE", f"{PATH}/{answer['id']}")
        await hub.settle()
        return response.status, answer

    @settings(
        max_examples=80,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(body=from_schema(CREATE), repair=st.booleans())
    def check(body: dict[str, Any], repair: bool) -> None:
        if repair:
            body = without_documented_refusals(body)
        assume(validator.is_valid(body))
        status, answer = asyncio.run_coroutine_threadsafe(post(body), loop).result()
        outcomes[status] = outcomes.get(status, 0) + 1
        assert status in (201, 400), (body, answer)
        if repair:
            assert status == 201, (body, answer)
        elif status == 400:
            assert documented(answer["detail"]), (body, answer)

    # Hypothesis runs in a worker thread; the requests run on the event loop.
    await hub.hass.async_add_executor_job(check)
    assert outcomes.get(201, 0) > 0
    assert outcomes.get(400, 0) > 0, outcomes
