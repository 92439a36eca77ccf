"""Names, tags and watched entities: the API and the subentry form refuse alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest

from custom_components.pialert.const import DOMAIN

from .conftest import Hub

ERRORS = json.loads(
    (
        Path(__file__).parents[2] / "custom_components/pialert/translations/en.json"
    ).read_text(encoding="utf-8")
)["config_subentries"]["target"]["error"]

HEARTBEAT = {"kind": "heartbeat", "period": 3600, "grace": 60}
ENTITY = {"kind": "entity", "condition": "unavailable"}


def detail(field: str, error: str) -> str:
    return f"Invalid field '{field}': {ERRORS[error]}"


@pytest.mark.parametrize(
    ("body", "field", "error"),
    [
        ({"name": "Back\u202eup"}, "name", "invalid_name_characters"),
        ({"name": "Back\u2066up\u2069"}, "name", "invalid_name_characters"),
        ({"name": "Backup\u200f"}, "name", "invalid_name_characters"),
        ({"name": "Back\x1bup"}, "name", "invalid_name_characters"),
        ({"name": "\u200b\u200b\u200b"}, "name", "invalid_name_invisible"),
        ({"name": "\u200b \u2060"}, "name", "invalid_name_invisible"),
        # Looks like "Backup job" once normalised and case-folded.
        ({"name": "ＢＡＣＫＵＰ JOB"}, "name", "name_exists"),  # noqa: RUF001
        ({"name": "backup job"}, "name", "name_exists"),
        ({"name": "Nightly", "tags": ["a,b"]}, "tags", "invalid_tag_comma"),
        ({"name": "Nightly", "tags": ["ok", "x\u202ey"]}, "tags", "invalid_tag"),
        ({"name": "Nightly", "tags": ["\u200b"]}, "tags", "invalid_tag"),
    ],
)
async def test_api_refuses_bad_names_and_tags(
    hub: Hub, body: dict[str, Any], field: str, error: str
) -> None:
    before = set(hub.entry.subentries)
    got = await hub.error("POST", "/targets", 400, json={**HEARTBEAT, **body})
    assert got == detail(field, error)
    assert set(hub.entry.subentries) == before
    # A change to an existing target is refused the same way.
    got = await hub.error("PATCH", "/targets/paused", 400, json=body)
    assert got == detail(field, error)


async def test_api_renaming_keeps_its_own_name(hub: Hub) -> None:
    """Re-spelling a target's own name is no duplicate."""
    body = await hub.json("PATCH", "/targets/backup", json={"name": "BACKUP JOB"})
    assert body["name"] == "BACKUP JOB"


async def own_entity_ids(hub: Hub) -> list[str]:
    registry = er.async_get(hub.hass)
    return [
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, hub.entry.entry_id)
        if e.platform == DOMAIN
    ]


async def test_api_refuses_pialert_entities(hub: Hub) -> None:
    """Watching PiAlert's own entities would keep an alert on forever."""
    own = await own_entity_ids(hub)
    assert "binary_sensor.pialert_alert" in own
    assert any(e.startswith("sensor.") for e in own)
    for entity_id in ("binary_sensor.pialert_alert", *own[:5]):
        got = await hub.error(
            "POST",
            "/targets",
            400,
            json={**ENTITY, "name": "Self", "entity_id": entity_id},
        )
        assert got == detail("entity_id", "own_entity")
        got = await hub.error(
            "PATCH", "/targets/cpu", 400, json={"entity_id": entity_id}
        )
        assert got == detail("entity_id", "own_entity")
    # Other integrations' entities stay allowed.
    created = await hub.json(
        "POST",
        "/targets",
        201,
        json={**ENTITY, "name": "Door 2", "entity_id": "binary_sensor.door"},
    )
    assert created["settings"]["entity_id"] == "binary_sensor.door"


async def start_entity_form(hub: Hub) -> str:
    hass = hub.hass
    result = await hass.config_entries.subentries.async_init(
        (hub.entry.entry_id, "target"), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "entity"}
    )
    assert result["step_id"] == "entity"
    flow_id: str = result["flow_id"]
    return flow_id


async def test_form_refuses_pialert_entities_and_bad_names(hub: Hub) -> None:
    """The subentry form shows the same refusals, translated."""
    hass = hub.hass
    flow_id = await start_entity_form(hub)
    form = {
        "name": "Self",
        "entity_id": "binary_sensor.pialert_alert",
        "condition": "equals",
        "value": "on",
    }
    result = await hass.config_entries.subentries.async_configure(flow_id, form)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"entity_id": "own_entity"}

    form |= {"entity_id": "binary_sensor.door", "name": "Door\u202e"}
    result = await hass.config_entries.subentries.async_configure(flow_id, form)
    assert result["errors"] == {"name": "invalid_name_characters"}

    form |= {"name": "ｄｏｏｒ"}  # noqa: RUF001 - full-width on purpose
    result = await hass.config_entries.subentries.async_configure(flow_id, form)
    assert result["errors"] == {"name": "name_exists"}

    form |= {"name": "\u200b\u200b", "tags": ["front,back"]}
    result = await hass.config_entries.subentries.async_configure(flow_id, form)
    assert result["errors"] == {
        "name": "invalid_name_invisible",
        "tags": "invalid_tag_comma",
    }
    for error in result["errors"].values():
        assert error in ERRORS

    form |= {"name": "Front door", "tags": ["front", "back"]}
    result = await hass.config_entries.subentries.async_configure(flow_id, form)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["tags"] == ["back", "front"]
