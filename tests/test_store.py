"""Saving and restoring PiAlert's state with Home Assistant's Store."""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.pialert.const import DOMAIN, ISSUE_STORE_CORRUPT, STORAGE_KEY
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.engine.models import Silence, Status
from custom_components.pialert.store import SAVE_DELAY

from .conftest import SetupHub

FAILING = "failing_job"
HEALTHY = "healthy_job"


@pytest.fixture
def hass_config_dir(tmp_path: Path) -> str:
    """Give Home Assistant a config dir of its own (the store file lives there)."""
    (tmp_path / ".storage").mkdir()
    return str(tmp_path)


def heartbeat(target_id: str, name: str) -> dict[str, Any]:
    """Return the subentry data of a heartbeat target (threshold 1)."""
    return {
        "id": target_id,
        "kind": "heartbeat",
        "name": name,
        "period": 3600,
        "grace": 300,
        "token": f"token-{target_id}",
        "failure_threshold": 1,
    }


TARGETS = (heartbeat(FAILING, "Failing job"), heartbeat(HEALTHY, "Healthy job"))


def coordinator_of(entry: MockConfigEntry) -> PiAlertCoordinator:
    """Return the hub's coordinator."""
    coordinator: PiAlertCoordinator = entry.runtime_data.coordinator
    return coordinator


