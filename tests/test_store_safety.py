"""Saved files that load but are unusable are kept, never written over.

These tests use Home Assistant's real Store file I/O (not the test harness's
in-memory storage), in a temporary config dir, so what is on disk is checked
byte for byte.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator
from datetime import datetime, timedelta
import hashlib
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.api.state import KEYS_STORAGE_KEY, USAGE_SAVE_DELAY
from custom_components.pialert.const import (
    CONF_RETENTION_DAYS,
    DOMAIN,
    ISSUE_KEYS_CORRUPT,
    ISSUE_STORE_CORRUPT,
    STORAGE_KEY,
)
from custom_components.pialert.coordinator import PiAlertCoordinator

from .conftest import SetupHub
from .platform_helpers import mock_hub_entry

# Captured before the hass fixture swaps them for in-memory storage.
REAL_LOAD = Store._async_load
REAL_WRITE = Store._async_write_data
REAL_REMOVE = Store.async_remove

JOB = "job"
TARGET = {
    "id": JOB,
    "kind": "heartbeat",
    "name": "Backup job",
    "period": 3600,
    "grace": 300,
    "token": "token-job",
    "failure_threshold": 1,
}
T0 = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def hass_config_dir(tmp_path: Path) -> str:
    """Give Home Assistant a config dir of its own (the files live there)."""
    (tmp_path / ".storage").mkdir()
    return str(tmp_path)


@pytest.fixture
def real_files(hass: HomeAssistant) -> Generator[None]:
    """Let every Store read and write real files."""
    with (
        patch.object(Store, "_async_load", REAL_LOAD),
        patch.object(Store, "_async_write_data", REAL_WRITE),
        patch.object(Store, "async_remove", REAL_REMOVE),
    ):
        yield


def storage_path(hass: HomeAssistant, key: str) -> Path:
    """Return where the Store keeps ``key``."""
    return Path(hass.config.path(".storage", key))


def envelope(
    data: Any, key: str = STORAGE_KEY, version: int = 1, minor: int = 1
) -> bytes:
    """Return a file as Home Assistant's Store writes it."""
    return json.dumps(
        {"version": version, "minor_version": minor, "key": key, "data": data}
    ).encode()


def key_entry(name: str, **extra: Any) -> dict[str, Any]:
    """Return a saved API key."""
    return {
        "id": f"id-{name}",
        "name": name,
        "key_hash": hashlib.sha256(f"pa_{name}".encode()).hexdigest(),
        "hint": "pa_x…",
        "scope": "read",
        "created_at": T0,
        "enabled": True,
        "rate_limit": 120,
        "last_used_at": None,
        "usage_count": 0,
        **extra,
    }


