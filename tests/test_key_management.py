"""Managing API keys: the services and the API keys flow.

KeyRing: tests/api/test_keys.py; WindowLimiter: tests/api/test_limits.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import hashlib
import json
from pathlib import Path
import re
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pialert.api.keys import (
    DEFAULT_RATE_LIMIT,
    KEY_PREFIX,
    MAX_RATE_LIMIT,
    Scope,
)
from custom_components.pialert.const import DOMAIN, SUBENTRY_TYPE_API_KEYS
from custom_components.pialert.coordinator import PiAlertCoordinator

from .conftest import SetupHub

TRANSLATIONS = json.loads(
    (
        Path(__file__).parents[1] / "custom_components/pialert/translations/en.json"
    ).read_text(encoding="utf-8")
)
EXCEPTIONS = TRANSLATIONS["exceptions"]
KEYS_FLOW = TRANSLATIONS["config_subentries"][SUBENTRY_TYPE_API_KEYS]
URLSAFE = re.compile(r"[A-Za-z0-9_-]+")
NOW = datetime(2025, 10, 21, 21, 14, 18, tzinfo=UTC)


@pytest.fixture
async def init_integration(setup_hub: SetupHub) -> MockConfigEntry:
    """A hub without targets, on the real clock: keys list in creation order."""
    return await setup_hub()


@pytest.fixture
def coordinator(init_integration: MockConfigEntry) -> PiAlertCoordinator:
    """The hub's coordinator."""
    return init_integration.runtime_data.coordinator  # type: ignore[no-any-return]


async def call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    """Call a key service and return its response."""
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


def assert_translated(err: ServiceValidationError, key: str) -> None:
    """The error names a translation of ours, and it exists with its placeholders."""
    assert err.translation_domain == DOMAIN
    assert err.translation_key == key
    message = EXCEPTIONS[key]["message"]
    for placeholder in re.findall(r"{(\w+)}", message):
        assert placeholder in (err.translation_placeholders or {})


# --- services --------------------------------------------------------------


async def test_create_returns_the_key_once(
    hass: HomeAssistant, coordinator: PiAlertCoordinator
) -> None:
    """The key comes back once, prefixed, with 256 random bits; only its hash stays."""
    created = await call(hass, "create_api_key", name="Home Assistant")
    plaintext = created.pop("key")
    assert plaintext.startswith(KEY_PREFIX)
    secret = plaintext[len(KEY_PREFIX) :]
    assert URLSAFE.fullmatch(secret)
    assert len(secret) * 6 >= 128  # base64url: 6 bits a character
    assert len(secret) == 43  # 32 random bytes
    assert created == {
        "id": created["id"],
        "name": "Home Assistant",
        "hint": plaintext[:7] + "…",
        "scope": "read",
        "status": "active",
        "created_at": created["created_at"],
        "last_used_at": None,
        "usage_count": 0,
        "rate_limit_per_minute": DEFAULT_RATE_LIMIT,
        "poll_interval": None,
    }
    datetime.fromisoformat(created["created_at"])

    stored = coordinator.config_entry.runtime_data.api.keys.keys[created["id"]]
    assert stored.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert coordinator.config_entry.runtime_data.api.keys.verify(plaintext) == stored

    # Keys differ every time.
    others = {
        (await call(hass, "create_api_key", name=f"Key {n}"))["key"] for n in range(20)
    }
    assert len(others) == 20
    assert plaintext not in others


async def test_create_with_scope_and_rate_limit(
    hass: HomeAssistant, coordinator: PiAlertCoordinator
) -> None:
    """Scope and per-key rate limit are taken and reported."""
    created = await call(
        hass, "create_api_key", name="Automation", scope="write", rate_limit=5
    )
    assert created["scope"] == "write"
    assert created["rate_limit_per_minute"] == 5
    key = coordinator.config_entry.runtime_data.api.keys.keys[created["id"]]
    assert key.scope is Scope.WRITE
    assert key.rate_limit == 5


