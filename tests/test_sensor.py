"""Sensors: status, timings and counters per target; hub counters."""

from __future__ import annotations

from collections.abc import Generator
import colorsys
from datetime import timedelta
import itertools
from pathlib import Path
import re
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
import hass_frontend
from homeassistant.const import EVENT_STATE_CHANGED, EntityCategory, Platform
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.icon import async_get_icons
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.engine.models import CheckResult, Status
from custom_components.pialert.engine.probes import ProbeOutcome
from custom_components.pialert.sensor import (
    ACKNOWLEDGED,
    MAX_LISTED_TARGETS,
    STATUS_OPTIONS,
)
from custom_components.pialert.shown_response_time import response_time_changed

from .platform_helpers import (
    BACKUP,
    BACKUP_ID,
    CPU,
    CPU_ID,
    HUB_ENTRY_ID,
    SITE,
    SITE_ID,
    coordinator_of,
    set_cpu,
)

PLAIN_ID = "plain_target"

PLAIN = {
    "kind": "http",
    "name": "Plain",
    "url": "http://example.invalid",
    "interval": 60,
    "timeout": 10,
}


@pytest.fixture
def platforms() -> list[Platform]:
    """Load only the sensor platform."""
    return [Platform.SENSOR]


@pytest.fixture
def enable_all_entities() -> Generator[None]:
    """Enable the entities that are disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
def probe_outcome() -> ProbeOutcome:
    """Answer 42.04 ms, which PiAlert shows rounded to 42.0."""
    return ProbeOutcome(success=True, response_time_ms=42.04, cert_days_remaining=30)


@pytest.fixture
def targets() -> dict[str, dict[str, Any]]:
    """Return the hub's targets by subentry id."""
    return {CPU_ID: CPU, BACKUP_ID: BACKUP, SITE_ID: SITE, PLAIN_ID: PLAIN}