async def written(
    hass: HomeAssistant, path: Path, ready: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """Return the file's data once ``ready`` holds; fail after a second."""
    for _ in range(20):
        await hass.async_block_till_done()
        if path.exists():
            data: dict[str, Any] = json.loads(path.read_text("utf-8"))["data"]
            if ready(data):
                return data
        await asyncio.sleep(0.05)
    pytest.fail(f"{path} was not written within a second")


def coordinator_of(entry: MockConfigEntry) -> PiAlertCoordinator:
    """Return the hub's coordinator."""
    coordinator: PiAlertCoordinator = entry.runtime_data.coordinator
    return coordinator


def corrupt_copy(hass: HomeAssistant, issue_id: str, path: Path) -> Path:
    """Check the repair issue and return the file it names."""
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == issue_id
    assert issue.is_persistent
    placeholders = issue.translation_placeholders or {}
    assert placeholders["error"]
    named = Path(placeholders["corrupt_path"])
    assert named.name.startswith(f"{path.name}.corrupt.")
    assert named.parent == path.parent
    return named


async def unload_reload_and_remove(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Go through every path that saves: options reload, unload, set-up, removal."""
    hass.config_entries.async_update_entry(entry, options={CONF_RETENTION_DAYS: 7})
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()


WRONG_STATE = {
    "object without PiAlert's keys": json.dumps({"hello": "world"}).encode(),
    "a list": b"[1, 2, 3]",
    "a future major version": envelope({"states": {}}, version=2),
    "a future minor version": envelope({"states": {}}, minor=2),
    "data of another shape": envelope({"hello": "world"}),
    "data that is a list": envelope([]),
    "a count that is a string": envelope(
        {"states": {JOB: {"consecutive_failures": "3"}}}
    ),
    "a flag that is a string": envelope({"states": {JOB: {"alerting": "false"}}}),
    "a number that is a string": envelope(
        {"states": {JOB: {"response_time_ms": "fast"}}}
    ),
    "a timestamp without zone": envelope(
        {"states": {JOB: {"last_check": "2026-01-01T00:00:00"}}}
    ),
    "an impossible date": envelope(
        {"silences": [{"id": "s", "starts_at": T0, "ends_at": "2026-02-30T00:00:00Z"}]}
    ),
    "target ids that are a string": envelope(
        {"silences": [{"id": "s", "starts_at": T0, "ends_at": T0, "target_ids": JOB}]}
    ),
    "a check log with half a check": envelope({"checks": {JOB: {"checks": [1, 2, 3]}}}),
    "daily counts with more ok than checks": envelope(
        {"days": {JOB: [740000, 1, 5, 1]}}
    ),
}


@pytest.mark.usefixtures("real_files")
@pytest.mark.parametrize("content", WRONG_STATE.values(), ids=WRONG_STATE.keys())
async def test_unusable_state_is_kept_and_never_written_over(
    hass: HomeAssistant, setup_hub: SetupHub, content: bytes
) -> None:
    """The file is moved aside, byte for byte, and named in a repair issue."""
    path = storage_path(hass, STORAGE_KEY)
    path.write_bytes(content)

    entry = await setup_hub(TARGET)

    moved = corrupt_copy(hass, ISSUE_STORE_CORRUPT, path)
    assert moved.read_bytes() == content
    coordinator = coordinator_of(entry)
    assert coordinator.data.targets[JOB].consecutive_failures == 0
    # The hub works and saves a new file; the kept one stays as it was.
    coordinator.async_heartbeat(JOB, "success")
    await unload_reload_and_remove(hass, entry)
    assert moved.read_bytes() == content


@pytest.mark.usefixtures("real_files")
async def test_state_that_cannot_be_moved_is_never_written(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """When moving aside fails, the file stays where it is, untouched."""
    content = json.dumps({"hello": "world"}).encode()
    path = storage_path(hass, STORAGE_KEY)
    path.write_bytes(content)
    keys_path = storage_path(hass, KEYS_STORAGE_KEY)
    keys_content = b'["not", "keys"]'
    keys_path.write_bytes(keys_content)

    def refuse(path: str, corrupt_path: str) -> None:
        raise PermissionError(13, "Permission denied", path)

    with patch("custom_components.pialert.safe_store._move_aside", refuse):
        entry = await setup_hub(TARGET)
        issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_STORE_CORRUPT)
        assert issue is not None
        assert (issue.translation_placeholders or {})["corrupt_path"] == str(path)
        keys_issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_KEYS_CORRUPT)
        assert keys_issue is not None
        assert (keys_issue.translation_placeholders or {})["corrupt_path"] == str(
            keys_path
        )
        coordinator = coordinator_of(entry)
        coordinator.async_heartbeat(JOB, "fail")
        await hass.services.async_call(
            DOMAIN,
            "create_api_key",
            {"name": "New"},
            blocking=True,
            return_response=True,
        )
        await hass.async_block_till_done()
        assert path.read_bytes() == content
        assert keys_path.read_bytes() == keys_content
        hass.config_entries.async_update_entry(entry, options={CONF_RETENTION_DAYS: 7})
        await hass.async_block_till_done()
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()

    assert path.read_bytes() == content
    assert keys_path.read_bytes() == keys_content


@pytest.mark.usefixtures("real_files")
async def test_unreadable_state_fails_set_up_and_is_not_written(
    hass: HomeAssistant,
) -> None:
    """A read error (not the content) retries set-up; nothing is written."""
    path = storage_path(hass, STORAGE_KEY)
    path.mkdir()  # reading it fails with an OSError
    hub_entry = mock_hub_entry()
    hub_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(hub_entry.entry_id)
    await hass.async_block_till_done()
    assert hub_entry.state is ConfigEntryState.SETUP_RETRY
    assert not storage_path(hass, KEYS_STORAGE_KEY).exists()
    assert path.is_dir()
    assert await hass.config_entries.async_unload(hub_entry.entry_id)
    await hass.async_block_till_done()
    assert not storage_path(hass, KEYS_STORAGE_KEY).exists()


WRONG_KEYS = {
    "a list": b"[1, 2, 3]",
    "object without PiAlert's keys": json.dumps({"hello": "world"}).encode(),
    "a future major version": envelope({"keys": []}, KEYS_STORAGE_KEY, version=2),
    "keys that are not a list": envelope({"keys": "abc"}, KEYS_STORAGE_KEY),
}


@pytest.mark.usefixtures("real_files")
@pytest.mark.parametrize("content", WRONG_KEYS.values(), ids=WRONG_KEYS.keys())
async def test_unusable_key_file_is_kept(
    hass: HomeAssistant, setup_hub: SetupHub, content: bytes
) -> None:
    """A key file PiAlert cannot read at all is moved aside and named."""
    path = storage_path(hass, KEYS_STORAGE_KEY)
    path.write_bytes(content)

    entry = await setup_hub(TARGET)

    moved = corrupt_copy(hass, ISSUE_KEYS_CORRUPT, path)
    assert moved.read_bytes() == content
    assert entry.runtime_data.api.keys.keys == {}
    await unload_reload_and_remove(hass, entry)
    assert moved.read_bytes() == content


BAD_ENTRIES = {
    "a missing hash": {"key_hash": None},
    "a bad date": {"created_at": "2026-02-30T00:00:00+00:00"},
    "a rate limit that is a string": {"rate_limit": "fast"},
    "an unknown scope": {"scope": "root"},
    "usage that is a flag": {"usage_count": True},
}


@pytest.mark.usefixtures("real_files")
@pytest.mark.parametrize("bad", BAD_ENTRIES.values(), ids=BAD_ENTRIES.keys())
async def test_one_bad_key_keeps_the_good_ones(
    hass: HomeAssistant, setup_hub: SetupHub, bad: dict[str, Any]
) -> None:
    """Good keys stay usable and are saved; the original file is kept."""
    good = [key_entry("alpha"), key_entry("gamma", scope="write")]
    content = envelope(
        {"keys": [good[0], key_entry("beta", **bad), good[1]]}, KEYS_STORAGE_KEY
    )
    path = storage_path(hass, KEYS_STORAGE_KEY)
    path.write_bytes(content)

    entry = await setup_hub(TARGET)

    keys = entry.runtime_data.api.keys
    assert sorted(k.name for k in keys.keys.values()) == ["alpha", "gamma"]
    assert keys.verify("pa_alpha") is not None
    moved = corrupt_copy(hass, ISSUE_KEYS_CORRUPT, path)
    assert moved.read_bytes() == content
    assert "key 2" in str(
        ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_KEYS_CORRUPT)
    )
    # The good keys are written at once, in a new file.
    saved = await written(hass, path, lambda d: True)
    assert saved["keys"] == good
    await unload_reload_and_remove(hass, entry)
    assert moved.read_bytes() == content


@pytest.mark.usefixtures("real_files")
async def test_user_actions_are_written_at_once(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """An acknowledgement and a silence are on disk without waiting 30 s."""
    entry = await setup_hub(TARGET)
    coordinator = coordinator_of(entry)
    path = storage_path(hass, STORAGE_KEY)
    coordinator.async_heartbeat(JOB, "fail")
    await hass.async_block_till_done()
    monitor = coordinator.monitor
    now = coordinator.now()
    coordinator.async_commit(monitor.acknowledge(JOB, "alice", now, "on it"))
    await hass.services.async_call(
        DOMAIN, "silence", {"all": True, "duration": {"minutes": 30}}, blocking=True
    )
    # "At once": within a second of real time, not SAVE_DELAY (30 s) later.
    data = await written(hass, path, lambda d: bool(d["silences"]))
    assert data["states"][JOB]["acknowledgement"]["by"] == "alice"
    assert data["states"][JOB]["incident_id"] == monitor.states[JOB].incident_id
    assert len(data["silences"]) == 1


@pytest.mark.usefixtures("real_files")
async def test_key_usage_is_written_within_its_debounce(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A key's use is on disk USAGE_SAVE_DELAY (10) seconds later."""
    assert USAGE_SAVE_DELAY <= 10
    entry = await setup_hub(TARGET)
    response = await hass.services.async_call(
        DOMAIN,
        "create_api_key",
        {"name": "Reader"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    client = await hass_client_no_auth()
    answer = await client.get(
        "/api/v1/alert-status", headers={"x-api-key": str(response["key"])}
    )
    assert answer.status == 200
    freezer.tick(timedelta(seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    saved = json.loads(storage_path(hass, KEYS_STORAGE_KEY).read_text("utf-8"))
    (key,) = saved["data"]["keys"]
    assert key["usage_count"] == 1
    assert datetime.fromisoformat(key["last_used_at"]).tzinfo is not None
    assert entry.runtime_data.api.keys.keys[key["id"]].name == "Reader"
