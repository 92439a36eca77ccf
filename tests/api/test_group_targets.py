"""Entity group targets through the REST API: created, refused with reasons."""

from __future__ import annotations

from homeassistant.helpers import entity_registry as er

from .conftest import Hub


async def test_create_a_group_and_read_its_failing_members(hub: Hub) -> None:
    """A group over a domain is created and names its failing members."""
    hub.hass.states.async_set("light.porch", "unavailable", {"friendly_name": "Porch"})
    hub.hass.states.async_set("light.hall", "on", {"friendly_name": "Hall"})
    response = await hub.request(
        "POST",
        "/targets",
        json={"kind": "entity_group", "name": "Lights", "domains": ["light", " light"]},
    )
    assert response.status == 201, await response.json()
    created = await response.json()
    await hub.hass.async_block_till_done()
    await hub.hass.async_block_till_done()
    response = await hub.request("GET", f"/targets/{created['id']}")
    target = await response.json()
    assert target["settings"]["domains"] == ["light"]
    assert target["status"] == "down"
    assert target["last_error"] == "1 of 2 Lights unavailable: Porch"


async def test_bad_groups_are_refused_with_reasons(hub: Hub) -> None:
    """Empty selections, selections matching nothing and bad lists get a detail."""
    own = next(
        e.entity_id
        for e in er.async_get(hub.hass).entities.values()
        if e.platform == "pialert"
    )
    cases = {
        "Choose at least one label": {},
        "No entity matches this selection": {"labels": ["nowhere"]},
        "Pick an entity of another integration": {"entities": [own]},
        "Invalid field 'areas': expected a list": {"areas": "kitchen"},
        "Invalid field 'labels': expected a list": {"labels": [""]},
        "Enter how many members must fail": {"domains": ["sensor"], "rule": "at_least"},
    }
    hub.hass.states.async_set("sensor.any", "1")
    for wanted, fields in cases.items():
        response = await hub.request(
            "POST",
            "/targets",
            json={"kind": "entity_group", "name": "Group", **fields},
        )
        answer = await response.json()
        assert response.status == 400, (fields, answer)
        assert wanted in answer["detail"], (fields, answer)
