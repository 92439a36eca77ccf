"""Numbers in every form: translated errors stating the range, no raw text."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import selector
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert.config_flow import OPTIONS_SCHEMA, RELAY_SCHEMA
from custom_components.pialert.const import SUBENTRY_TYPE_API_KEYS
from custom_components.pialert.engine.models import TargetKind
from custom_components.pialert.key_flow import CREATE_KEY_SCHEMA
from custom_components.pialert.target_form import target_schema

from .conftest import SetupHub
from .test_target_flow import (
    TRANSLATIONS,
    VALID_INPUT,
    fake_probes,  # noqa: F401
    start_flow,
    submit,
)

TARGET_ERRORS = TRANSLATIONS["config_subentries"]["target"]["error"]
OPTION_ERRORS = TRANSLATIONS["options"]["error"]
KEY_ERRORS = TRANSLATIONS["config_subentries"][SUBENTRY_TYPE_API_KEYS]["error"]


def _shown(number: float) -> str:
    """A range bound as the messages write it: 65535, 0.5."""
    return f"{number:.0f}" if float(number).is_integer() else f"{number:g}"


def _message(texts: dict[str, str], key: str, placeholders: dict[str, str]) -> str:
    return texts[key].format(**placeholders)


def _number_fields(schema: Any) -> dict[str, selector.NumberSelector]:
    return {
        str(key): value
        for key, value in schema.schema.items()
        if isinstance(value, selector.NumberSelector)
    }


TARGET_NUMBER_CASES = [
    (kind, field, bound)
    for kind in TargetKind
    for field, number in _number_fields(target_schema(kind, {}, None)).items()
    for bound in ("below", "above")
]


@pytest.mark.parametrize(("kind", "field", "bound"), TARGET_NUMBER_CASES)
async def test_target_number_out_of_range_is_a_translated_field_error(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    kind: TargetKind,
    field: str,
    bound: str,
) -> None:
    """Every number of every kind: a translated error under it naming its range."""
    # The entity kinds' valid input watches sensor.cpu (the group: every sensor).
    hass.states.async_set("sensor.cpu", "50")
    entry = await setup_hub()
    number = _number_fields(target_schema(kind, {}, None))[field]
    low, high = number.config["min"], number.config["max"]
    value = low - 1 if bound == "below" else high + 1
    flow_id = await start_flow(hass, entry, kind.value)
    result = await submit(hass, flow_id, VALID_INPUT[kind.value] | {field: value})
    assert result["type"] is FlowResultType.FORM
    assert set(result["errors"]) == {field}
    text = _message(
        TARGET_ERRORS, result["errors"][field], result["description_placeholders"]
    )
    assert _shown(low) in text
    assert _shown(high) in text
    assert ".0 " not in text + " "  # whole numbers, not 70000.0
    assert not entry.subentries


async def test_error_clears_once_its_field_is_fixed(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Errors are per field and recomputed: fixing one leaves only the other."""
    entry = await setup_hub()
    flow_id = await start_flow(hass, entry, "tcp")
    result = await submit(
        hass, flow_id, VALID_INPUT["tcp"] | {"port": 70000.0, "interval": 100000.0}
    )
    assert result["errors"] == {"port": "invalid_port", "interval": "invalid_interval"}
    result = await submit(hass, flow_id, VALID_INPUT["tcp"] | {"interval": 100000.0})
    assert result["errors"] == {"interval": "invalid_interval"}
    result = await submit(hass, flow_id, VALID_INPUT["tcp"])
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_tcp_port_starts_empty(hass: HomeAssistant, setup_hub: SetupHub) -> None:
    """The port has no default: the frontend starts a required number at its
    minimum (1), so the field is optional in the schema and checked by the flow."""
    entry = await setup_hub()
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "target"), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "tcp"}
    )
    (port,) = (key for key in result["data_schema"].schema if str(key) == "port")
    assert not isinstance(port, vol.Required)
    assert port.default is vol.UNDEFINED
    assert "suggested_value" not in (port.description or {})
    without_port = {k: v for k, v in VALID_INPUT["tcp"].items() if k != "port"}
    result = await submit(hass, result["flow_id"], without_port)
    assert result["errors"] == {"port": "invalid_port"}


async def _options_form(
    hass: HomeAssistant, entry: MockConfigEntry, step: str
) -> dict[str, Any]:
    if step == "create_key":  # API keys have their own flow, not the options
        result = await hass.config_entries.subentries.async_init(
            (entry.entry_id, SUBENTRY_TYPE_API_KEYS), context={"source": "user"}
        )
    else:
        result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await _configure(hass, step)(result["flow_id"], {"next_step_id": step})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    return dict(result)


def _configure(hass: HomeAssistant, step: str) -> Any:
    """Return the flow manager's configure of the flow that has ``step``."""
    if step == "create_key":
        return hass.config_entries.subentries.async_configure
    return hass.config_entries.options.async_configure


OPTION_NUMBER_CASES = [
    (step, field, bound)
    for step, schema in (
        ("settings", OPTIONS_SCHEMA),
        ("relay", RELAY_SCHEMA),
        ("create_key", CREATE_KEY_SCHEMA),
    )
    for field in _number_fields(schema)
    for bound in ("below", "above")
]
OPTION_SCHEMAS = {
    "settings": OPTIONS_SCHEMA,
    "relay": RELAY_SCHEMA,
    "create_key": CREATE_KEY_SCHEMA,
}
OPTION_VALID = {
    "settings": {
        "max_concurrent_checks": 8.0,
        "retention_days": 30.0,
        "max_history_events": 500.0,
    },
    "relay": {"relay_enabled": False, "relay_pin": 17.0},
    "create_key": {"name": "Relay", "scope": "read", "rate_limit": 60.0},
}


@pytest.mark.parametrize(("step", "field", "bound"), OPTION_NUMBER_CASES)
async def test_option_number_out_of_range_is_a_translated_field_error(
    hass: HomeAssistant, setup_hub: SetupHub, step: str, field: str, bound: str
) -> None:
    """The options' numbers answer like the targets': translated, with the range."""
    entry = await setup_hub()
    number = _number_fields(OPTION_SCHEMAS[step])[field]
    low, high = number.config["min"], number.config["max"]
    value = low - 1 if bound == "below" else high + 1
    result = await _options_form(hass, entry, step)
    result = dict(
        await _configure(hass, step)(
            result["flow_id"], OPTION_VALID[step] | {field: value}
        )
    )
    assert result["type"] is FlowResultType.FORM
    assert set(result["errors"]) == {field}
    text = _message(
        KEY_ERRORS if step == "create_key" else OPTION_ERRORS,
        result["errors"][field],
        result.get("description_placeholders") or {},
    )
    assert _shown(low) in text
    assert _shown(high) in text
    # Nothing was saved.
    assert entry.options.get(field) is None
    # Fixed, the same form goes through.
    result = dict(await _configure(hass, step)(result["flow_id"], OPTION_VALID[step]))
    assert result["type"] is not FlowResultType.FORM or not result["errors"]
