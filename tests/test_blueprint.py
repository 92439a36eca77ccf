"""The actionable-notification blueprint is a valid automation blueprint."""

from __future__ import annotations

from pathlib import Path

from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import models
from homeassistant.core import HomeAssistant
from homeassistant.util.yaml import load_yaml_dict

BLUEPRINT = (
    Path(__file__).parent.parent
    / "blueprints"
    / "automation"
    / "pialert"
    / "notify_actionable.yaml"
)


async def test_blueprint_is_valid(hass: HomeAssistant) -> None:
    """It parses, validates and substitutes its inputs."""
    data = await hass.async_add_executor_job(load_yaml_dict, str(BLUEPRINT))
    blueprint = models.Blueprint(
        data, expected_domain="automation", schema=AUTOMATION_BLUEPRINT_SCHEMA
    )
    assert blueprint.domain == "automation"
    assert set(blueprint.inputs) == {"notify_device", "wait_hours"}
    inputs = models.BlueprintInputs(
        blueprint,
        {"use_blueprint": {"path": "x", "input": {"notify_device": "abc123"}}},
    )
    inputs.validate()
    config = inputs.async_substitute()
    assert config["triggers"][0]["event_type"] == "pialert_target_down"
    services = [
        step["action"]
        for option in config["actions"][2]["choose"]
        for step in option["sequence"]
    ]
    assert services == ["pialert.acknowledge", "pialert.silence"]
    assert config["actions"][0]["device_id"] == "abc123"
