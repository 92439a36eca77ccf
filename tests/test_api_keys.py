"""API keys: the services, the options flow, KeyRing and WindowLimiter."""

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

from custom_components.pialert.api import keys as keys_module
from custom_components.pialert.api.keys import (
    DEFAULT_RATE_LIMIT,
    KEY_PREFIX,
    MAX_RATE_LIMIT,
    ApiKeyError,
    KeyRing,
    Scope,
    hash_key,
)
from custom_components.pialert.api.limits import WindowLimiter
from custom_components.pialert.const import DOMAIN, HUB_TITLE
from custom_components.pialert.coordinator import PiAlertCoordinator

TRANSLATIONS = json.loads(
    (
        Path(__file__).parents[1] / "custom_components/pialert/translations/en.json"
    ).read_text(encoding="utf-8")
)
EXCEPTIONS = TRANSLATIONS["exceptions"]
OPTIONS = TRANSLATIONS["options"]
URLSAFE = re.compile(r"[A-Za-z0-9_-]+")
NOW = datetime(2025, 10, 21, 21, 14, 18, tzinfo=UTC)


@pytest.fixture
async def hub(hass: HomeAssistant) -> MockConfigEntry:
    """A loaded hub without targets."""
    entry = MockConfigEntry(domain=DOMAIN, title=HUB_TITLE, data={})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


@pytest.fixture
def coordinator(hub: MockConfigEntry) -> PiAlertCoordinator:
    """The hub's coordinator."""
    return hub.runtime_data  # type: ignore[no-any-return]


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
    }
    datetime.fromisoformat(created["created_at"])

    stored = coordinator.api.keys.keys[created["id"]]
    assert stored.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert coordinator.api.keys.verify(plaintext) == stored

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
    key = coordinator.api.keys.keys[created["id"]]
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
        assert coordinator.api.keys.keys[created["id"]].key_hash not in text
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
        }


async def test_disable_enable_delete_by_id_or_name(
    hass: HomeAssistant, coordinator: PiAlertCoordinator
) -> None:
    """Keys are found by id or by name (any case)."""
    created = await call(hass, "create_api_key", name="Relay")
    ring = coordinator.api.keys

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

    coordinator.api.key_limiter.hit(created["id"], 1)
    deleted = await call(hass, "delete_api_key", key_id="RELAY")
    assert deleted == {"deleted": created["id"], "name": "Relay"}
    assert ring.keys == {}
    assert ring.verify(created["key"]) is None
    assert len(coordinator.api.key_limiter) == 0

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
    assert [k.name for k in coordinator.api.keys.listing()] == ["Relay"]


@pytest.mark.parametrize("rate_limit", [0, -1, MAX_RATE_LIMIT + 1])
async def test_bad_rate_limit_is_refused(
    hass: HomeAssistant, coordinator: PiAlertCoordinator, rate_limit: Any
) -> None:
    """An out-of-range rate limit is a translated error; no key is made."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "create_api_key", name="Relay", rate_limit=rate_limit)
    assert_translated(err.value, "invalid_rate_limit")
    assert coordinator.api.keys.keys == {}


async def test_non_numeric_rate_limit_is_refused(
    hass: HomeAssistant, coordinator: PiAlertCoordinator
) -> None:
    """A rate limit that is not a number fails the schema; no key is made."""
    with pytest.raises(probatio.Invalid, match="rate_limit"):
        await call(hass, "create_api_key", name="Relay", rate_limit="many")
    assert coordinator.api.keys.keys == {}


async def test_services_without_hub(hass: HomeAssistant, hub: MockConfigEntry) -> None:
    """With the hub unloaded the key services refuse with not_loaded."""
    assert await hass.config_entries.async_unload(hub.entry_id)
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
    """Every reason KeyRing gives has a service and an options-flow text."""
    reasons = {"invalid_key_name", "key_name_exists", "invalid_rate_limit"}
    for reason in reasons | {"unknown_api_key", "not_loaded"}:
        assert EXCEPTIONS[reason]["message"]
    for reason in reasons | {"key_required"}:
        assert OPTIONS["error"][reason]
    assert OPTIONS["abort"]["api_keys_updated"]


# --- options flow ----------------------------------------------------------


async def open_api_keys(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Open the options flow and go to the API keys step."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "init"
    assert {"settings", "api_keys"} <= set(result["menu_options"])
    for option in result["menu_options"]:
        assert option in OPTIONS["step"]["init"]["menu_options"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "api_keys"}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "api_keys"
    for option in result["menu_options"]:
        assert option in OPTIONS["step"]["api_keys"]["menu_options"]
    return dict(result)


async def go_to(result: dict[str, Any], hass: HomeAssistant, step: str) -> Any:
    """Pick a step of the API keys menu."""
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )


def placeholders_fit(step_id: str, result: dict[str, Any]) -> None:
    """The step's description uses exactly the placeholders the flow gives."""
    description = OPTIONS["step"][step_id].get("description", "")
    wanted = set(re.findall(r"{(\w+)}", description))
    assert wanted == set(result.get("description_placeholders") or {})


