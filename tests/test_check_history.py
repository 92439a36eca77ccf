"""The check log and daily uptime in a running hub: time zone, restart, old files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from custom_components.pialert.const import STORAGE_KEY
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.engine.check_log import CheckRecord
from custom_components.pialert.engine.daily_uptime import DayBar
from custom_components.pialert.engine.models import CheckResult

from .conftest import SetupHub

JOB = "job"
TARGET = {
    "id": JOB,
    "kind": "heartbeat",
    "name": "Job",
    "period": 3600,
    "grace": 300,
    "token": "token-job",
    "failure_threshold": 1,
}


def coordinator_of(entry: Any) -> PiAlertCoordinator:
    coordinator: PiAlertCoordinator = entry.runtime_data.coordinator
    return coordinator


def record(coordinator: PiAlertCoordinator, ok: bool, ms: float = 5.0) -> None:
    coordinator.async_record(
        JOB,
        CheckResult(
            success=ok,
            checked_at=dt_util.utcnow(),
            error=None if ok else "late",
            response_time_ms=ms,
        ),
    )


async def test_days_roll_over_at_local_midnight(
    hass: HomeAssistant, setup_hub: SetupHub, freezer: FrozenDateTimeFactory
) -> None:
    """Days are Home Assistant's local days, not UTC days."""
    await hass.config.async_set_time_zone("Pacific/Auckland")
    zone = dt_util.get_default_time_zone()
    before = datetime(2026, 3, 10, 23, 59, tzinfo=zone)
    after = datetime(2026, 3, 11, 0, 1, tzinfo=zone)
    # One UTC day, two local days.
    assert before.astimezone(UTC).date() == after.astimezone(UTC).date()
    freezer.move_to(before)
    entry = await setup_hub(TARGET)
    coordinator = coordinator_of(entry)
    record(coordinator, True)
    record(coordinator, True)
    freezer.move_to(after)
    record(coordinator, False)
    await hass.async_block_till_done()

    days = coordinator.monitor.history.days
    assert days.bars(JOB, dt_util.utcnow(), 2) == [
        DayBar(date(2026, 3, 10), 2, 2),
        DayBar(date(2026, 3, 11), 0, 1),
    ]
    view = coordinator.data.targets[JOB]
    assert view.uptime_90d == view.uptime_1y == round(200 / 3, 3)
    assert coordinator.monitor.history.uptime(JOB, dt_util.utcnow(), "7d") == round(
        200 / 3, 3
    )


async def test_uptime_sensors(
    hass: HomeAssistant, setup_hub: SetupHub, entity_registry: er.EntityRegistry
) -> None:
    """The 90-day and 1-year sensors exist, disabled until the user enables them."""
    entry = await setup_hub(TARGET)
    for key in ("uptime_90d", "uptime_1y"):
        entity_id = entity_registry.async_get_entity_id(
            "sensor", "pialert", f"{JOB}_{key}"
        )
        assert entity_id is not None
        assert entity_registry.async_get(entity_id).disabled_by is not None
        entity_registry.async_update_entity(entity_id, disabled_by=None)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    coordinator = coordinator_of(entry)
    record(coordinator, True)
    record(coordinator, False)
    await hass.async_block_till_done()
    for key in ("uptime_90d", "uptime_1y"):
        entity_id = entity_registry.async_get_entity_id(
            "sensor", "pialert", f"{JOB}_{key}"
        )
        state = hass.states.get(entity_id or "")
        assert state is not None
        assert float(state.state) == 50.0
        assert state.attributes["unit_of_measurement"] == "%"


async def test_restart_keeps_days_and_checks(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Unloading saves the log and the counters; a new start reads them back."""
    freezer.move_to("2026-03-01T12:00:00+00:00")
    entry = await setup_hub(TARGET)
    coordinator = coordinator_of(entry)
    for day in range(40):
        record(coordinator, day % 4 != 0, ms=float(day))
        freezer.tick(timedelta(days=1))
    # The heartbeat's missed deadline counts now, not at the restart.
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    record(coordinator, True, ms=39.5)
    now = dt_util.utcnow()
    history = coordinator.monitor.history
    bars = history.days.bars(JOB, now, 365)
    checks = history.checks.recent(JOB)
    uptimes = {w: history.uptime(JOB, now, w) for w in ("7d", "30d", "90d", "1y")}
    assert uptimes["1y"] == round(100 * 31 / 42, 3)
    assert len(checks) == 42

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    saved = json.loads(json.dumps(hass_storage[STORAGE_KEY]))
    assert set(saved["data"]["days"]) == {JOB}
    hass_storage[STORAGE_KEY] = saved
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    history = coordinator_of(entry).monitor.history
    assert history.days.bars(JOB, now, 365) == bars
    assert {w: history.uptime(JOB, now, w) for w in uptimes} == uptimes
    assert history.checks.recent(JOB) == checks
    assert checks[-1] == CheckRecord(
        datetime(2026, 4, 10, 12, tzinfo=UTC), True, 39.5, None
    )
    assert checks[-2].ok is False  # the missed deadline


async def test_a_file_from_before_keeps_its_daily_buckets(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A state file without ``days`` restores them from the UTC-day buckets."""
    freezer.move_to("2026-03-10T12:00:00+00:00")
    day = int(datetime(2026, 3, 9, tzinfo=UTC).timestamp())
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORAGE_KEY,
        "data": {
            "stats": {
                JOB: {
                    "hourly": [],
                    "daily": [[day - 86400, 4, 1, 0, 0], [day, 10, 9, 50.0, 10]],
                }
            }
        },
    }
    entry = await setup_hub(TARGET)
    history = coordinator_of(entry).monitor.history
    now = dt_util.utcnow()
    assert history.days.bars(JOB, now, 3) == [
        DayBar(date(2026, 3, 8), 1, 4),
        DayBar(date(2026, 3, 9), 9, 10),
        DayBar(date(2026, 3, 10), 0, 0),
    ]
    assert history.uptime(JOB, now, "90d") == round(1000 / 14, 3)
