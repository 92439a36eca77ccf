"""The API keys screens: what a person reads there (issue #10 item 23)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.pialert.const import SUBENTRY_TYPE_API_KEYS

from .conftest import SetupHub

TRANSLATIONS = json.loads(
    (
        Path(__file__).parent.parent / "custom_components/pialert/translations/en.json"
    ).read_text(encoding="utf-8")
)
KEYS_FLOW = TRANSLATIONS["config_subentries"][SUBENTRY_TYPE_API_KEYS]


async def test_key_screens_read_well(hass: HomeAssistant, setup_hub: SetupHub) -> None:
    """Manage API keys: create, list, disable; local times, no plurals, a read-only key, Done."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = await setup_hub()
    keys = entry.runtime_data.api.keys
    option_errors = KEYS_FLOW["error"]
    option_steps = KEYS_FLOW["step"]

    async def open_keys() -> dict[str, Any]:
        result = await hass.config_entries.subentries.async_init(
            (entry.entry_id, SUBENTRY_TYPE_API_KEYS), context={"source": "user"}
        )
        assert result["type"] is FlowResultType.MENU
        return dict(result)

    async def answer(result: dict[str, Any], user_input: dict[str, Any]) -> Any:
        result = dict(
            await hass.config_entries.subentries.async_configure(
                result["flow_id"], user_input
            )
        )
        await hass.async_block_till_done()
        if result["type"] is FlowResultType.FORM:
            assert set((result["errors"] or {}).values()) <= set(option_errors)
        return result

    result = await open_keys()
    # Without keys there is nothing to manage, only to create.
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["create_key"]
    assert result["description_placeholders"] == {
        "keys": "| " + " | ".join(["—"] * 7) + " |"
    }
    result = await answer(result, {"next_step_id": "create_key"})
    assert result["step_id"] == "create_key"
    # Creating asks for no existing key.
    assert [str(key) for key in result["data_schema"].schema] == [
        "name",
        "scope",
        "rate_limit",
        "poll_interval",
    ]
    result = await answer(result, {"name": " ", "scope": "read", "rate_limit": 60.0})
    assert result["errors"] == {"name": "invalid_key_name"}
    result = await answer(
        result, {"name": "Relay Pi", "scope": "write", "rate_limit": 60.0}
    )
    assert result["step_id"] == "key_created"
    assert result["description_placeholders"] == {"name": "Relay Pi"}
    # The key sits in a read-only field, and the button says Done.
    (field,) = result["data_schema"].schema
    assert str(field) == "api_key"
    assert result["data_schema"].schema[field].config["read_only"] is True
    plaintext = field.description["suggested_value"]
    assert option_steps["key_created"]["submit"] == "Done"
    assert "api_key" in option_steps["key_created"]["data"]
    result = await answer(result, {"api_key": plaintext})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "api_keys_updated"
    (key,) = keys.listing()
    assert key.name == "Relay Pi"
    assert key.scope.value == "write"
    assert key.rate_limit == 60
    assert plaintext.startswith(key.hint.rstrip("…"))
    assert plaintext not in str(key)

    # A second key with the same name (any case) is refused.
    result = await answer(await open_keys(), {"next_step_id": "create_key"})
    result = await answer(
        result, {"name": "relay pi", "scope": "read", "rate_limit": 10.0}
    )
    assert result["errors"] == {"name": "key_name_exists"}

    # The table: times in Home Assistant's zone, a number of uses (no
    # "1 times"), every word from the translations.
    key = keys.put(
        replace(
            key,
            usage_count=1,
            created_at=datetime(2026, 1, 1, 11, 30, tzinfo=UTC),
            last_used_at=datetime(2026, 7, 1, 11, 30, tzinfo=UTC),
        )
    )
    result = await open_keys()
    assert result["menu_options"] == ["create_key", "manage_key"]
    placeholders = result["description_placeholders"]
    (row,) = placeholders["keys"].splitlines()
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[0] == "Relay Pi"
    assert cells[2:] == ["write", "✓", "2026-01-01 12:30", "1", "2026-07-01 13:30"]
    assert "times" not in row
    assert "UTC" not in row
    description = option_steps["user"]["description"]
    assert "| Name |" in description
    assert "{keys}" in description

    # Managing asks for a key that still exists.
    other, _ = keys.create("Other", key.scope, key.created_at)
    result = await open_keys()
    result = await answer(result, {"next_step_id": "manage_key"})
    keys.delete(other.id)  # by someone else, while the form is open
    result = await answer(result, {"action": "disable", "key_id": other.id})
    assert result["errors"] == {"key_id": "key_required"}
    result = await open_keys()
    result = await answer(result, {"next_step_id": "manage_key"})
    result = await answer(result, {"action": "disable", "key_id": key.id})
    assert result["reason"] == "api_keys_updated"
    assert not keys.keys[key.id].enabled
    result = await open_keys()
    assert "✗" in result["description_placeholders"]["keys"]

    async def manage(user_input: dict[str, Any]) -> Any:
        result = await answer(await open_keys(), {"next_step_id": "manage_key"})
        return await answer(result, user_input)

    await manage({"action": "enable", "key_id": key.id})
    assert keys.keys[key.id].enabled
    result = await manage({"action": "delete", "key_id": key.id})
    assert result["reason"] == "api_keys_updated"
    assert not keys.listing()
    assert entry.state is ConfigEntryState.LOADED