async def test_flow_creates_a_key_and_shows_it_once(
    hass: HomeAssistant, hub: MockConfigEntry, coordinator: PiAlertCoordinator
) -> None:
    """Init menu -> API keys -> create -> the key shown once -> done."""
    result = await open_api_keys(hass, hub)
    assert result["description_placeholders"] == {
        "keys": "| " + " | ".join(["—"] * 7) + " |"
    }
    assert result["menu_options"] == ["create_key"]
    placeholders_fit("api_keys", result)

    result = await go_to(result, hass, "create_key")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "create_key"
    for field in ("name", "scope", "rate_limit"):
        assert field in OPTIONS["step"]["create_key"]["data"]

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"name": "Relay", "scope": "write", "rate_limit": 30}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "key_created"
    placeholders_fit("key_created", result)
    (field,) = result["data_schema"].schema
    plaintext = field.description["suggested_value"]
    assert result["description_placeholders"] == {"name": "Relay"}
    assert plaintext.startswith(KEY_PREFIX)
    key = coordinator.api.keys.verify(plaintext)
    assert key is not None
    assert (key.name, key.scope, key.rate_limit) == ("Relay", Scope.WRITE, 30)

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"api_key": plaintext}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "api_keys_updated"
    # Options are untouched (no reload) and keep no key.
    assert hub.options == {}
    assert hub.state is ConfigEntryState.LOADED

    # Shown once: the listing has the hint, never the key.
    result = await open_api_keys(hass, hub)
    listing = result["description_placeholders"]["keys"]
    assert listing.startswith("| Relay |")
    assert key.hint in listing
    assert "| write | ✓ |" in listing
    assert plaintext not in listing
    assert plaintext not in json.dumps(result, default=str)


async def test_flow_create_key_errors(
    hass: HomeAssistant, hub: MockConfigEntry, coordinator: PiAlertCoordinator
) -> None:
    """A taken or empty name is shown on the form, which can be fixed."""
    coordinator.api.keys.create("Relay", Scope.READ, NOW)
    result = await go_to(await open_api_keys(hass, hub), hass, "create_key")
    for name, error in (("relay", "key_name_exists"), ("  ", "invalid_key_name")):
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"name": name, "scope": "read", "rate_limit": 120}
        )
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "create_key"
        assert result["errors"] == {"name": error}
        assert error in OPTIONS["error"]

    # Out of range is a translated error under the field.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"name": "Other", "scope": "read", "rate_limit": 0}
    )
    assert result["errors"] == {"rate_limit": "invalid_rate_limit"}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"name": "Other", "scope": "read", "rate_limit": 120}
    )
    assert result["step_id"] == "key_created"
    assert len(coordinator.api.keys.keys) == 2