async def make_history(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Give the hub counters, an incident, an acknowledgement and a silence."""
    coordinator = coordinator_of(entry)
    acknowledged = async_capture_events(hass, "pialert_acknowledged")
    silenced = async_capture_events(hass, "pialert_silenced")
    coordinator.async_heartbeat(HEALTHY, "success")
    coordinator.async_heartbeat(HEALTHY, "success")
    coordinator.async_heartbeat(FAILING, "fail", 2)
    coordinator.async_heartbeat(FAILING, "fail")
    now = dt_util.utcnow()
    coordinator.async_commit(
        coordinator.monitor.acknowledge(FAILING, "alice", now, "on it")
    )
    coordinator.async_commit(
        coordinator.monitor.add_silence(
            Silence(
                id="maintenance",
                starts_at=now,
                ends_at=now + timedelta(days=1),
                created_by="bob",
                comment="maintenance window",
                tags=frozenset({"nas"}),
                created_at=now,
            ),
            now,
        )
    )
    await hass.async_block_till_done()
    assert len(acknowledged) == 1
    assert acknowledged[0].data["by"] == "alice"
    assert len(silenced) == 1


def assert_history_restored(
    entry: MockConfigEntry, expected: dict[str, Any], last_ping: Any
) -> None:
    """Check that what make_history created came back."""
    coordinator = coordinator_of(entry)
    monitor = coordinator.monitor
    failing = coordinator.data.targets[FAILING]
    assert failing.status is Status.DOWN
    assert failing.consecutive_failures == 2
    assert failing.last_error == "Job reported a failure"
    assert failing.acknowledgement is not None
    assert failing.acknowledgement.by == "alice"
    assert failing.acknowledgement.note == "on it"
    assert not coordinator.data.failing  # acknowledged: no alert

    healthy = coordinator.data.targets[HEALTHY]
    assert healthy.status is Status.UP
    assert healthy.consecutive_successes == 2
    assert monitor.heartbeats[HEALTHY].last_ping == last_ping

    (incident,) = monitor.history.incidents.values()
    assert incident.target_id == FAILING
    assert incident.first_error == "Job reported exit code 2"
    assert incident.failures == 2
    assert incident.acknowledged_by == "alice"
    assert incident.ended_at is None
    assert monitor.states[FAILING].incident_id == incident.id

    assert [s.id for s in coordinator.data.silences] == ["maintenance"]
    silence = monitor.silences["maintenance"]
    assert silence.tags == frozenset({"nas"})
    assert silence.comment == "maintenance window"

    assert [e.message for e in monitor.history.events] == [
        e["message"] for e in expected["events"]
    ]
    assert set(monitor.history.stats) == {FAILING, HEALTHY}


async def test_state_survives_reload(
    hass: HomeAssistant, setup_hub: SetupHub, hass_storage: dict[str, Any]
) -> None:
    """Counters, incidents, acknowledgements, silences and pings survive a reload."""
    entry = await setup_hub(*TARGETS)
    await make_history(hass, entry)
    old = coordinator_of(entry)
    last_ping = old.monitor.heartbeats[HEALTHY].last_ping
    assert last_ping is not None

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert coordinator_of(entry) is not old
    assert_history_restored(entry, hass_storage[STORAGE_KEY]["data"], last_ping)


async def test_state_survives_restart(
    hass: HomeAssistant, setup_hub: SetupHub, hass_storage: dict[str, Any]
) -> None:
    """Unloading writes the state at once; a new start reads it back."""
    entry = await setup_hub(*TARGETS)
    await make_history(hass, entry)
    last_ping = coordinator_of(entry).monitor.heartbeats[HEALTHY].last_ping
    hass_storage.pop(STORAGE_KEY, None)  # only the unload may write now

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    saved = hass_storage[STORAGE_KEY]
    assert saved["version"] == 1
    assert saved["key"] == STORAGE_KEY
    data = saved["data"]
    assert set(data) == {
        "states",
        "heartbeats",
        "silences",
        "incidents",
        "events",
        "stats",
        "checks",
        "days",
        "maintenance_windows",
    }
    assert data["states"][FAILING]["acknowledgement"]["by"] == "alice"
    assert data["heartbeats"][HEALTHY]["last_ping"] == last_ping.isoformat()

    # "Restart": only what is on disk (as JSON) is left.
    hass_storage[STORAGE_KEY] = json.loads(json.dumps(saved))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert_history_restored(entry, data, last_ping)


async def test_removed_target_state_is_not_restored(
    hass: HomeAssistant, setup_hub: SetupHub, hass_storage: dict[str, Any]
) -> None:
    """State of a target that no longer exists is dropped; its incident stays."""
    entry = await setup_hub(*TARGETS)
    await make_history(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    hass.config_entries.async_remove_subentry(entry, FAILING)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    monitor = coordinator_of(entry).monitor
    assert set(monitor.states) == {HEALTHY}
    assert set(monitor.heartbeats) == {HEALTHY}
    assert set(monitor.history.stats) == {HEALTHY}
    assert [i.target_name for i in monitor.history.incidents.values()] == [
        "Failing job"
    ]


async def test_older_minor_version_is_migrated(
    hass: HomeAssistant, setup_hub: SetupHub, hass_storage: dict[str, Any]
) -> None:
    """Data of an older minor version goes through the migration hook."""
    checked = dt_util.utcnow().replace(microsecond=0) - timedelta(minutes=5)
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "minor_version": 0,
        "key": STORAGE_KEY,
        "data": {
            "states": {
                HEALTHY: {
                    "consecutive_successes": 7,
                    "last_check": checked.isoformat(),
                    "last_success": checked.isoformat(),
                }
            }
        },
    }
    entry = await setup_hub(*TARGETS)
    healthy = coordinator_of(entry).data.targets[HEALTHY]
    assert healthy.consecutive_successes == 7
    assert healthy.last_check == checked
    assert healthy.status is Status.UP


@pytest.mark.parametrize(
    "data",
    [
        {"states": "nonsense"},
        {"states": {HEALTHY: {"last_check": "yesterday"}}},
        {"incidents": [{"id": "x"}]},
        {"silences": [{"id": "s", "starts_at": None, "ends_at": None}]},
        {"events": [{"id": "e", "type": "exploded", "at": "2024-01-01T00:00:00"}]},
        {"heartbeats": {HEALTHY: {}}},
    ],
)
async def test_corrupt_store_is_moved_aside(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_storage: dict[str, Any],
    data: dict[str, Any],
) -> None:
    """Unusable state: the hub still loads, empty, with a repair issue."""
    content = {"version": 1, "minor_version": 1, "key": STORAGE_KEY, "data": data}
    hass_storage[STORAGE_KEY] = content
    path = Path(hass.config.path(".storage", STORAGE_KEY))
    path.write_text(json.dumps(content), encoding="utf-8")

    entry = await setup_hub(*TARGETS)

    assert entry.state is ConfigEntryState.LOADED
    coordinator = coordinator_of(entry)
    monitor = coordinator.monitor
    assert not monitor.history.incidents
    assert not monitor.history.events
    assert not monitor.history.stats
    assert not monitor.silences
    assert set(monitor.states) == {FAILING, HEALTHY}
    assert all(s.last_check is None for s in monitor.states.values())
    assert set(monitor.heartbeats) == {FAILING, HEALTHY}
    assert all(v.status is Status.UNKNOWN for v in coordinator.data.targets.values())

    issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE_STORE_CORRUPT)
    assert issue is not None
    assert issue.translation_key == ISSUE_STORE_CORRUPT
    assert issue.is_persistent
    assert issue.severity is ir.IssueSeverity.ERROR
    placeholders = issue.translation_placeholders or {}
    assert placeholders["error"]
    corrupt = Path(placeholders["corrupt_path"])
    assert corrupt.name.startswith(f"{STORAGE_KEY}.corrupt.")
    assert not path.exists()
    assert json.loads(corrupt.read_text(encoding="utf-8")) == content

    # The hub keeps working and saves a clean state.
    coordinator.async_heartbeat(HEALTHY, "success")
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    saved = hass_storage[STORAGE_KEY]["data"]
    assert saved["states"][HEALTHY]["consecutive_successes"] == 1


async def test_save_is_debounced(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """However often state changes, it is written at most once per 30 s."""
    entry = await setup_hub(*TARGETS)
    coordinator = coordinator_of(entry)
    writes: list[dict[str, Any]] = []
    last_written = hass_storage.get(STORAGE_KEY)

    def note_write() -> None:
        # Each write puts a new document into the (test) storage.
        nonlocal last_written
        if (written := hass_storage.get(STORAGE_KEY)) is not last_written:
            last_written = written
            assert written is not None
            writes.append(written["data"])

    async def advance(seconds: float) -> None:
        freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        note_write()

    # Let the save that setup scheduled happen first.
    await advance(SAVE_DELAY)
    writes.clear()

    for _ in range(9):  # a change every 5 s for 45 s
        coordinator.async_heartbeat(HEALTHY, "success")
        await advance(5)
    assert len(writes) == 1
    assert writes[0]["states"][HEALTHY]["consecutive_successes"] >= 6

    await advance(SAVE_DELAY)
    assert len(writes) == 2
    assert writes[1]["states"][HEALTHY]["consecutive_successes"] == 9

    # Within the next 30 s of quiet ticks nothing is written twice.
    for _ in range(6):
        await advance(5)
    assert len(writes) <= 3

    # Unload writes at once, without waiting for the delay.
    coordinator.async_heartbeat(HEALTHY, "success")
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    note_write()
    assert writes[-1]["states"][HEALTHY]["consecutive_successes"] == 10