async def test_list_shows_metadata_never_keys_or_hashes(
    hass: HomeAssistant, coordinator: PiAlertCoordinator
) -> None:
    """Listing gives name, status and usage, but no key and no hash."""
    first = await call(hass, "create_api_key", name="Relay")
    second = await call(hass, "create_api_key", name="Node-RED", scope="write")

    listed = await call(hass, "list_api_keys")
    assert [k["name"] for k in listed["keys"]] == ["Relay", "Node-RED"]
    text = json.dumps(listed)
    for created in (first, second):
        assert created["key"] not in text
        assert created["key"][len(KEY_PREFIX) :] not in text
        assert (
            coordinator.config_entry.runtime_data.api.keys.keys[created["id"]].key_hash
            not in text
        )
    for key in listed["keys"]:
        assert set(key) == {
            "id",
            "name",
            "hint",
            "scope",
            "status",
            "created_at",
            "last_used_at",
            "usage_count",
            "rate_limit_per_minute",
            "poll_interval",
        }


async def test_disable_enable_delete_by_id_or_name(
    hass: HomeAssistant, coordinator: PiAlertCoordinator
) -> None:
    """Keys are found by id or by name (any case)."""
    created = await call(hass, "create_api_key", name="Relay")
    ring = coordinator.config_entry.runtime_data.api.keys

    disabled = await call(hass, "disable_api_key", key_id="relay")
    assert disabled["status"] == "disabled"
    assert ring.keys[created["id"]].enabled is False
    assert ring.verify(created["key"]) is not None  # still known, refused by auth

    enabled = await call(hass, "enable_api_key", key_id=created["id"])
    assert enabled["status"] == "active"
    assert ring.keys[created["id"]].enabled is True

    # Disabling twice is harmless.
    await call(hass, "disable_api_key", key_id="Relay")
    await call(hass, "disable_api_key", key_id="Relay")
    assert ring.keys[created["id"]].enabled is False

    coordinator.config_entry.runtime_data.api.key_limiter.hit(created["id"], 1)
    deleted = await call(hass, "delete_api_key", key_id="RELAY")
    assert deleted == {"deleted": created["id"], "name": "Relay"}
    assert ring.keys == {}
    assert ring.verify(created["key"]) is None
    assert len(coordinator.config_entry.runtime_data.api.key_limiter) == 0

    # The services may be called without asking for a response.
    other = await call(hass, "create_api_key", name="Other")
    for service in ("disable_api_key", "enable_api_key", "delete_api_key"):
        await hass.services.async_call(
            DOMAIN, service, {"key_id": other["id"]}, blocking=True
        )
    assert ring.keys == {}


async def test_service_errors_are_translated(
    hass: HomeAssistant, coordinator: PiAlertCoordinator
) -> None:
    """Refusals are ServiceValidationErrors with our own translations."""
    await call(hass, "create_api_key", name="Relay")

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "create_api_key", name="relay")
    assert_translated(err.value, "key_name_exists")

    for name in ("", "   ", "x" * 101):
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, "create_api_key", name=name)
        assert_translated(err.value, "invalid_key_name")

    for service in ("disable_api_key", "enable_api_key", "delete_api_key"):
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, service, key_id="nope")
        assert_translated(err.value, "unknown_api_key")
        assert err.value.translation_placeholders == {"key_id": "nope"}

    # Nothing was created by the refused calls.
    assert [
        k.name for k in coordinator.config_entry.runtime_data.api.keys.listing()
    ] == ["Relay"]


