"""The recorder: PiAlert writes states only when something changes."""

from __future__ import annotations

from datetime import datetime, timedelta
import random
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder, get_instance
from homeassistant.components.recorder.db_schema import States, StatesMeta
from homeassistant.components.recorder.history import get_significant_states
from homeassistant.components.recorder.util import session_scope
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from sqlalchemy import func

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.engine.probes import ProbeOutcome

from .platform_helpers import (
    BACKUP,
    BACKUP_ID,
    CPU,
    CPU_ID,
    DISK,
    DISK_ID,
    SITE,
    SITE_ID,
    mock_hub_entry,
    setup_loaded,
)

HUB_ENTITIES = {
    "binary_sensor.pialert_alert",
    "sensor.pialert_alerting_targets",
    "sensor.pialert_active_silences",
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_db_url: str, enable_custom_integrations: None
) -> None:
    """Prepare the recorder's database before Home Assistant starts.

    (Overrides the conftest fixture of the same name, which would start
    Home Assistant first: ``recorder_mock`` must come before ``hass``.)
    """


@pytest.fixture
def targets() -> dict[str, dict[str, Any]]:
    """Return entity, heartbeat and HTTP targets."""
    return {CPU_ID: CPU, DISK_ID: DISK, BACKUP_ID: BACKUP, SITE_ID: SITE}


@pytest.fixture
def entity_states() -> dict[str, str]:
    """Return the watched entities' states: every target up."""
    return {"sensor.cpu": "50", "sensor.disk": "10"}


@pytest.fixture
async def init_integration(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_states: dict[str, str],
    http_probe: AsyncMock,
) -> MockConfigEntry:
    """Set up the hub on the real clock, once the recorder runs."""
    for entity_id, state in entity_states.items():
        hass.states.async_set(entity_id, state)
    await setup_loaded(hass, mock_config_entry)
    await async_wait_recording_done(hass)
    return mock_config_entry