def attributes(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """Return an entity's state attributes."""
    state = hass.states.get(entity_id)
    assert state is not None
    return dict(state.attributes)


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state."""
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


# --- snapshots and registry -------------------------------------------------


@pytest.mark.usefixtures("enable_all_entities")
async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every sensor (all enabled), its registry entry and its state."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


async def test_entities_per_kind(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Which sensors each kind gets, and which are disabled by default."""
    by_unique_id = {
        entry.unique_id: entry
        for entry in er.async_entries_for_config_entry(
            entity_registry, init_integration.entry_id
        )
    }
    assert set(by_unique_id) == {
        f"{HUB_ENTRY_ID}_failing_targets",
        f"{HUB_ENTRY_ID}_active_silences",
        # Entity targets have no response time and no certificate.
        f"{CPU_ID}_status",
        f"{CPU_ID}_consecutive_failures",
        f"{CPU_ID}_uptime_24h",
        f"{CPU_ID}_uptime_90d",
        f"{CPU_ID}_uptime_1y",
        f"{CPU_ID}_last_check",
        f"{BACKUP_ID}_status",
        f"{BACKUP_ID}_ping_url",
        f"{BACKUP_ID}_response_time",
        f"{BACKUP_ID}_consecutive_failures",
        f"{BACKUP_ID}_uptime_24h",
        f"{BACKUP_ID}_uptime_90d",
        f"{BACKUP_ID}_uptime_1y",
        f"{BACKUP_ID}_last_check",
        # Only https targets have a certificate.
        f"{SITE_ID}_status",
        f"{SITE_ID}_response_time",
        f"{SITE_ID}_consecutive_failures",
        f"{SITE_ID}_uptime_24h",
        f"{SITE_ID}_uptime_90d",
        f"{SITE_ID}_uptime_1y",
        f"{SITE_ID}_last_check",
        f"{SITE_ID}_cert_days_remaining",
        f"{PLAIN_ID}_status",
        f"{PLAIN_ID}_response_time",
        f"{PLAIN_ID}_consecutive_failures",
        f"{PLAIN_ID}_uptime_24h",
        f"{PLAIN_ID}_uptime_90d",
        f"{PLAIN_ID}_uptime_1y",
        f"{PLAIN_ID}_last_check",
    }
    disabled = {
        uid for uid, entry in by_unique_id.items() if entry.disabled_by is not None
    }
    # Polled targets chart their response time; a heartbeat's job duration
    # (measured only when the job pings its start) is opt-in, and so are the
    # diagnostics (each enabled entity costs memory and recorder rows).
    assert disabled == {
        f"{tid}_{key}"
        for tid in (CPU_ID, BACKUP_ID, SITE_ID, PLAIN_ID)
        for key in ("last_check", "uptime_90d", "uptime_1y", "consecutive_failures")
    } | {f"{BACKUP_ID}_response_time"}
    for uid in disabled:
        assert by_unique_id[uid].disabled_by is er.RegistryEntryDisabler.INTEGRATION
        assert hass.states.get(by_unique_id[uid].entity_id) is None
    diagnostic = {
        uid for uid, entry in by_unique_id.items() if entry.entity_category is not None
    }
    assert diagnostic == {
        f"{tid}_{key}"
        for tid in (CPU_ID, BACKUP_ID, SITE_ID, PLAIN_ID)
        for key in ("consecutive_failures", "last_check")
    } | {f"{BACKUP_ID}_ping_url"}


# --- values -----------------------------------------------------------------


@pytest.mark.usefixtures("enable_all_entities")
async def test_http_values(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An HTTP target's first check fills status, uptime and certificate."""
    assert state_of(hass, "sensor.site_status") == Status.UP
    assert state_of(hass, "sensor.site_certificate_expires_in") == "30"
    assert state_of(hass, "sensor.site_uptime_24_h") == "100.0"
    assert state_of(hass, "sensor.site_consecutive_failures") == "0"
    assert attributes(hass, "sensor.site_status") == {
        "options": STATUS_OPTIONS,
        "device_class": "enum",
        "friendly_name": "Site Status",
        "acknowledged": False,
        "acknowledged_by": None,
        "acknowledgement_note": None,
        "silenced": False,
        "last_error": None,
    }


@pytest.mark.usefixtures("enable_all_entities")
async def test_response_time_and_last_check(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Response times are rounded to 0.1 ms; last check is a timestamp."""
    assert state_of(hass, "sensor.site_response_time") == "42.0"
    assert state_of(hass, "sensor.site_last_check") == "2026-01-01T12:00:00+00:00"
    # Nothing measured yet: unknown.
    assert state_of(hass, "sensor.backup_response_time") == "unknown"
    assert state_of(hass, "sensor.backup_last_check") == "unknown"

    coordinator = coordinator_of(init_integration)
    coordinator.async_heartbeat(BACKUP_ID, "success")
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.backup_response_time") == "unknown"
    assert state_of(hass, "sensor.backup_last_check") == "2026-01-01T12:00:00+00:00"


@pytest.mark.usefixtures("enable_all_entities")
async def test_status_attributes_follow_alert(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_admin_user: MockUser
) -> None:
    """Status shows down, the error, who acknowledged and the silence."""
    assert state_of(hass, "sensor.cpu_status") == Status.UP
    await set_cpu(hass, "95")
    assert state_of(hass, "sensor.cpu_status") == Status.DOWN
    attrs = attributes(hass, "sensor.cpu_status")
    assert attrs["last_error"] == "sensor.cpu is 95, above 80"
    assert attrs["acknowledged"] is False
    assert attrs["silenced"] is False
    assert state_of(hass, "sensor.cpu_consecutive_failures") == "1"
    assert state_of(hass, "sensor.cpu_uptime_24_h") == "50.0"

    await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"entity_id": "sensor.cpu_status", "note": "on it"},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await hass.async_block_till_done()
    attrs = attributes(hass, "sensor.cpu_status")
    assert attrs["acknowledged"] is True
    assert attrs["acknowledged_by"] == "Mock User"
    assert attrs["acknowledgement_note"] == "on it"

    await hass.services.async_call(
        DOMAIN,
        "silence",
        {"entity_id": "sensor.cpu_status", "duration": {"minutes": 30}},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert attributes(hass, "sensor.cpu_status")["silenced"] is True
    assert state_of(hass, "sensor.pialert_active_silences") == "1"

    await set_cpu(hass, "20")
    attrs = attributes(hass, "sensor.cpu_status")
    assert state_of(hass, "sensor.cpu_status") == Status.UP
    # Recovery ends the acknowledgement; the silence runs on.
    assert attrs["acknowledged"] is False
    assert attrs["acknowledged_by"] is None
    assert attrs["last_error"] is None
    assert attrs["silenced"] is True


async def test_silence_expiry_updates_sensors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """When a silence ends the counters and attributes follow without a check."""
    await hass.services.async_call(
        DOMAIN, "silence", {"all": True, "duration": {"minutes": 5}}, blocking=True
    )
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.pialert_active_silences") == "1"
    assert attributes(hass, "sensor.backup_status")["silenced"] is True

    freezer.tick(timedelta(minutes=5, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.pialert_active_silences") == "0"
    assert attributes(hass, "sensor.backup_status")["silenced"] is False


async def test_heartbeat_status_shows_its_ping_url(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The heartbeat's status shows its ping URL; other targets have none."""
    attrs = attributes(hass, "sensor.backup_status")
    assert attrs["ping_url"] == "/api/pialert/v1/heartbeat/tok"
    assert state_of(hass, "sensor.backup_status") == Status.UNKNOWN
    assert "ping_url" not in attributes(hass, "sensor.cpu_status")
    # That the recorder leaves it out is tested on a real database in
    # test_recorder.py::test_secret_and_free_text_attributes_are_not_recorded.


async def test_paused_status(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A paused target's status is paused."""
    await hass.services.async_call(
        DOMAIN, "pause", {"entity_id": "sensor.cpu_status"}, blocking=True
    )
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.cpu_status") == Status.PAUSED


async def test_unreachable_status(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A target whose dependency is down is unreachable, not down."""
    subentry_ = init_integration.subentries[PLAIN_ID]
    hass.config_entries.async_update_subentry(
        init_integration,
        subentry_,
        data={**subentry_.data, "depends_on": SITE_ID, "failure_threshold": 1},
    )
    await hass.async_block_till_done()
    coordinator = coordinator_of(init_integration)
    now = coordinator.now()
    for _ in range(3):
        coordinator.async_record(
            SITE_ID, CheckResult(success=False, checked_at=now, error="HTTP 503")
        )
    coordinator.async_record(
        PLAIN_ID, CheckResult(success=False, checked_at=now, error="HTTP 503")
    )
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.site_status") == Status.DOWN
    assert state_of(hass, "sensor.plain_status") == Status.UNREACHABLE
    assert state_of(hass, "sensor.pialert_alerting_targets") == "1"
    assert attributes(hass, "sensor.pialert_alerting_targets")["targets"] == ["Site"]


async def test_hub_counters(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Failing targets counts targets in the alert state and names them."""
    assert state_of(hass, "sensor.pialert_alerting_targets") == "0"
    assert attributes(hass, "sensor.pialert_alerting_targets")["targets"] == []
    assert state_of(hass, "sensor.pialert_active_silences") == "0"

    await set_cpu(hass, "95")
    coordinator_of(init_integration).async_heartbeat(BACKUP_ID, "fail", 2)
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.pialert_alerting_targets") == "2"
    assert attributes(hass, "sensor.pialert_alerting_targets")["targets"] == [
        "Backup",
        "CPU",
    ]
    assert (
        attributes(hass, "sensor.backup_status")["last_error"]
        == "Job reported exit code 2"
    )

    # Acknowledged targets are not failing any more.
    await hass.services.async_call(
        DOMAIN, "acknowledge", {"entity_id": "sensor.cpu_status"}, blocking=True
    )
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.pialert_alerting_targets") == "1"
    assert attributes(hass, "sensor.pialert_alerting_targets")["targets"] == ["Backup"]


MANY = 25


@pytest.mark.parametrize(
    "targets",
    [
        {
            f"t{i:02}": {
                "kind": "entity",
                "name": f"Target {i:02}",
                "entity_id": f"sensor.watched_{i:02}",
                "condition": "equals",
                "value": "bad",
            }
            for i in range(MANY)
        }
    ],
)
async def test_failing_targets_list_is_bounded(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The count is exact; the list names at most 20 targets."""
    for i in range(MANY):
        hass.states.async_set(f"sensor.watched_{i:02}", "bad")
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.pialert_alerting_targets") == str(MANY)
    listed = attributes(hass, "sensor.pialert_alerting_targets")["targets"]
    assert len(listed) == MAX_LISTED_TARGETS == 20
    assert listed == [f"Target {i:02}" for i in range(20)]

    # Back to a few: the list shrinks with the count.
    for i in range(3, MANY):
        hass.states.async_set(f"sensor.watched_{i:02}", "good")
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.pialert_alerting_targets") == "3"
    assert attributes(hass, "sensor.pialert_alerting_targets")["targets"] == [
        "Target 00",
        "Target 01",
        "Target 02",
    ]


@pytest.mark.parametrize("targets", [{CPU_ID: CPU}])
async def test_unchanged_values_are_not_written_again(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A snapshot with equal values writes no state."""
    before = {
        entity_id: hass.states.get(entity_id).last_updated
        for entity_id in ("sensor.cpu_status", "sensor.pialert_alerting_targets")
    }
    # Only attributes of the watched entity change: no check, nothing written.
    hass.states.async_set("sensor.cpu", "50", {"unit_of_measurement": "%"})
    await hass.async_block_till_done()
    coordinator = coordinator_of(init_integration)
    coordinator.async_publish()
    await hass.async_block_till_done()
    for entity_id, last_updated in before.items():
        assert hass.states.get(entity_id).last_updated == last_updated


async def test_removed_target_sensors_go_away(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Removing a target removes its sensors; hub sensors stay."""
    assert hass.config_entries.async_remove_subentry(init_integration, SITE_ID)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.site_status") is None
    assert entity_registry.async_get("sensor.site_certificate_expires_in") is None
    assert state_of(hass, "sensor.pialert_alerting_targets") == "0"


# --- the heartbeat's ping URL on the device page ----------------------------


async def test_ping_url_sensor_shows_full_url(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A heartbeat's device shows its full ping URL, following HA's own URLs."""
    await hass.config.async_update(
        external_url="https://ha.example.com", internal_url="http://192.168.1.5:8123"
    )
    await hass.async_block_till_done()
    # The external URL first: jobs often run elsewhere.
    assert state_of(hass, "sensor.backup_ping_url") == (
        "https://ha.example.com/api/pialert/v1/heartbeat/tok"
    )
    entry = entity_registry.async_get("sensor.backup_ping_url")
    assert entry is not None
    assert entry.entity_category is EntityCategory.DIAGNOSTIC
    assert entry.disabled_by is None
    assert attributes(hass, "sensor.backup_ping_url")["friendly_name"] == (
        "Backup Ping URL"
    )
    # No external URL: the internal one.
    await hass.config.async_update(external_url=None)
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.backup_ping_url") == (
        "http://192.168.1.5:8123/api/pialert/v1/heartbeat/tok"
    )
    # Polled and entity targets have no ping URL.
    assert hass.states.get("sensor.site_ping_url") is None
    assert hass.states.get("sensor.cpu_ping_url") is None


async def test_ping_url_without_any_url_is_the_path(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """With no URL Home Assistant knows of, the path is still shown."""
    with patch(
        "custom_components.pialert.urls.get_url", side_effect=NoURLAvailableError
    ):
        await hass.config.async_update(external_url="https://x.example.com")
        await hass.async_block_till_done()
        assert state_of(hass, "sensor.backup_ping_url") == (
            "/api/pialert/v1/heartbeat/tok"
        )


# --- an acknowledged alert looks different -----------------------------------


async def test_acknowledged_status_state_icon_and_name(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Down and acknowledged shows as its own state, translated, with its icon."""
    await set_cpu(hass, "95")
    assert state_of(hass, "sensor.cpu_status") == Status.DOWN
    await hass.services.async_call(
        DOMAIN, "acknowledge", {"entity_id": "sensor.cpu_status"}, blocking=True
    )
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.cpu_status") == ACKNOWLEDGED == "acknowledged"
    assert ACKNOWLEDGED in attributes(hass, "sensor.cpu_status")["options"]
    # The engine (and so the API) still says down.
    assert coordinator_of(init_integration).data.targets[CPU_ID].status is Status.DOWN

    translations = await async_get_translations(hass, "en", "entity", {DOMAIN})
    prefix = f"component.{DOMAIN}.entity.sensor.status.state"
    assert translations[f"{prefix}.acknowledged"] == "Down, acknowledged"
    for option in STATUS_OPTIONS:
        assert f"{prefix}.{option}" in translations
    icons = (await async_get_icons(hass, "entity", {DOMAIN}))[DOMAIN]
    status_icons = icons["sensor"]["status"]["state"]
    assert set(status_icons) >= set(STATUS_OPTIONS) - {"unknown"}
    assert status_icons["acknowledged"] != status_icons["down"]

    # Withdrawn: plain down again; recovered: up.
    await hass.services.async_call(
        DOMAIN, "unacknowledge", {"entity_id": "sensor.cpu_status"}, blocking=True
    )
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.cpu_status") == Status.DOWN


async def test_alerting_targets_says_what_it_counts(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The hub count is named for what it counts: targets the hub alerts for."""
    assert attributes(hass, "sensor.pialert_alerting_targets")["friendly_name"] == (
        "PiAlert Alerting targets"
    )
    translations = await async_get_translations(hass, "en", "entity", {DOMAIN})
    assert "Failing" not in " ".join(
        v for k, v in translations.items() if ".entity.sensor." in k
    )


# --- history colours ---------------------------------------------------------


def frontend_palette() -> list[str]:
    """Return the timeline palette of the frontend Home Assistant ships.

    The frontend colours an enum sensor's timeline state by its index in
    ``options``: ``--graph-color-{i+1}``, else ``--color-{i % 54 + 1}``.
    """
    folder = Path(hass_frontend.where()) / "frontend_latest"
    for path in folder.glob("app.*.js"):
        found = dict(re.findall(r"--color-(\d+):(#[0-9a-f]{6})", path.read_text()))
        if found:
            return [found[str(i)] for i in range(1, len(found) + 1)]
    raise AssertionError("no palette in the frontend")


def hue(colour: str) -> float:
    """Return a #rrggbb colour's hue in degrees."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hsv(red, green, blue)[0] * 360


def test_status_timeline_colours_read_right() -> None:
    """Down is drawn red, pending amber, up green on the history timeline."""
    palette = frontend_palette()

    def colour(state: str) -> float:
        return hue(palette[STATUS_OPTIONS.index(state) % len(palette)])

    assert colour(Status.DOWN) < 20 or colour(Status.DOWN) > 340  # red
    assert 30 <= colour(Status.PENDING) <= 60  # amber
    assert 90 <= colour(Status.UP) <= 180  # green
    # Acknowledged and unreachable are neither red nor green.
    for state in (ACKNOWLEDGED, Status.UNREACHABLE, Status.PAUSED):
        assert not 90 <= colour(state) <= 180
        assert state == ACKNOWLEDGED or not (colour(state) < 20)


# --- response time: charted, but only meaningful changes are written --------


@pytest.mark.parametrize("targets", [{SITE_ID: SITE}])
async def test_response_time_written_only_on_meaningful_change(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Jitter and a lone spike write no state; a change seen twice does."""
    coordinator = coordinator_of(init_integration)
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    checks = itertools.count(1)

    async def measure(ms: float) -> str:
        checked_at = coordinator.now() + timedelta(minutes=next(checks))
        coordinator.async_record(
            SITE_ID,
            CheckResult(success=True, checked_at=checked_at, response_time_ms=ms),
        )
        await hass.async_block_till_done()
        return state_of(hass, "sensor.site_response_time")

    assert state_of(hass, "sensor.site_response_time") == "42.0"
    for jitter in (45.3, 39.0, 50.0, 33.0):  # within 10 ms
        assert await measure(jitter) == "42.0"
    assert await measure(60.0) == "42.0"  # 18 ms more, once
    assert await measure(61.0) == "61.0"  # and again: shown
    assert await measure(300.0) == "61.0"
    assert await measure(290.0) == "290.0"
    for jitter in (250.0, 340.0, 360.0):  # within 25 %
        assert await measure(jitter) == "290.0"
    assert await measure(900.0) == "290.0"  # a lone spike, then back
    assert await measure(295.0) == "290.0"
    assert await measure(900.0) == "290.0"  # up, then down: no direction yet
    assert await measure(150.0) == "290.0"
    assert await measure(160.0) == "160.0"
    written = [
        e.data["new_state"].state
        for e in changes
        if e.data["entity_id"] == "sensor.site_response_time"
    ]
    assert written == ["61.0", "290.0", "160.0"]


def test_response_time_change_rule() -> None:
    """Appearing and vanishing always count; otherwise 10 ms and 25 %."""
    assert response_time_changed(None, 5.0)
    assert response_time_changed(5.0, None)
    assert not response_time_changed(None, None)
    assert not response_time_changed(1.0, 10.9)
    assert response_time_changed(1.0, 11.0)
    assert not response_time_changed(1000.0, 1249.0)
    assert response_time_changed(1000.0, 1250.0)
    assert response_time_changed(1000.0, 750.0)