@pytest.mark.parametrize("rate_limit", [0, -1, MAX_RATE_LIMIT + 1])
async def test_bad_rate_limit_is_refused(
    hass: HomeAssistant, coordinator: PiAlertCoordinator, rate_limit: Any
) -> None:
    """An out-of-range rate limit is a translated error; no key is made."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "create_api_key", name="Relay", rate_limit=rate_limit)
    assert_translated(err.value, "invalid_rate_limit")
    assert coordinator.config_entry.runtime_data.api.keys.keys == {}


async def test_non_numeric_rate_limit_is_refused(
    hass: HomeAssistant, coordinator: PiAlertCoordinator
) -> None:
    """A rate limit that is not a number fails the schema; no key is made."""
    with pytest.raises(probatio.Invalid, match="rate_limit"):
        await call(hass, "create_api_key", name="Relay", rate_limit="many")
    assert coordinator.config_entry.runtime_data.api.keys.keys == {}


async def test_services_without_hub(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """With the hub unloaded the key services refuse with not_loaded."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    for service, data in (
        ("create_api_key", {"name": "Relay"}),
        ("list_api_keys", {}),
        ("delete_api_key", {"key_id": "Relay"}),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, service, **data)
        assert_translated(err.value, "not_loaded")


def test_key_error_translations_exist() -> None:
    """Every reason KeyRing gives has a service and a key-flow text."""
    reasons = {"invalid_key_name", "key_name_exists", "invalid_rate_limit"}
    for reason in reasons | {"unknown_api_key", "not_loaded"}:
        assert EXCEPTIONS[reason]["message"]
    for reason in reasons | {"key_required"}:
        assert KEYS_FLOW["error"][reason]
    assert KEYS_FLOW["abort"]["api_keys_updated"]
    assert KEYS_FLOW["abort"]["not_loaded"]


# --- the API keys flow ----------------------------------------------------------


async def open_api_keys(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Open the hub's "Manage API keys" flow (not the options: they hold options)."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_TYPE_API_KEYS), context={"source": "user"}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    for option in result["menu_options"]:
        assert option in KEYS_FLOW["step"]["user"]["menu_options"]
    return dict(result)


async def go_to(result: dict[str, Any], hass: HomeAssistant, step: str) -> Any:
    """Pick a step of the API keys menu."""
    return await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": step}
    )


def placeholders_fit(step_id: str, result: dict[str, Any]) -> None:
    """The step's description uses exactly the placeholders the flow gives."""
    description = KEYS_FLOW["step"][step_id].get("description", "")
    wanted = set(re.findall(r"{(\w+)}", description))
    assert wanted == set(result.get("description_placeholders") or {})


async def test_flow_creates_a_key_and_shows_it_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    coordinator: PiAlertCoordinator,
) -> None:
    """Manage API keys -> create -> the key shown once -> done."""
    result = await open_api_keys(hass, init_integration)
    assert result["description_placeholders"] == {
        "keys": "| " + " | ".join(["—"] * 7) + " |"
    }
    assert result["menu_options"] == ["create_key"]
    placeholders_fit("user", result)

    result = await go_to(result, hass, "create_key")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "create_key"
    for field in ("name", "scope", "rate_limit"):
        assert field in KEYS_FLOW["step"]["create_key"]["data"]

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Relay", "scope": "write", "rate_limit": 30}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "key_created"
    placeholders_fit("key_created", result)
    (field,) = result["data_schema"].schema
    plaintext = field.description["suggested_value"]
    assert result["description_placeholders"] == {"name": "Relay"}
    assert plaintext.startswith(KEY_PREFIX)
    key = coordinator.config_entry.runtime_data.api.keys.verify(plaintext)
    assert key is not None
    assert (key.name, key.scope, key.rate_limit) == ("Relay", Scope.WRITE, 30)

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"api_key": plaintext}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "api_keys_updated"
    # Options are untouched (no reload), no subentry keeps the key.
    assert init_integration.options == {}
    assert all(
        sub.subentry_type != SUBENTRY_TYPE_API_KEYS
        for sub in init_integration.subentries.values()
    )
    assert init_integration.state is ConfigEntryState.LOADED

    # Shown once: the listing has the hint, never the key.
    result = await open_api_keys(hass, init_integration)
    listing = result["description_placeholders"]["keys"]
    assert listing.startswith("| Relay |")
    assert key.hint in listing
    assert "| write | ✓ |" in listing
    assert plaintext not in listing
    assert plaintext not in json.dumps(result, default=str)