@pytest.mark.parametrize(
    ("action", "enabled"), [("disable", False), ("enable", True), ("delete", None)]
)
async def test_flow_disable_enable_delete(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    coordinator: PiAlertCoordinator,
    action: str,
    enabled: bool | None,
) -> None:
    """Pick a key and an action; the change is applied and the flow ends."""
    ring = coordinator.api.keys
    key, plaintext = ring.create("Relay", Scope.READ, NOW)
    ring.create("Other", Scope.READ, NOW + timedelta(seconds=1))
    if action == "enable":
        ring.set_enabled(key.id, False)
    coordinator.api.key_limiter.hit(key.id, 1)

    result = await open_api_keys(hass, hub)
    listing = result["description_placeholders"]["keys"]
    assert listing.index("| Relay |") < listing.index("| Other |")
    result = await go_to(result, hass, "manage_key")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"action": action, "key_id": key.id}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "api_keys_updated"
    if enabled is None:
        assert key.id not in ring.keys
        assert ring.verify(plaintext) is None
        assert len(coordinator.api.key_limiter) == 0
    else:
        assert ring.keys[key.id].enabled is enabled
    assert [k.name for k in ring.listing()] == (
        ["Other"] if enabled is None else ["Relay", "Other"]
    )


async def test_flow_key_required(
    hass: HomeAssistant, hub: MockConfigEntry, coordinator: PiAlertCoordinator
) -> None:
    """Disable, enable and delete need a key that still exists."""
    key, _ = coordinator.api.keys.create("Relay", Scope.READ, NOW)
    for action in ("disable", "enable", "delete"):
        gone, _ = coordinator.api.keys.create("Gone", Scope.READ, NOW)
        result = await go_to(await open_api_keys(hass, hub), hass, "manage_key")
        coordinator.api.keys.delete(gone.id)  # elsewhere, while the form is open
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"action": action, "key_id": gone.id}
        )
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "manage_key"
        assert result["errors"] == {"key_id": "key_required"}
    assert coordinator.api.keys.keys[key.id].enabled is True


async def test_flow_settings_still_work(
    hass: HomeAssistant, hub: MockConfigEntry
) -> None:
    """The other branch of the menu saves the hub options."""
    result = await hass.config_entries.options.async_init(hub.entry_id)
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
    assert hub.options == {
        "max_concurrent_checks": 8,
        "retention_days": 30,
        "max_history_events": 1000,
    }


# --- KeyRing -----------------------------------------------------------------


def test_keyring_create_rules() -> None:
    """Names are trimmed and unique (any case); rate limits are bounded."""
    ring = KeyRing()
    key, plaintext = ring.create("  Relay  ", Scope.READ, NOW)
    assert key.name == "Relay"
    assert key.key_hash == hash_key(plaintext)
    assert key.hint == plaintext[: len(KEY_PREFIX) + 4] + "…"
    assert key.created_at == NOW
    assert key.rate_limit == DEFAULT_RATE_LIMIT
    assert "key_hash" not in key.public()
    assert plaintext not in json.dumps(key.public())

    for name, reason in (
        ("RELAY", "key_name_exists"),
        ("", "invalid_key_name"),
        ("x" * 101, "invalid_key_name"),
    ):
        with pytest.raises(ApiKeyError) as err:
            ring.create(name, Scope.READ, NOW)
        assert err.value.key == reason
    with pytest.raises(ApiKeyError) as err:
        ring.create("Relay", Scope.READ, NOW)
    assert err.value.placeholders == {"name": "Relay"}
    for rate_limit in (0, MAX_RATE_LIMIT + 1):
        with pytest.raises(ApiKeyError) as err:
            ring.create("Other", Scope.READ, NOW, rate_limit)
        assert err.value.key == "invalid_rate_limit"
    ring.create("x" * 100, Scope.READ, NOW, MAX_RATE_LIMIT)
    assert len(ring.keys) == 2