def pialert_entities(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """Return PiAlert's enabled entities."""
    return {
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if not e.disabled
    }


async def state_rows(hass: HomeAssistant, entity_ids: set[str]) -> dict[str, int]:
    """Count the rows the recorder wrote for each entity."""

    def count() -> dict[str, int]:
        with session_scope(hass=hass, read_only=True) as session:
            rows = (
                session.query(StatesMeta.entity_id, func.count(States.state_id))
                .join(States, States.metadata_id == StatesMeta.metadata_id)
                .filter(StatesMeta.entity_id.in_(entity_ids))
                .group_by(StatesMeta.entity_id)
                .all()
            )
        return dict.fromkeys(entity_ids, 0) | dict(rows)

    await async_wait_recording_done(hass)
    return await get_instance(hass).async_add_executor_job(count)


async def recorded(hass: HomeAssistant, entity_id: str, start: datetime) -> list[State]:
    """Return the recorded states of an entity since ``start``."""
    await async_wait_recording_done(hass)
    history = await get_instance(hass).async_add_executor_job(
        lambda: get_significant_states(
            hass,
            start,
            None,
            [entity_id],
            significant_changes_only=False,
            minimal_response=False,
        )
    )
    states = history.get(entity_id, [])
    assert all(isinstance(state, State) for state in states)
    return states  # type: ignore[return-value]


async def run_cycles(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: int
) -> None:
    """Let the coordinator tick (and HTTP checks run) for a while."""
    for _ in range(seconds // 10):
        freezer.tick(timedelta(seconds=10))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def test_nothing_changes_nothing_recorded(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    http_probe: AsyncMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Check cycles with the same results write no state rows at all."""
    entities = pialert_entities(hass, init_integration)
    assert entities >= HUB_ENTITIES
    before = await state_rows(hass, entities)
    assert all(count == 1 for count in before.values()), before
    checks = http_probe.call_count

    await run_cycles(hass, freezer, 130)
    await hass.services.async_call(DOMAIN, "check_now", {"all": True}, blocking=True)
    # Attribute-only changes of a watched entity are no checks either.
    hass.states.async_set("sensor.cpu", "50", {"unit_of_measurement": "%"})
    await hass.async_block_till_done()

    # The checks did run: at least one on the site's phase (60 s interval,
    # 130 s of ticks) and the check now.
    assert http_probe.call_count >= checks + 2
    assert await state_rows(hass, entities) == before


async def test_flapping_target_writes_only_its_rows(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A flapping target writes its own rows (and the hub's); others none."""
    entities = pialert_entities(hass, init_integration)
    before = await state_rows(hass, entities)

    for value in ("95", "20", "97", "30"):
        hass.states.async_set("sensor.cpu", value)
        await hass.async_block_till_done()
        await run_cycles(hass, freezer, 20)
    after = await state_rows(hass, entities)

    changed = {e for e in entities if after[e] != before[e]}
    assert changed == {
        "binary_sensor.cpu",
        "button.cpu_acknowledge",  # available only while down
        "sensor.cpu_status",
        "sensor.cpu_uptime_24_h",  # consecutive failures: disabled by default
        "binary_sensor.pialert_alert",
        "sensor.pialert_alerting_targets",
    }
    # Down and up twice: one row per change, no more.
    assert after["binary_sensor.cpu"] - before["binary_sensor.cpu"] == 4
    assert after["sensor.cpu_status"] - before["sensor.cpu_status"] == 4
    assert (
        after["binary_sensor.pialert_alert"] - before["binary_sensor.pialert_alert"]
        == 4
    )


async def test_secret_and_free_text_attributes_are_not_recorded(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The ping URL, errors and notes stay out of the database."""
    start = dt_util.utcnow() - timedelta(hours=1)
    hass.states.async_set("sensor.cpu", "95")
    await hass.async_block_till_done()
    await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"entity_id": "binary_sensor.cpu", "note": "private note"},
        blocking=True,
    )
    await hass.async_block_till_done()

    live = hass.states.get("sensor.backup_status")
    assert live.attributes["ping_url"] == "/api/pialert/v1/heartbeat/tok"
    (backup,) = await recorded(hass, "sensor.backup_status", start)
    assert "ping_url" not in backup.attributes
    assert "last_error" not in backup.attributes
    assert backup.attributes["acknowledged"] is False

    cpu = await recorded(hass, "sensor.cpu_status", start)
    assert [state.state for state in cpu] == ["up", "down", "acknowledged"]
    for state in cpu:
        assert "last_error" not in state.attributes
        assert "acknowledgement_note" not in state.attributes
    assert cpu[-1].attributes["acknowledged"] is True
    assert cpu[-1].attributes["acknowledged_by"] == "Home Assistant"
    assert hass.states.get("sensor.cpu_status").attributes["acknowledgement_note"] == (
        "private note"
    )

    failing = await recorded(hass, "sensor.pialert_alerting_targets", start)
    assert [state.state for state in failing] == ["0", "1", "0"]
    assert all("targets" not in state.attributes for state in failing)


# --- response times: what they cost in recorder rows --------------------------

FLEET = 100
HOUR = 3600


def fleet_targets() -> list[dict[str, Any]]:
    """Return 100 HTTP targets checked every 60 s (the default interval)."""
    return [
        {
            "kind": "http",
            "name": f"Site {i:03}",
            "url": f"https://site{i:03}.invalid/",
            "interval": 60,
            "timeout": 10,
        }
        for i in range(FLEET)
    ]


def jittery_probe(seed: int) -> AsyncMock:
    """Answer like real sites: each its own typical time, jitter and spikes.

    Typical times 20-300 ms; each check varies by a normal jitter of 10 % and
    one check in 50 is a 3x spike (a busy server, a retransmission).
    """
    rng = random.Random(seed)
    typical: dict[str, float] = {}

    async def probe(settings: Any, *_args: Any) -> ProbeOutcome:
        base = typical.setdefault(settings.url, rng.uniform(20, 300))
        measured = base * max(0.2, rng.gauss(1.0, 0.10))
        if rng.random() < 0.02:
            measured *= 3
        return ProbeOutcome(success=True, response_time_ms=measured)

    return AsyncMock(side_effect=probe)


@pytest.mark.parametrize("seed", [1])
async def test_response_time_rows_per_hour_for_100_targets(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    seed: int,
) -> None:
    """Response times are charted for polled targets at a bounded cost.

    100 HTTP targets, one check a minute each (6,000 checks an hour): only
    changes of at least 10 ms and 25 %, seen in two checks in a row, are
    written, so usual jitter and lone spikes write nothing. Measured with
    this seed: 61 rows in the hour (about 1 % of the checks), where showing
    each lone 3x spike and the return from it wrote 632, and writing every
    check would cost 6,000.
    """
    freezer.move_to("2026-01-01T12:00:00+00:00")
    with patch(
        "custom_components.pialert.engine.probes.http.probe", new=jittery_probe(seed)
    ) as probe:
        fleet = (
            {**data, "id": f"site{i:03}"} for i, data in enumerate(fleet_targets())
        )
        entry = await setup_loaded(hass, mock_hub_entry(*fleet))
        entities = pialert_entities(hass, entry)
        response_times = {e for e in entities if e.endswith("_response_time")}
        # Enabled by default for polled targets: the chart is there.
        assert len(response_times) == FLEET
        before = await state_rows(hass, entities)
        checks = probe.call_count

        await run_cycles(hass, freezer, HOUR)

        after = await state_rows(hass, entities)
    assert probe.call_count - checks >= FLEET * 59  # about 6,000 checks ran
    rows = {e: after[e] - before[e] for e in entities if after[e] != before[e]}
    response_rows = sum(rows.get(e, 0) for e in response_times)
    other_rows = {e: n for e, n in rows.items() if e not in response_times}
    # Nothing else changes while every check succeeds (uptime stays 100 %).
    assert other_rows == {}
    assert response_rows < 0.03 * (probe.call_count - checks), response_rows
    print(f"response-time rows per hour, {FLEET} targets: {response_rows}")