async def test_flow_create_key_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    coordinator: PiAlertCoordinator,
) -> None:
    """A taken or empty name is shown on the form, which can be fixed."""
    coordinator.config_entry.runtime_data.api.keys.create("Relay", Scope.READ, NOW)
    result = await go_to(
        await open_api_keys(hass, init_integration), hass, "create_key"
    )
    for name, error in (("relay", "key_name_exists"), ("  ", "invalid_key_name")):
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"name": name, "scope": "read", "rate_limit": 120}
        )
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "create_key"
        assert result["errors"] == {"name": error}
        assert error in KEYS_FLOW["error"]

    # Out of range is a translated error under the field.
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Other", "scope": "read", "rate_limit": 0}
    )
    assert result["errors"] == {"rate_limit": "invalid_rate_limit"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Other", "scope": "read", "rate_limit": 120}
    )
    assert result["step_id"] == "key_created"
    assert len(coordinator.config_entry.runtime_data.api.keys.keys) == 2


@pytest.mark.parametrize(
    ("action", "enabled"), [("disable", False), ("enable", True), ("delete", None)]
)
async def test_flow_disable_enable_delete(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    coordinator: PiAlertCoordinator,
    action: str,
    enabled: bool | None,
) -> None:
    """Pick a key and an action; the change is applied and the flow ends."""
    ring = coordinator.config_entry.runtime_data.api.keys
    key, plaintext = ring.create("Relay", Scope.READ, NOW)
    ring.create("Other", Scope.READ, NOW + timedelta(seconds=1))
    if action == "enable":
        ring.set_enabled(key.id, False)
    coordinator.config_entry.runtime_data.api.key_limiter.hit(key.id, 1)

    result = await open_api_keys(hass, init_integration)
    listing = result["description_placeholders"]["keys"]
    assert listing.index("| Relay |") < listing.index("| Other |")
    result = await go_to(result, hass, "manage_key")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"action": action, "key_id": key.id}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "api_keys_updated"
    if enabled is None:
        assert key.id not in ring.keys
        assert ring.verify(plaintext) is None
        assert len(coordinator.config_entry.runtime_data.api.key_limiter) == 0
    else:
        assert ring.keys[key.id].enabled is enabled
    assert [k.name for k in ring.listing()] == (
        ["Other"] if enabled is None else ["Relay", "Other"]
    )


async def test_flow_key_required(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    coordinator: PiAlertCoordinator,
) -> None:
    """Disable, enable and delete need a key that still exists."""
    key, _ = coordinator.config_entry.runtime_data.api.keys.create(
        "Relay", Scope.READ, NOW
    )
    for action in ("disable", "enable", "delete"):
        gone, _ = coordinator.config_entry.runtime_data.api.keys.create(
            "Gone", Scope.READ, NOW
        )
        result = await go_to(
            await open_api_keys(hass, init_integration), hass, "manage_key"
        )
        coordinator.config_entry.runtime_data.api.keys.delete(
            gone.id
        )  # elsewhere, while the form is open
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"action": action, "key_id": gone.id}
        )
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "manage_key"
        assert result["errors"] == {"key_id": "key_required"}
    assert coordinator.config_entry.runtime_data.api.keys.keys[key.id].enabled is True


async def test_options_hold_only_options(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Keys left the options menu: it offers the hub's own settings only."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["menu_options"] == [
        "settings",
        "relay",
        "incidents",
        "dashboard",
        "outbound_heartbeat",
        "maintenance",
    ]
    await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "settings"}
    )


async def test_key_flow_needs_a_loaded_hub(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """With the hub unloaded there are no keys to manage: a clear abort."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    result = await hass.config_entries.subentries.async_init(
        (init_integration.entry_id, SUBENTRY_TYPE_API_KEYS), context={"source": "user"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_loaded"


async def test_flow_settings_still_work(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The other branch of the menu saves the hub options."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "settings"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "settings"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "max_concurrent_checks": 8,
            "retention_days": 30,
            "max_history_events": 1000,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert init_integration.options == {
        "max_concurrent_checks": 8,
        "retention_days": 30,
        "max_history_events": 1000,
    }