def test_keyring_verify_compares_every_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Verification compares with every key, whichever matches (constant time)."""
    ring = KeyRing()
    plaintexts = [ring.create(f"Key {n}", Scope.READ, NOW)[1] for n in range(5)]
    compared: list[tuple[str, str]] = []
    real = keys_module.hmac.compare_digest

    def counting(a: str, b: str) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(keys_module.hmac, "compare_digest", counting)
    for presented in [plaintexts[0], plaintexts[-1], "pa_wrong", ""]:
        compared.clear()
        found = ring.verify(presented)
        assert len(compared) == 5
        assert {a for a, _ in compared} == {k.key_hash for k in ring.keys.values()}
        # Hashes are compared, never the presented key itself.
        assert all(b == hash_key(presented) for _, b in compared)
        if presented in plaintexts:
            assert found is not None
            assert found.key_hash == hash_key(presented)
        else:
            assert found is None


def test_keyring_dump_load_round_trip() -> None:
    """Dump holds hashes and metadata only; load gives back the same keys."""
    ring = KeyRing()
    read, read_key = ring.create("Relay", Scope.READ, NOW)
    write, write_key = ring.create("Writer", Scope.WRITE, NOW, rate_limit=7)
    ring.set_enabled(write.id, False)
    ring.touch(read, NOW + timedelta(minutes=1))

    data = ring.dump()
    text = json.dumps(data)
    for plaintext in (read_key, write_key):
        assert plaintext not in text
        assert plaintext[len(KEY_PREFIX) :] not in text
    assert {item["key_hash"] for item in data} == {
        hash_key(read_key),
        hash_key(write_key),
    }

    loaded = KeyRing.load(json.loads(text))
    assert loaded.keys == ring.keys
    assert loaded.keys[read.id].usage_count == 1
    assert loaded.keys[read.id].last_used_at == NOW + timedelta(minutes=1)
    assert loaded.keys[write.id].enabled is False
    assert loaded.keys[write.id].rate_limit == 7
    assert loaded.keys[write.id].scope is Scope.WRITE
    assert loaded.verify(read_key) == ring.keys[read.id]
    assert loaded.verify(write_key) == ring.keys[write.id]
    assert loaded.dump() == data

    # Older data without the optional fields still loads.
    minimal = KeyRing.load(
        [
            {
                "id": "a",
                "name": "Old",
                "key_hash": hash_key("pa_old"),
                "created_at": NOW.isoformat(),
            }
        ]
    )
    old = minimal.keys["a"]
    assert (old.scope, old.enabled, old.rate_limit, old.usage_count) == (
        Scope.READ,
        True,
        DEFAULT_RATE_LIMIT,
        0,
    )
    assert old.last_used_at is None
    assert minimal.verify("pa_old") == old


def test_keyring_usage_and_flush() -> None:
    """Usage is counted apart and folded in by flush_usage."""
    ring = KeyRing()
    key, _ = ring.create("Relay", Scope.READ, NOW)
    gone, _ = ring.create("Gone", Scope.READ, NOW)
    assert ring.flush_usage() is False

    ring.touch(key, NOW + timedelta(seconds=1))
    ring.touch(key, NOW + timedelta(seconds=2))
    # Not in the stored metadata yet, but current() and listing() see it.
    assert ring.keys[key.id].usage_count == 0
    assert ring.current(key.id).usage_count == 2
    assert ring.current(key.id).last_used_at == NOW + timedelta(seconds=2)
    assert {k.name: k.usage_count for k in ring.listing()} == {"Gone": 0, "Relay": 2}
    assert ring.current(gone.id).last_used_at is None

    assert ring.flush_usage() is True
    assert ring.keys[key.id].usage_count == 2
    assert ring.keys[key.id].last_used_at == NOW + timedelta(seconds=2)
    assert ring.flush_usage() is False
    assert ring.current(key.id).usage_count == 2

    # Usage of a key deleted before the flush is dropped.
    ring.touch(gone, NOW)
    ring.delete(gone.id)
    assert ring.flush_usage() is False
    ring.touch(gone, NOW)
    ring.keys.pop(gone.id, None)
    assert ring.flush_usage() is False
    assert list(ring.keys) == [key.id]


def test_keyring_lookups_and_changes() -> None:
    """get, set_enabled, set_rate_limit and delete refuse unknown keys."""
    ring = KeyRing()
    key, _ = ring.create("Relay", Scope.READ, NOW)
    assert ring.set_rate_limit(key.id, 10).rate_limit == 10
    with pytest.raises(ApiKeyError) as err:
        ring.set_rate_limit(key.id, 0)
    assert err.value.key == "invalid_rate_limit"
    assert ring.set_enabled(key.id, False).enabled is False
    assert ring.get(key.id).enabled is False
    for action in (
        lambda: ring.get("nope"),
        lambda: ring.current("nope"),
        lambda: ring.set_enabled("nope", True),
        lambda: ring.set_rate_limit("nope", 5),
        lambda: ring.delete("nope"),
    ):
        with pytest.raises(ApiKeyError) as err:
            action()
        assert err.value.key == "unknown_api_key"
        assert err.value.placeholders == {"key_id": "nope"}
    deleted = ring.delete(key.id)
    assert (deleted.id, deleted.enabled, deleted.rate_limit) == (key.id, False, 10)
    assert ring.keys == {}


# --- WindowLimiter -------------------------------------------------------------


class Clock:
    """A hand-moved monotonic clock."""

    def __init__(self) -> None:
        """Start at an arbitrary point."""
        self.now = 1000.0

    def __call__(self) -> float:
        """Return the time."""
        return self.now


def test_limiter_fixed_window() -> None:
    """``limit`` events per window; the window opens with its first event."""
    clock = Clock()
    limiter = WindowLimiter(clock=clock)
    assert limiter.retry_after("a", 3) is None
    for _ in range(3):
        assert limiter.hit("a", 3) is None
        clock.now += 10
    # Window opened at 1000, now 1030: 30 s left, and refusals do not extend it.
    assert limiter.retry_after("a", 3) == 30
    assert limiter.hit("a", 3) == 30
    clock.now += 29.5
    assert limiter.hit("a", 3) == 1  # never 0: round up
    assert limiter.retry_after("a", 3) == 1
    clock.now += 0.5
    # Exactly when promised, a new window opens.
    assert limiter.retry_after("a", 3) is None
    assert limiter.hit("a", 3) is None
    assert limiter.hit("a", 3) is None
    assert limiter.hit("a", 3) is None
    assert limiter.hit("a", 3) == 60


def test_limiter_names_are_independent() -> None:
    """Each name has its own window."""
    clock = Clock()
    limiter = WindowLimiter(clock=clock)
    assert limiter.hit("a", 1) is None
    clock.now += 15
    assert limiter.hit("b", 1) is None
    assert limiter.hit("a", 1) == 45
    assert limiter.hit("b", 1) == 60
    assert len(limiter) == 2


def test_limiter_retry_after_does_not_count() -> None:
    """retry_after only looks; a limit of zero refuses the first event."""
    clock = Clock()
    limiter = WindowLimiter(clock=clock)
    for _ in range(5):
        assert limiter.retry_after("a", 1) is None
    assert len(limiter) == 0
    assert limiter.hit("a", 1) is None
    assert limiter.hit("z", 0) == 60


def test_limiter_evicts_expired_windows() -> None:
    """Expired windows go at the next event; the bound drops the oldest."""
    clock = Clock()
    limiter = WindowLimiter(max_names=3, clock=clock)
    for name in "abc":
        limiter.hit(name, 1)
        clock.now += 1
    limiter.hit("d", 1)
    assert len(limiter) == 3
    assert limiter.retry_after("a", 1) is None  # the oldest was dropped
    assert limiter.retry_after("d", 1) == 60
    # Hitting a tracked name drops nothing.
    limiter.hit("d", 5)
    assert len(limiter) == 3
    assert limiter.retry_after("b", 1) is not None

    clock.now += 60
    limiter.hit("e", 1)
    assert len(limiter) == 1


def test_limiter_forget() -> None:
    """forget() drops a name's window; unknown names are fine."""
    clock = Clock()
    limiter = WindowLimiter(clock=clock)
    limiter.hit("a", 1)
    assert limiter.hit("a", 1) == 60
    limiter.forget("a")
    limiter.forget("never-seen")
    assert len(limiter) == 0
    assert limiter.hit("a", 1) is None


def test_limiter_default_clock_is_monotonic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a clock of its own the limiter reads time.monotonic at call time."""
    now = [500.0]
    monkeypatch.setattr("time.monotonic", lambda: now[0])
    limiter = WindowLimiter()
    limiter.hit("a", 1)
    now[0] += 20
    assert limiter.hit("a", 1) == 40


def test_limiter_forgets_expired_windows_on_any_lookup() -> None:
    """After a flood, the next lookup (not only a new failure) frees memory."""
    now = [0.0]
    limiter = WindowLimiter(max_names=1_000, clock=lambda: now[0])
    for address in range(5_000):
        limiter.hit(f"10.0.{address // 256}.{address % 256}", 10)
    assert len(limiter) == 1_000
    now[0] += 61
    assert limiter.retry_after("192.0.2.1", 10) is None
    assert len(limiter) == 0
